// The plugin's own classes: what each class statement declares (methods and their kinds, nested
// classes, whether attributes can appear dynamically), its bases among the plugin's classes, and its
// method resolution order. Attribute values live in the MemberStore; this module only knows shapes.
// Like Jedi's class model, a class is read from its statement, never imported or run.

import type { SyntaxNode } from './parser';
import { field, kids, stringValue, type ClassInfo, type FunctionInfo, type ModuleInfo } from './syntax';
import type { PyType } from './values';

export type MethodKind = 'method' | 'property' | 'classmethod' | 'staticmethod';

export interface ClassShape {
  info: ClassInfo;
  methods: Map<string, { fn: FunctionInfo; kind: MethodKind }>;
  /** Classes defined in the body (`class Op: class Builder: ...`), by name. */
  nested: Map<string, string>;
  /** Why attributes may appear that no assignment shows (setattr with a computed name, __getattr__, ...). */
  dynamic?: string;
  /** The class may also change what its own assignments store (`__setattr__`). */
  replaces?: boolean;
}

/** Bases that add no attributes a plugin reads (so a class deriving from them is fully known). */
const EMPTY_BASES = new Set(['object', 'ABC', 'abc.ABC', 'Exception', 'BaseException', 'RuntimeError', 'ValueError', 'Generic']);

const DYNAMIC_METHODS: Record<string, string> = {
  __getattr__: 'it defines __getattr__',
  __getattribute__: 'it defines __getattribute__',
  __setattr__: 'it defines __setattr__',
};

/** Read the shapes of one module's classes (cached with the module's parse). */
export function classShapes(mod: ModuleInfo): Map<string, ClassShape> {
  const out = new Map<string, ClassShape>();
  for (const info of mod.classes) out.set(info.id, { info, methods: new Map(), nested: new Map() });
  for (const fn of mod.functions) {
    const shape = fn.classId ? out.get(fn.classId) : undefined;
    if (!shape) continue;
    shape.methods.set(fn.name, { fn, kind: methodKind(fn) });
    if (DYNAMIC_METHODS[fn.name]) shape.dynamic ??= DYNAMIC_METHODS[fn.name];
    if (fn.name === '__setattr__' || fn.name === '__getattribute__') shape.replaces = true;
    if (!shape.dynamic && fn.body) shape.dynamic = dynamicWrites(fn.body);
  }
  for (const info of mod.classes) if (info.outer) out.get(info.outer.id)?.nested.set(info.name, info.id);
  for (const shape of out.values()) {
    const meta = shape.info.bases.find((b) => b.type === 'keyword_argument' && field(b, 'name')?.text === 'metaclass');
    if (meta && !/^(abc\.)?ABCMeta$/.test(field(meta, 'value')?.text ?? '')) shape.dynamic ??= 'it has a metaclass';
  }
  return out;
}

function methodKind(fn: FunctionInfo): MethodKind {
  for (const d of fn.decorators) {
    const text = kids(d)[0]?.text ?? '';
    if (text === 'property' || /\.(getter|cached_property)$/.test(text) || text === 'cached_property' || text === 'functools.cached_property') return 'property';
    if (text === 'classmethod') return 'classmethod';
    if (text === 'staticmethod') return 'staticmethod';
  }
  return 'method';
}

/** `setattr(x, name, v)` with a computed name, or a write through `__dict__`/`vars()`. */
function dynamicWrites(body: SyntaxNode): string | undefined {
  let found: string | undefined;
  const walk = (n: SyntaxNode) => {
    if (found) return;
    if (n.type === 'call') {
      const f = field(n, 'function');
      if (f?.type === 'identifier' && f.text === 'setattr') {
        const second = kids(field(n, 'arguments') ?? n)[1];
        if (!second || stringValue(second) === undefined) found = 'it sets attributes with setattr() and a computed name';
      } else if (f?.type === 'identifier' && f.text === 'vars') found = 'it writes attributes through vars()';
    } else if (n.type === 'attribute' && field(n, 'attribute')?.text === '__dict__') found = 'it writes attributes through __dict__';
    if (!found) for (const c of kids(n)) walk(c);
  };
  walk(body);
  return found;
}

