// A hybrid fixture (fixtures.ts) whose devShell lives in nix/devshell.nix, imported by flake.nix,
// which in turn imports nix/python.nix: the layout of flakes that keep their devShell in a file
// of its own. FROM_NIX is set in nix/devshell.nix, so an edit there shows in the environment.
import { join } from "node:path";
import { devShellDerivation, gitTrackAll, makeHybridProject, write } from "./fixtures";

export function devShellNix(fromNix: string): string {
  const shell = devShellDerivation({ fromNix, shellHook: "export HOOK_RAN=yes" }).replaceAll("./nixpy", "../nixpy");
  return `{ python ? import ./python.nix }:\n${shell}\n`;
}

export function makeImportingHybridProject(fromNix = "nix-value"): string {
  const dir = makeHybridProject({ git: false });
  write(join(dir, "flake.nix"), `{\n  outputs = { self }: {\n    devShells.x86_64-linux.default = import ./nix/devshell.nix { };\n  };\n}\n`);
  write(join(dir, "nix", "devshell.nix"), devShellNix(fromNix));
  write(join(dir, "nix", "python.nix"), `"python3"\n`);
  gitTrackAll(dir);
  return dir;
}
