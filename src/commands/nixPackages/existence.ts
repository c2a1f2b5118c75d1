// Before a name goes into a list: is it in the list's package set? The core looks (a set written
// in the project, else the locked nixpkgs if it is in the store, offline and cached). A name the
// set certainly lacks is refused with "did you mean" buttons (one of them continues with that
// name) and "Add Anyway"; an uncertain miss or a check that could not run is added with a note
// that says so.
import { checkNotes, checkPackageExists, PackageSetEvalError, type PackageCheck, type PackageEditPlan, type PackageSetOptions, type ProjectPackageLists } from "../../core/flake";
import type { WindowApis } from "../../platform/apis";

export const ADD_ANYWAY = "Add Anyway";
/** A look-up that takes longer than this shows a notification with Cancel. */
const PROGRESS_AFTER_MS = 500;

export type CheckDecision =
  | { readonly kind: "proceed"; readonly check: PackageCheck; readonly notes: readonly string[] }
  /** The user picked a "did you mean" name: plan again with it. */
  | { readonly kind: "retry"; readonly name: string }
  | { readonly kind: "refused"; readonly message: string; readonly suggestions: readonly string[] };

export async function checkBeforeAdding(
  window: Pick<WindowApis, "withProgress" | "showWarningMessage">,
  project: ProjectPackageLists,
  plan: PackageEditPlan,
  opts: PackageSetOptions,
): Promise<CheckDecision> {
  const check = await withProgressAfter(window, `Hybrid Env: looking up ${plan.attribute} in the package set`, (signal) => lookUp(project, plan, { ...opts, signal }));
  if (check.status !== "missing" || !check.certain) return { kind: "proceed", check, notes: checkNotes(plan, check) };
  const suggestions = check.suggestions.slice(0, 3);
  const message = `${plan.attribute} is not in ${check.source}.${suggestions.length > 0 ? ` Did you mean ${suggestions.join(", ")}?` : ""} Nothing was changed.`;
  const answer = await window.showWarningMessage(`Hybrid Env: ${message}`, ...suggestions, ADD_ANYWAY);
  if (answer === ADD_ANYWAY) return { kind: "proceed", check, notes: [`${plan.attribute} is not in ${check.source}; added as you asked.`] };
  if (answer !== undefined) return { kind: "retry", name: answer };
  return { kind: "refused", message, suggestions };
}

async function lookUp(project: ProjectPackageLists, plan: PackageEditPlan, opts: PackageSetOptions): Promise<PackageCheck> {
  try {
    return await checkPackageExists(project, plan.list, plan.attribute, opts);
  } catch (err) {
    // The set could not be evaluated here: the check is skipped, and the note says why.
    if (err instanceof PackageSetEvalError) return { status: "skipped", reason: err.message.replace(/ See the log\.$/, "").replace(/\.$/, "") };
    throw err;
  }
}

/** Runs `task`; if it is still running after a moment, shows a notification whose Cancel aborts it. */
export async function withProgressAfter<R>(window: Pick<WindowApis, "withProgress">, title: string, task: (signal: AbortSignal) => Promise<R>, delayMs = PROGRESS_AFTER_MS): Promise<R> {
  const abort = new AbortController();
  const work = task(abort.signal);
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  const timer = setTimeout(() => {
    void window.withProgress({ where: "notification", title, cancellable: true }, (_report, signal) => {
      signal.addEventListener("abort", () => abort.abort(), { once: true });
      return settled;
    });
  }, delayMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}
