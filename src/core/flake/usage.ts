// Which outputs use which part of the project's Nix files. The outputs of a flake are its
// `devShells.<system>.<name>`, `devShell.<system>`, `packages.…` … bindings (flake-utils and
// flake-parts spell them without the system); a shell.nix or default.nix is one output, the
// file. From each output's value, names are followed to their let bindings and path literals to
// the files they import, so a list three bindings away (or in nix/devshell.nix) is known to
// belong to devShells.default.
import { isNameUse, scopeTable, visibleBinding, type ScopeTable } from "./bindings";
import type { NixSource, ProjectKind } from "./projectFiles";
import { analyze, bindingPath } from "./structure";

export interface OutputRoot {
  /** "devShells.default", "devShell", "packages.default", "shell.nix". */
  readonly label: string;
  /** For devShells: the shell's name ("*" when the file does not say, e.g. `devShells = import ./shells`). */
  readonly devShell?: string;
  readonly file: string;
  readonly range: readonly [number, number];
}

/** Token offsets (by character) reached from each output, per file. */
export interface Reach {
  readonly roots: readonly OutputRoot[];
  /** root label → file → character ranges (whole file: [0, Infinity]). */
  readonly reached: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>>;
}

const OUTPUT_NAMES = new Set(["devShells", "devShell", "packages", "defaultPackage", "apps", "defaultApp", "checks", "legacyPackages", "overlays", "overlay", "nixosConfigurations", "homeConfigurations", "hydraJobs", "formatter"]);
/** `devShells.${pkgs.system}.default` → devShells, ${pkgs.system}, default. */
const pathSegments = (path: string) => path.match(/\$\{[^}]*\}|"[^"]*"|[^.]+/g) ?? [];
const isSystemSegment = (seg: string) => /^\$\{|^"|-(linux|darwin)$|^system$/.test(seg);

interface Parsed {
  readonly source: NixSource;
  readonly table: ScopeTable;
}

export function computeReach(kind: ProjectKind, files: readonly NixSource[]): Reach {
  const parsed = new Map<string, Parsed>();
  for (const source of files) {
    try {
      parsed.set(source.path, { source, table: scopeTable(analyze(source.text)) });
    } catch {
      // Not readable as Nix: its lists are not found either, so nothing can be reached in it.
    }
  }
  const entry = files[0] ? parsed.get(files[0].path) : undefined;
  // flake-parts modules (`imports = [ ./nix/python.nix ]`) declare outputs in files of their own.
  const roots = !entry
    ? []
    : kind === "flake"
      ? files.flatMap((f) => (parsed.has(f.path) ? flakeRoots(parsed.get(f.path)!, f === files[0]) : []))
      : [{ label: files[0]!.relPath, devShell: "*", file: entry.source.path, range: [0, entry.table.s.tokens.length] as const }];
  const reached = new Map<string, Map<string, Array<[number, number]>>>();
  for (const root of roots) {
    // Outputs of several systems share a label (devShells.default): their reach is one.
    const into = reached.get(root.label) ?? new Map<string, Array<[number, number]>>();
    for (const [file, ranges] of follow(parsed, root)) into.set(file, [...(into.get(file) ?? []), ...ranges]);
    reached.set(root.label, into);
  }
  return { roots, reached };
}

/**
 * The output bindings of a file: `devShells.<system>.<name> = …` and the like at the top of the
 * outputs (under `outputs`, flake-utils' per-system function, flake-parts' `perSystem` / `flake`).
 * A `packages = [ … ]` inside a mkShell is not an output. In a file other than flake.nix only
 * flake-parts module outputs count.
 */
function flakeRoots(entry: Parsed, isFlakeNix: boolean): OutputRoot[] {
  const { s, bindings } = entry.table;
  const found: OutputRoot[] = [];
  for (const b of bindings) {
    if (b.scopeKind === "let") continue;
    const full = bindingPath(s, b.valueStart).flatMap(pathSegments);
    if (!isFlakeNix && !full.includes("perSystem") && full[0] !== "flake") continue;
    const chain = full.filter((seg, i) => !(seg === "outputs" || seg === "perSystem" || (seg === "flake" && i === 0)));
    const at = OUTPUT_NAMES.has(chain[0] ?? "") ? 0 : -1;
    if (at === -1) continue;
    const rest = chain.slice(at + 1).filter((seg) => !isSystemSegment(seg));
    const output = chain[at]!;
    // Only the binding that completes the output's path is its root (not `devShells` around `default`).
    if (rest.length > 1 || (rest.length === 0 && hasNamedOutputInside(entry, b.valueStart, b.valueEnd, output))) continue;
    const name = rest[0];
    const label = output === "devShell" || name === undefined ? output : `${output}.${name}`;
    const devShell = output === "devShell" ? "default" : output === "devShells" ? (name ?? "*") : undefined;
    if (found.some((r) => r.label === label && r.range[0] === b.valueStart)) continue;
    found.push({ label, ...(devShell ? { devShell } : {}), file: entry.source.path, range: [b.valueStart, b.valueEnd] });
  }
  return found;
}

function hasNamedOutputInside(entry: Parsed, from: number, to: number, output: string): boolean {
  return entry.table.bindings.some((b) => b.scopeKind !== "let" && b.keyStart > from && b.keyStart < to && bindingPath(entry.table.s, b.valueStart).some((p) => p.includes(output)));
}

/** Everything the root's value leads to: its tokens, the bindings it names, the files it imports. */
function follow(parsed: ReadonlyMap<string, Parsed>, root: OutputRoot): Map<string, Array<[number, number]>> {
  const reached = new Map<string, Array<[number, number]>>();
  const visited = new Set<string>();
  const queue: Array<{ file: string; range: readonly [number, number] }> = [{ file: root.file, range: root.range }];
  while (queue.length > 0) {
    const { file, range } = queue.shift()!;
    const p = parsed.get(file);
    if (!p) continue;
    const key = `${file}:${range[0]}:${range[1]}`;
    if (visited.has(key)) continue;
    visited.add(key);
    const { s } = p.table;
    const chars: [number, number] = [s.tokens[range[0]]?.start ?? 0, s.tokens[range[1] - 1]?.end ?? Infinity];
    const list = reached.get(file) ?? [];
    list.push(chars);
    reached.set(file, list);
    for (let i = range[0]; i < range[1]; i++) {
      const t = s.tokens[i]!;
      if (t.kind === "path") {
        const target = p.source.links.get(t.text);
        const next = target ? parsed.get(target) : undefined;
        if (next) queue.push({ file: next.source.path, range: [0, next.table.s.tokens.length] });
      } else {
        // Names used directly, and in a string's interpolations (`shellHook = "… ${sitePackages}"`).
        const names = isNameUse(p.table, i) ? [t.text] : t.kind === "string" || t.kind === "indented-string" ? interpolatedNames(t.text) : [];
        for (const name of names) {
          const b = visibleBinding(p.table, name, i);
          if (b && !(b.valueStart >= range[0] && b.valueEnd <= range[1])) {
            queue.push({ file, range: b.inheritFrom ? b.inheritFrom : [b.valueStart, b.valueEnd] });
          }
        }
      }
    }
  }
  return reached;
}

function interpolatedNames(text: string): string[] {
  return [...text.matchAll(/\$\{\s*([A-Za-z_][A-Za-z0-9_'-]*)/g)].map((m) => m[1]!);
}

/** The outputs whose values reach the character offset `at` of `file`. */
export function outputsUsing(reach: Reach, file: string, at: number): string[] {
  const labels: string[] = [];
  for (const root of reach.roots) {
    const ranges = reach.reached.get(root.label)?.get(file) ?? [];
    if (ranges.some(([a, b]) => a <= at && at < b) && !labels.includes(root.label)) labels.push(root.label);
  }
  return labels;
}

/** The output labels that stand for the devShell named `name` (hybridEnv.devShell / --dev-shell). */
export function devShellLabels(reach: Reach, name: string): string[] {
  return [...new Set(reach.roots.filter((r) => r.devShell === name || r.devShell === "*").map((r) => r.label))];
}
