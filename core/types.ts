// Shared vocabulary of the core. Positions are zero-based lines and UTF-16 columns, exactly as in the
// Language Server Protocol, so the server passes ranges through without conversion.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * One finding of the analysis. `dvp` tells whether `dvp build` of the targeted SDK would fail or warn on
 * the same input (true), or whether it is a check Plugin Studio adds beyond the SDK (false).
 */
export interface Problem {
  /** Absolute path of the file the problem is in. */
  file: string;
  range: Range;
  severity: Severity;
  /** Stable identifier of the rule, e.g. `config.required`, `schema.nameField.unknown`. */
  code: string;
  /** The fact and the fix in a few words, plain text (see core/messages.ts). */
  message: string;
  /** The explanation: why it matters, what dvp prints. Shown in the hover and the Problems view's related rows. */
  detail?: string;
  dvp: boolean;
  /** Extra data a quick fix needs (replacement candidates, the property to add, ...). */
  data?: ProblemData;
  /** Other places that explain the problem (e.g. the first of two colliding properties). */
  related?: { file: string; range: Range; message: string }[];
}

export interface ProblemData {
  /** Text edits that fix the problem, offered as quick fixes, best first. */
  fixes?: Fix[];
  [key: string]: unknown;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix the author most likely wants (shown first, applied by "fix all"). */
  preferred?: boolean;
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
