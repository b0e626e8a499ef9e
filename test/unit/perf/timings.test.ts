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

test('the CLI writes its V8 code cache once per command, runs the same from it, and survives a corrupt cache', async () => {
  const fs = await import('fs');
  const os = await import('os');
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'delphix-code-cache-'));
  try {
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome, DELPHIX_TIMINGS: '' };
    const run = () => spawnSync(process.execPath, [CLI, 'check', EXAMPLE], { encoding: 'utf8', env });
    const first = run();
    const dir = path.join(cacheHome, 'delphix-plugin-studio', 'code-cache');
    const files = fs.readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^cli-v\d+\.\d+\.\d+-\w+-[0-9a-f]{16}-check\.bin$/);
    const second = run();
    assert.deepEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr]);
    fs.writeFileSync(path.join(dir, files[0]), 'not a code cache');
    const third = run();
    assert.deepEqual([third.status, third.stdout, third.stderr], [first.status, first.stdout, first.stderr]);
    assert.notEqual(fs.readFileSync(path.join(dir, files[0]), 'utf8'), 'not a code cache', 'a rejected cache is rewritten');
    assert.deepEqual(fs.readdirSync(dir), files, 'no temporary files are left');
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
});
