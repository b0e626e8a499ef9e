// Runs in workspace test/fixtures/e2e/plugin/ (the tutorial plugin with the example's sync profile
// .delphix/sync/local.json and its sample-source/): the palette commands, called the way the palette,
// a code lens or a task calls them, with the plugin root as argument so no picker opens.
//
// The fixture's .vscode/settings.json builds without the SDK runtime (no package index here) and keeps
// pip off the network.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SyncReport } from '../../core/sync';
import { delphixOutputLog, removeCreated, restoreAndSave, serverOrSkip, waitFor, waitForPlugin, withSettings, workspaceRoot } from './helpers';

interface BuildOutcome {
  ok: boolean;
  artifactPath?: string;
  uploadable?: boolean;
  message: string;
}

/** Every file below `dir`, relative, sorted. */
function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

suite('plugin workspace: commands', () => {
  const root = () => workspaceRoot().fsPath;
  const sandbox = () => path.join(root(), '.delphix', 'sandbox');
  const generated = () => path.join(root(), 'src', 'generated');
  let hadSandbox = false;
  let hadGenerated = false;

  suiteSetup(() => {
    hadSandbox = fs.existsSync(sandbox());
    hadGenerated = fs.existsSync(generated());
  });
  suiteTeardown(() => {
    // Leave the workspace as it was (the suites also run on the fixture folder itself).
    removeCreated(sandbox(), hadSandbox);
    removeCreated(generated(), hadGenerated);
  });

  test('Delphix: Build Plugin writes an artifact (without the SDK runtime: no package index here)', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const settings = vscode.workspace.getConfiguration('delphix', workspaceRoot());
    assert.equal(settings.get('build.includeSdkRuntime'), false, 'the fixture .vscode/settings.json is read');
    const outcome = await vscode.commands.executeCommand<BuildOutcome>('delphix.buildPlugin', root());
    assert.ok(outcome, 'the command returns its outcome');
    assert.equal(outcome.ok, true, outcome.message);
    const artifactPath = outcome.artifactPath;
    assert.equal(artifactPath, path.join(root(), 'artifact.json'));
    assert.ok(fs.existsSync(artifactPath), `artifact ${artifactPath} exists`);
    try {
      assert.equal(outcome.uploadable, false, 'an artifact without the SDK runtime is not uploadable');
      assert.match(outcome.message, /^Built artifact\.json \(\d+ KiB\) in \d+\.\d s, but it cannot be uploaded: /);
      const artifact = JSON.parse(fs.readFileSync(artifactPath, 'utf8')) as Record<string, unknown>;
      assert.equal(artifact.name, 'First Plugin');
      assert.equal(artifact.pluginId, '7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a');
      assert.equal(artifact.entryPoint, 'plugin_runner:plugin');
      assert.equal(typeof artifact.sourceCode, 'string');
      // The zipped source starts with a local file header: "PK\x03\x04".
      assert.equal(Buffer.from(artifact.sourceCode as string, 'base64').subarray(0, 4).toString('latin1'), 'PK\x03\x04');
      const linked = (artifact.linkedSourceDefinition as { parameters?: { properties?: Record<string, unknown> } }).parameters?.properties ?? {};
      assert.deepEqual(Object.keys(linked).sort(), ['mountLocation', 'sourceAddress', 'username']);
    } finally {
      fs.rmSync(artifactPath, { force: true }); // leave the workspace as it was
    }
  });

  test('Delphix: Generate Definitions writes src/generated from schema.json', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const ok = await vscode.commands.executeCommand<boolean>('delphix.generateDefinitions', root());
    assert.equal(ok, true);
    const files = filesBelow(generated());
    assert.ok(files.includes('__init__.py'), `generated files: ${files.join(', ')}`);
    const all = files.filter((f) => f.endsWith('.py')).map((f) => fs.readFileSync(path.join(generated(), f), 'utf8')).join('\n');
    for (const cls of ['RepositoryDefinition', 'SourceConfigDefinition', 'LinkedSourceDefinition', 'VirtualSourceDefinition', 'SnapshotDefinition', 'SnapshotParametersDefinition']) {
      assert.match(all, new RegExp(`class ${cls}\\b`), `the generated code defines ${cls}`);
    }
    // Python names converted from the schema keys, as the tutorial's code uses them.
    for (const name of ['mount_location', 'source_address', 'username']) assert.ok(all.includes(name), `the generated code has ${name}`);
  });

  let firstSnapshot: NonNullable<SyncReport['snapshot']> | undefined;

  test('Delphix: Sync dSource (simulated) with the example profile copies sample-source into a snapshot', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const report = await vscode.commands.executeCommand<SyncReport>('delphix.syncDSource', root(), { profile: 'local', quiet: true });
    assert.ok(report, 'the command returns the sync report');
    assert.equal(report.ok, true, `sync failed: ${JSON.stringify(report.error ?? report.preflight.filter((c) => !c.ok))}`);
    assert.equal(report.mode, 'sync');
    assert.equal(report.profile, 'local');
    assert.equal(report.pluginRoot, root());
    assert.equal(report.error, undefined);
    assert.deepEqual(
      report.steps.map((s) => `${s.status} ${s.name}`),
      ['ok import plugin_runner:plugin', 'ok linked.mount_specification()', 'ok mount', 'ok linked.pre_snapshot()', 'ok snapshot', 'ok linked.post_snapshot()'],
    );
    const rsync = report.commands.find((c) => c.operation === 'linked.pre_snapshot' || /^rsync -r /.test(c.command));
    assert.ok(rsync, `the plugin's rsync ran: ${JSON.stringify(report.commands.map((c) => c.command))}`);
    assert.equal(rsync.exitCode, 0);
    assert.match(rsync.command, /^rsync -r delphix@localhost:\S+\/sample-source \S+/);
    assert.ok(report.snapshot, 'the report names the snapshot');
    assert.ok(report.snapshot.path.startsWith(sandbox() + path.sep), `snapshot ${report.snapshot.path} is in the plugin's sandbox`);
    // The tutorial's `rsync -r user@host:path mount` puts sample-source itself onto the mount.
    const data = path.join(report.snapshot.path, 'data');
    const copied = filesBelow(data).filter((f) => f.includes('/sample-source/'));
    assert.deepEqual(copied.map((f) => f.slice(f.indexOf('sample-source/'))), ['sample-source/README.txt', 'sample-source/data/customers.csv', 'sample-source/data/orders.csv']);
    for (const f of copied) {
      const original = path.join(root(), f.slice(f.indexOf('sample-source/')));
      assert.ok(fs.readFileSync(path.join(data, f)).equals(fs.readFileSync(original)), `${f} is a byte-identical copy`);
    }
    firstSnapshot = report.snapshot;
  });

  test('Delphix: Resync dSource (simulated) takes the next snapshot with resync true', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    if (!firstSnapshot) this.skip(); // the sync above failed and said why
    const report = await vscode.commands.executeCommand<SyncReport>('delphix.resyncDSource', root(), { profile: 'local', quiet: true });
    assert.ok(report);
    assert.equal(report.ok, true, `resync failed: ${JSON.stringify(report.error)}`);
    assert.equal(report.mode, 'resync');
    assert.deepEqual(report.snapshotParameters, { resync: true });
    assert.ok(report.snapshot);
    assert.equal(Number(report.snapshot.id), Number(firstSnapshot!.id) + 1);
    assert.equal(Number(report.previousSnapshot?.id), Number(firstSnapshot!.id));
    assert.ok(fs.existsSync(report.snapshot.path), `${report.snapshot.path} exists`);
  });

  test('a sync with a profile that does not exist fails with a report that says so', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const report = await vscode.commands.executeCommand<SyncReport>('delphix.syncDSource', root(), { profile: 'no-such-profile', quiet: true });
    assert.ok(report);
    assert.equal(report.ok, false);
    assert.equal(report.snapshot, undefined);
    const said = [report.error?.message ?? '', ...report.preflight.filter((c) => !c.ok).map((c) => c.message)].join('\n');
    assert.match(said, /no-such-profile/, `the failure names the profile: ${said}`);
  });

  test('Delphix: Debug Sync without the Python Debugger extension stops at a breakpoint in linked.pre_snapshot, shows its arguments, and the sync finishes', async function () {
    this.timeout(180_000);
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    assert.equal(vscode.extensions.getExtension('ms-python.debugpy'), undefined, 'this test proves debugging with no ms-python.debugpy');
    assert.equal(vscode.extensions.getExtension('ms-python.python'), undefined, 'this test proves debugging with no ms-python.python');
    // A breakpoint on the first line of the function decorated with @plugin.linked.pre_snapshot().
    const source = vscode.Uri.file(path.join(root(), 'src', 'plugin_runner.py'));
    const lines = fs.readFileSync(source.fsPath, 'utf8').split('\n');
    const decorator = lines.findIndex((l) => l.startsWith('@plugin.linked.pre_snapshot('));
    assert.ok(decorator >= 0 && lines[decorator + 1].startsWith('def '), 'the example has linked.pre_snapshot');
    const bodyLine = decorator + 2; // 0-based: the first statement of the body
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(bodyLine, 0)));
    vscode.debug.addBreakpoints([breakpoint]);

    // What our adapter says, seen as VS Code sees it (a tracker on the session's DAP messages).
    const events: string[] = [];
    let stopped: { threadId: number; reason: string } | undefined;
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('delphix-sync', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type: string; event?: string; body?: { threadId: number; reason: string } }) => {
          if (m.type !== 'event' || !m.event) return;
          events.push(m.event);
          if (m.event === 'stopped' && m.body) stopped = m.body;
        },
      }),
    });
    const sessions: vscode.DebugSession[] = [];
    const terminated: vscode.DebugSession[] = [];
    const listeners = [vscode.debug.onDidStartDebugSession((s) => sessions.push(s)), vscode.debug.onDidTerminateDebugSession((s) => terminated.push(s))];
    const before = delphixOutputLog() ?? '';
    try {
      const started = await vscode.commands.executeCommand<boolean>('delphix.debugSync', root(), { profile: 'local' });
      assert.equal(started, true, 'the debug session starts');
      const session = await waitFor('the Debug Sync session', () => sessions.find((s) => s.type === 'delphix-sync'));
      assert.equal(typeof session.configuration.delphixAdapterPython, 'string', 'our adapter (debugpy.adapter) runs the session');
      const stop = await waitFor('the session to stop at the breakpoint', () => stopped, { timeoutMs: 90_000, describe: () => events.join(', ') });
      assert.equal(stop.reason, 'breakpoint');
      const stack = (await session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as { stackFrames: { id: number; name: string; line: number; source?: { path?: string } }[] };
      const top = stack.stackFrames[0];
      assert.equal(top.name, lines[decorator + 1].slice(4, lines[decorator + 1].indexOf('(')), 'stopped in the pre_snapshot function');
      assert.equal(top.line, bodyLine + 1);
      // In the web workbench the frame's source path comes back as a vscode-remote:// URI.
      assert.match(top.source?.path ?? '', /\/src\/plugin_runner\.py$/, `frame source ${top.source?.path}`);
      // The active stack item in the workbench (what the editor and the Call Stack view show).
      await waitFor('the workbench to show the stopped frame', () => vscode.debug.activeStackItem instanceof vscode.DebugStackFrame && vscode.debug.activeStackItem.session.id === session.id);
      const scopes = (await session.customRequest('scopes', { frameId: top.id })) as { scopes: { name: string; variablesReference: number }[] };
      const locals = scopes.scopes.find((s) => /local/i.test(s.name));
      assert.ok(locals, `scopes: ${scopes.scopes.map((s) => s.name).join(', ')}`);
      const vars = (await session.customRequest('variables', { variablesReference: locals.variablesReference })) as { variables: { name: string; value: string; variablesReference: number }[] };
      const names = vars.variables.map((v) => v.name);
      for (const arg of ['staged_source', 'repository', 'source_config', 'optional_snapshot_parameters']) assert.ok(names.includes(arg), `${arg} in Locals: ${names.join(', ')}`);
      // The operation's real inputs: the profile's source_config path, and a manual sync's parameters.
      const sourceConfig = vars.variables.find((v) => v.name === 'source_config')!;
      const inside = (await session.customRequest('variables', { variablesReference: sourceConfig.variablesReference })) as { variables: { name: string; value: string }[] };
      assert.ok(inside.variables.some((v) => v.name === 'path' && /sample-source/.test(v.value)), `source_config: ${JSON.stringify(inside.variables.map((v) => `${v.name}=${v.value}`))}`);
      assert.notEqual(vars.variables.find((v) => v.name === 'optional_snapshot_parameters')?.value, 'None', 'a manual sync has snapshot parameters');

      await session.customRequest('continue', { threadId: stop.threadId });
      await waitFor('the session to end', () => terminated.some((s) => s.id === session.id), { timeoutMs: 90_000, describe: () => events.join(', ') });
      if (delphixOutputLog() !== undefined) {
        const finished = /sync of .* with profile "local": (succeeded|FAILED|cancelled)/;
        const report = await waitFor('the sync report in the Delphix output', () => {
          const added = (delphixOutputLog() ?? '').slice(before.length);
          return finished.test(added) && added;
        }, { describe: () => (delphixOutputLog() ?? '').slice(before.length).split('\n').slice(-8).join('\n') });
        assert.match(report, /sync of .* with profile "local": succeeded/, report.split('\n').slice(-30).join('\n'));
        assert.match(report, /ok +linked\.pre_snapshot\(\)/);
        assert.match(report, /ok +linked\.post_snapshot\(\)/);
      }
      assert.equal(vscode.debug.activeDebugSession, undefined);
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
      tracker.dispose();
      for (const l of listeners) l.dispose();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    }
  });
});

