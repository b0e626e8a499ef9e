// The classes the SDK's codegen makes from a schema.json: one per top-level definition and one per
// nested object (object properties with properties, object items of arrays, object values of maps),
// named and deduplicated as swagger-codegen's InlineModelResolver does (sdk-spec §3.2-3.4). The
// cross-check, hover, completion, codegen and the simulated runtime all read this one model.

import { DEFINITION_CLASSES } from './sdk/operations';
import { inlineModelKey, toModelFileName, toModelName, toPythonName } from './names';

export type JsonPath = (string | number)[];

export type PropertyKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object' // a dict (no properties, or a platform $ref such as credentialsSupplier)
  | 'map' // additionalProperties with a schema: Dict[str, inner]
  | 'model' // a nested generated class
  | 'array'
  | 'dropped'; // codegen leaves the property out of the class

export interface SchemaProperty {
  /** The key in schema.json (`mountLocation`). */
  key: string;
  /** The attribute / keyword argument in Python (`mount_location`). */
  pythonName: string;
  required: boolean;
  /** The property's sub-schema as written. */
  schema: Record<string, unknown>;
  /** Path of the property's sub-schema in schema.json: [definition, 'properties', key, ...]. */
  path: JsonPath;
  kind: PropertyKind;
  /** Python type as the generated class declares it: `str`, `List[str]`, `LinkedSourceDefinitionConfig`. */
  pythonType: string;
  /** The nested class this property holds (kind `model`), or whose instances its items/values are. */
  modelClass?: string;
  /** For arrays and maps: the kind of the items / values. */
  itemKind?: PropertyKind;
  /** Why codegen drops the property (kind `dropped`). */
  dropReason?: string;
  /** A platform credentials `$ref` (value is an opaque dict for `libs.retrieve_credentials`). */
  platformRef?: string;
}

export interface GeneratedClass {
  /** Python class name (`LinkedSourceDefinitionConfigSettings`). */
  name: string;
  /** The swagger model key (`linkedSourceDefinition_configSettings`). */
  rawName: string;
  /** The module under generated/definitions (`linked_source_definition_config_settings`). */
  moduleName: string;
  /** The top-level definition it comes from (`linkedSourceDefinition`). */
  definitionKey: string;
  /** Path of the class's object schema in schema.json. */
  path: JsonPath;
  topLevel: boolean;
  properties: SchemaProperty[];
  description?: string;
  /** Other places in the schema whose identical structure codegen folded into this class. */
  alsoAt: JsonPath[];
}

export interface GeneratedModel {
  classes: GeneratedClass[];
  byName: Map<string, GeneratedClass>;
  /** Class for each top-level definition key present in the schema. */
  byDefinition: Map<string, GeneratedClass>;
}

export const PLATFORM_REF_PREFIX = 'https://delphix.com/platform/api#';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasProperties(s: Record<string, unknown>): boolean {
  return isObject(s.properties) && Object.keys(s.properties).length > 0;
}

/** A schema that codegen turns into a model class (an object with at least one property). */
function isModelSchema(s: unknown): s is Record<string, unknown> {
  if (!isObject(s) || platformRef(s)) return false;
  const t = s.type;
  if (t !== undefined && t !== 'object' && !isObject(s.properties)) return false;
  if (isObject(s.additionalProperties)) return false;
  return hasProperties(s);
}

function platformRef(s: Record<string, unknown>): string | undefined {
  return typeof s.$ref === 'string' && s.$ref.startsWith(PLATFORM_REF_PREFIX) ? s.$ref : undefined;
}

