// What a debugpy launch gets of the folder's environment, and that the user's own env and env
// file win, as ms-python.debugpy merges them (its resolvers/helper.ts: env over the env file,
// PATH and PYTHONPATH concatenated env file first, then env, then the host's own).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Mutation } from "../../../src/core/mutations";
import { debugEnvironment, envFileNames } from "../../../src/python/debugEnvironment";

const HOST = { PATH: "/usr/bin:/bin", HOME: "/home/u", PYTHONHOME: "/opt/py" };
const MUTATIONS: Mutation[] = [
  { op: "prepend", name: "PATH", value: "/w/.venv/bin:/nix/store/x-shell/bin", separator: ":" },
  { op: "prepend", name: "PYTHONPATH", value: "/nix/store/y-python/site-packages", separator: ":" },
  { op: "replace", name: "FROM_NIX", value: "nix-value" },
  { op: "replace", name: "VIRTUAL_ENV", value: "/w/.venv" },
  { op: "replace", name: "LD_LIBRARY_PATH", value: "/nix/store/z-lib/lib" },
  { op: "unset", name: "PYTHONHOME" },
  { op: "replace", name: "TEMPLATE", value: "${HOME}/x" },
];

describe("debugEnvironment", () => {
  test("the devShell's variables; PATH and PYTHONPATH as what goes in front (debugpy appends the host's)", () => {
    const d = debugEnvironment(MUTATIONS, HOST, {}, new Set());
    assert.deepEqual(d.env, {
      PATH: "/w/.venv/bin:/nix/store/x-shell/bin",
      PYTHONPATH: "/nix/store/y-python/site-packages",
      FROM_NIX: "nix-value",
      VIRTUAL_ENV: "/w/.venv",
      LD_LIBRARY_PATH: "/nix/store/z-lib/lib",
      PYTHONHOME: "",
    });
    assert.deepEqual(d.substituted, ["TEMPLATE"], "VS Code would substitute ${HOME}");
  });

  test("the launch's own env wins, and so does the env file, except for the concatenated PATH and PYTHONPATH", () => {
    const d = debugEnvironment(MUTATIONS, HOST, { FROM_NIX: "mine", PYTHONPATH: "/mine" }, new Set(["VIRTUAL_ENV", "PATH"]));
    assert.equal(d.env.FROM_NIX, undefined);
    assert.equal(d.env.PYTHONPATH, undefined);
    assert.equal(d.env.VIRTUAL_ENV, undefined);
    assert.equal(d.env.PATH, "/w/.venv/bin:/nix/store/x-shell/bin", "the env file's PATH still comes first in debugpy's merge");
    assert.deepEqual(d.userWins.sort(), ["FROM_NIX", "PYTHONPATH", "VIRTUAL_ENV"]);
  });

  test("a replaced PATH is given whole", () => {
    const d = debugEnvironment([{ op: "replace", name: "PATH", value: "/only" }], HOST, undefined, new Set());
    assert.equal(d.env.PATH, "/only");
  });
});

describe("envFileNames", () => {
  test("NAME=value lines as debugpy parses them, multi-line quoted values skipped", () => {
    const text = ['A=1', '  B = "two"', "# C=comment", 'D="multi', 'E=not a name, inside D', 'still D"', "F='x'", "export G=1", "_H=2", ""].join("\n");
    assert.deepEqual([...envFileNames(text)].sort(), ["A", "B", "D", "F", "_H"]);
  });
});
