// Every workflow of the local engine debugged in the workbench with no Python extension installed:
// the launch goes through the extension's own adapter (debugpy's, `python -m debugpy.adapter`). With a
// breakpoint in every operation the example plugin implements, each workflow must stop in each of its
// operations the plugin has (a DebugAdapterTracker sees the `stopped` events), continue, and finish with
// the report saying it succeeded.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKFLOWS, type WorkflowName } from '../../core/lifecycle/workflows';
import { delphixOutputLog, removeCreated, serverOrSkip, waitFor, waitForPlugin, workspaceRoot } from './helpers';

/**
 * In an order in which each has what it needs (a snapshot, a VDB, a VDB snapshot). Not here: `create-empty`
 * (the example plugin has no virtual.initialize) and `worker` (nor linked.worker): no plugin code to stop in.
 */
const ORDER: WorkflowName[] = ['discovery', 'sync', 'enable', 'status', 'disable', 'provision', 'vdb-status', 'stop', 'start', 'snapshot', 'refresh', 'rollback', 'vdb-disable', 'vdb-enable', 'delete'];

suite('plugin workspace: debugging every workflow', () => {
  const root = () => workspaceRoot().fsPath;
  const sandbox = () => path.join(root(), '.delphix', 'sandbox');
  let hadSandbox = false;
  suiteSetup(() => (hadSandbox = fs.existsSync(sandbox())));
  suiteTeardown(() => removeCreated(sandbox(), hadSandbox));

  test('each workflow stops in each operation the plugin implements, through our adapter, and succeeds', async function () {
    this.timeout(600_000);
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    assert.equal(vscode.extensions.getExtension('ms-python.debugpy'), undefined);
    const source = vscode.Uri.file(path.join(root(), 'src', 'plugin_runner.py'));
    const lines = fs.readFileSync(source.fsPath, 'utf8').split('\n');
    // operation (e.g. virtual.configure) -> the function that implements it, and a breakpoint in it.
    const implemented = new Map<string, string>();
    const breakpoints: vscode.SourceBreakpoint[] = [];
    lines.forEach((l, i) => {
      const m = /^@plugin\.(\w+\.\w+)\(/.exec(l);
      const def = /^def (\w+)\(/.exec(lines[i + 1] ?? '');
      if (!m || !def) return;
      implemented.set(m[1], def[1]);
      breakpoints.push(new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(i + 2, 0))));
    });
    vscode.debug.addBreakpoints(breakpoints);
    let current: { stops: string[]; events: string[] } = { stops: [], events: [] };
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('delphix-sync', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type: string; event?: string; body?: { threadId: number } }) => {
          if (m.type !== 'event' || !m.event) return;
          current.events.push(m.event);
          if (m.event !== 'stopped' || !m.body) return;
          const threadId = m.body.threadId;
          void (async () => {
            const st = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as { stackFrames: { name: string }[] };
            current.stops.push(st.stackFrames[0]?.name ?? '?');
            await session.customRequest('continue', { threadId });
          })();
        },
      }),
    });
    const ended: string[] = [];
    const listener = vscode.debug.onDidTerminateDebugSession((s) => ended.push(s.configuration.name as string));
    const failures: string[] = [];
    try {
      for (const workflow of ORDER) {
        current = { stops: [], events: [] };
        const before = (delphixOutputLog() ?? '').length;
        const name = `Debug ${workflow} (e2e)`;
        const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(source), {
          type: 'delphix-sync', request: 'launch', name, plugin: root(), profile: 'local', workflow, vdb: WORKFLOWS[workflow].object === 'vdb' ? 'dbg' : undefined,
        });
        if (!started) {
          failures.push(`${workflow}: did not start; output: ${(delphixOutputLog() ?? '').slice(before).split('\n').slice(-12).join('\n')}`);
          continue;
        }
        assert.equal(vscode.debug.activeDebugSession?.configuration.delphixAdapterPython !== undefined, true, `${workflow} runs through our adapter`);
        await waitFor(`${workflow} to end`, () => ended.includes(name), { timeoutMs: 120_000, describe: () => `${current.events.join(',')} stops ${current.stops.join(',')}` });
        const report = await waitFor(`the ${workflow} report`, () => {
          const added = (delphixOutputLog() ?? '').slice(before);
          return /^\S.* with profile "local": (succeeded|FAILED|cancelled) in /m.test(added) && added;
        }, { describe: () => (delphixOutputLog() ?? '').slice(before).split('\n').slice(-8).join('\n') });
        if (!/^\S.* with profile "local": succeeded in /m.test(report)) failures.push(`${workflow}: ${report.split('\n').slice(-15).join('\n')}`);
        const expected = WORKFLOWS[workflow].steps
          .filter((s): s is { op: string } & typeof s => 'op' in s && !(s as { when?: string }).when)
          .map((s) => implemented.get((s as { op: string }).op))
          .filter((f): f is string => !!f);
        const missing = expected.filter((f) => !current.stops.includes(f));
        if (missing.length) failures.push(`${workflow}: never stopped in ${missing.join(', ')} (stopped in ${current.stops.join(', ') || 'nothing'})`);
        console.log(`      ${workflow}: stopped in ${current.stops.join(', ') || '(no plugin operation)'}`);
      }
    } finally {
      vscode.debug.removeBreakpoints(breakpoints);
      tracker.dispose();
      listener.dispose();
    }
    assert.deepEqual(failures, []);
  });
});
