// The schema-evolution guard: what changed since the baseline that can invalidate objects saved under
// it, for definitions no newer migration covers, plus the build-number and migration-id rules. Pure:
// the caller hands in the analyses; ranges point into schema.json, plugin_config.yml and the code.

import type { Node } from 'jsonc-parser';
import { standardizeBuildNumber } from '../config/buildNumber';
import type { ImplementedOperation } from '../python/pluginOperations';
import { nodeAtPath, propertyAtPath } from '../schema/jsonTree';
import type { LineIndex } from '../text';
import { ZERO_RANGE, type Fix, type Problem, type Range } from '../types';
import type { Baseline } from './baseline';
import { CHANGE_RULES } from './changeKinds';
import { BY_DEFINITION, definitionOfOperation, MIGRATED_DEFINITIONS, type MigratedDefinition } from './definitions';
import { canonicalId, compareIds, freshId, highestId } from './migrationIds';
import { scaffoldEdit } from './scaffold';
import { diffSchemas, type SchemaChange } from './schemaDiff';

export interface GuardInput {
  baseline: Baseline;
  schema: { file: string; value: unknown; root?: Node; lines?: LineIndex };
  config: { file: string; buildNumber?: string; buildNumberRange?: Range };
  /**
   * The plugin's operations from the Python analysis (only upgrade ones are used); undefined when the code
   * could not be analysed: then which migrations exist is unknown, and only the buildNumber is checked.
   */
  operations: ImplementedOperation[] | undefined;
  /** Where a first migration goes: the entry module and the plugin object's name there. */
  entry?: { file: string; pluginName: string };
  readText(file: string): string | undefined;
  now?: Date;
}

export interface GuardResult {
  problems: Problem[];
  /** Every change since the baseline, covered or not (for the CLI's summary and the tests). */
  changes: SchemaChange[];
  /** Definitions a migration newer than the baseline covers. */
  covered: Set<string>;
}


export function runGuard(input: GuardInput): GuardResult {
  const { baseline } = input;
  const problems: Problem[] = [];
  if (!input.operations) return { problems: buildNumberProblems(input), changes: [], covered: new Set() };
  const migrations = input.operations.filter((o) => o.id.startsWith('upgrade.'));
  const platform = migrations.filter((o) => o.migrationType !== 'LUA' && o.migrationId !== undefined);
  const baselineIds = new Set(baseline.migrationIds);
  const newer = platform.filter((o) => {
    const c = canonicalId(o.migrationId!);
    return c !== undefined && !baselineIds.has(c);
  });
  const covered = new Set(newer.map((o) => definitionOfOperation(o.id)?.definition).filter((d): d is string => !!d));

  const current = (input.schema.value ?? {}) as Record<string, unknown>;
  const changes = diffSchemas(MIGRATED_DEFINITIONS.map((d) => d.definition), baseline.schemas, current);
  const byDefinition = new Map<string, SchemaChange[]>();
  for (const c of changes) if (!covered.has(c.definition)) byDefinition.set(c.definition, [...(byDefinition.get(c.definition) ?? []), c]);

  const allIds = [...baseline.migrationIds, ...platform.map((o) => o.migrationId!)];
  for (const [definition, list] of byDefinition) {
    const d = BY_DEFINITION.get(definition)!;
    const fix = scaffoldFix(input, migrations, d, list, allIds);
    for (const c of list) {
      const rule = CHANGE_RULES[c.kind];
      problems.push({
        file: input.schema.file,
        range: schemaRange(input, c),
        severity: rule.severity(c),
        code: `upgrade.${c.kind}`,
        message: `${rule.describe(c, d)}; no migration newer than the baseline (${baseline.label}) covers ${definition}. Add @plugin.upgrade.${d.kind}(...).`,
        dvp: false,
        data: { definition, ...(fix ? { fixes: [fix] } : {}) },
      });
    }
  }

  problems.push(...buildNumberProblems(input), ...migrationIdProblems(input, migrations, platform));
  return { problems, changes, covered };
}

