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
  /** debugpy's version when the interpreter can import it (and start it, when that was probed). */
  debugpy?: string;
  /** debugpy imports but cannot start: why (a missing dependency). */
  debugpyBroken?: string;
  /** Why the interpreter could not be used. */
  error?: string;
}

const PROBE = [
  'import json, sys',
  'd = None',
  'why = None',
  'try:',
  '    import debugpy',
  '    d = getattr(debugpy, "__version__", "unknown")',
  '    if len(sys.argv) > 1:',
  // What `python -m debugpy` imports: a debugpy whose own dependencies (pydevd, bytecode) are missing
  // imports fine and fails only when started.
  '        import debugpy.server.cli',
  'except Exception as e:',
  '    why = "%s: %s" % (type(e).__name__, e) if d else None',
  '    d = None',
  'print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "debugpy": d, "why": why}))',
].join('\n');

/**
 * Runs the interpreter once to learn its version and whether debugpy imports (with `startDebugpy`:
 * whether it can start, its dependencies included). Never throws.
 */
export function probePython(command: string, env: NodeJS.ProcessEnv = process.env, startDebugpy = false): Promise<PythonInfo> {
  const resolved = findExecutable(command, env);
  if (!resolved) return Promise.resolve({ command, error: `${command} was not found on PATH` });
  // Every run probes the interpreter; the answer is the same while the binary is (a Python start costs
  // from 30 ms to most of a second on a busy machine). Debug probes (debugpy can be installed at any time) are not kept.
  const key = startDebugpy ? undefined : probeKey(resolved, env);
  const known = key ? probeCache.get(key) : undefined;
  if (known) return Promise.resolve({ ...known, command });
  return probeOnce(command, resolved, env, startDebugpy).then((info) => {
    if (key && !info.error) {
      if (probeCache.size >= 32) probeCache.clear();
      probeCache.set(key, info);
    }
    return info;
  });
}

const probeCache = new Map<string, PythonInfo>();

/** The interpreter binary as it is now (a reinstall or upgrade changes it), and what changes how it starts. */
function probeKey(resolved: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const real = fs.realpathSync(resolved);
    const st = fs.statSync(real);
    return JSON.stringify([resolved, real, st.ino, st.size, st.mtimeMs, env.PYTHONHOME ?? '', env.PYTHONPATH ?? '']);
  } catch {
    return undefined;
  }
}

function probeOnce(command: string, resolved: string, env: NodeJS.ProcessEnv, startDebugpy: boolean): Promise<PythonInfo> {
  return new Promise((resolve) => {
    execFile(resolved, ['-c', PROBE, ...(startDebugpy ? ['start'] : [])], { env, timeout: 20000, maxBuffer: 64 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        resolve({ command, path: resolved, error: `${command} did not run: ${(stderr || err.message).trim().split('\n').pop()}` });
        return;
      }
      try {
        const info = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { executable: string; version: string; debugpy: string | null; why: string | null };
        const [major, minor] = info.version.split('.').map(Number);
        resolve({
          command,
          path: resolved,
          executable: info.executable,
          version: info.version,
          major,
          minor,
          debugpy: info.debugpy ?? undefined,
          debugpyBroken: info.why ?? undefined,
        });
      } catch {
        resolve({ command, path: resolved, error: `${command} printed something unexpected: ${stdout.slice(0, 200)}` });
      }
    });
  });
}

export interface DebugPythonChoice {
  python?: PythonInfo;
  tried: PythonInfo[];
  /** Why none can be used, and exactly what to run. */
  message?: string;
  /** Set when the run uses another interpreter than the one asked for (same Python version). */
  warning?: string;
}

const DEBIAN_PYTHON = '/usr/bin/python3';

function describe(p: PythonInfo): string {
  const where = p.path && p.path !== p.command ? ` (${p.path})` : '';
  if (p.error) return `${p.command}: ${p.error}`;
  if (p.debugpyBroken) return `${p.command}${where}: Python ${p.version}, whose debugpy cannot start (${p.debugpyBroken})`;
  if (p.debugpy) return `${p.command}${where}: Python ${p.version} with debugpy ${p.debugpy}, not used: another Python version runs the plugin differently`;
  return `${p.command}${where}: Python ${p.version} without debugpy`;
}

/** The commands that give `p` a working debugpy. */
function installAdvice(p: PythonInfo): string[] {
  const exe = p.executable ?? p.path ?? p.command;
  const lines = [
    `${exe} -m pip install debugpy            (from PyPI)`,
    // Offline: a debugpy wheel for this Python version, brought on a USB stick or from a wheelhouse.
    `${exe} -m pip install --no-index --find-links <folder with a debugpy wheel> debugpy    (offline)`,
  ];
  if (p.path === DEBIAN_PYTHON || exe === DEBIAN_PYTHON) {
    const sudo = typeof process.getuid === 'function' && process.getuid() === 0 ? '' : 'sudo ';
    lines.push(`${sudo}apt-get install python3-debugpy    (Debian/Ubuntu, for ${DEBIAN_PYTHON})`);
  }
  return lines;
}

/**
 * The interpreter a debug run uses: the one asked for (the sync profile's, else `python3`) when it can
 * start debugpy. Otherwise another of the same Python version that can (the plugin then runs as it
 * would have), with a warning saying what to run to debug with the one asked for; never one of another
 * version, since the plugin would run differently. When none fits, the message says exactly what to run.
 */
export async function findDebugPython(
  preferred: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fallbacks: string[] = ['python3', DEBIAN_PYTHON],
): Promise<DebugPythonChoice> {
  const asked = preferred ?? 'python3';
  const first = await probePython(asked, env, true);
  const tried: PythonInfo[] = [first];
  if (first.debugpy && !first.error) return { python: first, tried };
  const seen = new Set([first.path ?? first.command]);
  for (const c of fallbacks) {
    const resolved = findExecutable(c, env);
    if (seen.has(resolved ?? c)) continue;
    seen.add(resolved ?? c);
    const info = await probePython(c, env, true);
    tried.push(info);
    const sameVersion = first.error !== undefined || (info.major === first.major && info.minor === first.minor);
    if (info.debugpy && !info.error && sameVersion) {
      const warning = first.error
        ? `${describe(first)}; debugging with ${info.path ?? info.command} (Python ${info.version}, debugpy ${info.debugpy}) instead.`
        : `${describe(first)}: debugging with ${info.path ?? info.command} (Python ${info.version}, debugpy ${info.debugpy}) instead. ` +
          `To debug with ${asked} itself, run: ${installAdvice(first)[0].replace(/\s+\(from PyPI\)$/, '')}`;
      return { python: info, tried, warning };
    }
  }
  const advice = tried.filter((t) => !t.error && !t.debugpy).flatMap(installAdvice);
  return {
    tried,
    message:
      `Debugging the plugin needs debugpy in the interpreter that runs it, and ${asked} cannot start it:\n` +
      tried.map((t) => `  ${describe(t)}`).join('\n') +
      (advice.length ? `\nRun one of:\n${advice.map((a) => `  ${a}`).join('\n')}\n` : '\n') +
      `or set the sync profile's "python" to an interpreter that has debugpy.`,
  };
}
