// Which extension is "in development" and which are installed, the same for both launchers.
// VS Code enables extensions in development whatever the workspace trust, so an untrusted run
// (and any suite with repoAs: "installed") installs hybrid-env the way a user has it; VS Code runs
// extensionTestsPath only with some extension in development, so an empty one stands in. Other
// extensions (the fakes, --extension) are always installed: the web workbench takes a single
// extensionDevelopmentPath (see install-extensions.mjs).
import { join } from "node:path";

export function extensionLayout(spec, extraExtensions, repoRoot) {
  const installed = (spec.repoAs ?? (spec.trust ? "development" : "installed")) === "installed";
  return {
    hybridEnvInstalled: installed,
    devExtension: installed ? join(repoRoot, "test", "vscode", "extensions", "bench-host") : repoRoot,
    extensions: [...(installed ? [repoRoot] : []), ...spec.extensions, ...extraExtensions],
  };
}
