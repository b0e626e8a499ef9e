// The status bar item says what only it knows: the plugin of the active editor (or the only plugin), its
// type, and its last run and result (kept across reloads in the workspace state). VS Code's own counter
// shows the problems. Clicking it opens a quick pick of the plugin's actions.
import * as path from 'path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';
import { plural } from '../../core/text';

/** The last run of a plugin, as remembered across reloads. */
export interface LastRun {
  action: string;
  ok: boolean;
  /** ISO time. */
  at: string;
}

const STATE_KEY = 'delphix.lastRuns';
export const ACTIONS_COMMAND = 'delphix.pluginActions';

/** The actions the status bar's quick pick offers, with the commands they run. */
export const PLUGIN_ACTIONS: { label: string; command: string; withPlugin: boolean }[] = [
  { label: '$(package) Build Plugin', command: 'delphix.buildPlugin', withPlugin: true },
  { label: '$(sync) Sync dSource', command: 'delphix.syncDSource', withPlugin: true },
  { label: '$(debug-alt) Debug Sync', command: 'delphix.debugSync', withPlugin: true },
  { label: '$(cloud-upload) Upload Plugin', command: 'delphix.uploadPlugin', withPlugin: true },
  { label: '$(warning) Show Problems', command: 'workbench.actions.view.problems', withPlugin: false },
  { label: '$(output) Show Output', command: 'delphix.showOutput', withPlugin: false },
];

export class PluginStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('delphix.plugin', vscode.StatusBarAlignment.Left, 10);
  private plugins: PluginInfo[] = [];

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly state?: vscode.Memento,
  ) {
    this.item.name = 'Delphix Plugin';
    this.item.command = ACTIONS_COMMAND;
  }

  setPlugins(plugins: PluginInfo[]): void {
    this.plugins = plugins;
    this.refresh();
  }

  private runs(): Record<string, LastRun> {
    return this.state?.get<Record<string, LastRun>>(STATE_KEY) ?? {};
  }

  /** Record the outcome of a run for the plugin at `root`: `action` is "build", "sync", "upload"... */
  setLastResult(root: string, action: string, ok: boolean): void {
    const runs = { ...this.runs(), [root]: { action, ok, at: new Date().toISOString() } };
    void this.state?.update(STATE_KEY, runs);
    this.lastSession.set(root, { action, ok, at: new Date().toISOString() });
    this.refresh();
  }

  private readonly lastSession = new Map<string, LastRun>();

  lastRun(root: string): LastRun | undefined {
    return this.lastSession.get(root) ?? this.runs()[root];
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

  /** The quick pick of the active plugin's actions (or, with several plugins, the command's own pick). */
  async pickAction(): Promise<void> {
    const p = this.active();
    const pick = await vscode.window.showQuickPick(
      PLUGIN_ACTIONS.map((a) => ({ label: a.label, action: a })),
      { title: p ? `${p.name ?? path.basename(p.root)} (${p.pluginType ?? 'unknown type'})` : 'Delphix plugin', placeHolder: 'Choose an action' },
    );
    if (!pick) return;
    if (pick.action.withPlugin) await vscode.commands.executeCommand(pick.action.command, p?.root);
    else await vscode.commands.executeCommand(pick.action.command);
  }

  refresh(): void {
    if (this.plugins.length === 0) {
      this.item.hide();
      return;
    }
    const p = this.active();
    if (!p) {
      this.item.text = `$(database) Delphix: ${plural(this.plugins.length, 'plugin')}`;
      this.item.tooltip = `${this.plugins.map((x) => `${x.name ?? path.basename(x.root)} (${x.pluginType ?? '?'})`).join('\n')}\nClick for a plugin's actions.`;
    } else {
      const last = this.lastRun(p.root);
      const result = last ? ` · ${last.action} ${last.ok ? '$(check)' : '$(error)'}` : '';
      const name = p.name ?? path.basename(p.root);
      this.item.text = `$(database) ${name} · ${p.pluginType ?? '?'}${result}`;
      this.item.tooltip = [
        `Delphix plugin ${name} (${p.pluginType ?? 'unknown type'})`,
        p.root,
        last ? `Last run: ${last.action} ${last.ok ? 'succeeded' : 'failed'} at ${new Date(last.at).toLocaleString()}` : 'No run yet',
        'Click for the plugin\'s actions: Build, Sync, Debug, Upload, Show Problems, Show Output.',
      ].join('\n');
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
