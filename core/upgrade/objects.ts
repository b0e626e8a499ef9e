// Objects saved under the baseline, as the engine stores them (dicts keyed by the schema's names),
// from an `--objects` file: {"repository": [...], "sourceConfig": [...], "linkedSource": [...],
// "virtualSource": [...], "snapshot": [...]}.

import { formatByteSize, MAX_ANALYSED_FILE_BYTES, readTextWithin } from '../files';
import { jsonTooDeepAt, MAX_SCHEMA_DEPTH } from '../jsonDepth';
import { MIGRATED_DEFINITIONS, type MigrationKind } from './definitions';

export interface SavedObject {
  kind: MigrationKind;
  /** Position in its list (the report names objects by it). */
  index: number;
  /** A label such as `linkedSource[1]`, or the object's name when it has a known one. */
  label: string;
  value: Record<string, unknown>;
}

export type ObjectsResult = { ok: true; objects: SavedObject[] } | { ok: false; error: string };

export function parseObjects(text: string, file: string): ObjectsResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${file} is not valid JSON (${(e as Error).message}).` };
  }
  const keys = MIGRATED_DEFINITIONS.map((d) => d.objectsKey);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, error: `${file} must hold an object with lists under ${keys.map((k) => `"${k}"`).join(', ')}.` };
  }
  const unknown = Object.keys(doc).filter((k) => !keys.includes(k));
  if (unknown.length > 0) return { ok: false, error: `${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; use ${keys.map((k) => `"${k}"`).join(', ')}.` };
  const objects: SavedObject[] = [];
  for (const d of MIGRATED_DEFINITIONS) {
    const list = (doc as Record<string, unknown>)[d.objectsKey];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return { ok: false, error: `${file}: "${d.objectsKey}" must be a list of objects.` };
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: `${file}: ${d.objectsKey}[${i}] must be an object (a ${d.noun} as the engine stores it).` };
      objects.push({ kind: d.kind, index: i, label: `${d.objectsKey}[${i}]`, value: v as Record<string, unknown> });
    }
  }
  if (objects.length === 0) return { ok: false, error: `${file} holds no objects: put them in lists under ${keys.map((k) => `"${k}"`).join(', ')}.` };
  return { ok: true, objects };
}

export function readObjectsFile(file: string): ObjectsResult {
  // Sized before it is read, with the check's limit for plugin files.
  const read = readTextWithin(file, MAX_ANALYSED_FILE_BYTES);
  if (!read.ok && read.reason === 'tooLarge') return { ok: false, error: `The objects file ${file} is too large (${formatByteSize(read.size)}; the limit is ${formatByteSize(MAX_ANALYSED_FILE_BYTES)}).` };
  if (!read.ok) return { ok: false, error: `The objects file ${file} cannot be read: ${/ENOENT/.test(read.message) ? 'it does not exist' : read.message}.` };
  if (jsonTooDeepAt(read.text) !== undefined) return { ok: false, error: `The objects file ${file} nests arrays and objects more than ${MAX_SCHEMA_DEPTH} levels deep, too deep to check.` };
  return parseObjects(read.text, file);
}
