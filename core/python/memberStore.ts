// The attributes of the plugin's own objects: every `x.name = value` the analysis met on a value of a
// plugin class (in any method, any function, a class body), gathered per class. Reading `obj.name`
// gives the union of what every assignment in the class's family (its bases and subclasses) stores,
// or what a method, property or class method there gives. An attribute also assigned on a value the
// analysis could not type is unknown: that assignment may have stored anything.

import type { ClassTable } from './classModel';
import type { FunctionInfo } from './syntax';
import { joinAll, typeKey, type PyType } from './values';

export interface AttributeWrite {
  cls: string;
  name: string;
  type: PyType | undefined;
}

export interface MemberRead {
  type: PyType | undefined;
  /** The property getter that runs on this read (the analysis binds its `self`). */
  getter?: FunctionInfo;
}

export class MemberStore {
  /** class -> attribute -> function -> what that function stores there. */
  private readonly writes = new Map<string, Map<string, Map<string, PyType | undefined>>>();
  private readonly byFunction = new Map<string, AttributeWrite[]>();
  /** Attribute names assigned on untyped values, by the functions that do it. */
  private readonly untyped = new Map<string, Set<string>>();
  private readonly untypedByFunction = new Map<string, string[]>();

  /** Replace what one function assigns; returns the attribute names whose stored values changed. */
  set(fnId: string, writes: AttributeWrite[], untypedNames: string[]): Set<string> {
    const changed = new Set<string>();
    const old = this.byFunction.get(fnId) ?? [];
    const oldKeys = new Map(old.map((w) => [`${w.cls}\0${w.name}`, typeKey(w.type)]));
    const merged = new Map<string, AttributeWrite>();
    for (const w of writes) {
      const k = `${w.cls}\0${w.name}`;
      const prev = merged.get(k);
      merged.set(k, prev ? { ...w, type: joinAll([prev.type, w.type]) } : w);
    }
    for (const w of old) {
      if (merged.get(`${w.cls}\0${w.name}`)) continue;
      this.writes.get(w.cls)?.get(w.name)?.delete(fnId);
      changed.add(w.name);
    }
    for (const [k, w] of merged) {
      if (oldKeys.get(k) !== typeKey(w.type)) changed.add(w.name);
      const byName = this.writes.get(w.cls) ?? new Map();
      this.writes.set(w.cls, byName);
      const byFn = byName.get(w.name) ?? new Map();
      byName.set(w.name, byFn);
      byFn.set(fnId, w.type);
    }
    this.byFunction.set(fnId, [...merged.values()]);
    const oldUntyped = this.untypedByFunction.get(fnId) ?? [];
    for (const n of oldUntyped) if (!untypedNames.includes(n)) {
      this.untyped.get(n)?.delete(fnId);
      changed.add(n);
    }
    for (const n of untypedNames) if (!oldUntyped.includes(n)) {
      const set = this.untyped.get(n) ?? new Set();
      set.add(fnId);
      this.untyped.set(n, set);
      changed.add(n);
    }
    this.untypedByFunction.set(fnId, [...new Set(untypedNames)]);
    return changed;
  }

  /** Forget a function (its module was removed or changed). */
  drop(fnId: string): void {
    this.set(fnId, [], []);
    this.byFunction.delete(fnId);
    this.untypedByFunction.delete(fnId);
  }

  has(fnId: string): boolean {
    return this.byFunction.has(fnId);
  }

  /** The attribute names of one class that start with `prefix`. */
  keysOf(cls: string, prefix: string): string[] {
    return [...(this.writes.get(cls)?.entries() ?? [])].filter(([n, byFn]) => n.startsWith(prefix) && byFn.size > 0).map(([n]) => n);
  }

  /** What instances of `cls` (or the class itself) may hold under `name`, from assignments only. */
  stored(classes: ClassTable, cls: string, name: string): (PyType | undefined)[] | undefined {
    const seen = new Set<string>();
    const out: (PyType | undefined)[] = [];
    for (const f of classes.family(cls)) {
      for (const c of classes.mro(f)) {
        if (seen.has(c)) continue;
        seen.add(c);
        const byFn = this.writes.get(c)?.get(name);
        if (byFn) out.push(...byFn.values());
      }
    }
    if (out.length > 0 && (this.untyped.get(name)?.size ?? 0) > 0) out.push(undefined);
    return out.length > 0 ? out : undefined;
  }
}

/** `receiver.name` where the receiver is one of the plugin's objects or classes (or `super()`). */
export function readMember(
  classes: ClassTable,
  store: MemberStore,
  receiver: Extract<PyType, { t: 'object' | 'class' | 'super' }>,
  name: string,
  returnType: (fn: FunctionInfo) => PyType | undefined,
  functionType: (fn: FunctionInfo) => PyType,
): MemberRead {
  if (receiver.t === 'super') {
    const selves = receiver.self.t === 'union' ? receiver.self.members : [receiver.self];
    const starts = selves.filter((s): s is Extract<PyType, { t: 'object' | 'class' }> => (s.t === 'object' || s.t === 'class') && classes.mro(s.cls).includes(receiver.cls));
    const reads = (starts.length > 0 ? starts : [{ t: 'object' as const, cls: receiver.cls }]).map((s) => {
      const m = classes.findMethod(s.cls, name, receiver.cls);
      if (!m || 'nested' in m) return undefined;
      if (m.kind === 'staticmethod') return functionType(m.fn);
      return { t: 'method' as const, fn: m.fn.id, self: m.kind === 'classmethod' ? { t: 'class' as const, cls: s.cls } : s };
    });
    return { type: joinAll(reads) };
  }
  const cls = receiver.cls;
  const m = classes.findMethod(cls, name);
  const stored = store.stored(classes, cls, name);
  if (m && 'nested' in m) return { type: { t: 'class', cls: m.nested } };
  if (m && !stored) {
    switch (m.kind) {
      case 'property':
        return receiver.t === 'object' ? { type: returnType(m.fn), getter: m.fn } : { type: undefined };
      case 'classmethod':
        return { type: { t: 'method', fn: m.fn.id, self: { t: 'class', cls } } };
      case 'staticmethod':
        return { type: functionType(m.fn) };
      default:
        return { type: receiver.t === 'object' ? { t: 'method', fn: m.fn.id, self: receiver } : functionType(m.fn) };
    }
  }
  const dynamic = classes.dynamicReason(cls);
  if (stored) {
    const replaced = dynamic?.replaces;
    const reason = replaced ? `${name} may be replaced where the analysis cannot see (${dynamic!.reason})` : `some assignment to \`${name}\` stores a value that could not be followed`;
    return { type: joinAll(replaced ? [...stored, undefined] : stored, reason) };
  }
  if (dynamic) return { type: { t: 'lost', reason: `${name} is not assigned anywhere the analysis sees (${dynamic.reason})` } };
  return { type: undefined };
}
