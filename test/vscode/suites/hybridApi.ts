// What the issue-4 suites share: hybrid-env's public API, waiting for states, running a task.
import * as vscode from "vscode";
import type { FolderState, HybridEnvApi } from "../../../src/folders/model";
import { waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";

export async function hybridApi(): Promise<HybridEnvApi> {
  const ext = await waitFor(() => vscode.extensions.getExtension<HybridEnvApi>(EXTENSION_ID), "hybrid-env installed");
  await waitFor(() => ext.isActive, "hybrid-env active");
  return ext.exports;
}

export function folders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

export async function waitForState(api: HybridEnvApi, folder: vscode.WorkspaceFolder, state: FolderState, timeoutMs = 90_000): Promise<void> {
  await waitFor(() => api.getState(folder.uri) === state || undefined, `${folder.name} to be ${state} (is ${api.getState(folder.uri)})`, timeoutMs);
}

/** Runs the folder's task with this label and resolves to its exit code. */
export async function runTask(folder: vscode.WorkspaceFolder, label: string): Promise<number | undefined> {
  const tasks = await vscode.tasks.fetchTasks();
  const task = tasks.find((t) => t.name === label && (t.scope as vscode.WorkspaceFolder | undefined)?.uri?.toString() === folder.uri.toString());
  if (!task) throw new Error(`no task "${label}" in ${folder.name} (found: ${tasks.map((t) => t.name).join(", ")})`);
  const ended = new Promise<number | undefined>((resolve) => {
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name === label && (e.execution.task.scope as vscode.WorkspaceFolder).uri.toString() === folder.uri.toString()) {
        sub.dispose();
        resolve(e.exitCode);
      }
    });
  });
  await vscode.tasks.executeTask(task);
  return ended;
}
