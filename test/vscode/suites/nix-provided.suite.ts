// Issue 12, part 1, on a real hybrid folder (real nix, real uv): uv does not install what Nix
// provides. Nix has heavy 2.0 and heavy-dep 1.5; the project asks heavy>=2.5 (uv.lock: 2.6) and
// gets heavy-dep through heavy. The Packages view shows the pairs, the mismatch is a warning with
// its choice, and the choice installs uv's copy (then Leave to Nix takes it out again).
import * as assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

export const run = () =>
  runMochaSuite(
    "uv leaves Nix's packages to Nix: the view's rows, the warning, the choice",
    () => {
      const folder = () => folders()[0]!;
      const venvDists = () => {
        const lib = join(folder().uri.fsPath, ".venv", "lib");
        const site = join(lib, readdirSync(lib).find((n) => n.startsWith("python"))!, "site-packages");
        return readdirSync(site).filter((n) => n.endsWith(".dist-info")).sort();
      };
      const row = async (name: string, description: RegExp) =>
        waitFor(async () => (await ui.treeRows("Packages")).find((r) => r.label === name && description.test(r.description)), `the ${name} row: ${description}`, 60_000);

      test("the folder enters (autoEnter) and uv installs neither heavy nor heavy-dep", async () => {
        const api = await hybridApi();
        await waitForState(api, folder(), "ready", 240_000);
        const dists = venvDists();
        assert.ok(dists.some((d) => d.startsWith("uvonly-")), dists.join(", "));
        assert.deepEqual(dists.filter((d) => d.startsWith("heavy")), [], "no copy of Nix's packages in the venv");
        assert.ok(existsSync(join(folder().uri.fsPath, "uv.lock")));
      });

      test("the mismatch is a warning with the choice; the Packages view shows the pairs and marks it", async () => {
        await ui.openView("Hybrid Env", "Packages");
        const dep = await row("heavy-dep", /^1\.5 · uv\.lock wants 1\.5 · not installed by uv$/);
        assert.ok(dep);
        const heavy = await row("heavy", /^2\.0 · uv\.lock wants 2\.6 · the project asks >=2\.5 · not installed by uv$/);
        assert.ok(heavy);
        console.log(`      view: ${await ui.screenshot("nix-provided-view")}`);
        // The notification, found by its text, and its button: uv installs its own heavy.
        await ui.clickNotificationButton("Let uv Install Its Own Copy", "Nix's heavy 2.0 does not satisfy what the project needs (the project asks >=2.5)");
      });

      test("the choice reloads: uv installs its own heavy 2.6 (shadowed by Nix's), heavy-dep stays with Nix", async () => {
        const api = await hybridApi();
        await waitFor(() => (venvDists().includes("heavy-2.6.dist-info") ? true : undefined), "uv's heavy in the venv", 120_000);
        await waitForState(api, folder(), "ready");
        assert.deepEqual(venvDists().filter((d) => d.startsWith("heavy")), ["heavy-2.6.dist-info"]);
        const copies = (api.getPackages(folder().uri) ?? []).filter((p) => p.name === "heavy");
        assert.deepEqual(copies.map((p) => [p.source, p.version, p.shadowedBy?.source]), [["nix", "2.0", undefined], ["uv", "2.6", "nix"]]);
        await row("heavy", /uv installs its own copy \(your choice\)$/);
      });

      test("Leave to Nix takes uv's copy out again, and the warning does not come back", async () => {
        const api = await hybridApi();
        await vscode.commands.executeCommand("hybridEnv.leaveToNix", folder().uri, "heavy");
        await waitFor(() => (venvDists().some((d) => d.startsWith("heavy")) ? undefined : true), "uv's heavy removed", 120_000);
        await waitForState(api, folder(), "ready");
        await row("heavy", /the project asks >=2\.5 · not installed by uv$/);
        await assert.rejects(ui.clickNotificationButton("Let uv Install Its Own Copy", "Nix's heavy 2.0"), /failed/, "warned once per mismatch");
      });

      test("the setting off: uv installs its own copy of everything", async () => {
        const api = await hybridApi();
        await vscode.workspace.getConfiguration("hybridEnv", folder()).update("skipNixProvided", false, vscode.ConfigurationTarget.WorkspaceFolder);
        await waitFor(() => (venvDists().some((d) => d.startsWith("heavy_dep-")) ? true : undefined), "uv's heavy-dep installed", 120_000);
        await waitForState(api, folder(), "ready");
        assert.deepEqual(venvDists().filter((d) => d.startsWith("heavy")), ["heavy-2.6.dist-info", "heavy_dep-1.5.dist-info"]);
      });
    },
    { timeoutMs: 240_000 },
  );
