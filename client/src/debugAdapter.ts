// Our own debug adapter for prepared debugpy launches (Debug Sync, any workflow of the local engine, the
// data migrations), so debugging needs nothing but this extension and a debugpy the plugin's interpreter
// can import. The adapter is debugpy's own (`<python> -m debugpy.adapter`, DAP over stdio), run by the
// very interpreter the pre-flight chose, so the adapter and the debugpy injected into the plugin are
// always the same version. When the Python Debugger extension (ms-python.debugpy) is installed its
// adapter is used instead, as before: same launch configuration, its extra features.
import * as vscode from 'vscode';

/** The debug type this extension contributes (package.json "debuggers"); its sessions run debugpy's adapter. */
export const OWN_DEBUG_TYPE = 'delphix-sync';

/** Set on a configuration that is already a complete debugpy launch: the interpreter that runs the adapter. */
export const ADAPTER_PYTHON = 'delphixAdapterPython';

/** A debugpy launch as the core prepares it (core/sync/debug.ts, core/upgrade/debugUpgrade.ts). */
export interface PreparedLaunch {
  type: 'debugpy';
  request: 'launch';
  name: string;
  python: string;
}

export function pythonDebuggerExtension(): vscode.Extension<unknown> | undefined {
  return vscode.extensions.getExtension('ms-python.debugpy') ?? vscode.extensions.getExtension('ms-python.python');
}

/**
 * The configuration to start for a prepared debugpy launch: unchanged for ms-python.debugpy when it is
 * installed (and `delphix.debug.adapter` does not ask for ours), else the same launch under our type.
 */
export function sessionConfiguration(launch: PreparedLaunch, extra: Record<string, unknown> = {}): vscode.DebugConfiguration {
  const choice = vscode.workspace.getConfiguration('delphix').get<string>('debug.adapter', 'auto');
  if (choice !== 'builtin' && pythonDebuggerExtension()) return { ...launch, ...extra };
  return { ...launch, ...extra, type: OWN_DEBUG_TYPE, [ADAPTER_PYTHON]: launch.python };
}

/** True for a configuration `sessionConfiguration` made: it needs no further resolving. */
export function isPreparedLaunch(config: vscode.DebugConfiguration): boolean {
  return typeof config[ADAPTER_PYTHON] === 'string';
}

class DebugpyAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly cwd: string) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const python = session.configuration[ADAPTER_PYTHON];
    if (typeof python !== 'string' || !python) {
      // Only reachable with a hand-written configuration that bypassed our resolver.
      throw new Error('This Delphix debug configuration was not prepared by Plugin Studio: start it from the Run view or with "Delphix: Debug Sync".');
    }
    // `-m` puts the working folder first on sys.path: run from the extension's folder (no stray modules
    // there) rather than the plugin's, whose modules could shadow debugpy's imports.
    return new vscode.DebugAdapterExecutable(python, ['-m', 'debugpy.adapter'], { cwd: this.cwd });
  }
}

/** Says in the Delphix output why a session of our adapter ended badly (the workbench only shows a code). */
class AdapterExitReporter implements vscode.DebugAdapterTrackerFactory {
  constructor(private readonly output: vscode.OutputChannel) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const python = session.configuration[ADAPTER_PYTHON];
    if (typeof python !== 'string') return undefined;
    const output = this.output;
    return {
      onError(error: Error) {
        output.appendLine(`  debugpy's adapter (${python} -m debugpy.adapter) failed: ${error.message}`);
      },
      onExit(code: number | undefined, signal: string | undefined) {
        if (code || signal) {
          output.appendLine(
            `  debugpy's adapter (${python} -m debugpy.adapter) exited with ${signal ? `signal ${signal}` : `code ${code}`}. ` +
              `Check that "${python} -c 'import debugpy.adapter'" works; "${python} -m pip install debugpy" installs it.`,
          );
        }
      },
    };
  }
}

export function registerDebugAdapter(extensionPath: string, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(OWN_DEBUG_TYPE, new DebugpyAdapterFactory(extensionPath)),
    vscode.debug.registerDebugAdapterTrackerFactory(OWN_DEBUG_TYPE, new AdapterExitReporter(output)),
  );
}
