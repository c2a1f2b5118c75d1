// Add and remove on every flake.nix shape of the corpus: the name is there exactly once / gone,
// no byte outside the list's brackets changes, and the list keeps its layout.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { addPackage, removePackage } from "../../../../src/core/flake/edit";
import { elementIsPackage, findPackageLists, type PackageListCandidate } from "../../../../src/core/flake/packageLists";
import { REPO_ROOT } from "../../repo";

export const CORPUS_DIR = join(REPO_ROOT, "test", "fixtures", "flakes");

interface Shape {
  /** How many Python package lists the file has. */
  readonly lists: number;
  /** The one the test edits (1-based). */
  readonly edit: number;
  /** A name in that list, to remove (none for empty lists). */
  readonly present?: string;
  /** inline: the list keeps its lines; lines: one new line per added name. */
  readonly layout: "inline" | "lines";
}

const SHAPES: Record<string, Shape> = {
  "seed.nix": { lists: 1, edit: 1, present: "quimb", layout: "inline" },
  "inline-with.nix": { lists: 1, edit: 1, present: "pandas", layout: "inline" },
  "explicit-ps.nix": { lists: 1, edit: 1, present: "torch", layout: "inline" },
  "explicit-multiline.nix": { lists: 1, edit: 1, present: "pandas", layout: "lines" },
  "comments-in-list.nix": { lists: 1, edit: 1, present: "scipy", layout: "lines" },
  "strings-with-brackets.nix": { lists: 1, edit: 1, present: "pytest", layout: "inline" },
  "nested-let.nix": { lists: 2, edit: 2, present: "flask", layout: "lines" },
  "several-shells.nix": { lists: 2, edit: 2, present: "furo", layout: "inline" },
  "crlf.nix": { lists: 1, edit: 1, present: "numpy", layout: "lines" },
  "tabs.nix": { lists: 1, edit: 1, present: "scipy", layout: "lines" },
  "flake-utils.nix": { lists: 1, edit: 1, present: "gunicorn", layout: "inline" },
  "empty-package-set.nix": { lists: 1, edit: 1, layout: "inline" },
  "trailing-comments.nix": { lists: 1, edit: 1, present: "pandas", layout: "lines" },
  "with-pkgs-outer.nix": { lists: 1, edit: 1, present: "black", layout: "inline" },
  "complex-elements.nix": { lists: 1, edit: 1, present: "numpy", layout: "lines" },
  "empty-inline.nix": { lists: 1, edit: 1, layout: "inline" },
  "empty-multiline.nix": { lists: 1, edit: 1, layout: "lines" },
  "python-pkgs-wrapped.nix": { lists: 1, edit: 1, present: "scipy", layout: "inline" },
  "legacy-devshell.nix": { lists: 1, edit: 1, present: "django", layout: "inline" },
  "mixed-system-list.nix": { lists: 1, edit: 1, present: "requests", layout: "lines" },
};

const NEW = "rich";

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".nix")).sort();
}

function listOf(text: string, number: number): PackageListCandidate {
  const found = findPackageLists(text).find((c) => c.number === number);
  assert.ok(found, `list ${number} is still found`);
  return found;
}

const occurrences = (c: PackageListCandidate, name: string) => c.elements.filter((e) => elementIsPackage(c, e, name)).length;
const newlines = (s: string) => s.split("\n").length - 1;

/** Bytes before "[" and after "]" are the same in both texts. */
function assertOnlyListChanged(before: string, after: string, c: PackageListCandidate): void {
  assert.equal(after.slice(0, c.listStart + 1), before.slice(0, c.listStart + 1), "nothing before the list changed");
  const tail = before.length - c.listEnd + 1;
  assert.equal(after.slice(after.length - tail), before.slice(before.length - tail), "nothing after the list changed");
}

test("the corpus has a shape description for every file, and at least 15 files", () => {
  assert.deepEqual(corpusFiles(), Object.keys(SHAPES).sort());
  assert.ok(corpusFiles().length >= 15);
});

