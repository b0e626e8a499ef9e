// Reads a Python expression that builds a shell command (`"rsync {} {}".format(a, b)`, `"... '%s'" % x`,
// f-strings, `+` concatenation) as the shell will see it: the literal characters, and the holes where
// values go. Running bash's quoting rules over the characters tells, for each value, whether it stands
// unquoted, inside hand-made single quotes (where a `'` in the value ends the quoting) or inside double
// quotes (where `$(...)`, backticks and `$VAR` in the value still run), and which quote characters the
// author typed around it, so a fix can replace them with shlex.quote instead of nesting quotes.

import type { SyntaxNode } from '../python/parser';

export type ShellQuoting = 'none' | 'single' | 'double';

/** A Python string literal the command's characters come from. */
interface Literal {
  node: SyntaxNode;
  /** The quote that delimits it in Python: `'`, `"`, `'''` or `"""`. */
  delimiter: string;
  raw: boolean;
  /** Where its text starts and ends, between the quotes. */
  contentStart: number;
  contentEnd: number;
  /** For an operand of `+`: the text that removes it with its `+`. */
  operandRemoval?: { start: number; end: number };
}

/** One character of the command as the shell sees it, and the source text (1 or 2 characters) that writes it. */
interface Unit {
  kind: 'unit';
  ch: string;
  start: number;
  end: number;
  literal: Literal;
}

/** Where a value goes into the command: a `%s`, `{}` or `{x}` placeholder, or a `+` operand. */
interface Hole {
  kind: 'hole';
  /** The value formatted here (a `*args` when it is one of those); undefined when there is none. */
  value: SyntaxNode | undefined;
  start: number;
  end: number;
  /** `%d`, `{:d}`, `{x:.2f}`: the value is printed as a number, which cannot change the command. */
  numeric: boolean;
}

type Part = Unit | Hole;

export interface SourceEdit {
  start: number;
  end: number;
  newText: string;
}

/** A value formatted into the command, how the shell quotes it, and how to take it out of hand-made quotes. */
export interface CommandValue {
  value: SyntaxNode;
  quoting: ShellQuoting;
  /** The quote character the author typed before the value (for a quoted value). */
  openingQuote?: { start: number; end: number };
  /**
   * Edits that remove the hand-made quotes around the value (or close and reopen them around it), so
   * shlex.quote can quote it alone; empty for an unquoted value, undefined when no such edit exists.
   */
  unquote?: SourceEdit[];
}

function named(node: SyntaxNode | null | undefined): SyntaxNode[] {
  return node ? (node.namedChildren.filter((c) => c !== null) as SyntaxNode[]) : [];
}

function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

const NUMERIC_PERCENT = new Set('diouxXeEfFgG');
const NUMERIC_FORMAT = new Set('bdoxXneEfFgG%');

/** A plain (not f-) string literal or an implicit concatenation of them. */
export function isStringLiteral(node: SyntaxNode): boolean {
  return (node.type === 'string' && !named(node).some((c) => c.type === 'interpolation')) || node.type === 'concatenated_string';
}

function isFormatCall(node: SyntaxNode): boolean {
  if (node.type !== 'call') return false;
  const fn = field(node, 'function');
  const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
  return fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'format' && !!obj && (obj.type === 'string' || obj.type === 'concatenated_string');
}

/**
 * The characters of one string literal, with its f-string fields as holes. Python escapes are decoded
 * as far as quoting cares: `\'`, `\"` and `\\` are one character each; unknown escapes keep their backslash.
 */
