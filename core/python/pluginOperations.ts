// The plugin operations a plugin implements (`@plugin.linked.pre_snapshot()` ...), found from the
// decorators, and the checks `dvp build` and the runtime apply to them: argument names, duplicates,
// missing required operations, operations of the other plugin type, decorators without parentheses,
// unknown operation names and upgrade migration ids.

import { OPERATIONS, OPERATIONS_BY_ID, type OperationSpec, type PluginType } from '../sdk/operations';
import type { Problem, Range } from '../types';
import type { PyType } from './flow';
import type { SyntaxNode } from './parser';
import { closestNames } from './suggest';
import { field, kids, rangeOf, stringValue, type FunctionInfo, type ModuleInfo } from './syntax';

export interface OperationImpl {
  /** `linked.pre_snapshot`. */
  opId: string;
  group: string;
  name: string;
  spec?: OperationSpec;
  fn: FunctionInfo;
  file: string;
  decorator: SyntaxNode;
  /** The `plugin.linked.pre_snapshot` part of the decorator (for ranges). */
  decoratorName: SyntaxNode;
  hasParens: boolean;
  /** Identity of the Plugin() object the decorator hangs off. */
  plugin: string;
  migrationId?: { node: SyntaxNode; value?: string; isString: boolean };
  migrationType: 'PLATFORM' | 'LUA';
}

/** What callers of the public API get: one implemented operation. */
export interface ImplementedOperation {
  id: string;
  functionName: string;
  file: string;
  range: Range;
  migrationId?: string;
  migrationType?: 'PLATFORM' | 'LUA';
  /** Where the migration id is written (the upgrade guard reports at it). */
  migrationIdRange?: Range;
  /** The decorator as written without its call, `plugin.upgrade.repository` (a new migration copies its prefix). */
  decoratorText?: string;
}

const GROUPS = new Set(['discovery', 'linked', 'virtual', 'upgrade']);

/** The operation decorators of a module's functions; `typeOfGlobal` resolves the plugin object. */
export function findOperations(mod: ModuleInfo, typeOfGlobal: (name: string) => PyType | undefined): OperationImpl[] {
  const out: OperationImpl[] = [];
  for (const fn of mod.functions) {
    if (!fn.topLevel) continue;
    for (const decorator of fn.decorators) {
      const expr = kids(decorator)[0];
      if (!expr) continue;
      const hasParens = expr.type === 'call';
      const chain = hasParens ? field(expr, 'function') : expr;
      if (!chain || chain.type !== 'attribute') continue;
      const groupNode = field(chain, 'object');
      const nameNode = field(chain, 'attribute');
      if (!groupNode || groupNode.type !== 'attribute' || !nameNode) continue;
      const base = field(groupNode, 'object');
      const group = field(groupNode, 'attribute')?.text;
      if (!base || base.type !== 'identifier' || !group || !GROUPS.has(group)) continue;
      const pt = typeOfGlobal(base.text);
      if (pt?.t !== 'plugin') continue;
      const opId = `${group}.${nameNode.text}`;
      const impl: OperationImpl = { opId, group, name: nameNode.text, spec: OPERATIONS_BY_ID.get(opId), fn, file: mod.file, decorator, decoratorName: chain, hasParens, plugin: pt.id, migrationType: 'PLATFORM' };
      if (group === 'upgrade' && hasParens) readMigrationArgs(expr, impl);
      out.push(impl);
    }
  }
  return out;
}

function readMigrationArgs(call: SyntaxNode, impl: OperationImpl): void {
  const args = field(call, 'arguments');
  if (!args) return;
  let positional = 0;
  for (const a of kids(args)) {
    if (a.type === 'comment') continue;
    let name: string | undefined;
    let value: SyntaxNode | null = a;
    if (a.type === 'keyword_argument') {
      name = field(a, 'name')?.text;
      value = field(a, 'value');
    } else name = positional++ === 0 ? 'migration_id' : 'migration_type';
    if (!value) continue;
    if (name === 'migration_id') {
      const s = stringValue(value);
      impl.migrationId = { node: value, value: s ?? (value.type === 'integer' || value.type === 'float' ? value.text : undefined), isString: s !== undefined };
    } else if (name === 'migration_type' && /(^|\.)LUA$/.test(value.text)) impl.migrationType = 'LUA';
  }
}

