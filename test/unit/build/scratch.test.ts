// The build's scratch folder in the temporary folder: removed when the CLI's build is stopped with
// SIGTERM, SIGINT or SIGHUP, and, after a SIGKILL (which cleans nothing), by the next build.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweepAbandonedWorkDirs } from '../../../core/build/workDir';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'out', 'cli', 'main.js');
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');

describe('the build scratch folder', { timeout: 120_000 }, () => {
  let tmp: string;
  let plugin: string;
  let slowPython: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-scratch-'));
    plugin = path.join(tmp, 'plugin');
    fs.cpSync(EXAMPLE, plugin, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
    // A python3 that takes its time compiling, so the signal lands while the scratch folder exists.
    slowPython = path.join(tmp, 'slow-python');
    fs.writeFileSync(slowPython, [
        '#!/bin/sh',
        // Dies on a signal at once, as python3 does (a shell waiting on a foreground child would not).
        'case "$*" in *compileall*) sleep 30 & pid=$!; trap \'kill $pid; exit 143\' TERM INT HUP; wait $pid;; esac',
        'exec python3 "$@"',
        '',
      ].join('\n'), { mode: 0o755 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const startBuild = (scratchParent: string): ChildProcess =>
    spawn(process.execPath, [CLI, 'build', plugin, '--no-sdk-runtime', '--python', slowPython], {
      env: { ...process.env, TMPDIR: scratchParent },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the test can end the slow python3's `sleep` afterwards.
      detached: true,
    });

  /** Ends what the signalled build left running of the test's slow python3 (not part of what is tested). */
  const reap = (child: ChildProcess) => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };

  const scratchOf = (parent: string, pid: number) => fs.readdirSync(parent).filter((n) => n.startsWith(`delphix-build-${pid}-`));

  async function untilScratch(parent: string, child: ChildProcess): Promise<string> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const found = scratchOf(parent, child.pid!);
      // The compile step has started once the copy of srcDir is in the folder.
      if (found.length === 1 && fs.readdirSync(path.join(parent, found[0])).length > 0) return found[0];
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the build never made its scratch folder');
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      // 'exit', not 'close': a SIGKILLed build's python3 child may still hold the pipes.
      child.on('exit', (code, signal) => setTimeout(() => resolve({ code, signal, out }), 50));
    });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`is removed when the build gets ${signal}`, async () => {
      const parent = fs.mkdtempSync(path.join(tmp, 'tmpdir-'));
      const child = startBuild(parent);
      const done = exited(child);
      await untilScratch(parent, child);
      child.kill(signal);
      const r = await done;
      reap(child);
      assert.equal(r.code, { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 }[signal], r.out);
      assert.match(r.out, /Build cancelled; nothing was written\./);
      assert.deepEqual(fs.readdirSync(parent), [], 'nothing is left in the temporary folder');
      assert.ok(!fs.existsSync(path.join(plugin, 'artifact.json')));
    });
  }

  it('left behind by SIGKILL, is removed by the next build; folders of live processes are kept', async () => {
    const parent = fs.mkdtempSync(path.join(tmp, 'tmpdir-'));
    const child = startBuild(parent);
    const done = exited(child);
    const left = await untilScratch(parent, child);
    child.kill('SIGKILL');
    await done;
    reap(child);
    assert.ok(fs.existsSync(path.join(parent, left)), 'SIGKILL leaves the folder');
    // A folder of this (live) process, and one that is not ours by name, stay.
    const mine = path.join(parent, `delphix-build-${process.pid}-abcdef`);
    const other = path.join(parent, 'delphix-build-notapid');
    fs.mkdirSync(mine);
    fs.mkdirSync(other);
    assert.deepEqual(await sweepAbandonedWorkDirs(parent), [path.join(parent, left)]);
    assert.deepEqual(fs.readdirSync(parent).sort(), [path.basename(mine), path.basename(other)].sort());
  });

  it('the next build sweeps what a killed one left, then builds', async () => {
    const parent = fs.mkdtempSync(path.join(tmp, 'tmpdir-'));
    const child = startBuild(parent);
    const done = exited(child);
    const left = await untilScratch(parent, child);
    child.kill('SIGKILL');
    await done;
    reap(child);
    const again = spawn(process.execPath, [CLI, 'build', plugin, '--no-sdk-runtime'], { env: { ...process.env, TMPDIR: parent }, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = await exited(again);
    assert.equal(r.code, 0, r.out);
    assert.ok(!fs.existsSync(path.join(parent, left)));
    assert.deepEqual(fs.readdirSync(parent), []);
  });
});
