// `dxFormProperties.hideExpression`: the engine's UI runs it as JavaScript in the user's browser. We
// parse it with jsep (a parser only, it never evaluates) and accept just the forms the SDK documents
// ("Dynamic UI Schema Configuration / Hidden Properties"): `model.x`, `model?.x`,
// `field.parent.parent.model?.a?.b`, `!`, `&&`, `||`, comparisons and literals. Anything else (calls,
// `this`, globals, `constructor`/`__proto__`, assignments-by-operator, very long text) is refused
// before any evaluation, and evaluation walks our own small tree over own data properties only.

import jsep from 'jsep';

/** Longer than any expression a schema needs; also bounds the parser's work. */
export const MAX_HIDE_EXPRESSION_LENGTH = 500;
const MAX_DEPTH = 32;

export type CompareOp = '===' | '!==' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A value reference: `model.a.b` (up 0) or `field.parent…parent.model?.a` (up = number of `parent`s). */
export interface HideRef {
  up: number;
  path: string[];
  /** `optional[i]`: step i was written `?.`. */
  optional: boolean[];
  /** The reference as written in canonical form, for messages. */
  text: string;
}

export type HideExpr =
  | { t: 'lit'; value: string | number | boolean | null }
  | { t: 'ref'; ref: HideRef }
  | { t: 'not'; arg: HideExpr }
  | { t: 'logic'; op: '&&' | '||'; left: HideExpr; right: HideExpr }
  | { t: 'cmp'; op: CompareOp; left: HideExpr; right: HideExpr };

export type ParsedHideExpression =
  | { ok: true; expr: HideExpr; refs: HideRef[] }
  /** `kind`: `syntax` (not an expression at all) or `unsupported` (outside the documented forms; never evaluated). */
  | { ok: false; kind: 'syntax' | 'unsupported'; message: string };

const COMPARE_OPS: ReadonlySet<string> = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);
/** Names that lead out of plain data into the JavaScript object model. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

class Refused extends Error {}

export function parseHideExpression(text: string): ParsedHideExpression {
  if (typeof text !== 'string') return { ok: false, kind: 'unsupported', message: 'a hideExpression must be a string' };
  if (text.length > MAX_HIDE_EXPRESSION_LENGTH) {
    return { ok: false, kind: 'unsupported', message: `it is ${text.length} characters long; Plugin Studio reads hideExpressions of up to ${MAX_HIDE_EXPRESSION_LENGTH}` };
  }
  if (text.trim() === '') return { ok: false, kind: 'syntax', message: 'it is empty' };
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (e) {
    const err = e as { description?: string; index?: number; message?: string };
    const where = typeof err.index === 'number' ? ` at character ${err.index + 1}` : '';
    return { ok: false, kind: 'syntax', message: `it is not a valid expression: ${err.description ?? err.message ?? String(e)}${where}` };
  }
  const refs: HideRef[] = [];
  try {
    const expr = convert(tree, refs, 0);
    return { ok: true, expr, refs };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, kind: 'unsupported', message: e.message };
    throw e;
  }
}

function convert(node: jsep.Expression, refs: HideRef[], depth: number): HideExpr {
  if (depth > MAX_DEPTH) throw new Refused(`it nests deeper than ${MAX_DEPTH} levels`);
  switch (node.type) {
    case 'Literal': {
      const v = (node as jsep.Literal).value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { t: 'lit', value: v };
      throw new Refused('it uses a regular expression literal');
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (u.operator !== '!') throw new Refused(`it uses the operator \`${u.operator}\`; the documented forms use \`!\`, \`&&\`, \`||\` and comparisons`);
      return { t: 'not', arg: convert(u.argument, refs, depth + 1) };
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      const left = convert(b.left, refs, depth + 1);
      const right = convert(b.right, refs, depth + 1);
      if (b.operator === '&&' || b.operator === '||') return { t: 'logic', op: b.operator, left, right };
      if (COMPARE_OPS.has(b.operator)) return { t: 'cmp', op: b.operator as CompareOp, left, right };
      throw new Refused(`it uses the operator \`${b.operator}\`; the documented forms use \`!\`, \`&&\`, \`||\` and comparisons`);
    }
    case 'Identifier':
    case 'MemberExpression': {
      const ref = toRef(node);
      refs.push(ref);
      return { t: 'ref', ref };
    }
    case 'CallExpression':
      throw new Refused('it calls a function; a hideExpression may only read values (`model.x`) and compare them');
    case 'ThisExpression':
      throw new Refused('it uses `this`; read values through `model` or `field.parent…model`');
    case 'Compound':
    case 'SequenceExpression':
      throw new Refused('it holds more than one expression');
    case 'ConditionalExpression':
      throw new Refused('it uses `? :`; write the condition with `&&` and `||`');
    case 'ArrayExpression':
      throw new Refused('it builds an array');
    default:
      throw new Refused(`it uses a ${node.type}, which is not one of the documented forms`);
  }
}

/** A member chain rooted at `model` or `field`, as a reference; anything else is refused. */
function toRef(node: jsep.Expression): HideRef {
  const steps: { name: string; optional: boolean }[] = [];
  let cur = node;
  while (cur.type === 'MemberExpression') {
    const m = cur as jsep.MemberExpression;
    let name: string;
    if (!m.computed && m.property.type === 'Identifier') name = (m.property as jsep.Identifier).name;
    else if (m.computed && m.property.type === 'Literal' && (typeof (m.property as jsep.Literal).value === 'string' || typeof (m.property as jsep.Literal).value === 'number')) {
      name = String((m.property as jsep.Literal).value);
    } else throw new Refused('it looks a property up by a computed name; write `model.name`');
    if (FORBIDDEN_NAMES.has(name) || name.startsWith('__')) throw new Refused(`it reads \`${name}\`, which is JavaScript machinery, not a form value`);
    steps.unshift({ name, optional: m.optional === true });
    cur = m.object;
    if (steps.length > MAX_DEPTH) throw new Refused(`it reads a path longer than ${MAX_DEPTH} steps`);
  }
  if (cur.type === 'ThisExpression') throw new Refused('it uses `this`; read values through `model` or `field.parent…model`');
  if (cur.type !== 'Identifier') throw new Refused('it reads a value that does not start at `model` or `field`');
  const root = (cur as jsep.Identifier).name;
  if (root === 'model') return makeRef(0, steps, 'model');
  if (root !== 'field') throw new Refused(`it reads \`${root}\`; a hideExpression may only read \`model\` or \`field.parent…model\``);
  // field(.parent)*.model.<path>
  let up = 0;
  let i = 0;
  while (i < steps.length && steps[i].name === 'parent') {
    up++;
    i++;
  }
  if (i >= steps.length || steps[i].name !== 'model') {
    throw new Refused('it reads `field` other than as `field.parent.parent.model…` (the documented form); only the values of the form can be read');
  }
  const prefix = `field${'.parent'.repeat(up)}${steps[i].optional ? '?.' : '.'}model`;
  // `field.model` is the field's own container, as `model` is.
  return makeRef(up, steps.slice(i + 1), prefix);
}

