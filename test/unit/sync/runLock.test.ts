import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireRunLock, describeHeldLock, processStartTime } from '../../../core/sync/runLock';
import { copyPlugin, fixtureProfile, REPO, type TestPlugin } from './helpers';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the sync run lock', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpstudio-lock-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const lockFile = () => path.join(dir, 'lock');
  const clean = () => {
    for (const n of fs.readdirSync(dir)) fs.rmSync(path.join(dir, n), { force: true });
  };

  it('is created whole, says who holds it, and is released only by its owner', () => {
    clean();
    const first = acquireRunLock(dir, 'delphix-plugin-studio sync --profile local');
    assert.ok('lock' in first);
    const record = JSON.parse(fs.readFileSync(lockFile(), 'utf8'));
    assert.equal(record.pid, process.pid);
    assert.equal(record.startTime, processStartTime(process.pid));
    assert.equal(record.command, 'delphix-plugin-studio sync --profile local');
    assert.match(record.token, /^[0-9a-f]{32}$/);
    assert.deepEqual(fs.readdirSync(dir), ['lock'], 'no temporary file is left');

    const second = acquireRunLock(dir, 'VS Code');
    assert.ok('held' in second);
    assert.equal(
      describeHeldLock('local', second),
      `Another run of profile "local" is in progress: process ${process.pid} (delphix-plugin-studio sync --profile local), since ${record.since}; wait for it to finish or cancel it.`,
    );

    // The lock is someone else's now (a run that took it over): our release leaves it alone.
    const foreign = { ...record, token: 'f'.repeat(32) };
    fs.writeFileSync(lockFile(), JSON.stringify(foreign));
    first.lock.release();
    assert.deepEqual(JSON.parse(fs.readFileSync(lockFile(), 'utf8')), foreign);
    clean();
    const third = acquireRunLock(dir, 'x');
    assert.ok('lock' in third);
    third.lock.release();
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('counts an empty or unreadable lock as held and says what to do', () => {
    clean();
    fs.writeFileSync(lockFile(), '');
    const result = acquireRunLock(dir, 'x');
    assert.ok('held' in result);
    assert.equal(
      describeHeldLock('local', result),
      `Another run of profile "local" may be in progress: its lock ${lockFile()} is empty or unreadable, so it cannot be told whether its owner is alive. If no run of this profile is in progress, delete ${lockFile()} and run again.`,
    );
    assert.equal(fs.readFileSync(lockFile(), 'utf8'), '');
    fs.writeFileSync(lockFile(), '{"pid": ');
    assert.ok('held' in acquireRunLock(dir, 'x'));
  });

  it('takes over the lock of a process that is gone, of a reused pid, and of an earlier version', () => {
    for (const stale of [
      JSON.stringify({ pid: deadPid(), token: 'a'.repeat(32), host: os.hostname() }),
      JSON.stringify({ pid: process.pid, startTime: '1', token: 'b'.repeat(32), host: os.hostname() }),
      String(deadPid()),
    ]) {
      clean();
      fs.writeFileSync(lockFile(), stale);
      const result = acquireRunLock(dir, 'x');
      assert.ok('lock' in result, stale);
      assert.equal(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid, process.pid);
      result.lock.release();
      assert.deepEqual(fs.readdirSync(dir), []);
    }
  });

  it('never takes over the lock of a live process or another host', () => {
    clean();
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: 1, token: 'c'.repeat(32) }));
    assert.ok('held' in acquireRunLock(dir, 'x'));
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', token: 'd'.repeat(32) }));
    const other = acquireRunLock(dir, 'x');
    assert.ok('held' in other);
    assert.match(describeHeldLock('local', other), /, on host elsewhere\.example; wait for it to finish or cancel it\.$/);
  });

  it('says so when a takeover was interrupted (its claimer is gone too)', () => {
    clean();
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: deadPid(), token: 'e'.repeat(32) }));
    fs.writeFileSync(`${lockFile()}.takeover-${'e'.repeat(32)}`, JSON.stringify({ pid: deadPid(), token: '1'.repeat(32) }));
    const result = acquireRunLock(dir, 'x');
    assert.ok('held' in result);
    assert.match(describeHeldLock('local', result), /which has ended, and a run that was taking it over was stopped\. If no run of profile "local" is in progress, delete .*\/lock and .*\/lock\.takeover-\* and run again\.$/);
  });
});

