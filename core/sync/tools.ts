// The local programs a simulated sync needs (python3, rsync, ssh): where they are on a given PATH and,
// for Python, which version it is and whether it can import debugpy.

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The executable `name` resolves to on `env.PATH` (a name with a slash is taken as a path). */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (file: string): boolean => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return executable(name) ? path.resolve(name) : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

export interface PythonInfo {
  /** The command as configured (`python3`, `/usr/bin/python3`). */
  command: string;
  /** Where it resolved to, when it did. */
  path?: string;
  /** sys.executable as the interpreter reports it. */
  executable?: string;
  /** `3.11.7` */
  version?: string;
  major?: number;
  minor?: number;
  /** debugpy's version when the interpreter can import it. */
  debugpy?: string;
  /** Why the interpreter could not be used. */
  error?: string;
}

const PROBE = [
  'import json, sys',
  'try:',
  '    import debugpy',
  '    d = getattr(debugpy, "__version__", "unknown")',
  'except Exception:',
  '    d = None',
  'print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "debugpy": d}))',
].join('\n');

/** Runs the interpreter once to learn its version and whether debugpy imports. Never throws. */
export function probePython(command: string, env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const resolved = findExecutable(command, env);
  if (!resolved) return Promise.resolve({ command, error: `${command} was not found on PATH` });
  return new Promise((resolve) => {
    execFile(resolved, ['-c', PROBE], { env, timeout: 20000, maxBuffer: 64 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        resolve({ command, path: resolved, error: `${command} did not run: ${(stderr || err.message).trim().split('\n').pop()}` });
        return;
      }
      try {
        const info = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { executable: string; version: string; debugpy: string | null };
        const [major, minor] = info.version.split('.').map(Number);
        resolve({ command, path: resolved, executable: info.executable, version: info.version, major, minor, debugpy: info.debugpy ?? undefined });
      } catch {
        resolve({ command, path: resolved, error: `${command} printed something unexpected: ${stdout.slice(0, 200)}` });
      }
    });
  });
}

/**
 * The first interpreter that can import debugpy, trying the configured one first, then `python3` on
 * PATH, then Debian's `/usr/bin/python3` (where the python3-debugpy package installs it).
 */
export async function findDebugPython(
  preferred: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fallbacks: string[] = ['python3', '/usr/bin/python3'],
): Promise<{ python?: PythonInfo; tried: PythonInfo[]; message?: string }> {
  const candidates = [...new Set([preferred, ...fallbacks].filter((c): c is string => !!c))];
  const tried: PythonInfo[] = [];
  for (const c of candidates) {
    const info = await probePython(c, env);
    tried.push(info);
    if (info.debugpy && !info.error) return { python: info, tried };
  }
  const lines = tried.map((t) => `  ${t.command}: ${t.error ?? `Python ${t.version} without debugpy`}`);
  return {
    tried,
    message:
      'No Python interpreter here can import debugpy, which debugging a sync needs:\n' +
      lines.join('\n') +
      '\nInstall it for one of them (python3 -m pip install debugpy, or on Debian/Ubuntu: sudo apt-get install python3-debugpy), or set the profile\'s "python" to an interpreter that has it.',
  };
}