/** Build the generated-class model of a parsed schema.json. Never throws on malformed input. */
export function buildModel(schema: unknown): GeneratedModel {
  const classes: GeneratedClass[] = [];
  const byName = new Map<string, GeneratedClass>();
  const byDefinition = new Map<string, GeneratedClass>();
  const takenRaw = new Set<string>();
  const signatures = new Map<string, GeneratedClass>();
  if (!isObject(schema)) return { classes, byName, byDefinition };

  for (const key of Object.keys(schema)) takenRaw.add(key);

  const uniqueRaw = (key: string): string => {
    const base = inlineModelKey(key);
    let name = base;
    for (let n = 1; takenRaw.has(name); n++) name = `${base}_${n}`;
    return name;
  };

  // Returns the class (new or deduplicated) for a nested object schema. InlineModelResolver names an
  // object property's class before flattening its children (children are named after it), but flattens
  // the children of array items / map values first, under the array's parent (`childPrefix`), and only
  // then picks the items' class name; the order decides who gets `_1` when names collide.
  const nested = (s: Record<string, unknown>, rawKey: string, path: JsonPath, definitionKey: string, childPrefix: string): GeneratedClass => {
    const pick = () => uniqueRaw(typeof s.title === 'string' ? s.title : rawKey);
    let raw = childPrefix === '' ? pick() : '';
    const props = flatten(s, childPrefix === '' ? raw : childPrefix, path, definitionKey);
    if (childPrefix !== '') raw = pick();
    const signature = modelSignature(s, props);
    const existing = signatures.get(signature);
    if (existing) {
      existing.alsoAt.push(path);
      return existing;
    }
    takenRaw.add(raw);
    const cls: GeneratedClass = {
      name: toModelName(raw),
      rawName: raw,
      moduleName: toModelFileName(raw),
      definitionKey,
      path,
      topLevel: false,
      properties: props,
      description: typeof s.description === 'string' ? s.description : undefined,
      alsoAt: [],
    };
    signatures.set(signature, cls);
    rawNames.set(cls.name, raw);
    register(cls);
    return cls;
  };

  // What swagger's `Json.pretty(model)` of a flattened inline model contains: its description and
  // example, and each kept property as swagger-core serialises it (nested models as bare `$ref`s,
  // Delphix keywords such as `prettyName` dropped). Identical signatures share one class.
  const rawNames = new Map<string, string>();
  const modelSignature = (s: Record<string, unknown>, props: SchemaProperty[]): string =>
    JSON.stringify({
      description: s.description ?? null,
      example: s.example ?? null,
      required: props.filter((p) => p.required && p.kind !== 'dropped').map((p) => p.key),
      properties: props.filter((p) => p.kind !== 'dropped').map((p) => [p.key, propertySignature(p.schema, p)]),
    });

  const propertySignature = (s: Record<string, unknown>, p: { kind: PropertyKind; modelClass?: string }): unknown => {
    if (p.kind === 'model') return { $ref: rawNames.get(p.modelClass ?? '') ?? p.modelClass };
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) if (SERIALIZED_KEYWORDS.has(k) || k.startsWith('x-')) kept[k] = v;
    if ((p.kind === 'array' || p.kind === 'map') && p.modelClass) kept[p.kind === 'array' ? 'items' : 'additionalProperties'] = { $ref: rawNames.get(p.modelClass) ?? p.modelClass };
    else if (p.kind === 'array' && isObject(s.items)) kept.items = s.items;
    else if (p.kind === 'map' && isObject(s.additionalProperties)) kept.additionalProperties = s.additionalProperties;
    return kept;
  };

  const register = (cls: GeneratedClass) => {
    classes.push(cls);
    if (!byName.has(cls.name)) byName.set(cls.name, cls);
  };

  const flatten = (objSchema: Record<string, unknown>, prefix: string, path: JsonPath, definitionKey: string): SchemaProperty[] => {
    const out: SchemaProperty[] = [];
    if (!isObject(objSchema.properties)) return out;
    const required = new Set(Array.isArray(objSchema.required) ? objSchema.required.filter((r): r is string => typeof r === 'string') : []);
    for (const [key, raw] of Object.entries(objSchema.properties)) {
      const s = isObject(raw) ? raw : {};
      const propPath = [...path, 'properties', key];
      const prop: SchemaProperty = {
        key,
        pythonName: toPythonName(key),
        required: required.has(key),
        schema: s,
        path: propPath,
        kind: 'dropped',
        pythonType: 'object',
      };
      describe(prop, s, `${prefix}_${key}`, propPath, definitionKey, prefix);
      out.push(prop);
    }
    return out;
  };

  const describe = (prop: SchemaProperty, s: Record<string, unknown>, rawKey: string, path: JsonPath, definitionKey: string, prefix: string) => {
    const ref = platformRef(s);
    if (ref) {
      Object.assign(prop, { kind: 'object', pythonType: 'object', platformRef: ref });
      return;
    }
    // swagger-core's PropertyDeserializer: a `properties` key makes an object whatever `type` says.
    const t = isObject(s.properties) ? 'object' : s.type;
    if (Array.isArray(t)) {
      Object.assign(prop, { kind: 'dropped', dropReason: 'it has several types (`"type": [...]`), which codegen cannot map to one Python type' });
      return;
    }
    if (t === undefined) {
      const combinator = ['anyOf', 'allOf', 'oneOf', 'not'].find((k) => k in s);
      if (combinator) Object.assign(prop, { kind: 'dropped', dropReason: `codegen does not support \`${combinator}\`` });
      else Object.assign(prop, { kind: 'dropped', dropReason: 'it has no `type`' });
      return;
    }
    switch (t) {
      case 'string': {
        const f = s.format;
        const pythonType = f === 'date' ? 'date' : f === 'date-time' ? 'datetime' : f === 'byte' ? 'ByteArray' : 'str';
        Object.assign(prop, { kind: 'string', pythonType });
        return;
      }
      case 'integer':
        Object.assign(prop, { kind: 'integer', pythonType: 'int' });
        return;
      case 'number':
        Object.assign(prop, { kind: 'number', pythonType: 'float' });
        return;
      case 'boolean':
        Object.assign(prop, { kind: 'boolean', pythonType: 'bool' });
        return;
      case 'object': {
        if (isObject(s.additionalProperties)) {
          const inner = s.additionalProperties;
          const innerType = itemType(inner, rawKey, [...path, 'additionalProperties'], definitionKey, prefix);
          Object.assign(prop, { kind: 'map', pythonType: `Dict[str, ${innerType.pythonType}]`, itemKind: innerType.kind, modelClass: innerType.modelClass });
          return;
        }
        if (hasProperties(s)) {
          const cls = nested(s, rawKey, path, definitionKey, '');
          Object.assign(prop, { kind: 'model', pythonType: cls.name, modelClass: cls.name });
          return;
        }
        Object.assign(prop, { kind: 'object', pythonType: 'object' });
        return;
      }
      case 'array': {
        if (!isObject(s.items)) {
          Object.assign(prop, { kind: 'array', pythonType: 'List[object]', itemKind: 'object' });
          return;
        }
        const innerType = itemType(s.items, rawKey, [...path, 'items'], definitionKey, prefix);
        Object.assign(prop, { kind: 'array', pythonType: `List[${innerType.pythonType}]`, itemKind: innerType.kind, modelClass: innerType.modelClass });
        return;
      }
      default:
        // JSON.stringify, not String(): the parsed schema's objects have no prototype, so String() throws on them.
        Object.assign(prop, { kind: 'dropped', dropReason: `\`${typeof t === 'object' && t !== null ? JSON.stringify(t) : String(t)}\` is not a JSON Schema type` });
    }
  };

  const itemType = (s: Record<string, unknown>, rawKey: string, path: JsonPath, definitionKey: string, prefix: string): { kind: PropertyKind; pythonType: string; modelClass?: string } => {
    if (isModelSchema(s)) {
      // Items of arrays and values of maps: their own children are named from the array's parent.
      const cls = nested(s, rawKey, path, definitionKey, prefix);
      return { kind: 'model', pythonType: cls.name, modelClass: cls.name };
    }
    const tmp: SchemaProperty = { key: '', pythonName: '', required: false, schema: s, path, kind: 'dropped', pythonType: 'object' };
    describe(tmp, s, rawKey, path, definitionKey, prefix);
    return { kind: tmp.kind, pythonType: tmp.pythonType, modelClass: tmp.modelClass };
  };

  for (const [definitionKey, def] of Object.entries(schema)) {
    if (!isObject(def)) continue;
    // Top-level classes are registered after their nested classes are flattened, but listed first
    // among the definitions in the output, as codegen orders the definitions map.
    const props = flatten(def, definitionKey, [definitionKey], definitionKey);
    const cls: GeneratedClass = {
      name: DEFINITION_CLASSES[definitionKey] ?? toModelName(definitionKey),
      rawName: definitionKey,
      moduleName: toModelFileName(definitionKey),
      definitionKey,
      path: [definitionKey],
      topLevel: true,
      properties: props,
      description: typeof def.description === 'string' ? def.description : undefined,
      alsoAt: [],
    };
    register(cls);
    byDefinition.set(definitionKey, cls);
  }
  return { classes, byName, byDefinition };
}

/** Keywords swagger-core keeps when it reads a property (the others never reach the signature). */
const SERIALIZED_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'format', 'title', 'description', 'default', 'enum', 'example', 'readOnly', 'pattern', 'minLength',
  'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems',
  'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
]);

/** Find a property of a class by its Python name. */
export function findProperty(cls: GeneratedClass, pythonName: string): SchemaProperty | undefined {
  return cls.properties.find((p) => p.pythonName === pythonName && p.kind !== 'dropped');
}
