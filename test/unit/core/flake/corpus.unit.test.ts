// The corpus of real public flake.nix / shell.nix / default.nix shapes (test/fixtures/flake-corpus,
// manifest.json says where each was read). For every entry: the lists found, the one chosen (or
// the question, or the refusal), add, remove, add-then-remove gives the bytes back, bad names
// leave every file byte-identical, and real `nix-instantiate --parse` accepts every result.
// Ends with a table shape → result for the closing note.
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { after, describe, test } from "node:test";
import { HybridEnvError } from "../../../../src/core/errors";
import { checkNixParses } from "../../../../src/core/flake/check";
import { AmbiguousPackageListError, NoPackageListError } from "../../../../src/core/flake/errors";
import { editProjectPackage, planPackageEdit } from "../../../../src/core/flake/projectEdit";
import { chooseProjectList, findProjectPackageLists, type ProjectPackageLists } from "../../../../src/core/flake/projectLists";
import { relocateCandidate } from "../../../../src/core/flake/packageLists";
import { silentLogger } from "../../../../src/core/logger";
import { ProcessRunner } from "../../../../src/core/process";
import { testEnv } from "../../../helpers/tools";
import { tempDir } from "../../tmp";

const ROOT = join(__dirname, "..", "..", "..", "..", "..");
const CORPUS = join(ROOT, "test", "fixtures", "flake-corpus");

interface Expect {
  readonly lists: number;
  /** "file:line" of the list chosen without --list, "ambiguous" (asked), or "none" (refused). */
  readonly chosen: string;
  readonly usedBy?: readonly string[];
  /** For an ambiguous entry: the list to edit ("file:line"). */
  readonly list?: string;
  readonly add?: string;
  /** The element the list gets for `add`. */
  readonly element?: string;
  readonly remove?: string;
  /** A name this list must refuse (another Python's set). */
  readonly refuse?: string;
}

interface Entry {
  readonly id: string;
  readonly dir?: string;
  readonly source: { readonly repo: string; readonly path: string; readonly commit: string };
  readonly shape: string;
  readonly expect: Expect;
  readonly outOfScope?: string;
}

const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as { entries: Entry[] };
const runner = new ProcessRunner(silentLogger);
const env = testEnv();
const BAD_NAMES = ["torch]; x = builtins.readFile /etc/passwd; [", "", "two words", "in", "../numpy", "numpy;", "1numpy"];
const results: Array<Record<string, string>> = [];

const dirOf = (e: Entry) => (e.dir ? join(ROOT, e.dir) : join(CORPUS, e.id));

/** Every file of a folder, by relative path → bytes (to prove nothing changed). */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

function sameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v));
}

async function parses(text: string, cwd: string): Promise<string | undefined> {
  const r = await checkNixParses(text, { runner, env, cwd });
  return r.ok ? undefined : r.error;
}

test("the corpus has at least 40 real entries, each with repository, path and commit", () => {
  const real = manifest.entries.filter((e) => !e.dir);
  assert.ok(real.length >= 40, `${real.length} entries`);
  for (const e of real) {
    assert.match(e.source.repo, /^[\w.-]+\/[\w.-]+$/, e.id);
    assert.match(e.source.commit, /^[0-9a-f]{40}$/, e.id);
    assert.ok(e.source.path.endsWith(".nix"), e.id);
  }
  assert.deepEqual(readdirSync(CORPUS).filter((n) => n !== "manifest.json").sort(), real.map((e) => e.id).sort(), "a folder per entry, an entry per folder");
});

