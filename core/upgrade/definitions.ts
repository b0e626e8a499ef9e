// The five definitions whose objects the engine keeps, and everything the upgrade features need to
// know about each: the migration decorator that covers it, the key of the objects file, the
// migration's parameter name and the words messages use.

export type MigrationKind = 'repository' | 'source_config' | 'linked_source' | 'virtual_source' | 'snapshot';

export interface MigratedDefinition {
  /** The decorator's name: `@plugin.upgrade.<kind>(...)`. */
  kind: MigrationKind;
  /** The definition in schema.json. */
  definition: string;
  /** The key in an `--objects` file and in the kept objects. */
  objectsKey: string;
  /** The parameter name the SDK checks (`old_repository`). */
  param: string;
  noun: string;
  plural: string;
}

export const MIGRATED_DEFINITIONS: readonly MigratedDefinition[] = [
  { kind: 'repository', definition: 'repositoryDefinition', objectsKey: 'repository', param: 'old_repository', noun: 'repository', plural: 'repositories' },
  { kind: 'source_config', definition: 'sourceConfigDefinition', objectsKey: 'sourceConfig', param: 'old_source_config', noun: 'source config', plural: 'source configs' },
  { kind: 'linked_source', definition: 'linkedSourceDefinition', objectsKey: 'linkedSource', param: 'old_linked_source', noun: 'linked source', plural: 'linked sources' },
  { kind: 'virtual_source', definition: 'virtualSourceDefinition', objectsKey: 'virtualSource', param: 'old_virtual_source', noun: 'virtual source', plural: 'virtual sources' },
  { kind: 'snapshot', definition: 'snapshotDefinition', objectsKey: 'snapshot', param: 'old_snapshot', noun: 'snapshot', plural: 'snapshots' },
];

export const BY_KIND = new Map(MIGRATED_DEFINITIONS.map((d) => [d.kind, d]));
export const BY_DEFINITION = new Map(MIGRATED_DEFINITIONS.map((d) => [d.definition, d]));

/** `upgrade.repository` (an operation id of the Python analysis) -> its definition, or undefined. */
export function definitionOfOperation(opId: string): MigratedDefinition | undefined {
  const m = /^upgrade\.(\w+)$/.exec(opId);
  return m ? BY_KIND.get(m[1] as MigrationKind) : undefined;
}
