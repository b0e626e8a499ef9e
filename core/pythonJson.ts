// JSON read and written exactly as dvp's Python does: `json.load` for schema.json and for the upload
// artifact, `json.dump(indent=4)` for artifact.json, `json.dumps` (default options) for the upload body.
// JavaScript's JSON.parse would lose what Python keeps: the order of integer-like keys (a JS object puts
// "1" and "10" first), `1.0` versus `1`, integers beyond 2^53; JSON.stringify would also differ in
// separators, float spelling and the ASCII escaping of `ensure_ascii=True`. So values are kept as they
// were written (PyNumber keeps the literal, PyObject keeps insertion order) and printed by Python's rules.

import { pythonFloatRepr } from './config/yaml11Scalars';

/** A JSON number with its original text: Python decides int versus float from the text. */
export class PyNumber {
  constructor(readonly text: string) {}

  get isInt(): boolean {
    return /^-?\d+$/.test(this.text);
  }

  /** The number as a double (what Python's float() of the text gives; big ints lose precision). */
  get value(): number {
    return Number(this.text);
  }
}

/** A JSON object in insertion order; a repeated key keeps its first position and its last value, as a dict does. */
export class PyObject {
  readonly entries = new Map<string, PyValue>();

  get(key: string): PyValue | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}

export type PyValue = null | boolean | string | PyNumber | PyValue[] | PyObject;

/** Python's JSONDecodeError: `message` is its `str()` (`Expecting value: line 1 column 7 (char 6)`). */
export class PyJsonSyntaxError extends Error {
  /** The bare reason, `Expecting value`. */
  readonly reason: string;
  /** Where, in UTF-16 code units of the text (JavaScript string index). */
  readonly offset: number;
  /** One-based line and column, and the zero-based character index, counted in code points as Python does. */
  readonly line: number;
  readonly column: number;
  readonly char: number;

  constructor(reason: string, text: string, offset: number) {
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.split('\n').length;
    const column = codePoints(before.slice(lineStart)) + 1;
    const char = codePoints(before);
    super(`${reason}: line ${line} column ${column} (char ${char})`);
    this.reason = reason;
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.char = char;
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export type PyJsonResult = { ok: true; value: PyValue } | { ok: false; error: PyJsonSyntaxError };

/** parsePyJson without the throw, for callers that turn the error into a message. */
export function readPyJson(text: string, options: ParseOptions = {}): PyJsonResult {
  try {
    return { ok: true, value: parsePyJson(text, options) };
  } catch (e) {
    if (e instanceof PyJsonSyntaxError) return { ok: false, error: e };
    throw e;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export interface ParseOptions {
  /**
   * Deepest nesting of arrays and objects accepted (default 1,000, about where Python's json module
   * gives up with a RecursionError). The parser recurses per level; this keeps it off the stack limit.
   */
  maxDepth?: number;
}

export const MAX_PY_JSON_DEPTH = 1000;

/**
 * Parses like Python's `json.loads` of a str (strict mode, NaN/Infinity accepted, the error positions
 * of its C scanner). Throws PyJsonSyntaxError, also for nesting deeper than `maxDepth`.
 */
export function parsePyJson(text: string, options: ParseOptions = {}): PyValue {
  const maxDepth = options.maxDepth ?? MAX_PY_JSON_DEPTH;
  let depth = 0;
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new PyJsonSyntaxError(reason, text, at);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
  const plain = /[^"\\\x00-\x1f]+/y;

  const value = (): PyValue => {
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', new PyNumber('NaN')],
      ['Infinity', new PyNumber('Infinity')],
      ['-Infinity', new PyNumber('-Infinity')],
    ] as [string, PyValue][]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    number.lastIndex = i;
    const m = number.exec(text);
    if (!m) return fail('Expecting value');
    i += m[0].length;
    return new PyNumber(m[0]);
  };

  const string = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string starting at', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail('Invalid control character at');
      if (c !== 0x5c) {
        // Take the whole run of plain characters at once: artifacts carry megabytes of base64.
        plain.lastIndex = i;
        const run = plain.exec(text)![0];
        out += run;
        i += run.length;
        continue;
      }
      const e = text[i + 1];
      if (e === undefined) fail('Unterminated string starting at', start);
      if (e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        i += 2;
      } else if (e === 'u') {
        // Python's scanner also wants a character after the four digits before it reads them.
        if (i + 6 >= text.length || !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('Invalid \\uXXXX escape', i + 1);
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        fail('Invalid \\escape', i);
      }
    }
  };

  /** From an opener to its `close`: members separated by commas, with Python's whitespace and errors. */
  const members = (close: string, member: () => void): void => {
    if (++depth > maxDepth) fail(`Nested more than ${maxDepth} levels deep at`);
    i++;
    ws();
    if (text[i] === close) {
      i++;
      depth--;
      return;
    }
    for (;;) {
      member();
      ws();
      if (text[i] === close) {
        i++;
        depth--;
        return;
      }
      if (text[i] !== ',') fail("Expecting ',' delimiter");
      i++;
      ws();
    }
  };

  const array = (): PyValue[] => {
    const out: PyValue[] = [];
    members(']', () => out.push(value()));
    return out;
  };

  const object = (): PyObject => {
    const out = new PyObject();
    members('}', () => {
      if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
      const key = string();
      ws();
      if (text[i] !== ':') fail("Expecting ':' delimiter");
      i++;
      ws();
      out.entries.set(key, value());
    });
    return out;
  };

  if (text.startsWith('\ufeff')) fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  ws();
  const result = value();
  ws();
  if (i !== text.length) fail('Extra data');
  return result;
}

export interface DumpOptions {
  /**
   * `indent=n`: one item per line, `,` at line ends, `: ` between key and value (Python's separators
   * once an indent is given). Without it, `json.dumps` defaults: one line, `, ` and `: `.
   */
  indent?: number;
}

/** `json.dumps(value)` (or `json.dumps(value, indent=n)`) with Python's other defaults: ASCII-only output, its float repr. */
export function dumpPyJson(value: PyValue, options: DumpOptions = {}): string {
  const indent = options.indent;
  if (indent === undefined) return compact(value);
  const pad = (depth: number) => '\n' + ' '.repeat(indent * depth);
  const write = (v: PyValue, depth: number): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const inner = pad(depth + 1);
      return '[' + inner + v.map((x) => write(x, depth + 1)).join(',' + inner) + pad(depth) + ']';
    }
    if (v instanceof PyObject) {
      if (v.entries.size === 0) return '{}';
      const inner = pad(depth + 1);
      const parts: string[] = [];
      for (const [k, x] of v.entries) parts.push(pyStr(k) + ': ' + write(x, depth + 1));
      return '{' + inner + parts.join(',' + inner) + pad(depth) + '}';
    }
    return scalar(v);
  };
  return write(value, 0);
}

function compact(value: PyValue): string {
  if (Array.isArray(value)) return '[' + value.map(compact).join(', ') + ']';
  if (value instanceof PyObject) {
    const parts: string[] = [];
    for (const [k, v] of value.entries) parts.push(pyStr(k) + ': ' + compact(v));
    return '{' + parts.join(', ') + '}';
  }
  return scalar(value);
}

function scalar(value: null | boolean | string | PyNumber): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pyStr(value);
  return pyNumber(value);
}

