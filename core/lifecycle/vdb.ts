// VDB workflows around the runner: which VDB and which snapshot a run acts on (checked before anything
// runs), the VDB's part of the request, and afterwards the VDB's state as the engine would show it.
// Failure keeps state true: a VDB whose configure failed is FAILED (not running), a failed stop leaves
// it running, a VDB snapshot is committed only when post_snapshot's definition matches the schema, and
// a failed delete keeps the VDB and its data.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { SyncTarget } from '../sync/preflight';
import type { SnapshotStats, SyncReport } from '../sync/report';
import type { RunState } from '../sync/runnerProcess';
import { commitSnapshot, discardPendingSnapshots, ensureRealFolder, sandboxBase, latestSnapshot, listSnapshots, nextSnapshotId, pendingSnapshotDir, type SnapshotInfo } from '../sync/sandbox';
import { checkDefinition } from './definitions';
import {
  loadObjects,
  saveObjects,
  vdbDir,
  vdbNameProblem,
  vdbSnapshotLayout,
  type VdbMountRecord,
  type VdbRecord,
} from './objects';
import { isOperation, stepName, type Workflow } from './workflows';

export interface VdbOptions {
  /** The VDB a workflow acts on, or the name a new one gets. */
  vdb?: string;
  /** The snapshot to provision or refresh from (dSource), or to roll back to (VDB). Default: the latest. */
  snapshot?: number;
}

export interface VdbPlan {
  name: string;
  creating: boolean;
  record: VdbRecord;
  request: Record<string, unknown>;
  /** The snapshot a VDB snapshot run would create. */
  snapshot?: { id: string; pendingDir: string; previousDir: string | null };
  snapshotId?: number;
  /** Where the VDB's data comes from when the run clones, and that snapshot's definition. */
  origin?: VdbRecord['origin'];
  snapshotDefinition?: unknown;
}

const TARGET_REFERENCE = 'UNIX_HOST_ENVIRONMENT-3';
const STAGING_REFERENCE = 'UNIX_HOST_ENVIRONMENT-1';

