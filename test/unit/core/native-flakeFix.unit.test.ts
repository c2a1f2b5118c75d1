// The native-library fix on flake.nix text: extend the devShell's makeLibraryPath list in place,
// else a shellHook line, else a new LD_LIBRARY_PATH attribute; every result parsed by the real
// nix-instantiate, and a second fix of the same attribute changes nothing. Then the sweep: the
// fix on the default devShell of every flake of the corpus (test/fixtures/flake-corpus).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { checkNixParses } from "../../../src/core/flake/check";
import { silentLogger } from "../../../src/core/logger";
import { findDevShellSite, planLibraryPathFix, type LibraryPathFix } from "../../../src/core/native/flakeLibraryPath";
import { ProcessRunner } from "../../../src/core/process";
import { testEnv } from "../../helpers/tools";
import { tempDir } from "../tmp";

const runner = new ProcessRunner(silentLogger);
const cwd = tempDir("native-fix");

async function parses(text: string): Promise<void> {
  const r = await checkNixParses(text, { runner, env: testEnv(), cwd });
  assert.ok(r.ok, `nix-instantiate --parse rejects:\n${text}\n${r.ok ? "" : r.error}`);
}

/** The edit's text, parsed by Nix, and idempotent. */
async function edited(text: string, attrs: string[], how: string, devShell = "default"): Promise<string> {
  const fix = planLibraryPathFix(text, devShell, attrs);
  assert.equal(fix.kind, "edit", JSON.stringify(fix));
  const edit = fix as Extract<LibraryPathFix, { kind: "edit" }>;
  assert.equal(edit.how, how);
  await parses(edit.text);
  assert.equal(planLibraryPathFix(edit.text, devShell, attrs).kind, "unchanged", `a second fix changes nothing:\n${edit.text}`);
  return edit.text;
}

const shell = (body: string) => `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs }: let
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
  in {
    devShells.x86_64-linux.default = pkgs.mkShell {
${body}
    };
  };
}
`;

