// Memory figures of a process from /proc (Linux): the resident set now (VmRSS) and its peak (VmHWM).

import * as fs from 'fs';

export interface MemoryFigures {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size since the process started, in bytes. */
  peak: number;
}

/** Undefined when the process is gone or /proc is not available. */
export function processMemory(pid: number | 'self'): MemoryFigures | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const rss = kb('VmRSS');
  if (rss === undefined) return undefined;
  return { rss, peak: kb('VmHWM') ?? rss };
}

export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
