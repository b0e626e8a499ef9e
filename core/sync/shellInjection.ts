// Warns where plugin code formats values from an operation's inputs into a `run_bash` command without
// quoting them. run_bash hands the command string to bash, so a source config path or a linked-source
// parameter holding a space, `;`, `$(...)` or a backtick changes the command (the tutorial's own
// `"rsync -r {} {}".format(data_location, stage_mount_path)` does this). The quick fix wraps the value
// in `shlex.quote(...)` and adds `import shlex` when the module lacks it.
//
// "From the inputs" is followed inside one function: its parameters (staged_source, source_config, ...)
// and the local variables assigned from expressions that use them. Values passed through
// shlex.quote / pipes.quote, or turned into numbers, are clean.

import type { Fix, Problem, TextEdit } from '../types';
import { LineIndex } from '../text';
import { loadPythonParser, type SyntaxNode } from '../python/parser';
import { addImportEdit } from '../python/importEdit';

export const UNQUOTED_SHELL_ARGUMENT = 'python.unquotedShellArgument';

/** Calls whose result is safe to put into a shell command. */
const SANITIZERS = new Set(['shlex.quote', 'quote', 'pipes.quote', 'shlex.join', 'int', 'float', 'len', 'bool']);
/** The library calls whose command argument goes to bash. */
const SHELL_CALLS = new Set(['run_bash']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);

function named(node: SyntaxNode | null | undefined): SyntaxNode[] {
  return node ? (node.namedChildren.filter((c) => c !== null) as SyntaxNode[]) : [];
}

function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** `shlex.quote`, `libs.run_bash`, `run_bash` for a call's function; undefined for other shapes. */
function calleeName(call: SyntaxNode): string | undefined {
  const fn = field(call, 'function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') {
    const obj = field(fn, 'object');
    const attr = field(fn, 'attribute');
    if (obj && attr && (obj.type === 'identifier' || obj.type === 'attribute')) return `${obj.text}.${attr.text}`;
  }
  return undefined;
}

function isShellCall(call: SyntaxNode): boolean {
  const name = calleeName(call);
  return name !== undefined && SHELL_CALLS.has(name.split('.').pop() ?? '');
}

/** The `command` argument of a run_bash call: keyword, else the second positional argument. */
function commandArgument(call: SyntaxNode): SyntaxNode | undefined {
  const args = named(field(call, 'arguments'));
  for (const a of args) {
    if (a.type === 'keyword_argument' && field(a, 'name')?.text === 'command') return field(a, 'value');
  }
  const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
  return positional[1];
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return undefined;
}

function parameterNames(fn: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const p of named(field(fn, 'parameters'))) {
    const id = p.type === 'identifier' ? p : named(p).find((c) => c.type === 'identifier');
    if (id && id.text !== 'self' && id.text !== 'cls') names.add(id.text);
  }
  return names;
}

/** Simple `name = value` assignments in the function body (not in nested functions), in order. */
function assignments(fn: SyntaxNode): { name: string; value: SyntaxNode; at: number }[] {
  const out: { name: string; value: SyntaxNode; at: number }[] = [];
  const visit = (n: SyntaxNode) => {
    for (const c of named(n)) {
      if (FUNCTION_TYPES.has(c.type) || c.type === 'class_definition') continue;
      if (c.type === 'assignment' || c.type === 'augmented_assignment') {
        const left = field(c, 'left');
        const right = field(c, 'right');
        if (left?.type === 'identifier' && right) out.push({ name: left.text, value: right, at: c.startIndex });
      }
      visit(c);
    }
  };
  const body = field(fn, 'body');
  if (body) visit(body);
  return out;
}

class FunctionTaint {
  readonly tainted = new Set<string>();
  readonly defs: { name: string; value: SyntaxNode; at: number }[];

  constructor(fn: SyntaxNode) {
    for (const p of parameterNames(fn)) this.tainted.add(p);
    this.defs = assignments(fn);
    // A variable is tainted when any of its assignments is; iterate to a fixed point.
    for (let changed = true; changed; ) {
      changed = false;
      for (const d of this.defs) {
        if (!this.tainted.has(d.name) && this.isTainted(d.value)) {
          this.tainted.add(d.name);
          changed = true;
        }
      }
    }
  }

  isTainted(node: SyntaxNode): boolean {
    if (node.type === 'identifier') return this.tainted.has(node.text);
    if (node.type === 'call') {
      const name = calleeName(node);
      if (name && SANITIZERS.has(name)) return false;
    }
    if (node.type === 'attribute') {
      const obj = field(node, 'object');
      return obj ? this.isTainted(obj) : false;
    }
    if (node.type === 'keyword_argument') {
      const value = field(node, 'value');
      return value ? this.isTainted(value) : false;
    }
    return named(node).some((c) => this.isTainted(c));
  }

