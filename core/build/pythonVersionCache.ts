// The version of a Python interpreter, remembered by the identity of its executable, so a build need
// not start python3 only to ask it. Only a native executable (ELF or Mach-O) is remembered: its version
// cannot change without the file changing. A script in front of one (a pyenv shim, a wrapper) picks
// an interpreter each time it runs, so it is always asked.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pythonVersion, type PythonVersion } from './compile';

export function defaultPythonVersionCacheFile(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'delphix-plugin-studio', 'python-versions.json');
}

/** The executable `python` names: a path as given, a bare name looked up on PATH as the process spawn would. */
function resolveExecutable(python: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = python.includes('/') ? [path.resolve(python)] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, python));
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      /* next */
    }
  }
  return undefined;
}

const NATIVE_MAGIC = [Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from([0xca, 0xfe, 0xba, 0xbe])];

/** A key that changes whenever the executable does; undefined when it is not a native executable. */
function identity(python: string, env: NodeJS.ProcessEnv): string | undefined {
  const exe = resolveExecutable(python, env);
  if (!exe) return undefined;
  try {
    const real = fs.realpathSync(exe);
    const fd = fs.openSync(real, 'r');
    const head = Buffer.alloc(4);
    try {
      fs.readSync(fd, head, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!NATIVE_MAGIC.some((m) => m.equals(head))) return undefined;
    const st = fs.statSync(real);
    return `${real}|${st.dev}|${st.ino}|${st.size}|${st.mtimeMs}|${st.ctimeMs}`;
  } catch {
    return undefined;
  }
}

function readCache(file: string): Record<string, string> {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** As pythonVersion, from the cache when the same executable answered before. */
export async function cachedPythonVersion(python: string, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined, cacheFile: string | false): Promise<PythonVersion> {
  const key = cacheFile === false ? undefined : identity(python, env);
  if (key && cacheFile) {
    const version = readCache(cacheFile)[key];
    if (typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version)) return { ok: true, version, majorMinor: version.split('.').slice(0, 2).join('.') };
  }
  const pv = await pythonVersion(python, env, signal);
  if (pv.ok && key && cacheFile) {
    try {
      // Keep a handful of interpreters; a rename makes the write atomic for builds running at once.
      const entries = Object.entries(readCache(cacheFile)).filter(([k]) => k !== key).slice(-15);
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries([...entries, [key, pv.version]])));
      fs.renameSync(tmp, cacheFile);
    } catch {
      /* an unwritable cache: ask again next time */
    }
  }
  return pv;
}
