// The SDK runtime packages the engine imports from the artifact's zip (`dvp-common`, `dvp-libs`,
// `dvp-platform` of the SDK version, and their dependencies). dvp pip-installs them on every build; we
// install once per SDK version, pip options and interpreter into a cache and copy from there.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastLines, runProcess } from './process';

export const SDK_RUNTIME_PACKAGES = ['dvp-common', 'dvp-libs', 'dvp-platform'];

/** pip options from the settings (`delphix.build.pip.*`) or the CLI; unset ones leave pip's own config alone. */
export interface PipSettings {
  indexUrl?: string;
  extraIndexUrls?: string[];
  /** Wheelhouse folders or URLs (`--find-links`). */
  findLinks?: string[];
  noIndex?: boolean;
}

export interface RuntimeRequest {
  python: string;
  /** `3.11` etc.: part of the cache key, since wheels and compiled files depend on it. */
  pythonVersion: string;
  sdkVersion: string;
  pip: PipSettings;
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export type RuntimeResult =
  | { ok: true; dir: string; fromCache: boolean; notes: string[] }
  | { ok: false; error: string; cancelled?: boolean };

const MARKER = '.delphix-sdk-runtime.json';

export function defaultRuntimeCacheDir(): string {
  return path.join(os.homedir(), '.cache', 'delphix-plugin-studio', 'sdk-runtime');
}

export function pipArguments(target: string, sdkVersion: string, pip: PipSettings): string[] {
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-warn-script-location', '-t', target];
  if (pip.indexUrl) args.push('--index-url', pip.indexUrl);
  for (const u of pip.extraIndexUrls ?? []) args.push('--extra-index-url', u);
  for (const f of pip.findLinks ?? []) args.push('--find-links', f);
  if (pip.noIndex) args.push('--no-index');
  args.push(...SDK_RUNTIME_PACKAGES.map((p) => `${p}==${sdkVersion}`));
  return args;
}

function cacheKey(req: RuntimeRequest): string {
  const pipEnv = Object.entries(req.env ?? process.env)
    .filter(([k]) => k.startsWith('PIP_'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const material = JSON.stringify({ sdk: req.sdkVersion, python: req.pythonVersion, platform: `${process.platform}-${process.arch}`, pip: req.pip, pipEnv });
  return crypto.createHash('sha256').update(material).digest('hex').slice(0, 16);
}

export function runtimeCacheEntry(req: RuntimeRequest): string {
  return path.join(req.cacheDir, `${req.sdkVersion}-py${req.pythonVersion}-${cacheKey(req)}`);
}

/** The installed runtime for the request, from the cache or freshly installed into it. */
export async function ensureSdkRuntime(req: RuntimeRequest): Promise<RuntimeResult> {
  const entry = runtimeCacheEntry(req);
  if (fs.existsSync(path.join(entry, MARKER))) return { ok: true, dir: entry, fromCache: true, notes: [] };

  try {
    await fs.promises.mkdir(req.cacheDir, { recursive: true });
  } catch (e) {
    return { ok: false, error: `Cannot create the SDK runtime cache ${req.cacheDir}: ${(e as Error).message}` };
  }
  const staging = await fs.promises.mkdtemp(path.join(req.cacheDir, '.installing-'));
  const cleanup = () => fs.promises.rm(staging, { recursive: true, force: true }).catch(() => undefined);
  req.onProgress?.(`Installing the SDK runtime (${SDK_RUNTIME_PACKAGES.join(', ')} ${req.sdkVersion}) with pip`);
  const args = pipArguments(staging, req.sdkVersion, req.pip);
  const r = await runProcess(req.python, args, { env: req.env, signal: req.signal });
  if (r.cancelled) {
    await cleanup();
    return { ok: false, error: 'Build cancelled.', cancelled: true };
  }
  if (r.code !== 0) {
    await cleanup();
    const how = r.startError ? `could not start ${req.python}: ${r.startError}` : `exited with code ${r.code}`;
    return {
      ok: false,
      error:
        `pip could not install the SDK runtime (${SDK_RUNTIME_PACKAGES.map((p) => `${p}==${req.sdkVersion}`).join(', ')}): ` +
        `${req.python} ${args.join(' ')} ${how}.\n` +
        (r.output.trim() ? `pip said:\n${lastLines(r.output, 15)}\n` : '') +
        'Point the build at a wheelhouse with the setting delphix.build.pip.findLinks (CLI --find-links DIR) ' +
        'or at a package index with delphix.build.pip.indexUrl (CLI --index-url URL). ' +
        'To build without the runtime for a quick local check, use --no-sdk-runtime (the artifact is then not uploadable).',
    };
  }
  const notes = await applyPostSteps(staging);
  await fs.promises.writeFile(
    path.join(staging, MARKER),
    JSON.stringify({ sdkVersion: req.sdkVersion, python: req.pythonVersion, pip: req.pip, installedAt: new Date().toISOString() }, null, 2),
  );
  try {
    await fs.promises.rename(staging, entry);
  } catch (e) {
    // Another build filled the entry meanwhile: use theirs.
    await cleanup();
    if (!fs.existsSync(path.join(entry, MARKER))) return { ok: false, error: `Cannot store the SDK runtime in ${entry}: ${(e as Error).message}` };
  }
  return { ok: true, dir: entry, fromCache: false, notes };
}

/**
 * dvp's fix-ups that still matter: the engine's zip importer ignores `.pth` files, so the `google`
 * namespace needs an `__init__.py`; and protobuf's json_format check for unpaired surrogates is removed.
 */
export async function applyPostSteps(dir: string): Promise<string[]> {
  const notes: string[] = [];
  const google = path.join(dir, 'google');
  if (fs.existsSync(google) && fs.statSync(google).isDirectory()) {
    const init = path.join(google, '__init__.py');
    if (!fs.existsSync(init)) {
      await fs.promises.writeFile(init, '');
      notes.push('created google/__init__.py');
    }
  }
  const jsonFormat = path.join(google, 'protobuf', 'json_format.py');
  if (fs.existsSync(jsonFormat)) {
    const text = await fs.promises.readFile(jsonFormat, 'utf8');
    const patched = removeSurrogateCheck(text);
    if (patched !== text) {
      await fs.promises.writeFile(jsonFormat, patched);
      notes.push('removed the unpaired-surrogate check from google/protobuf/json_format.py');
    }
  }
  return notes;
}

/** Drops `_UNPAIRED_SURROGATE_PATTERN = re.compile(...)` and the `if ...search(value): raise` check. */
export function removeSurrogateCheck(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^_UNPAIRED_SURROGATE_PATTERN\s*=/.test(line)) {
      let depth = 0;
      let j = i;
      for (; j < lines.length; j++) {
        for (const ch of lines[j]) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
        if (depth <= 0) break;
      }
      i = j;
      continue;
    }
    const check = /^(\s*)if _UNPAIRED_SURROGATE_PATTERN\.search\(/.exec(line);
    if (check) {
      const indent = check[1].length;
      while (i + 1 < lines.length && (lines[i + 1].trim() === '' || lines[i + 1].search(/\S/) > indent)) i++;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