/** Builds an object from plain pairs (request bodies, the artifact), keeping their order. */
export function pyObject(pairs: [string, PyValue][]): PyObject {
  const o = new PyObject();
  for (const [k, v] of pairs) o.entries.set(k, v);
  return o;
}

/**
 * A plain JavaScript value (objects in their key order, numbers, strings, booleans, null) as a PyValue;
 * an integral number is a Python int. `undefined` properties are left out, as a dict would not have them.
 * PyValues inside are taken as they are.
 */
export function fromPlain(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string' || v instanceof PyNumber || v instanceof PyObject) return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return new PyNumber('NaN');
    if (!Number.isFinite(v)) return new PyNumber(v > 0 ? 'Infinity' : '-Infinity');
    return new PyNumber(Number.isInteger(v) && !Object.is(v, -0) ? BigInt(v).toString() : pythonFloatRepr(v));
  }
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object') {
    const o = new PyObject();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) o.entries.set(k, fromPlain(x));
    return o;
  }
  return String(v);
}

export interface ToPlainOptions {
  /** Keep float literals as their PyNumber (only ints become JS numbers), for code that must tell `1.0` from `1`. */
  keepFloats?: boolean;
}

/**
 * A PyValue as plain JavaScript data, for consumers written against JSON.parse output. What that gives
 * up: integer-like keys move first, big ints round to doubles (and floats to numbers unless kept).
 */
export function toPlain(v: PyValue, options: ToPlainOptions = {}): unknown {
  if (v instanceof PyNumber) return options.keepFloats && !v.isInt ? v : v.value;
  if (Array.isArray(v)) return v.map((x) => toPlain(x, options));
  if (v instanceof PyObject) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.entries) out[k] = toPlain(x, options);
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

/** Most strings need no escaping; testing first avoids a character-by-character copy of the source code. */
function pyStr(s: string): string {
  return /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s) ? `"${s}"` : pythonJsonString(s);
}

function pyNumber(n: PyNumber): string {
  // Python keeps integers exactly (arbitrary precision); `-0` as an int is plain 0.
  if (n.isInt) return n.text === '-0' ? '0' : n.text;
  const x = n.value;
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return pythonFloatRepr(x);
}
