// Plugin files a hostile or careless repository can hold, made at test time: a schema of about 51 MB,
// one nested 10,000 deep, and binary bytes mixed with the sequences that do harm on a terminal.
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../fuzz/rng';

const EXAMPLE_SCHEMA = path.resolve(__dirname, '..', '..', '..', 'examples', 'first-plugin', 'schema.json');

const exampleSchema = () => JSON.parse(fs.readFileSync(EXAMPLE_SCHEMA, 'utf8')) as Record<string, { properties: Record<string, unknown> }>;

/** A valid schema of about 51 MB: the example's with 221,000 more properties. */
export function hugeSchema(): string {
  const s = exampleSchema();
  const description = 'd'.repeat(120);
  for (let i = 0; i < 221_000; i++) s.repositoryDefinition.properties[`prop${i}`] = { type: 'string', prettyName: `Property ${i}`, description };
  return JSON.stringify(s, null, 2);
}

/** The example's schema with a value nested 10,000 deep. */
export function deepSchema(): string {
  return JSON.stringify(exampleSchema(), null, 2).replace('"type": "object"', `"default": ${'['.repeat(10_000)}${']'.repeat(10_000)}, "type": "object"`);
}

/** Random bytes with the sequences that do harm on a terminal mixed in: ESC, CSI (C1), CR, BEL, U+202E. */
export function binarySchema(): Buffer {
  const rng = new Rng(13);
  const parts: Buffer[] = [];
  const nasty = ['\x1b[31mRED\x1b[0m', '\x1b]0;title\x07', '\r\x1b[2K', 'ab\u202ecd', '\u009b31m', '\u2066x\u2069', '\x7f', '\x00'];
  for (let i = 0; i < 400; i++) {
    parts.push(Buffer.from(Array.from({ length: 40 }, () => rng.int(256))));
    parts.push(Buffer.from(rng.pick(nasty), 'utf8'));
    if (i % 7 === 0) parts.push(Buffer.from(`"k${i}": [tru`, 'utf8'));
  }
  return Buffer.concat(parts);
}

/**
 * C0 except newline, DEL, C1 and bidi controls, in output read as latin1 (a raw UTF-8 C1 or bidi
 * character shows as its bytes: C2 9B, E2 80 AE).
 */
export const RAW_CONTROL_BYTES = /[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c/;

/** The same characters in decoded text. */
export const RAW_CONTROL_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u2028-\u202e\u2066-\u2069]/;
