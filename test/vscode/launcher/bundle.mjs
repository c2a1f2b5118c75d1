// Suites are TypeScript (type-checked with the project); the extension host needs one CommonJS
// file per suite. esbuild bundles each into out/test-vscode/, keeping `vscode` (given by the
// extension host) and `mocha` (resolved from the repo's node_modules at run time: it loads its
// reporters dynamically and does not bundle well) external. A .js/.cjs suite is used as it is.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { basename, join, relative, resolve } from "node:path";

export async function bundleSuites(repoRoot, suitePaths) {
  const outRoot = join(repoRoot, "out", "test-vscode");
  const bundled = new Map();
  const entries = {};
  for (const path of suitePaths) {
    if (!/\.m?ts$/.test(path)) {
      bundled.set(path, path);
      continue;
    }
    const rel = relative(repoRoot, path);
    // Suites outside the repo get a folder named by a hash of their path, still under out/ so
    // that `require("mocha")` finds the repo's node_modules.
    const name = rel.startsWith("..")
      ? join("external", createHash("sha1").update(path).digest("hex").slice(0, 10), basename(path).replace(/\.m?ts$/, ""))
      : rel.replace(/\.m?ts$/, "");
    entries[name] = path;
    bundled.set(path, resolve(outRoot, `${name}.js`));
  }
  if (Object.keys(entries).length > 0) {
    await build({
      entryPoints: entries,
      outdir: outRoot,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: "inline",
      external: ["vscode", "mocha"],
      logLevel: "warning",
    });
  }
  return bundled;
}
