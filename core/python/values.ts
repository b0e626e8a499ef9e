// What a Python expression may hold, as the flow analysis sees it. A value is one kind (an instance of
// a generated class, an SDK object, one of the plugin's own objects, a dict with constant keys, ...)
// or a union of kinds: the set of classes it may hold. `lost` marks a value that comes from the
// operation's inputs but could not be followed (the coverage report names the reason); plain
// `undefined` is a value nothing is known about. Modelled on how pyright narrows declared types to
// unions, without declarations: every type here is inferred from assignments.

export type LiteralKind = 'dict' | 'list' | 'str' | 'int' | 'float' | 'bool' | 'None' | 'tuple' | 'set';

export type PyType =
  /** An instance of a generated class; `via` names the parameter it was assumed from when not followed. */
  | { t: 'instance'; cls: string; certain: boolean; via?: string; trace?: string[] }
  | { t: 'sdk'; cls: string; certain: boolean; via?: string; trace?: string[] }
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
  | { t: 'literal'; what: LiteralKind; items?: (PyType | undefined)[] }
  /** An instance of one of the plugin's own classes (the id of its class statement). */
  | { t: 'object'; cls: string }
  /** One of the plugin's own classes. */
  | { t: 'class'; cls: string }
  /** A function bound to a receiver: a method read from an object, a class method read from a class. */
  | { t: 'method'; fn: string; self: PyType }
  /** `super()` inside a method of `cls`, for the receiver `self`. */
  | { t: 'super'; cls: string; self: PyType }
  /** A dict whose keys are constant strings (a literal, `**kwargs`). */
  | { t: 'dict'; entries: [string, PyType | undefined][] }
  /** A value that may be any one of its members. */
  | { t: 'union'; members: PyType[] }
  /** A value from the operation's inputs that could not be followed, and why. */
  | { t: 'lost'; reason: string }
  /** No value yet: what a recursive call gives while its function is being worked out (a join ignores it). */
  | { t: 'never' };

const MAX_UNION = 8;
const MAX_DEPTH = 4;
const MAX_TRACE = 8;

/** Identity of a type for joins and caches (certainty is part of it; the hover trace is not). */
export function typeKey(t: PyType | undefined, depth = 0): string {
  if (!t) return '?';
  if (depth > MAX_DEPTH) return '…';
  const k = (x: PyType | undefined) => typeKey(x, depth + 1);
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
      return `list<${k(t.item)}>`;
    case 'module':
      return `module:${t.module}`;
    case 'function':
      return `fn:${t.fn}(${t.sig})`;
    case 'plugin':
      return `plugin:${t.id}`;
    case 'pluginGroup':
      return `pg:${t.plugin}:${t.group}`;
    case 'literal':
      return t.items && (t.what === 'tuple' || t.what === 'list') ? `lit:${t.what}<${t.items.map(k).join(',')}>` : `lit:${t.what}`;
    case 'object':
      return `obj:${t.cls}`;
    case 'class':
      return `class:${t.cls}`;
    case 'method':
      return `m:${t.fn}@${k(t.self)}`;
    case 'super':
      return `super:${t.cls}@${k(t.self)}`;
    case 'dict':
      return `d{${t.entries.map(([n, v]) => `${n}=${k(v)}`).join(',')}}`;
    case 'union':
      return `u(${t.members.map(k).sort().join('|')})`;
    case 'lost':
      return `lost:${t.reason}`;
    default:
      return t.t;
  }
}

function shapeKey(t: PyType): string {
  if (t.t === 'instance' || t.t === 'sdk') return `${t.t}:${t.cls}`;
  if (t.t === 'dict') return 'dict';
  if (t.t === 'migrationDict') return `md:${t.definition}`;
  return typeKey(t);
}

export function members(t: PyType): PyType[] {
  return t.t === 'union' ? t.members : [t];
}

/** Whether a value may carry the operation's inputs (then losing track of it is worth reporting). */
export function bearsInput(t: PyType | undefined, depth = 0): boolean {
  if (!t || depth > MAX_DEPTH) return false;
  switch (t.t) {
    case 'instance':
    case 'sdk':
    case 'migrationDict':
    case 'lost':
    case 'object':
      return true;
    case 'union':
      return t.members.some((m) => bearsInput(m, depth + 1));
    case 'dict':
      return t.entries.some(([, v]) => bearsInput(v, depth + 1));
    case 'list':
      return bearsInput(t.item, depth + 1);
    case 'literal':
      return (t.items ?? []).some((i) => bearsInput(i, depth + 1));
    default:
      return false;
  }
}

export const MAY_HOLD_UNFOLLOWED = 'it may also hold a value that could not be followed';

/**
 * The value of something bound in several places: the union of what each place gives. A place that
 * gives an unknown value makes the whole unknown (or `lost`, when the others carry inputs): only a
 * name whose every binding is known is checked.
 */
