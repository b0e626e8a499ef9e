// One way to build a config Problem, so that every check fills `dvp`, `data.dvpMessage` and `data.fixes`
// alike.

import { shapeProblem } from '../messages';
import type { Fix, Problem, Range, Severity } from '../types';

export interface ProblemOptions {
  severity?: Severity;
  /** Whether `dvp build` fails (or warns) on the same input; default true. */
  dvp?: boolean;
  /** What `dvp build` itself prints for it, when known. */
  dvpMessage?: string;
  fixes?: Fix[];
  /** The explanation, shown in the hover and the Problems view's related rows (the message stays short). */
  detail?: string;
  extra?: Record<string, unknown>;
}

export function configProblem(file: string, range: Range, code: string, message: string, opts: ProblemOptions = {}): Problem {
  const data: Record<string, unknown> = { ...(opts.extra ?? {}) };
  if (opts.dvpMessage !== undefined) data.dvpMessage = opts.dvpMessage;
  const fixes = (opts.fixes ?? []).filter((f) => f.edits.length > 0);
  if (fixes.length > 0) data.fixes = fixes;
  return shapeProblem({
    file,
    range,
    severity: opts.severity ?? 'error',
    code,
    message,
    ...(opts.detail ? { detail: opts.detail } : {}),
    dvp: opts.dvp ?? true,
    ...(Object.keys(data).length > 0 ? { data } : {}),
  });
}
