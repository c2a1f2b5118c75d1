// Self-test of the UI helper: the suite puts things on screen through the API, then asks the
// launcher (as a person would) to click, read and type, and checks the effect through the API.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";

export const run = () =>
  runMochaSuite("UI helper self-test", () => {
    setup(function () {
      if (!ui.available) this.skip(); // the desktop launcher has no UI helper
    });

    test("clicks a notification's button", async () => {
      const answer = vscode.window.showInformationMessage("Hybrid env bench: click Yes", "Yes", "No");
      await ui.clickNotificationButton("Yes");
      assert.equal(await answer, "Yes");
    });

    test("finds a notification below the fold of the center (its list renders only what is in view)", async () => {
      const answer = vscode.window.showWarningMessage("Hybrid env bench: the early one", "Allow", "View");
      // Newer ones go on top and the center stays where it was scrolled: the early one drops out of view.
      for (let i = 1; i <= 12; i++) void vscode.window.showErrorMessage(`Hybrid env bench: a later error ${i} of 12`, "Details");
      let t: string[] = [];
      const texts = await waitFor(async () => {
        t = await ui.notificationTexts();
        return t.some((x) => x.includes("the early one")) && t.filter((x) => x.includes("a later error")).length === 12 ? t : undefined;
      }, () => `all 13 notifications read, scrolling through the center; read: ${t.join(" | ")}`);
      const at = (text: string) => texts.findIndex((x) => x.includes(text));
      assert.ok(at("a later error 12 of 12") < at("the early one"), texts.join(" | "));
      await ui.clickNotificationButton("Allow", "the early one");
      assert.equal(await answer, "Allow");
      await vscode.commands.executeCommand("notifications.clearAll");
    });

    test("picks a quick pick item and types in an input box", async () => {
      const picked = vscode.window.showQuickPick(["alpha", "beta", "gamma"]);
      await ui.pickQuickItem("beta");
      assert.equal(await picked, "beta");
      const typed = vscode.window.showInputBox({ prompt: "Package to add" });
      await ui.typeInQuickInput("requests==2.32.3");
      assert.equal(await typed, "requests==2.32.3");
    });

    test("reads a status bar item by id and by text", async () => {
      const item = vscode.window.createStatusBarItem("benchSelfTest.status", vscode.StatusBarAlignment.Left, 100);
      try {
        item.text = "$(beaker) bench 42";
        item.show();
        assert.equal(await ui.statusBarText({ id: "benchSelfTest.status" }), "bench 42");
        assert.equal(await ui.statusBarText({ text: "bench 4" }), "bench 42");
      } finally {
        item.dispose();
      }
    });

    test("opens a view container and reads its tree rows", async () => {
      await ui.openView("UI Probe", "Probe Items");
      const rows = await ui.treeRows("Probe Items");
      assert.deepEqual(
        rows.map((r) => [r.label, r.description, r.level]),
        [["alpha", "first", 1], ["alpha-child", "", 2], ["beta", "second", 1]],
      );
    });

    test("runs a command typed in the palette", async () => {
      const before = await vscode.commands.executeCommand<number>("uiProbe.pingCount");
      await ui.runInPalette("UI Probe: Ping");
      await waitFor(async () => (await vscode.commands.executeCommand<number>("uiProbe.pingCount")) === before + 1, "the ping");
    });
  });
