// Runs in workspace test/fixtures/e2e/plugin/: the `delphix` task provider (Tasks: Run Task / Run Build
// Task) and the plugin state behind the status bar item. The tasks run the bundled CLI in a terminal,
// as the author runs them; the `$delphix` problem matcher reads their output.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';
import {
  describeDiagnostics,
  extension,
  openEditor,
  restoreAndSave,
  runTask,
  serverOrSkip,
  studioApi,
  waitFor,
  waitForPlugin,
  workspaceFile,
  workspaceRoot,
} from './helpers';

async function delphixTasks(): Promise<vscode.Task[]> {
  return vscode.tasks.fetchTasks({ type: 'delphix' });
}

suite('plugin workspace: tasks and status', () => {
  test('the task provider lists build, check and generate for the plugin', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const tasks = await delphixTasks();
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    assert.deepEqual(
      tasks.map((t) => `${t.name} | ${t.source} | ${JSON.stringify(t.definition)}`).sort(),
      [
        'build First Plugin | delphix | {"type":"delphix","command":"build","plugin":"."}',
        'check First Plugin | delphix | {"type":"delphix","command":"check","plugin":"."}',
        'generate definitions First Plugin | delphix | {"type":"delphix","command":"generate","plugin":"."}',
      ],
    );
    for (const t of tasks) {
      assert.equal((t.scope as vscode.WorkspaceFolder).uri.fsPath, workspaceRoot().fsPath, `${t.name} belongs to the workspace folder`);
      assert.ok(t.execution instanceof vscode.ProcessExecution, `${t.name} runs a process`);
      const exec = t.execution as vscode.ProcessExecution;
      assert.deepEqual(exec.args, [cli, t.definition.command, workspaceRoot().fsPath]);
      assert.deepEqual(t.problemMatchers, ['$delphix']);
    }
    const build = tasks.find((t) => t.definition.command === 'build')!;
    assert.equal(build.group?.id, vscode.TaskGroup.Build.id, 'build is the build task');
  });

  test('the plugin list (status bar, command pickers) stays complete while the server re-reads the delphix settings', async function () {
    const ext = await serverOrSkip(this);
    const api = studioApi(ext);
    const root = workspaceRoot().fsPath;
    await waitForPlugin(ext, workspaceRoot(), (p) => p.id !== undefined);
    const config = vscode.workspace.getConfiguration('delphix', workspaceRoot());
    const before = config.inspect('build.pip.findLinks')?.workspaceFolderValue;
    const answers: PluginInfo[] = [];
    try {
      // A settings change the analysis does not even use; the commands read the list right after it.
      let updated = false;
      const update = Promise.resolve(config.update('build.pip.findLinks', ['/nonexistent/e2e-wheels'], vscode.ConfigurationTarget.WorkspaceFolder)).then(() => {
        updated = true;
      });
      const started = Date.now();
      await waitFor('a second of plugin list answers after the settings change', async () => {
        const mine = (await api.plugins()).find((p) => p.root === root);
        if (mine) answers.push(mine);
        return updated && Date.now() - started > 1000;
      }, { intervalMs: 2 });
      await update;
    } finally {
      await config.update('build.pip.findLinks', before, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    const incomplete = answers.filter((p) => p.id === undefined || p.name === undefined || p.schemaFile === undefined);
    assert.ok(answers.length > 20, `only ${answers.length} answers`);
    assert.deepEqual(
      incomplete.slice(0, 1),
      [],
      `${incomplete.length} of ${answers.length} answers of delphix/plugins lacked the plugin's id, name and schema file (the plugin read as unanalysed)`,
    );
  });

  test('the check task ends with exit code 0 on the plugin, and 1 once schema.json is broken', async function () {
    this.timeout(90_000);
    const ext = await serverOrSkip(this);
    const api = studioApi(ext);
    await waitForPlugin(ext, workspaceRoot());
    const check = () => delphixTasks().then((tasks) => tasks.find((t) => t.definition.command === 'check'));
    const clean = await check();
    assert.ok(clean, 'a check task');
    assert.equal(await runTask(clean), 0, 'check on the tutorial plugin');

    const uri = workspaceFile('schema.json');
    const document = (await openEditor(uri)).document;
    const original = document.getText();
    try {
      // Saved, since the task checks the files on disk: the closing brace is gone.
      await restoreAndSave(document, original.slice(0, original.lastIndexOf('}')));
      // What the status bar item shows: the plugin now has errors.
      const broken = await waitFor('the plugin to report errors', async () => (await api.plugins()).find((p) => p.root === workspaceRoot().fsPath && p.errors > 0), {
        describe: () => describeDiagnostics(uri),
      });
      assert.ok(broken.errors > 0);
      const task = await check();
      assert.ok(task);
      assert.equal(await runTask(task), 1, 'check on a plugin with a broken schema.json');
    } finally {
      await restoreAndSave(document, original);
    }
    await waitFor('the plugin to report 0 errors again', async () => (await api.plugins()).find((p) => p.root === workspaceRoot().fsPath)?.errors === 0);
  });
});
