// Debugging data migrations: the prepared debugpy launch of the upgrade runner stops at a breakpoint
// inside a migration (a real debugpy driven over DAP, as VS Code would), and when the session ends
// the result is validated as for a normal run.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { loadBaseline } from '../../../core/upgrade/baseline';
import { prepareUpgradeDebug } from '../../../core/upgrade/debugUpgrade';
import { readObjectsFile } from '../../../core/upgrade/objects';
import { DapClient } from '../../support/dapClient';
import { artifactOf, cleanup, copyVersion, FIXTURES } from './helpers';

after(cleanup);

function hasDebugpy(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import debugpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('debugging data migrations with debugpy', { skip: hasDebugpy('/usr/bin/python3') ? false : '/usr/bin/python3 has no debugpy' }, () => {
  it('stops at a breakpoint inside a migration with the saved object in scope, then the result is validated', async () => {
    const root = copyVersion('v2-migrated');
    const baseline = await loadBaseline(await artifactOf(path.join(FIXTURES, 'v1')), root);
    assert.ok(baseline.ok);
    const objects = readObjectsFile(path.join(FIXTURES, 'objects.json'));
    assert.ok(objects.ok);
    const prepared = await prepareUpgradeDebug({ pluginRoot: root, baseline: baseline.baseline, objects: objects.objects, python: '/usr/bin/python3' });
    assert.equal(prepared.ok, true, prepared.error);
    const config = prepared.configuration!;
    assert.equal(path.basename(config.program), 'dpstudio_upgrade_runner.py');
    assert.equal(config.cwd, path.join(root, 'src'));

    const source = path.join(root, 'src', 'plugin_runner.py');
    const line = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes("old_virtual_source.setdefault('retentionDays', 7)")) + 1;
    const port = await freePort();
    const child = spawn(config.python, ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`, '--wait-for-client', config.program, ...config.args], {
      cwd: config.cwd,
      env: { ...process.env, ...config.env },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const dap = await DapClient.connect(port);
    try {
      assert.equal((await dap.request('initialize', { adapterID: 'debugpy', clientID: 'dpstudio-test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).success, true);
      const attached = dap.request('attach', { justMyCode: config.justMyCode });
      await dap.waitForEvent('initialized');
      const bp = await dap.request('setBreakpoints', { source: { path: source }, breakpoints: [{ line }] });
      assert.equal((bp.body!.breakpoints as { verified: boolean }[])[0].verified, true);
      await dap.request('configurationDone');
      await attached;
      const stopped = await dap.waitForEvent('stopped', 60000);
      assert.equal(stopped.body!.reason, 'breakpoint');
      const trace = await dap.request('stackTrace', { threadId: stopped.body!.threadId });
      const top = (trace.body!.stackFrames as { id: number; name: string; line: number; source: { path: string } }[])[0];
      assert.deepEqual([top.name, top.line, top.source.path], ['virtual_source_retention', line, source]);
      // The saved object as the migration receives it (password included: this is the author's own machine).
      const evaluated = await dap.request('evaluate', { expression: "sorted(old_virtual_source)", frameId: top.id, context: 'repl' });
      assert.equal(evaluated.body!.result, "['password', 'port']");
      await dap.request('continue', { threadId: stopped.body!.threadId });
      assert.equal(await exited, 0);
    } finally {
      dap.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const run = await prepared.finish();
    assert.equal(run.ok, true, JSON.stringify(run));
    assert.equal(run.outcomes.length, 6);
  });

  it('a session that ends before the runner wrote its result says so, and leaves no temporary files', async () => {
    const root = copyVersion('v2-migrated');
    const baseline = await loadBaseline(await artifactOf(path.join(FIXTURES, 'v1')), root);
    assert.ok(baseline.ok);
    const prepared = await prepareUpgradeDebug({ pluginRoot: root, baseline: baseline.baseline, objects: [], python: '/usr/bin/python3' });
    assert.ok(prepared.ok);
    const work = path.dirname(prepared.configuration!.args[1]);
    assert.ok(fs.existsSync(work));
    const run = await prepared.finish();
    assert.equal(run.ok, false);
    assert.match(run.error!, /^The upgrade runner ended without a result\./);
    assert.equal(fs.existsSync(work), false);
  });
});
