// "Did you mean" for mistyped keys, enum values and file names, compared the way config keys get mistyped
// (case, `_` and `-` ignored, a prefix of a long key). core/schema/nearMiss.ts has a cut-off variant of the
// distance that returns only a lower bound for words of very different length; ranking needs the exact one.

/** Edits (insert, delete, replace, swap of neighbours) that turn `a` into `b`: `scr` is one edit from `src`. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Case, `_` and `-` do not matter when comparing names: `src_dir` and `SrcDir` both mean `srcDir`. */
function normalize(s: string): string {
  return s.toLowerCase().replace(/[_\-\s]/g, '');
}

/**
 * The candidate `word` most likely stands for, or undefined when none is close: equal up to case and
 * separators, then a few edits away (about a third of the length), then a prefix of at least 4 characters.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== word);
  if (word.length === 0 || list.length === 0) return undefined;
  const w = normalize(word);
  const same = list.find((c) => normalize(c) === w);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of list) {
    const d = editDistance(w, normalize(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(w.length, 3) / 3));
  if (best !== undefined && bestDistance <= limit) return best;
  if (w.length >= 4) {
    const prefixed = list.filter((c) => normalize(c).startsWith(w));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}
