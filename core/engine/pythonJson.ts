// JSON read and written exactly as dvp's Python does (`json.load` then `json.dumps` with default
// options), so the bytes we upload equal the bytes `dvp upload` sends for the same artifact. JavaScript's
// JSON.parse would lose what Python keeps: the order of integer-like keys, `1.0` versus `1`, integers
// beyond 2^53; JSON.stringify would also differ in separators and non-ASCII escapes. (core/build's
// parsePythonJson yields plain objects for the build's indented output; the upload needs this lossless form.)
import { pythonJsonString } from '../build/pythonJson';
import { pythonFloatRepr } from '../config/yaml11Scalars';

/** A JSON number with its original text: Python decides int versus float from the text. */
export class PyNumber {
  constructor(readonly text: string) {}

  get isInt(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

/** A JSON object in insertion order; a repeated key keeps its first position and its last value, as a dict does. */
export class PyObject {
  readonly entries = new Map<string, PyValue>();

  get(key: string): PyValue | undefined {
    return this.entries.get(key);
  }
}

export type PyValue = null | boolean | string | PyNumber | PyValue[] | PyObject;

export class PyJsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses like Python's `json.loads` (strict mode, NaN/Infinity accepted). Throws PyJsonSyntaxError. */
export function parsePyJson(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new PyJsonSyntaxError(`${what} at offset ${i}`, i);
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
    ws();
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
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail('Invalid control character');
      if (c !== 0x5c) {
        // Take the whole run of plain characters at once: artifacts carry megabytes of base64.
        plain.lastIndex = i;
        const run = plain.exec(text)![0];
        out += run;
        i += run.length;
        continue;
      }
      const e = text[i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        fail('Invalid \\escape');
      }
    }
  };

  const array = (): PyValue[] => {
    i++;
    const out: PyValue[] = [];
    ws();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(value());
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return out;
      } else fail("Expecting ',' delimiter");
    }
  };

  const object = (): PyObject => {
    i++;
    const out = new PyObject();
    ws();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
      const key = string();
      ws();
      if (text[i] !== ':') fail("Expecting ':' delimiter");
      i++;
      out.entries.set(key, value());
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return out;
      } else fail("Expecting ',' delimiter");
    }
  };

  const result = value();
  ws();
  if (i !== text.length) fail('Extra data');
  return result;
}

/** `json.dumps(value)` with Python's defaults: `, ` and `: ` separators, ASCII-only output. */
export function dumpPyJson(value: PyValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pyStr(value);
  if (value instanceof PyNumber) return pyNumber(value);
  if (Array.isArray(value)) return '[' + value.map(dumpPyJson).join(', ') + ']';
  const parts: string[] = [];
  for (const [k, v] of value.entries) parts.push(pyStr(k) + ': ' + dumpPyJson(v));
  return '{' + parts.join(', ') + '}';
}

/** Builds an object from plain pairs (request bodies), keeping their order. */
export function pyObject(pairs: [string, PyValue][]): PyObject {
  const o = new PyObject();
  for (const [k, v] of pairs) o.entries.set(k, v);
  return o;
}

/** Most strings need no escaping; testing first avoids a character-by-character copy of the source code. */
function pyStr(s: string): string {
  return /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s) ? `"${s}"` : pythonJsonString(s);
}

function pyNumber(n: PyNumber): string {
  // Python keeps integers exactly (arbitrary precision); `-0` as an int is plain 0.
  if (n.isInt) return n.text === '-0' ? '0' : n.text;
  const x = Number(n.text);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return Object.is(x, -0) ? '-0.0' : pythonFloatRepr(x);
}
