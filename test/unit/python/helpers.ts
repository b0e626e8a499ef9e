import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { OverlayFiles } from '../../../core/files';
import { buildModel } from '../../../core/model';
import { LineIndex } from '../../../core/text';
import type { Position, Problem, Range, TextEdit } from '../../../core/types';
import { PythonAnalyzer, type PythonProject } from '../../../core/python/analyzer';

export const REPO = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/python');

export interface Loaded {
  analyzer: PythonAnalyzer;
  files: OverlayFiles;
  project: PythonProject;
  root: string;
  src: (rel: string) => string;
}

/** Read a plugin folder (plugin_config.yml, schema.json, srcDir) the way the lead's server will. */
export function projectOf(root: string, files: OverlayFiles): PythonProject {
  const config = parseYaml(fs.readFileSync(path.join(root, 'plugin_config.yml'), 'utf8')) as Record<string, string>;
  const schemaFile = path.join(root, config.schemaFile ?? 'schema.json');
  const schemaText = files.readText(schemaFile) ?? '';
  let schema: unknown = undefined;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    schema = undefined;
  }
  return {
    root,
    srcDir: path.join(root, config.srcDir ?? 'src'),
    entryPoint: config.entryPoint,
    pluginType: config.pluginType === 'DIRECT' ? 'DIRECT' : 'STAGED',
    schemaFile,
    schemaText,
    model: buildModel(schema),
  };
}

export async function load(root: string): Promise<Loaded> {
  const files = new OverlayFiles();
  const analyzer = await PythonAnalyzer.create(files);
  const project = projectOf(root, files);
  analyzer.setProject(project);
  return { analyzer, files, project, root, src: (rel) => path.join(project.srcDir, rel) };
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** Copy a plugin into a temp dir (for tests that edit files). */
export function copyPlugin(from: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'py-plugin-'));
  fs.cpSync(from, dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The position of the `n`-th occurrence of `needle` in the file (plus `delta` characters). */
export function posOf(text: string, needle: string, delta = 0, n = 0): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  return new LineIndex(text).positionAt(at + delta);
}

export function rangeOfText(text: string, needle: string, n = 0): Range {
  const start = posOf(text, needle, 0, n);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

export function r(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** Apply edits to texts (edits of one file must not overlap). */
export function applyEdits(texts: Map<string, string>, edits: TextEdit[]): Map<string, string> {
  const out = new Map(texts);
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    const text = out.get(file) ?? fs.readFileSync(file, 'utf8');
    const li = new LineIndex(text);
    const sorted = [...list].sort((a, b) => li.offsetAt(b.range.start) - li.offsetAt(a.range.start));
    let t = text;
    for (const e of sorted) t = t.slice(0, li.offsetAt(e.range.start)) + e.newText + t.slice(li.offsetAt(e.range.end));
    out.set(file, t);
  }
  return out;
}

export function brief(problems: Problem[]): string[] {
  return problems.map((p) => `${p.code} ${p.severity} ${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character} ${p.message}`);
}
