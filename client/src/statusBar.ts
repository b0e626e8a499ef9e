// The status bar item: the plugin of the active editor (or the only plugin), its type, its problem
// counts and the last build/sync result. Clicking it opens the Delphix output.
import * as path from 'path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';

export class PluginStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('delphix.plugin', vscode.StatusBarAlignment.Left, 10);
  private plugins: PluginInfo[] = [];
  private lastResult = new Map<string, string>();

  constructor(private readonly output: vscode.OutputChannel) {
    this.item.name = 'Delphix Plugin';
    this.item.command = 'delphix.showOutput';
  }

  setPlugins(plugins: PluginInfo[]): void {
    this.plugins = plugins;
    this.refresh();
  }

  /** Record the outcome of a build or sync for the plugin at `root` (e.g. "build ✓ 0.4 s"). */
  setLastResult(root: string, text: string): void {
    this.lastResult.set(root, text);
    this.refresh();
  }

  /** The plugin of the active editor, else the only plugin of the workspace. */
  active(): PluginInfo | undefined {
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    if (file) {
      const owner = this.plugins
        .filter((p) => file === p.configFile || file === p.schemaFile || file.startsWith(p.root + path.sep))
        .sort((a, b) => b.root.length - a.root.length)[0];
      if (owner) return owner;
    }
    return this.plugins.length === 1 ? this.plugins[0] : undefined;
  }

  refresh(): void {
    if (this.plugins.length === 0) {
      this.item.hide();
      return;
    }
    const p = this.active();
    if (!p) {
      this.item.text = `$(database) Delphix: ${this.plugins.length} plugins`;
      this.item.tooltip = this.plugins.map((x) => `${x.name ?? path.basename(x.root)} (${x.pluginType ?? '?'})`).join('\n');
    } else {
      const problems = p.errors ? `$(error) ${p.errors}` : p.warnings ? `$(warning) ${p.warnings}` : '$(check)';
      const last = this.lastResult.get(p.root);
      this.item.text = `$(database) ${p.name ?? path.basename(p.root)} · ${p.pluginType ?? '?'} ${problems}${last ? ` · ${last}` : ''}`;
      this.item.tooltip = `Delphix plugin ${p.name ?? ''}\n${p.root}\n${p.errors} error(s), ${p.warnings} warning(s)${last ? `\nLast: ${last}` : ''}\nClick to show the Delphix output.`;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
