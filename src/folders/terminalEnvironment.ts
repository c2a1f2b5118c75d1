// Applies the engine's mutations to a folder-scoped EnvironmentVariableCollection, which reaches
// terminals and tasks of that folder (not the extension host, not language servers).
import { resolve, type Mutation } from "../core/mutations";
import type { TerminalEnvironment } from "../platform/apis";

export function applyToCollection(
  collection: TerminalEnvironment,
  mutations: readonly Mutation[],
  hostEnv: Readonly<Record<string, string | undefined>>,
  description: string,
): void {
  // Start from nothing: a variable the new environment no longer sets must not linger (the
  // collection is persistent across reloads).
  collection.clear();
  collection.describe(description);
  const counts = new Map<string, number>();
  for (const m of mutations) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  for (const m of mutations) {
    const current = hostEnv[m.name];
    if (counts.get(m.name)! > 1) {
      // Prepended and appended to: one collection entry cannot say both, so set the value this
      // host resolves to (terminals start from the same environment as the host).
      const value = resolve(hostEnv, mutations.filter((x) => x.name === m.name))[m.name];
      if (value !== undefined) collection.replace(m.name, value);
      continue;
    }
    switch (m.op) {
      case "replace":
        collection.replace(m.name, m.value);
        break;
      case "prepend":
        // Prepending "x:" to an unset variable would leave an empty entry (the current directory
        // on PATH): set it outright instead.
        if (current) collection.prepend(m.name, m.value + m.separator);
        else collection.replace(m.name, m.value);
        break;
      case "append":
        if (current) collection.append(m.name, m.separator + m.value);
        else collection.replace(m.name, m.value);
        break;
      case "unset":
        // The collection cannot unset; an empty value is what Python does with PYTHONHOME="".
        if (current !== undefined) collection.replace(m.name, "");
        break;
    }
  }
}
