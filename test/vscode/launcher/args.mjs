// Command line of `npm run test:vscode -- ...`.
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";

export const USAGE = `usage: npm run test:vscode -- [options]
  (no options)            every project suite, each on its own fixture workspace
  --workspace PATH        folder or .code-workspace to open   } together: one suite
  --suite FILE            module exporting run() (.ts bundled) } on one workspace
  --extension PATH        extra extension, installed in the server (repeatable)
  --trust | --no-trust    trust the workspace (default), or not: restricted mode, and
                          hybrid-env installed rather than in development
  --env NAME=VALUE        extra variable for the server and extension host (repeatable)
  --spy PROGRAM           with --suite: wrap PROGRAM (nix, uv) in a counting script (repeatable)
  --spy-dir DIR           with --spy: keep the spies and their processes.log in DIR, not in the
                          run's temp folder; an unchanged spy keeps its mtime, so hybrid-env's cache
                          key (which includes the nix/uv binary's path and mtime) holds across runs
  --in-place              with --suite: open --workspace itself, not a copy (the suite may change
                          it); with a fixed --env XDG_CACHE_HOME=DIR, the next run opens warm
  --only NAME             run only the project suite NAME (repeatable)
  --min-version           use the oldest VS Code engines.vscode allows (code-server 4.93.1)
  --desktop               run with @vscode/test-electron on a desktop VS Code instead
                          (HYBRID_ENV_VSCODE_EXECUTABLE, or a download; skipped if neither works)
  --self-test             prove the runner fails: a failing suite must exit non-zero
  --timeout SECONDS       per suite (default 180)
  --jobs N                suites run at once (default 2)
  --keep-temp             keep each run's temp folder (server data, workspace copy)`;

export function parseCommandLine(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: "string" },
      suite: { type: "string" },
      extension: { type: "string", multiple: true, default: [] },
      trust: { type: "boolean" },
      "no-trust": { type: "boolean" },
      env: { type: "string", multiple: true, default: [] },
      spy: { type: "string", multiple: true, default: [] },
      "spy-dir": { type: "string" },
      "in-place": { type: "boolean", default: false },
      only: { type: "string", multiple: true, default: [] },
      "min-version": { type: "boolean", default: false },
      desktop: { type: "boolean", default: false },
      "self-test": { type: "boolean", default: false },
      timeout: { type: "string", default: "180" },
      jobs: { type: "string", default: "2" },
      "keep-temp": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (Boolean(values.workspace) !== Boolean(values.suite)) throw new Error("--workspace and --suite go together");
  if (values.trust && values["no-trust"]) throw new Error("--trust and --no-trust exclude each other");
  if (values["in-place"] && !values.suite) throw new Error("--in-place goes with --workspace and --suite");
  if (values["spy-dir"] && !values.spy.length) throw new Error("--spy-dir goes with --spy");
  if (values.desktop && (values["in-place"] || values["spy-dir"])) throw new Error("--in-place and --spy-dir work with the browser launcher only");
  const existing = (p) => {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new Error(`not found: ${p}`);
    return abs;
  };
  const env = Object.fromEntries(
    values.env.map((pair) => {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new Error(`--env wants NAME=VALUE, got ${pair}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout wants seconds, got ${values.timeout}`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs wants a whole number >= 1, got ${values.jobs}`);
  return {
    help: values.help,
    jobs,
    single: values.suite
      ? { name: basename(values.suite).replace(/\.\w+$/, "").replace(/\.suite$/, ""), suite: existing(values.suite), workspace: existing(values.workspace), trust: !values["no-trust"], spy: values.spy, inPlace: values["in-place"], spyDir: values["spy-dir"] ? resolve(values["spy-dir"]) : undefined }
      : undefined,
    extensions: values.extension.map(existing),
    env,
    only: values.only,
    toolset: values["min-version"] ? "min" : "current",
    desktop: values.desktop,
    selfTest: values["self-test"],
    timeoutMs: timeoutSeconds * 1000,
    keepTemp: values["keep-temp"],
  };
}
