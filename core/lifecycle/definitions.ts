// What the plugin returns is checked against its own schema.json, as the engine checks it: a source
// config against sourceConfigDefinition, a snapshot against snapshotDefinition, discovered repositories
// against repositoryDefinition. The validator is the profile checks' one: bounded patterns, long enums
// in a loop, a capped cache.

import { takeTimedOutPatterns } from '../boundedRegExp';
import { compiledFor, pluginAjv } from '../sync/profile';

export type DefinitionName = 'repositoryDefinition' | 'sourceConfigDefinition' | 'snapshotDefinition' | 'virtualSourceDefinition';

/** Why `value` does not satisfy `definition` of the schema, or undefined when it does (or cannot be decided). */
export function checkDefinition(schema: Record<string, unknown>, definition: DefinitionName, value: unknown, label: string): string | undefined {
  const def = schema[definition];
  if (typeof def !== 'object' || def === null) return undefined;
  let validate;
  try {
    validate = compiledFor(pluginAjv(), JSON.parse(JSON.stringify(def)) as Record<string, unknown>);
  } catch {
    return undefined;
  }
  takeTimedOutPatterns();
  const valid = validate(value);
  const slow = takeTimedOutPatterns();
  if (slow.length > 0) return undefined; // cannot be decided in bounded time; the schema analysis warns about the pattern
  if (valid) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || label} ${e.message ?? 'is not valid'}`).join('; ');
}

/** The Delphix keywords of a definition that discovery results must honour. */
export function identityOf(schema: Record<string, unknown>, definition: DefinitionName): { identityFields: string[]; nameField?: string } {
  const def = schema[definition] as { identityFields?: unknown; nameField?: unknown } | undefined;
  return {
    identityFields: Array.isArray(def?.identityFields) ? def.identityFields.filter((f): f is string => typeof f === 'string') : [],
    nameField: typeof def?.nameField === 'string' ? def.nameField : undefined,
  };
}
