// The data migration a quick fix writes for the uncovered changes of one definition: the decorator
// of the plugin object, a fresh id, and a body doing what the changes let us infer, with
// `# TODO(author):` wherever only the author can decide.

import { LineIndex } from '../text';
import type { TextEdit } from '../types';
import { CHANGE_RULES } from './changeKinds';
import type { MigratedDefinition } from './definitions';
import type { ChangeKind, SchemaChange } from './schemaDiff';

/** Renames first (later steps use the new names), then drops, then values. */
const ORDER: ChangeKind[] = ['propertyRenamed', 'propertyRemoved', 'requiredAdded', 'typeChanged', 'enumValueRemoved', 'constraintTightened', 'additionalPropertiesOff', 'identityFieldsChanged', 'nameFieldChanged'];

export interface ScaffoldInput {
  definition: MigratedDefinition;
  changes: SchemaChange[];
  /** The new migration id. */
  id: string;
  /** The expression before `.upgrade.` in the decorator, `plugin`. */
  pluginExpression: string;
  /** The module the migration goes into, and its current text. */
  file: string;
  text: string;
}

export function migrationSource(input: ScaffoldInput): { functionName: string; source: string } {
  const { definition: d } = input;
  const base = `upgrade_${d.kind}_${input.id.replace(/\./g, '_')}`;
  let functionName = base;
  for (let n = 2; new RegExp(`^def\\s+${functionName}\\s*\\(`, 'm').test(input.text); n++) functionName = `${base}_${n}`;
  const changes = [...input.changes].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const body = changes.flatMap((c) => CHANGE_RULES[c.kind].scaffold(c, d.param));
  const lines = [
    `@${input.pluginExpression}.upgrade.${d.kind}(${JSON.stringify(input.id)})`,
    `def ${functionName}(${d.param}):`,
    `    # Written by Plugin Studio for the ${d.definition} changes since the baseline.`,
    ...body.map((l) => `    ${l}`),
    `    return ${d.param}`,
  ];
  return { functionName, source: lines.join('\n') + '\n' };
}

/** The edit appending the migration to the end of the module, two blank lines after what is there. */
export function scaffoldEdit(input: ScaffoldInput): TextEdit & { functionName: string } {
  const { functionName, source } = migrationSource(input);
  const index = new LineIndex(input.text);
  const end = index.positionAt(input.text.length);
  const trimmed = input.text.replace(/\s+$/, '');
  // Two blank lines between top-level definitions (PEP 8), counting the newlines already there.
  const newlines = (input.text.slice(trimmed.length).match(/\n/g) ?? []).length;
  const gap = trimmed.length === 0 ? '' : '\n'.repeat(Math.max(0, 3 - newlines));
  return { file: input.file, range: { start: end, end }, newText: gap + source, functionName };
}