suite('runs: unsaved files, failures and the status bar (issue 18)', () => {
  const root = () => workspaceRoot().fsPath;
  const artifact = () => path.join(root(), 'artifact.json');
  let hadArtifact = false;
  suiteSetup(() => (hadArtifact = fs.existsSync(artifact())));
  suiteTeardown(() => removeCreated(artifact(), hadArtifact));

  async function dirtySchema(): Promise<{ document: vscode.TextDocument; before: string }> {
    const document = await vscode.workspace.openTextDocument(path.join(root(), 'schema.json'));
    await vscode.window.showTextDocument(document);
    const before = document.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(before.length), '\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(document.isDirty, true);
    return { document, before };
  }

  test('delphix.run.saveBeforeRun "never" builds the files on disk and leaves the editor unsaved; the default saves', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    // VS Code for the web saves after a delay by default, which would hide what the run does.
    const files = vscode.workspace.getConfiguration('files', workspaceRoot());
    const autoSave = files.inspect('autoSave')?.workspaceValue;
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
    const { document, before } = await dirtySchema();
    try {
      const kept = await withSettings({ 'run.saveBeforeRun': 'never' }, async () => vscode.commands.executeCommand<BuildOutcome>('delphix.buildPlugin', root()));
      assert.equal(kept?.ok, true, kept?.message);
      assert.equal(document.isDirty, true, '"never" does not save');
      assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), before);
      // The default follows VS Code's task.saveBeforeRun, whose own default is "always".
      assert.equal(vscode.workspace.getConfiguration('task').get('saveBeforeRun'), 'always');
      const saved = await vscode.commands.executeCommand<BuildOutcome>('delphix.buildPlugin', root());
      assert.equal(saved?.ok, true, saved?.message);
      assert.equal(document.isDirty, false, 'the default saves first');
      assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), `${before}\n`);
    } finally {
      await restoreAndSave(document, before);
      await files.update('autoSave', autoSave, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a build stopped by an error says the error, its file and line', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const document = await vscode.workspace.openTextDocument(path.join(root(), 'schema.json'));
    const before = document.getText();
    try {
      await restoreAndSave(document, before.replace('"required": ["sourceAddress", "username", "mountLocation"]', '"required": ["sourceAddress", "usernme", "mountLocation"]'));
      const outcome = await vscode.commands.executeCommand<BuildOutcome & { location?: { file: string; line: number } }>('delphix.buildPlugin', root());
      assert.equal(outcome?.ok, false);
      assert.match(outcome!.message, /^Build stopped by 1 error: schema\.json:\d+: 'usernme' is not a property of linkedSourceDefinition; did you mean 'username'\?$/);
      assert.equal(outcome!.location?.file, document.uri.fsPath);
      assert.equal(document.lineAt(outcome!.location!.line).text.includes('"usernme"'), true);
    } finally {
      await restoreAndSave(document, before);
    }
  });

  test('the status bar item opens a quick pick of the plugin actions', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('delphix.pluginActions'));
    const shown = vscode.commands.executeCommand('delphix.pluginActions');
    // The pick is open until dismissed; closing it resolves the command without running anything.
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await shown;
  });
});
