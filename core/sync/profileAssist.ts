// Completion in a sync profile from the plugin's own schema: inside `linkedSource`, `repository`,
// `sourceConfig` and `snapshotParameters`, the property names (and enum/boolean values) of the
// matching definition, with their prettyName and description. The profile's own structure is
// completed by VS Code's JSON support from schemas/sync-profile.schema.json.
import { getLocation, parseTree, findNodeAtLocation } from 'jsonc-parser';
import type { AssistItem } from '../assist';
import { LineIndex } from '../text';
import type { Position } from '../types';
import { PROFILE_SECTIONS } from './profile';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function docOf(key: string, s: Json, required: boolean): string {
  const lines = [`**${typeof s.prettyName === 'string' ? s.prettyName : key}**${required ? ' (required)' : ''}`];
  if (typeof s.description === 'string') lines.push(s.description);
  if (typeof s.type === 'string') lines.push(`Type: \`${s.type}\`${typeof s.format === 'string' ? `, format \`${s.format}\`` : ''}`);
  return lines.join('\n\n');
}

export function profileCompletions(text: string, position: Position, pluginSchema: unknown): AssistItem[] {
  if (!isObj(pluginSchema)) return [];
  const offset = new LineIndex(text).offsetAt(position);
  const loc = getLocation(text, offset);
  const [section, prop] = loc.path;
  const def = PROFILE_SECTIONS.find((s) => s.key === section)?.definition;
  const schema = def ? pluginSchema[def] : undefined;
  if (!isObj(schema) || !isObj(schema.properties)) return [];
  const props = schema.properties as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  if (loc.path.length === 2 && loc.isAtPropertyKey) {
    const root = parseTree(text);
    const present = new Set<string>();
    const obj = root ? findNodeAtLocation(root, [section]) : undefined;
    for (const c of obj?.children ?? []) if (c.children?.[0]?.value !== prop) present.add(String(c.children?.[0]?.value));
    return Object.entries(props)
      .filter(([k]) => !present.has(k))
      .map(([k, s], i) => ({
        label: k,
        kind: 'property' as const,
        detail: `${def} property${required.has(k) ? ' (required)' : ''}`,
        documentation: docOf(k, isObj(s) ? s : {}, required.has(k)),
        sortText: `${required.has(k) ? 0 : 1}${String(i).padStart(4, '0')}`,
      }));
  }
  if (loc.path.length === 2 && !loc.isAtPropertyKey && typeof prop === 'string' && isObj(props[prop])) {
    const s = props[prop] as Json;
    const values: unknown[] = Array.isArray(s.enum) ? s.enum : s.type === 'boolean' ? [true, false] : [];
    return values.map((v) => ({ label: JSON.stringify(v), kind: 'value' as const, detail: `${def}.${prop}`, documentation: docOf(prop, s, required.has(prop)) }));
  }
  return [];
}
