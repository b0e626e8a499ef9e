// ajv checks `uniqueItems` of arrays whose items have no declared type by comparing every pair, so a
// 100,000-value `enum` took minutes. Those checks run through this keyword instead: the same answer
// (the same pair of indices as ajv reports), found with one hash lookup per item. The generated
// validators (generated/metaValidators.ts) call `uniqueItemsLinear` from here.
import type { ErrorObject } from 'ajv';

export const LINEAR_UNIQUE_ITEMS = 'x-uniqueItemsLinear';

/** Swap `uniqueItems` for the linear keyword wherever ajv would compare every pair. */
export function useLinearUniqueItems(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(useLinearUniqueItems);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const items = o.items as { type?: unknown } | undefined;
  if (o.uniqueItems === true && typeof items?.type !== 'string') {
    delete o.uniqueItems;
    o[LINEAR_UNIQUE_ITEMS] = true;
  }
  Object.values(o).forEach(useLinearUniqueItems);
}

/** ajv's pairwise check: the last item that equals an earlier one (i), and the nearest such earlier item (j). */
export function uniqueItemsLinear(this: unknown, data: unknown[]): boolean {
  const last = new Map<string, number>();
  let found: { i: number; j: number } | undefined;
  data.forEach((item, i) => {
    const key = canonicalJson(item);
    const j = last.get(key);
    if (j !== undefined) found = { i, j };
    last.set(key, i);
  });
  if (!found) return true;
  (uniqueItemsLinear as { errors?: Partial<ErrorObject>[] }).errors = [
    { keyword: 'uniqueItems', params: found, message: `must NOT have duplicate items (items ## ${found.j} and ${found.i} are identical)` },
  ];
  return false;
}

/** JSON text with object keys sorted: equal for values ajv's deep equality calls equal. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
