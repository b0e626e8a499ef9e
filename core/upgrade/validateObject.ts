// A migrated object checked against the new schema with the project's ajv set-up (bounded patterns,
// platform $refs), each failure as "which field, why", with the values of password fields masked:
// the engine cannot show values at all, we show them except secrets.

import type { ErrorObject } from 'ajv';
import { compiledFor, pluginAjv } from '../sync/profile';

export interface FieldFailure {
  /** `mountLocation`, `hosts[0].name`, or `(the object)`. */
  field: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Dotted field paths (array items as `[]`) whose schema says `format: password`. */
export function passwordFields(schema: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (!isObj(schema)) return out;
  if (schema.format === 'password' && prefix) out.add(prefix);
  if (isObj(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) passwordFields(v, prefix ? `${prefix}.${k}` : k, out);
  if (isObj(schema.items)) passwordFields(schema.items, `${prefix}[]`, out);
  return out;
}

export const MASK = '********';

/** The value for display: masked when the field is a password field. */
export function shown(field: string, value: unknown, secrets: Set<string>): string {
  if (secrets.has(field.replace(/\[\d+\]/g, '[]'))) return MASK;
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function fieldOf(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function valueAt(obj: unknown, pointer: string): unknown {
  let v = obj;
  for (const seg of pointer.split('/').slice(1)) v = isObj(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return v;
}

function describe(e: ErrorObject, value: unknown, secrets: Set<string>): FieldFailure {
  const base = fieldOf(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const v = () => shown(base, valueAt(value, e.instancePath), secrets);
  switch (e.keyword) {
    case 'required':
      return { field: base ? `${base}.${p.missingProperty}` : String(p.missingProperty), message: 'is required but missing' };
    case 'additionalProperties':
      return { field: base ? `${base}.${p.additionalProperty}` : String(p.additionalProperty), message: 'is not defined by the schema (additionalProperties is false)' };
    case 'type':
      return { field: base || '(the object)', message: `is ${v()}, not of type ${JSON.stringify(p.type)}` };
    case 'enum':
      return { field: base, message: `is ${v()}, not one of ${JSON.stringify(p.allowedValues)}` };
    case 'pattern':
      return { field: base, message: `is ${v()}, which does not match the pattern ${JSON.stringify(p.pattern)}` };
    case 'const':
      return { field: base, message: `is ${v()}, not ${JSON.stringify(p.allowedValue)}` };
    default:
      return { field: base || '(the object)', message: `is ${v()}: ${e.message ?? 'invalid'} (${e.keyword})` };
  }
}

export function validateObject(schema: unknown, value: unknown): { ok: true } | { ok: false; failures: FieldFailure[] } | { ok: false; unusable: string } {
  if (!isObj(schema)) return { ok: false, unusable: 'the definition is missing from schema.json' };
  const secrets = passwordFields(schema);
  // identityFields and nameField are Delphix keywords; ajv ignores unknown keywords (strict: false).
  let validate;
  try {
    validate = compiledFor(pluginAjv(), schema);
  } catch (e) {
    return { ok: false, unusable: `the definition is not a usable JSON Schema (${(e as Error).message})` };
  }
  if (validate(value)) return { ok: true };
  const failures = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => describe(e, value, secrets));
  return { ok: false, failures };
}
