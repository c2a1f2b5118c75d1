// The per-folder Jupyter kernelspec: where it goes, its name, its content, and safe removal.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { jupyterDataDir, kernelName, kernelSpecLocation, removeKernelSpec, writeKernelSpec } from "../../../src/core/jupyterKernel";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

test("the data dir: JUPYTER_DATA_DIR, then XDG_DATA_HOME/jupyter, then ~/.local/share/jupyter", () => {
  assert.equal(jupyterDataDir({ JUPYTER_DATA_DIR: "/j", XDG_DATA_HOME: "/x", HOME: "/h" }), "/j");
  assert.equal(jupyterDataDir({ XDG_DATA_HOME: "/x", HOME: "/h" }), "/x/jupyter");
  assert.equal(jupyterDataDir({ XDG_DATA_HOME: "relative", HOME: "/h" }), "/h/.local/share/jupyter");
  assert.equal(jupyterDataDir({ HOME: "/h" }), "/h/.local/share/jupyter");
});

test("kernel names are stable per folder, distinct across folders, and valid for jupyter_client", () => {
  assert.equal(kernelName("/a/My Project"), kernelName("/a/My Project/"));
  assert.notEqual(kernelName("/a/project"), kernelName("/b/project"));
  for (const folder of ["/a/My Project", "/a/ünïcode ☃", "/a/..", "/", "/a/-.x"]) assert.match(kernelName(folder), /^hybrid-env-[a-z0-9._-]+-[0-9a-f]{8}$/);
  assert.match(kernelName("/a/My Project"), /^hybrid-env-my-project-/);
});

test("kernel.json starts the venv's python with ipykernel_launcher; remove deletes only ours", () => {
  const data = tempDir("jupyter");
  const env = { JUPYTER_DATA_DIR: data };
  const where = writeKernelSpec("/work/proj", "/work/proj/.venv/bin/python", env);
  assert.equal(where.file, join(data, "kernels", kernelName("/work/proj"), "kernel.json"));
  const spec = JSON.parse(readFileSync(where.file, "utf8"));
  assert.deepEqual(spec.argv, ["/work/proj/.venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]);
  assert.equal(spec.display_name, "Hybrid (Nix + uv) · proj");
  assert.equal(spec.language, "python");
  assert.throws(() => writeKernelSpec("/work/proj", "relative/python", env), /absolute/);
  // Someone else's kernel.json under our name is left alone.
  const foreign = kernelSpecLocation("/work/other", env);
  write(foreign.file, JSON.stringify({ argv: ["python"], display_name: "mine" }));
  assert.equal(removeKernelSpec("/work/other", env), false);
  assert.ok(existsSync(foreign.file));
  assert.equal(removeKernelSpec("/work/proj", env), true);
  assert.equal(existsSync(where.dir), false);
  assert.equal(removeKernelSpec("/work/proj", env), false);
});
