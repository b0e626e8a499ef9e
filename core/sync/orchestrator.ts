// Runs one workflow of the local engine (core/lifecycle/workflows.ts: sync, resync, discovery,
// provision and every VDB workflow): pre-flight, the profile's run lock, generated definitions into the
// sandbox, the request (the workflow's steps as data, the profile's values, the object's record), the
// runner as a child process (runnerProcess.ts), then what the run produced is checked against the
// plugin's schema and committed: a dSource snapshot is renamed into place only when the whole sync
// succeeded and its definition matches snapshotDefinition (otherwise it is removed and the previous one
// stays as it was); objects' state is kept by the workflow's own module (core/lifecycle/).

import * as fs from 'fs';
import * as path from 'path';
import { writeGeneratedDefinitions } from '../codegen';
import { preflight, type PreflightOptions, type SyncTarget } from './preflight';
import { emptyReport, type RunError, type SyncMode, type SyncReport, type SyncWorkflow } from './report';
import { acquireRunLock, describeHeldLock, type RunLock } from './runLock';
import {
  createSandbox,
  discardLeftRequests,
  discardPendingSnapshots,
  SandboxPathError,
  latestSnapshot,
  nextSnapshotId,
  pendingSnapshotDir,
} from './sandbox';
import { environmentSpec, linkedSourceGuid, snapshotParameters } from './runRequest';
import { newRunState, simulatorError, spawnRunner, applyEvent, type RunState, type SyncEvent } from './runnerProcess';
import { WORKFLOWS, stepsFor } from '../lifecycle/workflows';
import { prepareVdb, completeVdb, markInProgress, type VdbOptions, type VdbPlan } from '../lifecycle/vdb';
import { completeDiscovery } from '../lifecycle/discovery';
import { completeDsourceSync } from '../lifecycle/dsource';

export { type SyncEvent } from './runnerProcess';
export const RUNNER_FILE = 'dpstudio_sync_runner.py';

export interface RunOptions extends PreflightOptions, VdbOptions {
  workflow?: SyncWorkflow;
  mode?: SyncMode;
  /** Arguments put before the runner script, e.g. `-m debugpy --listen 127.0.0.1:5678 --wait-for-client`. */
  pythonArgsPrefix?: string[];
  signal?: AbortSignal;
  /** Longest time one operation or step may take (default: the profile's, else 10 minutes). */
  operationTimeoutMs?: number;
  /** Longest time the whole run may take (default: the profile's, else 1 hour). */
  totalTimeoutMs?: number;
  /** How much of the plugin's stdout and of its stderr is kept (default 1 MiB each). */
  outputCapBytes?: number;
  /** Every runner event as it arrives, plus `preflight`, `output` and `report` from the orchestrator. */
  onEvent?: (event: SyncEvent) => void;
  /** The folder holding the runner and the simulated SDK (default: found next to this module). */
  runtimeDir?: string;
  /** What starts the run, shown to a run that finds the profile busy (default: this process's command line). */
  requester?: string;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_TOTAL_TIMEOUT_MS = 60 * 60 * 1000;

/** The runtime folder shipped with the extension: searched upward from this module (out/ or dist/). */
export function findRuntimeDir(start: string = __dirname): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'runtime', RUNNER_FILE))) return path.join(dir, 'runtime');
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A run that is ready to start: pre-flight passed, definitions generated, request written. */
export interface PreparedRun {
  target: SyncTarget;
  runtimeDir: string;
  runnerFile: string;
  requestFile: string;
  runId: string;
  logFile: string;
  reportFile: string;
  /** The snapshot this sync would create, and the one before it. */
  snapshotId?: number;
  previousSnapshot?: { id: number; path: string };
  /** The VDB a VDB workflow acts on, and what it will do. */
  vdb?: VdbPlan;
  operationTimeoutMs: number;
  totalTimeoutMs: number;
  /** Lets the next run of this profile start; called when this one is complete. */
  releaseLock(): void;
  /** Records the runner's pid beside the lock, so a run that takes over after we died can end it. */
  attachRunner?(pid: number): void;
}

