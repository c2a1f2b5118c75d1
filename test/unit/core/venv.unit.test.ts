// deleteVenv: only a real venv folder (pyvenv.cfg) strictly inside the project, never through a symlink.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { UnsafePathError } from "../../../src/core/errors";
import { checkVenvDeletable, deleteVenv } from "../../../src/core/venv";
import { write } from "../../helpers/fixtures";
import { tempDir, track } from "../tmp";

function projectWithVenv(name = ".venv"): { project: string; venv: string } {
  const project = tempDir("venv-project");
  const venv = join(project, name);
  write(join(venv, "pyvenv.cfg"), "home = /usr/bin\n");
  write(join(venv, "bin", "python"), "#!/bin/sh\n");
  write(join(venv, "lib", "python3.11", "site-packages", "x.py"), "");
  return { project, venv };
}

function outsideFolder(): { dir: string; marker: string } {
  const dir = tempDir("venv-outside");
  const marker = join(dir, "keep.txt");
  write(marker, "precious");
  return { dir, marker };
}

const isUnsafe = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof UnsafePathError, String(e));
  assert.equal(e.code, "unsafe-path");
  assert.match(e.message, pattern);
  return true;
};

describe("deleteVenv", () => {
  test("deletes a real folder inside the project and returns true", () => {
    const { project, venv } = projectWithVenv();
    write(join(project, "main.py"), "print(1)\n");
    assert.equal(deleteVenv(project, venv), true);
    assert.equal(existsSync(venv), false);
    assert.equal(readFileSync(join(project, "main.py"), "utf8"), "print(1)\n", "the rest of the project stays");
  });

  test("a nested venv folder (UV_PROJECT_ENVIRONMENT=envs/py) is deletable", () => {
    const { project, venv } = projectWithVenv(join("envs", "py"));
    assert.equal(deleteVenv(project, venv), true);
    assert.equal(existsSync(venv), false);
    assert.equal(existsSync(join(project, "envs")), true);
  });

  test("symlinks inside the venv are removed, their targets untouched", () => {
    const { project, venv } = projectWithVenv();
    const outside = outsideFolder();
    symlinkSync(outside.dir, join(venv, "lib", "linked"));
    assert.equal(deleteVenv(project, venv), true);
    assert.equal(readFileSync(outside.marker, "utf8"), "precious");
  });

  test("returns false when the venv does not exist", () => {
    const project = tempDir("venv-project");
    assert.equal(deleteVenv(project, join(project, ".venv")), false);
  });

  test("refuses a venv that is a symlink; the target is untouched", () => {
    const project = tempDir("venv-project");
    const outside = outsideFolder();
    const venv = join(project, ".venv");
    symlinkSync(outside.dir, venv);
    assert.throws(() => deleteVenv(project, venv), isUnsafe(/it is a symbolic link/));
    assert.equal(readFileSync(outside.marker, "utf8"), "precious");
    assert.equal(existsSync(venv), true, "the link itself stays too");
  });

  test("refuses a symlink that points inside the project as well", () => {
    const { project, venv } = projectWithVenv("real-venv");
    const link = join(project, ".venv");
    symlinkSync(venv, link);
    assert.throws(() => deleteVenv(project, link), isUnsafe(/symbolic link/));
    assert.equal(existsSync(join(venv, "bin", "python")), true);
  });

  test("refuses a folder outside the project", () => {
    const project = tempDir("venv-project");
    const outside = outsideFolder();
    assert.throws(() => deleteVenv(project, outside.dir), isUnsafe(new RegExp(`it is not inside ${project}`)));
    assert.equal(readFileSync(outside.marker, "utf8"), "precious");
  });

  test("refuses a sibling folder whose name starts with the project's", () => {
    const project = tempDir("venv-project");
    const sibling = track(`${project}-venv`);
    mkdirSync(sibling);
    assert.throws(() => deleteVenv(project, sibling), UnsafePathError);
    assert.equal(existsSync(sibling), true);
  });

  test("refuses a venv reached through a symlinked parent folder that points outside", () => {
    const project = tempDir("venv-project");
    const outside = outsideFolder();
    const outsideVenv = join(outside.dir, ".venv");
    write(join(outsideVenv, "pyvenv.cfg"), "home = /usr/bin\n");
    symlinkSync(outside.dir, join(project, "linked"));
    const venv = join(project, "linked", ".venv");
    assert.throws(() => deleteVenv(project, venv), isUnsafe(/not inside/));
    assert.equal(existsSync(join(outsideVenv, "pyvenv.cfg")), true);
  });

  test("refuses the project folder itself and a path with ..", () => {
    const { project } = projectWithVenv();
    assert.throws(() => deleteVenv(project, project), isUnsafe(/not inside/));
    assert.throws(() => deleteVenv(project, join(project, ".venv", "..")), UnsafePathError);
    assert.equal(existsSync(join(project, ".venv", "bin", "python")), true);
  });

  test("refuses a file", () => {
    const project = tempDir("venv-project");
    write(join(project, ".venv"), "not a folder");
    assert.throws(() => deleteVenv(project, join(project, ".venv")), isUnsafe(/it is not a folder/));
    assert.equal(existsSync(join(project, ".venv")), true);
  });

  test("a project reached through a symlink may delete its own venv", () => {
    const { project, venv } = projectWithVenv();
    const alias = join(tempDir("venv-alias"), "p");
    symlinkSync(project, alias);
    assert.equal(deleteVenv(alias, join(alias, ".venv")), true);
    assert.equal(existsSync(venv), false);
  });

  test("refuses a folder without pyvenv.cfg: it is not a venv", () => {
    const project = tempDir("venv-project");
    const data = join(project, ".venv");
    write(join(data, "results", "run1.csv"), "precious");
    assert.throws(() => deleteVenv(project, data), isUnsafe(/no pyvenv\.cfg/));
    assert.equal(readFileSync(join(data, "results", "run1.csv"), "utf8"), "precious");
  });

  test("refuses a pyvenv.cfg that is a folder or a symlink", () => {
    const { project, venv } = projectWithVenv();
    rmSync(join(venv, "pyvenv.cfg"));
    mkdirSync(join(venv, "pyvenv.cfg"));
    assert.throws(() => deleteVenv(project, venv), isUnsafe(/no pyvenv\.cfg/));
    rmSync(join(venv, "pyvenv.cfg"), { recursive: true });
    const outside = outsideFolder();
    symlinkSync(outside.marker, join(venv, "pyvenv.cfg"));
    assert.throws(() => deleteVenv(project, venv), isUnsafe(/no pyvenv\.cfg/));
    assert.equal(existsSync(join(venv, "bin", "python")), true);
  });

  test("checkVenvDeletable accepts an absent venv", () => {
    const project = tempDir("venv-project");
    assert.doesNotThrow(() => checkVenvDeletable(project, join(project, "nope")));
  });

  // Regression (fixed; was at venv.ts:20): `rel.startsWith("..")` also matches a folder *named* "..venv" inside the
  // project (relative() gives "..venv"), so a legal UV_PROJECT_ENVIRONMENT=..venv is refused.
  test("a folder inside the project named ..venv is deletable", () => {
    const { project, venv } = projectWithVenv("..venv");
    assert.equal(deleteVenv(project, venv), true);
  });
});
