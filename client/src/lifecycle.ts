// The local engine's operations in the editor: discovery, provision and every VDB workflow, from the
// palette ("Delphix: Verb Noun") and from the items of the Delphix tree view. Each runs the core
// orchestrator with a cancellable progress notification, every event in the Delphix output and the
// report at the end, then refreshes the tree. "Delphix: Debug Workflow" runs any of them under the
// debugger (a delphix-sync launch configuration naming the workflow and the object).
import * as path from 'path';
import * as vscode from 'vscode';
import { formatReport, runSync, type SyncReport } from '../../core/sync';
import { profileObjects } from '../../core/lifecycle/objects';
import { VDB_VERBS, WORKFLOWS, type WorkflowName } from '../../core/lifecycle/workflows';
import type { PluginInfo } from '../../protocol/messages';
import { abortOn, pickPlugin, saveDirty, type PluginSource } from './plugins';
import { readSettings } from './settings';
import type { PluginStatus } from './statusBar';
import { chooseProfile, DEBUG_TYPE, eventLine } from './sync';
import type { ObjectNode, ObjectsTree } from './objectsTree';

/** What a command may be given instead of a tree item (tests, tasks, other extensions). */
export interface LifecycleArgs {
  plugin?: string;
  profile?: string;
  vdb?: string;
  snapshot?: number;
  /** The new VDB's name (provision). */
  name?: string;
  /** No prompts or notifications (tests). */
  quiet?: boolean;
  /** Debug Workflow: which one. */
  workflow?: WorkflowName;
}

type Given = ObjectNode | LifecycleArgs | vscode.Uri | string | undefined;

interface Resolved {
  plugin: PluginInfo;
  profile: string;
  vdb?: string;
  snapshot?: number;
  args: LifecycleArgs;
}

function isNode(g: Given): g is ObjectNode {
  return typeof g === 'object' && g !== null && !(g instanceof vscode.Uri) && 'kind' in g && 'plugin' in g;
}

/** The VDB workflows of the `vdb` verbs, with their palette command ids and titles. */
export const VDB_COMMANDS: { id: string; workflow: WorkflowName; title: string }[] = [
  { id: 'delphix.startVdb', workflow: VDB_VERBS.start, title: 'Start VDB' },
  { id: 'delphix.stopVdb', workflow: VDB_VERBS.stop, title: 'Stop VDB' },
  { id: 'delphix.checkVdbStatus', workflow: VDB_VERBS.status, title: 'Check VDB Status' },
  { id: 'delphix.snapshotVdb', workflow: VDB_VERBS.snapshot, title: 'Snapshot VDB' },
  { id: 'delphix.refreshVdb', workflow: VDB_VERBS.refresh, title: 'Refresh VDB' },
  { id: 'delphix.rollbackVdb', workflow: VDB_VERBS.rollback, title: 'Roll Back VDB' },
  { id: 'delphix.enableVdb', workflow: VDB_VERBS.enable, title: 'Enable VDB' },
  { id: 'delphix.disableVdb', workflow: VDB_VERBS.disable, title: 'Disable VDB' },
  { id: 'delphix.deleteVdb', workflow: VDB_VERBS.delete, title: 'Delete VDB' },
];

export class Lifecycle {
  constructor(
    private readonly plugins: PluginSource,
    private readonly output: vscode.OutputChannel,
    private readonly status: PluginStatus,
    private readonly tree: ObjectsTree,
  ) {}

  /** The command table entries of the lifecycle. */
  commands(): Record<string, (given?: Given, extra?: LifecycleArgs) => Promise<unknown>> {
    const table: Record<string, (given?: Given, extra?: LifecycleArgs) => Promise<unknown>> = {
      'delphix.discover': (g, e) => this.discover(g, e),
      'delphix.provisionVdb': (g, e) => this.provision(g, e, false),
      'delphix.createEmptyVdb': (g, e) => this.provision(g, e, true),
      'delphix.debugWorkflow': (g, e) => this.debug(g, e),
      'delphix.refreshObjects': async () => this.tree.refresh(),
    };
    for (const c of VDB_COMMANDS) table[c.id] = (g, e) => this.vdbWorkflow(c.workflow, c.title, g, e);
    return table;
  }

