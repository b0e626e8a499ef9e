// What each kind of schema change means for saved objects, as data: how serious it is, how the guard
// words it, and what a scaffolded migration does about it. The guard and the scaffold only run this
// table; a new kind of change is one more entry.

import { pythonRepr, pythonStrRepr, type PyValue } from '../config/pythonRepr';
import type { Severity } from '../types';
import type { MigratedDefinition } from './definitions';
import type { ChangeKind, SchemaChange } from './schemaDiff';

export interface ChangeRule {
  severity(c: SchemaChange): Severity;
  /** The fact, then what it does to objects saved under the baseline (two sentences, no period at the end). */
  describe(c: SchemaChange, d: MigratedDefinition): string;
  /**
   * Python statements for the migration's body working on the dict `v`; lines starting `# TODO(author):`
   * mark what only the author can decide.
   */
  scaffold(c: SchemaChange, v: string): string[];
}

const q = (s: string) => `"${s}"`;
const label = (c: SchemaChange) => q(c.property.join('.').replace(/\.\[\]/g, '[]'));
function show(v: unknown): string {
  const s = JSON.stringify(v) ?? 'none';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
const topLevel = (c: SchemaChange) => c.property.length === 1;
const key = (c: SchemaChange) => pythonStrRepr(c.property[c.property.length - 1]);
const todo = (text: string) => `# TODO(author): ${text}`;

export const CHANGE_RULES: Record<ChangeKind, ChangeRule> = {
  propertyRemoved: {
    severity: (c) => (c.after === true ? 'error' : 'warning'),
    describe: (c, d) =>
      `${q(c.property.slice(0, -1).concat(c.oldName!).join('.'))} was removed from ${d.definition}. ` +
      (c.after === true ? `Saved ${d.plural} that hold it fail validation (additionalProperties is false)` : `Saved ${d.plural} keep its value, which nothing reads any more`),
    scaffold: (c, v) => (topLevel(c) ? [`${v}.pop(${pythonStrRepr(c.oldName!)}, None)`] : [todo(`drop "${c.property.join('.')}" from saved objects (it is nested).`)]),
  },
  propertyRenamed: {
    severity: () => 'warning',
    describe: (c, d) => `${q(c.oldName!)} of ${d.definition} is gone and ${label(c)} has its shape (renamed?). Saved ${d.plural} keep the value under ${q(c.oldName!)}`,
    scaffold: (c, v) =>
      topLevel(c)
        ? [`if ${pythonStrRepr(c.oldName!)} in ${v}:`, `    ${v}[${key(c)}] = ${v}.pop(${pythonStrRepr(c.oldName!)})`]
        : [todo(`move "${c.oldName}" to ${label(c)} in saved objects (it is nested).`)],
  },
  requiredAdded: {
    severity: (c) => (c.existed ? 'warning' : 'error'),
    describe: (c, d) => `${label(c)} of ${d.definition} is now required. Saved ${d.plural} ${c.existed ? 'that lack it' : 'do not have it and'} fail validation`,
    scaffold: (c, v) => {
      if (!topLevel(c)) return [todo(`set the now required ${label(c)} in saved objects (it is nested).`)];
      if (c.defaultValue !== undefined) return [`${v}.setdefault(${key(c)}, ${pythonRepr(c.defaultValue as PyValue)})`];
      return [todo(`${label(c)} is now required and has no default: choose its value for saved objects.`), `# ${v}.setdefault(${key(c)}, ...)`];
    },
  },
  typeChanged: {
    severity: () => 'warning',
    describe: (c, d) => `The type of ${label(c)} in ${d.definition} changed from ${show(c.before)} to ${show(c.after)}. Saved values of the old type fail validation`,
    scaffold: (c) => [todo(`convert saved values of ${label(c)} from ${show(c.before)} to ${show(c.after)}.`)],
  },
  enumValueRemoved: {
    severity: () => 'warning',
    describe: (c, d) => `${c.removedValues!.map(show).join(', ')} ${c.removedValues!.length === 1 ? 'is' : 'are'} no longer allowed for ${label(c)} in ${d.definition}. Saved ${d.plural} holding ${c.removedValues!.length === 1 ? 'it' : 'one'} fail validation`,
    scaffold: (c, v) => {
      const allowed = (c.after as unknown[]) ?? [];
      const useDefault = c.defaultValue !== undefined && allowed.some((a) => JSON.stringify(a) === JSON.stringify(c.defaultValue));
      const target = useDefault ? c.defaultValue : allowed[0];
      const gone = c.removedValues!.map((x) => pythonRepr(x as PyValue));
      const head = todo(`${c.removedValues!.map(show).join(', ')} no longer allowed for ${label(c)}; saved values become ${show(target)} (${useDefault ? 'its default' : 'the first allowed value'}). Check that this is right.`);
      if (!topLevel(c) || target === undefined) return [todo(`map ${c.removedValues!.map(show).join(', ')} of ${label(c)} to an allowed value in saved objects.`)];
      return [head, `if ${v}.get(${key(c)}) in (${gone.join(', ')}${gone.length === 1 ? ',' : ''}):`, `    ${v}[${key(c)}] = ${pythonRepr(target as PyValue)}`];
    },
  },
  constraintTightened: {
    severity: () => 'warning',
    describe: (c, d) => {
      if (c.keyword === 'pattern') return `The pattern of ${label(c)} in ${d.definition} changed. Saved values must now match ${show(c.after)}`;
      if (c.keyword === 'enum') return `${label(c)} in ${d.definition} is now limited to an enum. Saved values outside ${show(c.after)} fail validation`;
      if (c.keyword === 'const') return `${label(c)} in ${d.definition} must now be ${show(c.after)}. Saved values that differ fail validation`;
      return `${c.keyword} of ${label(c)} in ${d.definition} went from ${c.before === undefined ? 'none' : show(c.before)} to ${show(c.after)}. Saved values outside it fail validation`;
    },
    scaffold: (c) => [todo(`saved values of ${label(c)} must now satisfy ${c.keyword} ${show(c.after)}: change those that do not.`)],
  },
  additionalPropertiesOff: {
    severity: () => 'warning',
    describe: (c, d) => `${c.property.length > 0 ? `${label(c)} in ${d.definition}` : d.definition} no longer allows additional properties. Saved ${d.plural} with properties it does not define fail validation`,
    scaffold: (c, v) => {
      if (c.property.length > 0) return [todo(`drop the properties ${label(c)} does not define from saved objects (it is nested).`)];
      const names = (c.after as string[]).map(pythonStrRepr);
      return [
        todo('properties the schema does not define are dropped below; check that none of them must be kept.'),
        `for extra in [k for k in ${v} if k not in (${names.join(', ')}${names.length === 1 ? ',' : ''})]:`,
        `    del ${v}[extra]`,
      ];
    },
  },
  identityFieldsChanged: {
    severity: () => 'warning',
    describe: (c, d) => `The identityFields of ${d.definition} changed from ${show(c.before)} to ${show(c.after)}. Rediscovered ${d.plural} are matched to saved ones by these fields`,
    scaffold: (c) => [todo(`identityFields is now ${show(c.after)}: make sure saved objects hold these fields with the values discovery will find.`)],
  },
  nameFieldChanged: {
    severity: () => 'warning',
    describe: (c, d) => `The nameField of ${d.definition} changed from ${show(c.before)} to ${show(c.after)}. Saved ${d.plural} are shown by the new field, which they may lack`,
    scaffold: (c) => [todo(`nameField is now ${show(c.after)}: make sure saved objects hold it.`)],
  },
};
