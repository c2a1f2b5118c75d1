// A hybrid project whose Nix Python packages come from a list over a local package set, so that
// adding a name to the list really adds an importable package, offline:
//
//   pythonPackages = { nixonly = ./pkgs/nixonly; extra = ./pkgs/extra; … };  # site-packages folders
//   python3 = { withPackages = f: f pythonPackages; };                       # stands in for nixpkgs'
//   myPkgs = p: with p; [ nixonly ];                                          # the seed's list shape
//   pythonEnv = python3.withPackages myPkgs;
//
// The shellHook joins the chosen folders (copied into the store) into PYTHONPATH, as the seed's
// hook does with the python.withPackages environment. The devShell's Python (for uv) is a
// withPackages-like environment with no packages (writeNixPythonEnv).
//
// Module: makeNixPackageSetProject(spec, dir). CLI, for the VS Code bench (plain Node):
//   node out/test/helpers/nixPackageSetFixture.js TARGET_DIR [SPEC_JSON]
// prints the folder to open (TARGET_DIR itself).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { devShellDerivation, gitTrackAll, pyprojectSource, tempDir, write, writeNixPythonEnv, type NixPackage } from "./fixtures";
import { machinePython } from "./tools";
import { makeWheel } from "./wheel";

export interface NixPackageSetSpec {
  /** The local package set: each becomes pkgs/NAME/NAME/__init__.py + NAME-VERSION.dist-info. */
  readonly packageSet?: readonly NixPackage[];
  /** The names in `myPkgs = p: with p; [ … ];` at first. */
  readonly inList?: readonly string[];
  /** Wheels uv installs. */
  readonly uvPackages?: readonly NixPackage[];
  /** Make it a git repo with every file tracked (default true). */
  readonly git?: boolean;
  /** .vscode/settings.json content. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export const DEFAULT_PACKAGE_SET: readonly NixPackage[] = [
  { name: "nixonly", version: "1.0" },
  { name: "extra", version: "2.5" },
  { name: "another", version: "0.3" },
];

/** The folder of one package of the set: a site-packages layout with one module. */
export function writeSitePackage(dir: string, p: NixPackage): void {
  const mod = p.name.replace(/-/g, "_");
  write(join(dir, mod, "__init__.py"), `VERSION = ${JSON.stringify(p.version)}\nSOURCE = "nix"\n`);
  write(join(dir, `${mod}-${p.version}.dist-info`, "METADATA"), `Metadata-Version: 2.1\nName: ${p.name}\nVersion: ${p.version}\n`);
}

export function nixPackageSetFlake(packageSet: readonly NixPackage[], inList: readonly string[]): string {
  const entries = packageSet.map((p) => `        ${p.name} = ./pkgs/${p.name};`).join("\n");
  return `{
  description = "hybrid-env test fixture: a Python package list drawn from a local package set";
  outputs = { self }:
    let
      # Stands in for nixpkgs' python3.pkgs: each package is a folder of site-packages.
      pythonPackages = {
${entries}
      };
      # Stands in for python3.withPackages: the chosen packages.
      python3 = { withPackages = f: f pythonPackages; };
      myPkgs = p: with p; [ ${inList.join(" ")} ];
      pythonEnv = python3.withPackages myPkgs;
      # "\${pkg}" copies the folder into the store, as building a package would.
      sitePackages = builtins.concatStringsSep ":" (map (pkg: "\${pkg}") pythonEnv);
    in {
      devShells.x86_64-linux.default = ${devShellDerivation({ fromNix: "package-set", shellHook: `
          export PYTHONPATH=\${sitePackages}''\${PYTHONPATH:+:$PYTHONPATH}
        ` })};
    };
}
`;
}

export function makeNixPackageSetProject(spec: NixPackageSetSpec = {}, dir = tempDir("nix-package-set")): string {
  const packageSet = spec.packageSet ?? DEFAULT_PACKAGE_SET;
  const inList = spec.inList ?? [packageSet[0]!.name];
  mkdirSync(dir, { recursive: true });
  machinePython(); // fail early, with python3's own error, when there is none
  writeNixPythonEnv(join(dir, "nixpy"), []);
  for (const p of packageSet) writeSitePackage(join(dir, "pkgs", p.name), p);
  const uvPackages = spec.uvPackages ?? [{ name: "uvonly", version: "3.1" }];
  for (const p of uvPackages) makeWheel(join(dir, "wheels"), p.name, p.version);
  write(join(dir, "flake.nix"), nixPackageSetFlake(packageSet, inList));
  write(join(dir, "pyproject.toml"), pyprojectSource(uvPackages));
  write(join(dir, ".gitignore"), ".venv/\n");
  if (spec.settings) write(join(dir, ".vscode", "settings.json"), JSON.stringify(spec.settings, null, 2));
  if (spec.git ?? true) gitTrackAll(dir);
  return dir;
}

// Run as a program only when it is the program (esbuild inlines this module into test bundles).
if (require.main === module && /nixPackageSetFixture\.[cm]?js$/.test(process.argv[1] ?? "")) {
  const [target, specJson] = process.argv.slice(2);
  if (!target) {
    console.error("usage: nixPackageSetFixture TARGET_DIR [SPEC_JSON]");
    process.exit(2);
  }
  console.log(makeNixPackageSetProject(specJson ? (JSON.parse(specJson) as NixPackageSetSpec) : {}, target));
}
