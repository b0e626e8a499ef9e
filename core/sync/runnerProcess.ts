// The runner as a child process: `python3 runtime/dpstudio_sync_runner.py` with no shell (arguments as
// an array; values travel in a JSON request file, never on a command line). The runner reports on a
// dedicated pipe (fd 3), one JSON event per line, folded into the report as they come; the plugin's own
// stdout/stderr is kept up to a cap. Cancellation and timeouts kill the runner's process group, and a
// stopped run is over only when every process of the group is gone.

import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import type { PythonInfo } from './tools';
import type { CommandRecord, RunError, SyncReport } from './report';

export interface SyncEvent {
  type: string;
  [key: string]: unknown;
}

/** What starting the runner needs. */
export interface RunnerLaunch {
  target: { srcDir: string; python: PythonInfo };
  runnerFile: string;
  requestFile: string;
  logFile: string;
  operationTimeoutMs: number;
  totalTimeoutMs: number;
  /** Records the runner's pid beside the lock, so a run that takes over after we died can end it. */
  attachRunner?(pid: number): void;
}

export interface RunnerOptions {
  env?: NodeJS.ProcessEnv;
  /** Arguments put before the runner script, e.g. `-m debugpy --listen 127.0.0.1:5678 --wait-for-client`. */
  pythonArgsPrefix?: string[];
  signal?: AbortSignal;
  /** How much of the plugin's stdout and of its stderr is kept (default 1 MiB each). */
  outputCapBytes?: number;
  onEvent?: (event: SyncEvent) => void;
}

/** What the run's event stream has told so far. */
export interface RunState {
  running?: string;
  pending?: { id: number; dir: string; metadata: Record<string, unknown> };
  result?: Record<string, unknown>;
  ended?: boolean;
  droppedRecords: number;
  /** What the run changed, as the runner told it (`fact` events): a clone, mounts, a source config. */
  facts: Record<string, unknown>;
}

export function newRunState(): RunState {
  return { droppedRecords: 0, facts: {} };
}

const DEFAULT_OUTPUT_CAP = 1024 * 1024;
/** An event line longer than this is dropped (the runner caps its fields far below it). */
const MAX_EVENT_LINE = 4 * 1024 * 1024;
const MAX_RECORDS = 2000;
const KILL_GRACE_MS = 2000;

export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function spawnRunner(prepared: RunnerLaunch, options: RunnerOptions, report: SyncReport, state: RunState): Promise<SpawnResult> {
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
export function applyEvent(report: SyncReport, state: RunState, event: SyncEvent): void {
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
    case 'fact':
      state.facts[str(event.key)] = event.value;
      break;
    case 'clone':
      report.clone = {
        mode: str(event.mode),
        description: str(event.description),
        from: str(event.from),
        to: str(event.to),
        files: Number(event.files ?? 0),
        bytes: Number(event.bytes ?? 0),
        durationMs: Number(event.durationMs ?? 0),
      };
      break;
    case 'run.end':
      state.ended = true;
      break;
  }
}

export function simulatorError(step: string, message: string): RunError {
  return { kind: 'SimulatorError', step, message, action: '', output: '' };
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
