// Shared setup of the plugin_config.yml tests: the fixture plugin, its valid config, and small accessors.

import * as fs from 'fs';
import * as path from 'path';
import { analyzeConfig, type ConfigAnalysis } from '../../../core/config/analyzeConfig';
import { DiskFiles, type FileSource } from '../../../core/files';
import type { Problem, Range } from '../../../core/types';

/** test/fixtures/config, found from the compiled test (out/test/unit/config) or the source. */
export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/config');
export const PLUGIN = path.join(FIXTURES, 'plugin');
export const CONFIG_FILE = path.join(PLUGIN, 'plugin_config.yml');
export const VALID = fs.readFileSync(CONFIG_FILE, 'utf8');

export function analyze(text: string, options: { files?: FileSource; sdkVersion?: string; file?: string } = {}): ConfigAnalysis {
  return analyzeConfig(options.file ?? CONFIG_FILE, text, options.files ?? new DiskFiles(), { sdkVersion: options.sdkVersion });
}

/** The valid config with one line replaced (matched by its key) or removed (replacement undefined). */
export function withLine(key: string, replacement: string | undefined): string {
  const lines = VALID.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  if (i < 0) throw new Error(`no line for ${key}`);
  if (replacement === undefined) lines.splice(i, 1);
  else lines[i] = replacement;
  return lines.join('\n');
}

export function r(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** Problems as compact tuples, for exact comparisons. */
export function brief(problems: Problem[]): [string, string, Range][] {
  return problems.map((p) => [p.code, p.severity, p.range]);
}

export function fixes(p: Problem | undefined): { title: string; newText: string[]; preferred: boolean }[] {
  return (p?.data?.fixes ?? []).map((f) => ({ title: f.title, newText: f.edits.map((e) => e.newText), preferred: f.preferred === true }));
}

/** Applies the edits of one fix to a text (edits of one file, non-overlapping). */
export function applyFix(text: string, p: Problem, index = 0): string {
  const fix = p.data?.fixes?.[index];
  if (!fix) throw new Error(`problem ${p.code} has no fix ${index}`);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (pos: { line: number; character: number }) => (lineStarts[pos.line] ?? text.length) + pos.character;
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
