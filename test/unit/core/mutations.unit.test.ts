// resolve / normalize / diff / devShellMutations.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { devShellMutations, diff, normalize, resolve, type Mutation } from "../../../src/core/mutations";

const pre = (name: string, value: string): Mutation => ({ name, op: "prepend", value, separator: ":" });
const app = (name: string, value: string): Mutation => ({ name, op: "append", value, separator: ":" });
const rep = (name: string, value: string): Mutation => ({ name, op: "replace", value });
const unset = (name: string): Mutation => ({ name, op: "unset" });

describe("resolve", () => {
  test("replace, prepend, append, unset on a base env", () => {
    const base = { PATH: "/usr/bin", MANPATH: "/m", A: "old", GONE: "x", KEEP: "k" };
    const out = resolve(base, [rep("A", "new"), pre("PATH", "/nix/bin"), app("MANPATH", "/n"), unset("GONE")]);
    assert.deepEqual(out, { PATH: "/nix/bin:/usr/bin", MANPATH: "/m:/n", A: "new", KEEP: "k" });
  });

  test("prepend/append onto an absent or empty variable leaves no stray separator", () => {
    assert.deepEqual(resolve({}, [pre("P", "/a"), app("Q", "/b")]), { P: "/a", Q: "/b" });
    assert.deepEqual(resolve({ P: "", Q: "" }, [pre("P", "/a"), app("Q", "/b")]), { P: "/a", Q: "/b" });
  });

  test("mutations apply in order", () => {
    assert.deepEqual(resolve({ P: "/u" }, [pre("P", "/a"), pre("P", "/b"), app("P", "/z")]), { P: "/b:/a:/u:/z" });
    assert.deepEqual(resolve({ P: "/u" }, [unset("P"), pre("P", "/a")]), { P: "/a" });
    assert.deepEqual(resolve({ P: "/u" }, [pre("P", "/a"), rep("P", "/r")]), { P: "/r" });
  });

  test("undefined values in the base are dropped, the base is not modified", () => {
    const base = { A: "1", B: undefined };
    const out = resolve(base, [unset("A")]);
    assert.deepEqual(out, {});
    assert.deepEqual(base, { A: "1", B: undefined });
  });

  test("a custom separator is used", () => {
    const m: Mutation = { name: "X", op: "prepend", value: "a", separator: ";" };
    assert.deepEqual(resolve({ X: "b" }, [m]), { X: "a;b" });
  });
});

describe("normalize", () => {
  test("consecutive prepends fold into one, newest first", () => {
    assert.deepEqual(normalize([pre("P", "/a"), pre("P", "/b")]), [pre("P", "/b:/a")]);
  });

  test("consecutive appends fold into one, oldest first", () => {
    assert.deepEqual(normalize([app("P", "/a"), app("P", "/b")]), [app("P", "/a:/b")]);
  });

  test("replace then prepend/append becomes one replace", () => {
    assert.deepEqual(normalize([rep("P", "/r"), pre("P", "/a")]), [rep("P", "/a:/r")]);
    assert.deepEqual(normalize([rep("P", "/r"), app("P", "/z")]), [rep("P", "/r:/z")]);
    assert.deepEqual(normalize([rep("P", ""), pre("P", "/a")]), [rep("P", "/a")]);
  });

  test("unset then prepend becomes a replace", () => {
    assert.deepEqual(normalize([unset("P"), pre("P", "/a")]), [rep("P", "/a")]);
  });

  test("a later replace or unset wins and moves to the end", () => {
    assert.deepEqual(normalize([rep("A", "1"), rep("B", "x"), pre("A", "/p"), rep("A", "2")]), [rep("B", "x"), rep("A", "2")]);
    assert.deepEqual(normalize([pre("A", "/p"), rep("B", "x"), unset("A")]), [rep("B", "x"), unset("A")]);
  });

  test("each variable appears once and resolve gives the same result", () => {
    const list = [pre("PATH", "/a"), rep("X", "1"), pre("PATH", "/b"), rep("Y", "y"), unset("Z"), app("M", "/m"), app("M", "/n")];
    const norm = normalize(list);
    assert.deepEqual(norm.map((m) => m.name), ["PATH", "X", "Y", "Z", "M"]);
    const base = { PATH: "/usr/bin", Z: "z", M: "/base" };
    assert.deepEqual(resolve(base, norm), resolve(base, list));
  });

  test("different separators are not folded together", () => {
    const semi: Mutation = { name: "P", op: "prepend", value: "/b", separator: ";" };
    // Both stay: neither can absorb the other, and dropping one would lose a path.
    assert.deepEqual(normalize([pre("P", "/a"), semi]), [pre("P", "/a"), semi]);
  });

  // A devShell PATH prepend plus a shellHook doing `export PATH=$PATH:/extra` (diff → append).
  test("prepend then append keeps both effects", () => {
    const list = [...devShellMutations(new Map([["PATH", "/nix/bin"]])), app("PATH", "/extra")];
    assert.deepEqual(resolve({ PATH: "/usr/bin" }, normalize(list)), { PATH: "/nix/bin:/usr/bin:/extra" });
  });
});

