// The checks `dvp build` runs on schema.json (sdk-spec §2.1-2.2), with Plugin Studio's meta-schema
// (pluginMetaSchema.json) and ajv. ajv's raw errors are regrouped: the branches of an `anyOf` become
// one explanation, each error is placed on the key or value it is about, and the message says what to
// write. The wording python-jsonschema gives inside `dvp build` is kept in `data.dvpMessage`, so an
// author can match the two.

import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonPath } from '../model';
import type { Fix } from '../types';
import {
  addMemberEdit,
  type CheckContext,
  describeValue,
  fix,
  keyRangeOf,
  nodeRange,
  pyRepr,
  removeElementEdit,
  replaceEdit,
  report,
} from './checkContext';
import { keyOf, members, memberMap, nodeAtPath, propertyAtPath, valueOf } from './jsonTree';
import { DEFINITION_KEYS, DISCOVERED_DEFINITIONS, KEYWORDS_BY_NAME, SIMPLE_TYPES } from './keywords';
import { closestWord } from './nearMiss';
import { bare } from '../messages';
import { withRecordSize, withoutRecordSize } from './generated/metaValidators';
import { classifyPath, type PathContext, type SchemaSite, siteLabel } from './schemaSites';

/**
 * The meta-schema validator for an SDK: with the SDK 5.0.1 record-size rule, or without it. Generated
 * at development time (metaValidatorSource.ts): compiling it here took half the CPU time of a check.
 */
export function metaValidator(recordSizeCheck: boolean): ValidateFunction {
  return (recordSizeCheck ? withRecordSize : withoutRecordSize) as unknown as ValidateFunction;
}

/** The version that introduced the record-size rule, for messages. */
const RECORD_SIZE_SDK = '5.0.1';

type Grouped =
  | { kind: 'ajv'; error: ErrorObject; path: JsonPath }
  | { kind: 'typeValue'; path: JsonPath }
  | { kind: 'shape'; path: JsonPath; keyword: string };