export function implementedOperations(ops: OperationImpl[], entryPlugin: string | undefined, lines: (file: string) => ModuleInfo | undefined): ImplementedOperation[] {
  return ops
    .filter((o) => o.spec && (entryPlugin === undefined || o.plugin === entryPlugin))
    .map((o) => {
      const mod = lines(o.file);
      const range = mod ? rangeOf(mod.lines, o.fn.nameNode) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const item: ImplementedOperation = { id: o.opId, functionName: o.fn.name, file: o.file, range };
      if (o.group === 'upgrade') {
        if (o.migrationId?.value !== undefined) item.migrationId = o.migrationId.value;
        item.migrationType = o.migrationType;
        if (mod && o.migrationId) item.migrationIdRange = rangeOf(mod.lines, o.migrationId.node);
        item.decoratorText = o.decoratorName.text;
      }
      return item;
    });
}

function pyList(names: string[]): string {
  return `[${names.map((n) => `'${n}'`).join(', ')}]`;
}

function canonicalMigrationId(id: string): string {
  const parts = id.split('.').map((p) => String(parseInt(p, 10)));
  while (parts.length > 0 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

export interface OperationCheckInput {
  ops: OperationImpl[];
  pluginType: PluginType;
  entryPlugin?: string;
  /** Where `plugin = Plugin()` of the entry point is (for the missing-operation warnings). */
  entryAssignment?: { file: string; range: Range };
  module(file: string): ModuleInfo | undefined;
}

export function checkOperations(input: OperationCheckInput): Problem[] {
  const problems: Problem[] = [];
  const { pluginType } = input;
  const at = (o: OperationImpl, node: SyntaxNode): Range => {
    const mod = input.module(o.file);
    return mod ? rangeOf(mod.lines, node) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  };
  const ops = input.entryPlugin === undefined ? input.ops : input.ops.filter((o) => o.plugin === input.entryPlugin);
  const seen = new Map<string, OperationImpl>();
  const canonical = new Map<string, OperationImpl>();
  const luaSeen = new Map<string, OperationImpl>();

  for (const o of ops) {
    const decoratorLabel = `${o.opId}()`;
    if (!o.spec) {
      const names = OPERATIONS.filter((s) => s.group === o.group).map((s) => s.name);
      const s = closestNames(o.name, names);
      const nameNode = field(o.decoratorName, 'attribute') ?? o.decoratorName;
      const range = at(o, nameNode);
      problems.push({
        file: o.file, range, severity: 'error', code: 'python.operation.unknown', dvp: true,
        message: `\`${o.name}\` is not an operation of plugin.${o.group}: importing the module raises AttributeError, so \`dvp build\` fails.${s.length > 0 ? ` Did you mean \`${s[0].name}\`?` : ''} Operations of ${o.group}: ${names.join(', ')}.`,
        ...(s.length > 0 ? { data: { fixes: s.map((x, i) => ({ title: `Change to \`${x.name}\``, edits: [{ file: o.file, range, newText: x.name }], ...(i === 0 ? { preferred: true } : {}) })) } } : {}),
      });
      continue;
    }
    if (!o.hasParens) {
      problems.push({
        file: o.file, range: at(o, o.decorator), severity: 'error', code: 'python.operation.noParentheses', dvp: true,
        message: `The decorator needs parentheses: @…${o.opId}(). Without them the SDK calls ${o.opId}() with the function as its argument and importing the module raises TypeError, so \`dvp build\` fails.`,
        data: { fixes: [{ title: 'Add parentheses', preferred: true, edits: [{ file: o.file, range: { start: at(o, o.decoratorName).end, end: at(o, o.decoratorName).end }, newText: '()' }] }] },
      });
    }
    const expected = o.spec.args[pluginType];
    if (!expected) {
      problems.push({
        file: o.file, range: at(o, o.decoratorName), severity: 'error', code: 'python.operation.wrongPluginType', dvp: false,
        message: `${decoratorLabel} does not exist for ${pluginType} plugins (pluginType in plugin_config.yml). \`dvp build\` does not report it clearly: the import check fails on it and the plugin is built without its operations manifest.`,
      });
    } else {
      // getfullargspec().args: positional parameters only, *args / **kwargs / keyword-only excluded.
      const found = o.fn.params.filter((p) => p.kind === 'positional').map((p) => p.name);
      const paramsRange = at(o, o.fn.paramsNode);
      const how = o.group === 'upgrade' ? 'The engine passes the object to migrate as the only argument.' : `The engine calls ${o.fn.name} with keyword arguments named ${expected.join(', ')}.`;
      if (found.length !== expected.length) {
        problems.push({ file: o.file, range: paramsRange, severity: 'error', code: 'python.operation.argumentCount', dvp: true, message: `Number of arguments do not match in method ${o.fn.name}. Expected: ${pyList(expected)}, Found: ${pyList(found)}. ${how}` });
      }
      if (!found.every((f) => expected.includes(f))) {
        problems.push({ file: o.file, range: paramsRange, severity: 'error', code: 'python.operation.argumentNames', dvp: true, message: `Named argument mismatch in method ${o.fn.name}. Expected: ${pyList(expected)}, Found: ${pyList(found)}. ${how}` });
      }
    }
    if (o.group === 'upgrade') {
      checkMigration(o, at, problems, canonical, luaSeen);
      continue;
    }
    const first = seen.get(o.opId);
    if (first) {
      problems.push({
        file: o.file, range: at(o, o.decoratorName), severity: 'error', code: 'python.operation.duplicate', dvp: true,
        message: `An implementation for ${decoratorLabel} operation has already been defined (by ${first.fn.name}): importing the module raises OperationAlreadyDefinedError, so \`dvp build\` fails.`,
        related: [{ file: first.file, range: at(first, first.decoratorName), message: `${decoratorLabel} first implemented by ${first.fn.name}` }],
      });
    } else seen.set(o.opId, o);
  }

  if (input.entryAssignment) {
    for (const spec of OPERATIONS) {
      if (!spec.requiredFor.includes(pluginType) || seen.has(spec.id)) continue;
      problems.push({
        file: input.entryAssignment.file, range: input.entryAssignment.range, severity: 'warning', code: 'python.operation.missing', dvp: true,
        message: `Implementation missing for required method ${spec.id}(). The Plugin Operation '${spec.description}' will fail when executed.`,
        data: { operation: spec.id },
      });
    }
  }
  return problems;
}

