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
import { bindArguments } from './callBinding';
import type { AttributeWrite, MemberRead } from './memberStore';
import { bearsInput, clip, describeType, elementType, entryType, joinAll, joinTypes, members, traced, typeKey, type LiteralKind, type PyType } from './values';
import { boundNames, collectPatternNames, field, kids, rangeOf, stringContentRange, stringValue, type FunctionInfo, type ImportBinding, type ModuleInfo } from './syntax';

export { describeType, joinTypes, typeKey, type LiteralKind, type PyType } from './values';

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
  /** How the value holding the name was reached (`staged_source` → `Ctl(...)` → `self.config` → `.parameters`). */
  trace?: string[];
}

/** An attribute read on a value from the operation's inputs that could not be checked, and why. */
export interface Untraced {
  file: string;
  range: Range;
  reason: string;
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
  /** Attributes of the plugin's own objects this result read, with what it found. */
  consultedMembers: Map<string, { receiver: MemberReceiver; name: string; type: string }>;
  /** What the function assigns to attributes of the plugin's own objects and classes. */
  writes: AttributeWrite[];
  /** Attribute names it assigns on values it could not type (any object may hold them). */
  untypedWrites: string[];
  /** Attribute reads on values of generated or SDK classes that were checked, and those that could not be. */
  verified: number;
  untraced: Untraced[];
  /** Generated classes given attributes by a computed name here (`setattr(params, name, v)`, `params.__dict__`). */
  opened: { cls: string; file: string; range: Range }[];
  /** Findings of names absent from a generated class (void when something opens the class). */
  absent: { cls: string; name: string; problem: Problem }[];
}

export type MemberReceiver = Extract<PyType, { t: 'object' | 'class' | 'super' }>;

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
  /** Whether the function has been analysed (a callee not analysed yet contributes nothing to a join). */
  analysed(id: string): boolean;
  parentLocals(fn: FunctionInfo): ReadonlyMap<string, PyType | undefined> | undefined;
  addPropertyFix(cls: GeneratedClass, pythonName: string): Fix | undefined;
  /** `receiver.name` on one of the plugin's own objects or classes. */
  member(receiver: MemberReceiver, name: string): MemberRead;
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
  | { kind: 'class'; id: string }
  /** `a, b = value`: the `index`-th element. */
  | { kind: 'unpack'; value: SyntaxNode; index: number }
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

