// How far apart two words are, for every "did you mean" of the project (config keys, schema keywords,
// generated Python names): the optimal-string-alignment distance, where a swap of neighbours counts as
// one edit, since `mount_locaiton` is one slip, not two.

/**
 * Insertions, deletions, substitutions and adjacent swaps that turn `a` into `b`. With `limit`, any
 * answer above it may be returned as `limit + 1` without the full computation: words whose lengths
 * differ by more than the limit are never compared letter by letter (a 2 MB key against every keyword
 * took seconds).
 */
export function editDistance(a: string, b: string, limit?: number): number {
  if (a === b) return 0;
  if (limit !== undefined && Math.abs(a.length - b.length) > limit) return limit + 1;
  if (limit !== undefined && letterDifference(a, b) > 2 * limit) return limit + 1;
  const n = b.length;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    // Every later row is at least the smaller of the two rows before it (a swap reaches back two rows).
    if (limit !== undefined && rowMin > limit && prevMin > limit) return limit + 1;
    prevMin = rowMin;
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

const counts = new Int32Array(65536);

/**
 * How many letters the two words do not share, counted with repeats. An insertion or deletion changes
 * it by one, a substitution by two, a swap not at all, so it is at most twice the edit distance: a
 * cheap way to rule out most candidates before the quadratic comparison.
 */
function letterDifference(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i)]++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i)]--;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    diff += Math.abs(counts[c]);
    counts[c] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    diff += Math.abs(counts[c]);
    counts[c] = 0;
  }
  return diff;
}
