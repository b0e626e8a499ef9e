// dvp's config errors are jsonschema messages built from Python's repr() of the offending value
// (`1.0 is not of type 'string'`, `'x' does not match '^...$'`). Problems carry that exact text in
// `data.dvpMessage`, so the CLI can show what `dvp build` itself would print.

import { pythonFloatRepr } from './yaml11Scalars';

/** A value as it looks after dvp's `json.loads(json.dumps(yaml.safe_load(...)))`. */
export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | { [key: string]: PyValue };

/** A float whose value is integral (`1.0`): JavaScript cannot tell it from the int 1 otherwise. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export function pythonStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

export function pythonRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return pythonFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pythonFloatRepr(v);
  if (typeof v === 'string') return pythonStrRepr(v);
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${pythonStrRepr(k)}: ${pythonRepr(x)}`)
    .join(', ')}}`;
}