function makeRef(up: number, steps: { name: string; optional: boolean }[], prefix: string): HideRef {
  const path = steps.map((s) => s.name);
  const text = prefix + steps.map((s) => (s.optional ? '?.' : '.') + (/^[A-Za-z_$][\w$]*$/.test(s.name) ? s.name : `[${JSON.stringify(s.name)}]`)).join('');
  return { up, path, optional: steps.map((s) => s.optional), text };
}

/**
 * The containers a field's expression can read, nearest first: `frames[0]` is the object that holds
 * the field (`model`, and `field.parent.model`), `frames[k-1]` is `field.parent` repeated k times, and
 * the last is the definition's whole value. An array field counts as a container of its items.
 */
export type Frames = readonly unknown[];

export type HideResult = { ok: true; hidden: boolean } | { ok: false; message: string };

export function evaluateHideExpression(expr: HideExpr, frames: Frames): HideResult {
  try {
    return { ok: true, hidden: truthy(evaluate(expr, frames)) };
  } catch (e) {
    if (e instanceof ExprFailure) return { ok: false, message: e.message };
    throw e;
  }
}

function evaluate(e: HideExpr, frames: Frames): unknown {
  switch (e.t) {
    case 'lit':
      return e.value;
    case 'ref':
      return resolve(e.ref, frames);
    case 'not':
      return !truthy(evaluate(e.arg, frames));
    case 'logic': {
      const l = evaluate(e.left, frames);
      if (e.op === '&&') return truthy(l) ? evaluate(e.right, frames) : l;
      return truthy(l) ? l : evaluate(e.right, frames);
    }
    case 'cmp':
      return compare(e.op, evaluate(e.left, frames), evaluate(e.right, frames));
  }
}

/** JavaScript semantics on JSON data: a `.` step on undefined/null fails as it does in the browser; `?.` gives undefined. */
function resolve(ref: HideRef, frames: Frames): unknown {
  const index = ref.up === 0 ? 0 : ref.up - 1;
  if (index >= frames.length) {
    throw new ExprFailure(`\`${ref.text}\` climbs above the definition (a hideExpression works within one definition)`);
  }
  let value: unknown = frames[index];
  for (let i = 0; i < ref.path.length; i++) {
    if (value === undefined || value === null) {
      if (ref.optional[i]) return undefined;
      throw new ExprFailure(`\`${ref.text}\` fails: \`${ref.path[i - 1] ?? 'model'}\` is ${value === null ? 'null' : 'undefined'} (write \`?.\` to allow that)`);
    }
    value = ownValue(value, ref.path[i]);
  }
  return value;
}

function ownValue(value: unknown, name: string): unknown {
  if (typeof value === 'string') return name === 'length' ? value.length : undefined;
  if (Array.isArray(value)) {
    if (name === 'length') return value.length;
    return /^(0|[1-9]\d*)$/.test(name) ? value[Number(name)] : undefined;
  }
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, name)) {
    return (value as Record<string, unknown>)[name];
  }
  return undefined;
}

function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v)));
}

function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '===':
      return a === b;
    case '!==':
      return a !== b;
    case '==':
      return looseEqual(a, b);
    case '!=':
      return !looseEqual(a, b);
    default: {
      const [x, y] = typeof a === 'string' && typeof b === 'string' ? [a, b] : [toNumber(a), toNumber(b)];
      if (op === '<') return x < y;
      if (op === '<=') return x <= y;
      if (op === '>') return x > y;
      return x >= y;
    }
  }
}

/** JavaScript `==` restricted to JSON values (objects compare by identity, as in the browser). */
function looseEqual(a: unknown, b: unknown): boolean {
  const nullish = (v: unknown) => v === null || v === undefined;
  if (nullish(a) || nullish(b)) return nullish(a) && nullish(b);
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return false;
  return toNumber(a) === toNumber(b);
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

class ExprFailure extends Error {}
