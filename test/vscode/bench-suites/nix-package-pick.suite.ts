// Benchmark (test/bench/vscode/nixPackagePick.mjs): how fast the Add Nix Package quick pick opens
// and shows the locked nixpkgs' Python packages, on the stub nixpkgs with ~9,000 entries per set.
// The first open is cold (hybrid-env's listing cache is empty: nix-instantiate evaluates the set,
// versions and descriptions included); the next ones read the cached listing. Each open: the
// launcher waits for the quick pick and for a package row to be rendered, stamping both with the
// machine's clock, from the moment the command is run; the extension's own figures (picker shown,
// items set) come back in the command's result. Prints one `BENCH {json}` line.
import * as vscode from "vscode";
import type { NixPackageCommandResult } from "../../../src/commands/nixPackages/args";
import { runMochaSuite, ui } from "../suite-runner";
import { folders } from "../suites/hybridApi";
import { printBench } from "./measure";

const OPENS = ["cold", "cached", "cached", "cached"] as const;
/** A row the catalogue shows near the top (sorted by name): the listing has arrived when it is rendered. */
const ROW = "flask";

export const run = () =>
  runMochaSuite(
    "bench: the Add Nix Package quick pick over a nixpkgs-sized package set",
    () => {
      test("open → picker shown → package rows rendered, cold and cached (figures printed)", async function () {
        if (!ui.available) this.skip();
        const folder = folders()[0]!;
        const opens = [];
        for (const kind of OPENS) {
          const stamps = ui.quickPickTimes(ROW, 300_000);
          await new Promise((r) => setTimeout(r, 1_500)); // the launcher is watching before the pick opens
          const t0 = Date.now();
          const result = vscode.commands.executeCommand<NixPackageCommandResult>("hybridEnv.addNixPackage", folder.uri);
          const { shownAt, rowAt } = await stamps;
          await ui.closeQuickInput();
          const r = await result;
          opens.push({ kind, shownMs: shownAt - t0, rowsMs: rowAt - t0, extension: r.pick });
        }
        printBench("nix-package-pick", { opens });
      });
    },
    { timeoutMs: 900_000 },
  );
