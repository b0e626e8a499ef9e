// Runs a simulated sync (or enable, disable, status, worker) of a plugin: pre-flight, generated
// definitions into the sandbox, then `python3 runtime/dpstudio_sync_runner.py` as a child process
// (no shell; arguments as an array; profile values travel in a JSON request file, never on a command
// line). The runner reports on a dedicated pipe (fd 3), one JSON event per line; the plugin's own
// stdout/stderr is kept up to a cap. Cancellation and timeouts kill the runner's process group. A new
// snapshot is committed (renamed into place) only when the whole sync succeeded and the snapshot
// definition matches the plugin's schema; otherwise it is removed and the previous one stays as it was.

import { spawn, type ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedDefinitions } from '../codegen';
import { compiledFor, pluginAjv, type ProfileEnvironment } from './profile';
import { takeTimedOutPatterns } from '../boundedRegExp';
import { preflight, type PreflightOptions, type SyncTarget } from './preflight';
import {
  emptyReport,
  type CommandRecord,
  type RunError,
  type SnapshotStats,
  type SyncMode,
  type SyncReport,
  type SyncWorkflow,
} from './report';
import { acquireRunLock, describeHeldLock, type RunLock } from './runLock';
import {
  commitSnapshot,
  createSandbox,
  discardLeftRequests,
  discardPendingSnapshots,
  ensureRealFolder,
  SandboxPathError,
  sandboxBase,
  latestSnapshot,
  nextSnapshotId,
  pendingSnapshotDir,
} from './sandbox';

export const RUNNER_FILE = 'dpstudio_sync_runner.py';

export interface SyncEvent {
  type: string;
  [key: string]: unknown;
}

export interface RunOptions extends PreflightOptions {
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
const DEFAULT_OUTPUT_CAP = 1024 * 1024;
/** An event line longer than this is dropped (the runner caps its fields far below it). */
const MAX_EVENT_LINE = 4 * 1024 * 1024;
const MAX_RECORDS = 2000;
const KILL_GRACE_MS = 2000;

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
  operationTimeoutMs: number;
  totalTimeoutMs: number;
  /** Lets the next run of this profile start; called when this one is complete. */
  releaseLock(): void;
  /** Records the runner's pid beside the lock, so a run that takes over after we died can end it. */
  attachRunner?(pid: number): void;
}

