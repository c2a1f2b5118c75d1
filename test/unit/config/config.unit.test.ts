// The typed config module and package.json's contributes.configuration describe the same settings.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CONFIG_DEFAULTS } from "../../../src/config/configKeys";
import { REPO_ROOT } from "../repo";

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
const properties: Record<string, { default: unknown; markdownDescription?: string; description?: string }> =
  manifest.contributes.configuration.properties;

test("every setting in package.json has a typed key with the same default, and back", () => {
  const manifestKeys = Object.keys(properties).map((k) => k.replace(/^hybridEnv\./, "")).sort();
  assert.deepEqual(manifestKeys, Object.keys(CONFIG_DEFAULTS).sort());
  for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
    assert.deepEqual(properties[`hybridEnv.${key}`]!.default, value, key);
  }
});

test("every setting is documented", () => {
  for (const [key, p] of Object.entries(properties)) assert.ok((p.markdownDescription ?? p.description ?? "").length > 20, key);
});

test("every contributed command is in the Hybrid Env category under hybridEnv.", () => {
  for (const c of manifest.contributes.commands) {
    assert.match(c.command, /^hybridEnv\.[a-zA-Z]+$/);
    assert.equal(c.category, "Hybrid Env");
  }
});

test("every hybridEnv setting is read through the typed config: no settings read elsewhere", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
  const readers = files(join(REPO_ROOT, "src"))
    .filter((f) => /\bgetConfiguration\(|\.settings\(/.test(readFileSync(f, "utf8")))
    .map((f) => f.slice(REPO_ROOT.length + 1))
    .sort();
  // config.ts reads hybridEnv.*; foreignSettings.ts the few of VS Code and other extensions; vscodeApis.ts is the wrapper.
  assert.deepEqual(readers, ["src/config/config.ts", "src/config/foreignSettings.ts", "src/platform/vscodeApis.ts"]);
});
