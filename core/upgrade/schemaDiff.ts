// The differences between the baseline's and the current schema of one definition that can make an
// object saved under the baseline fail the new schema. Only narrowing counts: a widened type, a new
// optional property or a loosened constraint keeps every saved object valid, so it is not a change here.

import { editDistance } from '../editDistance';
import type { JsonPath } from '../model';

export type ChangeKind =
  | 'propertyRemoved'
  | 'propertyRenamed'
  | 'requiredAdded'
  | 'typeChanged'
  | 'enumValueRemoved'
  | 'constraintTightened'
  | 'additionalPropertiesOff'
  | 'identityFieldsChanged'
  | 'nameFieldChanged';

export interface SchemaChange {
  kind: ChangeKind;
  definition: string;
  /** The property concerned, outermost first (`['credentials', 'user']`); [] for the definition itself. */
  property: string[];
  /** Where it shows in the current schema, from the schema root; the closest existing node is used. */
  at: JsonPath;
  /** `at` names a property key (true) or a value (false). */
  atKey: boolean;
  /** The property it was renamed from (propertyRenamed), removed (propertyRemoved). */
  oldName?: string;
  /** The changed keyword (constraintTightened). */
  keyword?: string;
  before?: unknown;
  after?: unknown;
  /** Enum values no longer allowed (enumValueRemoved). */
  removedValues?: unknown[];
  /** The new property's `default`, when it has one (requiredAdded, propertyRenamed). */
  defaultValue?: unknown;
  /** requiredAdded: whether the property existed (optional) in the baseline. */
  existed?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Keywords that only describe a property; a rename keeps the shape when everything else is equal. */
const DESCRIPTIVE = new Set(['description', 'prettyName', 'title', 'default', 'examples', '$comment']);

function shapeOf(schema: unknown): string {
  if (!isObj(schema)) return JSON.stringify(schema);
  const keys = Object.keys(schema).filter((k) => !DESCRIPTIVE.has(k)).sort();
  return JSON.stringify(keys.map((k) => [k, schema[k]]));
}

/** Lower bounds that may only go down and upper bounds that may only go up; a new one tightens too. */
const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];

