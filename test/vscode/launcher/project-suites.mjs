// The project's suites, each with the workspace it opens and how the server is set up for it.
// repoAs: hybrid-env "in development" (extensionDevelopmentPath, the default when trusted) or
// "installed" like a user's copy (the default when untrusted: VS Code exempts extensions in
// development from restricted mode), or "vsix": installed from `npm run package`'s .vsix (vsix.mjs).
// `npm run test:vscode` without arguments runs projectSuites(); the failing runner self-test is
// kept apart (failingSelfTest()) and run by `--self-test`.
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/** Nix: nixonly + shared-pkg 1.0; uv: uvonly + shared-pkg 2.0 (shadowed); extra-pkg to add later. */
const HYBRID_ENTER = {
  name: "hybrid",
  nixPackages: [{ name: "nixonly", version: "1.0" }, { name: "shared-pkg", version: "1.0" }],
  uvPackages: [{ name: "uvonly", version: "3.1" }, { name: "shared-pkg", version: "2.0" }],
  extraWheels: [{ name: "extra-pkg", version: "0.5" }],
  checkTask: true,
  // The shadowed copy is what this suite checks: uv installs its own shared-pkg (issue 12.1's default leaves it to Nix).
  settings: { "hybridEnv.skipNixProvided": false },
};

/** Issue 12 part 1: Nix has heavy 2.0 (needs heavy-dep) and heavy-dep 1.5; the project asks heavy>=2.5 (uv.lock: 2.6). */
const NIX_PROVIDED = {
  name: "nixprovided",
  nixPackages: [{ name: "heavy", version: "2.0", requires: ["heavy-dep>=1"] }, { name: "heavy-dep", version: "1.5" }, { name: "nixonly", version: "1.0" }],
  uvPackages: [{ name: "uvonly", version: "3.1" }, { name: "heavy", version: "2.6", requires: ["heavy-dep>=1"] }, { name: "heavy-dep", version: "1.5" }],
  dependencies: ["uvonly==3.1", "heavy>=2.5"],
  settings: { "hybridEnv.autoEnter": "always" },
};

/**
 * For the real Python extensions: also a native module whose library is only in the store, and
 * ipykernel from PyPI (the Jupyter kernel's), pinned as in test/helpers/clientFixture.ts so uv's
 * cache (exampleEnv's UV_CACHE_DIR) serves it.
 */
const PYTHON_REAL = { ...HYBRID_ENTER, nativeLibrary: true, devTools: ["ipykernel==7.4.0"] };

/** An earlier hybrid-env wrote this into the folder's settings; Enter takes it out again. */
const LEGACY_ENV_FILE = { "python.envFile": "${workspaceFolder}/.venv/hybrid-env.env" };

const twoFolders = (name) => ({ name, fromNix: `${name}-value`, checkTask: true, settings: { "hybridEnv.autoEnter": "always" } });

/**
 * The example's uv dependencies come from PyPI: uv uses the machine's cache (warmed by `npm start`;
 * runs set XDG_CACHE_HOME to a fresh folder), and Nix neither sandboxes nor asks a binary cache.
 */
const exampleEnv = () => ({
  UV_CACHE_DIR: process.env.UV_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "uv"),
  NIX_CONFIG: ["experimental-features = nix-command flakes", "sandbox = false", "substituters ="].join("\n"),
});

/**
 * The real Python extensions in each mode (python-extensions.mjs): "on" delegates discovery and
 * selection to Python Environments (PET locates); "off" is the Python extension alone.
 */
const realPython = (mode) => ({ python: "real", pythonEnvs: mode === "on", env: { HYBRID_ENV_BENCH_PYTHON_ENVS: mode } });

/** The HYBRID_ENTER project entered at start, with the DOM terminal renderer (the screen is read). */
const ENTERED = { ...HYBRID_ENTER.settings, "hybridEnv.autoEnter": "always", "terminal.integrated.gpuAcceleration": "off" };
const enteredHybrid = { folders: [{ ...HYBRID_ENTER, settings: ENTERED }] };

