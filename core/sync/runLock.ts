// One run per sandbox at a time: the editor and the CLI (or two terminals) may start a run of the same
// profile together. The lock is the file run/lock, holding who owns it as JSON:
// { pid, startTime, host, token, since, command }.
//
// Why it is built this way:
// - Created whole. The owner's record is written to a file of its own first and then link()ed to
//   run/lock. link() fails when run/lock exists, so an existing lock is never overwritten, and nobody
//   ever sees a half-written lock of ours. An empty or unreadable lock (an older version wrote the pid
//   after creating the file, a full disk) therefore counts as HELD: it is not ours to judge.
// - Stale only when provably so: the owner's process is gone (kill(pid, 0) says ESRCH), or a process
//   with its pid exists but started at another time (/proc/<pid>/stat; the pid was reused). A lock of
//   another host (a sandbox on a shared disk) is never stale to us.
// - Taking over a stale lock without a check-then-delete race. Two runs may judge the same lock stale at
//   once; if both deleted "it", the slower one could delete the lock the faster one had just created.
//   So a stale lock is removed only by the one run that claims it: the claim is the file
//   run/lock.takeover-<the stale lock's token>, created (by link()) exclusively. While its owner is
//   dead, nothing else can change run/lock (only the owner releases it, only the claimer removes it,
//   and link() needs it absent), so the claimer's re-read and unlink see the same lock. A run that read
//   the stale lock late and claims it again afterwards finds another token in run/lock and removes
//   nothing. Then every contender tries link() again: exactly one wins.
// - A run releases only a lock that is still its own (its token): while it lives nobody else may
//   remove it, so its compare-then-unlink cannot hit another run's lock.
// - The runner a holder started is recorded beside the lock (run/runner.json). A run that takes over a
//   stale lock ends that orphaned runner's process group first, so what the dead run left half-written
//   (its pending snapshot) is removed only once nothing writes to it any more.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), when known. */
  startTime?: string;
  host?: string;
  token?: string;
  /** When the lock was taken (ISO time). */
  since?: string;
  /** What holds it: the CLI command line or the editor. */
  command?: string;
}

export interface RunLock {
  /** Records the runner process (it leads its process group) so a later run can end it if we die. */
  attachRunner(pid: number): void;
  /** Removes the lock if it is still ours. */
  release(): void;
}

export type LockResult =
  | { lock: RunLock }
  | { held: true; holder?: LockHolder; file: string; reason: 'running' | 'unreadable' | 'takeover-interrupted' };

const LOCK = 'lock';
const RUNNER = 'runner.json';

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A process's start time (clock ticks since boot) from /proc; undefined where there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `holder` may still be running (true unless provably gone). */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host && holder.host !== os.hostname()) return true;
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (holder.startTime) {
    const now = processStartTime(holder.pid);
    if (now !== undefined && now !== holder.startTime) return false;
  }
  return true;
}

interface Seen {
  holder?: LockHolder;
  /** What identifies this very lock file: its token, else its inode and times. */
  key: string;
}

function readLock(file: string): Seen | undefined {
  let text: string;
  let st: fs.Stats;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      st = fs.fstatSync(fd);
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { key: 'unreadable' };
  }
  const fallbackKey = `i${st.ino}-${st.ctimeMs}`;
  const trimmed = text.trim();
  // A lock of an earlier version: just the pid.
  if (/^\d+$/.test(trimmed)) return { holder: { pid: Number(trimmed) }, key: fallbackKey };
  try {
    const h = JSON.parse(trimmed) as LockHolder;
    if (typeof h === 'object' && h !== null && Number.isInteger(h.pid) && h.pid > 0) {
      return { holder: h, key: typeof h.token === 'string' && /^[0-9a-f]{32}$/.test(h.token) ? h.token : fallbackKey };
    }
  } catch {
    // Falls through: unreadable.
  }
  return { key: fallbackKey };
}

/**
 * Creates `to` as a second name of `from`, never replacing an existing `to`. On a filesystem without
 * hard links, an exclusive create and write instead: a reader may then see it empty for a moment, which
 * counts as held, so it stays safe.
 */
function tryLink(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
  }
  try {
    fs.writeFileSync(to, fs.readFileSync(from), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Control characters out of text that ends up in messages on a terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 300);
}

/**
 * Takes the run lock of the sandbox whose run folder is `runDir`, or says who holds it. `command` says
 * what takes it (shown to a run that finds it held).
 */
