// "Delphix: New Plugin": the equivalent of `dvp init`, asked step by step, then the definitions are
// generated (so imports resolve at once), and the entry point opens.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import * as crypto from 'crypto';
import { createNewPlugin, DEBUG_SYNC_LAUNCH, initialLaunchJson, initialSyncFiles, ScaffoldError, type HostType, type PlannedFile } from '../../core/scaffold/newPlugin';
import { generatePluginDefinitions } from '../../core/build/generateOnly';
import type { PluginType } from '../../core/sdk/operations';
import { readSettings } from './settings';

export interface NewPluginArgs {
  root?: string;
  strategy?: PluginType;
  hostType?: HostType;
  name?: string;
  /** Do not open the entry point (tests). */
  noOpen?: boolean;
}


export async function newPlugin(output: vscode.OutputChannel, rediscover: () => Promise<unknown>, args: NewPluginArgs = {}): Promise<string | undefined> {
  const strategy =
    args.strategy ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'STAGED', description: 'the plugin copies the data onto a staging mount (the SDK tutorial, rsync)', value: 'STAGED' as const },
          { label: 'DIRECT', description: 'the engine copies the data from the source itself', value: 'DIRECT' as const },
        ],
        { title: 'New Delphix plugin (1/4): ingestion strategy' },
      )
    )?.value;
  if (!strategy) return undefined;
  const hostType =
    args.hostType ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'UNIX', value: 'UNIX' as const },
          { label: 'WINDOWS', value: 'WINDOWS' as const },
        ],
        { title: 'New Delphix plugin (2/4): host type' },
      )
    )?.value;
  if (!hostType) return undefined;
  const name = args.name ?? (await vscode.window.showInputBox({ title: 'New Delphix plugin (3/4): name', prompt: 'The name shown on the engine (leave empty to use the plugin id, as dvp init does)', ignoreFocusOut: true }));
  if (name === undefined) return undefined;
  let root = args.root;
  if (!root) {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: base, openLabel: 'Create the plugin here', title: 'New Delphix plugin (4/4): folder' });
    if (!picked) return undefined;
    root = picked[0].fsPath;
  }
  try {
    fs.mkdirSync(root, { recursive: true });
    const id = crypto.randomUUID();
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root));
    // Inside an open folder the debug configuration goes into that folder's launch settings;
    // otherwise the new plugin gets its own .vscode/launch.json.
    const extras: PlannedFile[] = [...initialSyncFiles(id, strategy), ...(folder ? [] : [initialLaunchJson()])];
    const r = createNewPlugin({ root, id, strategy, hostType, name, sdkVersion: readSettings(vscode.Uri.file(root)).sdkVersion }, extras);
    if (folder) await addLaunchConfiguration(folder, root);
    output.appendLine(`Created ${strategy} plugin ${r.id} in ${root}:`);
    for (const f of r.written) output.appendLine(`  ${f}`);
    const gen = await generatePluginDefinitions(root);
    if (!gen.ok) output.appendLine(`  The definitions could not be generated: ${gen.errors.join('; ')}`);
  } catch (e) {
    const msg = e instanceof ScaffoldError ? e.message : `Could not create the plugin: ${(e as Error).message}`;
    void vscode.window.showErrorMessage(msg);
    return undefined;
  }
  // The file watcher may report the new folder late, or only as a folder: tell the server now.
  await rediscover();
  const entry = path.join(root, 'src', 'plugin_runner.py');
  if (!args.noOpen) {
    await vscode.window.showTextDocument(vscode.Uri.file(entry));
    if (!vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root))) {
      const a = await vscode.window.showInformationMessage('The new plugin is outside the open folders. Add it to the workspace to get its checks?', 'Add to Workspace');
      if (a) vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: vscode.Uri.file(root) });
    }
  }
  return root;
}

async function addLaunchConfiguration(folder: vscode.WorkspaceFolder, root: string): Promise<void> {
  const launch = vscode.workspace.getConfiguration('launch', folder.uri);
  const existing = launch.get<Record<string, unknown>[]>('configurations') ?? [];
  const rel = path.relative(folder.uri.fsPath, root);
  const plugin = rel ? `\${workspaceFolder}/${rel.split(path.sep).join('/')}` : '${workspaceFolder}';
  const name = rel ? `Debug simulated sync (${rel})` : DEBUG_SYNC_LAUNCH.name;
  if (existing.some((c) => c.type === DEBUG_SYNC_LAUNCH.type && c.plugin === plugin)) return;
  await launch.update('configurations', [...existing, { ...DEBUG_SYNC_LAUNCH, name, plugin }], vscode.ConfigurationTarget.WorkspaceFolder);
}
