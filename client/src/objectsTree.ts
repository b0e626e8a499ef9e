// The "Delphix" tree view: the local engine's objects of every plugin in the workspace, read from their
// one home (core/lifecycle/objects.ts). dSources (one per sync profile) with their snapshots, VDBs with
// their status and the snapshot they came from (and their own snapshots), and what discovery found. Each
// item's contextValue picks the operations its context menu offers (package.json, view/item/context).
import * as path from 'path';
import * as vscode from 'vscode';
import { allObjects, type ProfileObjects, type VdbView } from '../../core/lifecycle/objects';
import type { SnapshotInfo } from '../../core/sync/sandbox';
import type { PluginInfo } from '../../protocol/messages';

export type ObjectNode =
  | { kind: 'plugin'; plugin: PluginInfo }
  | { kind: 'group'; plugin: PluginInfo; group: 'dsources' | 'vdbs' | 'discovered'; objects: ProfileObjects[] }
  | { kind: 'dsource'; plugin: PluginInfo; profile: string; objects: ProfileObjects }
  | { kind: 'dsourceSnapshot'; plugin: PluginInfo; profile: string; snapshot: SnapshotInfo }
  | { kind: 'vdb'; plugin: PluginInfo; profile: string; vdb: VdbView }
  | { kind: 'vdbSnapshot'; plugin: PluginInfo; profile: string; vdb: string; snapshot: SnapshotInfo }
  | { kind: 'repository'; plugin: PluginInfo; profile: string; repository: Record<string, unknown>; sourceConfigs: Record<string, unknown>[] }
  | { kind: 'sourceConfig'; plugin: PluginInfo; profile: string; sourceConfig: Record<string, unknown> };

const STATUS_ICON: Record<string, string> = { running: 'vm-running', stopped: 'vm-outline', disabled: 'circle-slash', failed: 'error', unknown: 'question' };

function describe(value: Record<string, unknown>): string {
  const name = value.name ?? Object.values(value)[0];
  return typeof name === 'string' ? name : JSON.stringify(value);
}

