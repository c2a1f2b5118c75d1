// The PEP 440 and PEP 508 module against the reference: the `packaging` library (pinned, from
// PyPI through uv), on every pairing of a list of versions with a list of specifiers and markers.
// The unit tests hold the cases worked out from the spec; this proves the module agrees with what
// pip and uv's users get, case for case, including the ones nobody thought of writing down.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { compareVersions, formatVersion, parseSpecifierSet, parseVersion, satisfies } from "../../src/core/pep440";
import { evaluateMarker } from "../../src/core/pep508";
import { LINUX_CPYTHON_311 as ENV } from "../helpers/markerEnvironment";
import { testEnv } from "../helpers/tools";

const PACKAGING = "packaging==26.4";

const VERSIONS = [
  "0", "0.9", "1", "1.0", "1.0.0", "1.0.1", "1.1", "1.10", "2.0", "2.5.1", "10.0", "1!1.0", "1!0.1",
  "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0c2", "1.0.dev0", "1.0.dev3", "1.0a1.dev1", "1.0a1.post1",
  "1.0.post1", "1.0.post2", "1.0-3", "1.0.post1.dev1", "1.0+local", "1.0+5", "1.0+abc.5", "1.0.post1+x",
  "2.5.1+cu121", "2.5.1+cu118", "2.5.0rc1", "2.6.0.dev20240101", "2024.1.5", "1.4.5", "1.4.5a4", "1.4.9",
  "1.5.0", "3.11.7", "3.12.0", "0.4.30", "V1.0", "1.0-alpha-1", "1.0_RC_2", "1.0a1+local", "1.0.post1.dev1+x",
  "0!1.0", "1.0.0.0.1", "1.0b2.post3.dev4", "1.0.dev0+local", "1.0a2.dev1", "2.0.0.0", "not-a-version", "1.0.",
];

const SPECIFIERS = [
  "", "==1.0", "==1.0.0", "==1.0+local", "==1.0.*", "==1.*", "==1!1.*", "!=1.0", "!=1.0.*", "~=1.0", "~=1.4.5",
  "~=1.4.5a4", "~=2.2.0", ">=1.0", ">=1.0a1", ">1.0", ">1.0.post1", ">1.0.dev0", "<1.0", "<1.0rc1", "<=1.0",
  "<=1.0.post1", ">=2.5,<2.6", ">=1.0,!=1.0.1,<2", "===1.0", "===1.0+local", ">=1!0", "<2.5.1+cu121",
  ">=2.5.1,<2.5.2", "==2.5.1", "==2.5.1+cu121", ">=0.4,<0.5", "~=3.11", "<1.0.post1", ">1.0a1", ">1.0.post1", "<1.0a2",
  "<1.0.post1.dev2", ">1.0a1.dev1", "==1.0.0.0.*", "!=1.0+local", "~=1.0.post1", "~=0!1.0", ">= 1.0 , < 2.0", "==1.0a1.*", ">=1.0.*",
];

const MARKERS = [
  "python_version >= '3.9'", "python_version < '3.11'", "python_version > '3.9'", "python_full_version == '3.11.*'",
  "python_full_version < '3.11.7'", "python_version ~= '3.10'", "python_version === '3.11'", "sys_platform == 'linux'",
  "sys_platform != 'linux'", "'linux' in sys_platform", "'lin' not in sys_platform", "platform_machine == 'x86_64' and sys_platform == 'linux'",
  "platform_machine == 'aarch64' or os_name == 'posix'", "(os_name == 'nt' or os_name == 'posix') and python_version >= '3'",
  "os_name == 'nt' or os_name == 'posix' and python_version < '3'", "platform_system > 'Darwin'", "platform_system >= 'Linux'",
  "platform_release >= '6'", "platform_release == '6.1.0-18-amd64'", "implementation_name == 'cpython'", "implementation_version >= '3.11'",
  "platform_python_implementation != 'PyPy'", "'3.9' <= python_version", "extra == 'test'", "extra != 'test'", "os.name == 'posix'",
  "python_implementation == 'CPython'", "python_version in '3.10 3.11'", "python_version not in '3.10'",
];

/** What packaging answers, from a Python that has it (uv installs it into a throwaway environment). */
function reference(): { normal: Record<string, string | null>; order: Record<string, number>; contains: Record<string, boolean | null>; markers: Record<string, boolean | null> } {
  const script = `
import json, sys
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet, InvalidSpecifier
from packaging.markers import Marker
versions, specs, markers, env = json.loads(sys.stdin.read())
def norm(v):
    try: return str(Version(v))
    except InvalidVersion: return None
out = {"normal": {v: norm(v) for v in versions}, "order": {}, "contains": {}, "markers": {}}
valid = [v for v in versions if norm(v) is not None]
for a in valid:
    for b in valid:
        x, y = Version(a), Version(b)
        out["order"][a + " " + b] = -1 if x < y else (1 if x > y else 0)
for v in versions:
    for s in specs:
        try: out["contains"][v + " " + s] = SpecifierSet(s).contains(v, prereleases=True)
        except InvalidSpecifier: out["contains"][v + " " + s] = None
for m in markers:
    try: out["markers"][m] = Marker(m).evaluate(env)
    except Exception: out["markers"][m] = None
print(json.dumps(out))
`;
  const stdout = execFileSync("uv", ["run", "--no-project", "--with", PACKAGING, "python", "-c", script], {
    input: JSON.stringify([VERSIONS, SPECIFIERS, MARKERS, ENV]),
    env: testEnv({ UV_PYTHON_DOWNLOADS: "never" }),
    encoding: "utf8",
    timeout: 180_000,
  });
  return JSON.parse(stdout);
}

describe(`pep440 and pep508 agree with ${PACKAGING}`, () => {
  const ref = reference();

  test("normal forms, and which texts are versions at all", () => {
    const ours = Object.fromEntries(VERSIONS.map((v) => [v, parseVersion(v) ? formatVersion(parseVersion(v)!) : null]));
    assert.deepEqual(ours, ref.normal);
  });

  test(`ordering of every pair (${Object.keys(ref.order).length} pairs)`, () => {
    const differ = Object.entries(ref.order).filter(([pair, expected]) => {
      const [a, b] = pair.split(" ") as [string, string];
      return Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!)) !== expected;
    });
    assert.deepEqual(differ, []);
  });

  test(`every version against every specifier set (${Object.keys(ref.contains).length} cases, pre-releases admitted)`, () => {
    const differ = Object.entries(ref.contains).filter(([key, expected]) => {
      const at = key.indexOf(" ");
      const [version, spec] = [key.slice(0, at), key.slice(at + 1)];
      const set = parseSpecifierSet(spec);
      const ours = set === undefined ? null : satisfies(version, set, { prereleases: true });
      return ours !== expected;
    });
    assert.deepEqual(differ, []);
  });

  test(`markers (${MARKERS.length}) for one interpreter; an error there is false here`, () => {
    const differ = MARKERS.filter((m) => evaluateMarker(m, ENV) !== (ref.markers[m] ?? false)).map((m) => [m, ref.markers[m]]);
    assert.deepEqual(differ, []);
  });
});
