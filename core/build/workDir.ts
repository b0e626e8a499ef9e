// The build's scratch folder in the OS temporary folder. Its name carries the pid of the process that
// made it (`delphix-build-<pid>-XXXXXX`), so a build killed with SIGKILL, which cleans nothing, leaves a
// folder the next build can prove abandoned (its pid is dead) and remove. Folders of live processes
// (another build, the extension host) are never touched.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const WORK_DIR_PREFIX = 'delphix-build-';
const OWNED = /^delphix-build-(\d+)-[A-Za-z0-9]{6}$/;

const live = new Set<string>();

export async function makeWorkDir(tmp = os.tmpdir()): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(tmp, `${WORK_DIR_PREFIX}${process.pid}-`));
  live.add(dir);
  return dir;
}

export async function removeWorkDir(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  live.delete(dir);
}

/** For an exit that cannot wait (a second Ctrl-C, process.exit): removes this process's scratch folders now. */
export function removeLiveWorkDirsSync(): void {
  for (const dir of live) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort on the way out; the next build's sweep finds what is left.
    }
  }
  live.clear();
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch folders of builds whose process is gone; returns what it removed. */
export async function sweepAbandonedWorkDirs(tmp = os.tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(tmp);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = OWNED.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processIsAlive(pid)) continue;
    const dir = path.join(tmp, name);
    // Only our own folders (a shared /tmp may hold other users' builds we cannot remove anyway).
    const st = await fs.promises.lstat(dir).catch(() => undefined);
    if (!st?.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) continue;
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    if (!fs.existsSync(dir)) removed.push(dir);
  }
  return removed;
}
