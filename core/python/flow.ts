// Follows the SDK objects through one function: what each name holds (operation arguments, aliases,
// attribute chains, constructor results, return values of plugin helpers), and checks every attribute,
// constructor keyword and migration-dict key met on the way against the generated classes. A name is
// only typed when every place that binds it agrees; anything else is left alone, so dynamic code and
// reassigned names are never flagged.

import type { GeneratedClass, GeneratedModel, SchemaProperty } from '../model';
import { findProperty } from '../model';
import type { Fix, Problem, Range, Severity } from '../types';
import { DEFINITION_CLASSES, type OperationSpec } from '../sdk/operations';
import { SDK_CLASSES, sdkAttributes } from './sdkClasses';
import { clearlyBest, closestNames } from './suggest';
import type { SyntaxNode } from './parser';
import { boundNames, collectPatternNames, field, kids, rangeOf, stringContentRange, stringValue, type FunctionInfo, type ImportBinding, type ModuleInfo } from './syntax';

export type LiteralKind = 'dict' | 'list' | 'str' | 'int' | 'float' | 'bool' | 'None' | 'tuple' | 'set';

export type PyType =
  /** An instance of a generated class; `via` names the parameter it was assumed from when not followed. */
  | { t: 'instance'; cls: string; certain: boolean; via?: string }
  | { t: 'sdk'; cls: string; certain: boolean; via?: string }
  | { t: 'modelClass'; cls: string }
  | { t: 'sdkClass'; cls: string }
  | { t: 'genModule' }
  | { t: 'list'; item?: PyType }
  /** A value whose attributes cannot be known (dicts that from_dict leaves in lists and maps). */
  | { t: 'opaque' }
  /** A migration's dict, keyed by the schema keys of one definition. */
  | { t: 'migrationDict'; definition: string; certain: boolean; via?: string }
  | { t: 'module'; module: string }
  /** `sig` (the parameter names) changes when the function's signature does, invalidating callers. */
  | { t: 'function'; fn: string; sig: string }
  | { t: 'plugin'; id: string }
  | { t: 'pluginGroup'; group: string; plugin: string }
  | { t: 'literal'; what: LiteralKind; items?: (PyType | undefined)[] };

/** Identity of a type for joins and caches (certainty is part of it). */
export function typeKey(t: PyType | undefined): string {
  if (!t) return '?';
  switch (t.t) {
    case 'instance':
    case 'sdk':
      return `${t.t}:${t.cls}:${t.certain ? 1 : 0}:${t.via ?? ''}`;
    case 'migrationDict':
      return `md:${t.definition}:${t.certain ? 1 : 0}:${t.via ?? ''}`;
    case 'modelClass':
    case 'sdkClass':
      return `${t.t}:${t.cls}`;
    case 'list':
      return `list<${typeKey(t.item)}>`;
    case 'module':
      return `module:${t.module}`;
    case 'function':
      return `fn:${t.fn}(${t.sig})`;
    case 'plugin':
      return `plugin:${t.id}`;
    case 'pluginGroup':
      return `pg:${t.plugin}:${t.group}`;
    case 'literal':
      return `lit:${t.what}`;
    default:
      return t.t;
  }
}

function shapeKey(t: PyType): string {
  if (t.t === 'instance' || t.t === 'sdk') return `${t.t}:${t.cls}`;
  if (t.t === 'migrationDict') return `md:${t.definition}`;
  return typeKey(t);
}

/** The common type of two values, or undefined when they differ (then nothing is assumed). */
export function joinTypes(a: PyType | undefined, b: PyType | undefined): PyType | undefined {
  if (!a || !b || shapeKey(a) !== shapeKey(b)) return undefined;
  if ((a.t === 'instance' || a.t === 'sdk' || a.t === 'migrationDict') && (b.t === 'instance' || b.t === 'sdk' || b.t === 'migrationDict')) {
    if (a.certain && !b.certain) return b;
    return a;
  }
  return a;
}

export interface NameUse {
  file: string;
  range: Range;
  name: string;
  kind: 'attribute' | 'keyword' | 'dictKey' | 'class';
  /** The generated class the name belongs to. */
  cls: string;
  /** The schema property the name stands for (absent for class names and unknown names). */
  property?: SchemaProperty;
  certain: boolean;
}

export interface CallEdge {
  callee: string;
  args: Map<string, PyType | undefined>;
}

