// Editor features that cross between schema.json and the Python code: hover, go to definition, find
// references, rename (from either side) and completion of generated names. Each takes the index (whose
// flow analysis found every use of a generated name) and returns plain data.

import type { AssistItem } from '../assist';
import type { GeneratedClass, GeneratedModel, SchemaProperty } from '../model';
import { pythonNameProblem, toPythonName } from '../names';
import { OPERATIONS } from '../sdk/operations';
import { rangeContains } from '../text';
import type { Position, Range, TextEdit } from '../types';
import { attributeOf, schemaPlace, type NameUse, type PyType } from './flow';
import type { PluginPythonIndex } from './pluginIndex';
import { sdkAttributes } from './sdkClasses';
import { keyForPythonName } from './suggest';
import { rangeOf, type FunctionInfo, type ModuleInfo } from './syntax';

export interface HoverResult {
  range: Range;
  markdown: string;
}

export interface Location {
  file: string;
  range: Range;
}

export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string };
export type RenameResult = { edits: TextEdit[] } | { error: string };

function samePath(a: SchemaProperty, b: SchemaProperty): boolean {
  return a === b || JSON.stringify(a.path) === JSON.stringify(b.path);
}

/** The generated name at a position of a Python file (attribute, keyword, migration key, class). */
export function useAt(index: PluginPythonIndex, file: string, pos: Position): NameUse | undefined {
  const hit = index.uses(file).find((u) => rangeContains(u.range, pos));
  if (hit) return hit;
  const mod = index.module(file);
  if (!mod) return undefined;
  for (const { binding, cls } of index.generatedImports(mod)) {
    const range = rangeOf(mod.lines, binding.nameNode);
    if (cls && rangeContains(range, pos)) return { file: mod.file, range, name: cls.name, kind: 'class', cls: cls.name, certain: true };
  }
  return undefined;
}

function jsonType(p: SchemaProperty): string {
  const t = p.schema.type;
  const base = Array.isArray(t) ? t.join(' | ') : typeof t === 'string' ? t : p.kind;
  const f = typeof p.schema.format === 'string' ? ` (format ${p.schema.format})` : '';
  return base + f;
}

export function propertyMarkdown(cls: GeneratedClass, p: SchemaProperty): string {
  const lines = [`**${p.pythonName}**: schema property \`${p.key}\` of \`${cls.name}\``, ''];
  lines.push(`Type: \`${jsonType(p)}\` (Python \`${p.pythonType}\`)${p.required ? ', required' : ''}  `);
  if (typeof p.schema.prettyName === 'string') lines.push(`Pretty name: ${p.schema.prettyName}  `);
  lines.push(`In schema.json: \`${schemaPlace(cls)}.${p.key}\``);
  if (typeof p.schema.description === 'string') lines.push('', p.schema.description);
  if (p.kind === 'dropped' && p.dropReason) lines.push('', `Codegen leaves this property out: ${p.dropReason}.`);
  return lines.join('\n');
}

function classMarkdown(cls: GeneratedClass): string {
  const lines = [`**class ${cls.name}**: generated from \`${schemaPlace(cls)}\` in schema.json`];
  if (cls.description) lines.push('', cls.description);
  const props = cls.properties.filter((p) => p.kind !== 'dropped');
  lines.push('', props.length === 0 ? 'No properties.' : props.map((p) => `- \`${p.pythonName}\`: \`${p.pythonType}\`${p.required ? ' (required)' : ''}`).join('\n'));
  return lines.join('\n');
}

export function hover(index: PluginPythonIndex, file: string, pos: Position): HoverResult | undefined {
  const project = index.current;
  if (!project) return undefined;
  const use = useAt(index, file, pos);
  if (!use) return undefined;
  const cls = project.model.byName.get(use.cls);
  if (!cls) return undefined;
  if (use.kind === 'class') return { range: use.range, markdown: classMarkdown(cls) };
  if (!use.property) return undefined;
  const markdown = propertyMarkdown(cls, use.property);
  return { range: use.range, markdown: use.trace && use.trace.length > 1 ? `${markdown}\n\n${traceLine(use.trace)}` : markdown };
}

