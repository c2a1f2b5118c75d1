// PEP 508: requirement lines as METADATA's Requires-Dist writes them, and markers evaluated for
// one interpreter (version comparisons as PEP 440, others as strings, extras as normalised names).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { evaluateMarker, parseMarker, parseRequirement } from "../../../src/core/pep508";
import { LINUX_CPYTHON_311 as LINUX } from "../../helpers/markerEnvironment";

describe("parseRequirement", () => {
  test("name, extras, specifier and marker", () => {
    const r = parseRequirement('Torch_Vision[Scipy, extra_two] >=0.20,<0.21 ; python_version >= "3.9"');
    assert.equal(r?.name, "torch-vision");
    assert.deepEqual(r?.extras, ["scipy", "extra-two"]);
    assert.equal(r?.specifier, ">=0.20,<0.21");
    assert.deepEqual(r?.specifiers.map((s) => s.operator), [">=", "<"]);
    assert.equal(r?.marker, 'python_version >= "3.9"');
  });

  test("a bare name, and the parenthesised specifier of older metadata", () => {
    assert.deepEqual(parseRequirement("numpy")?.specifiers, []);
    assert.equal(parseRequirement("numpy (>=1.20)")?.specifier, ">=1.20");
    assert.equal(parseRequirement("numpy(>=1.20,!=1.21.*);extra=='x'")?.marker, "extra=='x'");
  });

  test("a URL requirement, with a marker after it", () => {
    const r = parseRequirement("pip @ https://example.invalid/pip-24.0.zip ; sys_platform == 'linux'");
    assert.equal(r?.url, "https://example.invalid/pip-24.0.zip");
    assert.equal(r?.marker, "sys_platform == 'linux'");
    assert.deepEqual(r?.specifiers, []);
  });

  for (const bad of ["", ">=1.0", "-foo", "foo[bar", "foo >=abc", "foo ; bogus_variable == '1'", "foo ; python_version >="]) {
    test(`${JSON.stringify(bad)} is not a requirement`, () => assert.equal(parseRequirement(bad), undefined));
  }
});

describe("evaluateMarker", () => {
  const cases: Array<[marker: string, expected: boolean]> = [
    ['python_version >= "3.9"', true],
    ['python_version < "3.10"', false],
    // a version comparison, not a string one: "3.11" > "3.9" though "3.11" < "3.9" as strings
    ["python_version > '3.9'", true],
    ["python_full_version >= '3.11.7'", true],
    ["python_full_version < '3.11.7'", false],
    ["python_full_version == '3.11.*'", true],
    ["python_version ~= '3.8'", true],
    ["sys_platform == 'linux'", true],
    ["sys_platform == 'win32'", false],
    ["sys_platform != 'darwin'", true],
    ["platform_machine == 'x86_64' and sys_platform == 'linux'", true],
    ["platform_machine == 'aarch64' or sys_platform == 'linux'", true],
    ["platform_machine == 'aarch64' or sys_platform == 'darwin' and python_version > '3'", false],
    ["(platform_machine == 'aarch64' or sys_platform == 'linux') and python_version > '3'", true],
    ["implementation_name == 'cpython'", true],
    ["platform_python_implementation != 'PyPy'", true],
    ["os_name == 'nt'", false],
    ["'linux' in sys_platform", true],
    ["'win' not in sys_platform", true],
    ["'Debian' in platform_version", true],
    // strings: membership and equality only; ordering never holds, <= and >= are equality
    ["platform_system > 'Darwin'", false],
    ["platform_system >= 'Linux'", true],
    ["platform_system <= 'Darwin'", false],
    ["platform_system ~= 'Linux'", false],
    // platform_release is a version variable, but "6.1.0-18-amd64" is no PEP 440 version
    ["platform_release >= '6'", false],
    ["platform_release == '6.1.0-18-amd64'", true],
    ["implementation_version >= '3.11'", true],
    // legacy spellings
    ["os.name == 'posix'", true],
    ["sys.platform == 'linux'", true],
    ["python_implementation == 'CPython'", true],
    // the variable on the right
    ["'3.9' <= python_version", true],
    // extra with no extra installed
    ["extra == 'test'", false],
    ["extra != 'test'", true],
  ];
  for (const [marker, expected] of cases) {
    test(`${marker} → ${expected}`, () => assert.equal(evaluateMarker(marker, LINUX), expected));
  }

  test("extra compares as a normalised name against each extra being installed", () => {
    assert.equal(evaluateMarker("extra == 'Big_Data'", LINUX, ["big-data"]), true);
    assert.equal(evaluateMarker('extra == "gpu"', LINUX, ["cpu", "gpu"]), true);
    assert.equal(evaluateMarker('extra == "gpu" and python_version >= "3.12"', LINUX, ["gpu"]), false);
    assert.equal(evaluateMarker("extra == 'docs'", LINUX, ["gpu"]), false);
  });

  test("no marker holds; an invalid one does not", () => {
    assert.equal(evaluateMarker(undefined, LINUX), true);
    assert.equal(evaluateMarker("python_version >=", LINUX), false);
    assert.equal(evaluateMarker("nonsense == 'x'", LINUX), false);
  });

  test("parseMarker: and binds tighter than or", () => {
    const tree = parseMarker("a_x == 'b' or sys_platform == 'linux'");
    assert.equal(tree, undefined, "unknown variables are refused");
    const t = parseMarker("os_name == 'a' or os_name == 'b' and os_name == 'c'");
    assert.equal(t?.kind, "or");
    assert.equal(t?.kind === "or" ? t.right.kind : "", "and");
  });

  test("markers as uv.lock writes them", () => {
    assert.equal(evaluateMarker("python_full_version < '3.12' and sys_platform == 'linux'", LINUX), true);
    assert.equal(evaluateMarker("(platform_machine != 'aarch64' and sys_platform == 'linux') or sys_platform == 'darwin'", LINUX), true);
    assert.equal(evaluateMarker("platform_python_implementation == 'PyPy'", LINUX), false);
  });
});
