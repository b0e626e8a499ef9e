import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { prepareDebugRun } from '../../../core/sync/debug';
import { formatReport } from '../../../core/sync/report';
import { findDebugPython } from '../../../core/sync/tools';
import { DapClient } from '../../support/dapClient';
import { copyPlugin, EXAMPLE, pythonExecutable, RUNTIME, type TestPlugin } from './helpers';

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

describe('debugging a sync with debugpy', { skip: hasDebugpy('/usr/bin/python3') ? false : '/usr/bin/python3 has no debugpy' }, () => {
  let plugin: TestPlugin;
  before(() => (plugin = copyPlugin(EXAMPLE)));
  after(() => plugin.cleanup());

  it('finds the interpreter that has debugpy, and says so when none has it', async () => {
    const found = await findDebugPython('python3', { ...process.env, PATH: path.join(plugin.root, 'nothing') });
    assert.equal(found.python?.path, '/usr/bin/python3');
    assert.ok(found.python?.debugpy);
    const plain = pythonExecutable();
    if (hasDebugpy(plain)) return;
    const none = await findDebugPython(plain, process.env, ['/nonexistent/python3']);
    assert.equal(none.python, undefined);
    const version = execFileSync(plain, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' }).trim();
    assert.equal(
      none.message,
      `Debugging the plugin needs debugpy in the interpreter that runs it, and ${plain} cannot start it:\n` +
        `  ${plain}: Python ${version} without debugpy\n` +
        '  /nonexistent/python3: /nonexistent/python3 was not found on PATH\n' +
        'Run one of:\n' +
        `  ${plain} -m pip install debugpy            (from PyPI)\n` +
        `  ${plain} -m pip install --no-index --find-links <folder with a debugpy wheel> debugpy    (offline)\n` +
        'or set the sync profile\'s "python" to an interpreter that has debugpy.',
    );
  });

  it('stops at a breakpoint in the example plugin pre_snapshot, continues, and the sync finishes', async () => {
    const prepared = await prepareDebugRun({ pluginRoot: plugin.root });
    assert.equal(prepared.ok, true, formatReport(prepared.report));
    const config = prepared.configuration!;
    assert.deepEqual(
      { type: config.type, request: config.request, program: config.program, cwd: config.cwd, env: config.env, justMyCode: config.justMyCode },
      {
        type: 'debugpy',
        request: 'launch',
        program: path.join(RUNTIME, 'dpstudio_sync_runner.py'),
        cwd: path.join(plugin.root, 'src'),
        env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
        justMyCode: true,
      },
    );
    assert.deepEqual(config.args.slice(0, 1), ['--request']);
    assert.deepEqual(config.args.slice(2), ['--events-file', prepared.eventsFile]);
    assert.ok(hasDebugpy(config.python));

    const source = path.join(plugin.root, 'src', 'plugin_runner.py');
    const line = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes('stage_mount_path = staged_source.mount.mount_path')) + 1;
    const port = await freePort();
    // The test plays VS Code: debugpy listens, a DAP client attaches and drives it.
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
      const top = (trace.body!.stackFrames as { name: string; line: number; source: { path: string } }[])[0];
      assert.deepEqual([top.name, top.line, top.source.path], ['copy_data_from_source', line, source]);
      await dap.request('continue', { threadId: stopped.body!.threadId });
      assert.equal(await exited, 0);
    } finally {
      dap.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const report = prepared.finish();
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.snapshot!.id, 1);
    assert.equal(report.snapshot!.stats.files, 3);
    assert.ok(report.steps.some((s) => s.name === 'linked.pre_snapshot()' && s.status === 'ok'));
  });

});
