// Fixture projects for issue 12's VS Code suites (shapes of makeFixtureCli), each a real offline
// nix + uv project built on makeHybridProject:
//   two-devshells   devShells default and docs (FROM_NIX tells them apart)
//   slow-builds     a devShell that needs four local derivations which take a moment each
//   native-missing  a uv wheel whose C extension needs a library the environment lacks; the
//                   flake has a stand-in `pkgs` with a package that provides it
//   envrc           an .envrc that loads the same flake (`use flake`)
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readLdCache } from "../../src/core/native/ldCache";
import { nixpkgsProviderOf } from "../../src/core/native/nixpkgsLibraries";
import { devShellDerivation, gitTrackAll, makeHybridProject, pyprojectSource, write, type HybridFixtureSpec } from "./fixtures";
import { buildNativeWheel, type NativeWheelSpec } from "./nativeWheel";
import { machinePython } from "./tools";

const HOOK = "export HOOK_RAN=yes";

export function makeTwoShellProject(spec: HybridFixtureSpec, dir: string): string {
  makeHybridProject({ ...spec, git: false }, dir);
  const shell = (name: string) => `    devShells.x86_64-linux.${name} = ${devShellDerivation({ fromNix: `${name}-shell`, shellHook: pythonPathHook() })};`;
  write(join(dir, "flake.nix"), `{\n  description = "two devShells";\n  outputs = { self }: {\n${shell("default")}\n${shell("docs")}\n  };\n}\n`);
  gitTrackAll(dir);
  return dir;
}

/** Seconds each of the slow devShell's four builds sleeps. */
export const SLOW_BUILD_SECONDS = 1.5;
export const SLOW_BUILD_COUNT = 4;

/**
 * Four derivations (step-1 … step-4), each a /bin/bash builder that sleeps, which the devShell
 * depends on. A fresh nonce per project: every generated fixture builds them again. The nonce is
 * a binding the suite rewrites to make Nix build four new ones.
 */
export function slowBuildsFlake(nonce: string): string {
  const steps = `map (n: derivation {
        name = "step-\${toString n}";
        system = "x86_64-linux";
        builder = "/bin/bash";
        outputs = [ "out" ];
        args = [ "-c" "echo building step \${toString n}; /bin/sleep ${SLOW_BUILD_SECONDS}; echo \${toString n} > $out" ];
        inherit nonce;
      }) [ ${Array.from({ length: SLOW_BUILD_COUNT }, (_, i) => i + 1).join(" ")} ]`;
  return `{
  description = "a devShell with slow local builds";
  outputs = { self }: let
    nonce = "${nonce}";
  in {
    devShells.x86_64-linux.default = ${devShellDerivation({ fromNix: "slow-shell", shellHook: pythonPathHook(), extraAttrs: `deps = ${steps};` })};
  };
}
`;
}

export function makeSlowBuildsProject(spec: HybridFixtureSpec, dir: string): string {
  makeHybridProject({ ...spec, git: false }, dir);
  write(join(dir, "flake.nix"), slowBuildsFlake(randomBytes(6).toString("hex")));
  gitTrackAll(dir);
  return dir;
}

/**
 * A soname the curated nixpkgs map knows (so the fix is one click) that this machine's
 * /etc/ld.so.cache lacks (so the library really is missing): the first that fits.
 */
export function missingCuratedSoname(): string {
  const candidates = ["libGLU.so.1", "libgfortran.so.5", "libnuma.so.1", "libXinerama.so.1", "libXcursor.so.1", "libxkbcommon.so.0", "libasound.so.2"];
  const cache = readLdCache("/etc/ld.so.cache");
  const found = candidates.find((s) => !cache?.has(s) && nixpkgsProviderOf(s)?.attribute);
  if (!found) throw new Error(`every candidate library is installed on this machine: ${candidates.join(", ")}`);
  return found;
}

/** What the native-missing fixture tells its suite (written to .hybrid-test.json). */
export interface NativeFixtureFacts {
  readonly soname: string;
  readonly attribute: string;
  readonly module: string;
  readonly method: string;
  readonly returns: string | number;
}

