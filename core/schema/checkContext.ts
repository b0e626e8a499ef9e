// What the schema checks share: the tree, offsets to ranges, and building problems and edits.

import type { Node } from 'jsonc-parser';
import type { GeneratedModel } from '../model';
import type { SdkVersion } from '../sdk/versions';
import type { LineIndex } from '../text';
import type { Fix, Problem, Range, Severity, TextEdit } from '../types';
import { members } from './jsonTree';

export interface CheckContext {
  file: string;
  text: string;
  lines: LineIndex;
  root: Node;
  value: unknown;
  model: GeneratedModel;
  sdk: SdkVersion;
  problems: Problem[];
}

export function nodeRange(ctx: CheckContext, node: Node): Range {
  return ctx.lines.range(node.offset, node.offset + node.length);
}

/** The range of a property node's key. */
export function keyRangeOf(ctx: CheckContext, prop: Node): Range {
  const key = prop.children?.[0] ?? prop;
  return nodeRange(ctx, key);
}

export function replaceEdit(ctx: CheckContext, node: Node, newText: string): TextEdit {
  return { file: ctx.file, range: nodeRange(ctx, node), newText };
}

export function insertEdit(ctx: CheckContext, offset: number, newText: string): TextEdit {
  const p = ctx.lines.positionAt(offset);
  return { file: ctx.file, range: { start: p, end: p }, newText };
}

export function fix(title: string, edits: TextEdit[], preferred = false): Fix {
  return preferred ? { title, edits, preferred } : { title, edits };
}

export function report(
  ctx: CheckContext,
  range: Range,
  severity: Severity,
  code: string,
  message: string,
  dvp: boolean,
  extra?: { fixes?: Fix[]; data?: Record<string, unknown>; related?: Problem['related']; detail?: string },
): Problem {
  const problem: Problem = { file: ctx.file, range, severity, code, message, dvp };
  if (extra?.detail) problem.detail = extra.detail;
  const data: Record<string, unknown> = { ...(extra?.data ?? {}) };
  if (extra?.fixes && extra.fixes.length > 0) data.fixes = extra.fixes;
  if (Object.keys(data).length > 0) problem.data = data;
  if (extra?.related && extra.related.length > 0) problem.related = extra.related;
  ctx.problems.push(problem);
  return problem;
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}

function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(start, i);
}

/** An edit adding `"key": valueText` as the last member of an object node, in the file's indentation. */
export function addMemberEdit(ctx: CheckContext, obj: Node, key: string, valueText: string): TextEdit {
  const list = members(obj);
  const member = `${JSON.stringify(key)}: ${valueText}`;
  if (list.length > 0) {
    const last = list[list.length - 1];
    const end = last.offset + last.length;
    const lastOnOwnLine = lineStart(ctx.text, last.offset) + indentAt(ctx.text, last.offset).length === last.offset;
    if (lastOnOwnLine) return insertEdit(ctx, end, `,\n${indentAt(ctx.text, last.offset)}${member}`);
    return insertEdit(ctx, end, `, ${member}`);
  }
  const outer = indentAt(ctx.text, obj.offset);
  const unit = /\t/.test(outer) ? '\t' : '    ';
  return { file: ctx.file, range: nodeRange(ctx, obj), newText: `{\n${outer}${unit}${member}\n${outer}}` };
}

/** An edit removing one element of an array node together with its separating comma. */
export function removeElementEdit(ctx: CheckContext, array: Node, index: number): TextEdit | undefined {
  const items = array.children ?? [];
  const item = items[index];
  if (!item) return undefined;
  let start: number;
  let end: number;
  if (index > 0) {
    const prev = items[index - 1];
    start = prev.offset + prev.length;
    end = item.offset + item.length;
  } else if (items.length > 1) {
    start = item.offset;
    end = items[1].offset;
  } else {
    start = item.offset;
    end = item.offset + item.length;
  }
  return { file: ctx.file, range: ctx.lines.range(start, end), newText: '' };
}

/** Python's repr of a JSON value, as python-jsonschema prints instances in dvp's messages. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = '';
    for (const ch of value) {
      if (ch === '\\') out += '\\\\';
      else if (ch === quote) out += '\\' + quote;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
      else out += ch;
    }
    return quote + out + quote;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** How a JSON value reads in a message: `a string ("false")`, `a number (5)`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (typeof value === 'boolean') return `\`${value}\``;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  return 'an object';
}