/** Runs a workflow and returns its report. Never throws: every failure is in the report. */
export async function runSync(options: RunOptions): Promise<SyncReport> {
  const started = Date.now();
  const report = emptyReport({
    workflow: options.workflow ?? 'sync',
    mode: options.mode ?? 'sync',
    profile: options.profile ?? '',
    pluginRoot: path.resolve(options.pluginRoot),
  });
  try {
    const prepared = await prepareRun(options, report);
    if (!prepared) return finishReport(report, started, options);
    try {
      await execute(prepared, options, report);
    } finally {
      // The request holds the profile's values (credentials too); it is not kept after the run.
      fs.rmSync(prepared.requestFile, { force: true });
      prepared.releaseLock();
    }
    return finishReport(report, started, options, prepared);
  } catch (e) {
    report.ok = false;
    report.error ??= internalError(e);
    return finishReport(report, started, options);
  }
}

/**
 * Everything before the runner starts: pre-flight, sandbox, generated definitions, snapshot ids and
 * the request file. Returns undefined (with the reasons in `report`) when the run cannot start.
 */
export async function prepareRun(options: RunOptions, report: SyncReport): Promise<PreparedRun | undefined> {
  const emit = options.onEvent ?? (() => undefined);
  const pre = await preflight(options);
  report.profile = pre.profileName;
  report.preflight = pre.checks;
  report.problems = pre.problems;
  emit({ type: 'preflight', ok: pre.ok, checks: pre.checks, problems: pre.problems });
  const target = pre.target;
  if (!pre.ok || !target) return undefined;
  report.sandbox = target.layout.root;

  const runtimeDir = options.runtimeDir ?? findRuntimeDir();
  if (!runtimeDir || !fs.existsSync(path.join(runtimeDir, RUNNER_FILE))) {
    report.error = simulatorError('start', `The simulator's runtime (${RUNNER_FILE}) was not found${runtimeDir ? ` in ${runtimeDir}` : ''}; the installation is incomplete.`);
    return undefined;
  }
  const workflow = report.workflow;
  const allowed = WORKFLOWS[workflow]?.pluginTypes;
  if (allowed && !allowed.includes(target.pluginType)) {
    report.error = simulatorError(workflow, `${workflow} applies to STAGED plugins only: a DIRECT dSource has no staging environment.`);
    return undefined;
  }

  const layout = target.layout;
  try {
    createSandbox(layout);
  } catch (e) {
    if (!(e instanceof SandboxPathError)) throw e;
    report.error = simulatorError('sandbox', e.message);
    return undefined;
  }
  let taken;
  try {
    taken = acquireRunLock(layout.run, options.requester ?? processCommand());
  } catch (e) {
    report.error = simulatorError('start', `Could not take the run lock in ${layout.run}: ${e instanceof Error ? e.message : String(e)}. Check that the folder is writable and the disk is not full.`);
    return undefined;
  }
  if ('held' in taken) {
    report.error = simulatorError('start', describeHeldLock(target.profileName, taken));
    return undefined;
  }
  const lock = taken.lock;
  try {
    return await prepareLocked(options, report, target, runtimeDir, lock);
  } catch (e) {
    lock.release();
    if (!(e instanceof SandboxPathError)) throw e;
    report.error = simulatorError('sandbox', e.message);
    return undefined;
  }
}

