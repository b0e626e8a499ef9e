// "Fix all" for one file: the preferred fix of every problem in it, as one set of edits. Fixes of one
// rule often share an edit (each shell-quoting fix of a module without `import shlex` adds that same
// import), so identical edits are applied once; a fix whose edits overlap an edit already taken is
// left for the next round, where the analysis offers it again against the fixed text.

import { comparePositions } from './text';
import type { Problem, Range, TextEdit } from './types';

function overlaps(a: Range, b: Range): boolean {
  // Touching ranges do not overlap, except two insertions at the same place (their order would be a guess).
  const aEmpty = comparePositions(a.start, a.end) === 0;
  const bEmpty = comparePositions(b.start, b.end) === 0;
  if (aEmpty && bEmpty) return comparePositions(a.start, b.start) === 0;
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

const same = (a: TextEdit, b: TextEdit) =>
  a.file === b.file && a.newText === b.newText && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0;

/** The edits that apply the preferred fix of each problem of `file`, with no edit twice and none overlapping. */
export function fixAllEdits(problems: readonly Problem[], file: string): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const p of problems) {
    if (p.file !== file) continue;
    const fix = p.data?.fixes?.find((f) => f.preferred);
    if (!fix || fix.edits.length === 0) continue;
    const fresh = fix.edits.filter((e) => !taken.some((t) => same(t, e)));
    if (fresh.some((e) => taken.some((t) => t.file === e.file && overlaps(t.range, e.range)))) continue;
    taken.push(...fresh);
  }
  return taken;
}
