// Runs in workspace test/fixtures/e2e/newplugin/: a folder without any plugin. "Delphix: New Plugin"
// (with its answers as arguments, so no prompt opens) must activate the extension, write a plugin that
// builds as-is, add a debug launch configuration to the folder, be found by the language server without
// errors, and sync out of the box with the sync profile it writes.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SyncReport } from '../../core/sync';
import {
  activatedExtension,
  analysedDiagnostics,
  describeDiagnostics,
  extension,
  hasServerBundle,
  PYTHON_SENTINEL,
  studioApi,
  waitFor,
  waitForPlugin,
  workspaceRoot,
} from './helpers';

interface Case {
  folder: string;
  strategy: 'STAGED' | 'DIRECT';
  hostType: 'UNIX' | 'WINDOWS';
  name: string;
}

const CASES: Case[] = [
  { folder: 'staged-unix', strategy: 'STAGED', hostType: 'UNIX', name: 'Staged E2E Plugin' },
  { folder: 'direct-windows', strategy: 'DIRECT', hostType: 'WINDOWS', name: 'Direct E2E Plugin' },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LaunchConfiguration {
  type?: string;
  request?: string;
  name?: string;
  plugin?: string;
  profile?: string;
  mode?: string;
}

suite('new plugin workspace', () => {
  const created: string[] = [];
  let launchBefore: unknown;
  let hadVscodeFolder = false;
  const vscodeFolder = () => path.join(workspaceRoot().fsPath, '.vscode');

  suiteSetup(() => {
    hadVscodeFolder = fs.existsSync(vscodeFolder());
    launchBefore = vscode.workspace.getConfiguration('launch', workspaceRoot()).inspect('configurations')?.workspaceFolderValue;
  });

  suiteTeardown(async () => {
    // Leave the folder as it was (the suites also run on the fixture folder itself).
    await vscode.workspace.getConfiguration('launch', workspaceRoot()).update('configurations', launchBefore, vscode.ConfigurationTarget.WorkspaceFolder);
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    if (!hadVscodeFolder) fs.rmSync(vscodeFolder(), { recursive: true, force: true });
  });

  test('the extension is not active before, and activates on the New Plugin command', async () => {
    const ext = extension();
    assert.equal(ext.isActive, false, 'nothing in an empty folder activates the extension');
    const root = path.join(workspaceRoot().fsPath, CASES[0].folder);
    created.push(root);
    const c = CASES[0];
    const result = await vscode.commands.executeCommand<string | undefined>('delphix.newPlugin', {
      root,
      strategy: c.strategy,
      hostType: c.hostType,
      name: c.name,
      noOpen: true,
    });
    assert.equal(result, root);
    await activatedExtension();
  });

  for (const c of CASES) {
    suite(`${c.strategy} ${c.hostType} plugin "${c.name}"`, () => {
      const root = () => path.join(workspaceRoot().fsPath, c.folder);
      const file = (...p: string[]) => path.join(root(), ...p);
      let found = false;

      suiteSetup(async () => {
        if (fs.existsSync(file('plugin_config.yml'))) return; // made by the activation test above
        created.push(root());
        const result = await vscode.commands.executeCommand<string | undefined>('delphix.newPlugin', {
          root: root(),
          strategy: c.strategy,
          hostType: c.hostType,
          name: c.name,
          noOpen: true,
        });
        assert.equal(result, root());
      });

      test('writes plugin_config.yml, schema.json, the entry point, the definitions and a sync profile', () => {
        const config = fs.readFileSync(file('plugin_config.yml'), 'utf8');
        const id = /^id: (\S+)$/m.exec(config)?.[1] ?? '';
        assert.match(id, UUID);
        assert.equal(
          config,
          [
            `id: ${id}`,
            `name: ${c.name}`,
            'language: PYTHON311',
            'hostTypes:',
            `- ${c.hostType}`,
            `pluginType: ${c.strategy}`,
            'entryPoint: plugin_runner:plugin',
            'srcDir: src',
            'schemaFile: schema.json',
            'buildNumber: 0.1.0',
            '',
          ].join('\n'),
        );
        const schema = JSON.parse(fs.readFileSync(file('schema.json'), 'utf8')) as Record<string, unknown>;
        assert.deepEqual(Object.keys(schema).sort(), [
          'linkedSourceDefinition',
          'repositoryDefinition',
          'snapshotDefinition',
          'snapshotParametersDefinition',
          'sourceConfigDefinition',
          'virtualSourceDefinition',
        ]);
        const runner = fs.readFileSync(file('src', 'plugin_runner.py'), 'utf8');
        assert.match(runner, /^plugin = Plugin\(\)$/m);
        assert.ok(runner.includes(`RepositoryDefinition(name='${id}')`), 'discovery returns the repository named by the id');
        assert.equal(runner.includes('@plugin.linked.mount_specification()'), c.strategy === 'STAGED', 'only STAGED plugins have a linked mount specification');
        assert.ok(runner.includes(c.strategy === 'STAGED' ? 'def linked_post_snapshot(staged_source,' : 'def linked_post_snapshot(direct_source,'));
        assert.ok(runner.includes(c.hostType === 'WINDOWS' ? 'C:\\\\tmp\\\\dlpx_staged_mounts\\\\{}' : '/tmp/dlpx_staged_mounts/{}'));
        for (const f of ['__init__.py', 'util.py', 'definitions/__init__.py', 'definitions/linked_source_definition.py', 'definitions/repository_definition.py']) {
          assert.ok(fs.existsSync(file('src', 'generated', ...f.split('/'))), `src/generated/${f} was generated`);
        }
        const profile = JSON.parse(fs.readFileSync(file('.delphix', 'sync', 'local.json'), 'utf8')) as Record<string, unknown>;
        assert.deepEqual(profile.environments, { staging: { type: 'local' }, source: { type: 'local' } });
        assert.deepEqual(profile.repository, { name: id });
      });

      test('adds a delphix-sync launch configuration for the plugin to the folder\'s launch settings', () => {
        const configurations = vscode.workspace.getConfiguration('launch', workspaceRoot()).get<LaunchConfiguration[]>('configurations') ?? [];
        const mine = configurations.filter((l) => l.type === 'delphix-sync' && l.plugin === `\${workspaceFolder}/${c.folder}`);
        assert.deepEqual(mine, [
          { type: 'delphix-sync', request: 'launch', name: `Debug simulated sync (${c.folder})`, plugin: `\${workspaceFolder}/${c.folder}`, profile: 'local', mode: 'sync' },
        ]);
        // Inside an open folder the plugin does not get a launch.json of its own.
        assert.equal(fs.existsSync(file('.vscode', 'launch.json')), false);
        const launchJson = path.join(workspaceRoot().fsPath, '.vscode', 'launch.json');
        assert.ok(fs.existsSync(launchJson), 'the folder\'s .vscode/launch.json holds it');
      });

      test('the language server finds the new plugin, with 0 errors and 0 warnings', async function () {
        const ext = await activatedExtension();
        if (!hasServerBundle(ext)) this.skip();
        // Just after the files appear the server knows the folder but may not have read plugin_config.yml.
        const plugin = await waitForPlugin(ext, vscode.Uri.file(root()), (p) => p.name !== undefined);
        found = true;
        assert.equal(plugin.name, c.name);
        assert.equal(plugin.pluginType, c.strategy);
        // Open the entry point and make sure the server has analysed it before reading the counts.
        const document = await vscode.workspace.openTextDocument(file('src', 'plugin_runner.py'));
        await vscode.window.showTextDocument(document);
        const diagnostics = await analysedDiagnostics(document, PYTHON_SENTINEL);
        assert.deepEqual(diagnostics.map((d) => d.message), [], describeDiagnostics(document.uri));
        const now = (await studioApi(ext).plugins()).find((p) => p.root === root());
        assert.ok(now);
        assert.deepEqual([now.errors, now.warnings], [0, 0], `problems in the new plugin: ${JSON.stringify(now)}`);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      });

      test('a simulated sync of the new plugin works with the profile it came with', async function () {
        const ext = await activatedExtension();
        if (!hasServerBundle(ext)) this.skip();
        // The commands act on the plugins the server knows: without it, "No Delphix plugin found".
        assert.ok(found, 'the language server never reported the new plugin (see the test above), so no command can act on it');
        const report = await vscode.commands.executeCommand<SyncReport>('delphix.syncDSource', root(), { profile: 'local', quiet: true });
        assert.ok(report, 'the command returns the report');
        const failed = [
          ...report.preflight.filter((p) => !p.ok).map((p) => `pre-flight: ${p.message}`),
          ...(report.error ? [`error: ${report.error.message}`] : []),
        ];
        assert.equal(report.ok, true, `the sync failed: ${failed.join(' | ')}`);
        assert.ok(report.snapshot && fs.existsSync(report.snapshot.path), 'a snapshot was taken');
        assert.ok(report.steps.some((s) => s.name === 'linked.post_snapshot()' && s.status === 'ok'));
        // The template implements no pre_snapshot; the report says the engine would skip it.
        assert.ok(report.notes.some((n) => n.includes('linked.pre_snapshot() is not implemented')), report.notes.join(' | '));
      });
    });
  }

  test('a plugin folder that appears at once (copied, unzipped, checked out) is found by the language server', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) this.skip();
    // New Plugin writes a whole folder within milliseconds; so do cp -r, unzip and git checkout. The
    // file watcher may then report only the new folder, not the plugin_config.yml inside it.
    const root = path.join(workspaceRoot().fsPath, 'copied-plugin');
    created.push(root);
    fs.cpSync(path.join(ext.extensionPath, 'examples', 'first-plugin'), root, { recursive: true });
    const plugin = await waitForPlugin(ext, vscode.Uri.file(root), (p) => p.name !== undefined);
    assert.equal(plugin.name, 'First Plugin');
  });

  test('New Plugin refuses a folder that already holds a plugin, and writes nothing', async () => {
    await waitFor('the first plugin to exist', () => fs.existsSync(path.join(workspaceRoot().fsPath, CASES[0].folder, 'plugin_config.yml')));
    const root = path.join(workspaceRoot().fsPath, CASES[0].folder);
    const before = fs.readFileSync(path.join(root, 'plugin_config.yml'), 'utf8');
    const result = await vscode.commands.executeCommand<string | undefined>('delphix.newPlugin', {
      root,
      strategy: 'DIRECT',
      hostType: 'UNIX',
      name: 'Again',
      noOpen: true,
    });
    assert.equal(result, undefined);
    assert.equal(fs.readFileSync(path.join(root, 'plugin_config.yml'), 'utf8'), before, 'the existing plugin is untouched');
  });
});