/** What the run's event stream has told so far. */
interface RunState {
  running?: string;
  pending?: { id: number; dir: string; metadata: Record<string, unknown> };
  result?: Record<string, unknown>;
  ended?: boolean;
  droppedRecords: number;
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
  if (target.pluginType === 'DIRECT' && workflow !== 'sync') {
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

  // A source folder on an ssh host is checked by the runner, which knows how to reach the host.
  if (profile.sourceFolder && profile.environments.source.type === 'ssh') {
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

  let snapshot: Record<string, unknown> | undefined;
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

  const request = {
    workflow,
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
    environments: {
      staging: environmentSpec('staging', 1, profile.environments.staging, target),
      source: environmentSpec('source', 2, profile.environments.source, target),
    },
  };
  fs.writeFileSync(prepared.requestFile, JSON.stringify(request, null, 2));
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
  const state: RunState = { droppedRecords: 0 };
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
  const state: RunState = { droppedRecords: 0 };
  await spawnRunner(prepared, options, report, state);
  completeRun(prepared, report, state);
}

interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function spawnRunner(prepared: PreparedRun, options: RunOptions, report: SyncReport, state: RunState): Promise<SpawnResult> {
  const { target } = prepared;
  const emit = options.onEvent ?? (() => undefined);
  const cap = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP;
  const python = target.python.path ?? target.python.command;
  const args = [...(options.pythonArgsPrefix ?? []), prepared.runnerFile, '--request', prepared.requestFile, '--events-fd', '3'];
  const env = { ...(options.env ?? process.env), PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
  const log = fs.createWriteStream(prepared.logFile, { flags: 'a' });

  return new Promise<SpawnResult>((resolve) => {
    let child: ChildProcess;
    try {
      // Its own process group, so that a kill reaches every command the plugin started.
      child = spawn(python, args, { cwd: target.srcDir, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      report.error = simulatorError('start', `Could not start ${python}: ${e instanceof Error ? e.message : String(e)}`);
      log.end();
      resolve({ code: null, signal: null });
      return;
    }
    try {
      if (child.pid !== undefined) prepared.attachRunner?.(child.pid);
    } catch {
      // Best effort (a full disk): the runner's own watchdog still ends it if we die.
    }
    let stopping: 'cancelled' | 'timeout' | undefined;
    let opTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'cancelled' | 'timeout', step?: string, limitMs = 0) => {
      if (stopping) return;
      stopping = why;
      const running = step ?? state.running ?? 'the run';
      for (const s of report.steps) if (s.status === 'running') s.status = why;
      if (why === 'cancelled') {
        report.cancelled = true;
        report.error = { kind: 'Cancelled', step: running, message: 'The run was cancelled.', action: '', output: '' };
      } else {
        report.timedOut = true;
        report.error = {
          kind: 'Timeout',
          step: running,
          message: `${running} did not finish within ${formatSeconds(limitMs)}; the simulator stopped it.`,
          action: 'Find out why it hangs (a command waiting for input, an unreachable host without a timeout), or raise "timeouts" in the sync profile.',
          output: '',
        };
      }
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    };
    const totalTimer = setTimeout(() => stop('timeout', `the ${report.workflow} run`, prepared.totalTimeoutMs), prepared.totalTimeoutMs);
    const onAbort = () => stop('cancelled');
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const kept = report.output[stream];
      const room = Math.max(0, cap - Buffer.byteLength(kept));
      const text = chunk.toString('utf8');
      if (room >= chunk.length) report.output[stream] = kept + text;
      else {
        report.output[stream] = kept + chunk.subarray(0, room).toString('utf8');
        report.output[stream === 'stdout' ? 'stdoutCut' : 'stderrCut'] += chunk.length - room;
      }
      if (room > 0) emit({ type: 'output', stream, text: room >= chunk.length ? text : chunk.subarray(0, room).toString('utf8') });
    };
    child.stdout?.on('data', collect('stdout'));
    child.stderr?.on('data', collect('stderr'));

    const onEvent = (event: SyncEvent) => {
      applyEvent(report, state, event);
      if (event.type === 'step.start') {
        clearTimeout(opTimer);
        opTimer = setTimeout(() => stop('timeout', String(event.name), prepared.operationTimeoutMs), prepared.operationTimeoutMs);
      } else if (event.type === 'step.end') clearTimeout(opTimer);
      emit(event);
    };
    const eventsDone = readEventLines(child.stdio[3] as NodeJS.ReadableStream | null, (line) => {
      log.write(line + '\n');
      try {
        onEvent(JSON.parse(line) as SyncEvent);
      } catch {
        report.notes.push(`The runner wrote a line that is not an event: ${line.slice(0, 200)}`);
      }
    }, () => report.notes.push('An event longer than 4 MiB was dropped.'));

    let exited: SpawnResult | undefined;
    child.on('error', (e) => {
      report.error ??= simulatorError('start', `Could not start ${python}: ${e.message}`);
      exited ??= { code: null, signal: null };
      // A child that never started emits no 'close'.
      if (child.pid === undefined) {
        clearTimeout(totalTimer);
        options.signal?.removeEventListener('abort', onAbort);
        log.end();
        resolve(exited);
      }
    });
    child.on('close', async (code, signal) => {
      exited ??= { code, signal };
      await eventsDone;
      // A stopped run is over only when every process of its group is gone.
      if (stopping && child.pid !== undefined) await groupGone(child.pid, KILL_GRACE_MS + 3000);
      clearTimeout(totalTimer);
      clearTimeout(opTimer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      log.end();
      if (!state.ended && !report.error) {
        const tail = report.output.stderr.trim().split('\n').slice(-15).join('\n');
        report.error = {
          kind: 'RunnerExit',
          step: state.running ?? 'the run',
          message: `The simulator's runner stopped ${signal ? `on signal ${signal}` : `with exit code ${code}`} before the run finished.`,
          action: 'See the output below; if it points at the simulator, please report it.',
          output: tail,
        };
      }
      resolve(exited);
    });
  });
}

/** Calls `onLine` for each complete line of the stream; resolves at its end. */
function readEventLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void, onOversize: () => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    let buffered: Buffer[] = [];
    let size = 0;
    let skipping = false;
    stream.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
        if (!skipping) {
          buffered.push(chunk.subarray(start, i));
          const line = Buffer.concat(buffered).toString('utf8');
          if (line.trim()) onLine(line);
        }
        buffered = [];
        size = 0;
        skipping = false;
        start = i + 1;
      }
      if (start < chunk.length && !skipping) {
        buffered.push(chunk.subarray(start));
        size += chunk.length - start;
        if (size > MAX_EVENT_LINE) {
          buffered = [];
          size = 0;
          skipping = true;
          onOversize();
        }
      }
    });
    stream.on('end', () => resolve());
    stream.on('error', () => resolve());
    stream.on('close', () => resolve());
  });
}