// Processes that contend for one lock as fast as they can: each holder checks that it is alone (an
// exclusive mkdir), and some holders exit without releasing, so the others must take over stale locks.
const WORKER = `
const fs = require('fs');
const { acquireRunLock } = require(process.argv[1]);
const [dir, marker, ms, dying] = process.argv.slice(2);
const out = { got: 0, held: 0, violations: 0 };
const end = Date.now() + Number(ms);
do {
  const r = acquireRunLock(dir, 'worker');
  if (!('lock' in r)) { out.held++; continue; }
  out.got++;
  let alone = true;
  try { fs.mkdirSync(marker); } catch { alone = false; out.violations++; }
  const until = Date.now() + 1;
  while (Date.now() < until);
  if (alone) fs.rmdirSync(marker);
  if (dying === 'die') break; // holds the lock as it exits, like a killed run
  r.lock.release();
} while (Date.now() < end);
process.stdout.write(JSON.stringify(out));
`;

describe('the run lock under contention (real processes)', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpstudio-lock-race-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never has two holders, and stale locks of exited holders are taken over', { timeout: 120_000 }, async () => {
    const lockJs = path.join(REPO, 'out', 'core', 'sync', 'runLock.js');
    const run = path.join(dir, 'run');
    fs.mkdirSync(run);
    const marker = path.join(dir, 'inside');
    const worker = (ms: number, dying: boolean) =>
      new Promise<{ got: number; held: number; violations: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', WORKER, lockJs, run, marker, String(ms), dying ? 'die' : 'live'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`worker exit ${code}`))));
      });
    const dyingInTurn = async () => {
      const results = [];
      for (let i = 0; i < 12; i++) results.push(await worker(400, true));
      return results;
    };
    const results = (await Promise.all([worker(3000, false), worker(3000, false), worker(3000, false), dyingInTurn()])).flat();
    const total = results.reduce((a, r) => ({ got: a.got + r.got, held: a.held + r.held, violations: a.violations + r.violations }), { got: 0, held: 0, violations: 0 });
    assert.equal(total.violations, 0, JSON.stringify(total));
    assert.ok(total.got > 50 && total.held > 50, JSON.stringify(total));
    const diedHolding = results.slice(3).filter((r) => r.got > 0).length;
    assert.ok(diedHolding >= 3, `only ${diedHolding} workers died holding the lock`);
    // What the last one left is stale, and taken over; nothing else is left behind.
    const last = acquireRunLock(run, 'x');
    assert.ok('lock' in last);
    last.lock.release();
    assert.deepEqual(fs.readdirSync(run), []);
  });
});

describe('concurrent syncs of one profile (real CLI processes started together)', () => {
  let plugin: TestPlugin;
  before(() => {
    plugin = copyPlugin();
    plugin.writeProfile(fixtureProfile(plugin.source, 'exclusive'));
  });
  after(() => plugin.cleanup());

  function cliSync(): Promise<{ pid: number; code: number | null; report: { ok: boolean; error?: { kind: string; message: string } } }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'sync', plugin.root, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => {
        try {
          resolve({ pid: child.pid!, code, report: JSON.parse(out) });
        } catch {
          reject(new Error(`exit ${code}: ${out}\n${err}`));
        }
      });
    });
  }

  it('never runs both: one of each pair runs, the other names the holder', { timeout: 180_000 }, async () => {
    const PAIRS = 20;
    let contended = 0;
    for (let i = 0; i < PAIRS; i++) {
      const [a, b] = await Promise.all([cliSync(), cliSync()]);
      for (const [mine, other] of [[a, b], [b, a]]) {
        if (mine.report.ok) {
          assert.equal(mine.code, 0);
          continue;
        }
        // The only acceptable failure: the lock was held, by the other run of the pair.
        contended++;
        assert.equal(mine.code, 1);
        assert.equal(mine.report.error!.kind, 'SimulatorError', JSON.stringify(mine.report.error));
        assert.match(
          mine.report.error!.message,
          new RegExp(`^Another run of profile "local" is in progress: process ${other.pid} \\(delphix-plugin-studio sync .*--json\\), since \\d{4}-[\\d-]+T[\\d:.]+Z; wait for it to finish or cancel it\\.$`),
        );
        assert.equal(other.report.ok, true, `pair ${i}: both failed`);
      }
    }
    // Started together, the runs met at the lock (a run takes far longer than starting two processes).
    assert.ok(contended >= PAIRS / 2, `only ${contended} of ${PAIRS} pairs met at the lock`);
    const run = path.join(plugin.root, '.delphix/sandbox/local/run');
    assert.deepEqual(fs.readdirSync(run), [], 'no lock, claim or temporary file is left');
  });
});
