// Runs a test command against one Nix version: a stage of the version matrix in scripts/test-all.mjs.
//   node scripts/nix-matrix.mjs debian TAPFILE -- CMD...   the machine's nix (Debian's nix-bin 2.8)
//   node scripts/nix-matrix.mjs 2.30.5 TAPFILE -- CMD...   Nix 2.30.5 from the shared tools folder,
//                                                         over a private /nix (see nix-deps.mjs)
// The tests learn which version they run against from HYBRID_ENV_TEST_NIX_VERSION (and check that
// the nix on PATH is that one). When Nix 2.30.5 cannot be had here, the stage says "skipped: …"
// loudly and writes a TAP file that counts one skipped test, so it never passes silently.
// After a 2.30.5 run the real /nix database must still be 2.8's: checked, and a failure if not.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { ensureNix, NIX_VERSION, privateNixCommand, realNixDbMigrated } from "./nix-deps.mjs";

const [which, tapFile, separator, ...cmd] = process.argv.slice(2);
if (!which || !tapFile || separator !== "--" || cmd.length === 0) {
  console.error("usage: node scripts/nix-matrix.mjs debian|2.30.5 TAPFILE -- CMD...");
  process.exit(2);
}

function nixVersionOnPath(env) {
  const r = spawnSync("nix", ["--version"], { env, encoding: "utf8" });
  return /(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout ?? "")?.[1];
}

function skipped(reason) {
  const line = `skipped: ${reason}`;
  console.log(`\n${"!".repeat(line.length)}\n${line}\n${"!".repeat(line.length)}\n`);
  writeFileSync(
    tapFile,
    ["TAP version 13", `ok 1 - tests against Nix ${NIX_VERSION} # SKIP ${reason}`, "1..1", "# tests 1", "# pass 0", "# fail 0", "# cancelled 0", "# skipped 1", ""].join("\n"),
  );
  process.exit(0);
}

function runInherited(argv, env) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: "inherit", env });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let argv = cmd;
let env = { ...process.env };
if (which === "debian") {
  const version = nixVersionOnPath(env);
  if (!version) skipped("no nix on PATH (scripts/setup.sh installs Debian's nix-bin)");
  if (!version.startsWith("2.8.")) console.log(`[nix-matrix] note: this stage is named for Debian's Nix 2.8; the nix on PATH is ${version}`);
  env.HYBRID_ENV_TEST_NIX_VERSION = version;
} else if (which === NIX_VERSION) {
  const nix = ensureNix();
  if (!nix.available) skipped(nix.reason);
  env = { ...env, PATH: `${nix.bin}:${env.PATH}`, HYBRID_ENV_TEST_NIX_VERSION: NIX_VERSION };
  argv = privateNixCommand(nix.root, cmd);
  console.log(`[nix-matrix] Nix ${NIX_VERSION} from ${nix.bin}, /nix = ${nix.root} (private mount namespace)`);
} else {
  console.error(`nix-matrix: unknown Nix "${which}" (debian or ${NIX_VERSION})`);
  process.exit(2);
}

const before = realNixDbMigrated();
const code = await runInherited(argv, env);
if (which !== "debian" && !before && realNixDbMigrated()) {
  console.error(`[nix-matrix] FAILED: the real /nix/var/nix/db now has a SchemaMigrations table: Nix ${NIX_VERSION} touched it`);
  process.exit(1);
}
process.exit(code);
