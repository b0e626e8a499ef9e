// "Delphix: Sync dSource (simulated)", "Resync" and "Debug Sync": the core orchestrator with a
// cancellable progress notification, every event in the Delphix output, and the report at the end.
// Debug Sync resolves to a debugpy LAUNCH of the same runner (no attach race), so breakpoints in the
// plugin code are hit; debugAdapter.ts runs it (debugpy's own adapter, or ms-python.debugpy's).
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_PROFILE, formatReport, listProfiles, prepareDebugRun, runSync, type PreparedDebugRun, type SyncEvent, type SyncMode, type SyncReport } from '../../core/sync';
import type { PluginInfo } from '../../protocol/messages';
import { isPreparedLaunch, sessionConfiguration } from './debugAdapter';
import { WORKFLOWS, type WorkflowName } from '../../core/lifecycle/workflows';
import { abortOn } from './plugins';
import { readyToRun, showFailure, showSuccess } from './runGate';
import { syncFailureNotice } from './runPolicy';
import { readSettings } from './settings';
import type { PluginStatus } from './statusBar';

export interface SyncArgs {
  profile?: string;
  mode?: SyncMode;
  /** Do not show notifications (tests). */
  quiet?: boolean;
}

export const DEBUG_TYPE = 'delphix-sync';

export async function chooseProfile(plugin: PluginInfo, given?: string): Promise<string | undefined> {
  if (given) return given;
  const names = listProfiles(plugin.root);
  if (names.length === 0) {
    void vscode.window.showErrorMessage(
      `The plugin has no sync profile: create ${path.join('.delphix', 'sync', `${DEFAULT_PROFILE}.json`)} with the environments and the values the engine would ask for (see the example plugin).`,
    );
    return undefined;
  }
  if (names.length === 1) return names[0];
  return vscode.window.showQuickPick(names, { title: 'Which sync profile (dSource)?' });
}

export function eventLine(e: SyncEvent): string | undefined {
  const ev = e as unknown as Record<string, unknown>;
  const type = String(ev.type ?? ev.event ?? '');
  if (type === 'output' || type === 'report') return undefined;
  const parts = ['message', 'operation', 'command', 'step'].map((k) => ev[k]).filter((v) => typeof v === 'string' && v);
  const extra = typeof ev.exitCode === 'number' ? ` (exit ${ev.exitCode})` : typeof ev.durationMs === 'number' ? ` (${ev.durationMs} ms)` : '';
  return parts.length ? `  [${type}] ${parts.join(' — ')}${extra}` : undefined;
}

function showReport(report: SyncReport, plugin: PluginInfo, output: vscode.OutputChannel, status: PluginStatus, quiet?: boolean): void {
  output.appendLine(formatReport(report));
  const label = report.workflow !== 'sync' ? (WORKFLOWS[report.workflow]?.title ?? report.workflow) : report.mode === 'resync' ? 'resync' : 'sync';
  status.setLastResult(plugin.root, label, report.ok);
  if (quiet) return;
  const show = () => output.show(true);
  if (report.ok) {
    const snap = report.snapshot ? ` Snapshot ${report.snapshot.id}: ${report.snapshot.stats ? `${(report.snapshot.stats as { files?: number }).files ?? '?'} files` : ''}.` : '';
    showSuccess(plugin, `Simulated ${label} of ${plugin.name ?? ''} succeeded in ${(report.durationMs / 1000).toFixed(1)} s.${snap}`, show);
  } else {
    void showFailure(syncFailureNotice(`Simulated ${label}`, report), show);
  }
}

