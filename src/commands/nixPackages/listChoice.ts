// Which Python package list an edit goes to: the core's choice (the only list, else the only one
// the folder's devShell uses), and a question only when several remain, saying for each where it
// is and which outputs use it.
import { AmbiguousPackageListError, chooseProjectList, type ProjectPackageList, type ProjectPackageLists } from "../../core/flake";
import type { WindowApis } from "../../platform/apis";

/** "used by devShells.default (the folder's devShell), packages.default" */
export function usedByText(project: ProjectPackageLists, list: ProjectPackageList): string {
  if (list.usedBy.length === 0) return "used by no output hybrid-env can see";
  const mine = new Set(project.devShellOutputs);
  return `used by ${list.usedBy.map((u) => (mine.has(u) ? `${u} (the folder's devShell)` : u)).join(", ")}`;
}

/**
 * The list to edit; `explicit` (a number, a label, "file:line") skips the question. Undefined
 * when the user dismissed it. A removal passes a project narrowed to the lists holding the name.
 */
export async function chooseList(
  window: Pick<WindowApis, "showQuickPick">,
  project: ProjectPackageLists,
  explicit: number | string | undefined,
  question: string,
): Promise<ProjectPackageList | undefined> {
  try {
    return chooseProjectList(project, explicit);
  } catch (err) {
    if (!(err instanceof AmbiguousPackageListError)) throw err;
    const choices = err.candidates.map((c) => project.lists.find((l) => l.number === c.number)!);
    const why = err.why ? ` ${err.why}` : "";
    const picked = await window.showQuickPick(
      choices.map((list) => ({
        label: list.candidate.label.replace(/ \(line \d+\)$/, ""),
        description: `${list.relPath}:${list.candidate.line}`,
        detail: `${usedByText(project, list)} · ${list.candidate.elements.length} package${list.candidate.elements.length === 1 ? "" : "s"}`,
        list,
      })),
      { title: "Hybrid Env: which Python package list?", placeHolder: `${choices.length} Python package lists${why}. ${question}` },
    );
    return picked?.list;
  }
}
