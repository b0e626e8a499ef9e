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

export function createSandbox(layout: SandboxLayout): void {
  for (const dir of [layout.root, layout.mounts, layout.snapshots, layout.codegen, layout.hosts, layout.logs, layout.run]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  // Keeps the sandbox out of the author's commits without touching their .gitignore.
  const ignore = path.join(path.dirname(layout.root), '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Simulated sync data of Delphix Plugin Studio\n*\n');
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

/** Renames a pending snapshot into place; the rename is what makes it exist. */
export function commitSnapshot(layout: SandboxLayout, id: number): string {
  const final = path.join(layout.snapshots, String(id));
  fs.renameSync(pendingSnapshotDir(layout, id), final);
  return final;
}

/**
 * One run per sandbox at a time (the editor and the CLI may both start one): a lock file holding the
 * owner's pid. A lock whose process is gone is taken over.
 */
export function acquireRunLock(layout: SandboxLayout): { release(): void } | { heldBy: number } {
  const file = path.join(layout.run, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch {
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      let alive = false;
      try {
        process.kill(owner, 0);
        alive = owner > 0;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
      if (alive) return { heldBy: owner };
      fs.rmSync(file, { force: true });
    }
  }
  return { heldBy: 0 };
}
