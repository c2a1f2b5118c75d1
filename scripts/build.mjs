// Builds the two shipped bundles (extension, CLI) and, with --tests, the test bundles.
// esbuild inlines execa and smol-toml, so the .vsix and the CLI need no node_modules.
import { build } from "esbuild";
import { existsSync, readdirSync, statSync, rmSync } from "node:fs";
import { join } from "node:path";

const args = new Set(process.argv.slice(2));
const production = args.has("--production");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
};

function filesUnder(dir, suffix) {
  let found = [];
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found = found.concat(filesUnder(p, suffix));
    else if (name.endsWith(suffix)) found.push(p);
  }
  return found;
}

const started = Date.now();
await Promise.all([
  build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    // nixLanguage/languageClient.ts loads dist/languageClient.js by path, on purpose.
    logOverride: { "unsupported-require-call": "silent" },
  }),
  build({ ...common, entryPoints: ["src/nixLanguage/languageClientBundle.ts"], outfile: "dist/languageClient.js", external: ["vscode"] }),
  build({
    ...common,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cli.js",
    banner: { js: "#!/usr/bin/env node" },
  }),
]);

if (args.has("--tests")) {
  rmSync("out", { recursive: true, force: true });
  const entryPoints = [
    ...filesUnder("test/unit", ".test.ts"),
    ...filesUnder("test/integration", ".test.ts"),
    ...filesUnder("test/bench", ".ts").filter((f) => f.endsWith("bench.ts")),
    "test/helpers/makeFixtureCli.ts",
  ];
  await build({ ...common, entryPoints, outdir: "out/test", outbase: "test", sourcemap: "inline", external: ["vscode"] });
}
console.error(`build: ${Date.now() - started} ms`);
