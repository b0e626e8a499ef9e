// "Did you mean" for mistyped keys, enum values and file names, compared the way config keys get mistyped
// (case, `_` and `-` ignored, a prefix of a long key).

import { editDistance } from '../editDistance';

export { editDistance };

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
  const limit = Math.max(1, Math.floor(Math.max(w.length, 3) / 3));
  for (const c of list) {
    const d = editDistance(w, normalize(c), limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  if (w.length >= 4) {
    const prefixed = list.filter((c) => normalize(c).startsWith(w));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}
