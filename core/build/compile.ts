// Compiling the build copy with the author's python3, as dvp does: legacy `.pyc` files next to each
// source of the plugin and of the SDK wrappers (what the engine's zip importer loads), then
// `__pycache__` files for the whole tree (`compileall.compile_dir(..., ddir='.', force=True)`).

import { lastLines, runProcess } from './process';

const VERSION_SCRIPT = "import sys; print('%d.%d.%d' % sys.version_info[:3])";

export const COMPILE_SCRIPT = `
import compileall, os, sys
root = sys.argv[1]
ok = True
for d in sys.argv[2:]:
    if os.path.isdir(d):
        ok = compileall.compile_dir(d, quiet=1, legacy=True, ddir=os.path.relpath(d, root)) and ok
ok = compileall.compile_dir(root, quiet=1, ddir='.', force=True) and ok
sys.exit(0 if ok else 1)
`;

export type PythonVersion = { ok: true; version: string; majorMinor: string } | { ok: false; error: string };

export async function pythonVersion(python: string, env?: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<PythonVersion> {
  const r = await runProcess(python, ['-c', VERSION_SCRIPT], { env, signal });
  const version = r.output.trim();
  if (r.code !== 0 || !/^\d+\.\d+\.\d+$/.test(version)) {
    return { ok: false, error: `Cannot run ${python}${r.startError ? `: ${r.startError}` : `: ${lastLines(r.output, 5)}`}. Install Python 3 or point the build at the interpreter to use.` };
  }
  return { ok: true, version, majorMinor: version.split('.').slice(0, 2).join('.') };
}

/** Compiles `root` (legacy `.pyc` in `legacyDirs`, `__pycache__` everywhere). */
export async function compileTree(
  python: string,
  root: string,
  legacyDirs: string[],
  env?: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<{ ok: true } | { ok: false; error: string; cancelled?: boolean }> {
  const r = await runProcess(python, ['-c', COMPILE_SCRIPT, root, ...legacyDirs], { env, signal, cwd: root });
  if (r.cancelled) return { ok: false, error: 'Build cancelled.', cancelled: true };
  if (r.code === 0) return { ok: true };
  const detail = r.output.replace(new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/?', 'g'), '').trim();
  return { ok: false, error: `Failed to compile source code in the directory ${root}.${detail ? `\n${lastLines(detail, 20)}` : ''}` };
}