function typesOf(schema: Obj): string[] | undefined {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** Every type of `before` is still allowed by `after` (`integer` fits in `number`). */
function typesWidened(before: string[], after: string[]): boolean {
  return before.every((t) => after.includes(t) || (t === 'integer' && after.includes('number')));
}

export function diffDefinition(definition: string, before: unknown, after: unknown): SchemaChange[] {
  const out: SchemaChange[] = [];
  if (!isObj(before) || !isObj(after)) return out;
  for (const key of ['identityFields', 'nameField'] as const) {
    if (before[key] !== undefined && !same(before[key], after[key])) {
      out.push({ kind: key === 'identityFields' ? 'identityFieldsChanged' : 'nameFieldChanged', definition, property: [], at: [definition, key], atKey: true, before: before[key], after: after[key] });
    }
  }
  diffObjectSchema(definition, before, after, [], [definition], out);
  return out;
}

function diffObjectSchema(definition: string, before: Obj, after: Obj, property: string[], at: JsonPath, out: SchemaChange[]): void {
  const oldProps = isObj(before.properties) ? before.properties : {};
  const newProps = isObj(after.properties) ? after.properties : {};
  const oldRequired = new Set(Array.isArray(before.required) ? before.required.filter((r): r is string => typeof r === 'string') : []);
  const newRequired = Array.isArray(after.required) ? after.required.filter((r): r is string => typeof r === 'string') : [];

  const removed = Object.keys(oldProps).filter((k) => !(k in newProps));
  const added = Object.keys(newProps).filter((k) => !(k in oldProps));
  const renamedTo = new Map<string, string>();
  // Same shape, and of several candidates the closest name (`mountPath` -> `mountLocation`). Grouped by
  // shape, so a schema with thousands of properties costs a pass, not a product.
  const addedByShape = new Map<string, string[]>();
  for (const a of added) {
    const shape = shapeOf(newProps[a]);
    const list = addedByShape.get(shape);
    if (list) list.push(a);
    else addedByShape.set(shape, [a]);
  }
  const taken = new Set<string>();
  // Name distances are for real schemas (tens of properties); past this budget the first candidate of
  // the same shape is taken, so a generated schema with thousands of renames stays fast.
  let budget = 4000;
  for (const gone of removed) {
    let best: string | undefined;
    let bestDistance = Infinity;
    let looked = 0;
    for (const a of addedByShape.get(shapeOf(oldProps[gone])) ?? []) {
      if (taken.has(a)) continue;
      const d = budget-- > 0 ? editDistance(gone, a, 64) : 0;
      if (d < bestDistance) [best, bestDistance] = [a, d];
      if (++looked >= 32) break;
    }
    if (best !== undefined) {
      renamedTo.set(gone, best);
      taken.add(best);
    }
  }
  for (const gone of removed) {
    const to = renamedTo.get(gone);
    if (to) {
      const d = isObj(newProps[to]) ? (newProps[to] as Obj).default : undefined;
      out.push({ kind: 'propertyRenamed', definition, property: [...property, to], oldName: gone, at: [...at, 'properties', to], atKey: true, defaultValue: d });
    } else {
      out.push({ kind: 'propertyRemoved', definition, property: [...property, gone], oldName: gone, at: [...at, 'properties'], atKey: true, before: oldProps[gone], after: after.additionalProperties === false });
    }
  }
  const renamedFrom = new Map([...renamedTo].map(([from, to]) => [to, from]));
  for (const name of newRequired) {
    if (oldRequired.has(name)) continue;
    // A renamed property that was required under its old name keeps its value once the migration moves it.
    const from = renamedFrom.get(name);
    if (from !== undefined && oldRequired.has(from)) continue;
    const schema = newProps[name];
    out.push({
      kind: 'requiredAdded', definition, property: [...property, name], at: name in newProps ? [...at, 'properties', name] : [...at, 'required'], atKey: true,
      defaultValue: isObj(schema) ? schema.default : undefined, existed: name in oldProps || from !== undefined,
    });
  }
  if (before.additionalProperties !== false && after.additionalProperties === false) {
    out.push({ kind: 'additionalPropertiesOff', definition, property, at: [...at, 'additionalProperties'], atKey: true, after: Object.keys(newProps) });
  }
  for (const name of Object.keys(newProps)) {
    const oldName = name in oldProps ? name : renamedFrom.get(name);
    const old = oldName !== undefined ? oldProps[oldName] : undefined;
    if (!isObj(old) || !isObj(newProps[name])) continue;
    diffValueSchema(definition, old, newProps[name] as Obj, [...property, name], [...at, 'properties', name], out);
  }
}

function diffValueSchema(definition: string, before: Obj, after: Obj, property: string[], at: JsonPath, out: SchemaChange[]): void {
  const bt = typesOf(before);
  const at_ = typesOf(after);
  if ((bt && at_ && !typesWidened(bt, at_)) || (!bt && at_) || (before.$ref !== after.$ref && after.$ref !== undefined)) {
    const key = after.$ref !== undefined ? '$ref' : 'type';
    out.push({ kind: 'typeChanged', definition, property, at: [...at, key], atKey: false, before: before.$ref ?? before.type, after: after.$ref ?? after.type });
    return; // the other keywords of a different type say nothing about saved values
  }
  if (Array.isArray(after.enum)) {
    if (Array.isArray(before.enum)) {
      const gone = before.enum.filter((v) => !(after.enum as unknown[]).some((w) => same(v, w)));
      if (gone.length > 0) out.push({ kind: 'enumValueRemoved', definition, property, at: [...at, 'enum'], atKey: false, removedValues: gone, after: after.enum, defaultValue: after.default });
    } else out.push({ kind: 'constraintTightened', definition, property, keyword: 'enum', at: [...at, 'enum'], atKey: false, before: undefined, after: after.enum });
  }
  if (after.const !== undefined && !same(before.const, after.const)) {
    out.push({ kind: 'constraintTightened', definition, property, keyword: 'const', at: [...at, 'const'], atKey: false, before: before.const, after: after.const });
  }
  if (typeof after.pattern === 'string' && after.pattern !== before.pattern) {
    out.push({ kind: 'constraintTightened', definition, property, keyword: 'pattern', at: [...at, 'pattern'], atKey: false, before: before.pattern, after: after.pattern });
  }
  for (const k of [...LOWER, ...UPPER]) {
    const a = after[k];
    if (typeof a !== 'number') continue;
    const b = before[k];
    const tighter = typeof b !== 'number' || (LOWER.includes(k) ? a > b : a < b);
    if (tighter) out.push({ kind: 'constraintTightened', definition, property, keyword: k, at: [...at, k], atKey: false, before: b, after: a });
  }
  if (isObj(after.properties) || isObj(before.properties) || after.additionalProperties === false) {
    diffObjectSchema(definition, before, after, property, at, out);
  }
  if (isObj(before.items) && isObj(after.items)) diffValueSchema(definition, before.items, after.items, [...property, '[]'], [...at, 'items'], out);
}

/** The changes of every definition the engine keeps objects of. */
export function diffSchemas(definitions: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>): SchemaChange[] {
  return definitions.flatMap((d) => diffDefinition(d, before[d], after[d]));
}
