#!/usr/bin/env bash
# The test command (`npm test`): installs what is missing, then runs every stage.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/test-all.mjs "$@"
