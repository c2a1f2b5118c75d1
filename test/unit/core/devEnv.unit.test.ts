// parseDevEnv / exportedVariables / shellHookOf on recorded and hand-written `nix print-dev-env --json`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DevEnvParseError, exportedVariables, parseDevEnv, shellHookOf } from "../../../src/core/devEnv";
import { REPO_ROOT } from "../repo";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "print-dev-env");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

describe("Nix 2.8 recording with functions, an array and an associative array", () => {
  const env = parseDevEnv(fixture("nix-2.8-stdenv-functions.json"));

  test("every variable of the recording is kept with its type", () => {
    assert.equal(env.variables.size, 35);
    assert.deepEqual(env.variables.get("myArr"), { type: "array", value: ["a", "b c"] });
    assert.deepEqual(env.variables.get("myAssoc"), { type: "associative", value: { k: "v" } });
    assert.deepEqual(env.variables.get("FROM_SETUP"), { type: "exported", value: "1" });
    assert.deepEqual(env.variables.get("IFS"), { type: "var", value: " \t\n" });
  });

  test("bash functions keep their body verbatim", () => {
    assert.deepEqual(env.bashFunctions, { myFunc: ' \n    echo "hi $1"\n' });
  });

  test("no shellHook and no structuredAttrs", () => {
    assert.equal(shellHookOf(env), "");
    assert.equal(env.structuredAttrs, undefined);
  });

  test("exportedVariables: builder-only variables dropped, exported ones kept in name order", () => {
    const exported = exportedVariables(env);
    assert.deepEqual(
      [...exported],
      [
        ["FROM_SETUP", "1"],
        ["IN_NIX_SHELL", "impure"],
        ["NIX_BUILD_CORES", "2"],
        ["NIX_STORE", "/nix/store"],
        ["PATH", "/path-not-set"],
        ["builder", "/bin/bash"],
        ["dontAddDisableDepTrack", "1"],
        ["name", "s"],
        ["out", "/nix/store/c5880djva6ixfk4wqcg41b2a8gvnk5g4-s-env"],
        ["outputs", "out"],
        ["stdenv", "/nix/store/d8ifwsrdw2iraq4z4cqvi6ff0rsxmsax-st"],
        ["system", "x86_64-linux"],
      ],
    );
  });
});

describe("Nix 2.8 recording with a shellHook", () => {
  const env = parseDevEnv(fixture("nix-2.8-shellhook.json"));

  test("shellHookOf returns the hook source", () => {
    assert.equal(
      shellHookOf(env),
      "export NIX_PYTHON_SITE_PACKAGES=/nix/store/yrk2l66l8hcxp23zhnl212gyafy7fi3l-nixpy/lib/python3.11/site-packages\n" +
        "export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES${PYTHONPATH:+:$PYTHONPATH}\n",
    );
    assert.deepEqual(env.bashFunctions, {});
  });

  test("exportedVariables drops shellHook, HOME, TMPDIR, TERM, NIX_BUILD_TOP, OLDPWD, NIX_LOG_FD", () => {
    const exported = exportedVariables(env);
    for (const dropped of ["shellHook", "HOME", "TMPDIR", "TMP", "TEMP", "TEMPDIR", "TERM", "NIX_BUILD_TOP", "OLDPWD", "NIX_LOG_FD"]) {
      assert.equal(exported.has(dropped), false, dropped);
    }
    assert.equal(exported.get("MY_VAR"), "hello");
    assert.equal(exported.get("PATH"), "/nix/store/yrk2l66l8hcxp23zhnl212gyafy7fi3l-nixpy/bin");
    assert.deepEqual([...exported.keys()], [
      "IN_NIX_SHELL", "MY_VAR", "NIX_BUILD_CORES", "NIX_STORE", "PATH",
      "builder", "dontAddDisableDepTrack", "name", "out", "outputs", "system",
    ]);
  });

  test("var-typed variables (BASH, SHELL, IFS) are not exported", () => {
    const exported = exportedVariables(env);
    for (const v of ["BASH", "SHELL", "IFS", "OSTYPE", "PS4"]) assert.equal(exported.has(v), false, v);
  });
});

