// Where one CLI run spends its time, printed on request (`--timings` or DELPHIX_TIMINGS=1) and read by
// the bench. Each phase records wall time and CPU time: on a loaded machine wall time mostly measures
// the other processes, CPU time what we did. Off by default; when off, a span is one boolean test.

export interface PhaseTiming {
  phase: string;
  /** Wall-clock milliseconds. */
  wallMs: number;
  /** CPU milliseconds (user + system) of this process. */
  cpuMs: number;
  /** How many times the phase ran (a rule runs once per plugin). */
  count: number;
}

interface Sample {
  wall: number;
  cpu: number;
}

const now = (): Sample => {
  const c = process.cpuUsage();
  return { wall: performance.now(), cpu: (c.user + c.system) / 1000 };
};

class Timings {
  enabled = false;
  private readonly phases = new Map<string, PhaseTiming>();
  private readonly order: string[] = [];

  private add(phase: string, wallMs: number, cpuMs: number): void {
    let p = this.phases.get(phase);
    if (!p) {
      p = { phase, wallMs: 0, cpuMs: 0, count: 0 };
      this.phases.set(phase, p);
      this.order.push(phase);
    }
    p.wallMs += wallMs;
    p.cpuMs += cpuMs;
    p.count++;
  }

  /** Time `fn` as `phase` (nested spans are counted in both). */
  span<T>(phase: string, fn: () => T): T {
    if (!this.enabled) return fn();
    const t0 = now();
    try {
      return fn();
    } finally {
      const t1 = now();
      this.add(phase, t1.wall - t0.wall, t1.cpu - t0.cpu);
    }
  }

  async spanAsync<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    if (!this.enabled) return fn();
    const t0 = now();
    try {
      return await fn();
    } finally {
      const t1 = now();
      this.add(phase, t1.wall - t0.wall, t1.cpu - t0.cpu);
    }
  }

  /**
   * The phases before our code ran: node's own start-up (to the end of its bootstrap), then loading the
   * bundle (compiling and evaluating its modules) up to `startedAt`, a sample taken first thing in main.
   * CPU time before main cannot be split, so it is all given to the start-up and module load together.
   */
  recordStartup(startedAt: Sample): void {
    if (!this.enabled) return;
    const bootstrap = performance.nodeTiming.bootstrapComplete;
    this.add('node start-up (to bootstrap)', bootstrap, NaN);
    this.add('module load (bundle compile + evaluate)', startedAt.wall - bootstrap, NaN);
    this.add('start-up + module load, CPU', NaN, startedAt.cpu);
  }

  private open?: { phase: string; at: Sample };

  /** Close the phase opened by the previous mark (if any) and open `phase`; `undefined` only closes. */
  mark(phase: string | undefined): void {
    if (!this.enabled) return;
    const t = now();
    if (this.open) this.add(this.open.phase, t.wall - this.open.at.wall, t.cpu - this.open.at.cpu);
    this.open = phase === undefined ? undefined : { phase, at: t };
  }

  results(): PhaseTiming[] {
    return this.order.map((p) => ({ ...this.phases.get(p)! }));
  }

  /** A table for a terminal: one line per phase, then the totals of the process. */
  format(): string {
    const total = now();
    const rows = this.results().map((p) => {
      const wall = Number.isNaN(p.wallMs) ? '' : p.wallMs.toFixed(1);
      const cpu = Number.isNaN(p.cpuMs) ? '' : p.cpuMs.toFixed(1);
      return `${p.phase.padEnd(44)} ${wall.padStart(9)} ${cpu.padStart(9)}${p.count > 1 ? `  (x${p.count})` : ''}`;
    });
    return [
      `${'timings (ms)'.padEnd(44)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)}`,
      ...rows,
      `${'whole process so far'.padEnd(44)} ${total.wall.toFixed(1).padStart(9)} ${total.cpu.toFixed(1).padStart(9)}`,
    ].join('\n');
  }

  /** JSON for the bench: the phases and the process totals. */
  json(): { phases: PhaseTiming[]; totalWallMs: number; totalCpuMs: number } {
    const total = now();
    return { phases: this.results().map((p) => ({ ...p, wallMs: nullIfNaN(p.wallMs), cpuMs: nullIfNaN(p.cpuMs) }) as PhaseTiming), totalWallMs: total.wall, totalCpuMs: total.cpu };
  }
}

const nullIfNaN = (n: number) => (Number.isNaN(n) ? (null as unknown as number) : n);

/** The process's one set of timings. */
export const timings = new Timings();

export const sampleNow = now;