export interface FunctionResult {
  fnId: string;
  uses: NameUse[];
  problems: Problem[];
  calls: CallEdge[];
  returnType?: PyType;
  /** Types of the names the function binds (for completion inside it). */
  locals: Map<string, PyType | undefined>;
  /** Return types of other functions this result relied on (its cache is stale when they change). */
  consulted: Map<string, string>;
  /** Module-level names (of any module) this result resolved, with the type found: see `consultKey`. */
  consultedGlobals: Map<string, { key: ConsultKey; type: string }>;
}

export type ConsultKey = ['global', string, string] | ['import', string, number, string] | ['moduleAttr', string, string];

export function functionType(fn: FunctionInfo): PyType {
  return { t: 'function', fn: fn.id, sig: fn.params.map((p) => `${p.kind === 'varargs' ? '*' : p.kind === 'kwargs' ? '**' : ''}${p.name}`).join(',') };
}

export interface FlowWorld {
  model: GeneratedModel;
  multipleStagedMounts: boolean;
  globalType(mod: ModuleInfo, name: string): PyType | undefined;
  importType(mod: ModuleInfo, binding: ImportBinding): PyType | undefined;
  moduleAttribute(module: string, attr: string): PyType | undefined;
  fn(id: string): FunctionInfo | undefined;
  returnType(id: string): PyType | undefined;
  parentLocals(fn: FunctionInfo): ReadonlyMap<string, PyType | undefined> | undefined;
  addPropertyFix(cls: GeneratedClass, pythonName: string): Fix | undefined;
}

export interface FunctionInput {
  params: Map<string, PyType | undefined>;
  operation?: OperationSpec;
}

/** Methods and fields every generated class has besides its properties (base_model_ / model templates). */
const MODEL_MEMBERS = new Set(['to_dict', 'from_dict', 'to_str', 'swagger_types', 'attribute_map']);

const DICT_METHODS = new Set(['get', 'keys', 'values', 'items', 'pop', 'popitem', 'copy', 'update', 'setdefault', 'clear']);

const BUILTIN_RESULTS: Record<string, LiteralKind> = {
  dict: 'dict', list: 'list', str: 'str', int: 'int', float: 'float', bool: 'bool', len: 'int', sorted: 'list', tuple: 'tuple', set: 'set', repr: 'str', format: 'str',
};

type Binding =
  | { kind: 'param'; name: string }
  | { kind: 'assign'; value: SyntaxNode }
  | { kind: 'iter'; iter: SyntaxNode }
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'def'; fnId: string }
  | { kind: 'unknown' };

const LITERAL_NODES: Record<string, LiteralKind> = {
  string: 'str', concatenated_string: 'str', integer: 'int', float: 'float', true: 'bool', false: 'bool', none: 'None',
  dictionary: 'dict', dictionary_comprehension: 'dict', list: 'list', list_comprehension: 'list', tuple: 'tuple', set: 'set', set_comprehension: 'set',
};

export function sdkAttributeType(model: GeneratedModel, spec: string | undefined, certain: boolean, via: string | undefined): PyType | undefined {
  if (!spec) return undefined;
  if (spec.startsWith('sdk:')) return { t: 'sdk', cls: spec.slice(4), certain, via };
  if (spec.startsWith('def:')) {
    const cls = model.byDefinition.get(spec.slice(4));
    return cls ? { t: 'instance', cls: cls.name, certain, via } : undefined;
  }
  if (spec.startsWith('list:')) return { t: 'list', item: sdkAttributeType(model, spec.slice(5), certain, via) };
  if (spec === 'str' || spec === 'int') return { t: 'literal', what: spec };
  return undefined;
}

export function propertyType(model: GeneratedModel, prop: SchemaProperty, certain: boolean, via: string | undefined): PyType | undefined {
  switch (prop.kind) {
    case 'model':
      return prop.modelClass && model.byName.has(prop.modelClass) ? { t: 'instance', cls: prop.modelClass, certain, via } : undefined;
    case 'array':
      // from_dict leaves list elements as plain dicts, so nothing is known about their attributes.
      return { t: 'list', item: prop.itemKind === 'model' || prop.itemKind === 'object' || prop.itemKind === 'map' ? { t: 'opaque' } : undefined };
    case 'map':
    case 'object':
      return { t: 'opaque' };
    case 'string':
      return { t: 'literal', what: 'str' };
    case 'integer':
      return { t: 'literal', what: 'int' };
    case 'number':
      return { t: 'literal', what: 'float' };
    case 'boolean':
      return { t: 'literal', what: 'bool' };
    default:
      return undefined;
  }
}