async function prepareLocked(
  options: RunOptions,
  report: SyncReport,
  target: SyncTarget,
  runtimeDir: string,
  lock: RunLock,
): Promise<PreparedRun | undefined> {
  const layout = target.layout;
  const workflow = report.workflow;
  for (const removed of discardPendingSnapshots(layout)) report.notes.push(`Removed ${removed}, left half-written by an earlier run.`);
  for (const removed of discardLeftRequests(layout)) report.notes.push(`Removed ${removed}, the request of an earlier run that was stopped.`);

  const profile = target.profile;
  const operationTimeoutMs = options.operationTimeoutMs ?? (profile.timeouts?.operationSeconds ?? 0) * 1000;
  const totalTimeoutMs = options.totalTimeoutMs ?? (profile.timeouts?.totalSeconds ?? 0) * 1000;
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${workflow}`;
  const prepared: PreparedRun = {
    target,
    runtimeDir,
    runnerFile: path.join(runtimeDir, RUNNER_FILE),
    requestFile: path.join(layout.run, `${runId}.request.json`),
    runId,
    logFile: path.join(layout.logs, `${runId}.jsonl`),
    reportFile: path.join(layout.logs, `${runId}.report.json`),
    operationTimeoutMs: operationTimeoutMs || DEFAULT_OPERATION_TIMEOUT_MS,
    totalTimeoutMs: totalTimeoutMs || DEFAULT_TOTAL_TIMEOUT_MS,
    releaseLock: () => lock.release(),
    attachRunner: (pid) => lock.attachRunner(pid),
  };
  report.logFile = prepared.logFile;

  const spec = WORKFLOWS[workflow];
  let vdb: VdbPlan | undefined;
  if (spec.object === 'vdb') {
    vdb = prepareVdb(spec, target, options, report);
    if (!vdb) {
      lock.release();
      return undefined;
    }
    prepared.vdb = vdb;
  }

  // A source folder on an ssh host is checked by the runner, which knows how to reach the host.
  if (profile.sourceFolder && profile.environments.source.type === 'ssh' && spec.object !== 'vdb') {
    const ok = await remotePreflight(prepared, options, report);
    if (!ok) {
      lock.release();
      return undefined;
    }
  }

  const generated = await writeGeneratedDefinitions(layout.codegen, target.schemaText);
  if (generated.written.length === 0) {
    report.error = simulatorError('generate definitions', `The generated definitions could not be written: ${(generated.problems ?? []).join(' ')}`);
    lock.release();
    return undefined;
  }
  for (const p of generated.problems ?? []) report.notes.push(`Codegen: ${p}`);

  let snapshot: Record<string, unknown> | undefined = vdb?.snapshot;
  if (workflow === 'sync') {
    const id = nextSnapshotId(layout);
    const previous = latestSnapshot(layout);
    prepared.snapshotId = id;
    if (previous) prepared.previousSnapshot = { id: previous.id, path: previous.dir };
    report.previousSnapshot = prepared.previousSnapshot;
    snapshot = { id: String(id), pendingDir: pendingSnapshotDir(layout, id), previousDir: previous?.dir ?? null };
  }
  const parameters = snapshotParameters(report.mode, target);
  if (parameters.note) report.notes.push(parameters.note);
  report.snapshotParameters = parameters.value;

  const environments: Record<string, unknown> = {
    staging: environmentSpec('staging', 1, profile.environments.staging, target),
    source: environmentSpec('source', 2, profile.environments.source, target),
  };
  if (profile.environments.target) environments.target = environmentSpec('target', 3, profile.environments.target, target);
  const request = {
    workflow,
    workflowTitle: spec.title,
    steps: stepsFor(spec, target.pluginType),
    pluginType: target.pluginType,
    profileName: target.profileName,
    srcDir: target.srcDir,
    entryPoint: target.entryPoint,
    generatedRoot: layout.codegen,
    sandbox: layout.root,
    mountsDir: layout.mounts,
    dsourceDir: layout.dsource,
    stateFile: layout.stateFile,
    snapshot,
    syncKind: report.mode,
    snapshotParameters: parameters.value,
    linkedSource: { guid: linkedSourceGuid(target), parameters: profile.linkedSource },
    repository: profile.repository,
    sourceConfig: profile.sourceConfig,
    environments,
    vdb: vdb?.request,
    discovery: spec.object === 'environment' ? { environment: 'UNIX_HOST_ENVIRONMENT-2' } : undefined,
  };
  fs.writeFileSync(prepared.requestFile, JSON.stringify(request, null, 2));
  if (vdb) markInProgress(spec, vdb, target);
  return prepared;
}

async function remotePreflight(prepared: PreparedRun, options: RunOptions, report: SyncReport): Promise<boolean> {
  const { target } = prepared;
  const requestFile = path.join(target.layout.run, `${prepared.runId}.preflight.json`);
  fs.writeFileSync(
    requestFile,
    JSON.stringify({
      workflow: 'preflight',
      sourceFolder: target.profile.sourceFolder,
      sandbox: target.layout.root,
      environments: { source: environmentSpec('source', 2, target.profile.environments.source, target) },
    }),
  );
  const scratch = emptyReport({ workflow: 'status', mode: 'sync', profile: report.profile, pluginRoot: report.pluginRoot });
  const state: RunState = newRunState();
  await spawnRunner({ ...prepared, requestFile, logFile: path.join(target.layout.logs, `${prepared.runId}.preflight.jsonl`) }, { ...options, onEvent: undefined }, scratch, state);
  fs.rmSync(requestFile, { force: true });
  const checks = (state.result?.checks as { ok: boolean; folder: string; host: string; detail: string }[] | undefined) ?? [];
  if (!state.result) {
    const why = scratch.error?.message ?? scratch.output.stderr.trim();
    report.preflight.push({ id: 'sourceFolder', ok: false, severity: 'error', message: `Could not check the source folder on the source host: ${why}` });
    return false;
  }
  for (const c of checks) {
    report.preflight.push(
      c.ok
        ? { id: 'sourceFolder', ok: true, severity: 'info', message: `Source folder ${c.folder} on ${c.host}` }
        : {
            id: 'sourceFolder',
            ok: false,
            severity: 'error',
            message: c.detail
              ? `Could not check the source folder ${c.folder} on ${c.host}: ${c.detail}`
              : `The source folder ${c.folder} does not exist on the source environment (${c.host}).`,
          },
    );
  }
  return checks.every((c) => c.ok);
}

/** Starts the runner, follows its events to the end, and commits or discards the snapshot. */
async function execute(prepared: PreparedRun, options: RunOptions, report: SyncReport): Promise<void> {
  const state: RunState = newRunState();
  await spawnRunner(prepared, options, report, state);
  completeRun(prepared, report, state);
}


/** After the runner: commit the snapshot when everything succeeded, else leave the previous one alone. */
function completeRun(prepared: PreparedRun, report: SyncReport, state: RunState): void {
  const { target } = prepared;
  if (state.droppedRecords > 0) report.notes.push(`${state.droppedRecords} more commands or log records were not kept in this report (see the event log).`);
  const succeeded = state.ended === true && !report.error && state.result !== undefined;
  const spec = WORKFLOWS[report.workflow];
  if (spec.object === 'vdb' && prepared.vdb) {
    completeVdb(spec, prepared.vdb, target, report, state, succeeded);
    return;
  }
  if (spec.object === 'environment') {
    completeDiscovery(target, report, state, succeeded);
    return;
  }
  if (report.workflow !== 'sync') {
    report.ok = succeeded;
    return;
  }
  completeDsourceSync(target, prepared.snapshotId, report, state, succeeded);
}

/** Stamps the duration, saves the report beside the event log and hands it to `onEvent`. */
export function finishReport(report: SyncReport, started: number, options: RunOptions, prepared?: PreparedRun): SyncReport {
  report.durationMs = Date.now() - started;
  if (prepared) {
    report.reportFile = prepared.reportFile;
    try {
      fs.writeFileSync(prepared.reportFile, JSON.stringify(report, null, 2));
    } catch {
      report.reportFile = undefined;
    }
  }
  options.onEvent?.({ type: 'report', report });
  return report;
}

/** This process's command line, for the lock's record of who holds it. */
function processCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : '';
  const name = script === 'cli.js' || script === 'main.js' ? 'delphix-plugin-studio' : script || path.basename(process.argv0);
  return [name, ...process.argv.slice(2)].join(' ');
}

function internalError(e: unknown): RunError {
  const message = e instanceof Error ? e.message : String(e);
  return {
    kind: 'InternalError',
    step: 'the run',
    message: `Plugin Studio failed while running the sync (internal error: ${message}). Please report it.`,
    action: '',
    output: e instanceof Error && e.stack ? e.stack : '',
  };
}

/** Reads an event log written by the runner (a debug run) and finishes the run from it. */
export function completeFromEventLog(prepared: PreparedRun, report: SyncReport, eventsFile: string): void {
  const state: RunState = newRunState();
  let text = '';
  try {
    text = fs.readFileSync(eventsFile, 'utf8');
  } catch {
    report.error = simulatorError('the run', `The debug run left no event log at ${eventsFile}: it did not start, or it was stopped before it began.`);
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      applyEvent(report, state, JSON.parse(line) as SyncEvent);
    } catch {
      report.notes.push(`A line of the event log is not an event: ${line.slice(0, 200)}`);
    }
  }
  if (!state.ended && !report.error) {
    report.error = {
      kind: 'RunnerExit',
      step: state.running ?? 'the run',
      message: 'The debug session ended before the run finished (stopped in the debugger?).',
      action: '',
      output: '',
    };
  }
  completeRun(prepared, report, state);
}

