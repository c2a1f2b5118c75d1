// The shell integration notice: told once when a terminal of an entered folder opens with shell
// integration off, or when it does not start within the wait; never for tasks, extension
// terminals, the Hybrid Env terminal or folders not entered; its buttons do what they say.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { WorkspaceFolder } from "vscode";
import { Emitter } from "../../../src/common/emitter";
import { ENABLE, isInteractiveShell, NOTICE_DISMISSED_KEY, OPEN, ShellIntegrationNotice } from "../../../src/folders/shellIntegrationNotice";
import type { TerminalEvents, TerminalHandle } from "../../../src/platform/apis";
import { fakeFolder, FakeLog, FakeState, FakeWindow, settle } from "../fakes";

class FakeTerminals implements TerminalEvents {
  readonly opened = new Emitter<TerminalHandle>();
  readonly activated = new Emitter<TerminalHandle>();
  enabled = true;
  enabledByUs = 0;
  onDidOpenTerminal = this.opened.event;
  onDidActivateShellIntegration = this.activated.event;
  shellIntegrationEnabled = () => this.enabled;
  enableShellIntegration = async () => void this.enabledByUs++;
}

class ManualTimers {
  readonly pending = new Map<number, () => void>();
  private n = 0;
  setTimeout = (f: () => void) => (this.pending.set(++this.n, f), this.n);
  clearTimeout = (h: unknown) => void this.pending.delete(h as number);
  runAll = () => [...this.pending.entries()].forEach(([k, f]) => (this.pending.delete(k), f()));
}

const entered = fakeFolder("/w/entered");
const other = fakeFolder("/w/other", 1);

function terminal(over: Partial<TerminalHandle> = {}): TerminalHandle & { integrated: boolean } {
  const t: TerminalHandle & { integrated: boolean } = {
    name: "bash",
    shellPath: "/bin/bash",
    shellArgs: [] as string[],
    isExtensionTerminal: false,
    isHybridTerminal: false,
    folder: entered as WorkspaceFolder | undefined,
    integrated: false,
    hasShellIntegration: (): boolean => t.integrated,
    isClosed: () => false,
    ...over,
  };
  return t;
}

function setUp() {
  const terminals = new FakeTerminals();
  const window = new FakeWindow();
  const state = new FakeState();
  const timers = new ManualTimers();
  const opened: WorkspaceFolder[] = [];
  const notice = new ShellIntegrationNotice(terminals, (f) => f === entered, window, state, (f) => opened.push(f), new FakeLog(), timers, 10);
  return { terminals, window, state, timers, opened, notice };
}

describe("ShellIntegrationNotice", () => {
  test("shell integration off: told at once, once, with Enable and Open; Open opens the Hybrid Env terminal of that folder", async () => {
    const t = setUp();
    t.terminals.enabled = false;
    t.window.answers.push({ match: /shell integration is off/, answer: OPEN });
    t.terminals.opened.fire(terminal());
    t.terminals.opened.fire(terminal({ name: "zsh", shellPath: "/usr/bin/zsh" }));
    await settle();
    assert.equal(t.window.shown.length, 1);
    assert.match(t.window.shown[0]!.message, /rc files run after the hybrid environment of entered/);
    assert.deepEqual(t.window.shown[0]!.actions, [ENABLE, OPEN, "Don't Show Again"]);
    assert.deepEqual(t.opened, [entered]);
  });

  test("Enable turns it on; Don't Show Again is remembered", async () => {
    const t = setUp();
    t.terminals.enabled = false;
    t.window.answers.push({ match: /off/, answer: ENABLE });
    t.terminals.opened.fire(terminal());
    await settle();
    assert.equal(t.terminals.enabledByUs, 1);
    const again = setUp();
    again.terminals.enabled = false;
    again.window.answers.push({ match: /off/, answer: "Don't Show Again" });
    again.terminals.opened.fire(terminal());
    await settle();
    assert.equal(again.state.get(NOTICE_DISMISSED_KEY), true);
    const next = new ShellIntegrationNotice(again.terminals, () => true, again.window, again.state, () => undefined, new FakeLog(), again.timers, 10);
    again.terminals.opened.fire(terminal());
    await settle();
    assert.equal(again.window.shown.length, 1, "not shown again");
    next.dispose();
  });

  test("on, but not started within the wait: told, with Open only; started in time: nothing", async () => {
    const t = setUp();
    const late = terminal({ name: "sh", shellPath: "/bin/sh" });
    const fine = terminal();
    t.terminals.opened.fire(late);
    t.terminals.opened.fire(fine);
    fine.integrated = true;
    t.terminals.activated.fire(fine);
    assert.equal(t.timers.pending.size, 1);
    t.timers.runAll();
    await settle();
    assert.equal(t.window.shown.length, 1);
    assert.match(t.window.shown[0]!.message, /did not start in the terminal "sh"/);
    assert.deepEqual(t.window.shown[0]!.actions, [OPEN, "Don't Show Again"]);
  });

  test("not for tasks, extension terminals, the Hybrid Env terminal, folders not entered, or terminals closed meanwhile", async () => {
    const t = setUp();
    t.terminals.enabled = false;
    t.terminals.opened.fire(terminal({ shellArgs: ["-c", "make"] }));
    t.terminals.opened.fire(terminal({ isExtensionTerminal: true, shellPath: undefined }));
    t.terminals.opened.fire(terminal({ isHybridTerminal: true }));
    t.terminals.opened.fire(terminal({ folder: other }));
    t.terminals.opened.fire(terminal({ folder: undefined }));
    t.terminals.opened.fire(terminal({ shellPath: "/usr/bin/python3" }));
    t.terminals.enabled = true;
    t.terminals.opened.fire(terminal({ isClosed: () => true }));
    t.timers.runAll();
    await settle();
    assert.deepEqual(t.window.shown, []);
  });

  test("isInteractiveShell", () => {
    assert.equal(isInteractiveShell({ shellPath: "/usr/bin/fish", shellArgs: ["-l"], isExtensionTerminal: false }), true);
    assert.equal(isInteractiveShell({ shellPath: "/bin/bash", shellArgs: "-c ls", isExtensionTerminal: false }), false);
    assert.equal(isInteractiveShell({ shellPath: "pwsh.exe", shellArgs: ["-Command", "x"], isExtensionTerminal: false }), false);
  });
});
