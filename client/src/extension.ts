import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { PluginStatus } from './statusBar';
import { PluginsChangedNotification, PluginsRequest, RediscoverRequest, type PluginInfo, type PluginsChangedParams } from '../../protocol/messages';
import { pickPlugin } from './plugins';
import { buildPlugin, generateDefinitions, type BuildOutcome } from './build';
import { EngineProfiles } from './engineProfiles';
import { downloadLogs, uploadPlugin, type UploadArgs } from './engineCommands';
import { DelphixTaskProvider, TASK_TYPE } from './tasks';
import { watchSchemas } from './autoGenerate';
import { newPlugin, type NewPluginArgs } from './newPlugin';
import type { EngineProfile } from '../../core/engine/profiles';
import { registerDebugAdapter } from './debugAdapter';
import { debugSync, DEBUG_TYPE, SyncDebugProvider, syncPlugin, type SyncArgs } from './sync';
import { ObjectsTree } from './objectsTree';
import { Lifecycle } from './lifecycle';
import { FormsPreviews } from './formsPreview';
import { debugUpgradeMigrations, runUpgradeMigrations, type UpgradeArgs } from './upgrade';

let client: LanguageClient | undefined;

/** What the extension exports: used by the end-to-end tests (and open to other extensions). */
export interface ExtensionApi {
  plugins(): Promise<PluginInfo[]>;
  /** The Delphix tree view's data (the local engine's objects). */
  objectsTree: ObjectsTree;
  /** Store an engine profile's password in SecretStorage (as the password prompt would). */
  setEnginePassword(profile: EngineProfile, password: string): Promise<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const output = vscode.window.createOutputChannel('Delphix');
  const status = new PluginStatus(output, context.workspaceState);
  const profiles = new EngineProfiles(context.secrets, output);
  const previews = new FormsPreviews(context, output);
  context.subscriptions.push(output, status, previews);

  client = createLanguageClient(context, output);
  let known: PluginInfo[] = [];
  const update = (plugins: PluginInfo[]) => {
    known = plugins;
    status.setPlugins(plugins);
    void vscode.commands.executeCommand('setContext', 'delphix.inPluginWorkspace', plugins.length > 0);
  };
  const plugins = async (): Promise<PluginInfo[]> => (client?.isRunning() ? client.sendRequest<PluginInfo[]>(PluginsRequest) : known);
  const objectsTree = new ObjectsTree(plugins);
  const lifecycle = new Lifecycle(plugins, output, status, objectsTree);
  const withPlugin = <A extends unknown[]>(purpose: string, fn: (p: PluginInfo, ...args: A) => Promise<unknown>) =>
    async (root?: string | vscode.Uri, ...args: A) => {
      const preferred = root instanceof vscode.Uri ? root.fsPath : typeof root === 'string' ? root : undefined;
      const p = await pickPlugin(plugins, preferred, purpose);
      return p ? fn(p, ...args) : undefined;
    };

  // The commands table: every palette command of the extension, in one place.
  const commands: Record<string, (...args: never[]) => unknown> = {
    'delphix.showOutput': () => output.show(),
    'delphix.pluginActions': () => status.pickAction(),
    'delphix.restartServer': async () => {
      output.appendLine('Restarting the Delphix language server.');
      await client?.restart();
    },
    'delphix.buildPlugin': withPlugin('Build', (p): Promise<BuildOutcome> => buildPlugin(p, output, status)),
    'delphix.generateDefinitions': withPlugin('Generate Definitions', (p) => generateDefinitions(p, output)),
    'delphix.uploadPlugin': withPlugin('Upload', (p, args?: UploadArgs) => uploadPlugin(p, profiles, output, status, args)),
    'delphix.downloadLogs': withPlugin('Download Logs', (p, args?: { profile?: string }) => downloadLogs(p, profiles, output, args)),
    'delphix.syncDSource': withPlugin('Sync', async (p, args?: SyncArgs) => {
      const report = await syncPlugin(p, output, status, { ...args, mode: args?.mode ?? 'sync' });
      objectsTree.refresh();
      return report;
    }),
    'delphix.resyncDSource': withPlugin('Resync', async (p, args?: SyncArgs) => {
      const report = await syncPlugin(p, output, status, { ...args, mode: 'resync' });
      objectsTree.refresh();
      return report;
    }),
    ...lifecycle.commands(),
    'delphix.debugSync': withPlugin('Debug Sync', (p, args?: SyncArgs) => debugSync(p, args)),
    'delphix.runUpgradeMigrations': withPlugin('Run Upgrade Migrations', (p, args?: UpgradeArgs) => runUpgradeMigrations(p, output, args)),
    'delphix.debugUpgradeMigrations': withPlugin('Debug Upgrade Migrations', (p, args?: UpgradeArgs) => debugUpgradeMigrations(p, output, args)),
    'delphix.manageEngineProfiles': () => profiles.manage(),
    'delphix.previewForms': (uri?: vscode.Uri) => previews.open(uri instanceof vscode.Uri ? uri : undefined),
    'delphix.newPlugin': (args?: NewPluginArgs) =>
      newPlugin(output, async () => (client?.isRunning() ? update(await client.sendRequest<PluginInfo[]>(RediscoverRequest)) : undefined), args),
  };
  for (const [id, fn] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...a: unknown[]) => unknown));

  const debugProvider = new SyncDebugProvider(plugins, output, status);
  debugProvider.onFinished = () => objectsTree.refresh();
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('delphix.objects', objectsTree),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, debugProvider),
    registerDebugAdapter(context.extensionPath, output),
    vscode.debug.onDidTerminateDebugSession((s) => debugProvider.sessionEnded(s)),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new DelphixTaskProvider(context.asAbsolutePath('dist/cli.js'), plugins)),
    watchSchemas(() => known, output),
    vscode.window.onDidChangeActiveTextEditor(() => status.refresh()),
  );
  try {
    await client.start();
  } catch (e) {
    // Fail loudly: without the server there are no diagnostics, and the author must know why.
    output.appendLine(`The Delphix language server could not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Delphix Plugin Studio: the language server could not start (${(e as Error).message}).`, 'Show Output').then((a) => a && output.show());
    throw e;
  }
  client.onNotification(PluginsChangedNotification, (p: PluginsChangedParams) => {
    update(p.plugins);
    objectsTree.refresh();
  });
  update(await client.sendRequest<PluginInfo[]>(PluginsRequest));
  objectsTree.refresh();
  return {
    plugins,
    objectsTree,
    setEnginePassword: (profile, password) => profiles.setPassword(profile, password),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