describe("diff", () => {
  test("detects prepend, append, replace, unset and leaves equal values out", () => {
    const before = { PATH: "/usr/bin:/bin", MAN: "/m", A: "1", B: "2", GONE: "g", SAME: "s" };
    const after = { PATH: "/x:/y:/usr/bin:/bin", MAN: "/m:/n", A: "one", B: "2", NEW: "n", SAME: "s" };
    assert.deepEqual(diff(before, after), [
      pre("PATH", "/x:/y"),
      app("MAN", "/n"),
      rep("A", "one"),
      rep("NEW", "n"),
      unset("GONE"),
    ]);
  });

  test("only a whole-entry prefix/suffix counts: /usr/bin2 is not a prepend onto bin2", () => {
    assert.deepEqual(diff({ P: "bin2" }, { P: "/usr/bin2" }), [rep("P", "/usr/bin2")]);
    assert.deepEqual(diff({ P: "/a" }, { P: "/ab" }), [rep("P", "/ab")]);
  });

  test("a variable that was empty before is a replace", () => {
    assert.deepEqual(diff({ P: "" }, { P: ":x" }), [rep("P", ":x")]);
  });

  test("the ignore set hides changes, additions and removals", () => {
    const ignore = new Set(["SHLVL", "_", "OLD"]);
    assert.deepEqual(diff({ SHLVL: "1", OLD: "o", K: "k" }, { SHLVL: "2", _: "/bin/env", K: "k2" }, ignore), [rep("K", "k2")]);
  });

  test("undefined entries count as absent", () => {
    assert.deepEqual(diff({ A: undefined }, { A: undefined, B: undefined }), []);
    assert.deepEqual(diff({ A: "1" }, { A: undefined }), [unset("A")]);
  });

  test("resolve(before, diff(before, after)) == after", () => {
    const before = { PATH: "/usr/bin", A: "1", B: "b" };
    const after = { PATH: "/n:/usr/bin:/z", A: "2", C: "c" };
    assert.deepEqual(resolve(before, diff(before, after)), after);
  });
});

describe("devShellMutations", () => {
  test("PATH and XDG_DATA_DIRS prepend, UV_PYTHON dropped, others replace, order kept", () => {
    const exported = new Map([
      ["FOO", "bar"],
      ["PATH", "/nix/store/a/bin"],
      ["UV_PYTHON", "/nix/store/py/bin/python"],
      ["XDG_DATA_DIRS", "/nix/store/a/share"],
      ["PYTHONPATH", "/nix/store/p/site"],
    ]);
    assert.deepEqual(devShellMutations(exported), [
      rep("FOO", "bar"),
      pre("PATH", "/nix/store/a/bin"),
      pre("XDG_DATA_DIRS", "/nix/store/a/share"),
      rep("PYTHONPATH", "/nix/store/p/site"),
    ]);
  });

  test("applied to a user env: user's PATH stays behind", () => {
    const m = devShellMutations(new Map([["PATH", "/nix/bin"], ["UV_PYTHON", "x"]]));
    assert.deepEqual(resolve({ PATH: "/usr/bin", UV_PYTHON: "mine" }, m), { PATH: "/nix/bin:/usr/bin", UV_PYTHON: "mine" });
  });

  test("empty map gives no mutations", () => {
    assert.deepEqual(devShellMutations(new Map()), []);
  });
});