export class ObjectsTree implements vscode.TreeDataProvider<ObjectNode> {
  private readonly changed = new vscode.EventEmitter<ObjectNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly plugins: () => Promise<PluginInfo[]>) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: ObjectNode): Promise<ObjectNode[]> {
    if (!node) {
      const plugins = await this.plugins();
      if (plugins.length === 1) return this.groups(plugins[0]);
      return plugins.map((plugin) => ({ kind: 'plugin', plugin }));
    }
    switch (node.kind) {
      case 'plugin':
        return this.groups(node.plugin);
      case 'group':
        if (node.group === 'dsources') return node.objects.map((o) => ({ kind: 'dsource', plugin: node.plugin, profile: o.profile, objects: o }));
        if (node.group === 'vdbs') return node.objects.flatMap((o) => o.vdbs.map((vdb): ObjectNode => ({ kind: 'vdb', plugin: node.plugin, profile: o.profile, vdb })));
        return node.objects.flatMap((o) =>
          (o.discovery?.repositories ?? []).map((r): ObjectNode => ({ kind: 'repository', plugin: node.plugin, profile: o.profile, repository: r.repository, sourceConfigs: r.sourceConfigs })),
        );
      case 'dsource':
        return [...node.objects.dsource.snapshots].reverse().map((snapshot) => ({ kind: 'dsourceSnapshot', plugin: node.plugin, profile: node.profile, snapshot }));
      case 'vdb':
        return [...node.vdb.snapshots].reverse().map((snapshot) => ({ kind: 'vdbSnapshot', plugin: node.plugin, profile: node.profile, vdb: node.vdb.name, snapshot }));
      case 'repository':
        return node.sourceConfigs.map((sourceConfig) => ({ kind: 'sourceConfig', plugin: node.plugin, profile: node.profile, sourceConfig }));
      default:
        return [];
    }
  }

  private groups(plugin: PluginInfo): ObjectNode[] {
    const objects = allObjects(plugin.root);
    const out: ObjectNode[] = [
      { kind: 'group', plugin, group: 'dsources', objects },
      { kind: 'group', plugin, group: 'vdbs', objects },
    ];
    if (objects.some((o) => o.discovery)) out.push({ kind: 'group', plugin, group: 'discovered', objects });
    return out;
  }

  getTreeItem(node: ObjectNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const expanded = vscode.TreeItemCollapsibleState.Expanded;
    const none = vscode.TreeItemCollapsibleState.None;
    switch (node.kind) {
      case 'plugin': {
        const item = new vscode.TreeItem(node.plugin.name ?? path.basename(node.plugin.root), expanded);
        item.description = node.plugin.root;
        item.contextValue = 'delphix.plugin';
        return item;
      }
      case 'group': {
        const label = node.group === 'dsources' ? 'dSources' : node.group === 'vdbs' ? 'VDBs' : 'Discovered';
        const item = new vscode.TreeItem(label, expanded);
        item.contextValue = `delphix.group.${node.group}`;
        if (node.group === 'vdbs' && node.objects.every((o) => o.vdbs.length === 0)) item.description = 'none yet: provision one from a dSource snapshot';
        return item;
      }
      case 'dsource': {
        const d = node.objects.dsource;
        const item = new vscode.TreeItem(node.profile, d.snapshots.length ? collapsed : none);
        item.description = `${d.snapshots.length} snapshot${d.snapshots.length === 1 ? '' : 's'}${d.enabled === false ? ' · disabled' : ''}`;
        item.iconPath = new vscode.ThemeIcon('database');
        item.tooltip = `dSource of sync profile "${node.profile}"\n${node.objects.sandbox}`;
        item.contextValue = 'delphix.dsource';
        return item;
      }
      case 'dsourceSnapshot': {
        const item = new vscode.TreeItem(`Snapshot ${node.snapshot.id}`, none);
        item.description = String(node.snapshot.metadata?.created ?? '');
        item.iconPath = new vscode.ThemeIcon('device-camera');
        item.tooltip = `${node.snapshot.dir}\n${JSON.stringify(node.snapshot.metadata?.snapshotDefinition ?? {})}`;
        item.contextValue = 'delphix.dsourceSnapshot';
        return item;
      }
      case 'vdb': {
        const v = node.vdb;
        const item = new vscode.TreeItem(v.name, v.snapshots.length ? collapsed : none);
        const origin = v.origin.kind === 'empty' ? 'empty' : `${v.origin.kind === 'dsource' ? 'dSource' : 'VDB'} snapshot ${v.origin.snapshotId}`;
        item.description = `${v.status.toUpperCase()} · from ${origin}${v.remote ? ` · ${v.host}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(STATUS_ICON[v.status] ?? 'question');
        item.tooltip = [
          `VDB ${v.name} (profile ${node.profile}): ${v.status.toUpperCase()}`,
          `from ${origin}`,
          `data ${v.dataDir}${v.clone ? ` (${v.clone.mode})` : ''}`,
          v.sourceConfig ? `source config ${JSON.stringify(v.sourceConfig)}` : '',
          v.lastOperation && !v.lastOperation.ok ? `last ${v.lastOperation.workflow} failed: ${v.lastOperation.error ?? ''}` : '',
        ].filter(Boolean).join('\n');
        item.contextValue = `delphix.vdb.${v.status}`;
        return item;
      }
      case 'vdbSnapshot': {
        const item = new vscode.TreeItem(`Snapshot ${node.snapshot.id}`, none);
        item.description = String(node.snapshot.metadata?.created ?? '');
        item.iconPath = new vscode.ThemeIcon('device-camera');
        item.contextValue = 'delphix.vdbSnapshot';
        return item;
      }
      case 'repository': {
        const item = new vscode.TreeItem(describe(node.repository), node.sourceConfigs.length ? collapsed : none);
        item.description = 'repository';
        item.tooltip = JSON.stringify(node.repository, null, 2);
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'delphix.repository';
        return item;
      }
      case 'sourceConfig': {
        const item = new vscode.TreeItem(describe(node.sourceConfig), none);
        item.description = 'source config';
        item.tooltip = JSON.stringify(node.sourceConfig, null, 2);
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = 'delphix.sourceConfig';
        return item;
      }
    }
  }
}