export function acquireRunLock(runDir: string, command: string): LockResult {
  const file = path.join(runDir, LOCK);
  const token = crypto.randomBytes(16).toString('hex');
  const me: LockHolder = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: os.hostname(),
    token,
    since: new Date().toISOString(),
    command: printable(command),
  };
  const mine = path.join(runDir, `.lock-${token}`);
  fs.writeFileSync(mine, JSON.stringify(me) + '\n', { flag: 'wx', mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (tryLink(mine, file)) {
        reapOrphanedRunner(runDir);
        return { lock: ownLock(runDir, file, token) };
      }
      const seen = readLock(file);
      if (!seen) continue; // released between our link() and our read: try again
      if (!seen.holder) return { held: true, file, reason: 'unreadable' };
      if (holderAlive(seen.holder)) return { held: true, file, holder: seen.holder, reason: 'running' };
      const claim = `${file}.takeover-${seen.key}`;
      if (!tryLink(mine, claim)) {
        const claimer = readLock(claim);
        if (claimer?.holder && !holderAlive(claimer.holder)) return { held: true, file, holder: seen.holder, reason: 'takeover-interrupted' };
        sleep(10); // another run is taking it over right now; then one of us gets it
        continue;
      }
      try {
        const now = readLock(file);
        if (now && now.key === seen.key) fs.rmSync(file, { force: true });
      } finally {
        fs.rmSync(claim, { force: true });
      }
    }
    const last = readLock(file);
    return { held: true, file, holder: last?.holder, reason: last?.holder ? 'running' : 'unreadable' };
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

function ownLock(runDir: string, file: string, token: string): RunLock {
  const runnerFile = path.join(runDir, RUNNER);
  let released = false;
  return {
    attachRunner(pid: number) {
      const record = { pid, startTime: processStartTime(pid), host: os.hostname(), lockToken: token };
      const tmp = `${runnerFile}.${token}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(record) + '\n');
      fs.renameSync(tmp, runnerFile);
    },
    release() {
      if (released) return;
      released = true;
      const seen = readLock(file);
      if (seen?.holder?.token !== token) return;
      const runner = readRunner(runnerFile);
      if (runner?.lockToken === token) fs.rmSync(runnerFile, { force: true });
      fs.rmSync(file, { force: true });
    },
  };
}

function readRunner(file: string): (LockHolder & { lockToken?: string }) | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder & { lockToken?: string };
    return Number.isInteger(r.pid) && r.pid > 0 ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ends the runner a dead holder left behind (its parent-death watchdog normally has already), so that
 * nothing writes into the sandbox while the new holder cleans up. The runner leads its own process
 * group; its start time proves the pid is still that runner.
 */
function reapOrphanedRunner(runDir: string): void {
  const file = path.join(runDir, RUNNER);
  const runner = readRunner(file);
  if (!runner) return;
  if (runner.host && runner.host !== os.hostname()) return;
  // The group is the orphaned run's while its leader is provably that runner (same start time), and
  // also when the leader is gone but members remain: the kernel does not hand out a pid that is still
  // some group's id, so such a group cannot be anyone else's.
  const leaderNow = processStartTime(runner.pid);
  const noProcess = leaderNow === undefined && !fs.existsSync(`/proc/${runner.pid}`) && fs.existsSync('/proc/self');
  if (runner.startTime !== undefined && (leaderNow === runner.startTime || noProcess)) {
    for (let waited = 0; waited < 5000 && livingGroupMembers(runner.pid).length > 0; waited += 20) {
      try {
        process.kill(-runner.pid, 'SIGKILL');
      } catch {
        break;
      }
      sleep(20);
    }
  }
  fs.rmSync(file, { force: true });
}

/**
 * The pids of the process group's members that are not zombies (a zombie has ended; with no reaping
 * init it may stay listed for good). Where there is no /proc, whether kill() still reaches the group.
 */
export function livingGroupMembers(pgid: number): number[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state (field 3), fields[2] the process group (field 5).
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(name));
    } catch {
      // Ended while we looked.
    }
  }
  return members;
}

/** The message for a run that found the lock held. */
export function describeHeldLock(profile: string, result: Extract<LockResult, { held: true }>): string {
  const h = result.holder;
  if (result.reason === 'unreadable') {
    return `Another run of profile "${profile}" may be in progress: its lock ${result.file} is empty or unreadable, so it cannot be told whether its owner is alive. If no run of this profile is in progress, delete ${result.file} and run again.`;
  }
  const who = h ? `process ${h.pid}${h.command ? ` (${h.command})` : ''}${h.since ? `, since ${h.since}` : ''}${h.host && h.host !== os.hostname() ? `, on host ${h.host}` : ''}` : 'another process';
  if (result.reason === 'takeover-interrupted') {
    return `The lock ${result.file} was held by ${who}, which has ended, and a run that was taking it over was stopped. If no run of profile "${profile}" is in progress, delete ${result.file} and ${result.file}.takeover-* and run again.`;
  }
  return `Another run of profile "${profile}" is in progress: ${who}; wait for it to finish or cancel it.`;
}
