// Wheels whose C extension needs a shared library the wheel does not bundle, built with the
// machine's gcc and python3 (its headers): what PyPI wheels that miss libz.so.1 or libstdc++.so.6
// on Nix look like. The library is built beside the wheel (its SONAME is its file name), so a
// test can also provide it: on the devShell's LD_LIBRARY_PATH, or only in the Nix store. The
// extension has no RPATH: it loads only where the loader's search finds the library.
//
// Two shapes serve the tests (one builder, so they cannot drift apart):
//   HYBNATIVE    `import hybnative; hybnative.answer()` → 42, the extension is the top-level module
//   NATIVEGREET  `import nativegreet; nativegreet.greet()` → a string; a package whose
//                nativegreet/_greet.cpython-*.so also links the system's libz.so.1
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./fixtures";
import { machinePython } from "./tools";
import { WRITE_WHEEL_PY } from "./wheel";

export interface NativeWheelSpec {
  /** Distribution and import name. */
  readonly name: string;
  readonly version?: string;
  /** "module": the extension is the module NAME itself; "package": NAME/_greet.<suffix>, re-exported by NAME/__init__.py. */
  readonly layout: "module" | "package";
  /** The Python function the module exports. */
  readonly method: string;
  /** What that function returns: computed by the library, so it proves the library was loaded. */
  readonly returns: number | string;
  /** SONAME (and file name) of the library the extension needs: "libhybridtest.so.1". */
  readonly library: string;
  /** Further sonames the extension links, found on the system (e.g. "libz.so.1"). */
  readonly alsoLinks?: readonly string[];
}

export const HYBNATIVE: NativeWheelSpec = { name: "hybnative", layout: "module", method: "answer", returns: 42, library: "libhybridtest.so.1" };
export const NATIVEGREET: NativeWheelSpec = {
  name: "nativegreet",
  layout: "package",
  method: "greet",
  returns: "hello from libhybridgreet",
  library: "libhybridgreet.so.1",
  alsoLinks: ["libz.so.1"],
};

/** The package layout's extension module name (its file is _greet<EXT_SUFFIX>). */
const PACKAGE_EXTENSION = "_greet";

export interface NativeWheel {
  readonly wheel: string;
  /** Folder holding the library, which the wheel needs and does not contain. */
  readonly libDir: string;
  /** The library's path (libDir/<library>). */
  readonly libraryPath: string;
}

export interface NativeWheelOptions {
  /** Where to build the library (default: a temp folder). */
  readonly libDir?: string;
  /** The interpreter whose headers and tags the wheel is built for (default: the machine's python3). */
  readonly python?: string;
}

const PY_FACTS = `import sysconfig, sys
print(sysconfig.get_paths()["include"])
print(sysconfig.get_config_var("EXT_SUFFIX"))
print("cp%d%d" % sys.version_info[:2])
print(sysconfig.get_platform().replace("-", "_").replace(".", "_"))`;

const PACK_WHEEL = `${WRITE_WHEEL_PY}
import json, sys
out_dir, name, version, tag, contents = sys.argv[1:6]
contents = json.loads(contents)
dist = f"{name}-{version}.dist-info"
files = {arc: open(src, "rb").read() for arc, src in contents["copy"].items()}
files.update({arc: text.encode() for arc, text in contents["text"].items()})
files[f"{dist}/METADATA"] = f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n".encode()
print(write_wheel(f"{out_dir}/{name}-{version}-{tag}.whl", dist, files, tag))
`;

const symbolOf = (spec: NativeWheelSpec) => `hybrid_${spec.name}_value`;

function librarySource(spec: NativeWheelSpec): string {
  return typeof spec.returns === "number"
    ? `int ${symbolOf(spec)}(void) { return ${spec.returns}; }\n`
    : `const char *${symbolOf(spec)}(void) { return ${JSON.stringify(spec.returns)}; }\n`;
}

function moduleSource(spec: NativeWheelSpec, moduleName: string): string {
  const numeric = typeof spec.returns === "number";
  return `#define PY_SSIZE_T_CLEAN
#include <Python.h>
extern ${numeric ? "int " : "const char *"}${symbolOf(spec)}(void);
static PyObject *call(PyObject *self, PyObject *args) { return ${numeric ? "PyLong_FromLong" : "PyUnicode_FromString"}(${symbolOf(spec)}()); }
static PyMethodDef methods[] = {{"${spec.method}", call, METH_NOARGS, "from ${spec.library}"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "${moduleName}", NULL, -1, methods};
PyMODINIT_FUNC PyInit_${moduleName}(void) { return PyModule_Create(&module); }
`;
}

/** Compiles the library, then the extension against it, then packs NAME-VERSION-cpXY-cpXY-<platform>.whl. */
export function buildNativeWheel(wheelDir: string, spec: NativeWheelSpec, options: NativeWheelOptions = {}): NativeWheel {
  const python = options.python ?? machinePython().executable;
  const work = tempDir("native-wheel");
  const [include, extSuffix, abi, platform] = execFileSync(python, ["-c", PY_FACTS], { encoding: "utf8" }).trim().split("\n") as [string, string, string, string];
  const libDir = options.libDir ?? join(work, "lib");
  mkdirSync(libDir, { recursive: true });
  const libraryPath = join(libDir, spec.library);
  writeFileSync(join(work, "lib.c"), librarySource(spec));
  execFileSync("gcc", ["-shared", "-fPIC", `-Wl,-soname,${spec.library}`, "-o", libraryPath, join(work, "lib.c")]);

  const moduleName = spec.layout === "module" ? spec.name : PACKAGE_EXTENSION;
  const ext = join(work, `${moduleName}${extSuffix}`);
  writeFileSync(join(work, "module.c"), moduleSource(spec, moduleName));
  // -l:NAME links the file itself by its SONAME, with no search path recorded and no -dev package
  // (libz.so symlink) needed; --no-as-needed keeps the extra sonames although nothing calls them.
  const also = (spec.alsoLinks ?? []).map((s) => `-l:${s}`);
  execFileSync("gcc", ["-shared", "-fPIC", `-I${include}`, "-o", ext, join(work, "module.c"), `-L${libDir}`, "-Wl,--no-as-needed", `-l:${spec.library}`, ...also]);

  // Archive name → a file to copy, or → text.
  const contents =
    spec.layout === "module"
      ? { copy: { [`${spec.name}${extSuffix}`]: ext }, text: {} }
      : { copy: { [`${spec.name}/${moduleName}${extSuffix}`]: ext }, text: { [`${spec.name}/__init__.py`]: `from .${moduleName} import ${spec.method}\n` } };
  mkdirSync(wheelDir, { recursive: true });
  const tag = `${abi}-${abi}-${platform}`;
  const wheel = execFileSync(python, ["-c", PACK_WHEEL, wheelDir, spec.name, spec.version ?? "1.0", tag, JSON.stringify(contents)], { encoding: "utf8" }).trim();
  return { wheel, libDir, libraryPath };
}
