// Debugging a simulated run: the same preparation as a normal run, then the data of a VS Code `debugpy`
// LAUNCH configuration (program = the runner, its arguments, env, cwd, the interpreter that has
// debugpy). The editor starts it; afterwards `finish()` reads the event log the runner wrote and
// commits or discards the snapshot exactly as a normal run does.

import * as fs from 'fs';
import * as path from 'path';
import { completeFromEventLog, finishReport, prepareRun, type PreparedRun, type RunOptions } from './orchestrator';
import { emptyReport, type SyncReport } from './report';
import { findDebugPython, type PythonInfo } from './tools';
import { WORKFLOWS } from '../lifecycle/workflows';
import { abandonVdbRun } from '../lifecycle/vdb';

export interface DebugLaunchConfiguration {
  type: 'debugpy';
  request: 'launch';
  name: string;
  /** The runner script. */
  program: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The interpreter that can import debugpy. */
  python: string;
  console: 'integratedTerminal';
  /** Plugin code only: the simulator's frames are not stepped into. */
  justMyCode: boolean;
}

export interface PreparedDebugRun {
  ok: boolean;
  /** Pre-flight, profile problems and, when not ok, the reason. */
  report: SyncReport;
  configuration?: DebugLaunchConfiguration;
  /** Where the runner writes its events during the debug session. */
  eventsFile?: string;
  python?: PythonInfo;
  /** Call when the debug session has ended: reads the events and commits or discards the snapshot. */
  finish(): SyncReport;
}

export async function prepareDebugRun(options: RunOptions): Promise<PreparedDebugRun> {
  const started = Date.now();
  const report = emptyReport({
    workflow: options.workflow ?? 'sync',
    mode: options.mode ?? 'sync',
    profile: options.profile ?? '',
    pluginRoot: path.resolve(options.pluginRoot),
  });
  const failed = (): PreparedDebugRun => {
    report.ok = false;
    return { ok: false, report, finish: () => finishReport(report, started, options) };
  };
  let prepared: PreparedRun | undefined;
  try {
    prepared = await prepareRun(options, report);
  } catch (e) {
    report.error = { kind: 'InternalError', step: 'the run', message: `Plugin Studio could not prepare the debug run: ${e instanceof Error ? e.message : String(e)}`, action: '', output: '' };
    return failed();
  }
  if (!prepared) return failed();

  const found = await findDebugPython(options.python ?? prepared.target.profile.python, options.env);
  if (!found.python) {
    report.preflight.push({ id: 'debugpy', ok: false, severity: 'error', message: found.message ?? 'No interpreter with debugpy.' });
    fs.rmSync(prepared.requestFile, { force: true });
    if (prepared.vdb) abandonVdbRun(prepared.vdb, prepared.target);
    prepared.releaseLock();
    return failed();
  }
  report.preflight.push(
    found.warning
      ? { id: 'debugpy', ok: true, severity: 'warning', message: found.warning }
      : { id: 'debugpy', ok: true, severity: 'info', message: `${found.python.command}: Python ${found.python.version} with debugpy ${found.python.debugpy}` },
  );
  const eventsFile = prepared.logFile;
  const run = prepared;
  const configuration: DebugLaunchConfiguration = {
    type: 'debugpy',
    request: 'launch',
    name: `Debug ${report.workflow === 'sync' ? `${report.mode} sync` : `${WORKFLOWS[report.workflow].title}${report.objectName ? ` ${report.objectName}` : ''}`} (${prepared.target.profileName})`,
    program: prepared.runnerFile,
    args: ['--request', prepared.requestFile, '--events-file', eventsFile],
    cwd: prepared.target.srcDir,
    env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    python: found.python.executable ?? found.python.path ?? found.python.command,
    console: 'integratedTerminal',
    justMyCode: true,
  };
  return {
    ok: true,
    report,
    configuration,
    eventsFile,
    python: found.python,
    finish: () => {
      fs.rmSync(run.requestFile, { force: true });
      try {
        completeFromEventLog(run, report, eventsFile);
      } finally {
        run.releaseLock();
      }
      return finishReport(report, started, options, run);
    },
  };
}
