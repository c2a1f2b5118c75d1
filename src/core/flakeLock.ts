// Reading flake.lock (version 5 to 7): the inputs as a user names them ("nixpkgs",
// "flake-utils/systems"), what each is locked to, where its source is in the store, and what
// changed between two lock files. The store path of a locked input is computed from its narHash
// the way Nix names fixed-output sources, so no process is needed to know whether it is there.
import { createHash } from "node:crypto";
import { InvalidInputError } from "./errors";

export interface LockedInput {
  /** "nixpkgs", or "flake-utils/systems" for an input of an input. */
  readonly path: string;
  /** The node's key in the lock file. */
  readonly node: string;
  readonly type?: string;
  readonly rev?: string;
  readonly narHash?: string;
  /** Seconds since the epoch. */
  readonly lastModified?: number;
  /** github:NixOS/nixpkgs, git+file:///…, path:/… — for people. */
  readonly url: string;
  /** owner/repo for github/gitlab/sourcehut inputs. */
  readonly repo?: string;
}

interface LockNode {
  readonly inputs?: Record<string, string | string[]>;
  readonly locked?: Record<string, unknown>;
  readonly original?: Record<string, unknown>;
}

interface LockFile {
  readonly nodes: Record<string, LockNode>;
  readonly root: string;
  readonly version: number;
}

export function parseLock(text: string, what = "flake.lock"): LockFile {
  let lock: LockFile;
  try {
    lock = JSON.parse(text) as LockFile;
  } catch (err) {
    throw new InvalidInputError(`${what} is not valid JSON (${(err as Error).message}). Restore it from git, or delete it and run the update again.`);
  }
  if (typeof lock !== "object" || lock === null || typeof lock.nodes !== "object" || typeof lock.root !== "string") {
    throw new InvalidInputError(`${what} is not a flake lock file (no "nodes" and "root").`);
  }
  return lock;
}

/** Every input reachable from the root, by the path a user would name it; `follows` links are not repeated. */
export function lockedInputs(text: string): LockedInput[] {
  const lock = parseLock(text);
  const found: LockedInput[] = [];
  const walk = (nodeKey: string, prefix: string, depth: number) => {
    const node = lock.nodes[nodeKey];
    if (!node?.inputs || depth > 8) return;
    for (const [name, ref] of Object.entries(node.inputs)) {
      if (Array.isArray(ref)) continue; // `follows`: the same node as another input
      const path = prefix ? `${prefix}/${name}` : name;
      found.push(describeNode(lock, ref, path));
      walk(ref, path, depth + 1);
    }
  };
  walk(lock.root, "", 0);
  return found;
}

/** The node an input path ("nixpkgs", "a/b") resolves to, following `follows`. */
export function resolveInput(text: string, inputPath: string): LockedInput | undefined {
  const lock = parseLock(text);
  const nodeKey = resolveNodePath(lock, inputPath.split("/"), 0);
  return nodeKey === undefined ? undefined : describeNode(lock, nodeKey, inputPath);
}

function resolveNodePath(lock: LockFile, segments: readonly string[], depth: number): string | undefined {
  let key = lock.root;
  for (const seg of segments) {
    const ref = lock.nodes[key]?.inputs?.[seg];
    if (ref === undefined || depth > 16) return undefined;
    const next = Array.isArray(ref) ? resolveNodePath(lock, ref, depth + 1) : ref;
    if (next === undefined) return undefined;
    key = next;
  }
  return key;
}

function describeNode(lock: LockFile, key: string, path: string): LockedInput {
  const locked = lock.nodes[key]?.locked ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const type = str(locked.type);
  const owner = str(locked.owner);
  const repoName = str(locked.repo);
  const repo = owner && repoName ? `${owner}/${repoName}` : undefined;
  const url = repo && type ? `${type}:${repo}` : (str(locked.url) ?? (str(locked.path) ? `path:${str(locked.path)}` : type ?? "?"));
  return {
    path,
    node: key,
    type,
    rev: str(locked.rev),
    narHash: str(locked.narHash),
    lastModified: typeof locked.lastModified === "number" ? locked.lastModified : undefined,
    url: type === "git" && str(locked.url) && !str(locked.url)!.startsWith("git+") ? `git+${str(locked.url)}` : url,
    ...(repo ? { repo } : {}),
  };
}

export type InputChangeKind = "updated" | "added" | "removed";

export interface InputChange {
  readonly input: string;
  readonly kind: InputChangeKind;
  readonly before?: LockedInput;
  readonly after?: LockedInput;
}

/** What moved between two lock files (before may be absent: no flake.lock yet). */
export function diffLocks(before: string | undefined, after: string): InputChange[] {
  const old = new Map((before === undefined ? [] : lockedInputs(before)).map((i) => [i.path, i]));
  const now = new Map(lockedInputs(after).map((i) => [i.path, i]));
  const changes: InputChange[] = [];
  for (const [path, input] of now) {
    const was = old.get(path);
    if (!was) changes.push({ input: path, kind: "added", after: input });
    else if (was.narHash !== input.narHash || was.rev !== input.rev || was.url !== input.url) changes.push({ input: path, kind: "updated", before: was, after: input });
  }
  for (const [path, input] of old) if (!now.has(path)) changes.push({ input: path, kind: "removed", before: input });
  return changes;
}

/** "nixpkgs: 1a2b3c4 (2024-05-01) → 5d6e7f8 (2024-06-02)" */
export function formatChange(change: InputChange): string {
  const side = (i?: LockedInput) => (i ? `${i.rev ? i.rev.slice(0, 7) : (i.narHash ?? "?").slice(7, 19)} (${formatDate(i.lastModified)})` : "");
  if (change.kind === "added") return `${change.input}: added at ${side(change.after)}`;
  if (change.kind === "removed") return `${change.input}: removed (was ${side(change.before)})`;
  const moved = change.before!.url !== change.after!.url ? ` (${change.before!.url} → ${change.after!.url})` : "";
  return `${change.input}: ${side(change.before)} → ${side(change.after)}${moved}`;
}

export function formatDate(seconds: number | undefined): string {
  return seconds === undefined ? "date unknown" : new Date(seconds * 1000).toISOString().slice(0, 10);
}

const NIX_BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";

/** Nix's base-32 (its own alphabet, least significant bits first). */
export function nixBase32(bytes: Uint8Array): string {
  const length = Math.floor((bytes.length * 8 - 1) / 5) + 1;
  let out = "";
  for (let n = length - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    const c = (bytes[i]! >> j) | (i + 1 < bytes.length ? bytes[i + 1]! << (8 - j) : 0);
    out += NIX_BASE32[c & 0x1f];
  }
  return out;
}

/**
 * The store path of a flake input's source: a fixed-output, recursively hashed path named
 * "source" (Nix's makeFixedOutputPath for NAR hashes in SHA-256, with no references).
 */
export function sourceStorePath(narHash: string, storeDir = "/nix/store"): string | undefined {
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(narHash);
  if (!m) return undefined;
  const digest = Buffer.from(m[1]!, "base64").toString("hex");
  const fingerprint = `source:sha256:${digest}:${storeDir}:source`;
  const full = createHash("sha256").update(fingerprint).digest();
  const folded = new Uint8Array(20);
  for (let i = 0; i < full.length; i++) folded[i % 20]! ^= full[i]!;
  return `${storeDir}/${nixBase32(folded)}-source`;
}
