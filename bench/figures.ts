// The figures one bench run measured, each beside its goal (issue 17's table), for the terminal and for
// `--json` tracking. A goal is a target to read, never an assertion: the bench reports, it does not fail.

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: 'ms' | 'x' | 'MB' | '%';
  /** The goal, in the same unit; undefined when the figure has none. */
  goal?: number;
  /** How the value was measured (wall clock, CPU time, ratio to what). */
  how: string;
  met?: boolean;
  /** Extra detail (a timing breakdown), kept in the JSON. */
  detail?: unknown;
}

export const figures: Figure[] = [];

const fmt = (v: number, unit: Figure['unit']) => (unit === 'x' ? `${v.toFixed(2)}x` : unit === '%' ? `${v.toFixed(0)} %` : `${v.toFixed(v < 10 ? 2 : 1)} ${unit}`);

/** Record a figure and print it beside its goal; lower is better for every figure we track. */
export function figure(f: Omit<Figure, 'met'>): void {
  const met = f.goal === undefined ? undefined : f.value <= f.goal;
  figures.push({ ...f, met });
  const goal = f.goal === undefined ? '' : `   goal <= ${fmt(f.goal, f.unit)}: ${met ? 'met' : 'NOT met'}`;
  console.log(`${f.name}: ${fmt(f.value, f.unit)} (${f.how})${goal}`);
}
