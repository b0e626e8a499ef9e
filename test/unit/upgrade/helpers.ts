import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../cli/main';
import type { CliIO } from '../../../cli/io';
import { checkPlugins } from '../../../core/analysis/checkPlugin';
import { assembleArtifact } from '../../../core/build/artifact';
import { findImplementedOperations } from '../../../core/build/findOperations';
import { buildManifest } from '../../../core/build/manifest';
import { loadBuildConfig, loadSchema } from '../../../core/build/pluginConfig';
import { dumpPyJson } from '../../../core/pythonJson';
import { getSdkVersion } from '../../../core/sdk/versions';
import { LineIndex } from '../../../core/text';
import type { Problem, TextEdit } from '../../../core/types';
import { BaselineStore, upgradeChecks } from '../../../core/upgrade/analysisHook';

export const REPO = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/upgrade');
export const NOW = new Date(Date.UTC(2026, 11, 2));

const temps: string[] = [];
export function tempDir(prefix = 'upgrade-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}
export function cleanup(): void {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A copy of a fixture version in a temp folder (tests edit their copies). */
export function copyVersion(version: string, to = tempDir()): string {
  const dir = path.join(to, version);
  fs.cpSync(path.join(FIXTURES, version), dir, { recursive: true });
  return dir;
}

/** The upload artifact of a plugin folder as `build` assembles it (no compiled code: only the metadata matters here). */
export async function artifactOf(root: string, file = path.join(tempDir(), 'artifact.json')): Promise<string> {
  const c = loadBuildConfig(root);
  if (!c.ok) throw new Error(c.errors.join(' '));
  const s = loadSchema(c.value.schemaFile);
  if (!s.ok) throw new Error(s.errors.join(' '));
  const art = assembleArtifact(c.value, s.value.value, buildManifest(await findImplementedOperations(root)), '', getSdkVersion(undefined));
  fs.writeFileSync(file, dumpPyJson(art, { indent: 4 }));
  return file;
}

export async function guardProblems(root: string, baseline: string): Promise<Problem[]> {
  const store = new BaselineStore(baseline);
  const loaded = await store.load(root);
  if (!loaded.ok) throw new Error(loaded.error);
  const r = await checkPlugins(root, { extraChecks: upgradeChecks(store, () => NOW) });
  return r.problems.filter((p) => p.code.startsWith('upgrade.'));
}

export function applyEdit(edit: TextEdit): void {
  const text = fs.readFileSync(edit.file, 'utf8');
  const lines = new LineIndex(text);
  fs.writeFileSync(edit.file, text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end)));
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
}

export async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, env: process.env, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), signal: new AbortController().signal };
  const code = await main(args, io);
  return { code, out, err };
}
