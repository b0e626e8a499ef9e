import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { prepareDebugRun } from '../../../core/sync/debug';
import { runSync } from '../../../core/sync/orchestrator';
import { formatReport } from '../../../core/sync/report';
import { profileObjects } from '../../../core/lifecycle/objects';
import { DapClient } from '../../support/dapClient';
import { copyPlugin, EXAMPLE, type TestPlugin } from '../sync/helpers';

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

describe('debugging a VDB workflow with debugpy', { skip: hasDebugpy('/usr/bin/python3') ? false : '/usr/bin/python3 has no debugpy' }, () => {
  let plugin: TestPlugin;
  before(() => (plugin = copyPlugin(EXAMPLE)));
  after(() => plugin.cleanup());

  it('stops at a breakpoint in virtual.configure during a provision, and the VDB is kept when it finishes', async () => {
    const sync = await runSync({ pluginRoot: plugin.root });
    assert.equal(sync.ok, true, formatReport(sync));
    const prepared = await prepareDebugRun({ pluginRoot: plugin.root, workflow: 'provision', vdb: 'dbg' });
    assert.equal(prepared.ok, true, formatReport(prepared.report));
    const config = prepared.configuration!;
    assert.equal(config.name, 'Debug provision dbg (local)');

    const source = path.join(plugin.root, 'src', 'plugin_runner.py');
    const line = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes('path = virtual_source.parameters.mount_location')) + 1;
    assert.ok(line > 0);
    const port = await freePort();
    const child = spawn(config.python, ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`, '--wait-for-client', config.program, ...config.args], {
      cwd: config.cwd,
      env: { ...process.env, ...config.env },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const dap = await DapClient.connect(port);
    try {
      await dap.request('initialize', { adapterID: 'debugpy', clientID: 'dpstudio-test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const attached = dap.request('attach', { justMyCode: config.justMyCode });
      await dap.waitForEvent('initialized');
      const bp = await dap.request('setBreakpoints', { source: { path: source }, breakpoints: [{ line }] });
      assert.equal((bp.body!.breakpoints as { verified: boolean }[])[0].verified, true);
      await dap.request('configurationDone');
      await attached;
      const stopped = await dap.waitForEvent('stopped', 60000);
      assert.equal(stopped.body!.reason, 'breakpoint');
      const trace = await dap.request('stackTrace', { threadId: stopped.body!.threadId });
      const top = (trace.body!.stackFrames as { name: string; line: number; source: { path: string } }[])[0];
      assert.deepEqual([top.name, top.line, top.source.path], ['configure', line, source]);
      await dap.request('continue', { threadId: stopped.body!.threadId });
      assert.equal(await exited, 0);
    } finally {
      dap.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const report = prepared.finish();
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.vdb!.status, 'running');
    assert.deepEqual(profileObjects(plugin.root, 'local').vdbs.map((v) => [v.name, v.status]), [['dbg', 'running']]);
  });
});