  /** The expression a name holds at `offset`: its last assignment before it. */
  definitionBefore(name: string, offset: number): SyntaxNode | undefined {
    let best: { value: SyntaxNode; at: number } | undefined;
    for (const d of this.defs) if (d.name === name && d.at < offset && (!best || d.at > best.at)) best = d;
    return best?.value;
  }
}

function isStringLiteral(node: SyntaxNode): boolean {
  return (node.type === 'string' && !named(node).some((c) => c.type === 'interpolation')) || node.type === 'concatenated_string';
}

/** The values an expression formats into a string: `.format(...)` arguments, f-string fields, `%` operands, `+` parts. */
function interpolatedValues(expr: SyntaxNode): SyntaxNode[] {
  if (expr.type === 'parenthesized_expression') return named(expr).flatMap(interpolatedValues);
  if (expr.type === 'call') {
    const fn = field(expr, 'function');
    if (fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'format') {
      const obj = field(fn, 'object');
      if (obj && (obj.type === 'string' || obj.type === 'concatenated_string')) {
        return named(field(expr, 'arguments')).flatMap((a) => {
          if (a.type === 'keyword_argument') {
            const v = field(a, 'value');
            return v ? [v] : [];
          }
          if (a.type === 'list_splat' || a.type === 'dictionary_splat') return named(a);
          return a.type === 'comment' ? [] : [a];
        });
      }
    }
    return [];
  }
  if (expr.type === 'string') {
    return named(expr)
      .filter((c) => c.type === 'interpolation')
      .flatMap((i) => {
        const e = field(i, 'expression') ?? named(i)[0];
        return e ? [e] : [];
      });
  }
  if (expr.type === 'binary_operator') {
    const op = field(expr, 'operator')?.text;
    const left = field(expr, 'left');
    const right = field(expr, 'right');
    if (!left || !right) return [];
    if (op === '%' && isStringLiteral(left)) {
      if (right.type === 'tuple' || right.type === 'parenthesized_expression') return named(right);
      if (right.type === 'dictionary') return named(right).flatMap((pair) => (field(pair, 'value') ? [field(pair, 'value')!] : []));
      return [right];
    }
    if (op === '+') {
      return [left, right].flatMap((side) => {
        if (isStringLiteral(side)) return [];
        const inner = interpolatedValues(side);
        if (inner.length > 0 || side.type === 'binary_operator' || side.type === 'string') return inner;
        return [side];
      });
    }
  }
  return [];
}

/**
 * The unquoted values in run_bash commands of one parsed module. `root` is the tree-sitter module node
 * of `text`. Never throws on malformed code: it reports what it can follow.
 */
export function findUnquotedShellArguments(file: string, text: string, root: SyntaxNode): Problem[] {
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const taints = new Map<number, FunctionTaint>();
  const importEdit = addImportEdit(file, text, root, lines, 'shlex');
  const seen = new Set<number>();

  const visit = (node: SyntaxNode) => {
    if (node.type === 'call' && isShellCall(node)) check(node);
    for (const c of named(node)) visit(c);
  };

  const check = (call: SyntaxNode) => {
    const fn = enclosingFunction(call);
    if (!fn) return;
    let taint = taints.get(fn.startIndex);
    if (!taint) {
      taint = new FunctionTaint(fn);
      taints.set(fn.startIndex, taint);
    }
    let command = commandArgument(call);
    // Follow a command held in variables back to the expression that built it.
    for (let hops = 0; command?.type === 'identifier' && hops < 5; hops++) command = taint.definitionBefore(command.text, command.startIndex);
    if (!command) return;
    for (const value of interpolatedValues(command)) {
      if (seen.has(value.startIndex) || !taint.isTainted(value)) continue;
      seen.add(value.startIndex);
      problems.push(problemFor(file, lines, value, importEdit));
    }
  };

  visit(root);
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Parses `text` with tree-sitter and runs {@link findUnquotedShellArguments}. */
export async function checkShellInjection(file: string, text: string): Promise<Problem[]> {
  const parser = await loadPythonParser();
  const tree = parser.parseText(text);
  try {
    return findUnquotedShellArguments(file, text, tree.rootNode);
  } finally {
    tree.delete();
  }
}

function problemFor(file: string, lines: LineIndex, value: SyntaxNode, importEdit: TextEdit | undefined): Problem {
  const range = lines.range(value.startIndex, value.endIndex);
  const shown = value.text.length > 40 ? `${value.text.slice(0, 37)}...` : value.text;
  const edits: TextEdit[] = [{ file, range, newText: `shlex.quote(${value.text})` }];
  if (importEdit) edits.push(importEdit);
  const fix: Fix = { title: `Quote ${shown} with shlex.quote()`, edits, preferred: true };
  return {
    file,
    range,
    severity: 'warning',
    code: UNQUOTED_SHELL_ARGUMENT,
    message:
      `\`${shown}\` comes from the operation's inputs and is put into a run_bash command without quoting: ` +
      'a space or a shell character (; | $ ` &) in the value changes the command. Quote it with shlex.quote().',
    dvp: false,
    data: { fixes: [fix] },
  };
}

