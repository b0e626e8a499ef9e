// Platform migration ids as the SDK treats them (migration_helper.py): dotted non-negative integers,
// canonical form = each part as an int, trailing zero parts dropped; all-zero ids are invalid; ids
// compare numerically part by part (Python list comparison).

/** The canonical form (`2019.10.01.0` -> `2019.10.1`), or undefined when the id is not a valid one. */
export function canonicalId(id: string): string | undefined {
  if (!/^\d+(\.\d+)*$/.test(id)) return undefined;
  const parts = id.split('.').map((p) => BigInt(p));
  if (parts.every((p) => p === 0n)) return undefined;
  while (parts[parts.length - 1] === 0n) parts.pop();
  return parts.map(String).join('.');
}

/** Python's comparison of the canonical int lists: negative when a < b. */
export function compareIds(a: string, b: string): number {
  const x = a.split('.').map((p) => BigInt(p));
  const y = b.split('.').map((p) => BigInt(p));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

export function highestId(ids: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const id of ids) if (best === undefined || compareIds(id, best) > 0) best = id;
  return best;
}

/**
 * A fresh date-style id (`2026.12.02`, as the SDK docs recommend) above every id in `taken`; when today's
 * date is not above them, the highest id with `.1` appended, which sorts right after it.
 */
export function freshId(taken: Iterable<string>, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const today = `${now.getUTCFullYear()}.${pad(now.getUTCMonth() + 1)}.${pad(now.getUTCDate())}`;
  const top = highestId([...taken].map((t) => canonicalId(t)).filter((t): t is string => t !== undefined));
  const day = canonicalId(today)!;
  if (top === undefined || compareIds(day, top) > 0) return today;
  // Today's date is taken: the next of today's sub-ids (`2026.12.02.1`, `.2`, ...) when that sorts above.
  const rest = top.startsWith(`${day}.`) ? top.slice(day.length + 1).split('.') : top === day ? [] : undefined;
  if (rest) return `${today}.${rest.length === 0 ? 1 : Number(rest[0]) + 1}`;
  return `${top}.1`;
}