/** Checks the VDB and the snapshot a run needs and builds its plan; undefined (reasons in `report`) when it cannot run. */
export function prepareVdb(spec: Workflow, target: SyncTarget, options: { vdb?: string; snapshot?: number }, report: SyncReport): VdbPlan | undefined {
  const fail = (message: string, action = '') => {
    report.error = { kind: 'SimulatorError', step: spec.title, message, action, output: '' };
    return undefined;
  };
  const layout = target.layout;
  const objects = loadObjects(layout);
  const creating = spec.name === 'provision' || spec.name === 'create-empty';
  const known = Object.keys(objects.vdbs).sort();
  let name = options.vdb;
  if (creating && !name) {
    let n = 1;
    while (objects.vdbs[`vdb${n}`] || fs.existsSync(vdbDir(layout, `vdb${n}`))) n++;
    name = `vdb${n}`;
  }
  if (!name) return fail('Name the VDB.', known.length ? `VDBs of profile "${target.profileName}": ${known.join(', ')}.` : '');
  const problem = vdbNameProblem(name);
  if (problem) return fail(problem);
  report.objectName = name;
  const existing = objects.vdbs[name];
  if (creating && existing) return fail(`A VDB named "${name}" already exists in profile "${target.profileName}".`, 'Give another name (--name) or delete that VDB first.');
  if (!creating && !existing) {
    return fail(
      `There is no VDB "${name}" in profile "${target.profileName}".`,
      known.length ? `VDBs of this profile: ${known.join(', ')}.` : 'Provision one first (provision).',
    );
  }
  const profile = target.profile;
  if (creating && !profile.virtualSource) {
    return fail(
      `The profile "${target.profileName}" has no "virtualSource": the parameters a VDB is provisioned with (virtualSourceDefinition of schema.json).`,
      `Add "virtualSource": { ... } to ${target.profileFile}.`,
    );
  }
  if (existing?.inProgress) {
    // The run that set this died before it could say how it ended (we hold the lock now): what the VDB
    // holds is not known, so it is shown as such and the workflow goes on.
    report.notes.push(`The ${existing.inProgress.workflow} of VDB "${name}" started at ${existing.inProgress.since} (process ${existing.inProgress.pid}) never finished; its state was unknown until this run.`);
    existing.status = 'unknown';
    existing.lastOperation = { workflow: existing.inProgress.workflow, ok: false, at: existing.inProgress.since, error: 'interrupted (the process running it ended)' };
    delete existing.inProgress;
    saveObjects(layout, objects);
  }
  if (existing && blockedBy(spec, existing)) return fail(blockedBy(spec, existing)!);

  const reference = existing?.environment ?? (profile.environments.target ? TARGET_REFERENCE : STAGING_REFERENCE);
  const environment = reference === TARGET_REFERENCE ? profile.environments.target : profile.environments.staging;
  if (!environment) return fail(`VDB "${name}" lives on the profile's target environment, which the profile no longer has.`, `Put "target" back into the environments of ${target.profileFile}.`);
  const remote = environment.type === 'ssh';
  const dataDir = existing?.dataDir ?? (environment.type === 'ssh'
    ? `${(environment.scratchPath ?? '/tmp/dpstudio-scratch').replace(/\/+$/, '')}/dpstudio-vdbs/${target.profileName}/${name}/data`
    : path.join(vdbDir(layout, name), 'data'));

  // The engine works only on storage it made (a hand-edited record cannot point it elsewhere).
  if (remote ? !dataDir.includes('/dpstudio-vdbs/') || dataDir.split('/').includes('..') : !path.resolve(dataDir).startsWith(path.join(layout.root, 'vdbs') + path.sep)) {
    return fail(`The VDB's data folder ${dataDir} is ${remote ? 'not one the simulator made (under <scratchPath>/dpstudio-vdbs/)' : `outside the sandbox ${layout.root}`}; it was not touched.`, `Fix "dataDir" of VDB "${name}" in ${path.join(layout.root, 'objects.json')}, or remove the VDB from it.`);
  }

  const plan: VdbPlan = {
    name,
    creating,
    record: existing ?? {
      name,
      guid: guid(`${target.pluginRoot}\0${target.profileName}\0${name}\0${Date.now()}`),
      environment: reference,
      host: environment.type === 'ssh' ? `${environment.user ? `${environment.user}@` : ''}${environment.host}${environment.port ? `:${environment.port}` : ''}` : 'local',
      remote,
      parameters: profile.virtualSource ?? {},
      status: 'unknown',
      origin: { kind: 'empty' },
      dataDir,
      mounts: [],
      created: new Date().toISOString(),
      updated: new Date().toISOString(),
    },
    request: {},
  };

  let cloneFrom: string | undefined;
  let cloneStats: unknown;
  if (spec.name === 'provision' || spec.name === 'refresh') {
    const snapshots = listSnapshots(layout);
    const chosen = pick(snapshots, options.snapshot);
    if (!chosen) {
      return snapshots.length === 0
        ? fail(`The dSource of profile "${target.profileName}" has no snapshot yet: there is nothing to ${spec.title} from.`, 'Run a sync first.')
        : fail(`The dSource has no snapshot ${options.snapshot}.`, `Its snapshots: ${snapshots.map((s) => s.id).join(', ')}.`);
    }
    cloneFrom = dataRoot(chosen);
    cloneStats = chosen.metadata?.stats;
    plan.origin = { kind: 'dsource', snapshotId: chosen.id };
    plan.snapshotDefinition = chosen.metadata?.snapshotDefinition ?? {};
    report.notes.push(`${spec.name === 'provision' ? 'Provisioning' : 'Refreshing'} from dSource snapshot ${chosen.id} (${chosen.dir}).`);
  } else if (spec.name === 'rollback') {
    const snapshots = listSnapshots(vdbSnapshotLayout(layout, name));
    const chosen = pick(snapshots, options.snapshot);
    if (!chosen) {
      return snapshots.length === 0
        ? fail(`VDB "${name}" has no snapshot to roll back to.`, `Take one first (vdb snapshot ${name}).`)
        : fail(`VDB "${name}" has no snapshot ${options.snapshot}.`, `Its snapshots: ${snapshots.map((s) => s.id).join(', ')}.`);
    }
    cloneFrom = dataRoot(chosen);
    cloneStats = chosen.metadata?.stats;
    plan.origin = { kind: 'vdb', snapshotId: chosen.id };
    plan.snapshotDefinition = chosen.metadata?.snapshotDefinition ?? {};
    report.notes.push(`Rolling back to VDB snapshot ${chosen.id} (${chosen.dir}).`);
  } else if (spec.name === 'create-empty') {
    plan.origin = { kind: 'empty' };
    plan.snapshotDefinition = {};
  }
  if (spec.name === 'snapshot') {
    const snapLayout = vdbSnapshotLayout(layout, name);
    fs.mkdirSync(snapLayout.snapshots, { recursive: true });
    for (const removed of discardPendingSnapshots(snapLayout)) report.notes.push(`Removed ${removed}, left half-written by an earlier run.`);
    const id = nextSnapshotId(snapLayout);
    const previous = latestSnapshot(snapLayout);
    plan.snapshotId = id;
    plan.snapshot = { id: String(id), pendingDir: pendingSnapshotDir(snapLayout, id), previousDir: previous?.dir ?? null };
  }
  if (!remote) {
    // A link shipped in place of vdbs/ or vdbs/<name> is refused (SandboxPathError), never followed.
    ensureRealFolder(sandboxBase(layout), vdbDir(layout, name));
    reclaim(vdbDir(layout, name));
  }

  const record = plan.record;
  plan.request = {
    name,
    guid: record.guid,
    environment: reference,
    parameters: record.parameters,
    sourceConfig: record.sourceConfig ?? null,
    snapshotDefinition: plan.snapshotDefinition ?? record.snapshotDefinition ?? {},
    dataDir,
    cloneFrom,
    // The snapshot already counted its files: the clone's report needs no second walk of the tree.
    cloneStats,
    mounts: record.mounts,
  };
  return plan;
}

