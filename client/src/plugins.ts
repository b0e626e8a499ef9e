// Which plugin a command acts on: the one given (code lens, task), the plugin of the active editor,
// the only plugin, or the author's pick.
import * as path from 'path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';

export type PluginSource = () => Promise<PluginInfo[]>;

export async function pickPlugin(source: PluginSource, preferred?: string, purpose = 'Plugin'): Promise<PluginInfo | undefined> {
  const plugins = await source();
  if (plugins.length === 0) {
    void vscode.window.showWarningMessage('No Delphix plugin found in this workspace: a plugin is a folder with plugin_config.yml. Create one with "Delphix: New Plugin".');
    return undefined;
  }
  if (preferred) {
    const p = plugins.find((x) => x.root === path.resolve(preferred));
    if (p) return p;
  }
  const file = vscode.window.activeTextEditor?.document.uri.fsPath;
  if (file) {
    const owner = plugins
      .filter((p) => file === p.configFile || file === p.schemaFile || file.startsWith(p.root + path.sep))
      .sort((a, b) => b.root.length - a.root.length)[0];
    if (owner) return owner;
  }
  if (plugins.length === 1) return plugins[0];
  const pick = await vscode.window.showQuickPick(
    plugins.map((p) => ({ label: p.name ?? path.basename(p.root), description: p.pluginType, detail: p.root, plugin: p })),
    { title: `${purpose}: which plugin?`, placeHolder: 'Choose a Delphix plugin' },
  );
  return pick?.plugin;
}

/** Save the plugin's unsaved editors first, so the command works on what the author sees. */
export async function saveDirty(plugin: PluginInfo): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    const f = doc.uri.fsPath;
    if (doc.isDirty && (f === plugin.configFile || f === plugin.schemaFile || f.startsWith(plugin.root + path.sep))) await doc.save();
  }
}

export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}
