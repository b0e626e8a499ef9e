// Spotting misspellings of known words (keywords, definition names, type names), so a typo that dvp
// accepts silently gets a warning and a rename.

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

/**
 * The candidate `word` most likely misspells, or undefined. Case differences always count as a
 * misspelling; otherwise words of up to six letters allow one edit and longer ones two, so unrelated names stay apart.
 */
export function closestWord(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) return undefined;
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    const longer = Math.max(word.length, c.length);
    const limit = longer <= 3 ? 0 : longer <= 6 ? 1 : 2;
    if (limit === 0) continue;
    const d = editDistance(lower, cl);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
