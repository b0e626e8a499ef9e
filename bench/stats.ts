export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

export function summary(values: number[]): string {
  return `median ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))} (n=${values.length})`;
}

export async function time<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t0) / 1e6];
}
