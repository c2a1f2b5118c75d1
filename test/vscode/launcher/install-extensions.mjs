// Installs extensions for a run by linking them into its fresh --extensions-dir as
// `<publisher>.<name>-<version>`: VS Code registers what it finds there on first start. A link
// rather than a copy, so that their relative requires (../shared/recorder.js) still resolve.
// Which extensions are installed rather than in development: see extension-layout.mjs.
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";

export function installExtensions(extensionsDir, extensionPaths) {
  for (const source of extensionPaths) {
    const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
    const folder = `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
    mkdirSync(extensionsDir, { recursive: true });
    symlinkSync(source, join(extensionsDir, folder), "dir");
  }
}