function decodePointer(pointer: string, value: unknown): JsonPath {
  if (pointer === '') return [];
  const path: JsonPath = [];
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      path.push(i);
      cur = cur[i];
    } else {
      path.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function isUnder(path: JsonPath, prefix: JsonPath): boolean {
  return path.length > prefix.length && prefix.every((s, i) => s === path[i]);
}

/** Regroup ajv's errors: one entry per thing the author has to change. */
function group(errors: ErrorObject[], value: unknown): Grouped[] {
  const decoded = errors.map((error) => ({ error, path: decodePointer(error.instancePath, value) }));
  const out: Grouped[] = [];
  const consumed = new Set<number>();
  // A bad `type` keyword value: ajv reports each anyOf branch; explain it once from the value itself.
  const typePaths: JsonPath[] = [];
  decoded.forEach((d, i) => {
    if (d.error.schemaPath.includes('/withRecordSize/')) return;
    const ctx = classifyPath(d.path);
    let typePath: JsonPath | undefined;
    if (ctx.kind === 'keywordValue' && ctx.keyword === 'type') typePath = d.path;
    else if (ctx.kind === 'keywordItem' && ctx.keyword === 'type') typePath = d.path.slice(0, -1);
    if (!typePath) return;
    consumed.add(i);
    if (!typePaths.some((p) => samePath(p, typePath!))) typePaths.push(typePath);
  });
  for (const p of typePaths) out.push({ kind: 'typeValue', path: p });
  // Other anyOf (`items`, `dependencies` values): keep the errors of the branch the value was meant
  // for (they sit deeper); when there are none, the value fits no branch: one error for it.
  decoded.forEach((d, i) => {
    if (consumed.has(i) || d.error.keyword !== 'anyOf') return;
    const deeper = decoded.some((o, j) => !consumed.has(j) && isUnder(o.path, d.path));
    decoded.forEach((o, j) => {
      if (samePath(o.path, d.path)) consumed.add(j);
    });
    if (!deeper) out.push({ kind: 'shape', path: d.path, keyword: String(d.path[d.path.length - 1]) });
  });
  const seen = new Set<string>();
  decoded.forEach((d, i) => {
    if (consumed.has(i)) return;
    // An allOf of two schemas that both demand an object reports the same type error twice.
    const key = d.error.keyword === 'type' ? `${d.error.instancePath}|type` : `${d.error.instancePath}|${d.error.keyword}|${JSON.stringify(d.error.params)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind: 'ajv', error: d.error, path: d.path });
  });
  return out;
}

/** Run the meta-schema on the parsed value and report every failure as a `dvp: true` error. */
export function checkMetaSchema(ctx: CheckContext): void {
  const validate = metaValidator(ctx.sdk.recordSizeCheck);
  if (validate(ctx.value)) return;
  for (const g of group(validate.errors ?? [], ctx.value)) {
    if (g.kind === 'typeValue') typeValueProblem(ctx, g.path);
    else if (g.kind === 'shape') shapeProblem(ctx, g.path);
    else ajvProblem(ctx, g.error, g.path);
  }
}

// ---- helpers for messages -------------------------------------------------------------------------

function valueAt(ctx: CheckContext, path: JsonPath): unknown {
  let cur: unknown = ctx.value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** `additionalProperties` of `linkedSourceDefinition` / `type` of `mountLocation` in `linkedSourceDefinition`. */
function keywordLabel(keyword: string, owner: SchemaSite): string {
  return `\`${keyword}\` of ${siteLabel(owner)}`;
}

function placeOf(path: JsonPath): { ctx: PathContext; label: string; keyword?: string } {
  const ctx = classifyPath(path);
  switch (ctx.kind) {
    case 'schema': {
      // A schema-valued keyword (`additionalProperties`, `items`, `not`) reads better named as the keyword.
      const last = path[path.length - 1];
      const parent = path.length > 1 ? classifyPath(path.slice(0, -1)) : undefined;
      if (typeof last === 'string' && parent?.kind === 'schema' && KEYWORDS_BY_NAME.has(last)) {
        return { ctx, label: keywordLabel(last, parent.site), keyword: last };
      }
      return { ctx, label: siteLabel(ctx.site) };
    }
    case 'keywordValue':
      return { ctx, label: keywordLabel(ctx.keyword, ctx.owner), keyword: ctx.keyword };
    case 'keywordItem':
      return { ctx, label: `item ${ctx.index + 1} of ${keywordLabel(ctx.keyword, ctx.owner)}`, keyword: ctx.keyword };
    case 'schemaMap':
    case 'schemaList':
      return { ctx, label: keywordLabel(ctx.keyword, ctx.owner), keyword: ctx.keyword };
    default:
      return { ctx, label: `\`${path.join('.')}\`` };
  }
}

function valueRangeAt(ctx: CheckContext, path: JsonPath) {
  const node = nodeAtPath(ctx.root, path);
  if (node) return nodeRange(ctx, node);
  const prop = propertyAtPath(ctx.root, path);
  return prop ? keyRangeOf(ctx, prop) : nodeRange(ctx, ctx.root);
}

const EXPECTATIONS: Record<string, string> = {
  string: 'a string',
  boolean: '`true` or `false`',
  number: 'a number',
  count: 'a whole number of 0 or more',
  schema: 'a schema: an object such as `{ "type": "string" }`, or `true` / `false`',
  schemaMap: 'an object mapping each name to its schema',
  schemaList: 'a non-empty list of schemas',
  items: 'a schema object or a list of schemas',
  stringList: 'a list of property names such as `["name"]`',
  array: 'a list',
  object: 'an object',
  type: 'a type name such as `"string"`',
};

function expectationFor(keyword: string | undefined, ctx: PathContext, ajvTypes: string[]): string {
  if (keyword === 'additionalProperties') return '`false`, `true` or a schema object';
  if (ctx.kind === 'keywordItem' && (keyword === 'required' || keyword === 'identityFields')) return 'a property name (a string)';
  const info = keyword ? KEYWORDS_BY_NAME.get(keyword) : undefined;
  if (info && EXPECTATIONS[info.value] && (ctx.kind === 'keywordValue' || ctx.kind === 'schema' || ctx.kind === 'schemaMap' || ctx.kind === 'schemaList')) return EXPECTATIONS[info.value];
  if (ctx.kind === 'schema') return EXPECTATIONS.schema;
  return ajvTypes.map((t) => (t === 'integer' ? 'a whole number' : t === 'array' ? 'a list' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`)).join(' or ');
}

// ---- one problem per regrouped error --------------------------------------------------------------

function typeValueProblem(ctx: CheckContext, path: JsonPath): void {
  const node = nodeAtPath(ctx.root, path);
  const value = valueAt(ctx, path);
  const owner = (classifyPath(path) as { owner?: SchemaSite }).owner;
  const where = owner ? ` (in ${siteLabel(owner)})` : '';
  const typeList = SIMPLE_TYPES.map((t) => `\`${t}\``).join(', ');
  const dvpMessage = `${pyRepr(value)} is not valid under any of the given schemas`;
  if (!node) return;
  const badName = (v: unknown): v is string => typeof v === 'string' && !(SIMPLE_TYPES as readonly string[]).includes(v);
  if (typeof value === 'string') {
    const guess = closestWord(value, SIMPLE_TYPES) ?? (value.toLowerCase() === 'str' ? 'string' : value.toLowerCase() === 'int' ? 'integer' : value.toLowerCase() === 'bool' ? 'boolean' : value.toLowerCase() === 'float' ? 'number' : value.toLowerCase() === 'dict' ? 'object' : value.toLowerCase() === 'list' ? 'array' : undefined);
    const fixes: Fix[] = guess ? [fix(`Change to "${guess}"`, [replaceEdit(ctx, node, JSON.stringify(guess))], true)] : [];
    report(ctx, nodeRange(ctx, node), 'error', 'schema.type.unknown',
      `'${value}' is not a JSON Schema type${guess ? `; did you mean '${guess}'?` : '.'}`,
      true, { fixes, data: { dvpMessage }, detail: `In ${owner ? siteLabel(owner) : 'this schema'}. Use one of ${typeList}. dvp build: ${dvpMessage}.` });
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const items = node.children ?? [];
    let reported = false;
    value.forEach((v, i) => {
      if (!badName(v) && typeof v === 'string') return;
      const itemNode = items[i];
      if (!itemNode) return;
      reported = true;
      const guess = typeof v === 'string' ? closestWord(v, SIMPLE_TYPES) : undefined;
      report(ctx, nodeRange(ctx, itemNode), 'error', 'schema.type.unknown',
        `${typeof v === 'string' ? `'${v}'` : describeValue(v)} is not a JSON Schema type${guess ? `; did you mean '${guess}'?` : '.'}`,
        true, {
          fixes: guess ? [fix(`Change to "${guess}"`, [replaceEdit(ctx, itemNode, JSON.stringify(guess))], true)] : [],
          data: { dvpMessage },
          detail: `In ${owner ? siteLabel(owner) : 'this schema'}. Use one of ${typeList}. dvp build: ${dvpMessage}.`,
        });
    });
    if (reported) return;
    const dup = value.findIndex((v, i) => value.indexOf(v) !== i);
    if (dup >= 0) {
      const edit = removeElementEdit(ctx, node, dup);
      report(ctx, nodeRange(ctx, items[dup] ?? node), 'error', 'schema.type.duplicate',
        `\`type\`${where} lists \`${String(value[dup])}\` twice: remove the repeat. (dvp build: ${dvpMessage})`,
        true, { fixes: edit ? [fix('Remove the repeated type', [edit], true)] : [], data: { dvpMessage } });
      return;
    }
  }
  report(ctx, nodeRange(ctx, node), 'error', 'schema.type.invalid',
    `'type' must be a type name such as "string", not ${describeValue(value)}.`,
    true, { data: { dvpMessage }, detail: `In ${owner ? siteLabel(owner) : 'this schema'}: a type name or a non-empty list of distinct type names. Use one of ${typeList}. dvp build: ${dvpMessage}.` });
}

function shapeProblem(ctx: CheckContext, path: JsonPath): void {
  const value = valueAt(ctx, path);
  const place = placeOf(path);
  const parent = classifyPath(path.slice(0, -1));
  const keyword = place.keyword ?? (parent.kind === 'schemaMap' ? parent.keyword : String(path[path.length - 1]));
  const dvpMessage = `${pyRepr(value)} is not valid under any of the given schemas`;
  const expectation = keyword === 'items'
    ? EXPECTATIONS.items
    : keyword === 'dependencies'
      ? 'a schema object or a list of property names'
      : 'a schema or a list';
  report(ctx, valueRangeAt(ctx, path), 'error', 'schema.keyword.type',
    `${place.label} must be ${expectation}, not ${describeValue(value)}. (dvp build: ${dvpMessage})`,
    true, { data: { dvpMessage } });
}

function ajvProblem(ctx: CheckContext, error: ErrorObject, path: JsonPath): void {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return requiredProblem(ctx, path, String(params.missingProperty));
    case 'additionalProperties':
      return unknownTopLevelKey(ctx, [...path, String(params.additionalProperty)]);
    case 'type':
      return typeProblem(ctx, path, Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(','));
    case 'enum':
      if (error.schemaPath.includes('/withRecordSize/')) return recordSizeTypeProblem(ctx, path);
      break;
    case 'minItems': {
      const place = placeOf(path);
      const dvpMessage = `${pyRepr(valueAt(ctx, path))} is too short`;
      const what = place.keyword === 'enum' ? 'at least one allowed value' : 'at least one schema';
      report(ctx, valueRangeAt(ctx, path), 'error', 'schema.keyword.empty',
        `${place.label} is empty: it must list ${what}. Remove it or add ${place.keyword === 'enum' ? 'values' : 'schemas'}. (dvp build: ${dvpMessage})`,
        true, { data: { dvpMessage } });
      return;
    }
    case 'uniqueItems': {
      const place = placeOf(path);
      const node = nodeAtPath(ctx.root, path);
      const value = valueAt(ctx, path) as unknown[];
      const later = Math.max(Number(params.i), Number(params.j));
      const item = node?.children?.[later];
      const dvpMessage = `${pyRepr(value)} has non-unique elements`;
      const edit = node ? removeElementEdit(ctx, node, later) : undefined;
      report(ctx, item ? nodeRange(ctx, item) : valueRangeAt(ctx, path), 'error', 'schema.keyword.duplicateItem',
        `${place.label} lists ${typeof value?.[later] === 'string' ? `\`${String(value[later])}\`` : pyRepr(value?.[later])} twice: remove the repeat. (dvp build: ${dvpMessage})`,
        true, { fixes: edit ? [fix('Remove the repeated item', [edit], true)] : [], data: { dvpMessage } });
      return;
    }
    case 'minimum': {
      const place = placeOf(path);
      const v = valueAt(ctx, path);
      const dvpMessage = `${pyRepr(v)} is less than the minimum of ${String(params.limit)}`;
      report(ctx, valueRangeAt(ctx, path), 'error', 'schema.keyword.range',
        `${place.label} must be ${String(params.limit)} or more, not ${String(v)}. (dvp build: ${dvpMessage})`, true, { data: { dvpMessage } });
      return;
    }
    case 'exclusiveMinimum': {
      const place = placeOf(path);
      const v = valueAt(ctx, path);
      const dvpMessage = `${pyRepr(v)} is less than or equal to the minimum of ${String(params.limit)}`;
      report(ctx, valueRangeAt(ctx, path), 'error', 'schema.keyword.range',
        `${place.label} must be greater than ${String(params.limit)}, not ${String(v)}. (dvp build: ${dvpMessage})`, true, { data: { dvpMessage } });
      return;
    }
    default:
      break;
  }
  // A rule of the meta-schema without a dedicated explanation: still say where and what.
  const place = placeOf(path);
  report(ctx, valueRangeAt(ctx, path), 'error', 'schema.meta', `${place.label} ${error.message ?? 'is not valid'}.`, true, {
    data: { dvpMessage: error.message },
  });
}

function requiredProblem(ctx: CheckContext, path: JsonPath, missing: string): void {
  const dvpMessage = `${pyRepr(missing)} is a required property`;
  if (path.length === 0) return missingDefinition(ctx, missing, dvpMessage);
  const defKey = String(path[0]);
  const prop = propertyAtPath(ctx.root, path);
  const defNode = nodeAtPath(ctx.root, path);
  const range = prop ? keyRangeOf(ctx, prop) : valueRangeAt(ctx, path);
  const fixes: Fix[] = [];
  // A misspelt key (`identityField`) is the likeliest cause: renaming it is the fix.
  const typo = members(defNode).find((p) => closestWord(keyOf(p), [missing]) === missing);
  if (typo) fixes.push(fix(`Rename \`${keyOf(typo)}\` to \`${missing}\``, [replaceEdit(ctx, typo.children![0], JSON.stringify(missing))], true));
  const what = defKey === 'repositoryDefinition' ? 'repository' : 'source config';
  const props = memberMap(nodeAtPath(ctx.root, [...path, 'properties']));
  const stringProps = [...props.entries()].filter(([, p]) => {
    const t = valueOf(p) && nodeAtPath(valueOf(p), ['type']);
    return t?.type === 'string' && t.value === 'string';
  }).map(([k]) => k);
  let message: string;
  if (missing === 'nameField') {
    message = `\`${defKey}\` needs \`nameField\`: add \`"nameField": "<a string property>"\` naming the property shown as the ${what}'s name.`;
    if (defNode && defNode.type === 'object') fixes.push(fix(`Add "nameField": "${stringProps[0] ?? ''}"`, [addMemberEdit(ctx, defNode, 'nameField', JSON.stringify(stringProps[0] ?? ''))], !typo));
  } else if (missing === 'identityFields') {
    message = `\`${defKey}\` needs \`identityFields\`: add \`"identityFields": ["<property>", ...]\` listing the properties that together identify a ${what} (when discovery runs again, objects whose identity fields all match are the same ${what}).`;
    const nameField = nodeAtPath(ctx.root, [...path, 'nameField']);
    const first = nameField?.type === 'string' ? String(nameField.value) : [...props.keys()][0];
    if (defNode && defNode.type === 'object') fixes.push(fix(`Add "identityFields": [${first !== undefined ? JSON.stringify(first) : ''}]`, [addMemberEdit(ctx, defNode, 'identityFields', first !== undefined ? `[${JSON.stringify(first)}]` : '[]')], !typo));
  } else {
    message = `${placeOf(path).label} needs \`${missing}\`.`;
  }
  if (typo) message += ` (\`${keyOf(typo)}\` on line ${ctx.lines.positionAt(typo.offset).line + 1} looks like a misspelling of it.)`;
  report(ctx, range, 'error', `schema.${missing}.missing`, `${message} (dvp build: ${dvpMessage})`, true, { fixes, data: { dvpMessage } });
}

const DEFINITION_SKELETONS: Record<string, string> = {
  repositoryDefinition: '{ "type": "object", "properties": { "name": { "type": "string" } }, "nameField": "name", "identityFields": ["name"] }',
  sourceConfigDefinition: '{ "type": "object", "properties": { "name": { "type": "string" } }, "nameField": "name", "identityFields": ["name"] }',
};

function missingDefinition(ctx: CheckContext, missing: string, dvpMessage: string): void {
  const rootBrace = ctx.lines.range(ctx.root.offset, ctx.root.offset + 1);
  const fixes: Fix[] = [];
  const typo = members(ctx.root).find((p) => !(DEFINITION_KEYS as readonly string[]).includes(keyOf(p)) && closestWord(keyOf(p), [missing]) === missing);
  let message = `schema.json has no \`${missing}\`: dvp requires all six definitions, even those the plugin does not use.`;
  if (typo) {
    message += ` (\`${keyOf(typo)}\` on line ${ctx.lines.positionAt(typo.offset).line + 1} looks like a misspelling of it.)`;
    fixes.push(fix(`Rename \`${keyOf(typo)}\` to \`${missing}\``, [replaceEdit(ctx, typo.children![0], JSON.stringify(missing))], true));
  } else {
    message += ` Add \`"${missing}": { "type": "object", "properties": {} }\`${DISCOVERED_DEFINITIONS.has(missing) ? ' with `nameField` and `identityFields`' : ''}.`;
  }
  if (ctx.root.type === 'object') {
    const skeleton = DEFINITION_SKELETONS[missing] ?? '{ "type": "object", "additionalProperties": false, "properties": {} }';
    fixes.push(fix(`Add an empty \`${missing}\``, [addMemberEdit(ctx, ctx.root, missing, skeleton)], !typo));
  }
  report(ctx, rootBrace, 'error', 'schema.definition.missing', `${message} (dvp build: ${dvpMessage})`, true, { fixes, data: { dvpMessage } });
}

function unknownTopLevelKey(ctx: CheckContext, path: JsonPath): void {
  const key = String(path[path.length - 1]);
  const prop = propertyAtPath(ctx.root, path);
  if (!prop) return;
  const dvpMessage = `Additional properties are not allowed (${pyRepr(key)} was unexpected)`;
  const present = new Set(members(ctx.root).map(keyOf));
  const guess = closestWord(key, DEFINITION_KEYS.filter((d) => !present.has(d)));
  const fixes: Fix[] = guess ? [fix(`Rename to \`${guess}\``, [replaceEdit(ctx, prop.children![0], JSON.stringify(guess))], true)] : [];
  const message = guess
    ? `Unknown top-level key \`${key}\`: did you mean \`${guess}\`? schema.json holds only the six definitions.`
    : `Unknown top-level key \`${key}\`: schema.json holds only the six definitions (${DEFINITION_KEYS.map((d) => `\`${d}\``).join(', ')}). Move its content into one of them or remove it.`;
  report(ctx, keyRangeOf(ctx, prop), 'error', 'schema.definition.unknown', `${message} (dvp build: ${dvpMessage})`, true, { fixes, data: { dvpMessage } });
}

function typeProblem(ctx: CheckContext, path: JsonPath, types: string[]): void {
  const value = valueAt(ctx, path);
  const node = nodeAtPath(ctx.root, path);
  const place = placeOf(path);
  const dvpMessage = `${pyRepr(value)} is not of type ${types.map((t) => pyRepr(t)).join(', ')}`;
  if (place.ctx.kind === 'schema' && place.ctx.site.atDefinitionTop) {
    report(ctx, valueRangeAt(ctx, path), 'error', 'schema.definition.type',
      `${place.ctx.site.definitionKey} must be a JSON Schema object, not ${describeValue(value)}.`,
      true, { data: { dvpMessage }, detail: `Write a schema object such as \`{ "type": "object", "properties": { ... } }\`. dvp build: ${dvpMessage}.` });
    return;
  }
  const fixes: Fix[] = [];
  let code = 'schema.keyword.type';
  let message = `${place.label} must be ${expectationFor(place.keyword, place.ctx, types)}, not ${describeValue(value)}.`;
  if (node && typeof value === 'string' && (value === 'true' || value === 'false') && types.includes('boolean')) {
    if (place.keyword === 'additionalProperties') code = 'schema.additionalProperties.string';
    message = `${bare(place.label)} must be the boolean ${value}, not the string "${value}".`;
    fixes.push(fix(`Use the boolean ${value}`, [replaceEdit(ctx, node, value)], true));
  } else if (node && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) && (types.includes('number') || types.includes('integer'))) {
    message = `${place.label} must be a number, not the string "${value}": remove the quotes.`;
    fixes.push(fix(`Use the number ${value}`, [replaceEdit(ctx, node, value)], true));
  } else if (node && typeof value === 'string' && types.includes('array') && place.ctx.kind === 'keywordValue') {
    message = `${place.label} must be a list, not a single string: write \`[${JSON.stringify(value)}]\`.`;
    fixes.push(fix(`Write [${JSON.stringify(value)}]`, [replaceEdit(ctx, node, `[${JSON.stringify(value)}]`)], true));
  }
  report(ctx, valueRangeAt(ctx, path), 'error', code, `${message} (dvp build: ${dvpMessage})`, true, { fixes, data: { dvpMessage } });
}

function recordSizeTypeProblem(ctx: CheckContext, path: JsonPath): void {
  const value = valueAt(ctx, path);
  const defKey = String(path[0]);
  const node = nodeAtPath(ctx.root, path);
  const dvpMessage = `${pyRepr(value)} is not one of ['integer']`;
  const fixes: Fix[] = node ? [fix('Change to "integer"', [replaceEdit(ctx, node, '"integer"')], true)] : [];
  report(ctx, valueRangeAt(ctx, path), 'error', 'schema.recordSizeInKB.type',
    `\`recordSizeInKB\` in \`${defKey}\` must have \`"type": "integer"\` (a whole number of KB), not ${describeValue(value)}. This rule comes with SDK ${RECORD_SIZE_SDK}; dvp ${ctx.sdk.version} enforces it. (dvp build: ${dvpMessage})`,
    true, { fixes, data: { dvpMessage, since: RECORD_SIZE_SDK } });
}