for (const entry of manifest.entries) {
  describe(entry.id, () => {
    const x = entry.expect;
    const row: Record<string, string> = { id: entry.id, shape: entry.shape, lists: "", chosen: "", add: "-", remove: "-", "round trip": "-", "bad names": "", parse: "-" };
    results.push(row);
    const mark = (key: string, ok: boolean, text = ok ? "ok" : "FAIL") => (row[key] = text);
    let project: ProjectPackageLists;

    test(`finds ${x.lists} list(s); ${x.chosen === "none" ? "refuses" : x.chosen === "ambiguous" ? "asks which" : `chooses ${x.chosen}`}`, () => {
      mark("lists", false);
      project = findProjectPackageLists(dirOf(entry));
      assert.equal(project.lists.length, x.lists, project.lists.map((l) => l.label).join("\n"));
      mark("lists", true, String(x.lists));
      mark("chosen", false);
      if (x.chosen === "none") {
        assert.throws(() => chooseProjectList(project), NoPackageListError);
        mark("chosen", true, "refused (no list)");
      } else if (x.chosen === "ambiguous") {
        assert.throws(() => chooseProjectList(project), (e: unknown) => e instanceof AmbiguousPackageListError && e.candidates.length === x.lists && /used by/.test((e as Error).message));
        mark("chosen", true, `asked (${x.lists})`);
      } else {
        const chosen = chooseProjectList(project);
        assert.equal(`${chosen.relPath}:${chosen.candidate.line}`, x.chosen, chosen.label);
        if (x.usedBy) assert.deepEqual(chosen.usedBy, x.usedBy);
        mark("chosen", true, x.chosen);
      }
    });

    if (x.add !== undefined) {
      test(`add ${x.add}: ${x.element} once, only the list's bytes change; real Nix parses it; remove gives the bytes back`, async () => {
        mark("add", false);
        const plan = planPackageEdit(project, "add", x.add!, { list: x.list });
        assert.equal(plan.changed, true, plan.message);
        assert.equal(plan.element, x.element);
        const c = plan.list.candidate;
        assert.equal(plan.after.slice(0, c.listStart + 1), plan.before.slice(0, c.listStart + 1), "nothing before the list changed");
        assert.equal(plan.after.slice(plan.after.length - (plan.before.length - c.listEnd + 1)), plan.before.slice(c.listEnd - 1), "nothing after it");
        const relisted = relocateCandidate(plan.after, c);
        assert.equal(relisted.elements.filter((e) => e.key === x.element).length, 1);
        mark("add", true, x.element);
        mark("parse", false);
        const error = await parses(plan.after, dirOf(entry));
        assert.equal(error, undefined);
        mark("round trip", false);
        const listsAfter = findProjectPackageLists(dirOf(entry), { readText: (p) => (p === plan.list.file ? plan.after : undefined) });
        const back = planPackageEdit(listsAfter, "remove", x.add!, { list: x.list ?? `${plan.list.relPath}:${c.line}` });
        assert.equal(back.after, plan.before, "add then remove is byte-identical");
        mark("round trip", true);
        mark("parse", true);
      });
    }

    if (x.remove !== undefined) {
      test(`remove ${x.remove}`, async () => {
        mark("remove", false);
        const plan = planPackageEdit(project, "remove", x.remove!, { list: x.list });
        assert.equal(plan.changed, true, plan.message);
        assert.equal(relocateCandidate(plan.after, plan.list.candidate).elements.length, plan.list.candidate.elements.length - 1);
        assert.equal(await parses(plan.after, dirOf(entry)), undefined);
        mark("remove", true);
      });
    }

    test("bad names (and, where given, another Python's set) leave every file byte-identical", async () => {
      mark("bad names", false);
      const copy = tempDir("corpus");
      cpSync(dirOf(entry), copy, { recursive: true });
      const before = snapshot(copy);
      const names = x.chosen === "none" ? ["rich", ...BAD_NAMES] : x.refuse ? [x.refuse, ...BAD_NAMES] : BAD_NAMES;
      for (const name of names) {
        await assert.rejects(editProjectPackage(copy, "add", name, { runner, env, list: x.list, checkExists: false }), HybridEnvError, name);
        await assert.rejects(editProjectPackage(copy, "remove", name, { runner, env, list: x.list }), HybridEnvError, name);
      }
      assert.ok(sameFiles(before, snapshot(copy)));
      mark("bad names", true, x.chosen === "none" ? "ok (add refused)" : x.refuse ? `ok (+ ${x.refuse} refused)` : "ok");
    });
  });
}

after(() => {
  const columns = ["id", "lists", "chosen", "add", "remove", "round trip", "bad names", "parse", "shape"];
  const lines = [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---").join("|")}|`];
  for (const r of results) lines.push(`| ${columns.map((c) => (r[c] ?? "").replace(/\|/g, "\\|")).join(" | ")} |`);
  const failed = results.filter((r) => Object.values(r).includes("FAIL")).length;
  console.log(`\nflake corpus: ${results.length} entries, ${results.length - failed} fully right\n${lines.join("\n")}\n`);
});
