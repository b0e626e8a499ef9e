// Repeated findings are capped per rule and file: a binary or badly broken file makes one rule fire
// hundreds of times, which floods a terminal or the Problems view and hides everything else. The
// findings left out are counted, in a summary finding that says how many of each severity there were,
// so exit codes and totals stay true.

import * as path from 'path';
import type { Problem, Severity } from '../types';

/** Findings of one rule listed per file; the rest are summarised in one `file.moreFindings`. */
export const MAX_FINDINGS_PER_RULE = 20;

export const MORE_FINDINGS_CODE = 'file.moreFindings';

/** What a summary finding stands for, in its `data.hidden`. */
export interface HiddenCounts {
  errors: number;
  warnings: number;
  other: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function countHidden(list: Problem[]): HiddenCounts {
  const c: HiddenCounts = { errors: 0, warnings: 0, other: 0 };
  for (const p of list) {
    if (p.severity === 'error') c.errors++;
    else if (p.severity === 'warning') c.warnings++;
    else c.other++;
  }
  return c;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The findings of one file with at most `max` per rule, each rule's surplus replaced by one summary. */
export function capFindings(file: string, list: Problem[], max = MAX_FINDINGS_PER_RULE): Problem[] {
  const byRule = new Map<string, Problem[]>();
  for (const p of list) {
    const arr = byRule.get(p.code) ?? [];
    arr.push(p);
    byRule.set(p.code, arr);
  }
  if ([...byRule.values()].every((l) => l.length <= max)) return list;
  const dropped = new Set<Problem>();
  const summaries: Problem[] = [];
  for (const [rule, items] of byRule) {
    if (items.length <= max || rule === MORE_FINDINGS_CODE) continue;
    const sorted = [...items].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const hidden = sorted.slice(max);
    for (const p of hidden) dropped.add(p);
    const counts = countHidden(hidden);
    const kinds = [counts.errors && plural(counts.errors, 'error'), counts.warnings && plural(counts.warnings, 'warning'), counts.other && `${counts.other} other`].filter(Boolean).join(', ');
    const worst = hidden.reduce((w, p) => (RANK[p.severity] < RANK[w] ? p.severity : w), hidden[0].severity);
    summaries.push({
      file,
      range: hidden[0].range,
      severity: worst,
      code: MORE_FINDINGS_CODE,
      message: `... and ${hidden.length} more ${rule} findings in ${path.basename(file)} (${kinds}), not listed: only the first ${max} of each rule are. Fix those first; most of the rest usually follow from them.`,
      dvp: false,
      data: { rule, hidden: counts },
    });
  }
  return [...list.filter((p) => !dropped.has(p)), ...summaries];
}