for (const file of corpusFiles()) {
  const shape = SHAPES[file]!;
  describe(file, () => {
    const original = readFileSync(join(CORPUS_DIR, file), "utf8");
    const candidates = findPackageLists(original);
    const list = candidates[shape.edit - 1]!;

    test(`finds ${shape.lists} list(s), each with a distinct label`, () => {
      assert.equal(candidates.length, shape.lists, candidates.map((c) => c.label).join("\n"));
      assert.equal(new Set(candidates.map((c) => c.label)).size, candidates.length);
      for (const c of candidates) assert.match(c.label, new RegExp(`\\(line ${c.line}\\)$`));
    });

    test(`add ${NEW}: there once, only the list changed, layout kept`, () => {
      const added = addPackage(original, list, NEW);
      assert.equal(added.changed, true);
      const after = listOf(added.text, shape.edit);
      assert.equal(occurrences(after, NEW), 1);
      assert.equal(after.elements.length, list.elements.length + 1);
      assertOnlyListChanged(original, added.text, list);
      const listBefore = original.slice(list.listStart, list.listEnd);
      const listAfter = added.text.slice(after.listStart, after.listEnd);
      const element = list.addPrefix + NEW;
      if (shape.layout === "inline") {
        assert.equal(newlines(listAfter), newlines(listBefore), "an inline list stays on its lines");
        assert.match(listAfter, new RegExp(`[\\[ ]${element.replace(/\./g, "\\.")}[\\s\\]]`));
      } else {
        assert.equal(newlines(listAfter), newlines(listBefore) + 1, "one new line");
        const newLine = listAfter.split("\n").find((l) => l.trimEnd().trim() === element)!;
        assert.ok(newLine, `a line holding just ${element}`);
        const indent = /^[ \t]*/.exec(newLine)![0];
        const lastBefore = list.elements.at(-1);
        if (lastBefore) assert.equal(indent, /^[ \t]*/.exec(original.slice(original.lastIndexOf("\n", lastBefore.start) + 1))![0]);
        else assert.ok(indent.length > 0);
      }
      if (original.includes("\r\n")) assert.doesNotMatch(added.text, /[^\r]\n/, "CRLF stays CRLF");
      if (/\n\t/.test(original)) assert.doesNotMatch(listAfter, /\n +/, "tabs stay tabs");
    });

    test("adding it again changes nothing and says so", () => {
      const once = addPackage(original, list, NEW).text;
      const twice = addPackage(once, listOf(once, shape.edit), NEW);
      assert.equal(twice.changed, false);
      assert.equal(twice.text, once);
      assert.match(twice.message, /already/);
    });

    test("add then remove gives back the original, byte for byte", () => {
      const added = addPackage(original, list, NEW).text;
      const removed = removePackage(added, listOf(added, shape.edit), NEW);
      assert.equal(removed.changed, true);
      assert.equal(removed.text, original);
    });

    if (shape.present) {
      const present = shape.present;
      test(`remove ${present}: gone, others kept, only the list changed`, () => {
        assert.equal(occurrences(list, present), 1);
        const removed = removePackage(original, list, present);
        assert.equal(removed.changed, true);
        const after = listOf(removed.text, shape.edit);
        assert.equal(occurrences(after, present), 0);
        assert.deepEqual(
          after.elements.map((e) => e.text),
          list.elements.filter((e) => !elementIsPackage(list, e, present)).map((e) => e.text),
        );
        assertOnlyListChanged(original, removed.text, list);
        // Comments on other lines of the list survive.
        const listText = original.slice(list.listStart, list.listEnd);
        for (const comment of listText.match(/^\s*#.*$/gm) ?? []) assert.ok(removed.text.includes(comment.trim()), comment);
      });
    }

    test("removing an absent name changes nothing and says so", () => {
      const removed = removePackage(original, list, "not-in-the-list");
      assert.equal(removed.changed, false);
      assert.equal(removed.text, original);
      assert.match(removed.message, /not in/);
    });
  });
}
