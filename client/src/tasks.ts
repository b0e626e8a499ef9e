// Tasks so `Tasks: Run Build Task` works: each runs the bundled CLI in a terminal, and the `$delphix`
// problem matcher turns its `file:line:col severity message [rule]` lines into Problems.
import * as path from 'path';
import * as vscode from 'vscode';
import type { PluginSource } from './plugins';

export const TASK_TYPE = 'delphix';

export interface DelphixTaskDefinition extends vscode.TaskDefinition {
  command: 'check' | 'build' | 'generate' | 'sync' | 'resync';
  /** The plugin folder, relative to the workspace folder (default: the folder itself). */
  plugin?: string;
  args?: string[];
}

const LABELS: Record<DelphixTaskDefinition['command'], string> = {
  check: 'check',
  build: 'build',
  generate: 'generate definitions',
  sync: 'sync dSource (simulated)',
  resync: 'resync dSource (simulated)',
};

export class DelphixTaskProvider implements vscode.TaskProvider {
  constructor(private readonly cliJs: string, private readonly plugins: PluginSource) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const p of await this.plugins()) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(p.root));
      if (!folder) continue;
      const rel = path.relative(folder.uri.fsPath, p.root) || '.';
      for (const command of ['build', 'check', 'generate'] as const) {
        const task = this.make({ type: TASK_TYPE, command, plugin: rel }, folder, p.name ?? path.basename(p.root));
        if (command === 'build') task.group = vscode.TaskGroup.Build;
        tasks.push(task);
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as DelphixTaskDefinition;
    if (!LABELS[def.command]) return undefined;
    const folder = typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    return this.make(def, folder, def.plugin ?? path.basename(folder.uri.fsPath), task);
  }

  private make(def: DelphixTaskDefinition, folder: vscode.WorkspaceFolder, name: string, base?: vscode.Task): vscode.Task {
    const root = path.resolve(folder.uri.fsPath, def.plugin ?? '.');
    // In desktop VS Code the extension host's executable is Electron; ELECTRON_RUN_AS_NODE makes it
    // a plain Node.js, as it already is in a remote/server extension host.
    const exec = new vscode.ProcessExecution(process.execPath, [this.cliJs, def.command, root, ...(def.args ?? [])], {
      cwd: folder.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    const task = new vscode.Task(def, folder, base?.name ?? `${LABELS[def.command]} ${name}`, 'delphix', exec, ['$delphix']);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    return task;
  }
}