/** The classes of a whole plugin, their bases resolved; rebuilt when any module changes. */
export class ClassTable {
  private readonly shapes = new Map<string, ClassShape>();
  private readonly bases = new Map<string, { ids: string[]; unknown?: string }>();
  private readonly mros = new Map<string, string[]>();
  private subclassMap: Map<string, Set<string>> | undefined;

  constructor(
    modules: Iterable<ModuleInfo>,
    shapesOf: (mod: ModuleInfo) => Map<string, ClassShape>,
    /** What a base expression of a class statement is (resolved where the statement stands). */
    private readonly resolveBase: (cls: ClassInfo, node: SyntaxNode) => PyType | undefined,
  ) {
    for (const mod of modules) for (const [id, s] of shapesOf(mod)) this.shapes.set(id, s);
  }

  shape(id: string): ClassShape | undefined {
    return this.shapes.get(id);
  }

  private basesOf(id: string): { ids: string[]; unknown?: string } {
    const hit = this.bases.get(id);
    if (hit) return hit;
    const out: { ids: string[]; unknown?: string } = { ids: [] };
    this.bases.set(id, out);
    const shape = this.shapes.get(id);
    for (const b of shape?.info.bases ?? []) {
      if (b.type === 'keyword_argument') continue;
      const t = this.resolveBase(shape!.info, b);
      if (t?.t === 'class' && this.shapes.has(t.cls)) out.ids.push(t.cls);
      else if (!EMPTY_BASES.has(b.text)) out.unknown ??= `its base class \`${b.text.slice(0, 40)}\` is not part of the plugin`;
    }
    return out;
  }

  /** The method resolution order (C3, as Python computes it; a depth-first order when C3 fails). */
  mro(id: string): string[] {
    const hit = this.mros.get(id);
    if (hit) return hit;
    this.mros.set(id, [id]); // a cycle (class A(B), class B(A)) ends here
    const bases = this.basesOf(id).ids;
    const seqs = [...bases.map((b) => [...this.mro(b)]), [...bases]];
    const out = [id];
    for (;;) {
      const live = seqs.filter((s) => s.length > 0);
      if (live.length === 0) break;
      const head = live.map((s) => s[0]).find((h) => !live.some((s) => s.indexOf(h) > 0));
      if (!head) {
        for (const s of live) for (const c of s) if (!out.includes(c)) out.push(c);
        break;
      }
      out.push(head);
      for (const s of live) if (s[0] === head) s.shift();
    }
    this.mros.set(id, out);
    return out;
  }

  /**
   * Why a class (or one of its bases) may have attributes no statement of the plugin shows; `replaces`
   * when it may also change what the plugin's own assignments store. Attributes assigned by name are
   * taken to hold what is assigned even when other names are added dynamically (as pyright does).
   */
  dynamicReason(id: string): { reason: string; replaces: boolean } | undefined {
    let found: { reason: string; replaces: boolean } | undefined;
    for (const c of this.mro(id)) {
      const s = this.shapes.get(c);
      const name = s?.info.name ?? 'a base class';
      if (s?.replaces) return { reason: `${name}: ${s.dynamic}`, replaces: true };
      if (s?.dynamic) found ??= { reason: `${name}: ${s.dynamic}`, replaces: false };
      const unknown = this.basesOf(c).unknown;
      if (unknown) found ??= { reason: `${name}: ${unknown}`, replaces: false };
    }
    return found;
  }

  /** The class and its subclasses in the plugin (a value of class C may be an instance of a subclass). */
  family(id: string): string[] {
    if (!this.subclassMap) {
      this.subclassMap = new Map();
      for (const c of this.shapes.keys()) for (const b of this.mro(c).slice(1)) {
        const set = this.subclassMap.get(b) ?? new Set();
        set.add(c);
        this.subclassMap.set(b, set);
      }
    }
    return [id, ...(this.subclassMap.get(id) ?? [])];
  }

  /** The first definition of a method (or nested class) along the MRO, starting after `after` when given. */
  findMethod(id: string, name: string, after?: string): { fn: FunctionInfo; kind: MethodKind; owner: string } | { nested: string } | undefined {
    let mro = this.mro(id);
    if (after) mro = mro.slice(mro.indexOf(after) + 1);
    for (const c of mro) {
      const s = this.shapes.get(c);
      const m = s?.methods.get(name);
      if (m) return { ...m, owner: c };
      const n = s?.nested.get(name);
      if (n) return { nested: n };
    }
    return undefined;
  }
}