describe("Nix ≥ 2.19 shape with structuredAttrs", () => {
  const text = JSON.stringify({
    bashFunctions: { greet: "echo hi\n", bad: 42 },
    structuredAttrs: { ".attrs.json": "{\"a\":1}", ".attrs.sh": "declare a=1" },
    variables: {
      ZED: { type: "exported", value: "z" },
      ALPHA: { type: "exported", value: "a" },
      PYTHONHASHSEED: { type: "exported", value: "0" },
      SSL_CERT_FILE: { type: "exported", value: "/no-cert-file.crt" },
      local: { type: "var", value: "only in the builder" },
      list: { type: "array", value: ["x", "", "y z"] },
      map: { type: "associative", value: { "a b": "1", c: "" } },
      future: { type: "nameref", value: "x" },
      badArray: { type: "array", value: ["x", 1] },
      badExported: { type: "exported", value: 7 },
      notAnObject: "plain",
    },
  });
  const env = parseDevEnv(text);

  test("structuredAttrs is passed through", () => {
    assert.deepEqual(env.structuredAttrs, { ".attrs.json": "{\"a\":1}", ".attrs.sh": "declare a=1" });
  });

  test("all four variable types parse", () => {
    assert.deepEqual(env.variables.get("ALPHA"), { type: "exported", value: "a" });
    assert.deepEqual(env.variables.get("local"), { type: "var", value: "only in the builder" });
    assert.deepEqual(env.variables.get("list"), { type: "array", value: ["x", "", "y z"] });
    assert.deepEqual(env.variables.get("map"), { type: "associative", value: { "a b": "1", c: "" } });
  });

  test("unknown types and ill-typed values are skipped, not fatal", () => {
    for (const skipped of ["future", "badArray", "badExported", "notAnObject"]) assert.equal(env.variables.has(skipped), false, skipped);
    assert.equal(env.variables.size, 7);
  });

  test("non-string function bodies are dropped", () => {
    assert.deepEqual(env.bashFunctions, { greet: "echo hi\n" });
  });

  test("exported: sorted, PYTHONHASHSEED/SSL_CERT_FILE dropped, var not exported", () => {
    assert.deepEqual([...exportedVariables(env)], [["ALPHA", "a"], ["ZED", "z"]]);
  });

  test("a var-typed shellHook is still the hook", () => {
    const e = parseDevEnv(JSON.stringify({ variables: { shellHook: { type: "var", value: "echo x" } } }));
    assert.equal(shellHookOf(e), "echo x");
    assert.deepEqual(e.bashFunctions, {});
  });
});

describe("malformed output", () => {
  test("invalid JSON throws DevEnvParseError", () => {
    assert.throws(() => parseDevEnv("{\"variables\": {"), (e: unknown) => {
      assert.ok(e instanceof DevEnvParseError);
      assert.match(e.message, /^nix print-dev-env printed invalid JSON: /);
      return true;
    });
  });

  test("empty output throws DevEnvParseError", () => {
    assert.throws(() => parseDevEnv(""), DevEnvParseError);
  });

  for (const [label, text] of [
    ["missing variables", "{\"bashFunctions\": {}}"],
    ["variables is an array", "{\"variables\": []}"],
    ["variables is null", "{\"variables\": null}"],
    ["top level is an array", "[]"],
    ["top level is a string", "\"x\""],
  ] as const) {
    test(`${label} throws DevEnvParseError`, () => {
      assert.throws(() => parseDevEnv(text), { name: "DevEnvParseError", message: /^nix print-dev-env printed JSON with no "variables" object\. Run `nix print-dev-env --json`/ });
      assert.throws(() => parseDevEnv(text), DevEnvParseError);
    });
  }
});
