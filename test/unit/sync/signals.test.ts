// Signals to a running `sync` (the real CLI in its own process): SIGTERM and SIGHUP cancel like Ctrl-C;
// after SIGKILL the runner ends itself (it watches its parent), and the next run cleans up after it.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runSync } from '../../../core/sync/orchestrator';
import { formatReport } from '../../../core/sync/report';
import { livingGroupMembers } from '../../../core/sync/runLock';
import { copyPlugin, fixtureProfile, REPO, type TestPlugin } from './helpers';

interface Cli {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Processes a failed test may leave: killed after each test. */
const started: number[] = [];

function startCli(root: string, json = true): Cli {
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'sync', root, ...(json ? ['--json'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  started.push(child.pid!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, stdout: () => out, exited };
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function comm(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Every file of a folder with its content, for "the previous snapshot is intact". */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

describe('signals to a running sync', { timeout: 240_000 }, () => {
  let plugin: TestPlugin;
  let sandbox: string;
  let snapshot1: Record<string, string>;
  before(async () => {
    plugin = copyPlugin();
    sandbox = path.join(plugin.root, '.delphix/sandbox/local');
    plugin.writeProfile(fixtureProfile(plugin.source, 'mirror'));
    const first = await runSync({ pluginRoot: plugin.root });
    assert.equal(first.ok, true, formatReport(first));
    snapshot1 = tree(path.join(sandbox, 'snapshots/1'));
    assert.ok(Object.keys(snapshot1).length > 3);
    // Slow enough that the signal arrives while rsync runs.
    fs.writeFileSync(path.join(plugin.source, 'big.bin'), Buffer.alloc(1024 * 1024, 7));
  });
  after(() => plugin.cleanup());
  afterEach(() => {
    for (const pid of started.splice(0)) {
      for (const p of [pid, runnerPid() ?? 0]) {
        try {
          if (p) process.kill(p === pid ? p : -p, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
  });
  beforeEach(() => plugin.writeProfile(fixtureProfile(plugin.source, 'slow-copy')));

  const runnerPid = () => {
    try {
      return JSON.parse(fs.readFileSync(path.join(sandbox, 'run/runner.json'), 'utf8')).pid as number;
    } catch {
      return undefined;
    }
  };
  /** Starts a sync and waits until its runner has an rsync running; returns the runner's pid (its group). */
  async function syncCopying(): Promise<{ cli: Cli; runner: number }> {
    const cli = startCli(plugin.root);
    const runner = await until('the runner and its rsync', () => {
      const pid = runnerPid();
      return pid !== undefined && livingGroupMembers(pid).some((m) => comm(m) === 'rsync') && pid;
    });
    return { cli, runner };
  }
  function assertCleanSandbox() {
    assert.deepEqual(fs.readdirSync(path.join(sandbox, 'snapshots')), ['1'], 'no pending snapshot; snapshot 1 stays');
    assert.deepEqual(tree(path.join(sandbox, 'snapshots/1')), snapshot1);
  }
  async function nextRunIsClean(expectNote?: RegExp) {
    plugin.writeProfile(fixtureProfile(plugin.source, 'mirror'));
    const next = await runSync({ pluginRoot: plugin.root });
    assert.equal(next.ok, true, formatReport(next));
    if (expectNote) assert.ok(next.notes.some((n) => expectNote.test(n)), next.notes.join('\n'));
    assert.deepEqual(tree(path.join(sandbox, 'snapshots/1')), snapshot1, 'the previous snapshot is intact');
    assert.deepEqual(fs.readdirSync(path.join(sandbox, 'run')), []);
    fs.rmSync(next.snapshot!.path, { recursive: true });
  }

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} cancels like Ctrl-C: runner and rsync stopped, lock released, exit ${code}`, async () => {
      const { cli, runner } = await syncCopying();
      cli.child.kill(signal);
      const exit = await cli.exited;
      assert.deepEqual(exit, { code, signal: null }, cli.stderr());
      const report = JSON.parse(cli.stdout());
      assert.equal(report.cancelled, true);
      assert.deepEqual([report.error.kind, report.error.step], ['Cancelled', 'linked.pre_snapshot()']);
      assert.deepEqual(livingGroupMembers(runner), [], 'no process of the runner group survives');
      assert.deepEqual(fs.readdirSync(path.join(sandbox, 'run')), [], 'lock released');
      assertCleanSandbox();
      await nextRunIsClean();
    });
  }

  it('SIGKILL: the runner notices its parent is gone and ends itself and its rsync; the next run takes over', async () => {
    const { cli, runner } = await syncCopying();
    cli.child.kill('SIGKILL');
    await cli.exited;
    await until('the runner group to end', () => livingGroupMembers(runner).length === 0, 5000);
    // The dead run's lock is left behind, and taken over.
    assert.ok(fs.existsSync(path.join(sandbox, 'run/lock')));
    assertCleanSandbox();
    await nextRunIsClean();
  });

  it('SIGKILL while the snapshot is pending: the next run ends a runner still there and removes its pending snapshot', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'hang-post'));
    const cli = startCli(plugin.root, false);
    await until('post_snapshot', () => cli.stderr().includes('… linked.post_snapshot()'));
    const runner = runnerPid()!;
    const pending = path.join(sandbox, 'snapshots/.pending-2');
    assert.ok(fs.existsSync(path.join(pending, 'data')));
    // Frozen, its watchdog cannot act: as if the parent had died a moment ago.
    process.kill(-runner, 'SIGSTOP');
    cli.child.kill('SIGKILL');
    await cli.exited;
    assert.ok(livingGroupMembers(runner).length > 0);
    await nextRunIsClean(new RegExp(`^Removed ${pending.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, left half-written by an earlier run\\.$`));
    assert.deepEqual(livingGroupMembers(runner), [], 'the orphaned runner was ended before its snapshot was removed');
  });
});
