// PEP 503 names and the requirement syntax accepted for `uv add`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isValidRequirement, normalizeName } from "../../../src/core/packageName";

describe("normalizeName", () => {
  for (const [input, expected] of [
    ["requests", "requests"],
    ["Foo_Bar", "foo-bar"],
    ["foo-bar", "foo-bar"],
    ["Foo.Bar", "foo-bar"],
    ["foo__-._bar", "foo-bar"],
    ["Django", "django"],
    ["zope.interface", "zope-interface"],
    ["a-_-b.c", "a-b-c"],
  ] as const) {
    test(`${input} → ${expected}`, () => assert.equal(normalizeName(input), expected));
  }

  test("Foo_Bar and foo-bar normalise to the same name", () => {
    assert.equal(normalizeName("Foo_Bar"), normalizeName("foo-bar"));
    assert.notEqual(normalizeName("foobar"), normalizeName("foo-bar"));
  });
});

describe("isValidRequirement", () => {
  for (const ok of [
    "requests",
    "requests==2.31.0",
    "numpy>=1.26,<2",
    "numpy >= 1.26, < 2",
    "uvicorn[standard]",
    "uvicorn[standard,dev]>=0.29",
    "zope.interface~=6.0",
    "torch!=2.0.0",
    "x===1.0",
    "django==5.*",
    "a",
    "A1",
  ]) {
    test(`accepts ${JSON.stringify(ok)}`, () => assert.equal(isValidRequirement(ok), true));
  }

  for (const bad of [
    "torch]; x = 1",
    "",
    " ",
    "a b",
    '"x"',
    "--index-url=evil",
    "-e .",
    "../x",
    "./pkg",
    "/abs/path",
    "pkg @ https://evil.example/pkg.whl",
    "pkg; os_name == 'nt'",
    "pkg\nother",
    "-pkg",
    "pkg-",
    "pkg[]",
    "pkg[extra",
    "pkg==",
    "$(rm -rf ~)",
    "pkg==1.0 && echo",
  ]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.equal(isValidRequirement(bad), false));
  }
});
