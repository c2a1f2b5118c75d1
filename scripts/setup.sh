#!/usr/bin/env bash
# Installs, when missing, what the tests need: npm packages, Nix (Debian's nix-bin), uv (PyPI), git.
# Idempotent: a second run only checks. As root it installs Debian packages itself; otherwise it
# says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

need_apt=()
command -v nix >/dev/null 2>&1 || need_apt+=(nix-bin)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
# The native-library doctor's test compiles a C extension; the direnv test runs the real direnv.
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)
command -v direnv >/dev/null 2>&1 || need_apt+=(direnv)
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
  need_apt+=(python3-dev)
fi
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing ${need_apt[*]}: install them (Debian: sudo apt-get install ${need_apt[*]}), then run again" >&2
    exit 1
  fi
fi

# Python's headers for that C extension (Debian's python3 comes without them).
if ! python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install python3-dev"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-dev >/dev/null
  else
    echo "setup: Python.h is missing: install python3-dev, then run again" >&2
    exit 1
  fi
fi

if ! command -v uv >/dev/null 2>&1; then
  echo "setup: pip install uv"
  python3 -m pip install -q uv 2>/dev/null || python3 -m pip install -q --break-system-packages uv
  command -v pyenv >/dev/null 2>&1 && pyenv rehash 2>/dev/null || true  # pyenv puts new commands on PATH as shims
  hash -r
  command -v uv >/dev/null 2>&1 || { echo "setup: uv installed but not on PATH (add ~/.local/bin to PATH)" >&2; exit 1; }
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: nix $(nix --version | awk '{print $3}'), $(uv --version), node $(node --version) ($(( $(date +%s) - started )) s)"