  private async resolve(given: Given, extra: LifecycleArgs | undefined, purpose: string): Promise<Resolved | undefined> {
    if (isNode(given)) {
      const n = given;
      const profile = 'profile' in n ? n.profile : undefined;
      const snapshot = n.kind === 'dsourceSnapshot' || n.kind === 'vdbSnapshot' ? n.snapshot.id : undefined;
      const vdb = n.kind === 'vdb' ? n.vdb.name : n.kind === 'vdbSnapshot' ? n.vdb : undefined;
      const chosen = profile ?? (await chooseProfile(n.plugin));
      return chosen ? { plugin: n.plugin, profile: chosen, vdb, snapshot, args: extra ?? {} } : undefined;
    }
    const args: LifecycleArgs = { ...(typeof given === 'object' && !(given instanceof vscode.Uri) ? given : {}), ...(extra ?? {}) };
    const preferred = given instanceof vscode.Uri ? given.fsPath : typeof given === 'string' ? given : args.plugin;
    const plugin = await pickPlugin(this.plugins, preferred, purpose);
    if (!plugin) return undefined;
    const profile = await chooseProfile(plugin, args.profile);
    return profile ? { plugin, profile, vdb: args.vdb, snapshot: args.snapshot, args } : undefined;
  }

  private async pickVdb(r: Resolved, title: string): Promise<string | undefined> {
    if (r.vdb) return r.vdb;
    const vdbs = profileObjects(r.plugin.root, r.profile).vdbs;
    if (vdbs.length === 0) {
      void vscode.window.showWarningMessage(`Profile "${r.profile}" has no VDB yet: provision one first ("Delphix: Provision VDB").`);
      return undefined;
    }
    if (vdbs.length === 1 || r.args.quiet) return vdbs[0].name;
    const pick = await vscode.window.showQuickPick(
      vdbs.map((v) => ({ label: v.name, description: v.status.toUpperCase(), detail: v.dataDir })),
      { title: `${title}: which VDB?` },
    );
    return pick?.label;
  }

  private async discover(given: Given, extra?: LifecycleArgs): Promise<SyncReport | undefined> {
    const r = await this.resolve(given, extra, 'Discover');
    return r ? this.run(r, 'discovery') : undefined;
  }

