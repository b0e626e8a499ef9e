// The one home of the local engine's objects and their state. Per sync profile (one profile is one
// environment set and one dSource), under the profile's sandbox `<plugin>/.delphix/sandbox/<profile>/`:
//
//   objects.json            the VDBs (status, parameters, the snapshot each came from, the source
//                           config configure returned, mounts) and the last discovery's results
//   snapshots/<n>/          the dSource's snapshots (sandbox.ts; the folder is the truth)
//   state.json              the dSource's staging state between runs (the runner's: mounts, enabled)
//   vdbs/<name>/data/       a VDB's storage on this machine (a clone of a snapshot)
//   vdbs/<name>/snapshots/<n>/  the VDB's snapshots, laid out as the dSource's
//
// objects.json is written only by the orchestrator, under the profile's run lock, by an atomic rename.

import * as fs from 'fs';
import * as path from 'path';
import { listProfiles } from '../sync/profile';
import { listSnapshots, sandboxLayout, type SandboxLayout, type SnapshotInfo } from '../sync/sandbox';
import type { VdbStatus, WorkflowName } from './workflows';

export interface VdbMountRecord {
  requested: string;
  path: string;
  environment: string;
  sharedPath?: string | null;
}

export interface VdbRecord {
  name: string;
  guid: string;
  /** The environment (by reference) the VDB lives on, and how it was described when provisioned. */
  environment: string;
  host: string;
  remote: boolean;
  parameters: Record<string, unknown>;
  status: VdbStatus;
  /** The snapshot the VDB's data came from. */
  origin: { kind: 'dsource'; snapshotId: number } | { kind: 'vdb'; snapshotId: number } | { kind: 'empty' };
  /** The snapshot definition of that snapshot (what configure and reconfigure receive as `snapshot`). */
  snapshotDefinition?: unknown;
  /** What configure, reconfigure or initialize returned (checked against sourceConfigDefinition). */
  sourceConfig?: Record<string, unknown>;
  /** The VDB's storage: a folder on this machine, or on the ssh host. */
  dataDir: string;
  mounts: VdbMountRecord[];
  clone?: { mode: string; description: string };
  /** The last status virtual.status() gave. */
  pluginStatus?: string;
  created: string;
  updated: string;
  lastOperation?: { workflow: WorkflowName; ok: boolean; at: string; error?: string };
  /** A workflow that started and has not been committed: set before the runner starts, cleared after. */
  inProgress?: { workflow: WorkflowName; since: string; pid: number };
}

export interface DiscoveryRecord {
  environment: string;
  host: string;
  at: string;
  repositories: { repository: Record<string, unknown>; sourceConfigs: Record<string, unknown>[] }[];
}

export interface ObjectsFile {
  version: 1;
  vdbs: Record<string, VdbRecord>;
  discovery?: DiscoveryRecord;
}

export interface VdbView extends VdbRecord {
  snapshots: SnapshotInfo[];
}

/** Everything one profile holds, as `objects` and the tree view show it. */
export interface ProfileObjects {
  profile: string;
  sandbox: string;
  dsource: { snapshots: SnapshotInfo[]; enabled?: boolean };
  discovery?: DiscoveryRecord;
  vdbs: VdbView[];
}

export function objectsFile(layout: SandboxLayout): string {
  return path.join(layout.root, 'objects.json');
}

export function vdbDir(layout: SandboxLayout, name: string): string {
  return path.join(layout.root, 'vdbs', name);
}

export function vdbSnapshotsDir(layout: SandboxLayout, name: string): string {
  return path.join(vdbDir(layout, name), 'snapshots');
}

/** The layout sandbox.ts functions expect, for a VDB's snapshots folder. */
export function vdbSnapshotLayout(layout: SandboxLayout, name: string): SandboxLayout {
  return { ...layout, snapshots: vdbSnapshotsDir(layout, name) };
}