/** How the value was reached: "Traced: `staged_source` → `Ctl(...)` → `self.config` → `.parameters`". */
function traceLine(trace: string[]): string {
  return `Traced: ${trace.map((s) => (s === '…' ? s : `\`${s}\``)).join(' → ')}`;
}

/** From a generated name in Python to its key in schema.json. */
export function definition(index: PluginPythonIndex, file: string, pos: Position): Location[] {
  const project = index.current;
  const schema = index.schemaText;
  if (!project || !schema) return [];
  const use = useAt(index, file, pos);
  if (!use) return [];
  const cls = project.model.byName.get(use.cls);
  const path = use.property ? use.property.path : cls?.path;
  const range = path ? schema.keyRange(path) : undefined;
  return range ? [{ file: schema.file, range }] : [];
}

/** The schema property a position stands for, in schema.json or in Python. */
function propertyAtPosition(index: PluginPythonIndex, file: string, pos: Position): { cls: GeneratedClass; property: SchemaProperty; use?: NameUse } | undefined {
  const project = index.current;
  const schema = index.schemaText;
  if (!project || !schema) return undefined;
  if (file === schema.file) return schema.propertyAt(project.model, pos);
  const use = useAt(index, file, pos);
  const cls = use ? project.model.byName.get(use.cls) : undefined;
  return use?.property && cls ? { cls, property: use.property, use } : undefined;
}

export function references(index: PluginPythonIndex, file: string, pos: Position, includeDeclaration = true): Location[] {
  const schema = index.schemaText;
  const target = propertyAtPosition(index, file, pos);
  if (!target || !schema) return [];
  const out: Location[] = [];
  if (includeDeclaration) {
    const key = schema.keyRange(target.property.path);
    if (key) out.push({ file: schema.file, range: key });
  }
  const uses = index.uses().filter((u) => u.property && samePath(u.property, target.property));
  uses.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const u of uses) out.push({ file: u.file, range: u.range });
  return out;
}

export function prepareRename(index: PluginPythonIndex, file: string, pos: Position): PrepareRenameResult {
  const schema = index.schemaText;
  if (!index.current || !schema) return { error: 'No plugin project is loaded.' };
  if (file === schema.file) {
    const t = schema.propertyAt(index.current.model, pos);
    const range = t ? schema.keyRange(t.property.path) : undefined;
    return t && range ? { range, placeholder: t.property.key } : { error: 'Rename works on property keys of a generated class in schema.json.' };
  }
  const use = useAt(index, file, pos);
  if (!use) {
    const mod = index.module(file);
    const word = mod ? wordAt(mod.lines.lineText(pos.line), pos.character) : '';
    return { error: `\`${word || 'this'}\` is not a name generated from schema.json; only generated attributes, constructor keywords and migration keys can be renamed together with the schema.` };
  }
  if (use.kind === 'class') return { error: `${use.name} is a generated class name; rename the definition in schema.json instead.` };
  if (!use.property) return { error: `\`${use.name}\` is not a property of ${use.cls}, so there is nothing in schema.json to rename.` };
  return { range: use.range, placeholder: use.name };
}

export function rename(index: PluginPythonIndex, file: string, pos: Position, newName: string): RenameResult {
  const schema = index.schemaText;
  const target = propertyAtPosition(index, file, pos);
  if (!target || !schema) {
    const p = prepareRename(index, file, pos);
    return { error: 'error' in p ? p.error : 'Nothing to rename here.' };
  }
  const { cls, property } = target;
  let newKey: string;
  if (file === schema.file || target.use?.kind === 'dictKey') newKey = newName;
  else {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { error: `\`${newName}\` is not a valid Python identifier.` };
    const key = keyForPythonName(newName, property.key);
    if (!key) return { error: `No schema key converts to \`${newName}\` (codegen's snake_case conversion cannot produce it); choose another name.` };
    newKey = key;
  }
  if (newKey.length === 0) return { error: 'The new name is empty.' };
  if (newKey === property.key) return { edits: [] };
  const newPython = toPythonName(newKey);
  const problem = pythonNameProblem(newPython);
  if (problem) return { error: `\`${newKey}\` cannot be used: ${problem}.` };
  const clash = cls.properties.find((p) => p !== property && (p.key === newKey || p.pythonName === newPython));
  if (clash) return { error: `${cls.name} already has \`${clash.key}\` (Python \`${clash.pythonName}\`); renaming would make two properties with one name.` };
  const edits: TextEdit[] = schema.renameKeyEdits(cls, property, newKey);
  for (const u of index.uses()) {
    if (!u.property || !samePath(u.property, property)) continue;
    edits.push({ file: u.file, range: u.range, newText: u.kind === 'dictKey' ? newKey : newPython });
  }
  return { edits };
}

