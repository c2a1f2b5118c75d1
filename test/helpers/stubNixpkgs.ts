// A stand-in for nixpkgs, because there is no real nixpkgs on these machines (no network to
// GitHub, no binary cache). It has the shape hybrid-env reads from a real one:
//   flake.nix        legacyPackages.<system> = import ./. { … }   (what a flake input gives)
//   default.nix      { config, overlays, system }: { python311, python3, python311Packages, … }
// where each Python package is a derivation with pname, version and meta.description, as
// nixpkgs' buildPythonPackage gives them (never built: only evaluated). python3 is python311,
// as in nixpkgs; python310Packages exists so that "another Python's set" can be tested. The set
// holds popular real names and, to measure a listing of nixpkgs' size, numbered filler.
//
// It is a git repository, so that a test flake can take it as `git+file://` input, and a test
// can commit a new revision to it (for `hybrid-env update`).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tempDir, write } from "./fixtures";

export const STUB_PACKAGES: ReadonlyArray<readonly [name: string, version: string, description: string]> = [
  ["numpy", "1.26.4", "Fundamental package for array computing in Python"],
  ["scipy", "1.13.1", "Scientific tools for Python"],
  ["pandas", "2.2.2", "Powerful data structures for data analysis, time series, and statistics"],
  ["requests", "2.32.3", "HTTP library for Python"],
  ["requests-toolbelt", "1.0.0", "Toolbelt of useful classes and functions to be used with requests"],
  ["rich", "13.7.1", "Render rich text, tables, progress bars, syntax highlighting, markdown and more to the terminal"],
  ["pyyaml", "6.0.1", "The next generation YAML parser and emitter for Python"],
  ["scikit-learn", "1.5.0", "A set of python modules for machine learning and data mining"],
  ["python-dateutil", "2.9.0", "Powerful extensions to the standard datetime module"],
  ["torch", "2.3.1", "PyTorch: Tensors and Dynamic neural networks in Python with strong GPU acceleration"],
  ["matplotlib", "3.9.0", "Python plotting package"],
  ["toml", "0.10.2", "Python Library for Tom's Obvious, Minimal Language"],
  ["pytest", "8.2.2", "Framework for writing tests"],
  ["flask", "3.0.3", "The Python micro framework for building web applications"],
];

export interface StubNixpkgsOptions {
  /** Numbered filler packages (pkg00001 …) beyond the real names, to reach nixpkgs' size (~9,000). */
  readonly filler?: number;
  readonly dir?: string;
}

/** Nix source of the stub's default.nix. */
export function stubNixpkgsSource(filler: number): string {
  const entries = STUB_PACKAGES.map(([n, v, d]) => `    ${JSON.stringify(n)} = mk ${JSON.stringify(n)} ${JSON.stringify(v)} ${JSON.stringify(d)};`).join("\n");
  return `# hybrid-env test stub of nixpkgs (see test/helpers/stubNixpkgs.ts): not the real nixpkgs.
{ system ? builtins.currentSystem, config ? { }, overlays ? [ ] }:
let
  mkSet = pyVersion:
    let
      mk = pname: version: description:
        derivation {
          name = "python\${pyVersion}-\${pname}-\${version}";
          inherit system pname version;
          builder = "/bin/bash";
          args = [ "-c" "echo > $out" ];
        } // { meta = { inherit description; }; };
      filler = builtins.listToAttrs (builtins.genList (i: {
        name = "pkg\${toString (100000 + i)}";
        value = mk "pkg\${toString (100000 + i)}" "0.\${toString i}" "Filler package \${toString i} of the stub";
      }) ${filler});
    in filler // {
${entries}
      # Not packages: nixpkgs' sets hold functions and the interpreter too.
      buildPythonPackage = args: args;
      python = { pythonVersion = pyVersion; };
    };
  python311Packages = mkSet "3.11";
  python310Packages = mkSet "3.10";
  interpreter = pkgs: { inherit pkgs; withPackages = f: f pkgs; };
in {
  inherit python311Packages python310Packages;
  python3Packages = python311Packages;
  python311 = interpreter python311Packages;
  python310 = interpreter python310Packages;
  python3 = interpreter python311Packages;
}
`;
}

/** Writes the stub as a git repository and returns its folder. */
export function makeStubNixpkgs(opts: StubNixpkgsOptions = {}): string {
  const dir = opts.dir ?? tempDir("stub-nixpkgs");
  write(join(dir, "default.nix"), stubNixpkgsSource(opts.filler ?? 0));
  write(join(dir, "flake.nix"), `{\n  description = "hybrid-env test stub of nixpkgs";\n  outputs = { self }: { legacyPackages.x86_64-linux = import ./. { system = "x86_64-linux"; }; };\n}\n`);
  git(dir, "init", "-q");
  commitAll(dir, "stub nixpkgs");
  return dir;
}

export function commitAll(dir: string, message: string): string {
  git(dir, "add", "-A");
  git(dir, "-c", "user.name=hybrid-env tests", "-c", "user.email=tests@hybrid-env.invalid", "commit", "-q", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8" });
}

/**
 * A hybrid-like flake with the stub as its `nixpkgs` input (git+file), locked. `body` is the
 * expression of devShells.x86_64-linux.default, with `pkgs` in scope.
 */
export function makeFlakeWithStubNixpkgs(stubDir: string, body: string, env: Readonly<Record<string, string | undefined>>, extraInputs = ""): string {
  const dir = tempDir("stub-flake");
  write(
    join(dir, "flake.nix"),
    `{
  inputs.nixpkgs.url = "git+file://${stubDir}";${extraInputs}
  outputs = { self, nixpkgs, ... }:
    let pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in {
      devShells.x86_64-linux.default = ${body};
    };
}
`,
  );
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  execFileSync("nix", ["flake", "lock", "--extra-experimental-features", "nix-command flakes"], { cwd: dir, env: env as NodeJS.ProcessEnv, stdio: "pipe" });
  return dir;
}
