// Builds a real, installable wheel (a zip with a dist-info) with the machine's python3, so uv can
// install "PyPI" packages offline from a find-links folder.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

/**
 * Python source of `write_wheel(path, dist, files, tag, stored=False)`: zips `files` (archive name
 * to bytes) with the dist-info's WHEEL and RECORD added, as installers check them. Each wheel
 * builder in the tests and benchmarks starts with it.
 */
export const WRITE_WHEEL_PY = `
import base64, hashlib, zipfile
def write_wheel(path, dist, files, tag, stored=False):
  purelib = "true" if tag.endswith("-none-any") else "false"
  files = dict(files)
  files[f"{dist}/WHEEL"] = f"Wheel-Version: 1.0\\nGenerator: hybrid-env-tests\\nRoot-Is-Purelib: {purelib}\\nTag: {tag}\\n".encode()
  record = []
  with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
    for arc, data in files.items():
      z.writestr(arc, data)
      digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
      record.append(f"{arc},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    z.writestr(f"{dist}/RECORD", "\\n".join(record) + "\\n")
  return path
`;

const MAKE_WHEEL = `${WRITE_WHEEL_PY}
import sys
out_dir, name, version, source = sys.argv[1:5]
requires = "".join(f"Requires-Dist: {r}\\n" for r in sys.argv[5:])
mod = name.replace('-', '_')
dist = f"{mod}-{version}.dist-info"
files = {
  f"{mod}/__init__.py": f"VERSION = {version!r}\\nSOURCE = {source!r}\\n".encode(),
  f"{dist}/METADATA": (f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n" + requires).encode(),
}
print(write_wheel(f"{out_dir}/{mod}-{version}-py3-none-any.whl", dist, files, "py3-none-any"))
`;

/** Writes NAME-VERSION-py3-none-any.whl whose module has VERSION and SOURCE constants (and the given Requires-Dist lines). */
export function makeWheel(outDir: string, name: string, version: string, source = "uv", requires: readonly string[] = []): string {
  mkdirSync(outDir, { recursive: true });
  return execFileSync("python3", ["-c", MAKE_WHEEL, outDir, name, version, source, ...requires], { encoding: "utf8" }).trim();
}
