// Which extension is "in development" and which are installed, the same for both launchers.
// VS Code enables extensions in development whatever the workspace trust, so an untrusted run
// (and any suite with repoAs: "installed") installs hybrid-env the way a user has it; VS Code runs
// extensionTestsPath only with some extension in development, so an empty one stands in. Other
// extensions (the fakes, --extension) are always installed: the web workbench takes a single
// extensionDevelopmentPath (see install-extensions.mjs).
// repoAs: "vsix" installs hybrid-env from the packaged .vsix instead (browser launcher only: see
// vsix.mjs; run-in-browser.mjs does the install when hybridEnvVsix is set).
import { join } from "node:path";

export function extensionLayout(spec, extraExtensions, repoRoot) {
  const repoAs = spec.repoAs ?? (spec.trust ? "development" : "installed");
  const installed = repoAs === "installed" || repoAs === "vsix";
  return {
    hybridEnvInstalled: installed,
    hybridEnvVsix: repoAs === "vsix",
    devExtension: installed ? join(repoRoot, "test", "vscode", "extensions", "bench-host") : repoRoot,
    extensions: [...(repoAs === "installed" ? [repoRoot] : []), ...spec.extensions, ...extraExtensions],
  };
}
