// The README's Settings table lists exactly the settings of package.json contributes.configuration,
// each with its default rendered as the table renders it: `ask`, `false`, `600`, and (search) for
// an empty path (the tool is searched for).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../repo";

const root = REPO_ROOT;
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const properties: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;
const readme = readFileSync(join(root, "README.md"), "utf8");

interface Row {
  setting: string;
  default: string;
  meaning: string;
}

/** The lines of the "## Settings" section, up to the next level-2 heading. */
function settingsSection(): string[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => /^## Settings\s*$/.test(l));
  assert.ok(start >= 0, 'README.md has a "## Settings" section');
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function tableRows(): Row[] {
  return settingsSection()
    .map((l) => /^\|\s*`(hybridEnv\.[A-Za-z]+)`\s*\|(.*)\|(.*)\|\s*$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ setting: m[1]!, default: m[2]!.trim(), meaning: m[3]!.trim() }));
}

/** A default as the table shows it. */
function renderDefault(value: unknown): string {
  if (value === "") return "(search)";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return `\`${value}\``;
  return `\`${JSON.stringify(value)}\``;
}

test("the Settings section is a table with setting, default and meaning columns", () => {
  const header = settingsSection().find((l) => l.startsWith("|"));
  assert.match(header ?? "", /^\|\s*setting\s*\|\s*default\s*\|\s*meaning\s*\|$/);
  assert.ok(tableRows().length > 0, "the table has rows");
});

test("the README's Settings table lists exactly the settings of package.json", () => {
  const inReadme = tableRows().map((r) => r.setting);
  const inManifest = Object.keys(properties);
  const missing = inManifest.filter((s) => !inReadme.includes(s));
  const unknown = inReadme.filter((s) => !inManifest.includes(s));
  const suggested = missing.map((s) => `| \`${s}\` | ${renderDefault(properties[s]!.default)} | … |`);
  assert.deepEqual(
    { missing, unknown },
    { missing: [], unknown: [] },
    missing.length ? `README.md's Settings table lacks rows:\n${suggested.join("\n")}` : "README.md lists settings package.json does not have",
  );
});

test("each setting appears once in the table", () => {
  const seen = tableRows().map((r) => r.setting);
  assert.deepEqual(seen.filter((s, i) => seen.indexOf(s) !== i), []);
});

test("the README shows each setting's package.json default", () => {
  const wrong = tableRows()
    .filter((r) => r.setting in properties)
    .map((r) => ({ setting: r.setting, readme: r.default, manifest: renderDefault(properties[r.setting]!.default) }))
    .filter((r) => r.readme !== r.manifest);
  assert.deepEqual(wrong, []);
});

test("each row says what the setting means", () => {
  for (const row of tableRows()) assert.ok(row.meaning.length > 5, `${row.setting} has a meaning`);
});

test("defaults render as the table writes them", () => {
  assert.equal(renderDefault("ask"), "`ask`");
  assert.equal(renderDefault(false), "`false`");
  assert.equal(renderDefault(600), "`600`");
  assert.equal(renderDefault(""), "(search)");
});
