// The Python side of the layer (see pythonLayer.ts for why it exists and how it is installed):
// the start-up code the venv's interpreter runs, and the one-line .pth file that runs it.
//
// It runs inside site.py, before the program, on every start of the venv's interpreter — keep
// it small, stdlib only, and unable to break the interpreter: every failure degrades to a plain
// venv, silently unless HYBRID_ENV_DEBUG is set.

/** The layer's module name. The .pth checks sys.modules for it: CPython processes a venv's .pth
 *  files twice (site.venv() and site.main() both call addsitepackages), and the layer must run once. */
export const LAYER_MODULE = "_hybrid_env_layer";

/** layer.cfg: one "key value" line per setting (the Python side reads it without importing json). */
export function layerCfg(config: { venv: string; pythonPath: readonly string[]; libraryPath: readonly string[] }): string {
  const lines = [`# hybrid-env Python layer settings, rewritten on every load`, `venv ${config.venv}`];
  for (const p of config.pythonPath) lines.push(`pythonPath ${p}`);
  for (const p of config.libraryPath) lines.push(`libraryPath ${p}`);
  return lines.join("\n") + "\n";
}

/** The layer's file name: it is imported (not exec'd) so that Python caches its bytecode. */
export const LAYER_FILE = `${LAYER_MODULE}.py`;

/**
 * The .pth line. A line starting with `import` is executed by site.py (a plain path line would be
 * appended after site-packages, the opposite of PYTHONPATH's order). It imports the layer from
 * its folder, put on sys.path for that import only: an import is served from __pycache__
 * (measured: unmarshalling it 0.02 ms, compiling the source 1.1 ms, on every start).
 */
export function pthLine(layerDir: string): string {
  const d = pyString(layerDir);
  const m = JSON.stringify(LAYER_MODULE);
  return (
    `import os, sys; ${m} in sys.modules or not os.path.isfile(os.path.join(${d}, ${JSON.stringify(LAYER_FILE)})) or ` +
    `(sys.path.insert(0, ${d}), __import__(${m}), sys.path.remove(${d}))\n`
  );
}

/** A Python string literal in pure ASCII (site.py reads .pth files in the locale's encoding). */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

export const LAYER_PY = String.raw`# hybrid-env's Python layer. Imported at start-up by _hybrid_env.pth in this venv's site-packages;
# its settings are in layer.cfg beside it. Written by hybrid-env on every load (edits are lost).
# It gives this venv's interpreter, started from any environment, what a hybrid terminal has:
# Nix's site-packages in front of the venv's (as PYTHONPATH puts them, with their .pth files
# processed) and the devShell's library path. Delete _hybrid_env.pth to turn it off;
# HYBRID_ENV_DEBUG=1 makes it say on stderr what it did, or why it did nothing.
import os
import sys

_layer = sys.modules[__name__]
_layer.report = {"pythonPath": [], "fromPth": [], "reexec": False, "skipped": None}
_REEXEC_MARK = "_HYBRID_ENV_REEXEC_PID"


def _say(message):
    if os.environ.get("HYBRID_ENV_DEBUG"):
        sys.stderr.write("hybrid-env layer: %s\n" % message)


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _original_argv():
    # The interpreter's own command line (options, -c/-m/script and arguments), to start it again.
    argv = getattr(sys, "orig_argv", None)  # Python >= 3.10
    if argv:
        return list(argv)
    try:
        with open("/proc/self/cmdline", "rb") as f:
            return [os.fsdecode(a) for a in f.read().split(b"\0")[:-1]]
    except OSError:
        return None


def _add_library_path(dirs, venv):
    # glibc reads LD_LIBRARY_PATH once, when the process starts: setting it now would reach
    # children only. So when the devShell's library dirs are missing, set them and start this
    # interpreter again in the same process: execv keeps the pid, the arguments and the open
    # descriptors, so a debugger, kernel manager or test runner that started it sees nothing.
    mark = os.environ.pop(_REEXEC_MARK, None)
    _layer.report["reexec"] = mark == str(os.getpid())
    have = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if d]
    missing = [d for d in dirs if d not in have and os.path.isdir(d)]
    if not missing:
        return
    if mark == str(os.getpid()):
        _say("LD_LIBRARY_PATH still lacks %s after a re-exec: not trying again" % missing)
        return
    argv = _original_argv()
    exe = sys.executable
    # Only this venv's own interpreter is started again, never a program that embeds Python.
    if not argv or not exe or not _same_file(os.path.dirname(exe), os.path.join(venv, "bin")):
        _say("cannot start %r again: native libraries in %s may not load" % (exe, missing))
        return
    os.environ["LD_LIBRARY_PATH"] = os.pathsep.join(missing + have)  # in front, as the devShell does
    os.environ[_REEXEC_MARK] = str(os.getpid())
    _say("starting %s again with the devShell's LD_LIBRARY_PATH" % exe)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(exe, [exe] + list(argv[1:]))
    except OSError as e:
        os.environ.pop(_REEXEC_MARK, None)
        _say("re-exec failed (%s): native libraries may not load" % e)


def _add_python_path(entries):
    # Nix's entries go in front in PYTHONPATH's order: site runs before sys.path[0] (the script's
    # folder) is inserted, so index 0 is where PYTHONPATH's entries sit. Entries already there
    # (a hybrid terminal's PYTHONPATH) stay where they are: no duplicates, the same order.
    present = set(sys.path)
    missing = [e for e in entries if e not in present and os.path.isdir(e)]
    sys.path[0:0] = missing
    _layer.report["pythonPath"] = missing
    # PYTHONPATH never reads .pth files; site.addsitedir does (path lines and import lines).
    # What they add goes right after Nix's entries, so Nix's packages still come first.
    import site

    before = set(sys.path)
    for entry in entries:
        if os.path.basename(entry) in ("site-packages", "dist-packages") and os.path.isdir(entry):
            site.addsitedir(entry)
    added = [p for p in sys.path if p not in before]
    if added:
        rest = [p for p in sys.path if p in before]
        ours = set(entries)
        at = max([i + 1 for i, p in enumerate(rest) if p in ours] or [0])
        sys.path[:] = rest[:at] + added + rest[at:]
    _layer.report["fromPth"] = added
    _say("%d entries put in front of sys.path, %d more from their .pth files" % (len(missing), len(added)))


def _read_config(path):
    # A line format, not JSON: importing json (and re, enum) would cost ~10 ms on every start.
    config = {"venv": None, "pythonPath": [], "libraryPath": []}
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            key, _, value = line.partition(" ")
            if key == "venv":
                config["venv"] = value
            elif key in ("pythonPath", "libraryPath"):
                config[key].append(value)
    if not config["venv"]:
        raise ValueError("%s names no venv" % path)
    return config


def _main():
    config = _read_config(os.path.join(os.path.dirname(os.path.abspath(__file__)), "layer.cfg"))
    venv = config["venv"]
    # The .pth names this file by absolute path: a copy of the venv must not load the original's.
    if not _same_file(sys.prefix, venv):
        _layer.report["skipped"] = "sys.prefix is not " + venv
        _say("sys.prefix %s is not %s: layer skipped" % (sys.prefix, venv))
        return
    if sys.platform.startswith("linux"):
        _add_library_path(config["libraryPath"], venv)  # first: a re-exec makes the rest moot
    _add_python_path(config["pythonPath"])


try:
    _main()
except Exception as e:  # never break the interpreter: degrade to a plain venv
    _layer.report["skipped"] = repr(e)
    _say("failed, the venv runs without the layer: %r" % (e,))
`;
