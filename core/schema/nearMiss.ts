// Spotting misspellings of known words (keywords, definition names, type names), so a typo that dvp
// accepts silently gets a warning and a rename.

import { editDistance } from '../editDistance';

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
    // More than two letters apart in length: neither a case variant nor within two edits (checked
    // first: a broken file can have 100,000 unknown keys, each compared with every keyword).
    if (Math.abs(c.length - word.length) > 2) continue;
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    const longer = Math.max(word.length, c.length);
    const limit = longer <= 3 ? 0 : longer <= 6 ? 1 : 2;
    if (limit === 0) continue;
    const d = editDistance(lower, cl, limit);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