function schemaRange(input: GuardInput, c: SchemaChange): Range {
  const { root, lines } = input.schema;
  if (!root || !lines) return ZERO_RANGE;
  for (let n = c.at.length; n > 0; n--) {
    const path = c.at.slice(0, n);
    const prop = propertyAtPath(root, path);
    const wantKey = n < c.at.length || c.atKey;
    if (prop?.children?.[0] && wantKey) return lines.range(prop.children[0].offset, prop.children[0].offset + prop.children[0].length);
    const value = nodeAtPath(root, path);
    if (value) return lines.range(value.offset, value.offset + value.length);
  }
  return ZERO_RANGE;
}

function scaffoldFix(input: GuardInput, migrations: ImplementedOperation[], d: MigratedDefinition, changes: SchemaChange[], ids: string[]): Fix | undefined {
  // Next to the other migrations, else beside the plugin object in the entry module.
  const last = migrations[migrations.length - 1];
  const file = last?.file ?? input.entry?.file;
  const pluginExpression = last?.decoratorText?.replace(/\.upgrade\.\w+$/, '') ?? input.entry?.pluginName;
  if (!file || !pluginExpression) return undefined;
  const text = input.readText(file);
  if (text === undefined) return undefined;
  const id = freshId(ids, input.now);
  const edit = scaffoldEdit({ definition: d, changes, id, pluginExpression, file, text });
  return { title: `Add a data migration for ${d.definition} (${id})`, preferred: true, edits: [{ file: edit.file, range: edit.range, newText: edit.newText }] };
}

function buildNumberProblems(input: GuardInput): Problem[] {
  const before = input.baseline.buildNumber;
  const raw = input.config.buildNumber;
  if (!before || !raw || !/^\d+(\.\d+)*$/.test(raw)) return [];
  const now = standardizeBuildNumber(raw);
  const cmp = compareIds(now === '' ? '0' : now, before === '' ? '0' : before);
  if (cmp > 0) return [];
  const range = input.config.buildNumberRange ?? ZERO_RANGE;
  return [
    cmp < 0
      ? {
          file: input.config.file, range, severity: 'error', code: 'upgrade.buildNumber.lower', dvp: false,
          message: `buildNumber ${now} is lower than the baseline's ${before} (${input.baseline.label}). Engines with the baseline installed refuse to install it; raise it above ${before}.`,
        }
      : {
          file: input.config.file, range, severity: 'warning', code: 'upgrade.buildNumber.same', dvp: false,
          message: `buildNumber ${now} is the baseline's (${input.baseline.label}). The engine accepts it only as a development reinstall; raise it above ${before} for a release.`,
        },
  ];
}

function migrationIdProblems(input: GuardInput, migrations: ImplementedOperation[], platform: ImplementedOperation[]): Problem[] {
  const out: Problem[] = [];
  const { baseline } = input;
  const present = new Set(platform.map((o) => canonicalId(o.migrationId!)).filter((c): c is string => !!c));
  const anchor = migrations[0] ?? undefined;
  for (const id of baseline.migrationIds) {
    if (present.has(id)) continue;
    const file = anchor?.file ?? input.entry?.file;
    if (!file) continue;
    out.push({
      file, range: anchor ? (anchor.migrationIdRange ?? anchor.range) : ZERO_RANGE, severity: 'error', code: 'upgrade.migrationId.gone', dvp: false,
      message: `Migration '${id}' of the baseline (${baseline.label}) is gone. The engine refuses the upgrade when a released migration is missing; restore it.`,
    });
  }
  const top = highestId(baseline.migrationIds);
  if (top === undefined) return out;
  for (const o of platform) {
    const c = canonicalId(o.migrationId!);
    if (!c || baseline.migrationIds.includes(c) || compareIds(c, top) > 0) continue;
    out.push({
      file: o.file, range: o.migrationIdRange ?? o.range, severity: 'warning', code: 'upgrade.migrationId.notAbove', dvp: false,
      message: `Migration id '${o.migrationId}' is new but not above the baseline's highest, '${top}'. From versions before the baseline it runs ahead of migrations written after it; use an id above '${top}' unless it is a backport.`,
    });
  }
  return out;
}