/**
 * Marks the VDB as being worked on, right before the runner starts: a run whose process dies leaves the
 * mark, and the next run shows the VDB's state as unknown instead of what it was before.
 */
export function markInProgress(spec: Workflow, plan: VdbPlan, target: SyncTarget): void {
  if (plan.creating) return;
  setInProgress(target, plan.name, { workflow: spec.name, since: new Date().toISOString(), pid: process.pid });
}

/** A prepared run that will not start after all (a debug session that could not begin). */
export function abandonVdbRun(plan: VdbPlan, target: SyncTarget): void {
  if (!plan.creating) setInProgress(target, plan.name, undefined);
}

function setInProgress(target: SyncTarget, name: string, value: VdbRecord['inProgress']): void {
  const objects = loadObjects(target.layout);
  const record = objects.vdbs[name];
  if (!record) return;
  if (value) record.inProgress = value;
  else delete record.inProgress;
  saveObjects(target.layout, objects);
}

/**
 * Frees the VDB's old data that a clone moved aside (`.trash-*` beside its data), in the background: the
 * VDB is usable already, and a run that was killed before this leaves it for the next run to free.
 */
function reclaim(dir: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith('.trash-'));
  } catch {
    return;
  }
  for (const n of names) fs.rm(path.join(dir, n), { recursive: true, force: true, maxRetries: 2 }, () => undefined);
}

/** Why the engine would refuse this workflow on the VDB as it is. */
function blockedBy(spec: Workflow, vdb: VdbRecord): string | undefined {
  const needsEnabled = ['start', 'stop', 'snapshot', 'refresh', 'rollback'];
  if (vdb.status === 'disabled' && needsEnabled.includes(spec.name)) return `VDB "${vdb.name}" is disabled: enable it first (vdb enable ${vdb.name}).`;
  if (vdb.status === 'failed' && ['start', 'stop', 'snapshot', 'vdb-enable', 'vdb-disable'].includes(spec.name)) {
    return `VDB "${vdb.name}" failed its last ${vdb.lastOperation?.workflow ?? 'operation'} and holds no usable database: refresh it, roll it back or delete it.`;
  }
  return undefined;
}

function pick(snapshots: SnapshotInfo[], id: number | undefined): SnapshotInfo | undefined {
  return id === undefined ? snapshots[snapshots.length - 1] : snapshots.find((s) => s.id === id);
}

/** A snapshot's data: the one mount's folder when it has one mount, else all of them. */
function dataRoot(snapshot: SnapshotInfo): string {
  const data = path.join(snapshot.dir, 'data');
  try {
    const entries = fs.readdirSync(data, { withFileTypes: true });
    if (entries.length === 1 && entries[0].isDirectory()) return path.join(data, entries[0].name);
  } catch {
    // An empty snapshot: cloned as an empty folder.
  }
  return data;
}

