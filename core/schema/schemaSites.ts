// Where in a plugin schema a JSON path or tree node sits: at the top, in a definition's schema, in a
// property's sub-schema, in the value of a keyword, or in plain data (a `default`, an `enum` item).
// The same key means different things in these places (`type` is a keyword in a schema but an
// ordinary property name inside `properties`), so every check and every completion asks here first.

import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../model';
import { keyOf, members, valueOf } from './jsonTree';
import { SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './keywords';

/** A sub-schema of schema.json: a definition, a property's schema, array items, map values, ... */
export interface SchemaSite {
  definitionKey: string;
  /** Path of the schema object. */
  path: JsonPath;
  atDefinitionTop: boolean;
  /** Property names from the definition down; `[]` marks array items and `{}` map values. */
  trail: string[];
  /** For a property's sub-schema: its key, and the path of the object schema whose `properties` hold it. */
  propertyKey?: string;
  ownerPath?: JsonPath;
  /** Reached through a construct codegen makes no class from (anyOf, definitions, not, tuples, ...). */
  outsideCodegen: boolean;
}

export type PathContext =
  | { kind: 'root' }
  | { kind: 'schema'; site: SchemaSite }
  /** The object of `properties` / `definitions` / `patternProperties` / `dependencies`. */
  | { kind: 'schemaMap'; keyword: string; owner: SchemaSite }
  /** The array of `allOf` / `anyOf` / `oneOf`, or a tuple `items`. */
  | { kind: 'schemaList'; keyword: string; owner: SchemaSite }
  /** The value of any other keyword of `owner`. */
  | { kind: 'keywordValue'; keyword: string; owner: SchemaSite }
  /** One element of an array-valued keyword (`required`, `identityFields`, `enum`, `type`, ...). */
  | { kind: 'keywordItem'; keyword: string; owner: SchemaSite; index: number }
  | { kind: 'dxForm'; owner: SchemaSite }
  | { kind: 'validationMessages'; owner: SchemaSite }
  | { kind: 'data' };

/** A readable name for a schema site in messages: `mountLocation` in `linkedSourceDefinition`. */
export function siteLabel(site: SchemaSite): string {
  if (site.trail.length === 0) return `\`${site.definitionKey}\``;
  return `\`${site.trail.join('.').replace(/\.(\[\]|\{\})/g, '$1')}\` in \`${site.definitionKey}\``;
}

function childSite(parent: SchemaSite, path: JsonPath, step: string | undefined, outside: boolean, propertyKey?: string): SchemaSite {
  const trail = step === undefined ? parent.trail : [...parent.trail, step];
  return {
    definitionKey: parent.definitionKey,
    path,
    atDefinitionTop: false,
    trail,
    propertyKey,
    ownerPath: propertyKey !== undefined ? parent.path : undefined,
    outsideCodegen: parent.outsideCodegen || outside,
  };
}

/** Classify a JSON path of schema.json. */
export function classifyPath(path: JsonPath): PathContext {
  let ctx: PathContext = { kind: 'root' };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const here = path.slice(0, i + 1);
    switch (ctx.kind) {
      case 'root':
        ctx = typeof seg === 'string'
          ? { kind: 'schema', site: { definitionKey: seg, path: here, atDefinitionTop: true, trail: [], outsideCodegen: false } }
          : { kind: 'data' };
        break;
      case 'schema': {
        const site: SchemaSite = ctx.site;
        if (typeof seg === 'number') {
          // Only a tuple `items` (or a list keyword) indexes into a schema position.
          ctx = { kind: 'data' };
          break;
        }
        if (SCHEMA_MAP_KEYWORDS.has(seg)) ctx = { kind: 'schemaMap', keyword: seg, owner: site };
        else if (SCHEMA_LIST_KEYWORDS.has(seg)) ctx = { kind: 'schemaList', keyword: seg, owner: site };
        else if (seg === 'items') {
          // The value is a schema, or (a tuple) a list of schemas; the next segment tells which.
          const next = path[i + 1];
          ctx = typeof next === 'number'
            ? { kind: 'schemaList', keyword: 'items', owner: site }
            : { kind: 'schema', site: childSite(site, here, '[]', false) };
        } else if (seg === 'additionalProperties') ctx = { kind: 'schema', site: childSite(site, here, '{}', false) };
        else if (SCHEMA_KEYWORDS.has(seg)) ctx = { kind: 'schema', site: childSite(site, here, seg, true) };
        else if (seg === 'dxFormProperties') ctx = { kind: 'dxForm', owner: site };
        else ctx = { kind: 'keywordValue', keyword: seg, owner: site };
        break;
      }
      case 'schemaMap':
        if (typeof seg !== 'string') ctx = { kind: 'data' };
        else if (ctx.keyword === 'properties') ctx = { kind: 'schema', site: childSite(ctx.owner, here, seg, false, seg) };
        else ctx = { kind: 'schema', site: childSite(ctx.owner, here, `${ctx.keyword}.${seg}`, true) };
        break;
      case 'schemaList':
        ctx = typeof seg === 'number' ? { kind: 'schema', site: childSite(ctx.owner, here, `${ctx.keyword}[${seg}]`, true) } : { kind: 'data' };
        break;
      case 'keywordValue':
        ctx = typeof seg === 'number' ? { kind: 'keywordItem', keyword: ctx.keyword, owner: ctx.owner, index: seg } : { kind: 'data' };
        break;
      case 'dxForm':
        ctx = seg === 'validationMessages' ? { kind: 'validationMessages', owner: ctx.owner } : { kind: 'data' };
        break;
      default:
        ctx = { kind: 'data' };
    }
  }
  return ctx;
}

