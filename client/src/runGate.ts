// Before a run: the plugin's unsaved files are saved, asked about or left as the author chose
// (delphix.run.saveBeforeRun, following VS Code's task.saveBeforeRun by default), and errors in the
// plugin are said before the run meets them. After a run: a failure says its cause with buttons to the
// fix; a routine success goes to the status bar (delphix.run.notifySuccess turns toasts on).
import * as path from 'path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';
import { errorsQuestion, type FailureNotice, locationButton, resolveSaveBeforeRun, RUN_ANYWAY, savePrompt, SHOW_PROBLEMS } from './runPolicy';

function inPlugin(plugin: PluginInfo, file: string): boolean {
  return file === plugin.configFile || file === plugin.schemaFile || file.startsWith(plugin.root + path.sep);
}

/** Saves (or not) the plugin's unsaved files as the setting says; false when the author cancelled. */
export async function saveBeforeRun(plugin: PluginInfo, action: string): Promise<boolean> {
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && inPlugin(plugin, d.uri.fsPath));
  if (dirty.length === 0) return true;
  const resource = vscode.Uri.file(plugin.root);
  const policy = resolveSaveBeforeRun(
    vscode.workspace.getConfiguration('delphix', resource).get('run.saveBeforeRun'),
    vscode.workspace.getConfiguration('task', resource).get('saveBeforeRun'),
  );
  if (policy === 'never') return true;
  if (policy === 'prompt') {
    const q = savePrompt(dirty.map((d) => d.uri.fsPath), plugin.root, action);
    const answer = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, 'Save', "Don't Save");
    if (answer === undefined) return false;
    if (answer === "Don't Save") return true;
  }
  for (const d of dirty) await d.save();
  return true;
}

/** The plugin's error diagnostics (as the Problems view shows them). */
export function pluginErrors(plugin: PluginInfo): number {
  let n = 0;
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (uri.scheme !== 'file' || !inPlugin(plugin, uri.fsPath)) continue;
    n += diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  }
  return n;
}

/** When the plugin has errors, asks whether to run anyway; false when the author went to the problems. */
export async function confirmRunWithErrors(plugin: PluginInfo): Promise<boolean> {
  const errors = pluginErrors(plugin);
  if (errors === 0) return true;
  const answer = await vscode.window.showWarningMessage(errorsQuestion(errors, plugin.name ?? path.basename(plugin.root)), { modal: true }, SHOW_PROBLEMS, RUN_ANYWAY);
  if (answer === RUN_ANYWAY) return true;
  if (answer === SHOW_PROBLEMS) void vscode.commands.executeCommand('workbench.actions.view.problems');
  return false;
}

/** Saves as the setting says, then asks about errors: whether the run goes ahead. */
export async function readyToRun(plugin: PluginInfo, action: string, opts: { askAboutErrors?: boolean } = {}): Promise<boolean> {
  if (!(await saveBeforeRun(plugin, action))) return false;
  // Saving re-runs the analysis; its diagnostics arrive a moment later.
  if (opts.askAboutErrors !== false) return confirmRunWithErrors(plugin);
  return true;
}

/** The failure notification: its cause, and buttons to the file and line, the Problems view, the report. */
export async function showFailure(notice: FailureNotice, showReport: () => void, reportLabel = 'Show Report'): Promise<void> {
  const buttons: string[] = [];
  const go = notice.location ? locationButton(notice.location) : undefined;
  if (go) buttons.push(go);
  if (notice.problems) buttons.push(SHOW_PROBLEMS);
  buttons.push(reportLabel);
  const answer = await vscode.window.showErrorMessage(notice.text, ...buttons);
  if (answer === go && notice.location) {
    const pos = new vscode.Position(notice.location.line, notice.location.character);
    await vscode.window.showTextDocument(vscode.Uri.file(notice.location.file), { selection: new vscode.Range(pos, pos) });
  } else if (answer === SHOW_PROBLEMS) {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  } else if (answer === reportLabel) {
    showReport();
  }
}

/** A routine success: a status bar message, or a notification when delphix.run.notifySuccess is on. */
export function showSuccess(plugin: PluginInfo, text: string, showReport: () => void): void {
  if (vscode.workspace.getConfiguration('delphix', vscode.Uri.file(plugin.root)).get<boolean>('run.notifySuccess', false)) {
    void vscode.window.showInformationMessage(text, 'Show Report').then((a) => a && showReport());
  } else {
    vscode.window.setStatusBarMessage(`$(check) ${text}`, 10_000);
  }
}
