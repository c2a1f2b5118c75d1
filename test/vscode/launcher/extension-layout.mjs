// Which extension is "in development" and which are installed, the same for both launchers.
// VS Code enables extensions in development whatever the workspace trust, so an untrusted run
// (and any suite with repoAs: "installed") installs hybrid-env the way a user has it; VS Code runs
// extensionTestsPath only with some extension in development, so an empty one stands in. Other
// extensions (the fakes, --extension) are always installed: the web workbench takes a single
// extensionDevelopmentPath (see install-extensions.mjs).
// repoAs: "vsix" installs hybrid-env from the packaged .vsix instead (browser launcher only: see
// vsix.mjs; run-in-browser.mjs does the install when hybridEnvVsix is set).
//
// python: "real" installs the real ms-python.python, ms-python.vscode-python-envs and
// ms-python.debugpy (python-extensions.mjs); "fake" the recording fakes of extensions/; "none" (the
// default) neither. The real ones need VS Code >= 1.110 and the browser launcher: on the
// minimum-version server and on the desktop launcher "real" falls back to the fakes, which play
// the same public APIs, and the run's header says so.
import { join } from "node:path";

export function extensionLayout(spec, extraExtensions, repoRoot, { toolset = "current", desktop = false } = {}) {
  const repoAs = spec.repoAs ?? (spec.trust ? "development" : "installed");
  const installed = repoAs === "installed" || repoAs === "vsix";
  const wanted = spec.python ?? "none";
  const python = wanted === "real" && (toolset !== "current" || desktop) ? "fake" : wanted;
  const fakes = ["fake-python", "fake-python-envs"].map((name) => join(repoRoot, "test", "vscode", "extensions", name));
  return {
    hybridEnvInstalled: installed,
    hybridEnvVsix: repoAs === "vsix",
    devExtension: installed ? join(repoRoot, "test", "vscode", "extensions", "bench-host") : repoRoot,
    python,
    realPython: python === "real",
    extensions: [...(repoAs === "installed" ? [repoRoot] : []), ...(python === "fake" ? fakes : []), ...spec.extensions, ...extraExtensions],
  };
}