function literalParts(node: SyntaxNode, text: string): Part[] {
  const children = node.children.filter((c): c is SyntaxNode => c !== null);
  const open = children.find((c) => c.type === 'string_start');
  const close = children.find((c) => c.type === 'string_end');
  if (!open || !close) return [];
  const prefix = /^[A-Za-z]*/.exec(open.text)![0];
  const literal: Literal = { node, delimiter: open.text.slice(prefix.length), raw: /r/i.test(prefix), contentStart: open.endIndex, contentEnd: close.startIndex };
  const fields = children.filter((c) => c.type === 'interpolation');
  const parts: Part[] = [];
  let i = open.endIndex;
  let nextField = 0;
  const end = close.startIndex;
  while (i < end) {
    while (nextField < fields.length && fields[nextField].startIndex < i) nextField++;
    const f = fields[nextField]?.startIndex === i ? fields[nextField] : undefined;
    if (f) {
      const spec = named(f).find((c) => c.type === 'format_specifier')?.text ?? '';
      const conversion = named(f).some((c) => c.type === 'type_conversion');
      parts.push({ kind: 'hole', value: field(f, 'expression') ?? named(f)[0], start: f.startIndex, end: f.endIndex, numeric: !conversion && NUMERIC_FORMAT.has(spec.slice(-1)) });
      i = f.endIndex;
      continue;
    }
    const c = text[i];
    if (c === '\\' && !literal.raw && i + 1 < end) {
      const next = text[i + 1];
      if (next === '\n') {
        i += 2;
        continue;
      }
      if (next === "'" || next === '"' || next === '\\') {
        parts.push({ kind: 'unit', ch: next, start: i, end: i + 2, literal });
        i += 2;
        continue;
      }
      if ('abfnrtvxuUN01234567'.includes(next)) {
        // A decoded character that is not a quote or a backslash to the shell.
        parts.push({ kind: 'unit', ch: ' ', start: i, end: i + 2, literal });
        i += 2;
        continue;
      }
    }
    parts.push({ kind: 'unit', ch: c, start: i, end: i + 1, literal });
    i++;
  }
  return parts;
}

function stringParts(node: SyntaxNode, text: string): Part[] {
  if (node.type === 'concatenated_string') return named(node).flatMap((s) => (s.type === 'string' ? literalParts(s, text) : []));
  return node.type === 'string' ? literalParts(node, text) : [];
}

/** `"... %s ... %(name)s" % values`: the literal with each conversion specifier as a hole. */
function percentParts(left: SyntaxNode, right: SyntaxNode, text: string): Part[] {
  const units = stringParts(left, text);
  let values: (SyntaxNode | undefined)[] = [right];
  const byName = new Map<string, SyntaxNode>();
  if (right.type === 'tuple' || right.type === 'parenthesized_expression') values = named(right).filter((c) => c.type !== 'comment');
  if (right.type === 'dictionary') {
    values = [];
    for (const pair of named(right)) {
      const key = field(pair, 'key');
      const value = field(pair, 'value');
      if (key && value && isStringLiteral(key)) byName.set(stringValue(key, text), value);
    }
  }
  // Past a `*args`, which value goes where is unknown: the placeholders take the splat itself.
  const splatAt = values.findIndex((v) => v?.type === 'list_splat');
  const positional = (k: number) => (splatAt >= 0 && k >= splatAt ? values[splatAt] : values[k]);
  const parts: Part[] = [];
  let next = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u.kind !== 'unit' || u.ch !== '%') {
      parts.push(u);
      continue;
    }
    if (units[i + 1]?.kind === 'unit' && (units[i + 1] as Unit).ch === '%') {
      parts.push(u, units[i + 1]);
      i++;
      continue;
    }
    let j = i + 1;
    const ch = (k: number) => (units[k]?.kind === 'unit' ? (units[k] as Unit).ch : '');
    let key: string | undefined;
    if (ch(j) === '(') {
      let depth = 1;
      let name = '';
      for (j++; j < units.length && depth > 0; j++) {
        if (ch(j) === '(') depth++;
        else if (ch(j) === ')') depth--;
        if (depth > 0) name += ch(j);
      }
      key = name;
      if (depth > 0) {
        // A `%(` never closed (the % operator raises on it): the rest is read as plain text, once.
        for (let k = i; k < units.length; k++) parts.push(units[k]);
        break;
      }
    }
    while ('#0- +'.includes(ch(j)) && ch(j) !== '') j++;
    while (/[0-9*]/.test(ch(j))) j++;
    if (ch(j) === '.') for (j++; /[0-9*]/.test(ch(j)); ) j++;
    while ('hlL'.includes(ch(j)) && ch(j) !== '') j++;
    const conversion = ch(j);
    if (!conversion) {
      parts.push(u);
      continue;
    }
    const last = units[j];
    const value = key !== undefined ? byName.get(key) : positional(next++);
    parts.push({ kind: 'hole', value, start: u.start, end: last.end, numeric: NUMERIC_PERCENT.has(conversion) });
    i = j;
  }
  return parts;
}

