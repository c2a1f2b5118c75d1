// What the benchmark suites share. They measure and print; the only thing they assert is that the
// hybrid environment got applied (without it, no figure means anything). Each suite prints one
// line `BENCH {json}` that test/bench/vscode/warmOpen.mjs parses.
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import protocol from "../protocol.json";
import { waitFor } from "../suite-runner";
import { folders, hybridApi } from "../suites/hybridApi";
import type { HybridEnvApi } from "../../../src/folders/model";

/** What the extension's hidden command hybridEnv.internal.timings returns (src/extension.ts). */
export interface Timings {
  /** Duration of activate(). */
  readonly activateMs: number;
  /** Per folder URI: ms from the start of activate() to the folder's environment being applied. */
  readonly appliedMs: Readonly<Record<string, number>>;
  /** Processes hybrid-env started (its ProcessRunner's counter) since activation. */
  readonly spawned: number;
}

export const timings = async (): Promise<Timings> => (await vscode.commands.executeCommand<Timings>("hybridEnv.internal.timings"))!;

/** After the env is applied and the revalidation has ended, watch this long for late processes. */
const SETTLE_MS = 1_000;

export interface OpenFigures {
  readonly folder: string;
  readonly activateMs: number;
  readonly appliedMs: number;
  /** hybrid-env's own process counter, after the background revalidation ended. */
  readonly spawned: number;
  /** Lines in the process spies' log (nix/uv calls anywhere under the server) at that point. */
  readonly spyCalls: number | null;
  readonly spyLog: string[];
  readonly state: string;
  readonly packages: number;
}

export function spyLogLines(): string[] | null {
  const file = process.env[protocol.env.processLog];
  if (!file) return null;
  try {
    return readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
  } catch {
    return []; // no spy was called yet: the log does not exist
  }
}

/**
 * Waits for the first folder's environment to be applied, then for the load that follows (the
 * revalidation of a cached env, or the whole cold load) to end, and reads the figures.
 */
export async function measureOpen(timeoutMs: number): Promise<{ api: HybridEnvApi; folder: vscode.WorkspaceFolder; figures: OpenFigures }> {
  const api = await hybridApi();
  const folder = folders()[0];
  if (!folder) throw new Error("no workspace folder");
  const key = folder.uri.toString();
  const applied = await waitFor(async () => {
    const t = await timings();
    return t.appliedMs[key] !== undefined ? t : undefined;
  }, `${folder.name}'s environment to be applied`, timeoutMs, 20);
  // Packages are scanned when a load applies its result (not for the cached env applied at
  // activation): their presence with a settled state means the revalidating load has ended.
  await waitFor(
    () => api.getPackages(folder.uri) !== undefined && ["ready", "failed", "stale"].includes(api.getState(folder.uri)),
    `${folder.name}'s load to end (state ${api.getState(folder.uri)})`,
    timeoutMs,
    20,
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const after = await timings();
  const env = api.getEnvironment(folder.uri);
  if (!env?.VIRTUAL_ENV) throw new Error(`the hybrid environment was not applied to ${folder.name} (state ${api.getState(folder.uri)})`);
  const spyLog = spyLogLines();
  return {
    api,
    folder,
    figures: {
      folder: folder.name,
      activateMs: applied.activateMs,
      appliedMs: applied.appliedMs[key]!,
      spawned: after.spawned,
      spyCalls: spyLog?.length ?? null,
      spyLog: spyLog ?? [],
      state: api.getState(folder.uri),
      packages: api.getPackages(folder.uri)?.length ?? 0,
    },
  };
}

export function printBench(kind: string, figures: object): void {
  console.log(`BENCH ${JSON.stringify({ kind, ...figures })}`);
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Latency summary of a series of round trips or lags. */
export const summary = (xs: readonly number[]) => ({ n: xs.length, median: round(median(xs)), max: round(Math.max(0, ...xs)) });

/**
 * Measures responsiveness while `work` runs: sequential `executeCommand` round trips to the
 * workbench (setContext is handled in the renderer, so each one crosses extension host →
 * workbench → extension host), one every `everyMs`, and the extension host's event-loop lag
 * (how late a 10 ms timer fires).
 */
export async function whileResponsive<T>(
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; roundTripMs: number[]; loopLagMs: number[]; wallMs: number; extHostCpuMs: number }> {
  const roundTripMs: number[] = [];
  const loopLagMs: number[] = [];
  let done = false;
  let expected = performance.now() + 10;
  const lagTimer = setInterval(() => {
    const now = performance.now();
    loopLagMs.push(Math.max(0, now - expected));
    expected = now + 10;
  }, 10);
  const pinger = (async () => {
    for (let i = 0; !done; i++) {
      const t0 = performance.now();
      await vscode.commands.executeCommand("setContext", "hybridEnvBench.ping", i);
      roundTripMs.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  // CPU time of the extension host process (probes included): tells a busy extension host from
  // one that merely was not scheduled (2 cores shared with the browser and the server).
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  try {
    const result = await work();
    const cpu = process.cpuUsage(cpu0);
    return { result, roundTripMs, loopLagMs, wallMs: performance.now() - wall0, extHostCpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    done = true;
    clearInterval(lagTimer);
    await pinger;
  }
}
