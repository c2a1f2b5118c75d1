// `hybrid-env shells [--json] [DIR]`: the flake's devShells for this system, one per line (the
// one --dev-shell selects marked with *), or as JSON. Cached by the files' key like `env`. The
// legacy `devShell.<system>` output is listed when it is all there is, with how to rename it.
import { listDevShells } from "../core/devShells";
import type { LoadRequest } from "../core/engine";
import { findNix } from "../core/tools";

export async function shellsCommand(req: LoadRequest, json: boolean): Promise<number> {
  const list = await listDevShells(req.runner, {
    nix: findNix(req.options.nixPath, req.baseEnv),
    dir: req.dir,
    env: req.baseEnv,
    signal: req.signal,
    timeoutMs: req.options.nixTimeoutMs,
    cacheDir: req.options.useCache ? req.options.cacheDir : undefined,
  });
  const selected = req.options.devShell;
  if (json) {
    const legacy = list.legacySystems.length > 0 ? { legacyDevShell: list.legacySystems } : {};
    process.stdout.write(JSON.stringify({ system: list.system, devShells: list.names, selected, bySystem: list.bySystem, ...legacy }, null, 2) + "\n");
  } else if (list.names.length > 0) {
    process.stdout.write(list.names.map((n) => `${n === selected ? "*" : " "} ${n}`).join("\n") + "\n");
  }
  if (list.names.length === 0 && list.legacySystems.includes(list.system)) {
    // Listed, and said plainly that it is not loaded: `nix develop` falls back to it, hybrid-env does not.
    if (!json) process.stdout.write(`  devShell.${list.system} (legacy output)\n`);
    process.stderr.write(
      `hybrid-env: the flake has only the legacy output devShell.${list.system}, which hybrid-env does not load: rename it to devShells.${list.system}.default\n`,
    );
    return 1;
  }
  if (list.names.length === 0) {
    const elsewhere = Object.entries(list.bySystem).filter(([, names]) => names.length > 0).map(([system]) => system);
    const hint = elsewhere.length > 0 ? ` (only for ${elsewhere.join(", ")})` : "";
    process.stderr.write(`hybrid-env: the flake has no devShells for ${list.system}${hint}\n`);
    return 1;
  }
  if (!list.names.includes(selected)) process.stderr.write(`hybrid-env: warning: --dev-shell ${selected} is not one of them\n`);
  return 0;
}