/** Where a class lives in schema.json, for messages (`linkedSourceDefinition.configSettings`). */
export function schemaPlace(cls: GeneratedClass): string {
  let out = '';
  for (let i = 0; i < cls.path.length; i++) {
    const p = cls.path[i];
    if (p === 'properties') continue;
    if (p === 'items') out += '[]';
    else if (p === 'additionalProperties') out += '{}';
    else out += (out ? '.' : '') + String(p);
  }
  return out;
}

export function describeType(t: PyType | undefined): string | undefined {
  if (!t) return undefined;
  switch (t.t) {
    case 'literal':
      return t.what === 'None' ? 'None' : `a ${t.what}`;
    case 'instance':
    case 'sdk':
      return `a ${t.cls}`;
    case 'migrationDict':
      return 'a dict';
    case 'list':
      return 'a list';
    default:
      return undefined;
  }
}

/** Analyse one function (or a module's top-level code) under the given argument types. */
export function analyzeFunction(base: FlowWorld, mod: ModuleInfo, fn: FunctionInfo, input: FunctionInput): FunctionResult {
  const { model } = base;
  const lines = mod.lines;
  const result: FunctionResult = { fnId: fn.id, uses: [], problems: [], calls: [], locals: new Map(), consulted: new Map(), consultedGlobals: new Map() };
  // Every cross-module lookup is recorded, so a cached result can be re-validated after other files change.
  const note = (key: ConsultKey, t: PyType | undefined) => {
    result.consultedGlobals.set(key.join('\0'), { key, type: typeKey(t) });
    return t;
  };
  const world: FlowWorld = {
    ...base,
    globalType: (m, name) => note(['global', m.file, name], base.globalType(m, name)),
    importType: (m, b) => note(['import', m.file, b.node.startIndex, b.local], base.importType(m, b)),
    moduleAttribute: (module, attr) => note(['moduleAttr', module, attr], base.moduleAttribute(module, attr)),
  };
  const bindings = new Map<string, Binding[]>();
  const declaredOuter = new Set<string>();
  const returns: SyntaxNode[] = [];
  // A raise or a yield: the function need not end in a return statement.
  let exitsOtherwise = false;
  const memo = new Map<number, PyType | undefined>();
  const nameMemo = new Map<string, { bound: boolean; type: PyType | undefined }>();
  const evaluating = new Set<string>();

  const bind = (name: string, b: Binding) => {
    const list = bindings.get(name) ?? [];
    list.push(b);
    bindings.set(name, list);
  };

  if (!fn.isModule) for (const p of fn.params) bind(p.name, p.kind === 'positional' || p.kind === 'keywordOnly' ? { kind: 'param', name: p.name } : { kind: 'unknown' });

  // Bindings of this scope; nested functions, classes and lambdas have scopes of their own.
  const collect = (node: SyntaxNode) => {
    switch (node.type) {
      case 'function_definition': {
        const name = field(node, 'name');
        if (name && !fn.isModule) bind(name.text, { kind: 'def', fnId: `${fn.file}#${node.startIndex}` });
        return;
      }
      case 'class_definition': {
        const name = field(node, 'name');
        if (name && !fn.isModule) bind(name.text, { kind: 'unknown' });
        return;
      }
      case 'lambda':
        return;
      case 'assignment': {
        const left = field(node, 'left');
        let right = field(node, 'right');
        while (right?.type === 'assignment') right = field(right, 'right');
        if (left?.type === 'identifier') {
          if (right) bind(left.text, { kind: 'assign', value: right });
        } else if (left) for (const n of boundNames(left)) bind(n.text, { kind: 'unknown' });
        break;
      }
      case 'augmented_assignment': {
        const left = field(node, 'left');
        if (left) for (const n of boundNames(left)) bind(n.text, { kind: 'unknown' });
        break;
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        if (name && value) bind(name.text, { kind: 'assign', value });
        break;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (left?.type === 'identifier' && right) bind(left.text, { kind: 'iter', iter: right });
        else if (left) for (const n of boundNames(left)) bind(n.text, { kind: 'unknown' });
        break;
      }
      case 'as_pattern_target':
        for (const n of boundNames(node)) bind(n.text, { kind: 'unknown' });
        break;
      case 'delete_statement':
        for (const c of kids(node)) for (const n of boundNames(c)) bind(n.text, { kind: 'unknown' });
        break;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of kids(node)) if (c.type === 'identifier') declaredOuter.add(c.text);
        break;
      case 'import_statement':
      case 'import_from_statement':
        if (!fn.isModule) for (const b of mod.imports) if (b.node.startIndex === node.startIndex) bind(b.local, { kind: 'import', binding: b });
        return;
      case 'case_pattern': {
        const names = new Set<string>();
        collectPatternNames(node, names);
        for (const n of names) bind(n, { kind: 'unknown' });
        return;
      }
    }
    for (const c of kids(node)) collect(c);
  };
  if (!fn.isModule && fn.body) collect(fn.body);

  const lookup = (name: string): { bound: boolean; type: PyType | undefined } => {
    const hit = nameMemo.get(name);
    if (hit) return hit;
    let out: { bound: boolean; type: PyType | undefined };
    if (declaredOuter.has(name)) out = { bound: true, type: undefined };
    else if (fn.isModule) {
      const bound = mod.topBindings.has(name);
      out = { bound, type: bound ? world.globalType(mod, name) : undefined };
    } else {
      const bs = bindings.get(name);
      if (bs) {
        if (evaluating.has(name)) return { bound: true, type: undefined };
        evaluating.add(name);
        let t: PyType | undefined = bindingType(bs[0]);
        for (let i = 1; i < bs.length && t; i++) t = joinTypes(t, bindingType(bs[i]));
        evaluating.delete(name);
        out = { bound: true, type: t };
      } else {
        const outer = fn.parent ? world.parentLocals(fn) : undefined;
        if (outer?.has(name)) out = { bound: true, type: outer.get(name) };
        else {
          const bound = mod.topBindings.has(name);
          out = { bound, type: bound ? world.globalType(mod, name) : undefined };
        }
      }
    }
    nameMemo.set(name, out);
    return out;
  };

  const bindingType = (b: Binding): PyType | undefined => {
    switch (b.kind) {
      case 'param':
        return input.params.get(b.name);
      case 'assign':
        return typeOf(b.value);
      case 'iter':
        return elementType(typeOf(b.iter));
      case 'import':
        return world.importType(mod, b.binding);
      case 'def': {
        const f = world.fn(b.fnId);
        return f ? functionType(f) : undefined;
      }
      default:
        return undefined;
    }
  };

  const elementType = (t: PyType | undefined): PyType | undefined => {
    if (!t) return undefined;
    if (t.t === 'list') return t.item;
    if (t.t === 'literal' && (t.what === 'list' || t.what === 'tuple') && t.items && t.items.length > 0) {
      let e = t.items[0];
      for (const i of t.items.slice(1)) e = joinTypes(e, i);
      return e;
    }
    return undefined;
  };

  const attrType = (t: PyType | undefined, name: string): PyType | undefined => attributeOf(world, t, name);

  const callType = (node: SyntaxNode): PyType | undefined => {
    const f = field(node, 'function');
    if (!f) return undefined;
    const ft = typeOf(f);
    if (ft?.t === 'modelClass') return { t: 'instance', cls: ft.cls, certain: true };
    if (ft?.t === 'sdkClass') {
      if (ft.cls === 'Plugin') return { t: 'plugin', id: '' };
      return SDK_CLASSES[ft.cls] ? { t: 'sdk', cls: ft.cls, certain: true } : undefined;
    }
    if (ft?.t === 'function') {
      const r = world.returnType(ft.fn);
      result.consulted.set(ft.fn, typeKey(r));
      return r;
    }
    if (f.type === 'attribute') {
      const obj = field(f, 'object');
      const name = field(f, 'attribute')?.text;
      const ot = obj ? typeOf(obj) : undefined;
      if (ot?.t === 'modelClass' && name === 'from_dict') return { t: 'instance', cls: ot.cls, certain: true };
      if (ot?.t === 'migrationDict' && name === 'copy') return ot;
      if (ot?.t === 'instance' && name === 'to_dict') return { t: 'literal', what: 'dict' };
      return undefined;
    }
    if (f.type === 'identifier' && !lookup(f.text).bound && BUILTIN_RESULTS[f.text]) {
      const first = firstArgument(node);
      const at = first ? typeOf(first) : undefined;
      if ((f.text === 'dict') && at?.t === 'migrationDict') return at;
      if (f.text === 'list' && at?.t === 'list') return at;
      return { t: 'literal', what: BUILTIN_RESULTS[f.text] };
    }
    return undefined;
  };

  const typeOf = (node: SyntaxNode): PyType | undefined => {
    if (memo.has(node.id)) return memo.get(node.id);
    memo.set(node.id, undefined);
    let t: PyType | undefined;
    switch (node.type) {
      case 'identifier':
        t = lookup(node.text).type;
        break;
      case 'attribute': {
        const obj = field(node, 'object');
        const attr = field(node, 'attribute');
        t = obj && attr ? attrType(typeOf(obj), attr.text) : undefined;
        break;
      }
      case 'call':
        t = callType(node);
        break;
      case 'parenthesized_expression': {
        const inner = kids(node)[0];
        t = inner ? typeOf(inner) : undefined;
        break;
      }
      case 'conditional_expression': {
        const [a, , b] = kids(node);
        t = a && b ? joinTypes(typeOf(a), typeOf(b)) : undefined;
        break;
      }
      case 'subscript': {
        const v = field(node, 'value');
        const vt = v ? typeOf(v) : undefined;
        const sub = field(node, 'subscript');
        t = vt?.t === 'list' && sub?.type !== 'slice' ? vt.item : vt?.t === 'list' ? vt : undefined;
        break;
      }
      case 'list':
      case 'tuple':
        t = { t: 'literal', what: LITERAL_NODES[node.type], items: kids(node).map((c) => (c.type === 'list_splat' ? undefined : typeOf(c))) };
        break;
      case 'list_comprehension': {
        const body = field(node, 'body');
        t = { t: 'literal', what: 'list', items: body ? [typeOf(body)] : [] };
        break;
      }
      default:
        if (LITERAL_NODES[node.type]) t = { t: 'literal', what: LITERAL_NODES[node.type] };
    }
    memo.set(node.id, t);
    return t;
  };

  const problem = (node: SyntaxNode | Range, severity: Severity, code: string, message: string, fixes?: Fix[]) => {
    const range = 'startIndex' in node ? rangeOf(lines, node) : node;
    result.problems.push({ file: mod.file, range, severity, code, message, dvp: false, ...(fixes && fixes.length > 0 ? { data: { fixes } } : {}) });
  };

  const renameFixes = (names: string[], range: Range, label: (n: string) => string, best: boolean): Fix[] =>
    names.map((n, i) => ({ title: label(n), edits: [{ file: mod.file, range, newText: n }], ...(i === 0 && best ? { preferred: true } : {}) }));

  const assumedNote = (t: { certain: boolean; via?: string }) =>
    t.certain ? '' : ` (assumed from the name \`${t.via}\`: its value could not be followed here, so this may be a false alarm)`;

  const unknownGeneratedName = (cls: GeneratedClass, nameNode: SyntaxNode, certain: boolean, via: string | undefined, use: 'keyword' | 'read' | 'write') => {
    const keyword = use === 'keyword';
    const name = nameNode.text;
    const props = cls.properties.filter((p) => p.kind !== 'dropped');
    const suggestions = closestNames(name, props.map((p) => p.pythonName));
    const place = schemaPlace(cls);
    const dropped = cls.properties.find((p) => p.pythonName === name && p.kind === 'dropped');
    let message =
      use === 'keyword'
        ? `\`${name}\` is not a parameter of ${cls.name}(): no property of ${place} in schema.json converts to it, so the call raises TypeError.`
        : use === 'write'
          ? `${cls.name} has no attribute \`${name}\`: no property of ${place} in schema.json converts to it, so the value set here is lost (to_dict() and the engine never see it).`
          : `${cls.name} has no attribute \`${name}\`: no property of ${place} in schema.json converts to it, so this raises AttributeError.`;
    if (dropped) message += ` (The property \`${dropped.key}\` exists but codegen leaves it out: ${dropped.dropReason}.)`;
    else if (props.length === 0) message += ` ${place} has no properties${cls.topLevel && !keyword ? ', so the SDK passes a plain dict' : ''}.`;
    if (suggestions.length > 0) message += ` Did you mean \`${suggestions[0].name}\`?`;
    message += assumedNote({ certain, via });
    const range = rangeOf(lines, nameNode);
    const fixes = renameFixes(suggestions.map((s) => s.name), range, (n) => `Change to \`${n}\``, clearlyBest(suggestions));
    const add = dropped ? undefined : world.addPropertyFix(cls, name);
    if (add) fixes.push(add);
    problem(nameNode, !certain ? 'information' : use === 'write' ? 'warning' : 'error', keyword ? 'python.keyword.unknown' : 'python.attribute.unknown', message, fixes);
    result.uses.push({ file: mod.file, range, name, kind: keyword ? 'keyword' : 'attribute', cls: cls.name, certain });
  };

  const isWriteTarget = (node: SyntaxNode): boolean => {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === 'assignment' || parent.type === 'augmented_assignment') return field(parent, 'left')?.id === node.id;
    if (parent.type === 'pattern_list' || parent.type === 'tuple_pattern') return isWriteTarget(parent);
    return false;
  };

  const checkAttribute = (node: SyntaxNode) => {
    const obj = field(node, 'object');
    const attr = field(node, 'attribute');
    if (!obj || !attr) return;
    const name = attr.text;
    if (/^__.*__$/.test(name)) return;
    const t = typeOf(obj);
    if (t?.t === 'instance') {
      const cls = model.byName.get(t.cls);
      if (!cls) return;
      const prop = findProperty(cls, name);
      if (prop) {
        result.uses.push({ file: mod.file, range: rangeOf(lines, attr), name, kind: 'attribute', cls: cls.name, property: prop, certain: t.certain });
        return;
      }
      if (MODEL_MEMBERS.has(name) || mod.dynamicNames.has(name)) return;
      if (name.startsWith('_') && findProperty(cls, name.slice(1))) return;
      // from_dict hands over the plain dict itself for a class without properties (sdk-spec §3.5).
      if (cls.properties.length === 0 && DICT_METHODS.has(name)) return;
      unknownGeneratedName(cls, attr, t.certain, t.via, isWriteTarget(node) ? 'write' : 'read');
      return;
    }
    if (t?.t === 'sdk') {
      const c = SDK_CLASSES[t.cls];
      if (!c) return;
      const attrs = sdkAttributes(t.cls, world.multipleStagedMounts).map(([n]) => n);
      if (attrs.includes(name) || isWriteTarget(node) || mod.assignedAttributes.has(name) || mod.dynamicNames.has(name)) return;
      const suggestions = closestNames(name, attrs);
      let message = `${t.cls} has no attribute \`${name}\`, so this raises AttributeError.`;
      if (name in c.attrs) message = `${t.cls}.${name} does not exist in the selected SDK version (it came with several staged mounts, SDK 4.1.0); this raises AttributeError.`;
      if (suggestions.length > 0) message += ` Did you mean \`${suggestions[0].name}\`?`;
      message += assumedNote(t);
      problem(attr, t.certain ? 'error' : 'information', 'python.sdkAttribute.unknown', message, renameFixes(suggestions.map((s) => s.name), rangeOf(lines, attr), (n) => `Change to \`${n}\``, clearlyBest(suggestions)));
    }
  };

  const checkDictKey = (t: Extract<PyType, { t: 'migrationDict' }>, keyNode: SyntaxNode, key: string, write: boolean) => {
    const cls = model.byDefinition.get(t.definition);
    if (!cls) return;
    const range = stringContentRange(lines, keyNode);
    const prop = cls.properties.find((p) => p.key === key);
    if (prop) {
      result.uses.push({ file: mod.file, range, name: key, kind: 'dictKey', cls: cls.name, property: prop, certain: t.certain });
      return;
    }
    const snake = cls.properties.find((p) => p.pythonName === key);
    const keys = cls.properties.map((p) => p.key);
    const suggestions = snake ? [{ name: snake.key, distance: 0 }] : closestNames(key, keys);
    let message = snake
      ? `'${key}' is the Python attribute name; upgrade migrations receive and return dicts keyed by the schema's property names, here '${snake.key}'.`
      : `'${key}' is not a property of ${t.definition}: upgrade migrations receive and return dicts keyed by the schema's property names.`;
    if (!snake && suggestions.length > 0) message += ` Did you mean '${suggestions[0].name}'?`;
    if (!snake && !write) message += ' (If it is a key of an older version of the schema, this is fine.)';
    message += assumedNote(t);
    const severity: Severity = !t.certain ? 'information' : snake || write ? 'warning' : 'information';
    problem(range, severity, 'python.migrationKey.unknown', message, renameFixes(suggestions.map((s) => s.name), range, (n) => `Change to '${n}'`, clearlyBest(suggestions)));
  };

  const checkConstructor = (call: SyntaxNode, cls: GeneratedClass, calleeNode: SyntaxNode) => {
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list') return;
    const props = cls.properties.filter((p) => p.kind !== 'dropped');
    let positional = 0;
    let splat = false;
    let validateOff = false;
    let unknownKeyword = false;
    const given = new Set<string>();
    const noneGiven: string[] = [];
    for (const a of kids(args)) {
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name');
        const value = field(a, 'value');
        if (!name) continue;
        if (name.text === 'validate') {
          if (value?.type !== 'true') validateOff = true;
          continue;
        }
        given.add(name.text);
        const prop = findProperty(cls, name.text);
        if (prop) {
          result.uses.push({ file: mod.file, range: rangeOf(lines, name), name: name.text, kind: 'keyword', cls: cls.name, property: prop, certain: true });
          if (value?.type === 'none') noneGiven.push(prop.pythonName);
        } else {
          unknownKeyword = true;
          unknownGeneratedName(cls, name, true, undefined, 'keyword');
        }
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
      else if (a.type !== 'comment') {
        if (positional === props.length && a.type !== 'true') validateOff = true;
        positional++;
      }
    }
    // An unknown keyword raises TypeError before any required check runs.
    if (splat || validateOff || unknownKeyword) return;
    const missing = props.filter((p, i) => p.required && ((i >= positional && !given.has(p.pythonName)) || noneGiven.includes(p.pythonName)));
    if (missing.length === 0) return;
    let message = `The required parameter '${missing[0].pythonName}' must not be 'None'. ${cls.name}() raises GeneratedClassesError here: property \`${missing[0].key}\` is required in ${schemaPlace(cls)}.`;
    if (missing.length > 1) message += ` Also required: ${missing.slice(1).map((p) => `'${p.pythonName}'`).join(', ')}.`;
    message += ' Pass the value, or validate=False to build the object without the check.';
    problem(calleeNode, 'error', 'python.constructor.missingRequired', message);
  };

  const checkCall = (node: SyntaxNode) => {
    const f = field(node, 'function');
    if (!f) return;
    const ft = typeOf(f);
    if (ft?.t === 'modelClass') {
      const cls = model.byName.get(ft.cls);
      const nameNode = f.type === 'attribute' ? field(f, 'attribute') ?? f : f;
      if (cls) {
        result.uses.push({ file: mod.file, range: rangeOf(lines, nameNode), name: cls.name, kind: 'class', cls: cls.name, certain: true });
        checkConstructor(node, cls, nameNode);
      }
      return;
    }
    if (ft?.t === 'function') {
      const callee = world.fn(ft.fn);
      if (!callee || callee.inClass) return;
      const args = field(node, 'arguments');
      if (!args || args.type !== 'argument_list') return;
      const map = new Map<string, PyType | undefined>();
      const positional = callee.params.filter((p) => p.kind === 'positional');
      let i = 0;
      let stop = false;
      for (const a of kids(args)) {
        if (a.type === 'keyword_argument') {
          const name = field(a, 'name');
          const value = field(a, 'value');
          if (name && value && callee.params.some((p) => p.name === name.text)) map.set(name.text, typeOf(value));
        } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') stop = true;
        else if (a.type !== 'comment' && !stop) {
          if (i < positional.length) map.set(positional[i].name, typeOf(a));
          i++;
        }
      }
      result.calls.push({ callee: callee.id, args: map });
      return;
    }
    if (f.type === 'attribute') {
      const obj = field(f, 'object');
      const name = field(f, 'attribute')?.text;
      const ot = obj ? typeOf(obj) : undefined;
      if (ot?.t === 'migrationDict' && (name === 'get' || name === 'pop' || name === 'setdefault')) {
        const first = firstArgument(node);
        const key = first ? stringValue(first) : undefined;
        if (first && key !== undefined) checkDictKey(ot, first, key, name === 'setdefault');
      }
    }
  };

  const checkSubscript = (node: SyntaxNode) => {
    const v = field(node, 'value');
    const sub = field(node, 'subscript');
    if (!v || !sub) return;
    const t = typeOf(v);
    if (t?.t !== 'migrationDict') return;
    const key = stringValue(sub);
    if (key !== undefined) checkDictKey(t, sub, key, isWriteTarget(node));
  };

  const walk = (node: SyntaxNode) => {
    switch (node.type) {
      case 'function_definition':
      case 'lambda':
        if (node.id !== fn.node.id) return;
        break;
      case 'class_definition':
        if (!fn.isModule) return;
        break;
      case 'attribute':
        checkAttribute(node);
        break;
      case 'call':
        checkCall(node);
        break;
      case 'subscript':
        checkSubscript(node);
        break;
      case 'return_statement':
        returns.push(node);
        break;
      case 'raise_statement':
        exitsOtherwise = true;
        break;
      case 'yield':
        exitsOtherwise = true;
        break;
    }
    for (const c of kids(node)) walk(c);
  };
  if (fn.body) walk(fn.body);

  // The function's return type: only when every return agrees.
  let rt: PyType | undefined;
  const valued = returns.map((r) => kids(r)[0]).filter((x): x is SyntaxNode => x !== undefined);
  if (valued.length > 0 && valued.length === returns.length) {
    rt = typeOf(valued[0]);
    for (const v of valued.slice(1)) rt = joinTypes(rt, typeOf(v));
  }
  result.returnType = rt;

  if (input.operation?.returns && !fn.isModule) checkReturns(input.operation, returns, exitsOtherwise);

  for (const name of bindings.keys()) result.locals.set(name, lookup(name).type);

  function checkReturns(op: OperationSpec, rets: SyntaxNode[], noReturnNeeded: boolean) {
    const expected = op.returns!;
    const label = `${op.id}()`;
    const wanted: Record<string, string> = {
      RepositoryDefinitionList: 'a list of RepositoryDefinition',
      SourceConfigDefinitionList: 'a list of SourceConfigDefinition',
      SnapshotDefinition: 'a SnapshotDefinition',
      SourceConfigDefinition: 'a SourceConfigDefinition',
      MountSpecification: 'a MountSpecification',
      Status: 'a Status (Status.ACTIVE or Status.INACTIVE)',
      number: 'a number',
      dict: 'a dict',
    };
    const report = (node: SyntaxNode, actual: string) =>
      problem(node, 'error', 'python.operation.returns', `${label} must return ${wanted[expected]}, but this returns ${actual}: the SDK raises ${expected === 'dict' ? 'IncorrectUpgradeObjectTypeError' : 'IncorrectReturnTypeError'} when the engine runs the operation.`);
    if (rets.length === 0) {
      if (!noReturnNeeded) report(fn.nameNode, 'None (it has no return statement)');
      return;
    }
    for (const r of rets) {
      const expr = kids(r)[0];
      const t: PyType | undefined = expr ? typeOf(expr) : { t: 'literal', what: 'None' };
      const bad = mismatch(expected, t);
      if (bad) report(expr ?? r, bad);
    }
  }

  function mismatch(expected: string, t: PyType | undefined): string | undefined {
    if (!t) return undefined;
    const actual = describeType(t);
    if (!actual) return undefined;
    const isInstance = (cls: string) => t.t === 'instance' && t.cls === cls;
    switch (expected) {
      case 'MountSpecification':
        return t.t === 'sdk' && t.cls === 'MountSpecification' ? undefined : actual;
      case 'SnapshotDefinition':
      case 'SourceConfigDefinition':
        return isInstance(DEFINITION_CLASSES[expected.charAt(0).toLowerCase() + expected.slice(1)] ?? expected) ? undefined : actual;
      case 'RepositoryDefinitionList':
      case 'SourceConfigDefinitionList': {
        if (t.t === 'list') return undefined;
        if (t.t !== 'literal' || t.what !== 'list') return actual;
        const want = expected.replace(/List$/, '');
        for (const item of t.items ?? []) {
          const d = describeType(item);
          if (d && !(item?.t === 'instance' && item.cls === want)) return `a list holding ${d}`;
        }
        return undefined;
      }
      case 'Status':
        return t.t === 'sdk' && t.cls === 'Status' ? undefined : actual;
      case 'number':
        return t.t === 'literal' && (t.what === 'int' || t.what === 'float' || t.what === 'bool') ? undefined : actual;
      case 'dict':
        return t.t === 'migrationDict' || (t.t === 'literal' && t.what === 'dict') ? undefined : actual;
    }
    return undefined;
  }

  return result;
}

