// Counting wrappers for external programs (nix, uv): a folder of scripts, prepended to the
// server's PATH, that append one line per call to a log file and then run the real program, if
// there is one further down PATH. Suites read the log (its path is in the extension host's
// environment as HYBRID_ENV_BENCH_PROCESS_LOG) to prove what ran, or that nothing did.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { protocol } from "./protocol.mjs";

function wrapperScript(name, logFile, spyDir) {
  return `#!/bin/sh
# Written by the hybrid-env test launcher: records the call, then runs the real ${name}.
printf '%s\\n' "${name} $*" >> '${logFile}'
real=$(PATH=$(printf '%s' "$PATH" | tr ':' '\\n' | grep -vx '${spyDir}' | paste -sd:) command -v ${name})
[ -n "$real" ] || { echo "${name}: not found (behind the test spy)" >&2; exit 127; }
exec "$real" "$@"
`;
}

/** Creates the wrappers in `<dir>/spy-bin`; returns the env entries for the server. */
export function installProcessSpies(dir, names) {
  const spyDir = join(dir, "spy-bin");
  const logFile = join(dir, "processes.log");
  mkdirSync(spyDir, { recursive: true });
  for (const name of names) {
    const path = join(spyDir, name);
    writeFileSync(path, wrapperScript(name, logFile, spyDir));
    chmodSync(path, 0o755);
  }
  return { PATH: `${spyDir}:${process.env.PATH}`, [protocol.env.processLog]: logFile };
}