/**
 * uv installs `hybglu` whose extension needs a curated soname nothing provides. The flake's
 * stand-in for nixpkgs (`pkgs`, a let binding: there is no nixpkgs offline) has lib.makeLibraryPath
 * as nixpkgs defines it and an attribute of the map's name holding the library, so the one-click
 * fix (adding that attribute to the devShell's library path) can really work.
 */
export function makeNativeMissingProject(spec: HybridFixtureSpec, dir: string): string {
  const soname = missingCuratedSoname();
  const attribute = nixpkgsProviderOf(soname)!.attribute;
  const uv = spec.uvPackages ?? [{ name: "uvonly", version: "3.1" }];
  makeHybridProject({ ...spec, uvPackages: uv, git: false }, dir);
  const wheel: NativeWheelSpec = { name: "hybglu", layout: "package", method: "value", returns: 7, library: soname };
  buildNativeWheel(join(dir, "wheels"), wheel, { libDir: join(dir, "stub-pkgs", attribute, "lib"), python: machinePython().executable });
  write(join(dir, "pyproject.toml"), pyprojectSource([...uv, { name: "hybglu", version: "1.0" }]));
  write(
    join(dir, "flake.nix"),
    `{
  description = "a uv wheel that needs ${soname}";
  outputs = { self }: let
    # A stand-in for nixpkgs (the tests are offline): makeLibraryPath as nixpkgs has it.
    pkgs = {
      lib.makeLibraryPath = packages: builtins.concatStringsSep ":" (map (p: "\${p}/lib") packages);
      ${attribute} = ./stub-pkgs/${attribute};
      mkShell = attrs: derivation ({ name = "hybrid-shell"; system = "x86_64-linux"; builder = "/bin/bash"; outputs = [ "out" ]; args = [ "-c" "echo > $out" ]; } // attrs);
    };
  in {
    devShells.x86_64-linux.default = pkgs.mkShell {
      PATH = "\${./nixpy}/bin";
      FROM_NIX = "native-shell";
      shellHook = ''${pythonPathHook()}'';
    };
  };
}
`,
  );
  const facts: NativeFixtureFacts = { soname, attribute, module: wheel.name, method: wheel.method, returns: wheel.returns };
  writeFileSync(join(dir, ".hybrid-test.json"), JSON.stringify(facts, null, 2));
  gitTrackAll(dir);
  return dir;
}

/** The task of the envrc fixture: what a terminal of the folder gets, one variable per line, in .terminal-env. */
export const TERMINAL_ENV_TASK = "show-terminal-env";
export const TERMINAL_ENV_FILE = ".terminal-env";

export function makeEnvrcProject(spec: HybridFixtureSpec, dir: string): string {
  makeHybridProject({ ...spec, git: false }, dir);
  writeFileSync(join(dir, ".envrc"), "use flake\n");
  writeFileSync(join(dir, ".gitignore"), ".venv/\n.direnv/\n.terminal-env\n");
  // No ${…} in the command: VS Code substitutes its own variables there.
  const script = `printf '%s\\n' "PATH=$PATH" "VIRTUAL_ENV=$VIRTUAL_ENV" "DIRENV_DIR=$DIRENV_DIR" "FROM_NIX=$FROM_NIX" > ${TERMINAL_ENV_FILE}`;
  mkdirSync(join(dir, ".vscode"), { recursive: true });
  writeFileSync(
    join(dir, ".vscode", "tasks.json"),
    JSON.stringify({ version: "2.0.0", tasks: [{ label: TERMINAL_ENV_TASK, type: "shell", command: script, options: { shell: { executable: "/bin/bash", args: ["-c"] } }, problemMatcher: [] }] }, null, 2),
  );
  gitTrackAll(dir);
  return dir;
}

/** The fixtures' shellHook: Nix's site-packages on PYTHONPATH, as the seed's does. */
function pythonPathHook(): string {
  const py = machinePython();
  return `
        export NIX_PYTHON_SITE_PACKAGES=\${./nixpy}/lib/python${py.version}/site-packages
        export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES''\${PYTHONPATH:+:$PYTHONPATH}
        ${HOOK}
      `;
}
