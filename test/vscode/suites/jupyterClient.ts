// A Jupyter front end as VS Code's Jupyter extension, JupyterLab or nbclient would be: the real
// jupyter_client (PyPI, pinned in test/helpers/kernelClient.ts) in a venv of its own, made
// with the machine's uv, which finds a kernelspec where Jupyter looks by default (the server's
// HOME / XDG_DATA_HOME), starts it from a plain environment, executes code and returns the reply.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JUPYTER_CLIENT, KERNEL_CLIENT_PY } from "../../helpers/kernelClient";

let clientPython: string | undefined;

function jupyterClientPython(): string {
  if (clientPython && existsSync(clientPython)) return clientPython;
  const venv = join(mkdtempSync(join(tmpdir(), "hybrid-env-jupyter-client-")), "venv");
  const env = { ...process.env, UV_PYTHON_DOWNLOADS: "never" };
  execFileSync("uv", ["venv", "-q", "--python", "python3", venv], { env, stdio: "pipe" });
  execFileSync("uv", ["pip", "install", "-q", "--python", join(venv, "bin", "python"), JUPYTER_CLIENT], { env, stdio: "pipe" });
  return (clientPython = join(venv, "bin", "python"));
}

export interface KernelReply {
  readonly status: string;
  readonly output: string;
  readonly display_name?: string;
}

/** Executes `code` in the kernelspec `kernelName`; the kernel gets only PATH, HOME and the XDG dirs. */
export function executeInKernel(kernelName: string, code: string, cwd: string): KernelReply {
  const pass = (k: string) => (process.env[k] ? { [k]: process.env[k]! } : {});
  const env = { PATH: "/usr/local/bin:/usr/bin:/bin", ...pass("HOME"), ...pass("XDG_DATA_HOME"), ...pass("JUPYTER_DATA_DIR"), JUPYTER_RUNTIME_DIR: mkdtempSync(join(tmpdir(), "hybrid-env-jupyter-runtime-")) };
  const r = spawnSync(jupyterClientPython(), ["-c", KERNEL_CLIENT_PY, kernelName], { cwd, env, input: code, encoding: "utf8", timeout: 180_000 });
  const last = r.stdout.trim().split("\n").at(-1);
  if (r.status !== 0 || !last) throw new Error(`jupyter_client failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(last) as KernelReply;
}
