// Checks what the user entered in a previewed form with the schema's own rules (the same ajv setup
// that checks sync profiles: bounded patterns, Delphix keywords ignored), and words each failure as
// the wizard does: the property's `validationMessages` where the schema gives one.

import type { ErrorObject } from 'ajv';
import { compiledFor, pluginAjv } from '../sync/profile';
import type { FormField } from './formModel';
import { isObj } from './formSchema';
import { pointer, submittedValues, visibility } from './formValues';

export interface FieldError {
  /** JSON pointer of the field (`/a/0/b`); `''` for the form as a whole. */
  pointer: string;
  message: string;
  /** The schema keyword that failed (`pattern`, `required`, ...). */
  keyword: string;
  /** The message came from the schema's `validationMessages`. */
  custom: boolean;
}

export type FormValidation = { ok: true; errors: FieldError[]; values: Record<string, unknown> } | { ok: false; message: string };

/** Validate the submitted values (hidden fields left out) of `root` against `definition`. */
export function validateForm(definition: unknown, root: FormField, values: unknown): FormValidation {
  if (!isObj(definition)) return { ok: false, message: 'the definition is not an object schema' };
  const submitted = submittedValues(root, values, visibility(root, values));
  let validate;
  try {
    validate = compiledFor(pluginAjv(), definition);
  } catch (e) {
    return { ok: false, message: `the definition is not a usable JSON Schema (${e instanceof Error ? e.message : String(e)})` };
  }
  if (validate(submitted)) return { ok: true, errors: [], values: submitted };
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => fieldError(definition, e));
  // One message per field and keyword: ajv repeats some (anyOf branches).
  const seen = new Set<string>();
  return { ok: true, values: submitted, errors: errors.filter((e) => !seen.has(e.pointer + ' ' + e.keyword) && seen.add(e.pointer + ' ' + e.keyword)) };
}

function fieldError(definition: Record<string, unknown>, e: ErrorObject): FieldError {
  const segments = e.instancePath === '' ? [] : e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { pointer: pointer([...segments, missing]), message: 'This field is required.', keyword: 'required', custom: false };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { pointer: pointer(segments), message: `\`${extra}\` is not a property of this object.`, keyword: e.keyword, custom: false };
  }
  const schema = schemaAt(definition, segments);
  const dx = isObj(schema) && isObj(schema.dxFormProperties) ? schema.dxFormProperties : undefined;
  const custom = dx && isObj(dx.validationMessages) ? dx.validationMessages[e.keyword] : undefined;
  if (typeof custom === 'string' && custom !== '') return { pointer: pointer(segments), message: custom, keyword: e.keyword, custom: true };
  let message = e.message ?? 'is not valid';
  if (e.keyword === 'enum') message += `: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
  return { pointer: pointer(segments), message: message.charAt(0).toUpperCase() + message.slice(1) + '.', keyword: e.keyword, custom: false };
}

/** The sub-schema that validates the value at `segments` (through `properties` and `items`). */
function schemaAt(schema: unknown, segments: string[]): unknown {
  let cur = schema;
  for (const seg of segments) {
    if (!isObj(cur)) return undefined;
    if (isObj(cur.properties) && seg in cur.properties) cur = cur.properties[seg];
    else if (cur.items !== undefined && /^\d+$/.test(seg)) cur = Array.isArray(cur.items) ? cur.items[Number(seg)] : cur.items;
    else return undefined;
  }
  return cur;
}