/** A VDB name is a plain name: it also names its folders. */
export function vdbNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    return `"${name}" is not a usable VDB name: use up to 64 letters, digits, ".", "_" and "-", starting with a letter or digit.`;
  }
  return undefined;
}

export function loadObjects(layout: SandboxLayout): ObjectsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(objectsFile(layout), 'utf8')) as Partial<ObjectsFile>;
    if (parsed && typeof parsed === 'object' && parsed.vdbs && typeof parsed.vdbs === 'object') {
      return { version: 1, vdbs: parsed.vdbs, discovery: parsed.discovery };
    }
  } catch {
    // None yet, or unreadable: the engine starts empty (snapshots are on disk regardless).
  }
  return { version: 1, vdbs: {} };
}

/** Writes objects.json whole or not at all (a crash leaves the previous version). */
export function saveObjects(layout: SandboxLayout, objects: ObjectsFile): void {
  const file = objectsFile(layout);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(objects, null, 2));
  fs.renameSync(tmp, file);
}

export function profileObjects(pluginRoot: string, profile: string): ProfileObjects {
  const layout = sandboxLayout(pluginRoot, profile);
  const objects = loadObjects(layout);
  let enabled: boolean | undefined;
  try {
    const state = JSON.parse(fs.readFileSync(layout.stateFile, 'utf8')) as { enabled?: boolean };
    enabled = typeof state.enabled === 'boolean' ? state.enabled : undefined;
  } catch {
    enabled = undefined;
  }
  return {
    profile,
    sandbox: layout.root,
    dsource: { snapshots: listSnapshots(layout), enabled },
    discovery: objects.discovery,
    vdbs: Object.values(objects.vdbs)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((v) => ({ ...v, snapshots: listSnapshots(vdbSnapshotLayout(layout, v.name)) })),
  };
}

/** The objects of every profile of a plugin. */
export function allObjects(pluginRoot: string): ProfileObjects[] {
  return listProfiles(pluginRoot).map((p) => profileObjects(pluginRoot, p));
}

/** A short text of all objects, for `objects` and the output channel. */
export function formatObjects(all: ProfileObjects[]): string {
  const out: string[] = [];
  if (all.length === 0) out.push('No sync profiles: create .delphix/sync/<name>.json first.');
  for (const p of all) {
    out.push(`Profile "${p.profile}" (${p.sandbox})`);
    const d = p.dsource;
    out.push(`  dSource${d.enabled === undefined ? '' : d.enabled ? ' (enabled)' : ' (disabled)'}: ${d.snapshots.length === 0 ? 'no snapshots yet' : `${d.snapshots.length} snapshot(s)`}`);
    for (const s of d.snapshots) out.push(`    snapshot ${s.id}  ${String(s.metadata?.created ?? '')}`);
    if (p.discovery) {
      out.push(`  Discovered on ${p.discovery.host} at ${p.discovery.at}:`);
      for (const r of p.discovery.repositories) {
        out.push(`    repository ${JSON.stringify(r.repository)}`);
        for (const c of r.sourceConfigs) out.push(`      source config ${JSON.stringify(c)}`);
      }
    }
    if (p.vdbs.length === 0) out.push('  VDBs: none');
    for (const v of p.vdbs) {
      const origin = v.origin.kind === 'empty' ? 'empty' : v.origin.kind === 'dsource' ? `dSource snapshot ${v.origin.snapshotId}` : `VDB snapshot ${v.origin.snapshotId}`;
      out.push(`  VDB ${v.name}: ${v.status.toUpperCase()}, from ${origin}, on ${v.host}, data ${v.dataDir}`);
      for (const s of v.snapshots) out.push(`    snapshot ${s.id}  ${String(s.metadata?.created ?? '')}`);
      if (v.lastOperation && !v.lastOperation.ok) out.push(`    last ${v.lastOperation.workflow} failed: ${v.lastOperation.error ?? ''}`);
    }
  }
  return out.join('\n');
}
