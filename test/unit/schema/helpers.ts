import * as fs from 'fs';
import * as path from 'path';
import { analyzeSchema, type SchemaAnalysis } from '../../../core/schema/analyzeSchema';
import type { Problem, Range } from '../../../core/types';

/** The repository root, from the compiled test (out/test/unit/schema) or the source. */
export const REPO = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/schema');
export const EXAMPLE_SCHEMA = path.join(REPO, 'examples/first-plugin/schema.json');
export const FILE = '/plugin/schema.json';

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function exampleObject(): Record<string, any> {
  return JSON.parse(fs.readFileSync(EXAMPLE_SCHEMA, 'utf8'));
}

/** The example plugin's schema after `mutate`, printed with 4-space indentation. */
export function schemaText(mutate?: (s: Record<string, any>) => void): string {
  const s = exampleObject();
  mutate?.(s);
  return JSON.stringify(s, null, 4);
}

export function analyze(text: string, sdkVersion?: string): SchemaAnalysis {
  return analyzeSchema(FILE, text, sdkVersion ? { sdkVersion } : {});
}

/** The range of the `nth` occurrence of `needle` in `text` (zero-based lines and columns). */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${nth + 1} times`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** A zero-width range at line/character. */
export function at(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Problems compared by what an author sees: code, range, severity, dvp, message. */
export function brief(p: Problem): { code: string; range: Range; severity: string; dvp: boolean; message: string } {
  return { code: p.code, range: p.range, severity: p.severity, dvp: p.dvp, message: p.message };
}

export function withCode(a: SchemaAnalysis, code: string): Problem[] {
  return a.problems.filter((p) => p.code === code);
}

/** Apply the edits of a problem's fix to `text` (edits must not overlap). */
export function applyFix(text: string, problem: Problem, index = 0): string {
  const fixes = (problem.data?.fixes ?? []) as { edits: { range: Range; newText: string }[] }[];
  const fix = fixes[index];
  if (!fix) throw new Error(`problem ${problem.code} has no fix ${index}`);
  const offsetOf = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const edits = [...fix.edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}

/** The range of the `nth` occurrence of `needle` after the first occurrence of `anchor`. */
export function rangeAfter(text: string, anchor: string, needle: string, nth = 0): Range {
  const from = text.indexOf(anchor);
  if (from < 0) throw new Error(`${JSON.stringify(anchor)} does not occur`);
  let idx = from + anchor.length - 1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${nth + 1} times after ${JSON.stringify(anchor)}`);
  }
  return { start: positionAt(text, idx), end: positionAt(text, idx + needle.length) };
}
