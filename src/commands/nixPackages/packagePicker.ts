// The Add Nix Package quick pick: it opens at once and says which source it shows. When the list
// draws from a set written in the project, that set's names are the items. Otherwise the picker
// opens busy, and the listing of the locked nixpkgs' Python package set (names, versions,
// descriptions; the core caches it per lock hash) fills it when it arrives, with the project's own
// set as the offline fallback. Any other attribute name can be typed: a row at the end says how
// the list will write it, or why it cannot go in.
import type { QuickPickItem } from "vscode";
import { elementAttribute, localPackageSet, packageNameProblem, reconcileName, type PackageChoices, type PackageSetEntry, type ProjectPackageList } from "../../core/flake";
import type { EditorApis } from "../../platform/editorApis";
import type { PickTimings } from "./args";

type Item = QuickPickItem & { readonly name?: string };

/** Above this many items, the typed row is updated only once typing pauses (each update resends every item). */
const LARGE = 500;
const TYPING_PAUSE_MS = 150;

export interface PackagePick {
  /** What the user chose or typed; undefined when dismissed. */
  readonly name: string | undefined;
  readonly timings: PickTimings;
}

/**
 * Asks which package to add to `list`; `text` is the text of the file that holds it.
 * `loadChoices` is called only when the project's own set does not settle the question.
 */
export function pickPackageToAdd(editor: EditorApis, list: ProjectPackageList, text: string, loadChoices: () => Promise<PackageChoices>, startedAt: number): Promise<PackagePick> {
  const candidate = list.candidate;
  const present = new Set(candidate.elements.map((e) => elementAttribute(candidate, e)).filter((n): n is string => n !== undefined));
  const picker = editor.createQuickPick<Item>();
  const where = `${candidate.label.replace(/ \(line \d+\)$/, "").replace(/ = .*/, "")} (${list.relPath}:${candidate.line})`;
  const state = { catalogue: [] as Item[], names: new Set<string>(), typedKey: "", source: "none", entries: 0, fromCache: false, shownMs: 0, itemsMs: -1 };
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  picker.placeholder = "Type to filter, or type any Nix attribute name (rich, python3Packages.rich) and press Enter";

  const show = (entries: readonly PackageSetEntry[], source: string) => {
    state.catalogue = entries.filter((e) => !present.has(e.name)).map(itemOf);
    state.names = new Set(entries.map((e) => e.name));
    state.entries = entries.length;
    state.typedKey = "";
    picker.title = `Add a Nix package to ${where} — ${source}`;
    refreshTyped(true);
    state.itemsMs = performance.now() - startedAt;
  };
  const refreshTyped = (force = false) => {
    const typed = typedRow(picker.value.trim());
    const key = typed ? `${typed.label}\0${typed.description ?? ""}\0${typed.detail ?? ""}` : "";
    if (!force && key === state.typedKey) return;
    state.typedKey = key;
    picker.items = typed ? [...state.catalogue, typed] : state.catalogue;
  };
  const typedRow = (value: string): Item | undefined => {
    if (value === "" || state.names.has(value)) return undefined;
    const problem = packageNameProblem(value);
    if (problem) return { label: `$(error) ${value}`, detail: problem, alwaysShow: true };
    const r = reconcileName(candidate, value, text);
    if (!r.ok) return { label: `$(error) ${value}`, detail: r.problem, alwaysShow: true };
    if (present.has(r.attribute)) return { label: value, name: value, description: `${r.attribute} is already in the list`, alwaysShow: true };
    const known = state.names.size === 0 ? "" : state.names.has(r.attribute) ? " (in the listing)" : " (not in the listing: it is looked up before it is added)";
    return { label: value, name: value, description: `add as ${r.element}${known}`, alwaysShow: true };
  };

  const local = localPackageSet(text, candidate, list.relPath);
  if (local?.certain) {
    state.source = "local";
    show(local.names.map((name) => ({ name })), `the ${local.names.length} names of ${local.label}, a package set written in the project`);
  } else {
    picker.busy = true;
    picker.title = `Add a Nix package to ${where} — reading the package set of the project's nixpkgs…`;
    if (local) show(local.names.map((name) => ({ name })), `${local.label} (offline) while the project's nixpkgs is read…`);
  }
  return new Promise<PackagePick>((resolve) => {
    let chosen: string | undefined;
    let hidden = false;
    let typing: NodeJS.Timeout | undefined;
    picker.onDidChangeValue(() => {
      clearTimeout(typing);
      if (state.catalogue.length <= LARGE) refreshTyped();
      else typing = setTimeout(() => refreshTyped(), TYPING_PAUSE_MS);
    });
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0] ?? picker.activeItems[0];
      if (item && !item.name) return; // a name that cannot go in: its row says why; keep the picker open
      const value = item?.name ?? picker.value.trim();
      if (!value) return;
      chosen = value;
      picker.hide();
    });
    picker.onDidHide(() => {
      hidden = true;
      clearTimeout(typing);
      picker.dispose();
      resolve({ name: chosen, timings: { source: state.source, entries: state.entries, fromCache: state.fromCache, shownMs: state.shownMs, itemsMs: state.itemsMs } });
    });
    picker.show();
    state.shownMs = performance.now() - startedAt;
    if (local?.certain) return;
    loadChoices().then(
      (choices) => {
        if (hidden) return;
        picker.busy = false;
        state.source = choices.source;
        if (choices.source === "nixpkgs") {
          state.fromCache = choices.fromCache;
          // nixpkgs' sets also hold functions (buildPythonPackage) and broken aliases: no version, no description, not offered.
          const packages = choices.entries.filter((e) => e.version !== undefined || e.description !== undefined);
          show(packages, `${packages.length.toLocaleString("en-US")} packages of ${choices.label}`);
        } else if (choices.source === "local") {
          show(choices.entries, `the ${choices.entries.length} names of ${choices.label}, a package set written in the project (offline)`);
        } else {
          show([], `no listing (${choices.reason}): type a name`);
        }
      },
      (err: unknown) => {
        if (hidden) return;
        picker.busy = false;
        picker.title = `Add a Nix package to ${where} — the package set could not be listed (${err instanceof Error ? err.message : String(err)}): type a name`;
        state.itemsMs = performance.now() - startedAt;
      },
    );
  });
}

function itemOf(entry: PackageSetEntry): Item {
  return { label: entry.name, name: entry.name, description: entry.version, detail: entry.description };
}