describe("planLibraryPathFix", () => {
  test("a makeLibraryPath list, one element per line: the attribute on a line of its own", async () => {
    const text = shell(`      packages = [ pkgs.python3 ];\n      LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [\n        pkgs.zlib\n      ];`);
    const out = await edited(text, ["stdenv.cc.cc.lib"], "extend-list");
    assert.equal(out, text.replace("        pkgs.zlib\n", "        pkgs.zlib\n        pkgs.stdenv.cc.cc.lib\n"));
  });

  test("an inline `with pkgs;` list: bare names, inline", async () => {
    const text = shell(`      LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [ zlib ]);`);
    assert.equal(await edited(text, ["glib", "zlib"], "extend-list"), text.replace("[ zlib ]", "[ zlib glib ]"));
  });

  test("no library path: a new attribute after the last one, with its indentation", async () => {
    const text = shell(`      packages = [ pkgs.python3 ];\n      shellHook = ''\n        echo hi\n      '';`);
    const out = await edited(text, ["gfortran.cc.lib"], "new-attribute");
    assert.ok(out.includes(`      '';\n      LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.gfortran.cc.lib ];\n    };`), out);
  });

  test("a shellHook that exports LD_LIBRARY_PATH: a line at its end (an attribute would be overwritten)", async () => {
    const text = shell(`      shellHook = ''\n        export LD_LIBRARY_PATH=/opt/lib\n      '';`);
    const out = await edited(text, ["zlib"], "shellhook-export");
    assert.ok(out.includes("        export LD_LIBRARY_PATH=/opt/lib\n        export LD_LIBRARY_PATH=${pkgs.lib.makeLibraryPath [ pkgs.zlib ]}''${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n      '';"), out);
  });

  test("LD_LIBRARY_PATH set to a plain string: the shellHook line; without a shellHook the snippet", async () => {
    const withHook = shell(`      LD_LIBRARY_PATH = "\${./native}";\n      shellHook = ''\n        echo hi\n      '';`);
    await edited(withHook, ["zlib"], "shellhook-export");
    const without = planLibraryPathFix(shell(`      LD_LIBRARY_PATH = "\${./native}";`), "default", ["zlib"]);
    assert.equal(without.kind, "manual");
    assert.match((without as { snippet: string }).snippet, /^LD_LIBRARY_PATH = pkgs\.lib\.makeLibraryPath \[ pkgs\.zlib \];$/);
  });

  test("comments and strings that mention LD_LIBRARY_PATH are not the devShell's", async () => {
    const text = shell(`      # LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];\n      NOTE = "LD_LIBRARY_PATH = lib.makeLibraryPath [ x ]";`);
    const out = await edited(text, ["zlib"], "new-attribute");
    assert.ok(out.includes("# LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];\n"), "the comment is left as it was");
  });

  test("the chosen devShell's set, not another's; a devShell bound to a name is followed", async () => {
    const text = `{
  outputs = { self, nixpkgs }: let
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
    docsShell = pkgs.mkShell { packages = [ pkgs.mdbook ]; };
  in {
    devShells.x86_64-linux.default = pkgs.mkShell { packages = [ pkgs.python3 ]; };
    devShells.x86_64-linux.docs = docsShell;
  };
}
`;
    const out = await edited(text, ["zlib"], "new-attribute", "docs");
    assert.ok(out.includes("docsShell = pkgs.mkShell { packages = [ pkgs.mdbook ]; LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ]; };"), out);
    assert.ok(out.includes("default = pkgs.mkShell { packages = [ pkgs.python3 ]; };"), "default untouched");
  });

  test("flake-utils and flake-parts shapes, and a package set not named pkgs", async () => {
    const utils = `{
  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let pkgs = import nixpkgs { inherit system; };
      in {
        devShells.default = pkgs.mkShell {
          buildInputs = [ pkgs.python3 ];
        };
      });
}
`;
    assert.ok((await edited(utils, ["zlib"], "new-attribute")).includes("          buildInputs = [ pkgs.python3 ];\n          LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];\n"));
    const parts = `{
  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      perSystem = { pkgs, ... }: {
        devShells.default = pkgs.mkShell { };
      };
    };
}
`;
    assert.ok((await edited(parts, ["zlib"], "new-attribute")).includes("devShells.default = pkgs.mkShell { LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ]; };"));
    const named = shell("").replace(/pkgs/g, "np");
    assert.ok((await edited(named, ["zlib"], "new-attribute")).includes("LD_LIBRARY_PATH = np.lib.makeLibraryPath [ np.zlib ];"));
    const namedList = shell("      LD_LIBRARY_PATH = np.lib.makeLibraryPath [ np.zlib ];").replace(/pkgs/g, "np");
    assert.ok((await edited(namedList, ["glib"], "extend-list")).includes("[ np.zlib np.glib ]"));
    // Under `with import nixpkgs { … };` the names are in scope bare.
    const withImport = `{
  outputs = { self, nixpkgs }:
    with import nixpkgs { system = "x86_64-linux"; }; {
      devShells.x86_64-linux.default = mkShell { packages = [ python3 ]; };
    };
}
`;
    assert.ok((await edited(withImport, ["zlib"], "new-attribute")).includes("mkShell { packages = [ python3 ]; LD_LIBRARY_PATH = lib.makeLibraryPath [ zlib ]; };"));
  });

  test("no such devShell, or nothing readable: the snippet and why", () => {
    const fix = planLibraryPathFix(shell(""), "docs", ["zlib"]);
    assert.equal(fix.kind, "manual");
    assert.match((fix as { message: string }).message, /no devShell "docs"/);
    assert.equal(planLibraryPathFix("{ outputs = _: { devShells = import ./shells.nix; }; }", "default", ["zlib"]).kind, "manual");
    assert.equal(planLibraryPathFix("{ unbalanced = [ ; }", "default", ["zlib"]).kind, "manual");
  });

  test("findDevShellSite: the set and the library path binding, for a diagnostic", () => {
    const text = shell(`      LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];`);
    const site = findDevShellSite(text, "default")!;
    assert.equal(text.slice(...site.libraryPath!), "LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];");
    assert.equal(text.slice(site.set[0], site.set[0] + 1), "{");
    assert.equal(site.pkgs, "pkgs");
  });
});

// The sweep: the real public flakes of the corpus (folders with a flake.nix), default devShell.
const CORPUS = join(__dirname, "..", "..", "..", "..", "test", "fixtures", "flake-corpus");
const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as { entries: Array<{ id: string; dir?: string }> };
const table: string[] = [];
describe("planLibraryPathFix on the corpus", () => {
  for (const entry of manifest.entries.filter((e) => !e.dir && existsSync(join(CORPUS, e.id, "flake.nix")))) {
    test(entry.id, async () => {
      const text = readFileSync(join(CORPUS, entry.id, "flake.nix"), "utf8");
      const fix = planLibraryPathFix(text, "default", ["zlib"]);
      table.push(`${entry.id}: ${fix.kind === "edit" ? fix.how : fix.kind === "manual" ? `manual (${fix.message})` : "unchanged"}`);
      if (fix.kind !== "edit") return;
      await parses(fix.text);
      assert.equal(planLibraryPathFix(fix.text, "default", ["zlib"]).kind, "unchanged");
      // Only inserted: the original text is there, in order.
      let at = 0;
      for (const ch of text) {
        at = fix.text.indexOf(ch, at);
        assert.ok(at >= 0, "nothing of the original is removed");
        at++;
      }
    });
  }
  after(() => console.log(`corpus, default devShell + zlib:\n  ${table.sort().join("\n  ")}`));
});
