// Let uv Install Its Own Copy / Leave It to Nix: the per-folder choice for one package that the
// lock wants and Nix provides. From a row of the Packages view (a Nix row the lock also wants), a
// package name (links, other extensions, tests), or a pick of the folder's such packages.
import type { NixProvidedPackage } from "../core/nixProvided/report";
import { normalizeName } from "../core/packageName";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import { withFolder, type CommandContext } from "./context";
import type { CommandSpec } from "./registry";

const LEFT_TO_NIX_FOLDERS = {
  which: (s: { environment?: { nixProvided?: { packages: readonly unknown[] } } }) => (s.environment?.nixProvided?.packages.length ?? 0) > 0,
  noneMessage: "No folder has a package that both uv.lock and the Nix devShell provide.",
};

export function nixProvidedCommands(ctx: CommandContext): Record<"letUvInstall" | "leaveToNix", CommandSpec> {
  return {
    letUvInstall: { run: withFolder(ctx, (owner, arg) => choose(ctx, owner, arg, true), LEFT_TO_NIX_FOLDERS) },
    leaveToNix: { run: withFolder(ctx, (owner, arg) => choose(ctx, owner, arg, false), LEFT_TO_NIX_FOLDERS) },
  };
}

async function choose(ctx: CommandContext, owner: FolderEnvironment, arg: unknown, uvInstalls: boolean): Promise<void> {
  const candidates = (owner.snapshot.environment?.nixProvided?.packages ?? []).filter((p) => p.uvInstalls !== uvInstalls);
  const name = nameOf(arg) ?? (await pick(ctx, candidates, uvInstalls));
  if (!name) return;
  if (!candidates.some((p) => p.name === name)) {
    await ctx.apis.window.showWarningMessage(
      uvInstalls ? `${name} is not a package that uv leaves to Nix in ${owner.folder.name}.` : `uv does not install its own copy of ${name} in ${owner.folder.name}.`,
    );
    return;
  }
  await owner.setUvInstalls(name, uvInstalls);
}

/** A Packages view row ({ record }), a package record ({ name }), or a name. */
function nameOf(arg: unknown): string | undefined {
  if (typeof arg === "string" && arg.trim() !== "") return normalizeName(arg.trim());
  if (typeof arg !== "object" || arg === null) return undefined;
  const record = "record" in arg ? (arg as { record: unknown }).record : arg;
  const name = (record as { name?: unknown }).name;
  return typeof name === "string" ? normalizeName(name) : undefined;
}

async function pick(ctx: CommandContext, candidates: readonly NixProvidedPackage[], uvInstalls: boolean): Promise<string | undefined> {
  if (candidates.length === 0) {
    await ctx.apis.window.showInformationMessage(uvInstalls ? "uv installs its own copy of every package already." : "Every package the lock wants and Nix provides is left to Nix already.");
    return undefined;
  }
  const items = candidates.map((p) => ({
    label: p.name,
    description: `Nix ${p.nixVersion} · uv.lock ${p.lockedVersion}${p.satisfied ? "" : " · $(warning) version mismatch"}`,
    name: p.name,
  }));
  const picked = await ctx.apis.window.showQuickPick(items, {
    title: uvInstalls ? "Let uv install its own copy of…" : "Leave to Nix again…",
    placeHolder: uvInstalls ? "Python still imports Nix's copy first; uv's copy completes the venv" : "uv removes its copy on the next sync",
  });
  return picked?.name;
}