function checkMigration(
  o: OperationImpl,
  at: (o: OperationImpl, n: SyntaxNode) => Range,
  problems: Problem[],
  canonical: Map<string, OperationImpl>,
  luaSeen: Map<string, OperationImpl>,
): void {
  const m = o.migrationId;
  if (!o.hasParens) return;
  if (!m) {
    problems.push({ file: o.file, range: at(o, o.decoratorName), severity: 'error', code: 'python.migration.missingId', dvp: true, message: `${o.opId}() needs a migration id, e.g. @…${o.opId}('1.0'): without one importing the module raises TypeError.` });
    return;
  }
  const range = at(o, m.node);
  const err = (code: string, message: string) => problems.push({ file: o.file, range, severity: 'error', code, dvp: true, message });
  if (o.migrationType === 'LUA') {
    if (m.value === undefined) return;
    const key = `${o.opId}:${m.value}`;
    const first = luaSeen.get(key);
    if (first) err('python.migration.duplicate', `The lua major minor version '${m.value}' used in the function '${o.fn.name}' decorated by '${o.opId}()' has already been used.`);
    else luaSeen.set(key, o);
    return;
  }
  if (!m.isString) {
    if (m.value !== undefined) err('python.migration.notString', `The migration id '${m.value}' used in the function '${o.fn.name}' should be a string.`);
    return;
  }
  const id = m.value!;
  if (!/^\d+(\.\d+)*$/.test(id)) {
    err('python.migration.format', `The migration id '${id}' used in the function '${o.fn.name}' does not follow the correct format '^\\d+(\\.\\d+)*$'.`);
    return;
  }
  const canon = canonicalMigrationId(id);
  if (canon === '') {
    err('python.migration.zero', `The migration id '${id}' used in the function '${o.fn.name}' cannot be used because a 0 migration id is not allowed.`);
    return;
  }
  const first = canonical.get(canon);
  if (first) {
    problems.push({
      file: o.file, range, severity: 'error', code: 'python.migration.duplicate', dvp: true,
      message: `The migration id '${id}' used in the function '${o.fn.name}' has the same canonical form '${canon}' as another migration.`,
      related: [{ file: first.file, range: at(first, first.migrationId!.node), message: `migration ${first.migrationId!.value} of ${first.fn.name}` }],
    });
  } else canonical.set(canon, o);
}
