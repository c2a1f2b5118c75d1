// package.json's contributions hold together with the source: every command has a handler, every
// view a when-clause names exists, every file the manifest points at is there, and the extension
// activates, runs and refuses trust as the README says.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { COMMAND_IDS } from "../../src/commands/registry";
import { REPO_ROOT } from "./repo";

const root = REPO_ROOT;
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const contributes = manifest.contributes;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}
const source = sourceFiles(join(root, "src")).map((f) => readFileSync(f, "utf8")).join("\n");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every `when` clause in the manifest, with where it is. */
function whenClauses(): Array<{ at: string; when: string }> {
  const found: Array<{ at: string; when: string }> = [];
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "when" && typeof v === "string") found.push({ at, when: v });
        else walk(v, `${at}.${k}`);
      }
    }
  };
  walk(contributes, "contributes");
  return found;
}

/** Files the manifest points at: icons (not $(codicons)), walkthrough media, grammars, language configurations. */
function referencedFiles(): Array<{ at: string; path: string }> {
  const found: Array<{ at: string; path: string }> = [];
  const fileKeys = new Set(["icon", "path", "configuration", "markdown", "image", "svg", "light", "dark"]);
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (fileKeys.has(k) && typeof v === "string" && !v.startsWith("$(")) found.push({ at: `${at}.${k}`, path: v });
        else walk(v, `${at}.${k}`);
      }
    }
  };
  walk(contributes, "contributes");
  return found;
}

const viewIds = (): string[] => Object.values(contributes.views as Record<string, Array<{ id: string }>>).flat().map((v) => v.id);

test("every contributed command has a handler in the registry, and every registry id but internal ones is contributed", () => {
  const contributed: string[] = contributes.commands.map((c: { command: string }) => c.command);
  assert.ok(contributed.length > 0);
  const ids: string[] = Object.values(COMMAND_IDS);
  assert.deepEqual(contributed.filter((id) => !ids.includes(id)), []);
  assert.deepEqual(ids.filter((id) => !contributed.includes(id) && !id.startsWith("hybridEnv.internal.")), []);
});

test("commands are registered in one place: registerCommand appears only in the registry and its vscode wrapper", () => {
  const callers = sourceFiles(join(root, "src"))
    .filter((f) => /\.registerCommand\(/.test(readFileSync(f, "utf8")))
    .map((f) => f.slice(root.length + 1))
    .sort();
  assert.deepEqual(callers, ["src/commands/registry.ts", "src/platform/vscodeApis.ts"]);
});

test("every command a menu names is a contributed command", () => {
  const commands = new Set(contributes.commands.map((c: { command: string }) => c.command));
  const menus = Object.entries(contributes.menus as Record<string, Array<{ command?: string }>>).flatMap(([menu, items]) =>
    items.filter((i) => i.command !== undefined).map((i) => ({ menu, command: i.command! })),
  );
  assert.deepEqual(menus.filter((m) => !commands.has(m.command)), []);
});

test("every view a when clause or a welcome view names exists", () => {
  const views = new Set(viewIds());
  assert.ok(views.size > 0);
  const named = whenClauses().flatMap(({ at, when }) => [...when.matchAll(/\bview\s*[!=]=\s*([\w.-]+)/g)].map((m) => ({ at, view: m[1]! })));
  assert.ok(named.length > 0, "the menus name views");
  const welcome = (contributes.viewsWelcome ?? []).map((w: { view: string }, i: number) => ({ at: `contributes.viewsWelcome[${i}]`, view: w.view }));
  assert.deepEqual([...named, ...welcome].filter((n) => !views.has(n.view)), []);
});

test("every hybridEnv.* context key a when clause uses is set in src", () => {
  const keys = new Set(whenClauses().flatMap(({ when }) => [...when.matchAll(/(?<![\w.])(hybridEnv\.[A-Za-z]+)\b/g)].map((m) => m[1]!)));
  for (const view of viewIds()) keys.delete(view);
  const unset = [...keys].filter((k) => !new RegExp(`(?:"setContext",|\\bsetContext\\()\\s*"${escape(k)}"`).test(source));
  assert.deepEqual(unset, []);
});

test("every view container a view sits in is contributed", () => {
  const containers = new Set(Object.values(contributes.viewsContainers as Record<string, Array<{ id: string }>>).flat().map((c) => c.id));
  assert.deepEqual(Object.keys(contributes.views).filter((c) => !containers.has(c)), []);
});

test("every file the manifest points at exists, and none is left out of the .vsix", () => {
  const files = referencedFiles();
  assert.ok(files.some((f) => f.path.startsWith("media/")), "the manifest references media");
  assert.deepEqual(files.filter((f) => !existsSync(join(root, f.path))), []);
  assert.deepEqual(files.filter((f) => /^(\.\/)?media\/screenshots\//.test(f.path)), [], "media/screenshots is not packaged");
});

test("activates on flake.nix and on pyproject.toml", () => {
  assert.ok(manifest.activationEvents.includes("workspaceContains:flake.nix"));
  assert.ok(manifest.activationEvents.includes("workspaceContains:pyproject.toml"));
});

test("runs where the workspace is (extensionKind workspace)", () => {
  assert.deepEqual(manifest.extensionKind, ["workspace"]);
});

test("does not run in untrusted workspaces", () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, false);
  assert.ok((manifest.capabilities.untrustedWorkspaces.description ?? "").length > 20, "and says why");
});

test("main and bin are bundles in dist/", () => {
  assert.equal(manifest.main, "./dist/extension.js");
  assert.deepEqual(Object.values(manifest.bin), ["./dist/cli.js"]);
});
