// Benchmark (test/bench/vscode/warmOpen.mjs): one open of a hybrid folder with autoEnter "always".
// Prints the extension's own timings (activate(), activation → env applied) and the processes
// started, counted by hybrid-env and by the launcher's nix/uv spies. Run warm, it proves a cached
// open starts no process; run cold (empty cache), it is the open that fills the cache.
import { runMochaSuite } from "../suite-runner";
import { measureOpen, printBench } from "./measure";

export const run = () =>
  runMochaSuite(
    "bench: open a hybrid folder",
    () => {
      test("the environment gets applied (figures printed)", async () => {
        const { figures } = await measureOpen(240_000);
        printBench("open", figures);
      });
    },
    { timeoutMs: 300_000 },
  );
