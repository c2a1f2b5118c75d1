// A hybrid project over the stub nixpkgs (stubNixpkgs.ts) as a locked git+file input, laid out as
// flakes people write it: the default devShell lives in nix/devshell.nix (imported by flake.nix)
// with its own Python package list, and a second devShell `docs` has a list in flake.nix. Both
// lists are real `pkgs.python311.withPackages (ps: with ps; [ … ])` over the stub's set, so Add
// Nix Package's check and quick pick read a real evaluation of the locked input in the store.
//
// The stub's packages are derivations that are never built: each devShell only reads their
// `pname` (a string without store context) into NIX_PY_NAMES, so evaluating the devShell builds
// nothing but the devShell itself (notes/nix.md: builders other than the devShell's are flaky
// here), and an edit of a list shows in that variable after the reload. Python for uv is the
// fixture's withPackages-like folder (nixpy), as in fixtures.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { gitTrackAll, pyprojectSource, write, writeNixPythonEnv, type NixPackage } from "./fixtures";
import { makeStubNixpkgs } from "./stubNixpkgs";
import { testEnv } from "./tools";
import { makeWheel } from "./wheel";

export interface StubNixpkgsProjectSpec {
  /** Filler packages in the stub's sets (to reach nixpkgs' size: ~9,000). */
  readonly filler?: number;
  /** The default devShell's list (nix/devshell.nix). */
  readonly devShellList?: readonly string[];
  /** The docs devShell's list (flake.nix). */
  readonly docsList?: readonly string[];
  readonly uvPackages?: readonly NixPackage[];
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Derivation of a devShell whose Python package names come from `listExpr` (a list of stub packages). */
function shellDerivation(name: string, listExpr: string, nixpy: string): string {
  return `derivation {
    name = "${name}";
    system = "x86_64-linux";
    builder = "/bin/bash";
    outputs = [ "out" ];
    args = [ "-c" "echo > $out" ];
    PATH = "\${${nixpy}}/bin";
    # The stub's packages are never built: only their names are read.
    NIX_PY_NAMES = builtins.concatStringsSep " " (map (p: p.pname) (${listExpr}));
    shellHook = "export HOOK_RAN=yes";
  }`;
}

export function stubNixpkgsFlake(stubDir: string, docsList: readonly string[]): string {
  return `{
  description = "hybrid-env test fixture: a flake over a stub nixpkgs, its devShell in nix/devshell.nix";
  inputs.nixpkgs.url = "git+file://${stubDir}";
  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      docsPython = pkgs.python311.withPackages (ps: with ps; [ ${docsList.join(" ")} ]);
    in {
      devShells.x86_64-linux.default = import ./nix/devshell.nix { inherit pkgs; };
      devShells.x86_64-linux.docs = ${shellDerivation("docs-shell", "docsPython", "./nixpy").replaceAll("\n", "\n      ")};
    };
}
`;
}

export function stubNixpkgsDevShell(list: readonly string[]): string {
  return `{ pkgs }:
let
  pythonEnv = pkgs.python311.withPackages (ps: with ps; [ ${list.join(" ")} ]);
in
${shellDerivation("default-shell", "pythonEnv", "../nixpy")}
`;
}

/** Writes the stub (beside `dir`, in `${dir}-nixpkgs`) and the project, locked; returns the project folder. */
export function makeStubNixpkgsProject(spec: StubNixpkgsProjectSpec, dir: string): { dir: string; stubDir: string } {
  const stubDir = makeStubNixpkgs({ filler: spec.filler ?? 0, dir: `${dir}-nixpkgs` });
  mkdirSync(dir, { recursive: true });
  writeNixPythonEnv(join(dir, "nixpy"), []);
  const uvPackages = spec.uvPackages ?? [{ name: "uvonly", version: "3.1" }];
  for (const p of uvPackages) makeWheel(join(dir, "wheels"), p.name, p.version);
  write(join(dir, "flake.nix"), stubNixpkgsFlake(stubDir, spec.docsList ?? ["pyyaml"]));
  write(join(dir, "nix", "devshell.nix"), stubNixpkgsDevShell(spec.devShellList ?? ["numpy"]));
  write(join(dir, "pyproject.toml"), pyprojectSource(uvPackages));
  write(join(dir, ".gitignore"), ".venv/\n");
  if (spec.settings) write(join(dir, ".vscode", "settings.json"), JSON.stringify(spec.settings, null, 2));
  gitTrackAll(dir);
  // Locking copies the stub into the store, as fetching a real nixpkgs input would.
  execFileSync("nix", ["flake", "lock", "--extra-experimental-features", "nix-command flakes"], { cwd: dir, env: testEnv() as NodeJS.ProcessEnv, stdio: "pipe" });
  execFileSync("git", ["add", "flake.lock"], { cwd: dir, stdio: "ignore" });
  return { dir, stubDir };
}
