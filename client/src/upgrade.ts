// "Delphix: Run Upgrade Migrations" and "Delphix: Debug Upgrade Migrations": the plugin's data
// migrations on objects saved under the baseline (the delphix.upgrade.baseline setting, or asked for),
// under the simulated runtime; the report in the Delphix output. Debugging launches the same run under
// debugpy, so breakpoints inside a migration are hit, and reports when the session ends.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadBaseline, type Baseline } from '../../core/upgrade/baseline';
import { prepareUpgradeDebug } from '../../core/upgrade/debugUpgrade';
import { applyUpgraded, collectKeptObjects, noKeptObjectsMessage } from '../../core/upgrade/localObjects';
import { readObjectsFile, type SavedObject } from '../../core/upgrade/objects';
import { runUpgrade, type UpgradeRun } from '../../core/upgrade/runUpgrade';
import { formatUpgradeRun } from '../../core/upgrade/upgradeReport';
import type { PluginInfo } from '../../protocol/messages';
import { sessionConfiguration } from './debugAdapter';
import { abortOn, saveDirty } from './plugins';
import { readSettings } from './settings';

export interface UpgradeArgs {
  /** Artifact path or git ref; default the delphix.upgrade.baseline setting, else asked for. */
  baseline?: string;
  /** The objects file; default `.delphix/upgrade/objects.json` of the plugin, else the local engine's kept objects, else asked for. */
  objects?: string;
  luaVersion?: string;
  quiet?: boolean;
}

/** Where the commands look for saved objects first. */
export const DEFAULT_OBJECTS = path.join('.delphix', 'upgrade', 'objects.json');

async function inputs(plugin: PluginInfo, args: UpgradeArgs, output: vscode.OutputChannel): Promise<{ baseline: Baseline; objects: SavedObject[]; kept: boolean } | undefined> {
  let spec = args.baseline ?? vscode.workspace.getConfiguration('delphix', vscode.Uri.file(plugin.root)).get<string>('upgrade.baseline')?.trim();
  if (!spec) {
    spec = (await vscode.window.showInputBox({
      title: 'Upgrade from which released version?',
      prompt: 'Its artifact .json (a path) or a git ref of the plugin repository (tag, branch, commit). Set delphix.upgrade.baseline to skip this question.',
      ignoreFocusOut: true,
    }))?.trim();
    if (!spec) return undefined;
  }
  let objectsFile = args.objects ? path.resolve(plugin.root, args.objects) : path.join(plugin.root, DEFAULT_OBJECTS);
  const kept = !args.objects && !fs.existsSync(objectsFile) ? collectKeptObjects(plugin.root) : undefined;
  for (const p of kept?.problems ?? []) output.appendLine(`  note: ${p}`);
  if (kept && kept.objects.length === 0) output.appendLine(`  ${noKeptObjectsMessage(plugin.root)}`);
  if (kept && kept.objects.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Objects saved under the released version ({"repository": [...], "linkedSource": [...], ...})',
      defaultUri: vscode.Uri.file(plugin.root),
      filters: { JSON: ['json'] },
      canSelectMany: false,
    });
    if (!picked?.[0]) return undefined;
    objectsFile = picked[0].fsPath;
  }
  const baseline = await loadBaseline(spec, plugin.root);
  if (!baseline.ok) {
    output.appendLine(`  ${baseline.error}`);
    void vscode.window.showErrorMessage(baseline.error);
    return undefined;
  }
  if (kept && kept.objects.length > 0) {
    output.appendLine(`  Objects: the local engine's kept objects (${kept.objects.length}), read only unless you keep the upgraded objects.`);
    return { baseline: baseline.baseline, objects: kept.objects, kept: true };
  }
  const objects = readObjectsFile(objectsFile);
  if (!objects.ok) {
    output.appendLine(`  ${objects.error}`);
    void vscode.window.showErrorMessage(objects.error);
    return undefined;
  }
  output.appendLine(`  Objects: ${objectsFile}`);
  return { baseline: baseline.baseline, objects: objects.objects, kept: false };
}

const KEEP = 'Keep the Upgraded Objects';

