// The compiled output of a build folder, kept by the content of everything that goes into it: a build
// of a plugin whose files did not change writes the .pyc files an earlier build made instead of
// starting python3 to compile them again. The key covers the interpreter (path and full version), the
// compile script, the legacy folders, and every file's relative path, kind and bytes, so the same key
// gives the same output (only the source-mtime field of .pyc headers differs, and the artifact carries
// no .py files for it to be compared with). Entries are written to a scratch folder and renamed into
// place, so two builds at once never see half an entry; the cache keeps the most recent entries only.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const MAX_COMPILE_CACHE_ENTRIES = 16;

export function defaultCompileCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'delphix-plugin-studio', 'compiled');
}

interface TreeEntry {
  rel: string;
  kind: 'file' | 'link';
  /** sha256 of the bytes (files) or the link target (links). */
  hash: string;
}

/** Every file and link under root (folders implied), in a stable order. */
function snapshotTree(root: string): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) out.set(r, { rel: r, kind: 'link', hash: crypto.createHash('sha256').update(fs.readlinkSync(abs)).digest('hex') });
      else if (st.isDirectory()) walk(abs, r);
      else if (st.isFile()) out.set(r, { rel: r, kind: 'file', hash: crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex') });
    }
  };
  walk(root, '');
  return out;
}

export interface CompileKeyInput {
  python: string;
  pythonVersion: string;
  script: string;
  root: string;
  legacyDirs: string[];
}

export interface CompileCache {
  /** Writes the cached output into the root; false when there is none (or it could not be used). */
  restore(): boolean;
  /** After a successful compile: keeps what the compile added or changed. Never throws. */
  store(): void;
}

export function openCompileCache(dir: string, input: CompileKeyInput): CompileCache {
  const before = snapshotTree(input.root);
  const h = crypto.createHash('sha256');
  let interpreter = input.python;
  try {
    interpreter = fs.realpathSync(input.python);
  } catch {
    /* a name found on PATH: the version below still tells interpreters apart */
  }
  h.update(JSON.stringify([interpreter, input.pythonVersion, input.script, input.legacyDirs.map((d) => path.relative(input.root, d))]));
  for (const e of before.values()) h.update(`\n${e.kind} ${e.rel} ${e.hash}`);
  const entry = path.join(dir, h.digest('hex').slice(0, 32));

  return {
    restore(): boolean {
      let files: string[];
      try {
        files = JSON.parse(fs.readFileSync(path.join(entry, 'files.json'), 'utf8')) as string[];
      } catch {
        return false;
      }
      try {
        for (const rel of files) {
          const to = path.join(input.root, ...rel.split('/'));
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(path.join(entry, 'out', ...rel.split('/')), to);
        }
        // Used: the pruning below keeps recently used entries.
        const now = new Date();
        fs.utimesSync(entry, now, now);
        return true;
      } catch {
        // A damaged entry: remove it and let the caller compile (which overwrites what was copied).
        fs.rmSync(entry, { recursive: true, force: true });
        return false;
      }
    },
    store(): void {
      const tmp = `${entry}.${process.pid}.${Date.now().toString(36)}.tmp`;
      try {
        const after = snapshotTree(input.root);
        const added = [...after.values()].filter((e) => e.kind === 'file' && before.get(e.rel)?.hash !== e.hash).map((e) => e.rel);
        for (const rel of added) {
          const to = path.join(tmp, 'out', ...rel.split('/'));
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(path.join(input.root, ...rel.split('/')), to);
        }
        fs.mkdirSync(tmp, { recursive: true });
        fs.writeFileSync(path.join(tmp, 'files.json'), JSON.stringify(added));
        try {
          fs.renameSync(tmp, entry);
        } catch {
          // Another build stored the same entry first: theirs is as good.
          fs.rmSync(tmp, { recursive: true, force: true });
        }
        prune(dir);
      } catch {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}

/** Keeps the most recently used entries; scratch folders of builds that died are removed after an hour. */
function prune(dir: string): void {
  const entries = fs
    .readdirSync(dir)
    .map((name) => {
      try {
        return { name, mtime: fs.statSync(path.join(dir, name)).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((e): e is { name: string; mtime: number } => e !== undefined);
  const stale = entries.filter((e) => e.name.endsWith('.tmp') && Date.now() - e.mtime > 3600_000);
  const done = entries.filter((e) => !e.name.endsWith('.tmp')).sort((a, b) => b.mtime - a.mtime);
  for (const e of [...stale, ...done.slice(MAX_COMPILE_CACHE_ENTRIES)]) fs.rmSync(path.join(dir, e.name), { recursive: true, force: true });
}
