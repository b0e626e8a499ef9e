// The sandbox of one sync profile: everything a simulated sync writes lives under
// `<pluginRoot>/.delphix/sandbox/<profile>/`:
//
//   mounts/<slug>/        the folders that back the staged mounts (they persist, like dSource storage)
//   dsource/              the dSource storage of a DIRECT plugin (run_sync copies into it)
//   snapshots/<n>/        committed snapshots: data/<mount slug>/ + snapshot.json (the metadata)
//   snapshots/.pending-<n>/  a snapshot being taken; renamed to <n> only when the sync succeeded
//   codegen/generated/    the generated definitions the plugin imports (never written into srcDir)
//   hosts/<env>/          working folders of commands run on local environments
//   logs/                 one event log (.jsonl) and one report (.json) per run
//   run/                  the request the runner reads
//   state.json            what the runner remembers between runs (the mounts, enabled or not)
//
// Snapshots are space-efficient: the runner copies the mount with rsync --link-dest, so files that did
// not change are hard links into the previous snapshot.

import * as fs from 'fs';
import * as path from 'path';

export interface SandboxLayout {
  root: string;
  mounts: string;
  dsource: string;
  snapshots: string;
  codegen: string;
  hosts: string;
  logs: string;
  run: string;
  stateFile: string;
}

export interface SnapshotInfo {
  id: number;
  dir: string;
  metadataFile: string;
  /** The parsed snapshot.json, when it could be read. */
  metadata?: Record<string, unknown>;
}

export const SANDBOX_DIR = path.join('.delphix', 'sandbox');

export function sandboxLayout(pluginRoot: string, profile: string): SandboxLayout {
  const root = path.join(pluginRoot, SANDBOX_DIR, profile);
  return {
    root,
    mounts: path.join(root, 'mounts'),
    dsource: path.join(root, 'dsource'),
    snapshots: path.join(root, 'snapshots'),
    codegen: path.join(root, 'codegen'),
    hosts: path.join(root, 'hosts'),
    logs: path.join(root, 'logs'),
    run: path.join(root, 'run'),
    stateFile: path.join(root, 'state.json'),
  };
}

/** The plugin folder a layout belongs to (the sandbox is <pluginRoot>/.delphix/sandbox/<profile>). */
export function sandboxBase(layout: SandboxLayout): string {
  return path.dirname(path.dirname(path.dirname(layout.root)));
}

/** Quotes a path for a command the message suggests, as Python's shlex.quote does. */
function shellQuote(p: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(p) ? p : `'${p.replace(/'/g, `'"'"'`)}'`;
}

/** A folder of the sandbox that is a symbolic link or not a folder: the sync refuses to write there. */
export class SandboxPathError extends Error {}

/**
 * Makes sure `dir` is a real folder inside `base`, creating what is missing one level at a time. A
 * cloned repository can ship `.delphix/sandbox/<profile>/mounts/<slug>` as a symbolic link; following it
 * would let a sync write (and rsync --delete) wherever it points. So every component below `base` must
 * be a real folder (lstat), and the result must resolve (realpath) inside `base`.
 */
export function ensureRealFolder(base: string, dir: string): void {
  const rel = path.relative(base, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new SandboxPathError(`${dir} is not inside ${base}.`);
  let current = base;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (!st) {
      try {
        fs.mkdirSync(current);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = fs.lstatSync(current);
    }
    if (st.isSymbolicLink()) {
      let target = '?';
      try {
        target = fs.readlinkSync(current);
      } catch {
        // Shown as '?'.
      }
      throw new SandboxPathError(
        `${current} is a symbolic link (to ${target}). The sync writes only into real folders inside the sandbox, so it does not follow links a cloned repository may ship. Remove the link (rm ${shellQuote(current)}) and run again; the sync creates the folder.`,
      );
    }
    if (!st.isDirectory()) {
      throw new SandboxPathError(`${current} is not a folder, but the sync keeps its data there. Move it away and run again.`);
    }
  }
  const real = fs.realpathSync(dir);
  const realBase = fs.realpathSync(base);
  if (real !== realBase && !real.startsWith(realBase + path.sep)) {
    throw new SandboxPathError(`${dir} resolves to ${real}, outside ${realBase}. Remove what leads it there and run again.`);
  }
}

/** Creates the sandbox's folders; throws SandboxPathError when one of them is a link or a file. */
export function createSandbox(layout: SandboxLayout): void {
  const base = sandboxBase(layout);
  for (const dir of [layout.root, layout.mounts, layout.snapshots, layout.codegen, layout.hosts, layout.logs, layout.run]) {
    ensureRealFolder(base, dir);
  }
  // Keeps the sandbox out of the author's commits without touching their .gitignore. 'wx' does not
  // follow a link planted in its place.
  try {
    fs.writeFileSync(path.join(path.dirname(layout.root), '.gitignore'), '# Simulated sync data of Delphix Plugin Studio\n*\n', { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/** Committed snapshots, oldest first. */
export function listSnapshots(layout: SandboxLayout): SnapshotInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(layout.snapshots);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d+$/.test(n))
    .map((n) => {
      const dir = path.join(layout.snapshots, n);
      const metadataFile = path.join(dir, 'snapshot.json');
      let metadata: Record<string, unknown> | undefined;
      try {
        metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
      } catch {
        metadata = undefined;
      }
      return { id: Number(n), dir, metadataFile, metadata };
    })
    .sort((a, b) => a.id - b.id);
}

export function latestSnapshot(layout: SandboxLayout): SnapshotInfo | undefined {
  const all = listSnapshots(layout);
  return all[all.length - 1];
}

export function pendingSnapshotDir(layout: SandboxLayout, id: number): string {
  return path.join(layout.snapshots, `.pending-${id}`);
}

/** The id the next snapshot gets: one more than any committed or half-written one. */
export function nextSnapshotId(layout: SandboxLayout): number {
  let max = 0;
  try {
    for (const n of fs.readdirSync(layout.snapshots)) {
      const m = /^(?:\.pending-)?(\d+)$/.exec(n);
      if (m) max = Math.max(max, Number(m[1]));
    }
  } catch {
    // No snapshots folder yet.
  }
  return max + 1;
}

/** Removes snapshots a cancelled or crashed run left half-written. */
export function discardPendingSnapshots(layout: SandboxLayout): string[] {
  const removed: string[] = [];
  try {
    for (const n of fs.readdirSync(layout.snapshots)) {
      if (!n.startsWith('.pending-')) continue;
      const dir = path.join(layout.snapshots, n);
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  } catch {
    // Nothing to clean.
  }
  return removed;
}

/**
 * Removes the run requests a stopped run left in run/ (they hold the profile's values, credentials
 * too). Called under the run lock, so no living run owns them.
 */
export function discardLeftRequests(layout: SandboxLayout): string[] {
  const removed: string[] = [];
  try {
    for (const n of fs.readdirSync(layout.run)) {
      if (!/\.(request|preflight)\.json$/.test(n)) continue;
      fs.rmSync(path.join(layout.run, n), { force: true });
      removed.push(path.join(layout.run, n));
    }
  } catch {
    // Nothing to clean.
  }
  return removed;
}

/** Renames a pending snapshot into place; the rename is what makes it exist. */
export function commitSnapshot(layout: SandboxLayout, id: number): string {
  const final = path.join(layout.snapshots, String(id));
  fs.renameSync(pendingSnapshotDir(layout, id), final);
  return final;
}
