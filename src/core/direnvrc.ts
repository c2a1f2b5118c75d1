// The direnv library that `hybrid-env direnvrc` prints: a `use_hybrid` function, so an .envrc
// that says `use hybrid` gives shell users the environment the editor gets. It runs
// `hybrid-env env` (served from hybrid-env's cache while the key files are unchanged, so an
// unchanged folder starts no nix), and watches the cache's key files (`hybrid-env watch-files`:
// those beside the flake and the .nix files it imports from sub-folders), so direnv reloads
// exactly when the cache would miss.
import { shellQuote } from "./process";

/** `command` runs hybrid-env: the absolute node and CLI script of the process that prints this. */
export function direnvLibrary(command: readonly string[]): string {
  const cli = command.map(shellQuote).join(" ");
  return `# hybrid-env's direnv library (printed by \`hybrid-env direnvrc\`).
# Install: hybrid-env direnvrc > "\${XDG_CONFIG_HOME:-$HOME/.config}/direnv/lib/hybrid-env.sh"
# Use:     a line \`use hybrid\` in .envrc, with the options of \`hybrid-env env\` if needed
#          (\`use hybrid --dev-shell docs\`). Set HYBRID_ENV_CLI to run another hybrid-env.
use_hybrid() {
  local cli=(${cli})
  if [[ -n \${HYBRID_ENV_CLI:-} ]]; then cli=("$HYBRID_ENV_CLI"); fi
  local out status=0
  out=$("\${cli[@]}" env "$@" -- "$PWD") || status=$?
  # On failure hybrid-env still prints the last good environment when it has one.
  if [[ -n $out ]]; then eval "$out"; fi
  # The files of hybrid-env's cache key. Watched after the load: uv sync may just have written
  # uv.lock, and direnv notes each file's time when it is watched.
  local f
  while IFS= read -r f; do
    if [[ -n $f ]]; then watch_file "$f"; fi
  done < <("\${cli[@]}" watch-files -- "$PWD" 2>/dev/null || printf '%s\\n' flake.nix flake.lock pyproject.toml uv.lock)
  if [[ $status -ne 0 ]]; then log_error "hybrid-env env failed (exit $status)"; fi
  return "$status"
}
`;
}