function guid(seed: string): string {
  const h = crypto.createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** After the runner: check what the plugin returned, commit a VDB snapshot, and keep the VDB's state true. */
export function completeVdb(spec: Workflow, plan: VdbPlan, target: SyncTarget, report: SyncReport, state: RunState, succeeded: boolean): void {
  let ok = succeeded;
  const facts = state.facts;
  const layout = target.layout;

  let sourceConfig: Record<string, unknown> | undefined;
  if (facts.sourceConfig !== undefined) {
    const returning = spec.steps.find((s) => isOperation(s) && s.returns === 'sourceConfigDefinition');
    const op = returning ? stepName(returning) : 'the operation';
    const invalid = checkDefinition(target.schema, 'sourceConfigDefinition', facts.sourceConfig, 'the source config');
    report.steps.push({ name: 'check source config', kind: 'step', status: invalid ? 'failed' : 'ok' });
    if (invalid) {
      ok = false;
      report.error ??= {
        kind: 'SourceConfigMismatch',
        step: op,
        message: `The source config ${op} returned does not match sourceConfigDefinition of schema.json: ${invalid}`,
        action: 'Return a SourceConfigDefinition whose values satisfy sourceConfigDefinition in schema.json.',
        output: JSON.stringify(facts.sourceConfig, null, 2),
      };
    } else sourceConfig = facts.sourceConfig as Record<string, unknown>;
  }

  if (spec.name === 'snapshot' && plan.snapshotId !== undefined) {
    const snapLayout = vdbSnapshotLayout(layout, plan.name);
    const pending = pendingSnapshotDir(snapLayout, plan.snapshotId);
    if (ok && state.pending?.id === plan.snapshotId) {
      const definition = state.pending.metadata.snapshotDefinition;
      const invalid = checkDefinition(target.schema, 'snapshotDefinition', definition, 'the snapshot');
      if (invalid) {
        ok = false;
        report.error ??= {
          kind: 'SnapshotDefinitionMismatch',
          step: 'virtual.post_snapshot()',
          message: `The snapshot definition virtual.post_snapshot() returned does not match snapshotDefinition of schema.json: ${invalid}`,
          action: 'Return a SnapshotDefinition whose values satisfy snapshotDefinition in schema.json.',
          output: JSON.stringify(definition, null, 2),
        };
      } else {
        const dir = commitSnapshot(snapLayout, plan.snapshotId);
        report.snapshot = { id: plan.snapshotId, path: dir, metadataFile: path.join(dir, 'snapshot.json'), stats: (state.pending.metadata.stats ?? {}) as SnapshotStats, definition };
      }
    } else if (ok) {
      ok = false;
      report.error ??= { kind: 'SimulatorError', step: 'snapshot', message: 'The runner finished without handing over a snapshot.', action: '', output: '' };
    }
    if (!ok) fs.rmSync(pending, { recursive: true, force: true });
  }
  report.ok = ok;

  const objects = loadObjects(layout);
  const now = new Date().toISOString();
  let record: VdbRecord | undefined = objects.vdbs[plan.name] ?? (plan.creating ? { ...plan.record } : undefined);
  if (!record) return;
  if (plan.creating && !ok && !facts.cloned) {
    // Nothing was created: there is no VDB to show (its folder goes too).
    if (!record.remote) fs.rmSync(vdbDir(layout, plan.name), { recursive: true, force: true });
    report.notes.push(`No VDB was created: ${spec.title} failed before its storage existed.`);
    return;
  }
  delete record.inProgress;
  if (Array.isArray(facts.mounts)) record.mounts = facts.mounts as VdbMountRecord[];
  if (facts.cloned && plan.origin) {
    const clone = facts.cloned as { mode: string; description: string; trash?: string };
    if (clone.trash) reclaim(path.dirname(clone.trash));
    record.clone = { mode: clone.mode, description: clone.description };
    record.origin = plan.origin;
    record.snapshotDefinition = plan.snapshotDefinition;
  }
  if (sourceConfig) record.sourceConfig = sourceConfig;
  if (typeof facts.pluginStatus === 'string') record.pluginStatus = facts.pluginStatus;
  record.status = nextStatus(spec, record, facts, ok);
  record.updated = now;
  record.lastOperation = { workflow: spec.name, ok, at: now, ...(ok ? {} : { error: report.error?.message ?? 'failed' }) };

  if (spec.name === 'delete' && ok) {
    delete objects.vdbs[plan.name];
    saveObjects(layout, objects);
    fs.rmSync(vdbDir(layout, plan.name), { recursive: true, force: true });
    report.notes.push(`VDB "${plan.name}" and its snapshots were deleted.`);
    return;
  }
  objects.vdbs[plan.name] = record;
  saveObjects(layout, objects);
  report.vdb = { ...record, snapshots: listSnapshots(vdbSnapshotLayout(layout, plan.name)) };
  if (spec.name === 'vdb-status') report.status = record.pluginStatus ?? record.status.toUpperCase();
  if (!ok && record.status === 'failed') report.notes.push(`VDB "${plan.name}" is FAILED: it is not running. Refresh it, roll it back or delete it.`);
}

function nextStatus(spec: Workflow, vdb: VdbRecord, facts: Record<string, unknown>, ok: boolean): VdbRecord['status'] {
  if (ok) {
    if (spec.name === 'vdb-status') {
      if (vdb.status === 'disabled') return 'disabled';
      return facts.pluginStatus === 'ACTIVE' ? 'running' : facts.pluginStatus === 'INACTIVE' ? 'stopped' : vdb.status;
    }
    return spec.statusAfter ?? vdb.status;
  }
  switch (spec.name) {
    case 'provision':
    case 'create-empty':
    case 'refresh':
    case 'rollback':
      return facts.cloned || facts.unconfigured ? 'failed' : vdb.status;
    case 'start':
      return 'stopped';
    case 'delete':
      return facts.unconfigured ? 'stopped' : vdb.status;
    default:
      return vdb.status;
  }
}