/** Analyse one function (or a module's top-level code) under the given argument types. */
export function analyzeFunction(base: FlowWorld, mod: ModuleInfo, fn: FunctionInfo, input: FunctionInput): FunctionResult {
  const { model } = base;
  const lines = mod.lines;
  const result: FunctionResult = { fnId: fn.id, uses: [], problems: [], calls: [], locals: new Map(), consulted: new Map(), consultedGlobals: new Map(), consultedMembers: new Map(), writes: [], untypedWrites: [], verified: 0, untraced: [], opened: [], absent: [] };
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
    member: (receiver, name) => {
      const read = base.member(receiver, name);
      result.consultedMembers.set(`${typeKey(receiver)}\0${name}`, { receiver, name, type: typeKey(read.type) });
      if (read.getter) {
        result.consulted.set(read.getter.id, typeKey(read.type));
        const selfParam = read.getter.params[0];
        if (selfParam && receiver.t === 'object') result.calls.push({ callee: read.getter.id, args: new Map([[selfParam.name, receiver]]) });
      }
      return read;
    },
  };
  const bindings = new Map<string, Binding[]>();
  /** `d[key] = value` on a local name (key undefined: not a constant). */
  const dictSets = new Map<string, { key?: string; value: SyntaxNode }[]>();
  const declaredOuter = new Set<string>();
  /** Names this function declares `global` (assignments to them set the module's variable). */
  const globals = new Set<string>();
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

  if (!fn.isModule) for (const p of fn.params) bind(p.name, { kind: 'param', name: p.name });

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
        if (name && !fn.isModule) bind(name.text, { kind: 'class', id: `${fn.file}#${node.startIndex}` });
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
        } else if (left && right && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') && kids(left).every((k) => k.type === 'identifier')) {
          kids(left).forEach((k, index) => bind(k.text, { kind: 'unpack', value: right, index }));
        } else if (left?.type === 'subscript' && right && field(left, 'value')?.type === 'identifier') {
          const sub = field(left, 'subscript');
          const target = field(left, 'value')!.text;
          dictSets.set(target, [...(dictSets.get(target) ?? []), { key: sub ? stringValue(sub) : undefined, value: right }]);
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
        for (const c of kids(node)) if (c.type === 'identifier') {
          declaredOuter.add(c.text);
          if (node.type === 'global_statement') globals.add(c.text);
        }
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
    if (globals.has(name)) out = { bound: true, type: world.globalType(mod, name) };
    else if (declaredOuter.has(name)) out = { bound: true, type: undefined };
    else if (fn.isModule) {
      const bound = mod.topBindings.has(name);
      out = { bound, type: bound ? world.globalType(mod, name) : undefined };
    } else {
      const bs = bindings.get(name);
      if (bs) {
        if (evaluating.has(name)) return { bound: true, type: undefined };
        evaluating.add(name);
        // A loop-carried name (`node = node.parent`): the bindings that do not read the name give a
        // first value, which the others then refine.
        const reads = (b: Binding) => b.kind === 'assign' && b.value.endIndex - b.value.startIndex < 2000 && new RegExp(`\\b${name}\\b`).test(b.value.text);
        const seeds = bs.filter((b) => !reads(b));
        let t: PyType | undefined;
        if (seeds.length > 0 && seeds.length < bs.length) {
          const first = joinAll(seeds.map(bindingType));
          nameMemo.set(name, { bound: true, type: first });
          evaluating.delete(name);
          t = joinAll([first, ...bs.filter(reads).map(bindingType)]);
          nameMemo.delete(name);
          evaluating.add(name);
        } else t = joinAll(bs.map(bindingType));
        const sets = dictSets.get(name);
        if (sets && t?.t === 'dict') {
          const entries = new Map(t.entries);
          for (const d of sets) {
            if (d.key === undefined) {
              t = bearsInput(t) ? { t: 'lost', reason: `${name} is given keys computed at run time` } : undefined;
              break;
            }
            entries.set(d.key, entries.has(d.key) ? joinTypes(entries.get(d.key), typeOf(d.value)) : typeOf(d.value));
          }
          if (t?.t === 'dict') t = { t: 'dict', entries: [...entries] };
        }
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
      case 'unpack': {
        const v = typeOf(b.value);
        if (v?.t === 'literal' && v.items && !kids(b.value).some((k) => k.type === 'list_splat')) return v.items[b.index];
        return v?.t === 'list' ? v.item : v?.t === 'lost' ? v : undefined;
      }
      case 'import':
        return world.importType(mod, b.binding);
      case 'def': {
        const f = world.fn(b.fnId);
        return f ? functionType(f) : undefined;
      }
      case 'class':
        return { t: 'class', cls: b.id };
      default:
        return undefined;
    }
  };

  /** The hover trace's step for reading `name` on `obj` (`self.config`), when the text is short. */
  const stepOf = (obj: SyntaxNode, name: string) => (obj.endIndex - obj.startIndex <= 40 && !obj.text.includes('\n') ? `${obj.text}.${name}` : `.${name}`);

  const attrType = (t: PyType | undefined, name: string, obj: SyntaxNode): PyType | undefined => attributeOf(world, t, mangled(name), stepOf(obj, name));

  // `self.__x` in a class body means `self._Class__x` (Python's private name mangling).
  let mangleAs: string | undefined;
  for (let f: FunctionInfo | undefined = fn; f && mangleAs === undefined; f = f.parent) {
    if (f.classId) mangleAs = mod.classes.find((c) => c.id === f!.classId)?.name.replace(/^_+/, '');
  }
  const staticMethod = fn.decorators.some((d) => /^(staticmethod|classmethod)$/.test(kids(d)[0]?.text ?? ''));
  const selfParam = fn.classId && !staticMethod ? fn.params.find((p) => p.kind === 'positional')?.name : undefined;
  const mangled = (name: string) => (mangleAs && name.startsWith('__') && !name.endsWith('__') ? `_${mangleAs}${name}` : name);

  /**
   * The plugin functions a call may run (each with its receiver bound to the first parameter; several
   * when the callee is a union, as `self.data_dir()` overridden in subclasses) and, for a class, the new
   * object. Undefined when any possible callee is unknown.
   */
  const resolveCall = (ft: PyType | undefined): { targets: { fn: FunctionInfo; self?: PyType }[]; made?: PyType } | undefined => {
    if (!ft) return undefined;
    const targets: { fn: FunctionInfo; self?: PyType }[] = [];
    let made: PyType | undefined;
    for (const m of members(ft)) {
      if (m.t === 'function' || m.t === 'method') {
        const callee = world.fn(m.fn);
        if (!callee) return undefined;
        const same = targets.find((x) => x.fn === callee);
        if (same && m.t === 'method') same.self = joinTypes(same.self, m.self);
        else if (!same) targets.push({ fn: callee, self: m.t === 'method' ? m.self : undefined });
      } else if (m.t === 'class') {
        const obj: PyType = { t: 'object', cls: m.cls };
        made = joinTypes(made ?? obj, obj);
        const init = world.member(obj, '__init__').type;
        if (init?.t === 'method') {
          const callee = world.fn(init.fn);
          if (callee) targets.push({ fn: callee, self: obj });
        }
      } else return undefined;
    }
    return { targets, made };
  };

  const superType = (node: SyntaxNode): PyType | undefined => {
    const args = field(node, 'arguments');
    const given = args ? kids(args).filter((k) => k.type !== 'comment') : [];
    if (given.length === 2) {
      const c = typeOf(given[0]);
      const self = typeOf(given[1]);
      return c?.t === 'class' && self ? { t: 'super', cls: c.cls, self } : undefined;
    }
    if (given.length !== 0 || !fn.classId || fn.params.length === 0) return undefined;
    const self = lookup(fn.params[0].name).type;
    return { t: 'super', cls: fn.classId, self: self && (self.t === 'object' || self.t === 'class' || self.t === 'union') ? self : { t: 'object', cls: fn.classId } };
  };

  /** `d.get('key', default)` and friends on a dict with constant keys. */
  const dictCall = (d: PyType, method: string, call: SyntaxNode): PyType | undefined => {
    const args = kids(field(call, 'arguments') ?? call).filter((k) => k.type !== 'comment');
    if (method === 'copy') return d;
    if (method === 'values') return { t: 'list', item: joinAll(d.t === 'dict' ? d.entries.map(([, v]) => v) : []) };
    if (method !== 'get' && method !== 'pop' && method !== 'setdefault') return undefined;
    const key = args[0] ? stringValue(args[0]) : undefined;
    if (key === undefined) return bearsInput(d) ? { t: 'lost', reason: 'a dict read with a key computed at run time' } : undefined;
    const has = d.t === 'dict' && d.entries.some(([k]) => k === key);
    const fallback: PyType | undefined = args[1] ? typeOf(args[1]) : { t: 'literal', what: 'None' };
    return has ? entryType(d, key) : fallback;
  };

  const callType = (node: SyntaxNode): PyType | undefined => {
    const f = field(node, 'function');
    if (!f) return undefined;
    if (f.type === 'identifier' && f.text === 'super' && !lookup('super').bound) return superType(node);
    if (f.type === 'identifier' && f.text === 'getattr' && !lookup('getattr').bound) {
      const [target, name] = kids(field(node, 'arguments') ?? node).filter((k) => k.type !== 'comment');
      const tt = target ? typeOf(target) : undefined;
      if (name && stringValue(name) === undefined && bearsInput(tt)) return { t: 'lost', reason: 'read with getattr() and a name computed at run time' };
      return undefined;
    }
    const ft = typeOf(f);
    if (ft?.t === 'modelClass') return { t: 'instance', cls: ft.cls, certain: true };
    if (ft?.t === 'sdkClass') {
      if (ft.cls === 'Plugin') return { t: 'plugin', id: '' };
      return SDK_CLASSES[ft.cls] ? { t: 'sdk', cls: ft.cls, certain: true } : undefined;
    }
    const call = resolveCall(ft);
    if (call) {
      if (call.made) return call.made;
      // A callee not analysed yet (a recursive call on the first pass) adds nothing: its result is
      // joined in when it comes, since its callers are analysed again then.
      // A recursive call adds nothing either: what the function returns is what its other returns give
      // (its own last result, taken while its inputs were still incomplete, would stick).
      const done = call.targets.filter(({ fn: callee }) => {
        if (callee.id === fn.id) return false;
        if (world.analysed(callee.id)) return true;
        result.consulted.set(callee.id, '!unanalysed');
        return false;
      });
      if (done.length === 0) return { t: 'never' };
      return joinAll(
        done.map(({ fn: callee }) => {
          const r = world.returnType(callee.id);
          result.consulted.set(callee.id, typeKey(r));
          return r;
        }),
      );
    }
    if (f.type === 'attribute') {
      const obj = field(f, 'object');
      const name = field(f, 'attribute')?.text;
      const ot = obj ? typeOf(obj) : undefined;
      if (ot?.t === 'modelClass' && name === 'from_dict') return { t: 'instance', cls: ot.cls, certain: true };
      if (ot?.t === 'migrationDict' && name === 'copy') return ot;
      if (ot?.t === 'instance' && name === 'to_dict') return { t: 'literal', what: 'dict' };
      if (ot?.t === 'dict' && name) return dictCall(ot, name, node);
      return undefined;
    }
    if (f.type === 'identifier' && !lookup(f.text).bound && BUILTIN_RESULTS[f.text]) {
      const first = firstArgument(node);
      const at = first ? typeOf(first) : undefined;
      if ((f.text === 'dict') && (at?.t === 'migrationDict' || at?.t === 'dict')) return at;
      if (f.text === 'dict' && !first) return dictLiteral(node);
      if ((f.text === 'list' || f.text === 'tuple') && (at?.t === 'list' || (at?.t === 'literal' && at.items))) return at;
      return { t: 'literal', what: BUILTIN_RESULTS[f.text] };
    }
    return undefined;
  };

  /** A dict literal (or `dict(a=...)`) whose keys are all constant strings; else a plain dict. */
  const dictLiteral = (node: SyntaxNode): PyType => {
    const entries: [string, PyType | undefined][] = [];
    const args = node.type === 'call' ? field(node, 'arguments') : node;
    for (const c of kids(args ?? node)) {
      if (c.type === 'comment') continue;
      if (c.type === 'pair' || c.type === 'keyword_argument') {
        const k = c.type === 'pair' ? field(c, 'key') : field(c, 'name');
        const key = k ? (c.type === 'pair' ? stringValue(k) : k.text) : undefined;
        const v = field(c, 'value');
        if (key === undefined || !v) return { t: 'literal', what: 'dict' };
        entries.push([key, typeOf(v)]);
      } else if (c.type === 'dictionary_splat') {
        const inner = kids(c)[0];
        const it = inner ? typeOf(inner) : undefined;
        if (it?.t !== 'dict') return { t: 'literal', what: 'dict' };
        entries.push(...it.entries);
      } else return { t: 'literal', what: 'dict' };
    }
    return entries.length > 0 ? { t: 'dict', entries } : { t: 'literal', what: 'dict' };
  };

  const subscriptType = (node: SyntaxNode): PyType | undefined => {
    const v = field(node, 'value');
    const vt = v ? typeOf(v) : undefined;
    const sub = field(node, 'subscript');
    if (!vt || !sub) return undefined;
    if (vt.t === 'list') return sub.type === 'slice' ? vt : vt.item;
    if (vt.t === 'dict' || (vt.t === 'union' && vt.members.every((m) => m.t === 'dict'))) {
      const key = stringValue(sub);
      if (key === undefined && vt.t === 'dict' && vt.entries.length > 0 && vt.entries.every(([k]) => k === '*')) return vt.entries[0][1];
      if (key === undefined) return bearsInput(vt) ? { t: 'lost', reason: 'a dict read with a key computed at run time' } : undefined;
      return entryType(vt, key);
    }
    if (vt.t === 'literal' && vt.items && (vt.what === 'tuple' || vt.what === 'list')) {
      const i = sub.type === 'integer' ? Number(sub.text) : sub.type === 'unary_operator' && /^-\s*\d+$/.test(sub.text) ? vt.items.length + Number(sub.text.replace(/\s/g, '')) : NaN;
      if (Number.isInteger(i) && i >= 0 && i < vt.items.length) return vt.items[i];
      return sub.type === 'slice' ? undefined : elementType(vt);
    }
    return vt.t === 'lost' ? vt : undefined;
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
        t = obj && attr ? attrType(typeOf(obj), attr.text, obj) : undefined;
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
      case 'subscript':
        t = subscriptType(node);
        break;
      case 'dictionary':
        t = dictLiteral(node);
        break;
      case 'boolean_operator': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        const op = kids(node).length ? node.child(1)?.type : undefined;
        t = left && right ? (op === 'or' ? joinTypes(typeOf(left), typeOf(right)) : typeOf(right)) : undefined;
        break;
      }
      case 'list':
      case 'tuple':
      case 'expression_list':
        t = { t: 'literal', what: LITERAL_NODES[node.type] ?? 'tuple', items: kids(node).map((c) => (c.type === 'list_splat' ? undefined : typeOf(c))) };
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

  const unknownGeneratedName = (cls: GeneratedClass, nameNode: SyntaxNode, certain: boolean, via: string | undefined, use: 'keyword' | 'read' | 'write', also = '', otherNames: string[] = []) => {
    const keyword = use === 'keyword';
    const name = nameNode.text;
    const props = cls.properties.filter((p) => p.kind !== 'dropped');
    const suggestions = closestNames(name, [...new Set([...props.map((p) => p.pythonName), ...otherNames])]);
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
    message += also + assumedNote({ certain, via });
    const range = rangeOf(lines, nameNode);
    const fixes = renameFixes(suggestions.map((s) => s.name), range, (n) => `Change to \`${n}\``, clearlyBest(suggestions));
    const add = dropped ? undefined : world.addPropertyFix(cls, name);
    if (add) fixes.push(add);
    problem(nameNode, !certain ? 'information' : use === 'write' ? 'warning' : 'error', keyword ? 'python.keyword.unknown' : 'python.attribute.unknown', message, fixes);
    if (!keyword) result.absent.push({ cls: cls.name, name, problem: result.problems[result.problems.length - 1] });
    result.uses.push({ file: mod.file, range, name, kind: keyword ? 'keyword' : 'attribute', cls: cls.name, certain });
  };

  const isWriteTarget = (node: SyntaxNode): boolean => {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === 'assignment' || parent.type === 'augmented_assignment') return field(parent, 'left')?.id === node.id;
    if (parent.type === 'pattern_list' || parent.type === 'tuple_pattern') return isWriteTarget(parent);
    return false;
  };

  const untraced = (node: SyntaxNode, reason: string) => result.untraced.push({ file: mod.file, range: rangeOf(lines, node), reason });

  /** Whether `name` exists on one generated or SDK value: found (a use is recorded), skip (not checkable), absent. */
  const memberOf = (m: PyType, name: string, attr: SyntaxNode, write: boolean): 'found' | 'skip' | 'absent' => {
    if (m.t === 'instance') {
      const cls = model.byName.get(m.cls);
      if (!cls) return 'skip';
      const prop = findProperty(cls, name);
      if (prop) {
        result.uses.push({ file: mod.file, range: rangeOf(lines, attr), name, kind: 'attribute', cls: cls.name, property: prop, certain: m.certain, ...(m.trace ? { trace: m.trace } : {}) });
        return 'found';
      }
      if (MODEL_MEMBERS.has(name) || mod.dynamicNames.has(name)) return 'skip';
      if (name.startsWith('_') && findProperty(cls, name.slice(1))) return 'skip';
      // from_dict hands over the plain dict itself for a class without properties (sdk-spec §3.5).
      if (cls.properties.length === 0 && DICT_METHODS.has(name)) return 'skip';
      return 'absent';
    }
    if (m.t === 'sdk') {
      if (!SDK_CLASSES[m.cls]) return 'skip';
      if (sdkAttributes(m.cls, world.multipleStagedMounts).some(([n]) => n === name)) return 'found';
      return write || mod.assignedAttributes.has(name) || mod.dynamicNames.has(name) ? 'skip' : 'absent';
    }
    return 'skip';
  };

  const namesOf = (m: Extract<PyType, { t: 'instance' | 'sdk' }>): string[] =>
    m.t === 'instance'
      ? (model.byName.get(m.cls)?.properties ?? []).filter((p) => p.kind !== 'dropped').map((p) => p.pythonName)
      : sdkAttributes(m.cls, world.multipleStagedMounts).map(([n]) => n);

  const reportAbsent = (all: Extract<PyType, { t: 'instance' | 'sdk' }>[], attr: SyntaxNode, certain: boolean, via: string | undefined, write: boolean) => {
    const m = all[0];
    const name = attr.text;
    const others = [...new Set(all.slice(1).map((o) => `a ${o.cls}`))].filter((o) => o !== `a ${m.cls}`);
    const otherNames = all.slice(1).flatMap(namesOf);
    const also = others.length > 0 ? ` (The value may also be ${others.join(' or ')}: none has it.)` : '';
    if (m.t === 'instance') {
      const cls = model.byName.get(m.cls);
      if (cls) unknownGeneratedName(cls, attr, certain, via, write ? 'write' : 'read', also, otherNames);
      return;
    }
    const c = SDK_CLASSES[m.cls];
    const attrs = [...new Set([...namesOf(m), ...otherNames])];
    const suggestions = closestNames(name, attrs);
    let message = `${m.cls} has no attribute \`${name}\`, so this raises AttributeError.`;
    if (name in c.attrs) message = `${m.cls}.${name} does not exist in the selected SDK version (it came with several staged mounts, SDK 4.1.0); this raises AttributeError.`;
    if (suggestions.length > 0) message += ` Did you mean \`${suggestions[0].name}\`?`;
    message += also + assumedNote({ certain, via });
    problem(attr, certain ? 'error' : 'information', 'python.sdkAttribute.unknown', message, renameFixes(suggestions.map((s) => s.name), rangeOf(lines, attr), (n) => `Change to \`${n}\``, clearlyBest(suggestions)));
  };

  /**
   * `obj.name` on a value of generated or SDK classes: an error only when no class the value may hold
   * has the name. Values from the inputs that could not be followed are counted for the coverage report.
   */
  const checkAttribute = (node: SyntaxNode) => {
    const obj = field(node, 'object');
    const attr = field(node, 'attribute');
    if (!obj || !attr) return;
    const name = attr.text;
    if (/^__.*__$/.test(name) && name !== '__dict__') return;
    const t = typeOf(obj);
    if (!t) return;
    if (name === '__dict__') {
      for (const m of members(t)) if (m.t === 'instance') result.opened.push({ cls: m.cls, file: mod.file, range: rangeOf(lines, node) });
      return;
    }
    const write = isWriteTarget(node);
    // A chain `a.b.c` on a value that could not be followed counts once, at its end.
    const chained = node.parent?.type === 'attribute' && field(node.parent, 'object')?.id === node.id;
    if (t.t === 'lost') {
      if (!write && !chained) untraced(attr, t.reason);
      return;
    }
    const all = members(t);
    const checked = all.filter((m): m is Extract<PyType, { t: 'instance' | 'sdk' }> => m.t === 'instance' || m.t === 'sdk');
    if (checked.length === 0) return;
    const rest = all.filter((m) => m.t !== 'instance' && m.t !== 'sdk' && !(m.t === 'literal' && m.what === 'None'));
    const outcomes = checked.map((m) => memberOf(m, name, attr, write));
    // One path that certainly gives a class lacking the name is enough for an error.
    const certain = checked.some((m) => m.certain);
    const uncertainOne = certain ? undefined : checked[0];
    if (!write) {
      if (!certain) {
        if (!chained) untraced(attr, `assumed from the name \`${uncertainOne!.via}\`: no call that passes this value was followed`);
      }
      else if (rest.length > 0 && !outcomes.includes('found')) untraced(attr, `it may also hold ${describeType(rest[0]) ?? 'a value of another kind'}`);
      else result.verified++;
    }
    if (outcomes.includes('found') || outcomes.includes('skip') || rest.length > 0) return;
    if (!write && guardedAgainstAttributeError(node)) {
      untraced(attr, 'the read is inside a try whose except catches AttributeError');
      return;
    }
    reportAbsent(checked, attr, certain, uncertainOne?.via, write);
  };

  /** `target = value` where the target is an attribute of one of the plugin's objects or classes. */
  const recordWrite = (target: SyntaxNode, value: PyType | undefined) => {
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'tuple') {
      kids(target).forEach((k, i) => recordWrite(k, value?.t === 'literal' && value.items ? value.items[i] : undefined));
      return;
    }
    if (target.type !== 'attribute') return;
    const obj = field(target, 'object');
    const text = field(target, 'attribute')?.text;
    if (!obj || !text) return;
    const name = mangled(text);
    // `self.x = ...` in a method stores on the class that defines it: every instance of a class whose
    // MRO holds that class (subclasses, classes that mix it in) sees the value.
    if (obj.type === 'identifier' && selfParam && obj.text === selfParam && !bindings.get(selfParam)?.some((b) => b.kind !== 'param')) {
      result.writes.push({ cls: fn.classId!, name, type: stored(value) });
      return;
    }
    const ot = typeOf(obj);
    if (!ot || ot.t === 'lost') {
      result.untypedWrites.push(name);
      return;
    }
    for (const m of members(ot)) if (m.t === 'object' || m.t === 'class') result.writes.push({ cls: m.cls, name, type: stored(value) });
  };

  /** A guess from a parameter's name stays in its function: an object's attribute only keeps followed values. */
  const stored = (value: PyType | undefined): PyType | undefined => {
    const guess = value && members(value).find((m) => (m.t === 'instance' || m.t === 'sdk' || m.t === 'migrationDict') && !m.certain);
    return guess ? { t: 'lost', reason: `the value stored was assumed from the name \`${(guess as { via?: string }).via}\`, not followed` } : clip(value);
  };

  const checkAssignment = (node: SyntaxNode) => {
    const left = field(node, 'left');
    if (!left) return;
    const right = field(node, 'right');
    const value = node.type === 'assignment' && right ? typeOf(right) : undefined;
    recordWrite(left, value);
    if (left.type === 'identifier' && globals.has(left.text)) result.writes.push({ cls: `${mod.file}#module`, name: left.text, type: stored(value) });
    // `STATE["key"] = value` on a module-level dict: the dict's entry (`STATE[*]` for a computed key).
    const target = left.type === 'subscript' ? field(left, 'value') : undefined;
    if (!fn.isModule && target?.type === 'identifier' && !bindings.has(target.text) && mod.topBindings.has(target.text)) {
      const sub = field(left, 'subscript');
      const key = sub ? stringValue(sub) : undefined;
      result.writes.push({ cls: `${mod.file}#module`, name: `${target.text}[${key ?? '*'}]`, type: stored(value) });
    }
    // `name = value` in a class body: a class attribute.
    const cls = node.parent?.type === 'expression_statement' ? node.parent.parent?.parent : undefined;
    if (fn.isModule && node.parent?.parent?.type === 'block' && cls?.type === 'class_definition' && left.type === 'identifier') {
      result.writes.push({ cls: `${mod.file}#${cls.startIndex}`, name: left.text, type: stored(value) });
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

  /** `setattr(x, name, v)` with a computed name, on a value of generated classes: they may hold any name. */
  const checkOpening = (node: SyntaxNode, f: SyntaxNode) => {
    if (f.type !== 'identifier' || f.text !== 'setattr' || lookup('setattr').bound) return;
    const [target, name] = kids(field(node, 'arguments') ?? node).filter((k) => k.type !== 'comment');
    if (!target || !name || stringValue(name) !== undefined) return;
    const t = typeOf(target);
    for (const m of t ? members(t) : []) if (m.t === 'instance') result.opened.push({ cls: m.cls, file: mod.file, range: rangeOf(lines, node) });
  };

  const checkCall = (node: SyntaxNode) => {
    const f = field(node, 'function');
    if (!f) return;
    checkOpening(node, f);
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
    const call = resolveCall(ft);
    if (call && call.targets.length > 0) {
      const args = field(node, 'arguments');
      if (!args) return;
      const label = `${f.type === 'attribute' ? field(f, 'attribute')?.text ?? '' : f.endIndex - f.startIndex <= 40 ? f.text : 'call'}(...)`;
      for (const target of call.targets) {
        const map = bindArguments(target.fn, args, (n) => traced(typeOf(n), label), target.self);
        for (const [k, v] of map) map.set(k, clip(v));
        result.calls.push({ callee: target.fn.id, args: map });
      }
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
      case 'assignment':
      case 'augmented_assignment':
        checkAssignment(node);
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
  result.returnType = rt?.t === 'never' ? undefined : rt;

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
export function attributeOf(world: Pick<FlowWorld, 'model' | 'multipleStagedMounts' | 'moduleAttribute' | 'member'>, t: PyType | undefined, name: string, step = `.${name}`): PyType | undefined {
  const { model } = world;
  if (!t) return undefined;
  const withTrace = (r: PyType | undefined, from: { trace?: string[] }) => (from.trace ? traced(r && (r.t === 'instance' || r.t === 'sdk') ? { ...r, trace: from.trace } : r, `.${name}`) : r);
  switch (t.t) {
    case 'instance': {
      const cls = model.byName.get(t.cls);
      const prop = cls ? findProperty(cls, name) : undefined;
      return prop ? withTrace(propertyType(model, prop, t.certain, t.via), t) : undefined;
    }
    case 'sdk': {
      const attr = sdkAttributes(t.cls, world.multipleStagedMounts).find(([n]) => n === name);
      return attr ? withTrace(sdkAttributeType(model, attr[1].type, t.certain, t.via), t) : undefined;
    }
    case 'object':
    case 'class':
    case 'super':
      return traced(world.member(t, name).type, step);
    case 'union': {
      // A member without the name raises there, so the value read is one of the others'.
      const reads: (PyType | undefined)[] = [];
      for (const m of t.members) {
        const r = attributeOf(world, m, name, step);
        const raises = (r === undefined && (m.t === 'instance' || m.t === 'sdk')) || (m.t === 'literal' && m.what === 'None');
        if (!raises) reads.push(r);
      }
      return reads.length > 0 ? joinAll(reads) : undefined;
    }
    case 'lost':
      return t;
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

/** Inside the body of a `try` whose handlers catch AttributeError (or everything). */
function guardedAgainstAttributeError(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    const p: SyntaxNode | null = n.parent;
    if (p?.type === 'function_definition' || p?.type === 'lambda') return false;
    if (p?.type !== 'try_statement' || field(p, 'body')?.id !== n.id) continue;
    for (const c of kids(p)) {
      if (c.type !== 'except_clause') continue;
      const caught = kids(c).find((k) => k.type !== 'block' && k.type !== 'comment');
      if (!caught || /\b(AttributeError|Exception|BaseException)\b/.test(caught.text)) return true;
    }
  }
  return false;
}

function firstArgument(call: SyntaxNode): SyntaxNode | undefined {
  const args = field(call, 'arguments');
  return args ? kids(args).find((c) => c.type !== 'comment' && c.type !== 'keyword_argument') : undefined;
}
