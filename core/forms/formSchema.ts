// How the engine's wizard reads a definition's schema: the field order (`ordering`, then the rest),
// and which containers a field's hideExpression reaches. Shared by the schema checks (server) and the
// forms preview (webview), so both agree on what an expression names.

import type { HideRef } from './hideExpression';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The property names of an object schema in the wizard's order: `ordering` first (each once), then the others in file order. */
export function orderedPropertyNames(schema: unknown): string[] {
  if (!isObj(schema) || !isObj(schema.properties)) return [];
  const names = Object.keys(schema.properties);
  const known = new Set(names);
  const out: string[] = [];
  const seen = new Set<string>();
  if (Array.isArray(schema.ordering)) {
    for (const n of schema.ordering) {
      if (typeof n === 'string' && known.has(n) && !seen.has(n)) {
        out.push(n);
        seen.add(n);
      }
    }
  }
  for (const n of names) if (!seen.has(n)) out.push(n);
  return out;
}

/**
 * The container schemas a field at `path` (segments below the definition: `properties`, name,
 * `items`, ...) reads through `model` and `field.parent…model`, nearest first; undefined when the path
 * passes through something the wizard does not lay out as fields (allOf, maps, tuples, ...).
 */
export function containerSchemas(definition: unknown, path: readonly (string | number)[]): unknown[] | undefined {
  const chain: unknown[] = [definition];
  let cur: unknown = definition;
  let i = 0;
  while (i < path.length) {
    if (!isObj(cur)) return undefined;
    const seg = path[i];
    if (seg === 'properties' && typeof path[i + 1] === 'string' && isObj(cur.properties)) {
      const next = (cur.properties as Obj)[path[i + 1] as string];
      i += 2;
      if (i === path.length) return chain.reverse();
      chain.push(next);
      cur = next;
    } else if (seg === 'items' && isObj(cur.items)) {
      cur = cur.items;
      i += 1;
      if (i === path.length) return chain.reverse();
      // The items' object is a container of its own, under the array's.
      chain.push(cur);
    } else return undefined;
  }
  return undefined;
}

export type RefCheck =
  | { ok: true }
  /** Certain: the named property is not in the schema. */
  | { ok: false; message: string; known?: string[]; missing?: string };

/** Whether `ref` names values that exist in the schemas of `containers` (nearest first). Unknown shapes pass. */
export function checkRef(ref: HideRef, containers: readonly unknown[]): RefCheck {
  const index = ref.up === 0 ? 0 : ref.up - 1;
  if (index >= containers.length) {
    const most = containers.length;
    return {
      ok: false,
      message: `\`${ref.text}\` climbs above the definition: from this field, \`field\` can go up ${most} \`parent\`${most === 1 ? '' : 's'} (\`field${'.parent'.repeat(most)}.model\` is the definition's top). A hideExpression works within one definition only.`,
    };
  }
  let schema: unknown = containers[index];
  for (let i = 0; i < ref.path.length; i++) {
    const name = ref.path[i];
    if (!isObj(schema)) return { ok: true };
    const type = schema.type;
    if (type === 'array') {
      if (name === 'length') return { ok: true };
      if (/^(0|[1-9]\d*)$/.test(name)) {
        schema = schema.items;
        continue;
      }
      return { ok: false, message: `\`${ref.text}\` reads \`${name}\` of an array; an array has items (\`[0]\`) and \`length\`.` };
    }
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') {
      if (type === 'string' && name === 'length') return { ok: true };
      const owner = i === 0 ? (ref.up === 0 ? 'model' : 'the model') : `\`${ref.path[i - 1]}\``;
      return { ok: false, message: `\`${ref.text}\` reads \`${name}\` of ${owner}, which is a ${type}: it has no properties.` };
    }
    // An object: certain only when its properties are closed to what the wizard shows.
    if (!isObj(schema.properties) || '$ref' in schema || 'allOf' in schema || 'anyOf' in schema || 'oneOf' in schema || 'patternProperties' in schema) return { ok: true };
    if (isObj(schema.additionalProperties)) return { ok: true };
    const props = schema.properties as Obj;
    if (!Object.prototype.hasOwnProperty.call(props, name)) {
      const where = i === 0 ? (ref.up === 0 ? 'this field\'s object' : `\`field${'.parent'.repeat(ref.up)}.model\``) : `\`${ref.path.slice(0, i).join('.')}\``;
      return { ok: false, message: `\`${ref.text}\` names \`${name}\`, which is not a property of ${where}`, known: Object.keys(props), missing: name };
    }
    schema = props[name];
  }
  return { ok: true };
}
