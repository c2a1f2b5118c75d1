// The folder's kernelspec follows ipykernel in the provenance (no process): written when it is
// there, removed when it goes, and on Exit; the hint to add it is logged once.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { kernelSpecLocation } from "../../../src/core/jupyterKernel";
import type { Provenance } from "../../../src/core/provenance";
import { JupyterKernels } from "../../../src/python/jupyterKernels";
import { FakeLog } from "../fakes";
import { hybridFolder } from "../folders/harness";
import { tempDir } from "../tmp";

const provenance = (names: string[]) => ({ packages: names.map((name) => ({ name, source: "uv", version: "1" })) }) as unknown as Provenance;

test("registered with ipykernel, removed without it and on Exit; the hint logged once", () => {
  const folder = hybridFolder("nb");
  const env = { JUPYTER_DATA_DIR: join(tempDir("jupyter"), "data") };
  const log = new FakeLog();
  const kernels = new JupyterKernels(log, env);
  const venvPython = join(folder.uri.fsPath, ".venv", "bin", "python");
  const spec = kernelSpecLocation(folder.uri.fsPath, env).file;

  kernels.sync({ folder, venvPython, provenance: provenance(["numpy"]) });
  kernels.sync({ folder, venvPython, provenance: provenance(["numpy"]) });
  assert.ok(!existsSync(spec));
  assert.equal(log.lines.filter((l) => /uv add --dev ipykernel/.test(l)).length, 1, log.lines.join("\n"));

  kernels.sync({ folder, venvPython, provenance: provenance(["numpy", "ipykernel"]) });
  const written = JSON.parse(readFileSync(spec, "utf8")) as { argv: string[]; display_name: string };
  assert.deepEqual(written.argv.slice(0, 3), [venvPython, "-m", "ipykernel_launcher"]);
  assert.equal(written.display_name, "Hybrid (Nix + uv) · nb");

  kernels.sync({ folder, venvPython, provenance: provenance(["numpy"]) });
  assert.ok(!existsSync(spec), "gone with ipykernel");
  kernels.sync({ folder, venvPython, provenance: provenance(["ipykernel"]) });
  kernels.remove(folder);
  assert.ok(!existsSync(spec), "gone on Exit");
});
