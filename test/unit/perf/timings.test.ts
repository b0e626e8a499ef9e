// The timing breakdown a CLI run prints on request: the bundle as a new process, as an author runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');

test('check --timings prints each phase with wall and CPU time on stderr, and the report is unchanged', () => {
  const plain = spawnSync(process.execPath, [CLI, 'check', EXAMPLE], { encoding: 'utf8', env: { ...process.env, DELPHIX_TIMINGS: '' } });
  const timed = spawnSync(process.execPath, [CLI, 'check', EXAMPLE, '--timings'], { encoding: 'utf8' });
  assert.equal(timed.status, plain.status);
  assert.equal(timed.stdout, plain.stdout);
  assert.doesNotMatch(plain.stderr, /timings \(ms\)/);
  for (const phase of ['node start-up', 'module load', 'parser load', 'check: config', 'check: schema', 'check: python', 'whole process so far']) {
    assert.match(timed.stderr, new RegExp(`^${phase}.* \\d+\\.\\d`, 'm'), `phase "${phase}" in:\n${timed.stderr}`);
  }
});

test('DELPHIX_TIMINGS=json prints one JSON line with the phases and the totals', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', EXAMPLE], { encoding: 'utf8', env: { ...process.env, DELPHIX_TIMINGS: 'json' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"delphixTimings"'));
  assert.ok(line, r.stderr);
  const t = JSON.parse(line).delphixTimings as { phases: { phase: string; wallMs: number | null; cpuMs: number | null; count: number }[]; totalCpuMs: number };
  assert.ok(t.totalCpuMs > 0);
  const schema = t.phases.find((p) => p.phase === 'check: schema');
  assert.ok(schema && schema.cpuMs !== null && schema.cpuMs >= 0 && schema.count === 1);
});