const MAX_WALK_DEPTH = 300;

/**
 * Visit every object sub-schema of the tree with its site, definitions first, depth first, in text
 * order. `dependencies` values that are lists and boolean schemas are not visited.
 */
export function walkSchemas(root: Node | undefined, visit: (node: Node, site: SchemaSite) => void): void {
  if (!root || root.type !== 'object') return;
  const walk = (node: Node, site: SchemaSite, depth: number) => {
    visit(node, site);
    if (depth > MAX_WALK_DEPTH) return;
    for (const prop of members(node)) {
      const kw = keyOf(prop);
      const value = valueOf(prop);
      if (!value) continue;
      const at = [...site.path, kw];
      if (SCHEMA_MAP_KEYWORDS.has(kw)) {
        if (value.type !== 'object') continue;
        for (const p of members(value)) {
          const v = valueOf(p);
          const name = keyOf(p);
          if (v?.type !== 'object') continue;
          const child = kw === 'properties'
            ? childSite(site, [...at, name], name, false, name)
            : childSite(site, [...at, name], `${kw}.${name}`, true);
          walk(v, child, depth + 1);
        }
      } else if (SCHEMA_LIST_KEYWORDS.has(kw) || (kw === 'items' && value.type === 'array')) {
        if (value.type !== 'array') continue;
        (value.children ?? []).forEach((v, i) => {
          if (v.type === 'object') walk(v, childSite(site, [...at, i], `${kw}[${i}]`, true), depth + 1);
        });
      } else if (kw === 'items' || kw === 'additionalProperties') {
        if (value.type === 'object') walk(value, childSite(site, at, kw === 'items' ? '[]' : '{}', false), depth + 1);
      } else if (SCHEMA_KEYWORDS.has(kw)) {
        if (value.type === 'object') walk(value, childSite(site, at, kw, true), depth + 1);
      }
    }
  };
  for (const def of members(root)) {
    const value = valueOf(def);
    const key = keyOf(def);
    if (value?.type === 'object') walk(value, { definitionKey: key, path: [key], atDefinitionTop: true, trail: [], outsideCodegen: false }, 0);
  }
}
