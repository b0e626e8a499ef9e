// The part of a plugin's definition that a profile's values can reach. ajv generates code for every
// property of a definition it compiles, which is superlinear in their number (seconds for 20,000
// properties, on every analysis of a profile whose schema changed). A property the values do not hold is
// never checked against its own subschema (`properties` applies only to present keys), so its subschema
// is replaced by `true`: the name still counts for `additionalProperties`, and `required` is unchanged.

/** Definitions with fewer properties are compiled whole, so editing a profile does not recompile them. */
const PRUNE_FROM = 64;
const PLATFORM_REF = 'https://delphix.com/platform/api';

/**
 * `schema` with the subschemas of the top-level properties that `values` does not hold replaced by `true`;
 * `schema` itself when that could change a verdict (a reference that may point back into the definition,
 * where pruned subschemas would apply to nested values) or when it is small.
 */
export function schemaForValues(schema: Record<string, unknown>, values: unknown): Record<string, unknown> {
  const properties = schema.properties;
  if (!isObject(properties) || !isObject(values)) return schema;
  const names = Object.keys(properties);
  if (names.length < PRUNE_FROM || hasInternalRef(schema)) return schema;
  const pruned: Record<string, unknown> = {};
  for (const name of names) pruned[name] = Object.prototype.hasOwnProperty.call(values, name) ? properties[name] : true;
  return { ...schema, properties: pruned };
}

function hasInternalRef(node: unknown): boolean {
  // Iterative: a definition nested thousands deep must not overflow the stack here.
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (const item of n) stack.push(item);
    } else if (isObject(n)) {
      for (const [k, v] of Object.entries(n)) {
        if ((k === '$ref' || k === '$dynamicRef' || k === '$recursiveRef') && !(typeof v === 'string' && v.startsWith(PLATFORM_REF))) return true;
        if (typeof v === 'object' && v !== null) stack.push(v);
      }
    }
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