/** The type of `name` read on a value of type `t` (undefined when not known). */
export function attributeOf(world: Pick<FlowWorld, 'model' | 'multipleStagedMounts' | 'moduleAttribute'>, t: PyType | undefined, name: string): PyType | undefined {
  const { model } = world;
  if (!t) return undefined;
  switch (t.t) {
    case 'instance': {
      const cls = model.byName.get(t.cls);
      const prop = cls ? findProperty(cls, name) : undefined;
      return prop ? propertyType(model, prop, t.certain, t.via) : undefined;
    }
    case 'sdk': {
      const attr = sdkAttributes(t.cls, world.multipleStagedMounts).find(([n]) => n === name);
      return attr ? sdkAttributeType(model, attr[1].type, t.certain, t.via) : undefined;
    }
    case 'module':
      return world.moduleAttribute(t.module, name);
    case 'genModule':
      return model.byName.has(name) ? { t: 'modelClass', cls: name } : undefined;
    case 'plugin':
      return ['discovery', 'linked', 'virtual', 'upgrade'].includes(name) ? { t: 'pluginGroup', group: name, plugin: t.id } : undefined;
    case 'sdkClass':
      if (t.cls === 'Status' && (name === 'ACTIVE' || name === 'INACTIVE')) return { t: 'sdk', cls: 'Status', certain: true };
      if (t.cls === 'MigrationType' && (name === 'PLATFORM' || name === 'LUA')) return { t: 'sdk', cls: 'MigrationType', certain: true };
      return undefined;
    default:
      return undefined;
  }
}

function firstArgument(call: SyntaxNode): SyntaxNode | undefined {
  const args = field(call, 'arguments');
  return args ? kids(args).find((c) => c.type !== 'comment' && c.type !== 'keyword_argument') : undefined;
}