export function joinTypes(a: PyType | undefined, b: PyType | undefined, reason = MAY_HOLD_UNFOLLOWED): PyType | undefined {
  if (a?.t === 'never') return b;
  if (b?.t === 'never') return a;
  if (!a || !b) {
    const other = a ?? b;
    return other && bearsInput(other) ? (other.t === 'lost' ? other : { t: 'lost', reason }) : undefined;
  }
  if (a.t === 'lost') return a;
  if (b.t === 'lost') return b;
  const out: PyType[] = [];
  const keys: string[] = [];
  for (const m of [...members(a), ...members(b)]) {
    const k = shapeKey(m);
    const i = keys.indexOf(k);
    if (i < 0) {
      out.push(m);
      keys.push(k);
    } else out[i] = mergeSame(out[i], m);
  }
  if (out.length === 1) return out[0];
  if (out.length > MAX_UNION) return bearsInput(a) || bearsInput(b) ? { t: 'lost', reason: `it may hold more than ${MAX_UNION} kinds of value` } : undefined;
  return { t: 'union', members: out };
}

function mergeSame(a: PyType, b: PyType): PyType {
  if ((a.t === 'instance' || a.t === 'sdk' || a.t === 'migrationDict') && (b.t === 'instance' || b.t === 'sdk' || b.t === 'migrationDict')) {
    // Known for sure on one path: the value may certainly be of this class.
    return !a.certain && b.certain ? b : a;
  }
  if (a.t === 'dict' && b.t === 'dict') {
    const keys = [...new Set([...a.entries.map(([k]) => k), ...b.entries.map(([k]) => k)])];
    // A key one dict lacks: `d.get(key)` gives None there (and `d[key]` raises).
    const get = (d: typeof a, k: string): PyType | undefined => {
      const e = d.entries.find(([n]) => n === k);
      return e ? e[1] : { t: 'literal', what: 'None' };
    };
    return { t: 'dict', entries: keys.map((k) => [k, joinTypes(get(a, k), get(b, k))]) };
  }
  return a;
}

export function joinAll(types: (PyType | undefined)[], reason?: string): PyType | undefined {
  if (types.length === 0) return undefined;
  let t = types[0];
  for (const x of types.slice(1)) t = joinTypes(t, x, reason);
  return t;
}

/**
 * The value where only some of the places it comes from are known: a generated or SDK value is kept,
 * marked as assumed (its findings become information); anything else is not followed.
 */
export function uncertain(t: PyType | undefined, via: string): PyType | undefined {
  if (!t) return t;
  const markable = (m: PyType) => m.t === 'instance' || m.t === 'sdk' || m.t === 'migrationDict' || (m.t === 'literal' && m.what === 'None');
  if (members(t).every(markable)) {
    const mark = (m: PyType): PyType => (m.t === 'instance' || m.t === 'sdk' || m.t === 'migrationDict' ? { ...m, certain: false, via } : m);
    return t.t === 'union' ? { t: 'union', members: t.members.map(mark) } : mark(t);
  }
  return joinTypes(t, undefined, 'some callers pass a value that could not be followed');
}

/** The value with one more step of how it was reached (for the hover). */
export function traced(t: PyType | undefined, step: string): PyType | undefined {
  if (!t) return t;
  if (t.t === 'instance' || t.t === 'sdk') {
    const trace = [...(t.trace ?? []), step];
    return { ...t, trace: trace.length > MAX_TRACE ? [trace[0], '…', ...trace.slice(-(MAX_TRACE - 2))] : trace };
  }
  if (t.t === 'union') return { t: 'union', members: t.members.map((m) => traced(m, step)!) };
  return t;
}

/** Cut nesting deeper than the analysis follows (a recursive helper that wraps its argument each call). */
export function clip(t: PyType | undefined, depth = 0): PyType | undefined {
  if (!t) return t;
  if (depth > MAX_DEPTH) return bearsInput(t) ? { t: 'lost', reason: 'it is nested too deeply to follow' } : undefined;
  switch (t.t) {
    case 'list':
      return { t: 'list', item: clip(t.item, depth + 1) };
    case 'literal':
      return t.items ? { ...t, items: t.items.map((i) => clip(i, depth + 1)) } : t;
    case 'dict':
      return { t: 'dict', entries: t.entries.map(([k, v]) => [k, clip(v, depth + 1)]) };
    case 'method':
    case 'super':
      return { ...t, self: clip(t.self, depth + 1) ?? { t: 'opaque' } };
    case 'union':
      return { t: 'union', members: t.members.map((m) => clip(m, depth + 1) ?? { t: 'opaque' }) };
    default:
      return t;
  }
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
    case 'dict':
      return 'a dict';
    case 'list':
      return 'a list';
    default:
      return undefined;
  }
}

/** The element of a list or tuple value (the union of a literal's items). */
export function elementType(t: PyType | undefined): PyType | undefined {
  if (!t) return undefined;
  if (t.t === 'list') return t.item;
  if (t.t === 'literal' && (t.what === 'list' || t.what === 'tuple' || t.what === 'set') && t.items && t.items.length > 0) return joinAll(t.items, 'some element could not be followed');
  if (t.t === 'union') return joinAll(t.members.map(elementType));
  if (t.t === 'lost') return t;
  return undefined;
}

/** The value stored under a constant key of a dict value. */
export function entryType(t: PyType | undefined, key: string): PyType | undefined {
  if (!t) return undefined;
  if (t.t === 'dict') {
    // `*`: what entries set under computed keys hold.
    const e = t.entries.find(([k]) => k === key) ?? t.entries.find(([k]) => k === '*');
    return e ? e[1] : undefined;
  }
  if (t.t === 'union') return joinAll(t.members.map((m) => entryType(m, key)));
  if (t.t === 'lost') return t;
  return undefined;
}
