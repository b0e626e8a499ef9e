// What a run (build, sync, debug, upload) does before it starts and how it says how it ended: pure
// decisions, without `vscode`, so unit tests cover them; runGate.ts and the commands apply them.
import * as path from 'path';
import type { Problem } from '../../core/types';
import { plural } from '../../core/text';

export type SaveBeforeRun = 'always' | 'prompt' | 'never';

/**
 * Our `delphix.run.saveBeforeRun` ("default" follows VS Code's own `task.saveBeforeRun`, whose default is
 * "always"), resolved to what to do with the plugin's unsaved files.
 */
export function resolveSaveBeforeRun(own: unknown, vscodeTask: unknown): SaveBeforeRun {
  const valid = (v: unknown): v is SaveBeforeRun => v === 'always' || v === 'prompt' || v === 'never';
  if (valid(own)) return own;
  return valid(vscodeTask) ? vscodeTask : 'always';
}

export function savePrompt(dirty: string[], pluginRoot: string, action: string): { message: string; detail: string } {
  return {
    message: `Save ${plural(dirty.length, 'unsaved file')} before ${action}?`,
    detail: dirty.map((f) => path.relative(pluginRoot, f) || path.basename(f)).join('\n'),
  };
}

export const SHOW_PROBLEMS = 'Show Problems';
export const RUN_ANYWAY = 'Run Anyway';

/** The question asked when the plugin has errors before a run that would meet them. */
export function errorsQuestion(errors: number, pluginName: string): string {
  return `${plural(errors, 'error')} in ${pluginName}: ${errors === 1 ? 'it is' : 'they are'} listed in the Problems view.`;
}

/** Where a failed run's cause is, to open it: the first error of the run with a place in a file. */
export interface FailureNotice {
  /** One line: what failed and why. */
  text: string;
  /** The file and line to go to (zero-based line), when the cause has one. */
  location?: { file: string; line: number; character: number };
  /** Whether the Problems view holds the cause (findings of the plugin's files). */
  problems: boolean;
}

export function syncFailureNotice(
  label: string,
  report: {
    error?: { message: string; action?: string };
    cancelled?: boolean;
    timedOut?: boolean;
    problems: Problem[];
    preflight: { ok: boolean; message: string; id: string; at?: { file: string; line: number; character: number } }[];
  },
): FailureNotice {
  const firstError = report.problems.find((p) => p.severity === 'error');
  const failedCheck = report.preflight.find((c) => !c.ok);
  let cause: string;
  if (report.cancelled) cause = 'cancelled';
  else if (report.timedOut) cause = report.error?.message ?? 'timed out';
  else if (report.error) cause = report.error.message;
  // The profile's check only counts its findings: the first one says what is wrong.
  else if (failedCheck?.id === 'profile' && firstError) cause = `${path.basename(firstError.file)}:${firstError.range.start.line + 1}: ${firstError.message}`;
  else if (failedCheck) cause = failedCheck.message;
  else if (firstError) cause = firstError.message;
  else cause = 'the report says why';
  const location = firstError
    ? { file: firstError.file, line: firstError.range.start.line, character: firstError.range.start.character }
    : failedCheck?.at;
  return { text: `${label} failed: ${oneLine(cause)}`, location, problems: Boolean(firstError) || Boolean(failedCheck?.at) };
}

/** The label of the go-to button: "Open local.json:12". */
export function locationButton(location: { file: string; line: number }): string {
  return `Open ${path.basename(location.file)}:${location.line + 1}`;
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