/** The text of a plain string literal (escapes of quotes and backslashes decoded). */
export function stringValue(node: SyntaxNode, text: string): string {
  return stringParts(node, text)
    .map((p) => (p.kind === 'unit' ? p.ch : ''))
    .join('');
}

/** `"... {} ... {0} ... {name!r:>10}".format(...)`: the literal with each replacement field as a hole. */
function formatParts(call: SyntaxNode, text: string): Part[] {
  const obj = field(field(call, 'function')!, 'object')!;
  const units = stringParts(obj, text);
  const args: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  let listSplat: number | undefined;
  let dictSplat: SyntaxNode | undefined;
  for (const a of named(field(call, 'arguments'))) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name');
      const value = field(a, 'value');
      if (name && value) keywords.set(name.text, value);
    } else if (a.type === 'dictionary_splat') dictSplat = a;
    else {
      if (a.type === 'list_splat' && listSplat === undefined) listSplat = args.length;
      args.push(a);
    }
  }
  // Past a `*args` (or a name not given, with `**kwargs`), which value goes where is unknown: the
  // placeholders take the splat itself.
  const positional = (k: number) => (listSplat !== undefined && k >= listSplat ? args[listSplat] : args[k]);
  const parts: Part[] = [];
  let auto = 0;
  const ch = (k: number) => (units[k]?.kind === 'unit' ? (units[k] as Unit).ch : '');
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u.kind !== 'unit' || (u.ch !== '{' && u.ch !== '}')) {
      parts.push(u);
      continue;
    }
    if (ch(i + 1) === u.ch) {
      parts.push(u, units[i + 1]);
      i++;
      continue;
    }
    if (u.ch === '}') {
      parts.push(u);
      continue;
    }
    let depth = 1;
    let inside = '';
    let j = i + 1;
    for (; j < units.length; j++) {
      if (ch(j) === '{') depth++;
      else if (ch(j) === '}' && --depth === 0) break;
      inside += ch(j);
    }
    if (j >= units.length) {
      // A `{` never closed (str.format raises on it): the rest is read as plain text, once.
      for (let k = i; k < units.length; k++) parts.push(units[k]);
      break;
    }
    const fieldName = /^[^!:]*/.exec(inside)![0];
    const base = /^[^.[]*/.exec(fieldName)![0];
    const spec = inside.includes(':') ? inside.slice(inside.indexOf(':') + 1) : '';
    const conversion = inside.slice(fieldName.length).startsWith('!');
    let value: SyntaxNode | undefined;
    if (base === '') value = positional(auto++);
    else if (/^\d+$/.test(base)) value = positional(Number(base));
    else value = keywords.get(base) ?? dictSplat;
    parts.push({ kind: 'hole', value, start: u.start, end: (units[j] as Unit).end, numeric: !conversion && NUMERIC_FORMAT.has(spec.slice(-1)) });
    i = j;
  }
  return parts;
}

/** The command's characters and holes, or [] for an expression that is not built from string literals. */
function commandParts(expr: SyntaxNode, text: string): Part[] {
  switch (expr.type) {
    case 'parenthesized_expression': {
      const inner = named(expr).filter((c) => c.type !== 'comment');
      return inner.length === 1 ? commandParts(inner[0], text) : [];
    }
    case 'string':
    case 'concatenated_string':
      return stringParts(expr, text);
    case 'call':
      return isFormatCall(expr) ? formatParts(expr, text) : [];
    case 'binary_operator': {
      const op = field(expr, 'operator')?.text;
      const left = field(expr, 'left');
      const right = field(expr, 'right');
      if (!left || !right) return [];
      if (op === '%' && isStringLiteral(left)) return percentParts(left, right, text);
      if (op === '+') {
        // `a + b + c + ...` nests to the left, as deep as the chain is long: walk it without recursing.
        const rights: SyntaxNode[] = [];
        let n: SyntaxNode = expr;
        for (let l = left, r = right; ; ) {
          rights.push(r);
          n = l;
          if (n.type !== 'binary_operator' || field(n, 'operator')?.text !== '+') break;
          const nl = field(n, 'left');
          const nr = field(n, 'right');
          if (!nl || !nr) return [];
          l = nl;
          r = nr;
        }
        const operands = [n, ...rights.reverse()];
        return operands.flatMap((o, k) => {
          const parts = operandParts(o, text);
          if (o.type === 'string') {
            // The removal of this operand and its `+` (kept here: node.parent costs a walk from the root).
            const removal = k > 0 ? { start: operands[k - 1].endIndex, end: o.endIndex } : { start: o.startIndex, end: operands[1].startIndex };
            for (const p of parts) if (p.kind === 'unit' && p.literal.node.startIndex === o.startIndex) p.literal.operandRemoval = removal;
          }
          return parts;
        });
      }
      return [];
    }
    default:
      return [];
  }
}

