// Debugging the data migrations: the same prepared run as `upgrade`, launched by debugpy (VS Code's
// Python debugger) instead of spawned, so breakpoints in a migration are hit; when the session ends,
// the result is read and validated as for a normal run.

import { findDebugPython } from '../sync/tools';
import type { DebugLaunchConfiguration } from '../sync/debug';
import { interpretResult, prepareUpgrade, type UpgradeOptions, type UpgradeRun } from './runUpgrade';

export interface PreparedUpgradeDebug {
  ok: boolean;
  error?: string;
  configuration?: DebugLaunchConfiguration;
  /** Call when the debug session has ended: the run's outcome, and the temporary files removed. */
  finish(): Promise<UpgradeRun>;
}

export async function prepareUpgradeDebug(options: UpgradeOptions): Promise<PreparedUpgradeDebug> {
  const failed = (error: string): PreparedUpgradeDebug => ({ ok: false, error, finish: async () => ({ ok: false, error, migrationIds: [], outcomes: [] }) });
  const found = await findDebugPython(options.python, options.env);
  if (!found.python) return failed(found.message ?? 'No Python interpreter with debugpy was found.');
  const p = await prepareUpgrade(options);
  if (!p.ok) return failed(p.error);
  const { prepared } = p;
  return {
    ok: true,
    configuration: {
      type: 'debugpy',
      request: 'launch',
      name: 'Debug data migrations',
      program: prepared.runnerFile,
      args: ['--request', prepared.requestFile, '--result', prepared.resultFile],
      cwd: prepared.srcDir,
      env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      python: found.python.executable ?? found.python.path ?? found.python.command,
      console: 'integratedTerminal',
      justMyCode: true,
    },
    finish: async () => {
      try {
        return interpretResult(prepared);
      } finally {
        await prepared.dispose();
      }
    },
  };
}
