// Offline hybrid projects built in temp folders: a flake with no inputs whose devShell provides a
// Python and Python packages from path literals (Nix copies them into the store, as nixpkgs would
// build them), and a uv project whose dependencies are wheels in a local find-links folder.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildNativeWheel, HYBNATIVE } from "./nativeWheel";
import { machinePython } from "./tools";
import { makeWheel } from "./wheel";

export interface NixPackage {
  readonly name: string;
  readonly version: string;
  /** Requires-Dist lines of its metadata ("heavy-dep>=1"). */
  readonly requires?: readonly string[];
}

export interface HybridFixtureSpec {
  /** Packages in the Nix Python environment. */
  readonly nixPackages?: readonly NixPackage[];
  /** Wheels uv installs: name → version. */
  readonly uvPackages?: readonly NixPackage[];
  /** The shellHook puts the Nix site-packages on PYTHONPATH (as the seed's does). */
  readonly hookSetsPythonPath?: boolean;
  /** Extra attributes of the devShell derivation, Nix source. */
  readonly extraShellAttrs?: string;
  /** Make it a git repo with every file tracked (default true). */
  readonly git?: boolean;
  /** Value of FROM_NIX in the devShell (tells folders apart in multi-root tests). */
  readonly fromNix?: string;
  /** Write .vscode/tasks.json with a task that checks the terminal environment. */
  readonly checkTask?: boolean;
  /** Wheels put in the find-links folder but not asked for (for tests that add a dependency). */
  readonly extraWheels?: readonly NixPackage[];
  /** .vscode/settings.json content. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * Also a library only in the store (./nativelib, on the devShell's LD_LIBRARY_PATH) and the uv
   * dependency hybnative, whose C extension links it (nativeWheel.ts).
   */
  readonly nativeLibrary?: boolean;
  /** A dev group from PyPI (pinned requirements); the local wheels then come as path sources. */
  readonly devTools?: readonly string[];
  /** pyproject's dependencies as written ("heavy>=2.5"), instead of uvPackages pinned with ==. */
  readonly dependencies?: readonly string[];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hybrid-env-${prefix}-`));
}

export function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * A folder laid out like a python.withPackages environment that looks like a venv to uv
 * (pyvenv.cfg, sys.prefix ≠ sys.base_prefix), holding the given packages.
 */
export function writeNixPythonEnv(dir: string, packages: readonly NixPackage[]): void {
  const py = machinePython();
  const site = join(dir, "lib", `python${py.version}`, "site-packages");
  mkdirSync(join(dir, "bin"), { recursive: true });
  symlinkSync(py.executable, join(dir, "bin", "python3"));
  write(join(dir, "pyvenv.cfg"), `home = ${dirname(py.executable)}\ninclude-system-site-packages = false\n`);
  for (const p of packages) {
    const mod = p.name.replace(/-/g, "_");
    write(join(site, mod, "__init__.py"), `VERSION = ${JSON.stringify(p.version)}\nSOURCE = "nix"\n`);
    const requires = (p.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join("");
    write(join(site, `${mod}-${p.version}.dist-info`, "METADATA"), `Metadata-Version: 2.1\nName: ${p.name}\nVersion: ${p.version}\n${requires}`);
  }
}

export function flakeSource(spec: HybridFixtureSpec): string {
  const py = machinePython();
  // Only with nativeLibrary: other fixtures' flake text (and the positions tests read in it) stays as it was.
  const native = spec.nativeLibrary ? "\n        export LD_LIBRARY_PATH=${./nativelib}/lib''${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" : "";
  const hook = spec.hookSetsPythonPath ?? true
    ? `
        export NIX_PYTHON_SITE_PACKAGES=\${./nixpy}/lib/python${py.version}/site-packages
        export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES''\${PYTHONPATH:+:$PYTHONPATH}
        export HOOK_RAN=yes${native}
      `
    : `export HOOK_RAN=yes${native}`;
  return `{
  description = "hybrid-env test fixture";
  outputs = { self }: {
    devShells.x86_64-linux.default = ${devShellDerivation({ fromNix: spec.fromNix ?? "nix-value", extraAttrs: spec.extraShellAttrs, shellHook: hook })};
  };
}
`;
}

/**
 * The fixtures' devShell: a plain derivation built with /bin/bash (no nixpkgs, offline), whose
 * PATH holds the fixture's Python (./nixpy). Nix source, indented for `devShells.<system>.default`.
 */
export function devShellDerivation(o: { fromNix: string; shellHook: string; extraAttrs?: string }): string {
  return `derivation {
      name = "hybrid-shell";
      system = "x86_64-linux";
      builder = "/bin/bash";
      outputs = [ "out" ];
      args = [ "-c" "echo > $out" ];
      PATH = "\${./nixpy}/bin";
      FROM_NIX = "${o.fromNix}";
      ${o.extraAttrs ?? ""}
      shellHook = ''${o.shellHook}'';
    }`;
}

export function pyprojectSource(
  uvPackages: readonly NixPackage[],
  dependencies?: readonly string[],
  devTools?: { readonly tools: readonly string[]; readonly wheels: Readonly<Record<string, string>> },
): string {
  const deps = (dependencies ?? uvPackages.map((p) => `${p.name}==${p.version}`)).map((d) => JSON.stringify(d)).join(", ");
  if (devTools) {
    // PyPI for the dev group; the local wheels by path, so no index is asked for their names.
    const sources = Object.entries(devTools.wheels).map(([name, file]) => `${name} = { path = ${JSON.stringify(`wheels/${file}`)} }`);
    return `[project]
name = "fixture-app"
version = "0.1.0"
requires-python = ">=${machinePython().version}"
dependencies = [${deps}]

[dependency-groups]
dev = [${devTools.tools.map((t) => JSON.stringify(t)).join(", ")}]

[tool.uv]
package = false

[tool.uv.sources]
${sources.join("\n")}
`;
  }
  return `[project]
name = "fixture-app"
version = "0.1.0"
requires-python = ">=3.8"
dependencies = [${deps}]

[tool.uv]
package = false
no-index = true
find-links = ["wheels"]
`;
}

export function makeHybridProject(spec: HybridFixtureSpec = {}, dir = tempDir("project")): string {
  writeNixPythonEnv(join(dir, "nixpy"), spec.nixPackages ?? [{ name: "nixonly", version: "1.0" }]);
  const uvPackages = [...(spec.uvPackages ?? [{ name: "uvonly", version: "3.1" }])];
  const wheels: Record<string, string> = {};
  const file = (p: string) => p.slice(p.lastIndexOf("/") + 1);
  for (const p of [...uvPackages, ...(spec.extraWheels ?? [])]) wheels[p.name] = file(makeWheel(join(dir, "wheels"), p.name, p.version, "uv", p.requires));
  if (spec.nativeLibrary) {
    wheels.hybnative = file(buildNativeWheel(join(dir, "wheels"), HYBNATIVE, { libDir: join(dir, "nativelib", "lib") }).wheel);
    uvPackages.push({ name: "hybnative", version: "1.0" });
  }
  write(join(dir, "flake.nix"), flakeSource(spec));
  write(join(dir, "pyproject.toml"), pyprojectSource(uvPackages, spec.dependencies, spec.devTools ? { tools: spec.devTools, wheels } : undefined));
  write(join(dir, ".gitignore"), ".venv/\n");
  if (spec.settings) write(join(dir, ".vscode", "settings.json"), JSON.stringify(spec.settings, null, 2));
  if (spec.checkTask) write(join(dir, ".vscode", "tasks.json"), checkTaskJson(spec.fromNix ?? "nix-value"));
  if (spec.git ?? true) gitTrackAll(dir);
  return dir;
}

export function gitTrackAll(dir: string): void {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
}

/**
 * A task whose exit code says whether a terminal of the folder got the hybrid environment: the
 * devShell's variable, the venv first on PATH, and both a Nix and a uv package importable.
 */
export function checkTaskJson(fromNix: string): string {
  const script = [
    `test "$FROM_NIX" = "${fromNix}" || exit 11`,
    `test "$VIRTUAL_ENV" = "\${workspaceFolder}/.venv" || exit 12`,
    `test "$(command -v python)" = "\${workspaceFolder}/.venv/bin/python" || exit 13`,
    `case "$PYTHONPATH" in /nix/store/*) ;; *) exit 14;; esac`,
    `python -c "import nixonly, uvonly" || exit 15`,
  ].join("; ");
  return JSON.stringify(
    { version: "2.0.0", tasks: [{ label: "check-hybrid-env", type: "shell", command: script, options: { shell: { executable: "/bin/bash", args: ["-c"] } }, problemMatcher: [] }] },
    null,
    2,
  );
}
