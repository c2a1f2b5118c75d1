// "Did you mean": names of a package set close to a typed one. Python names are spelled many ways
// (PyYAML, pyyaml; scikit_learn, scikit-learn; dateutil, python-dateutil), so the spelling is
// normalised first, then near misses by edit distance, then names that start with or contain it.

const normalise = (name: string) => name.toLowerCase().replace(/[_.]+/g, "-");

/** Up to `max` names of `names` that the user may have meant by `typed`, best first. */
export function suggestNames(typed: string, names: readonly string[], max = 5): string[] {
  const wanted = normalise(typed);
  if (wanted.length === 0) return [];
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of names) {
    if (name === typed) continue;
    const n = normalise(name);
    let score: number | undefined;
    if (n === wanted) score = 0;
    else if (Math.abs(n.length - wanted.length) <= limit) {
      const d = editDistance(wanted, n, limit);
      if (d <= limit) score = d;
    }
    if (score === undefined && wanted.length >= 3) {
      if (n.startsWith(wanted) || n.endsWith(`-${wanted}`)) score = limit + 1 + (n.length - wanted.length) / 100;
      else if (wanted.length >= 4 && n.includes(wanted)) score = limit + 2 + (n.length - wanted.length) / 100;
    }
    if (score !== undefined) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
  return scored.slice(0, max).map((s) => s.name);
}

/** Damerau–Levenshtein distance (adjacent swaps count 1), giving up past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return best;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}
