// An environment as a list of changes to the user's own environment. This is what VS Code's
// EnvironmentVariableCollection applies to terminals, and what `resolve` applies to a base env.
import { delimiter } from "node:path";

export type Mutation =
  | { readonly name: string; readonly op: "replace"; readonly value: string }
  | { readonly name: string; readonly op: "prepend" | "append"; readonly value: string; readonly separator: string }
  | { readonly name: string; readonly op: "unset" };

export type EnvMap = Readonly<Record<string, string | undefined>>;

/** Variables whose devShell value goes in front of the user's, as `nix develop` does. */
export const PREPENDED_BY_NIX_DEVELOP: ReadonlySet<string> = new Set(["PATH", "XDG_DATA_DIRS"]);

/** Never handed to the user: UV_PYTHON overrides VIRTUAL_ENV and sends `uv pip` into /nix/store. */
export const NEVER_EXPORTED: ReadonlySet<string> = new Set(["UV_PYTHON"]);

export function resolve(base: EnvMap, mutations: readonly Mutation[]): Record<string, string> {
  const out: Record<string, string | undefined> = { ...base };
  for (const m of mutations) {
    const current = out[m.name];
    switch (m.op) {
      case "replace":
        out[m.name] = m.value;
        break;
      case "prepend":
        out[m.name] = current ? `${m.value}${m.separator}${current}` : m.value;
        break;
      case "append":
        out[m.name] = current ? `${current}${m.separator}${m.value}` : m.value;
        break;
      case "unset":
        delete out[m.name];
        break;
    }
  }
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(out)) if (v !== undefined) clean[k] = v;
  return clean;
}

/**
 * Collapses a list so that each variable has as few mutations as keep the effect: a later
 * replace/unset wins, consecutive prepends (or appends) fold into one. A variable both prepended
 * and appended to keeps two mutations (VS Code's collection holds one per variable: see
 * terminalEnvironment.ts for how that case is applied).
 */
export function normalize(mutations: readonly Mutation[]): Mutation[] {
  const byName = new Map<string, Mutation[]>();
  for (const m of mutations) {
    const prev = byName.get(m.name) ?? [];
    if (m.op === "replace" || m.op === "unset") {
      byName.delete(m.name); // re-insert: the order follows the last outright change
      byName.set(m.name, [m]);
    } else {
      byName.set(m.name, merge(prev, m));
    }
  }
  return [...byName.values()].flat();
}

function merge(prev: Mutation[], next: Mutation & { op: "prepend" | "append" }): Mutation[] {
  if (prev.length === 0) return [next];
  if (prev.length === 1 && (prev[0]!.op === "replace" || prev[0]!.op === "unset")) {
    const base = prev[0]!.op === "replace" ? prev[0]!.value : "";
    const value = next.op === "prepend" ? join(next.value, next.separator, base) : join(base, next.separator, next.value);
    return [{ name: next.name, op: "replace", value }];
  }
  const same = prev.findIndex((p) => p.op === next.op && p.separator === next.separator);
  if (same < 0) return [...prev, next];
  const old = prev[same] as Mutation & { op: "prepend" | "append" };
  const value = next.op === "prepend" ? join(next.value, next.separator, old.value) : join(old.value, next.separator, next.value);
  return prev.map((p, i) => (i === same ? { ...old, value } : p));
}

function join(a: string, sep: string, b: string): string {
  return a && b ? `${a}${sep}${b}` : a || b;
}

/**
 * Describes how `after` differs from `before` as mutations: a value that ends with the old one
 * becomes a prepend (so the user's own PATH survives), one that starts with it an append, any
 * other change a replace, a removed variable an unset.
 */
export function diff(before: EnvMap, after: EnvMap, ignore: ReadonlySet<string> = new Set()): Mutation[] {
  const out: Mutation[] = [];
  for (const [name, value] of Object.entries(after)) {
    if (value === undefined || ignore.has(name)) continue;
    const old = before[name];
    if (old === value) continue;
    if (old && value.endsWith(`${delimiter}${old}`)) {
      out.push({ name, op: "prepend", value: value.slice(0, -old.length - 1), separator: delimiter });
    } else if (old && value.startsWith(`${old}${delimiter}`)) {
      out.push({ name, op: "append", value: value.slice(old.length + 1), separator: delimiter });
    } else {
      out.push({ name, op: "replace", value });
    }
  }
  for (const name of Object.keys(before)) {
    if (before[name] !== undefined && after[name] === undefined && !ignore.has(name)) out.push({ name, op: "unset" });
  }
  return out;
}

/** The devShell's exported variables as `nix develop` applies them. */
export function devShellMutations(exported: ReadonlyMap<string, string>): Mutation[] {
  const out: Mutation[] = [];
  for (const [name, value] of exported) {
    if (NEVER_EXPORTED.has(name)) continue;
    if (PREPENDED_BY_NIX_DEVELOP.has(name)) out.push({ name, op: "prepend", value, separator: delimiter });
    else out.push({ name, op: "replace", value });
  }
  return out;
}