/**
 * How far back on the line the completion patterns look. They are anchored at the cursor, and on a
 * 200,000-character line the regex engine retried them from every position (a minute per request).
 */
const MAX_LOOKBEHIND = 1000;

function wordAt(line: string, ch: number): string {
  const left = /[A-Za-z0-9_]*$/.exec(line.slice(Math.max(0, ch - MAX_LOOKBEHIND), ch))?.[0] ?? '';
  const right = /^[A-Za-z0-9_]*/.exec(line.slice(ch, ch + MAX_LOOKBEHIND))?.[0] ?? '';
  return left + right;
}

// ------------------------------------------------------------------ completion

function innermostFunction(mod: ModuleInfo, offset: number): FunctionInfo | undefined {
  let best: FunctionInfo | undefined;
  for (const fn of mod.functions) {
    if (fn.node.startIndex <= offset && offset <= fn.node.endIndex && (!best || fn.node.startIndex >= best.node.startIndex)) best = fn;
  }
  return best;
}

/** The type of a name at a place in the module (locals of the enclosing functions, then globals). */
function nameType(index: PluginPythonIndex, mod: ModuleInfo, offset: number, name: string): PyType | undefined {
  const results = new Map(index.resultsIn(mod.file).map((r) => [r.fn.id, r.result]));
  for (let fn = innermostFunction(mod, offset); fn; fn = fn.parent) {
    const locals = results.get(fn.id)?.locals;
    if (locals?.has(name)) return locals.get(name);
  }
  return index.globalTypeOf(mod, name);
}

function chainType(index: PluginPythonIndex, mod: ModuleInfo, offset: number, chain: string): PyType | undefined {
  const parts = chain.split('.');
  let t = nameType(index, mod, offset, parts[0]);
  const world = index.world();
  for (const p of parts.slice(1)) t = attributeOf(world, t, p);
  return t;
}

function propertyItem(cls: GeneratedClass, p: SchemaProperty, range: Range, insertText?: string): AssistItem {
  return {
    label: insertText ? `${p.pythonName}=` : p.pythonName,
    kind: 'property',
    detail: `${p.pythonType}${p.required ? ' (required)' : ''} · ${cls.name}.${p.key}`,
    documentation: propertyMarkdown(cls, p),
    insertText: insertText ?? p.pythonName,
    range,
    sortText: `${p.required ? 0 : 1}${p.pythonName}`,
  };
}