async function groupGone(pgid: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) return;
    if (Date.now() > deadline - 3000) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Folds one runner event into the report. */
function applyEvent(report: SyncReport, state: RunState, event: SyncEvent): void {
  const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  switch (event.type) {
    case 'step.start':
      state.running = str(event.name);
      report.steps.push({ name: str(event.name), kind: event.kind === 'step' ? 'step' : 'operation', status: 'running' });
      break;
    case 'step.end': {
      const step = [...report.steps].reverse().find((s) => s.name === event.name && s.status === 'running');
      if (step) {
        step.status = event.ok ? 'ok' : 'failed';
        step.durationMs = typeof event.durationMs === 'number' ? event.durationMs : undefined;
      }
      state.running = undefined;
      break;
    }
    case 'command':
      if (report.commands.length >= MAX_RECORDS) {
        state.droppedRecords++;
        break;
      }
      report.commands.push({
        kind: str(event.kind),
        operation: event.operation ? str(event.operation) : undefined,
        environment: event.environment ? str(event.environment) : undefined,
        host: str(event.host),
        command: str(event.command),
        exitCode: typeof event.exitCode === 'number' ? event.exitCode : null,
        durationMs: typeof event.durationMs === 'number' ? event.durationMs : 0,
        stdout: str(event.stdout),
        stderr: str(event.stderr),
        stdoutCut: Number(event.stdoutCut ?? 0),
        stderrCut: Number(event.stderrCut ?? 0),
        rsyncStats: event.rsyncStats as CommandRecord['rsyncStats'],
      });
      break;
    case 'mount':
      report.mounts.push({ requested: str(event.requested), path: str(event.path), mapped: event.mapped === true, environment: str(event.environment) });
      break;
    case 'log':
      if (report.logs.length >= MAX_RECORDS) {
        state.droppedRecords++;
        break;
      }
      report.logs.push({ level: str(event.level), message: str(event.message), operation: event.operation ? str(event.operation) : undefined, source: event.source ? str(event.source) : undefined });
      break;
    case 'note':
      report.notes.push(str(event.message));
      break;
    case 'error':
      report.error = {
        kind: str(event.kind),
        step: str(event.step),
        message: str(event.message),
        action: str(event.action),
        output: str(event.output),
        actionGiven: event.actionGiven === true,
        outputGiven: event.outputGiven === true,
        traceback: str(event.traceback),
      };
      break;
    case 'snapshot.pending':
      state.pending = { id: Number(event.id), dir: str(event.pendingDir), metadata: (event.metadata ?? {}) as Record<string, unknown> };
      break;
    case 'result':
      state.result = event;
      if (typeof event.status === 'string') report.status = event.status;
      break;
    case 'run.end':
      state.ended = true;
      break;
  }
}

/** After the runner: commit the snapshot when everything succeeded, else leave the previous one alone. */
function completeRun(prepared: PreparedRun, report: SyncReport, state: RunState): void {
  const { target } = prepared;
  if (state.droppedRecords > 0) report.notes.push(`${state.droppedRecords} more commands or log records were not kept in this report (see the event log).`);
  const succeeded = state.ended === true && !report.error && state.result !== undefined;
  if (report.workflow !== 'sync') {
    report.ok = succeeded;
    return;
  }
  const id = prepared.snapshotId;
  const pending = id !== undefined ? pendingSnapshotDir(target.layout, id) : undefined;
  if (succeeded && state.pending && id !== undefined && state.pending.id === id) {
    const definition = state.pending.metadata.snapshotDefinition;
    const invalid = checkSnapshotDefinition(target.schema, definition);
    if (invalid) {
      report.error = {
        kind: 'SnapshotDefinitionMismatch',
        step: 'linked.post_snapshot()',
        message: `The snapshot definition linked.post_snapshot() returned does not match snapshotDefinition of schema.json: ${invalid}`,
        action: 'Return a SnapshotDefinition whose values satisfy snapshotDefinition in schema.json.',
        output: JSON.stringify(definition, null, 2),
      };
    } else {
      const dir = commitSnapshot(target.layout, id);
      report.snapshot = {
        id,
        path: dir,
        metadataFile: path.join(dir, 'snapshot.json'),
        stats: (state.pending.metadata.stats ?? {}) as SnapshotStats,
        definition,
      };
      report.ok = true;
      return;
    }
  } else if (succeeded) {
    report.error = simulatorError('snapshot', 'The runner finished without handing over a snapshot.');
  }
  report.ok = false;
  if (pending) fs.rmSync(pending, { recursive: true, force: true });
}