function keep(run: UpgradeRun, plugin: PluginInfo, output: vscode.OutputChannel): void {
  const applied = applyUpgraded(plugin.root, run.outcomes, 'Delphix: Run Upgrade Migrations (keep the upgraded objects)');
  if (!applied.ok) {
    output.appendLine(applied.error);
    void vscode.window.showErrorMessage(applied.error);
    return;
  }
  if (applied.written.length === 0) {
    output.appendLine('Nothing to write back: the migrations changed none of the kept objects.');
    void vscode.window.showInformationMessage('Nothing to write back: the migrations changed none of the kept objects.');
    return;
  }
  output.appendLine(['Written back (the local engine keeps the upgraded objects):', ...applied.written.map((w) => `  ${w}`)].join('\n'));
  void vscode.window.showInformationMessage(`The local engine keeps the upgraded objects (${applied.written.length} file${applied.written.length === 1 ? '' : 's'} written).`, 'Show Report').then((a) => a && output.show(true));
}

function show(run: UpgradeRun, label: string, plugin: PluginInfo, output: vscode.OutputChannel, quiet?: boolean, kept = false): void {
  output.appendLine(formatUpgradeRun(run, label, plugin.root));
  if (quiet) return;
  const failed = run.outcomes.filter((o) => !o.ok).length;
  const message = run.error
    ? `Upgrade migrations could not run: ${run.error.split('\n')[0]}`
    : run.ok
      ? `All ${run.outcomes.length} objects upgrade to valid objects (migrations run: ${run.migrationIds.join(', ') || 'none'}).`
      : `${failed} of ${run.outcomes.length} objects fail the upgrade: see the report for the migration and field.`;
  const show = run.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  const buttons = kept && run.ok ? [KEEP, 'Show Report'] : ['Show Report'];
  void show(message, ...buttons).then((a) => {
    if (a === KEEP) keep(run, plugin, output);
    else if (a) output.show(true);
  });
}

export async function runUpgradeMigrations(plugin: PluginInfo, output: vscode.OutputChannel, args: UpgradeArgs = {}): Promise<UpgradeRun | undefined> {
  await saveDirty(plugin);
  output.appendLine(`\n[${new Date().toLocaleTimeString()}] Upgrade migrations of ${plugin.name ?? plugin.root}`);
  const got = await inputs(plugin, args, output);
  if (!got) return undefined;
  const settings = readSettings(vscode.Uri.file(plugin.root));
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Delphix: running the data migrations (from ${got.baseline.label})`, cancellable: true },
    (_p, token) => runUpgrade({ pluginRoot: plugin.root, baseline: got.baseline, objects: got.objects, luaUpgradeVersion: args.luaVersion, python: settings.python, signal: abortOn(token) }),
  );
  show(run, got.baseline.label, plugin, output, args.quiet, got.kept);
  return run;
}

export async function debugUpgradeMigrations(plugin: PluginInfo, output: vscode.OutputChannel, args: UpgradeArgs = {}): Promise<boolean> {
  await saveDirty(plugin);
  output.appendLine(`\n[${new Date().toLocaleTimeString()}] Debug upgrade migrations of ${plugin.name ?? plugin.root}`);
  const got = await inputs(plugin, args, output);
  if (!got) return false;
  const settings = readSettings(vscode.Uri.file(plugin.root));
  const prepared = await prepareUpgradeDebug({ pluginRoot: plugin.root, baseline: got.baseline, objects: got.objects, luaUpgradeVersion: args.luaVersion, python: settings.python });
  if (!prepared.ok || !prepared.configuration) {
    output.appendLine(`  ${prepared.error}`);
    void vscode.window.showErrorMessage(prepared.error ?? 'The debug run could not be prepared.');
    return false;
  }
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const ended = vscode.debug.onDidTerminateDebugSession(async (s) => {
    if (s.configuration.delphixUpgradeRunId !== id) return;
    ended.dispose();
    show(await prepared.finish(), got.baseline.label, plugin, output, args.quiet);
  });
  const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(plugin.root)), sessionConfiguration(prepared.configuration, { delphixUpgradeRunId: id }));
  if (!started) {
    ended.dispose();
    await prepared.finish();
  }
  return started;
}