export function completions(index: PluginPythonIndex, file: string, pos: Position): AssistItem[] {
  const project = index.current;
  const mod = index.module(file);
  if (!project || !mod) return [];
  const line = mod.lines.lineText(pos.line).slice(Math.max(0, pos.character - MAX_LOOKBEHIND), pos.character);
  const offset = mod.lines.offsetAt(pos);
  const model = project.model;

  // `old_repository['` : schema keys of a migration dict.
  const key = /([A-Za-z_][\w.]*)\[\s*(['"])([^'"]*)$/.exec(line);
  if (key) {
    const t = chainType(index, mod, offset, key[1]);
    if (t?.t !== 'migrationDict') return [];
    const cls = model.byDefinition.get(t.definition);
    const range: Range = { start: { line: pos.line, character: pos.character - key[3].length }, end: pos };
    return (cls?.properties ?? []).map((p) => ({ ...propertyItem(cls!, p, range), label: p.key, insertText: p.key, kind: 'value' as const }));
  }

  // `x.y.` : attributes of whatever `x.y` holds.
  const attr = /([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\.(\w*)$/.exec(line);
  if (attr) {
    const range: Range = { start: { line: pos.line, character: pos.character - attr[2].length }, end: pos };
    return attributeItems(index, chainType(index, mod, offset, attr[1]), range);
  }

  // Inside `GeneratedClass(...)`: the keyword arguments not given yet.
  const call = enclosingCall(mod.parsed.text, offset);
  const word = /(\w*)$/.exec(line)?.[1] ?? '';
  if (call && /[(,]\s*$/.test(mod.parsed.text.slice(0, offset - word.length))) {
    const t = chainType(index, mod, offset, call.callee);
    if (t?.t !== 'modelClass') return [];
    const cls = model.byName.get(t.cls);
    if (!cls) return [];
    const given = new Set([...call.argsText.matchAll(/(?:^|[,(\s])([A-Za-z_]\w*)\s*=(?!=)/g)].map((m) => m[1]));
    const range: Range = { start: { line: pos.line, character: pos.character - word.length }, end: pos };
    return cls.properties.filter((p) => p.kind !== 'dropped' && !given.has(p.pythonName)).map((p) => propertyItem(cls, p, range, `${p.pythonName}=`));
  }
  return [];
}

function attributeItems(index: PluginPythonIndex, t: PyType | undefined, range: Range): AssistItem[] {
  const project = index.current!;
  if (!t) return [];
  switch (t.t) {
    case 'union': {
      // The names of every class the value may hold (None and unknown members add nothing).
      const seen = new Map<string, AssistItem>();
      for (const m of t.members) for (const item of attributeItems(index, m, range)) if (!seen.has(item.label)) seen.set(item.label, item);
      return [...seen.values()];
    }
    case 'instance': {
      const cls = project.model.byName.get(t.cls);
      return cls ? cls.properties.filter((p) => p.kind !== 'dropped').map((p) => propertyItem(cls, p, range)) : [];
    }
    case 'sdk':
      return sdkAttributes(t.cls, project.multipleStagedMounts ?? true)
        .filter(([n]) => !n.endsWith('_proto'))
        .map(([name, a]) => ({ label: name, kind: 'field' as const, detail: `${t.cls}.${name}${a.type ? `: ${sdkTypeLabel(project.model, a.type)}` : ''}`, documentation: a.doc, insertText: name, range, sortText: name }));
    case 'genModule':
      return project.model.classes.map((c) => ({ label: c.name, kind: 'class' as const, detail: `generated from ${schemaPlace(c)}`, documentation: classMarkdown(c), insertText: c.name, range, sortText: c.name }));
    case 'plugin':
      return ['discovery', 'linked', 'virtual', 'upgrade'].map((g) => ({ label: g, kind: 'field' as const, detail: `plugin.${g} operations`, insertText: g, range, sortText: g }));
    case 'pluginGroup':
      return OPERATIONS.filter((o) => o.group === t.group && (o.group === 'upgrade' || o.args[project.pluginType]))
        .map((o) => ({ label: o.name, kind: 'snippet' as const, detail: `@plugin.${o.id}()`, documentation: o.doc, insertText: o.group === 'upgrade' ? `${o.name}('\${1:1}')` : `${o.name}()`, isSnippet: o.group === 'upgrade', range, sortText: o.name }));
    case 'sdkClass':
      if (t.cls === 'Status') return ['ACTIVE', 'INACTIVE'].map((v) => ({ label: v, kind: 'value' as const, insertText: v, range, detail: `Status.${v}` }));
      return [];
    default:
      return [];
  }
}

function sdkTypeLabel(model: GeneratedModel, spec: string): string {
  if (spec.startsWith('list:')) return `List[${sdkTypeLabel(model, spec.slice(5))}]`;
  if (spec.startsWith('def:')) return model.byDefinition.get(spec.slice(4))?.name ?? spec.slice(4);
  return spec.replace(/^sdk:/, '');
}

/** The innermost unclosed call around `offset`: its callee chain and the argument text so far. */
function enclosingCall(text: string, offset: number): { callee: string; argsText: string } | undefined {
  let depth = 0;
  const stop = Math.max(0, offset - 4000);
  for (let i = offset - 1; i >= stop; i--) {
    const c = text[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '[' || c === '{') {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const m = /([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\s*$/.exec(text.slice(Math.max(0, i - 200), i));
      return m ? { callee: m[1], argsText: text.slice(i, offset) } : undefined;
    }
  }
  return undefined;
}