/**
 * Why `definition` does not satisfy the schema's snapshotDefinition, or undefined when it does. The
 * validator is the profile checks' one: bounded patterns, long enums in a loop, a capped cache.
 */
function checkSnapshotDefinition(schema: Record<string, unknown>, definition: unknown): string | undefined {
  const def = schema.snapshotDefinition;
  if (typeof def !== 'object' || def === null) return undefined;
  let validate;
  try {
    validate = compiledFor(pluginAjv(), JSON.parse(JSON.stringify(def)) as Record<string, unknown>);
  } catch {
    return undefined;
  }
  takeTimedOutPatterns();
  const valid = validate(definition);
  const slow = takeTimedOutPatterns();
  if (slow.length > 0) return undefined; // cannot be decided in bounded time; the schema analysis warns about the pattern
  if (valid) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || 'the snapshot'} ${e.message ?? 'is not valid'}`).join('; ');
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

function snapshotParameters(mode: SyncMode, target: SyncTarget): { value: Record<string, unknown> | null; note?: string } {
  if (mode === 'policy') return { value: null };
  const value: Record<string, unknown> = { ...(target.profile.snapshotParameters ?? {}) };
  const definition = target.schema.snapshotParametersDefinition as { properties?: Record<string, { type?: unknown }> } | undefined;
  if (definition?.properties?.resync?.type === 'boolean') value.resync = mode === 'resync';
  else if (mode === 'resync') {
    return { value, note: 'snapshotParametersDefinition has no boolean "resync" property, so the plugin cannot tell this resync from a sync: both run the same operations.' };
  }
  return { value };
}

/** A stable GUID for the simulated dSource of one plugin and profile. */
function linkedSourceGuid(target: SyncTarget): string {
  const h = crypto.createHash('sha1').update(`${target.pluginRoot}\0${target.profileName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function environmentSpec(name: 'staging' | 'source', index: number, env: ProfileEnvironment, target: SyncTarget): Record<string, unknown> {
  const common = {
    name,
    reference: `UNIX_HOST_ENVIRONMENT-${index}`,
    hostReference: `UNIX_HOST-${index}`,
    userReference: `HOST_USER-${index}`,
  };
  if (env.type === 'ssh') {
    return {
      ...common,
      type: 'ssh',
      host: env.host,
      port: env.port,
      user: env.user,
      identityFile: env.identityFile,
      knownHostsFile: env.knownHostsFile,
      strictHostKeyChecking: env.strictHostKeyChecking ?? 'accept-new',
      hostName: env.host,
      userName: env.user ?? os.userInfo().username,
      binaryPath: '',
      scratchPath: env.scratchPath ?? '/tmp/dpstudio-scratch',
    };
  }
  const home = path.join(target.layout.hosts, name);
  const scratch = path.join(home, 'scratch');
  ensureRealFolder(sandboxBase(target.layout), scratch);
  return {
    ...common,
    type: 'local',
    home,
    hostName: `${os.hostname()} (${name})`,
    userName: os.userInfo().username,
    binaryPath: path.join(home, 'toolkit'),
    scratchPath: scratch,
    localAliases: env.aliases ?? ['localhost', '127.0.0.1'],
  };
}

/** This process's command line, for the lock's record of who holds it. */
function processCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : '';
  const name = script === 'cli.js' || script === 'main.js' ? 'delphix-plugin-studio' : script || path.basename(process.argv0);
  return [name, ...process.argv.slice(2)].join(' ');
}

function simulatorError(step: string, message: string): RunError {
  return { kind: 'SimulatorError', step, message, action: '', output: '' };
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

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Reads an event log written by the runner (a debug run) and finishes the run from it. */
export function completeFromEventLog(prepared: PreparedRun, report: SyncReport, eventsFile: string): void {
  const state: RunState = { droppedRecords: 0 };
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