  private async provision(given: Given, extra: LifecycleArgs | undefined, empty: boolean): Promise<SyncReport | undefined> {
    const r = await this.resolve(given, extra, empty ? 'Create Empty VDB' : 'Provision VDB');
    if (!r) return undefined;
    let name = r.args.name;
    if (!name && !r.args.quiet) {
      name = await vscode.window.showInputBox({
        title: empty ? 'Delphix: Create Empty VDB' : `Delphix: Provision VDB${r.snapshot !== undefined ? ` from snapshot ${r.snapshot}` : ''}`,
        prompt: 'The VDB name (letters, digits, ".", "_", "-"); leave empty for the next free vdbN',
        validateInput: (v) => (v === '' || /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v) ? undefined : 'Use letters, digits, ".", "_" and "-", starting with a letter or digit.'),
      });
      if (name === undefined) return undefined;
    }
    return this.run({ ...r, vdb: name || undefined }, empty ? 'create-empty' : 'provision');
  }

  private async vdbWorkflow(workflow: WorkflowName, title: string, given: Given, extra?: LifecycleArgs): Promise<SyncReport | undefined> {
    const r = await this.resolve(given, extra, title);
    if (!r) return undefined;
    const vdb = await this.pickVdb(r, title);
    if (!vdb) return undefined;
    if (workflow === 'delete' && !r.args.quiet) {
      const answer = await vscode.window.showWarningMessage(`Delete VDB "${vdb}" and its snapshots?`, { modal: true }, 'Delete');
      if (answer !== 'Delete') return undefined;
    }
    // A snapshot picked on a dSource snapshot item is a refresh target; on a VDB snapshot item, a rollback target.
    const snapshot = workflow === 'refresh' || workflow === 'rollback' ? r.snapshot : undefined;
    return this.run({ ...r, vdb, snapshot }, workflow);
  }

  private async debug(given: Given, extra?: LifecycleArgs): Promise<boolean> {
    const r = await this.resolve(given, extra, 'Debug Workflow');
    if (!r) return false;
    let workflow = r.args.workflow;
    if (!workflow) {
      const onVdb = isNode(given) && (given.kind === 'vdb' || given.kind === 'vdbSnapshot');
      const choices = (Object.values(WORKFLOWS) as (typeof WORKFLOWS)[WorkflowName][]).filter((w) => (onVdb ? w.object === 'vdb' : true));
      const pick = await vscode.window.showQuickPick(
        choices.map((w) => ({ label: w.object === 'vdb' ? `${w.title} VDB` : w.title, description: w.steps.map((s) => ('op' in s ? `${s.op}()` : (s.name ?? s.step))).join(', '), workflow: w.name })),
        { title: 'Debug which workflow?' },
      );
      if (!pick) return false;
      workflow = pick.workflow;
    }
    const spec = WORKFLOWS[workflow];
    let vdb = r.vdb;
    if (spec.object === 'vdb' && workflow !== 'provision' && workflow !== 'create-empty') {
      vdb = await this.pickVdb(r, `Debug ${spec.title}`);
      if (!vdb) return false;
    }
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(r.plugin.root));
    return vscode.debug.startDebugging(folder, {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Debug ${spec.title}${vdb ? ` ${vdb}` : ''} (${r.plugin.name ?? path.basename(r.plugin.root)})`,
      plugin: r.plugin.root,
      profile: r.profile,
      workflow,
      vdb,
      snapshot: r.snapshot,
    });
  }

  private async run(r: Resolved, workflow: WorkflowName): Promise<SyncReport> {
    await saveDirty(r.plugin);
    const spec = WORKFLOWS[workflow];
    const what = `${spec.object === 'vdb' ? `${spec.title} VDB${r.vdb ? ` ${r.vdb}` : ''}` : spec.title}`;
    const settings = readSettings(vscode.Uri.file(r.plugin.root));
    this.output.appendLine(`\n[${new Date().toLocaleTimeString()}] ${what} of ${r.plugin.name ?? r.plugin.root} with profile "${r.profile}"`);
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Delphix: ${what} (${r.profile})`, cancellable: true },
      (progress, token) =>
        runSync({
          pluginRoot: r.plugin.root,
          profile: r.profile,
          workflow,
          vdb: r.vdb,
          snapshot: r.snapshot,
          requester: `VS Code: ${what}`,
          python: settings.python !== 'python3' ? settings.python : undefined,
          signal: abortOn(token),
          onEvent: (e) => {
            const line = eventLine(e);
            if (line) {
              this.output.appendLine(line);
              progress.report({ message: line.trim() });
            }
          },
        }),
    );
    this.output.appendLine(formatReport(report));
    this.status.setLastResult(r.plugin.root, spec.title, report.ok);
    this.tree.refresh();
    if (!r.args.quiet) {
      const subject = report.objectName && spec.object === 'vdb' ? `${spec.title} of VDB ${report.objectName}` : spec.title;
      if (report.ok) {
        const state = report.vdb ? ` VDB ${report.vdb.name} is ${report.vdb.status.toUpperCase()}.` : '';
        void vscode.window.showInformationMessage(`Delphix: ${subject} succeeded in ${(report.durationMs / 1000).toFixed(1)} s.${state}`, 'Show Report').then((a) => a && this.output.show(true));
      } else {
        const why = report.error ? `${report.error.message}${report.error.action ? ` — ${report.error.action}` : ''}` : report.cancelled ? 'cancelled' : 'see the report';
        void vscode.window.showErrorMessage(`Delphix: ${subject} failed: ${why}`, 'Show Report').then((a) => a && this.output.show(true));
      }
    }
    return report;
  }
}
