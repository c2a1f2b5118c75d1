// The real-client fixture: one hybrid project in which every kind of package a client must see
// exists, each with a marker of where it came from:
//   hybnixonly  only in Nix's site-packages
//   hybuvonly   only in the venv (a wheel uv installs)
//   hybshared   in both: Nix 1.0 (has NIX_ONLY_ATTRIBUTE), uv 2.0; the Nix copy must win
//   hybpthonly  in Nix, reachable only through a .pth file in Nix's site-packages
//   hybnative   a wheel whose C extension links libhybridtest.so.1, which is only in the store
// Tools the clients need (pytest, ipykernel, debugpy) come from PyPI as the project's dev group.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { devShellDerivation, gitTrackAll, tempDir, write, writeNixPythonEnv } from "./fixtures";
import { buildNativeWheel, HYBNATIVE } from "./nativeWheel";
import { machinePython } from "./tools";
import { makeWheel } from "./wheel";

/** Pinned so that every run resolves the same; uv's cache makes the second run fast. */
export const DEV_TOOLS = ["pytest==9.2.0", "ipykernel==7.4.0", "debugpy==1.8.22"];
export { JUPYTER_CLIENT } from "./kernelClient";

/** What main.py prints after REPORT_MARK when every package comes from where it should. */
export const EXPECTED_REPORT = { nixonly: "nix", uvonly: "uv", shared: ["nix", "1.0", true], pthonly: "nix", native: HYBNATIVE.returns };
export const REPORT_MARK = "HYBRID-REPORT ";

export const MAIN_PY = `import json
import hybnixonly, hybuvonly, hybshared, hybpthonly, hybnative
report = {
    "nixonly": hybnixonly.SOURCE,
    "uvonly": hybuvonly.SOURCE,
    "shared": [hybshared.SOURCE, hybshared.VERSION, hybshared.NIX_ONLY_ATTRIBUTE],
    "pthonly": hybpthonly.SOURCE,
    "native": hybnative.answer(),
}
print(${JSON.stringify(REPORT_MARK)} + json.dumps(report))
`;

const TEST_PY = `import hybnixonly, hybuvonly, hybshared, hybpthonly, hybnative


def test_both_worlds():
    assert (hybnixonly.SOURCE, hybuvonly.SOURCE, hybpthonly.SOURCE) == ("nix", "uv", "nix")


def test_nix_copy_wins():
    assert (hybshared.SOURCE, hybshared.VERSION) == ("nix", "1.0")


def test_native_library():
    assert hybnative.answer() == ${HYBNATIVE.returns}
`;

export function clientPyproject(wheels: Record<string, string>, pyrightSection: boolean): string {
  const sources = Object.entries(wheels).map(([name, file]) => `${name} = { path = ${JSON.stringify(`wheels/${file}`)} }`);
  return `[project]
name = "client-fixture"
version = "0.1.0"
requires-python = "==${machinePython().version}.*"
dependencies = ["hybuvonly==3.1", "hybshared==2.0", "hybnative==1.0"]

[dependency-groups]
dev = [${DEV_TOOLS.map((t) => JSON.stringify(t)).join(", ")}]

[tool.uv]
package = false

[tool.uv.sources]
${sources.join("\n")}
${pyrightSection ? '\n[tool.pyright]\ntypeCheckingMode = "standard"\npythonVersion = "' + machinePython().version + '"\n' : ""}`;
}

export interface ClientProject {
  readonly dir: string;
  readonly wheels: Record<string, string>;
}

export function makeClientProject(dir = tempDir("clients")): ClientProject {
  const py = machinePython();
  const nixpy = join(dir, "nixpy");
  writeNixPythonEnv(nixpy, [
    { name: "hybnixonly", version: "1.0" },
    { name: "hybshared", version: "1.0" },
  ]);
  const site = join(nixpy, "lib", `python${py.version}`, "site-packages");
  appendFileSync(join(site, "hybshared", "__init__.py"), "NIX_ONLY_ATTRIBUTE = True\n");
  write(join(nixpy, "lib", "extra-site", "hybpthonly", "__init__.py"), 'SOURCE = "nix"\n');
  write(join(site, "hybpthonly.pth"), "../../extra-site\n");

  const wheelDir = join(dir, "wheels");
  const file = (p: string) => p.slice(p.lastIndexOf("/") + 1);
  const wheels = {
    hybuvonly: file(makeWheel(wheelDir, "hybuvonly", "3.1")),
    hybshared: file(makeWheel(wheelDir, "hybshared", "2.0")),
    // The library goes where the flake takes it from (./nativelib), so it exists only in the store.
    hybnative: file(buildNativeWheel(wheelDir, HYBNATIVE, { libDir: join(dir, "nativelib", "lib") }).wheel),
  };

  const hook = `
        export NIX_PYTHON_SITE_PACKAGES=\${./nixpy}/lib/python${py.version}/site-packages
        export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES''\${PYTHONPATH:+:$PYTHONPATH}
        export LD_LIBRARY_PATH=\${./nativelib}/lib''\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
      `;
  write(
    join(dir, "flake.nix"),
    `{
  description = "hybrid-env real-client fixture";
  outputs = { self }: {
    devShells.x86_64-linux.default = ${devShellDerivation({ fromNix: "clients", shellHook: hook })};
  };
}
`,
  );
  write(join(dir, "pyproject.toml"), clientPyproject(wheels, false));
  write(join(dir, "main.py"), MAIN_PY);
  write(join(dir, "test_hybrid.py"), TEST_PY);
  write(join(dir, ".gitignore"), ".venv/\n");
  gitTrackAll(dir);
  return { dir, wheels };
}
