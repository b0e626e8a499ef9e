// dvp reads schema.json with Python's `json.load` and writes the artifact with `json.dump(indent=4)`.
// JavaScript cannot tell `1.0` from `1`, and Python writes them differently, so the parse keeps float
// literals as `PyFloat` and the dump prints them the way Python does (`1.0`, `1e+16`), escaping
// non-ASCII characters as `ensure_ascii=True` does.

import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { PyFloat, type PyValue } from '../config/pythonRepr';
import { pythonFloatRepr } from '../config/yaml11Scalars';
import { LineIndex } from '../text';

export { PyFloat, type PyValue };

export type JsonParseResult = { ok: true; value: PyValue } | { ok: false; message: string; line: number; column: number };

/** Parse strict JSON (no comments, no trailing commas), keeping float literals as `PyFloat`. */
export function parsePythonJson(text: string): JsonParseResult {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const pos = new LineIndex(text).positionAt(e ? e.offset : 0);
    const message = e ? printParseErrorCode(e.error) : 'EmptyContent';
    return { ok: false, message, line: pos.line + 1, column: pos.character + 1 };
  }
  return { ok: true, value: fromNode(root, text) };
}

function fromNode(node: Node, text: string): PyValue {
  switch (node.type) {
    case 'object': {
      const out: { [key: string]: PyValue } = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = fromNode(v, text);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c) => fromNode(c, text));
    case 'number': {
      const raw = text.slice(node.offset, node.offset + node.length);
      return /[.eE]/.test(raw) ? new PyFloat(Number(raw)) : (node.value as number);
    }
    default:
      return node.value as PyValue;
  }
}

/** A PyValue as plain JSON data (floats become numbers), for code that does not care about float-ness. */
export function toPlainJson(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlainJson(x);
    return out;
  }
  return v;
}

/** `json.dumps(s)` of a string: ASCII only, non-BMP characters as surrogate pairs. */
export function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function pythonJsonNumber(v: number, float: boolean): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (!float && Number.isInteger(v)) return String(v);
  return pythonFloatRepr(v);
}

/**
 * `json.dumps(value, indent=indent)` as Python prints it: `", "`-free item separators with indent
 * (`","` at line ends, `": "` between key and value), `[]`/`{}` for empty containers.
 */
export function dumpPythonJson(value: unknown, indent = 4): string {
  const pad = (depth: number) => ' '.repeat(indent * depth);
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyFloat) return pythonJsonNumber(v.value, true);
    if (typeof v === 'number') return pythonJsonNumber(v, false);
    if (typeof v === 'string') return pythonJsonString(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return '[\n' + v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(',\n') + '\n' + pad(depth) + ']';
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{}';
      return (
        '{\n' +
        entries.map(([k, x]) => pad(depth + 1) + pythonJsonString(k) + ': ' + write(x, depth + 1)).join(',\n') +
        '\n' +
        pad(depth) +
        '}'
      );
    }
    return pythonJsonString(String(v));
  };
  return write(value, 0);
}
