// Looking at live processes from tests (Linux /proc), to prove that nothing was left running.
import { readdirSync, readFileSync } from "node:fs";

/** Alive = exists in /proc and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line contains marker. */
export function processesWithArg(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker) && alive(Number(pid))) found.push(Number(pid));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Polls check until it holds or ms pass; resolves to its last answer. */
export async function waitUntil(check: () => boolean, ms: number, everyMs = 25): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
