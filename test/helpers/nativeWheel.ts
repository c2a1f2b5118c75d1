// A native library that exists only in the Nix store, and a wheel whose C extension links it:
// what the seed's aimrocks (libz.so.1 from Nix) does, built here with gcc. The extension has no
// RPATH, so it loads only where LD_LIBRARY_PATH names the store copy of the library.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir, write } from "./fixtures";
import { machinePython } from "./tools";

export const NATIVE_LIBRARY = "libhybridtest.so.1";
export const NATIVE_MODULE = "hybnative";
/** What hybnative.answer() returns, from the library. */
export const NATIVE_ANSWER = 42;

const LIBRARY_C = "int hybridtest_answer(void) { return 42; }\n";

const EXTENSION_C = `#define PY_SSIZE_T_CLEAN
#include <Python.h>
int hybridtest_answer(void);
static PyObject *answer(PyObject *self, PyObject *args) { return PyLong_FromLong(hybridtest_answer()); }
static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, "hybridtest_answer() from ${NATIVE_LIBRARY}"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "${NATIVE_MODULE}", NULL, -1, methods};
PyMODINIT_FUNC PyInit_${NATIVE_MODULE}(void) { return PyModule_Create(&module); }
`;

/** Compiles libDir/libhybridtest.so.1 (its SONAME is the same name). */
export function buildNativeLibrary(libDir: string): string {
  const src = join(tempDir("native-src"), "hybridtest.c");
  write(src, LIBRARY_C);
  mkdirSync(libDir, { recursive: true });
  const out = join(libDir, NATIVE_LIBRARY);
  execFileSync("gcc", ["-shared", "-fPIC", `-Wl,-soname,${NATIVE_LIBRARY}`, "-o", out, src]);
  return out;
}

const PACK_WHEEL = `
import base64, hashlib, sys, sysconfig, zipfile
out_dir, name, version, ext_file = sys.argv[1:5]
tag = "cp%d%d" % sys.version_info[:2]
platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
dist = f"{name}-{version}.dist-info"
files = {
  name + sysconfig.get_config_var("EXT_SUFFIX"): open(ext_file, "rb").read(),
  f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n".encode(),
  f"{dist}/WHEEL": f"Wheel-Version: 1.0\\nGenerator: hybrid-env-tests\\nRoot-Is-Purelib: false\\nTag: {tag}-{tag}-{platform}\\n".encode(),
}
path = f"{out_dir}/{name}-{version}-{tag}-{tag}-{platform}.whl"
record = []
with zipfile.ZipFile(path, "w") as z:
  for arc, data in files.items():
    z.writestr(arc, data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{arc},sha256={digest},{len(data)}")
  record.append(f"{dist}/RECORD,,")
  z.writestr(f"{dist}/RECORD", "\\n".join(record) + "\\n")
print(path)
`;

/**
 * Builds hybnative-VERSION-cpXY-cpXY-<platform>.whl for the machine's python3: its extension
 * links the library by SONAME, with no RPATH. Returns the wheel's path.
 */
export function buildNativeWheel(outDir: string, library: string, version = "1.0"): string {
  const python = machinePython().executable;
  const include = execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"], { encoding: "utf8" }).trim();
  const build = tempDir("native-build");
  write(join(build, "ext.c"), EXTENSION_C);
  const ext = join(build, "ext.so");
  // Linking the file itself records its SONAME as NEEDED and no search path.
  execFileSync("gcc", ["-shared", "-fPIC", `-I${include}`, "-o", ext, join(build, "ext.c"), library]);
  mkdirSync(outDir, { recursive: true });
  return execFileSync(python, ["-c", PACK_WHEEL, outDir, NATIVE_MODULE, version, ext], { encoding: "utf8" }).trim();
}
