// ErrorPresenter: which failure shows which buttons, what each button does, and when a repeated
// failure stays quiet (an automatic reload) or not (anything the user asked for, a failing button).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrorPresenter, type ErrorActionsHost } from "../../../src/common/errorPresenter";
import { CancelledError, FlakeNotTrackedError, NixEvalError, ToolNotFoundError } from "../../../src/core/errors";
import { fakeFolder, fakeHost, FakeDiagnostics, FakeLog, settle } from "../fakes";

function setUp(host: Partial<ErrorActionsHost> = {}) {
  const apis = fakeHost();
  const log = new FakeLog();
  const diagnostics = new FakeDiagnostics();
  const calls: string[] = [];
  const presenter = new ErrorPresenter(
    apis,
    diagnostics,
    {
      showLog: () => void calls.push("showLog"),
      trackFile: host.trackFile ?? (async (_f, file) => void calls.push(`track ${file}`)),
      reload: () => void calls.push("reload"),
    },
    log,
  );
  return { apis, log, diagnostics, calls, presenter, folder: fakeFolder("/work/proj") };
}

describe("ErrorPresenter", () => {
  test("a Nix evaluation error: a diagnostic at its line and a notification", () => {
    const t = setUp();
    t.presenter.present(t.folder, new NixEvalError("syntax error", { file: "flake.nix", line: 4, column: 7 }, ""), { servedLastGood: false, trigger: "user" });
    assert.deepEqual(t.diagnostics.errors.get("/work/proj/flake.nix"), { line: 4, column: 7, message: "syntax error" });
    assert.equal(t.apis.window.errors().length, 1);
    t.presenter.clear(t.folder);
    assert.equal(t.diagnostics.errors.size, 0);
  });

  test("an automatic reload that fails the same way stays quiet; a user's reload is always answered", () => {
    const t = setUp();
    const error = () => new NixEvalError("boom", undefined, "");
    t.presenter.present(t.folder, error(), { servedLastGood: true, trigger: "automatic" });
    t.presenter.present(t.folder, error(), { servedLastGood: true, trigger: "automatic" });
    assert.equal(t.apis.window.errors().length, 1, "the repeat of an automatic load is quiet");
    t.presenter.present(t.folder, error(), { servedLastGood: true, trigger: "user" });
    t.presenter.present(t.folder, error(), { servedLastGood: true, trigger: "user" });
    assert.equal(t.apis.window.errors().length, 3, "a manual Reload that fails as before is shown each time");
  });

  test("uv missing offers Install and Configure, which open the docs and the setting", async () => {
    const t = setUp();
    t.apis.window.answers.push({ match: /uv was not found/, answer: "Install" }, { match: /uv was not found/, answer: "Configure" });
    t.presenter.presentCommandFailure("hybridEnv.addUvPackage", new ToolNotFoundError("uv", ["/usr/bin/uv"]));
    t.presenter.presentCommandFailure("hybridEnv.addUvPackage", new ToolNotFoundError("uv", ["/usr/bin/uv"]));
    await settle();
    assert.deepEqual(t.apis.window.errors().map((e) => e.actions), [["Install", "Configure"], ["Install", "Configure"]]);
    assert.deepEqual(t.apis.env.opened, ["https://docs.astral.sh/uv/getting-started/installation/"]);
    assert.deepEqual(t.apis.commands.executed, [{ id: "workbench.action.openSettings", args: ["hybridEnv.uvPath"] }]);
  });

  test("a cancelled command is logged, not shown", () => {
    const t = setUp();
    t.presenter.presentCommandFailure("hybridEnv.addUvPackage", new CancelledError("uv add"));
    assert.deepEqual(t.apis.window.errors(), []);
    assert.ok(t.log.lines.some((l) => l.includes("Cancelled: uv add")));
  });

  test("a plain error gets Open log, which shows the log", async () => {
    const t = setUp();
    t.apis.window.answers.push({ match: /disk full/, answer: "Open log" });
    t.presenter.presentCommandFailure("hybridEnv.resetVenv", new Error("disk full"));
    await settle();
    assert.deepEqual(t.apis.window.errors()[0]!.actions, ["Open log"]);
    assert.deepEqual(t.calls, ["showLog"]);
  });

  test("Track it runs git add -N for the file; when it fails, the failure is shown, every time", async () => {
    let attempts = 0;
    const t = setUp({
      trackFile: async () => {
        attempts++;
        throw new Error("git add -N flake.nix failed: fatal: not a git repository");
      },
    });
    for (let i = 0; i < 2; i++) {
      t.apis.window.answers.push({ match: /not tracked by git/, answer: "Track it (git add -N)" });
      t.presenter.present(t.folder, new FlakeNotTrackedError("flake.nix", ""), { servedLastGood: false, trigger: "user" });
      await settle();
      await settle();
    }
    assert.equal(attempts, 2);
    const failures = t.apis.window.errors().filter((e) => /git add -N flake.nix failed/.test(e.message));
    assert.equal(failures.length, 2, "both failed attempts are shown");
  });

  test("a command failure without a folder offers no folder actions", () => {
    const t = setUp();
    t.presenter.presentCommandFailure("hybridEnv.enter", new FlakeNotTrackedError("flake.nix", ""));
    assert.deepEqual(t.apis.window.errors()[0]!.actions, ["Open log"]);
  });
});