export function projectSuites(repoRoot) {
  const bench = join(repoRoot, "test", "vscode");
  const suite = (name) => join(bench, "suites", `${name}.suite.ts`);
  const fixture = (name) => join(bench, "fixtures", name);
  const extension = (name) => join(bench, "extensions", name);
  // Issue 9 item 8: the real Python extensions against hybrid-env in development and installed
  // from its .vsix, in both modes, on the user-machine profile.
  const pythonReal = ["on", "off"].flatMap((mode) =>
    [["dev", "development"], ["vsix", "vsix"]].map(([short, repoAs]) => ({
      name: `python-${short}-envs-${mode}`, suite: suite("python-real"), generate: { folders: [{ ...PYTHON_REAL, settings: ENTERED }] }, repoAs, extensions: [], trust: true, home: "user-machine", timeoutMs: 300_000,
      ...realPython(mode), env: { ...realPython(mode).env, UV_CACHE_DIR: exampleEnv().UV_CACHE_DIR },
    })),
  );
  return [
    { name: "activation-hybrid", suite: suite("activation-hybrid"), workspace: fixture("hybrid"), extensions: [], trust: true, spy: ["nix", "uv"] },
    // The same checks on an installed copy: proves "installed" works, so that the untrusted suite's
    // "not active" is not merely "not found".
    { name: "activation-installed", suite: suite("activation-hybrid"), workspace: fixture("hybrid"), extensions: [], trust: true, spy: ["nix", "uv"], repoAs: "installed" },
    { name: "activation-empty", suite: suite("activation-empty"), workspace: fixture("empty"), extensions: [], trust: true },
    { name: "untrusted", suite: suite("untrusted"), workspace: fixture("hybrid"), extensions: [], trust: false, spy: ["nix", "uv"] },
    // The fakes themselves, which stand in for the real ones on the minimum-version server.
    { name: "fake-python", suite: suite("fake-python"), workspace: fixture("hybrid"), python: "fake", extensions: [], trust: true },
    { name: "ui-helper", suite: suite("ui-helper"), workspace: fixture("empty"), extensions: [extension("ui-probe")], trust: true },
    // Issue 4: real nix and uv on generated hybrid projects (test/helpers/fixtures.ts).
    { name: "hybrid-enter", suite: suite("hybrid-enter"), generate: { folders: [{ ...HYBRID_ENTER, settings: { ...HYBRID_ENTER.settings, ...LEGACY_ENV_FILE } }] }, extensions: [], trust: true, timeoutMs: 300_000, ...realPython("on") },
    { name: "nix-provided", suite: suite("nix-provided"), generate: { folders: [NIX_PROVIDED] }, extensions: [], trust: true, timeoutMs: 300_000 },
    { name: "multi-root", suite: suite("multi-root"), generate: { folders: [twoFolders("a"), twoFolders("b")] }, extensions: [], trust: true, ...realPython("on") },
    // Issue 5: Add/Remove Nix Package on a flake whose list draws from a local package set; the
    // Nix language (grammar, language client against test/lsp-server), and off beside Nix IDE.
    // No Python extension: nothing here asks one, and a user may have none.
    { name: "nix-packages", suite: suite("nix-packages"), generate: { folders: [{ name: "packages", shape: "nix-package-set", settings: { "hybridEnv.autoEnter": "always" } }] }, extensions: [], trust: true, timeoutMs: 300_000 },
    // Issue 10: a flake over the stub nixpkgs (a locked git+file input), its devShell in
    // nix/devshell.nix: the check, the quick pick's catalogue, the devShell preference, Update
    // Nix Inputs with Undo; and the done-when, on a git-tracked copy of the bundled example.
    { name: "nix-packages-nixpkgs", suite: suite("nix-packages-nixpkgs"), generate: { folders: [{ name: "stubbed", shape: "stub-nixpkgs", settings: { "hybridEnv.autoEnter": "always" } }] }, extensions: [], trust: true, env: { NIX_CONFIG: exampleEnv().NIX_CONFIG }, timeoutMs: 600_000 },
    { name: "example-add-nix-package", suite: suite("example-add-nix-package"), workspace: join(repoRoot, "examples", "offline-hybrid"), gitInit: true, extensions: [], trust: true, env: exampleEnv(), timeoutMs: 400_000 },
    // Issue 12: the native-library doctor (a wheel that needs a library the environment lacks),
    // several devShells, real progress (four slow local builds), direnv coexistence.
    { name: "native-libraries", suite: suite("native-libraries"), generate: { folders: [{ name: "native", shape: "native-missing", settings: { "hybridEnv.autoEnter": "always" } }] }, extensions: [], trust: true, timeoutMs: 300_000 },
    { name: "dev-shells", suite: suite("dev-shells"), generate: { folders: [{ name: "shells", shape: "two-devshells", settings: { "hybridEnv.autoEnter": "always" } }] }, extensions: [], trust: true, spy: ["nix"], timeoutMs: 300_000 },
    { name: "load-progress", suite: suite("load-progress"), generate: { folders: [{ name: "slow", shape: "slow-builds", settings: { "hybridEnv.autoEnter": "always" } }] }, extensions: [], trust: true, timeoutMs: 300_000 },
    // direnv's `use flake` runs nix itself (flakes on, offline); its allow list in a folder of the run's own.
    {
      name: "direnv",
      suite: suite("direnv"),
      generate: { folders: [{ name: "direnv", shape: "envrc", settings: { "hybridEnv.autoEnter": "always" } }] },
      python: "fake",
      extensions: [extension("fake-direnv")],
      trust: true,
      env: { NIX_CONFIG: exampleEnv().NIX_CONFIG, XDG_DATA_HOME: join(tmpdir(), `hybrid-env-direnv-data-${process.pid}`) },
      timeoutMs: 300_000,
    },
    // Issue 6: Create Hybrid Project on an empty git folder.
    { name: "create-project", suite: suite("create-project"), workspace: fixture("empty-git"), extensions: [], trust: true },
    { name: "nix-language", suite: suite("nix-language"), workspace: fixture("nix-language"), extensions: [], trust: true },
    { name: "nix-language-nix-ide", suite: suite("nix-language-nix-ide"), workspace: fixture("nix-language"), extensions: [fixture("nix-ide-fake")], trust: true },
    // Issue 6: the .vsix of `npm run package` (built once per run), installed with the server's
    // --install-extension, on a git-tracked copy of the bundled example (vsix.mjs).
    { name: "vsix-installed", suite: suite("vsix-installed"), workspace: join(repoRoot, "examples", "offline-hybrid"), gitInit: true, repoAs: "vsix", extensions: [], trust: true, timeoutMs: 300_000, ...realPython("on"), env: { ...exampleEnv(), HYBRID_ENV_BENCH_PYTHON_ENVS: "on" } },
    ...pythonReal,
    // Issue 9 items 1 and 7: the user-machine profile. hybrid-env alone must win over the rc
    // files (no Python extension, whose own terminal activation could hide a failure of ours).
    { name: "profile-terminal", suite: suite("terminal-rc"), generate: enteredHybrid, extensions: [], trust: true, home: "user-machine", timeoutMs: 300_000 },
    // The same with the real Python extensions, whose own terminal activation runs beside ours.
    { name: "profile-terminal-python", suite: suite("terminal-rc"), generate: enteredHybrid, extensions: [], trust: true, home: "user-machine", timeoutMs: 300_000, ...realPython("on") },
    // Item 1's fallback: shell integration turned off, so the rc files win in an ordinary
    // terminal; the notice says so once, and its Hybrid Env terminal (bash, zsh, fish) wins again.
    {
      name: "profile-terminal-nosi", suite: suite("terminal-nosi"), generate: enteredHybrid, extensions: [], trust: true, home: "user-machine", timeoutMs: 300_000,
      machineSettings: { "terminal.integrated.shellIntegration.enabled": false },
    },
  ];
}

export function failingSelfTest(repoRoot) {
  const bench = join(repoRoot, "test", "vscode");
  return {
    name: "failing-self-test",
    suite: join(bench, "self-test", "failing.suite.ts"),
    workspace: join(bench, "fixtures", "empty"),
    extensions: [],
    trust: true,
  };
}