export async function syncPlugin(plugin: PluginInfo, output: vscode.OutputChannel, status: PluginStatus, args: SyncArgs = {}): Promise<SyncReport | undefined> {
  const profile = await chooseProfile(plugin, args.profile);
  if (!profile) return undefined;
  const mode = args.mode ?? 'sync';
  if (!(await readyToRun(plugin, `the simulated ${mode}`, { askAboutErrors: !args.quiet }))) return undefined;
  const settings = readSettings(vscode.Uri.file(plugin.root));
  output.appendLine(`\n[${new Date().toLocaleTimeString()}] Simulated ${mode} of ${plugin.name ?? plugin.root} with profile "${profile}"`);
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Delphix: simulated ${mode} (${profile})`, cancellable: true },
    (progress, token) =>
      runSync({
        pluginRoot: plugin.root,
        profile,
        mode,
        requester: `VS Code: simulated ${mode}`,
        python: settings.python !== 'python3' ? settings.python : undefined,
        signal: abortOn(token),
        onEvent: (e) => {
          const line = eventLine(e);
          if (line) {
            output.appendLine(line);
            progress.report({ message: line.trim() });
          }
        },
      }),
  );
  showReport(report, plugin, output, status, args.quiet);
  return report;
}

/** Debug configurations of type `delphix-sync` resolve to a debugpy launch of the runner (see debugAdapter.ts). */
export class SyncDebugProvider implements vscode.DebugConfigurationProvider {
  private readonly runs = new Map<string, { run: PreparedDebugRun; plugin: PluginInfo }>();
  /** Called after a debugged run was finished (the objects tree refreshes). */
  onFinished?: () => void;

  constructor(
    private readonly plugins: () => Promise<PluginInfo[]>,
    private readonly output: vscode.OutputChannel,
    private readonly status: PluginStatus,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug simulated sync', plugin: '${workspaceFolder}', profile: DEFAULT_PROFILE, mode: 'sync' }];
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!config.type && !config.request) return undefined; // no launch.json: let VS Code offer ours
    if (isPreparedLaunch(config)) return config; // a prepared debugpy launch (e.g. the migrations'): run as is
    const all = await this.plugins();
    const wanted = typeof config.plugin === 'string' ? path.resolve(folder?.uri.fsPath ?? '', config.plugin) : undefined;
    const plugin = all.find((p) => p.root === wanted) ?? (all.length === 1 ? all[0] : undefined);
    if (!plugin) {
      void vscode.window.showErrorMessage(`Debug Sync: no Delphix plugin at ${wanted ?? '(no "plugin" in the launch configuration)'}. Set "plugin" to the folder that holds plugin_config.yml.`);
      return undefined;
    }
    const profile = await chooseProfile(plugin, typeof config.profile === 'string' ? config.profile : undefined);
    if (!profile) return undefined;
    if (!(await readyToRun(plugin, 'debugging'))) return undefined;
    const settings = readSettings(vscode.Uri.file(plugin.root));
    const mode: SyncMode = config.mode === 'resync' || config.mode === 'policy' ? config.mode : 'sync';
    // Any workflow of the local engine can be debugged: the configuration names it and its object.
    const workflow = typeof config.workflow === 'string' ? config.workflow : 'sync';
    if (!(workflow in WORKFLOWS)) {
      void vscode.window.showErrorMessage(`Debug: "${workflow}" is not a workflow of the local engine. Use one of: ${Object.keys(WORKFLOWS).join(', ')}.`);
      return undefined;
    }
    const vdb = typeof config.vdb === 'string' && config.vdb ? config.vdb : undefined;
    const snapshot = typeof config.snapshot === 'number' ? config.snapshot : undefined;
    const what = workflow === 'sync' ? mode : `${WORKFLOWS[workflow as WorkflowName].title}${vdb ? ` ${vdb}` : ''}`;
    this.output.appendLine(`\n[${new Date().toLocaleTimeString()}] Debug ${what} of ${plugin.name ?? plugin.root} with profile "${profile}": checking first`);
    const run = await prepareDebugRun({
      pluginRoot: plugin.root,
      profile,
      mode,
      workflow: workflow as WorkflowName,
      requester: `VS Code: debug ${what}`,
      vdb,
      snapshot,
      python: settings.python !== 'python3' ? settings.python : undefined,
    });
    if (!run.ok || !run.configuration) {
      // The pre-flight checks say what is missing before the debugger starts.
      showReport(run.finish(), plugin, this.output, this.status);
      return undefined;
    }
    // E.g. debugpy found only in another interpreter of the same Python version: said before it starts.
    for (const c of run.report.preflight) if (c.ok && c.severity === 'warning') this.output.appendLine(`  warning: ${c.message}`);
    const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.runs.set(id, { run, plugin });
    return sessionConfiguration(run.configuration, { name: config.name ?? run.configuration.name, delphixRunId: id });
  }

  /** Call when any debug session ends: finish the run it belonged to and show its report. */
  sessionEnded(session: vscode.DebugSession): void {
    const id = session.configuration.delphixRunId as string | undefined;
    const entry = id ? this.runs.get(id) : undefined;
    if (!entry) return;
    this.runs.delete(id!);
    showReport(entry.run.finish(), entry.plugin, this.output, this.status);
    this.onFinished?.();
  }
}

export async function debugSync(plugin: PluginInfo, args: SyncArgs = {}): Promise<boolean> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(plugin.root));
  return vscode.debug.startDebugging(folder, {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug simulated ${args.mode ?? 'sync'} (${plugin.name ?? path.basename(plugin.root)})`,
    plugin: plugin.root,
    profile: args.profile,
    mode: args.mode ?? 'sync',
  });
}