/** One side of a `+`: its own characters when it builds a string, else the whole operand is a value. */
function operandParts(side: SyntaxNode, text: string): Part[] {
  const builds =
    side.type === 'string' ||
    side.type === 'concatenated_string' ||
    side.type === 'parenthesized_expression' ||
    side.type === 'binary_operator' ||
    isFormatCall(side);
  if (builds) return commandParts(side, text);
  return [{ kind: 'hole', value: side, start: side.startIndex, end: side.endIndex, numeric: false }];
}

/** The quote character `q` written into `literal` at an insertion point, or undefined when it cannot be. */
function writeQuote(q: string, literal: Literal): string | undefined {
  if (!literal.delimiter.includes(q)) return q;
  return literal.raw ? undefined : `\\${q}`;
}

/**
 * Removing a quote character that is the whole content of a `+` operand (`"'" + x + "'"`) removes the
 * operand and its `+` too, instead of leaving `+ ""`.
 */
function deleteUnit(u: Unit): SourceEdit {
  const whole = u.literal.contentStart === u.start && u.literal.contentEnd === u.end;
  const removal = whole ? u.literal.operandRemoval : undefined;
  return removal ? { ...removal, newText: '' } : { start: u.start, end: u.end, newText: '' };
}

/**
 * The values formatted into the command `expr` builds, each with the shell quoting it stands in (first
 * placeholder wins when a value is used twice). Numeric placeholders are left out: a number cannot change
 * the command. A placeholder filled from `*args` or `**kwargs` has the splat as its value.
 */
export function commandValues(expr: SyntaxNode, text: string): CommandValue[] {
  const parts = commandParts(expr, text);
  const out = new Map<number, CommandValue>();
  let state: ShellQuoting = 'none';
  let opening = -1;
  let escaped = false;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.kind === 'unit') {
      if (escaped) {
        escaped = false;
        continue;
      }
      if (state === 'none') {
        if (p.ch === '\\') escaped = true;
        else if (p.ch === "'" || p.ch === '"') {
          state = p.ch === "'" ? 'single' : 'double';
          opening = i;
        }
      } else if (state === 'single') {
        if (p.ch === "'") state = 'none';
      } else if (p.ch === '\\') escaped = true;
      else if (p.ch === '"') state = 'none';
      continue;
    }
    escaped = false;
    if (!p.value || p.numeric) continue;
    const known = out.get(p.value.startIndex);
    if (state === 'none') {
      if (!known) out.set(p.value.startIndex, { value: p.value, quoting: 'none', unquote: [] });
      continue;
    }
    const edits = unquoteEdits(parts, i, opening, state === 'single' ? "'" : '"');
    const open = parts[opening] as Unit;
    if (!known) out.set(p.value.startIndex, { value: p.value, quoting: state, openingQuote: { start: open.start, end: open.end }, unquote: edits });
    else if (known.unquote) known.unquote = edits ? [...known.unquote, ...edits] : undefined;
  }
  return [...out.values()];
}

/** The edits that leave the hole at `i` outside the quotes opened at `opening`. */
function unquoteEdits(parts: Part[], i: number, opening: number, q: string): SourceEdit[] | undefined {
  const before = parts[i - 1];
  const after = parts[i + 1];
  if (before?.kind !== 'unit' || after?.kind !== 'unit') return undefined;
  const edits: SourceEdit[] = [];
  if (i - 1 === opening) edits.push(deleteUnit(before));
  else {
    const quote = writeQuote(q, before.literal);
    if (quote === undefined) return undefined;
    edits.push({ start: before.end, end: before.end, newText: quote });
  }
  if (after.ch === q) edits.push(deleteUnit(after));
  else {
    const quote = writeQuote(q, after.literal);
    if (quote === undefined) return undefined;
    edits.push({ start: after.start, end: after.start, newText: quote });
  }
  return edits;
}
