// Generates fixture projects for the VS Code bench (which runs in plain Node and cannot import
// the TypeScript helpers): `node out/test/helpers/makeFixtureCli.js TARGET SPEC_JSON`.
// SPEC_JSON is { "folders": [{ "name": "a", ...HybridFixtureSpec }] }; with more than one folder
// TARGET gets a hybrid.code-workspace naming them. Prints the path to open.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeHybridProject, type HybridFixtureSpec } from "./fixtures";
import { makeEnvrcProject, makeNativeMissingProject, makeSlowBuildsProject, makeTwoShellProject } from "./issue12Fixtures";
import { makeNixPackageSetProject } from "./nixPackageSetFixture";
import { makeStubNixpkgsProject } from "./stubNixpkgsProject";

interface Spec {
  readonly folders: ReadonlyArray<HybridFixtureSpec & { readonly name: string }>;
}

const [target, specJson] = process.argv.slice(2);
if (!target || !specJson) {
  console.error("usage: makeFixtureCli TARGET SPEC_JSON");
  process.exit(2);
}
const spec = JSON.parse(specJson) as Spec;
for (const folder of spec.folders) {
  const dir = join(target, folder.name);
  mkdirSync(dir, { recursive: true });
  // shape "nix-package-set": a flake whose package list draws from a local package set (issue 5).
  const shape = (folder as { shape?: string }).shape;
  if (shape === "nix-package-set") makeNixPackageSetProject(folder, dir);
  // shape "stub-nixpkgs": a flake over the stub nixpkgs (git+file input, locked), its devShell in nix/devshell.nix (issue 10).
  else if (shape === "stub-nixpkgs") makeStubNixpkgsProject(folder, dir);
  // Issue 12 (test/helpers/issue12Fixtures.ts).
  else if (shape === "two-devshells") makeTwoShellProject(folder, dir);
  else if (shape === "slow-builds") makeSlowBuildsProject(folder, dir);
  else if (shape === "native-missing") makeNativeMissingProject(folder, dir);
  else if (shape === "envrc") makeEnvrcProject(folder, dir);
  else makeHybridProject(folder, dir);
}
if (spec.folders.length === 1) {
  console.log(join(target, spec.folders[0]!.name));
} else {
  const file = join(target, "hybrid.code-workspace");
  writeFileSync(file, JSON.stringify({ folders: spec.folders.map((f) => ({ path: f.name })) }, null, 2));
  console.log(file);
}
