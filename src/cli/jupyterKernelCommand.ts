// `hybrid-env jupyter-kernel [--remove] [DIR]`: registers (or removes) the folder's
// "Hybrid (Nix + uv)" kernelspec in the user's Jupyter data dir. Loading first makes sure the
// venv exists and carries the Python layer, which is what makes the kernel see both worlds.
import { loadEnvironment, prepare, type LoadRequest } from "../core/engine";
import { NotAProjectError } from "../core/errors";
import { kernelSpec, removeKernelSpec, writeKernelSpec } from "../core/jupyterKernel";

export async function jupyterKernelCommand(req: LoadRequest, remove: boolean): Promise<number> {
  const { project } = prepare(req);
  if (remove) {
    const removed = removeKernelSpec(project.dir, req.baseEnv);
    process.stderr.write(`hybrid-env: ${removed ? "removed the kernel of" : "no hybrid kernel registered for"} ${project.dir}\n`);
    return 0;
  }
  const result = await loadEnvironment(req);
  const venvPython = result.environment.python.venvPython;
  if (!venvPython) throw new NotAProjectError(`${project.dir} has no uv project (pyproject.toml), so no venv to start a kernel from.`);
  const where = writeKernelSpec(project.dir, venvPython, req.baseEnv);
  process.stdout.write(`${where.file}\n`);
  process.stderr.write(`hybrid-env: kernel "${kernelSpec(project.dir, venvPython).display_name}" (${where.name}) registered\n`);
  // A Jupyter front end starts the kernel with an environment of its own: check from an empty one.
  const check = await req.runner.run(venvPython, ["-c", "import ipykernel_launcher"], {
    what: "python -c 'import ipykernel_launcher'",
    cwd: project.dir,
    env: {},
    signal: req.signal,
    timeoutMs: 60_000,
    timeoutRaisedBy: { fixed: "importing ipykernel takes seconds; a hang is a broken install" },
  });
  if (check.exitCode !== 0) {
    process.stderr.write(
      "hybrid-env: warning: ipykernel is not importable by the venv's interpreter, so the kernel cannot start yet: " +
        "add it with `uv add --dev ipykernel` (or to the flake's python.withPackages)\n",
    );
  }
  if (result.failure) process.stderr.write(`hybrid-env: error: ${result.failure.message} (served the last good environment)\n`);
  return result.failure ? 1 : 0;
}
