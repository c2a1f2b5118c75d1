// A wheel with a real C extension module that needs a shared library the wheel does not bundle,
// built with the machine's gcc and python3 (its headers): what PyPI wheels that miss libz.so.1 or
// libstdc++.so.6 on Nix look like. The library is built beside it, so a test can also provide it
// (e.g. on the devShell's LD_LIBRARY_PATH).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./fixtures";

export const GREET_LIB = "libhybridgreet.so.1";

const LIB_C = `const char *hybrid_greeting(void) { return "hello from libhybridgreet"; }\n`;

const MODULE_C = `#define PY_SSIZE_T_CLEAN
#include <Python.h>
extern const char *hybrid_greeting(void);
static PyObject *greet(PyObject *self, PyObject *args) { return PyUnicode_FromString(hybrid_greeting()); }
static PyMethodDef methods[] = {{"greet", greet, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "_greet", NULL, -1, methods};
PyMODINIT_FUNC PyInit__greet(void) { return PyModule_Create(&mod); }
`;

const PACK_WHEEL = `
import base64, hashlib, sys, zipfile
out_dir, ext_path, ext_name, tag = sys.argv[1:5]
name, version = "nativegreet", "1.0"
dist = f"{name}-{version}.dist-info"
files = {
  f"{name}/__init__.py": b"from ._greet import greet\\n",
  f"{name}/{ext_name}": open(ext_path, "rb").read(),
  f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n".encode(),
  f"{dist}/WHEEL": f"Wheel-Version: 1.0\\nGenerator: hybrid-env-tests\\nRoot-Is-Purelib: false\\nTag: {tag}\\n".encode(),
}
record = []
path = f"{out_dir}/{name}-{version}-{tag}.whl"
with zipfile.ZipFile(path, "w") as z:
  for arc, data in files.items():
    z.writestr(arc, data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{arc},sha256={digest},{len(data)}")
  record.append(f"{dist}/RECORD,,")
  z.writestr(f"{dist}/RECORD", "\\n".join(record) + "\\n")
print(path)
`;

const PY_FACTS = `import sysconfig, sys
print(sysconfig.get_paths()["include"])
print(sysconfig.get_config_var("EXT_SUFFIX"))
print("cp%d%d" % sys.version_info[:2])
print(sysconfig.get_platform().replace("-", "_").replace(".", "_"))`;

export interface NativeWheel {
  readonly wheel: string;
  /** Folder holding libhybridgreet.so.1, which the wheel needs and does not contain. */
  readonly libDir: string;
}

/**
 * nativegreet-1.0 (import nativegreet; nativegreet.greet()) whose extension needs
 * libhybridgreet.so.1 (no RUNPATH) and libz.so.1 (from the system, found in its ld.so.cache).
 */
export function buildNativeWheel(wheelDir: string, python = "python3"): NativeWheel {
  const work = tempDir("native-wheel");
  const [include, extSuffix, abi, platform] = execFileSync(python, ["-c", PY_FACTS], { encoding: "utf8" }).trim().split("\n") as [string, string, string, string];
  const libDir = join(work, "lib");
  mkdirSync(libDir, { recursive: true });
  writeFileSync(join(work, "greet.c"), LIB_C);
  writeFileSync(join(work, "module.c"), MODULE_C);
  execFileSync("gcc", ["-shared", "-fPIC", `-Wl,-soname,${GREET_LIB}`, "-o", join(libDir, GREET_LIB), join(work, "greet.c")]);
  const ext = join(work, `_greet${extSuffix}`);
  // -l:NAME links the file itself, so no -dev package (libz.so symlink) is needed; --no-as-needed
  // keeps libz in DT_NEEDED although the module calls nothing of it.
  execFileSync("gcc", ["-shared", "-fPIC", `-I${include}`, "-o", ext, join(work, "module.c"), `-L${libDir}`, "-Wl,--no-as-needed", `-l:${GREET_LIB}`, "-l:libz.so.1"]);
  mkdirSync(wheelDir, { recursive: true });
  const wheel = execFileSync(python, ["-c", PACK_WHEEL, wheelDir, ext, `_greet${extSuffix}`, `${abi}-${abi}-${platform}`], { encoding: "utf8" }).trim();
  return { wheel, libDir };
}
