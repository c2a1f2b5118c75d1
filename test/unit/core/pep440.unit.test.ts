// PEP 440: parsing and normal forms, the total order, and specifier matching with the spec's
// special cases (local labels, pre/post/dev releases, zero padding, wildcards, ~=).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  compareVersions,
  formatVersion,
  isPrerelease,
  parseSpecifier,
  parseSpecifierSet,
  parseVersion,
  satisfies,
  specifierAllowsPrereleases,
} from "../../../src/core/pep440";

const v = (text: string) => {
  const parsed = parseVersion(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
};

describe("parseVersion: normal forms", () => {
  for (const [input, normal] of [
    ["1.0", "1.0"],
    ["v1.0", "1.0"],
    ["  2.5.1  ", "2.5.1"],
    ["1!2.0", "1!2.0"],
    ["0!2.0", "2.0"],
    ["1.0a1", "1.0a1"],
    ["1.0-alpha.1", "1.0a1"],
    ["1.0.beta2", "1.0b2"],
    ["1.0c3", "1.0rc3"],
    ["1.0pre4", "1.0rc4"],
    ["1.0preview5", "1.0rc5"],
    ["1.0RC1", "1.0rc1"],
    ["1.0a", "1.0a0"],
    ["1.0-1", "1.0.post1"],
    ["1.0.post", "1.0.post0"],
    ["1.0-r2", "1.0.post2"],
    ["1.0rev3", "1.0.post3"],
    ["1.0_post_4", "1.0.post4"],
    ["1.0.dev", "1.0.dev0"],
    ["1.0-dev7", "1.0.dev7"],
    ["1.0a1.post2.dev3", "1.0a1.post2.dev3"],
    ["2.5.1+cu121", "2.5.1+cu121"],
    ["1.0+Ubuntu-1_2", "1.0+ubuntu.1.2"],
    ["01.002", "1.2"],
    ["2024.01.05", "2024.1.5"],
  ] as const) {
    test(`${JSON.stringify(input)} → ${normal}`, () => assert.equal(formatVersion(v(input)), normal));
  }

  for (const bad of ["", "abc", "1.0-", "1.0+", "1.0+a_", "unstable-2024-01-01", "1..0", "1.0 beta", "1.0+local+more", "1.0.*"]) {
    test(`${JSON.stringify(bad)} is not a version`, () => assert.equal(parseVersion(bad), undefined));
  }

  test("pre-releases: a, b, rc and dev releases are; post releases are not", () => {
    assert.equal(isPrerelease(v("1.0a1")), true);
    assert.equal(isPrerelease(v("1.0.dev1")), true);
    assert.equal(isPrerelease(v("1.0.post1.dev1")), true);
    assert.equal(isPrerelease(v("1.0.post1")), false);
    assert.equal(isPrerelease(v("1.0+local")), false);
  });
});

describe("compareVersions: the spec's total order", () => {
  // Each strictly before the next.
  const ascending = [
    "0.9",
    "1.0.dev0",
    "1.0.dev1",
    "1.0a1.dev1",
    "1.0a1",
    "1.0a1.post1.dev1",
    "1.0a1.post1",
    "1.0a2",
    "1.0b1",
    "1.0rc1",
    "1.0",
    "1.0+abc",
    "1.0+abc.5",
    "1.0+5",
    "1.0+5.abc",
    "1.0.post1.dev1",
    "1.0.post1",
    "1.0.post2",
    "1.0.1",
    "1.1.dev1",
    "1.2",
    "1.10",
    "2.0",
    "10.0",
    "1!0.1",
  ];
  for (let i = 0; i + 1 < ascending.length; i++) {
    const [a, b] = [ascending[i]!, ascending[i + 1]!];
    test(`${a} < ${b}`, () => {
      assert.ok(compareVersions(v(a), v(b)) < 0);
      assert.ok(compareVersions(v(b), v(a)) > 0);
    });
  }

  test("trailing zeros do not count: 1.0 == 1.0.0 == 1", () => {
    assert.equal(compareVersions(v("1.0"), v("1.0.0")), 0);
    assert.equal(compareVersions(v("1"), v("1.0.0.0")), 0);
    assert.notEqual(compareVersions(v("1.0.1"), v("1.0")), 0);
  });

  test("spellings of one version are equal: 1.0-alpha1 == 1.0a1", () => {
    assert.equal(compareVersions(v("1.0-alpha1"), v("1.0a1")), 0);
    assert.equal(compareVersions(v("1.0-1"), v("1.0.post1")), 0);
  });

  test("the order is the same as sorting", () => {
    const shuffled = [...ascending].reverse();
    shuffled.sort((a, b) => compareVersions(v(a), v(b)));
    assert.deepEqual(shuffled, ascending);
  });
});

describe("parseSpecifier", () => {
  for (const ok of ["==1.0", "== 1.0", "!=1.0.*", "~=2.2", "~=1.4.5a4", ">=1.0", "<2", "<=1.0.post1", ">1.0.dev1", "===foobar", "==1.0+local", "==1!2.*"]) {
    test(`${ok} is a specifier`, () => assert.ok(parseSpecifier(ok)));
  }
  for (const bad of ["1.0", "~=1", ">=1.0.*", "<2+local", "~=1.0+x", "==1.0a1.*", "=>1.0", "==", ">=abc", "==1.0.*.*"]) {
    test(`${bad} is not a specifier`, () => assert.equal(parseSpecifier(bad), undefined));
  }

  test("sets: comma-separated clauses; empty is everything; one bad clause spoils it", () => {
    assert.deepEqual(parseSpecifierSet(""), []);
    assert.deepEqual(parseSpecifierSet(">=1.2, <2")?.map((s) => s.operator), [">=", "<"]);
    assert.equal(parseSpecifierSet(">=1.2,bogus"), undefined);
  });
});

describe("satisfies", () => {
  const cases: Array<[version: string, specifier: string, expected: boolean]> = [
    // ==, with local labels and zero padding
    ["2.5.1", "==2.5.1", true],
    ["2.5.1.0", "==2.5.1", true],
    ["2.5.1+cu121", "==2.5.1", true],
    ["2.5.1", "==2.5.1+cu121", false],
    ["2.5.1+cu121", "==2.5.1+cu121", true],
    ["2.5.1+cu118", "==2.5.1+cu121", false],
    ["2.5.2", "==2.5.1", false],
    // wildcards
    ["1.0.post1", "==1.0.*", true],
    ["1.0a1", "==1.0.*", true],
    ["1", "==1.0.*", true],
    ["1.0", "==1.0.0.*", true],
    ["1.1", "==1.0.*", false],
    ["1.0+local", "==1.0.*", true],
    ["1!1.0", "==1.0.*", false],
    ["1.0.5", "!=1.0.*", false],
    ["1.1", "!=1.0.*", true],
    // ~=
    ["2.2", "~=2.2", true],
    ["2.9", "~=2.2", true],
    ["3.0", "~=2.2", false],
    ["2.1", "~=2.2", false],
    ["1.4.5", "~=1.4.5", true],
    ["1.4.9", "~=1.4.5", true],
    ["1.5.0", "~=1.4.5", false],
    ["1.4.5", "~=1.4.5a4", true],
    ["1.4.5a5", "~=1.4.5a4", true],
    ["1.4.6+local", "~=1.4.5", true],
    // ordered comparisons ignore the local label
    ["2.0+local", "<=2.0", true],
    ["2.0+local", ">=2.0", true],
    ["1.9", ">=2.0", false],
    // < excludes the bound's pre-releases unless the bound is one
    ["2.0rc1", "<2.0", false],
    ["2.0.dev1", "<2.0", false],
    ["1.9", "<2.0", true],
    ["2.0a1", "<2.0rc1", true],
    ["1.9.post1", "<2.0", true],
    // < a post-release: its own dev releases are out, the pre-releases of its base are in
    ["1.0.post1.dev1", "<1.0.post1", false],
    ["1.0rc1", "<1.0.post1", true],
    ["1.0.post0+x", "<1.0.post1", true],
    ["1.0a2.dev1", "<1.0a2", true],
    // > excludes the bound's local versions, and its post-releases unless the bound is a dev or post release
    ["2.0.post1", ">2.0", false],
    ["2.0+local", ">2.0", false],
    ["2.0.1", ">2.0", true],
    ["2.0.post2", ">2.0.post1", true],
    ["2.0", ">2.0.dev1", true],
    ["1.0.post1", ">1.0.dev0", true],
    ["1.0+local", ">1.0.dev0", true],
    ["1.0.dev0+local", ">1.0.dev0", false],
    ["1.0.post1+local", ">1.0.post1", false],
    ["1.0a1.post1", ">1.0a1", false],
    ["1.0a1+local", ">1.0a1", false],
    ["1.0.post1", ">1.0a1", true],
    ["1.0a1.post1", ">1.0a1.dev1", true],
    // ===
    ["foobar", "===foobar", true],
    ["1.0", "===1.0", true],
    ["1.0.0", "===1.0", false],
    // epochs
    ["1!1.0", ">=2.0", true],
    ["1.0", "<1!0.1", true],
    // sets: every clause must hold
    ["2.5.1", ">=2.5,<2.6", true],
    ["2.6.0", ">=2.5,<2.6", false],
    ["1.26.4", ">=1.20,!=1.26.*", false],
    // no specifier: anything
    ["0.0.1", "", true],
    // not PEP 440: only === can match
    ["unstable-2024-01-01", ">=0", false],
    ["unstable-2024-01-01", "", true],
    ["unstable-2024-01-01", "===unstable-2024-01-01", true],
  ];
  for (const [version, spec, expected] of cases) {
    test(`${version} ${expected ? "satisfies" : "does not satisfy"} "${spec}"`, () => {
      assert.equal(satisfies(version, parseSpecifierSet(spec)!, { prereleases: true }), expected);
    });
  }

  test("pre-releases: excluded by default unless a clause names one; admitted with prereleases: true", () => {
    assert.equal(satisfies("2.0rc1", parseSpecifierSet(">=1.0")!), false);
    assert.equal(satisfies("2.0rc1", parseSpecifierSet(">=1.0")!, { prereleases: true }), true);
    assert.equal(satisfies("2.0rc1", parseSpecifierSet(">=2.0rc1")!), true);
    assert.equal(satisfies("1.0", parseSpecifierSet(">=1.0")!), true);
    assert.equal(specifierAllowsPrereleases(parseSpecifier("==1.0a1")!), true);
    assert.equal(specifierAllowsPrereleases(parseSpecifier("<1.0a1")!), false);
    assert.equal(specifierAllowsPrereleases(parseSpecifier("==1.0.*")!), false);
  });
});
