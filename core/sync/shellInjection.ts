// Warns where plugin code formats values from an operation's inputs into a `run_bash` command without
// quoting them safely. run_bash hands the command string to bash, so a source config path or a
// linked-source parameter holding a space, `;`, `$(...)` or a backtick changes the command (the
// tutorial's own `"rsync -r {} {}".format(data_location, stage_mount_path)` does this). Quotes typed by
// hand do not help: a `'` in the value ends single quotes, and bash still runs `$(...)` inside double
// quotes. The quick fix wraps the value in `shlex.quote(...)`, removes the hand-made quotes around it,
// and adds `import shlex` when the module lacks it (or uses its `from shlex import quote`).
//
// "From the inputs" is followed inside one function: its parameters (staged_source, source_config, ...)
// and the local variables assigned from expressions that use them. Values passed through
// shlex.quote / pipes.quote, or turned into numbers, are clean.

import type { Fix, Problem, TextEdit } from '../types';
import { LineIndex } from '../text';
import { loadPythonParser, type SyntaxNode } from '../python/parser';
import { addImportEdit } from '../python/importEdit';
import { type CommandValue, commandValues, isStringLiteral, stringValue } from './shellCommandParts';

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
  const body = field(fn, 'body');
  const stack = body ? [body] : [];
  while (stack.length > 0) {
    for (const c of named(stack.pop()!)) {
      if (FUNCTION_TYPES.has(c.type) || c.type === 'class_definition') continue;
      if (c.type === 'assignment' || c.type === 'augmented_assignment') {
        const left = field(c, 'left');
        const right = field(c, 'right');
        if (left?.type === 'identifier' && right) out.push({ name: left.text, value: right, at: c.startIndex });
      }
      stack.push(c);
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

class FunctionTaint {
  readonly tainted = new Set<string>();
  readonly defs: { name: string; value: SyntaxNode; at: number }[];

  constructor(
    fn: SyntaxNode,
    private readonly sanitizers: ReadonlySet<string>,
  ) {
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

  /** Whether `node` uses an input. Iterative: a `+` chain of thousands of operands is as deep as it is long. */
  isTainted(node: SyntaxNode): boolean {
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'identifier') {
        if (this.tainted.has(n.text)) return true;
        continue;
      }
      if (n.type === 'call') {
        const name = calleeName(n);
        if (name && this.sanitizers.has(name)) continue;
      }
      const only = n.type === 'attribute' ? field(n, 'object') : n.type === 'keyword_argument' ? field(n, 'value') : undefined;
      if (n.type === 'attribute' || n.type === 'keyword_argument') {
        if (only) stack.push(only);
        continue;
      }
      for (const c of named(n)) stack.push(c);
    }
    return false;
  }

  /** The expression a name holds at `offset`: its last assignment before it. */
  definitionBefore(name: string, offset: number): SyntaxNode | undefined {
    let best: { value: SyntaxNode; at: number } | undefined;
    for (const d of this.defs) if (d.name === name && d.at < offset && (!best || d.at > best.at)) best = d;
    return best?.value;
  }
}

/**
 * How the module calls shlex.quote: through an existing `import shlex [as x]` or `from shlex import quote
 * [as q]`, else as `shlex.quote` with an `import shlex` to add. Imports at module level count, also
 * inside a module-level `if` or `try`.
 */
interface QuoteCall {
  callee: string;
  importEdit?: TextEdit;
  /** Every name under which this module can call shlex.quote: what it returns is safe. */
  sanitizers: Set<string>;
}

function moduleImports(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    for (const c of named(n)) {
      if (c.type === 'import_statement' || c.type === 'import_from_statement') out.push(c);
      else if (['if_statement', 'try_statement', 'block', 'else_clause', 'elif_clause', 'except_clause', 'finally_clause'].includes(c.type)) visit(c);
    }
  };
  visit(root);
  return out;
}

function quoteCall(file: string, text: string, root: SyntaxNode, lines: LineIndex): QuoteCall {
  const modules: string[] = [];
  const functions: string[] = [];
  for (const s of moduleImports(root)) {
    if (s.type === 'import_statement') {
      for (const n of named(s)) {
        const name = n.type === 'aliased_import' ? field(n, 'name') : n;
        if (name?.text === 'shlex') modules.push(n.type === 'aliased_import' ? (field(n, 'alias')?.text ?? 'shlex') : 'shlex');
      }
    } else if (field(s, 'module_name')?.text === 'shlex') {
      if (named(s).some((c) => c.type === 'wildcard_import')) functions.push('quote');
      for (const n of named(s).slice(1)) {
        const name = n.type === 'aliased_import' ? field(n, 'name') : n;
        if (name?.text === 'quote') functions.push(n.type === 'aliased_import' ? (field(n, 'alias')?.text ?? 'quote') : 'quote');
      }
    }
  }
  const sanitizers = new Set([...SANITIZERS, ...modules.map((m) => `${m}.quote`), ...functions]);
  if (modules.length > 0) return { callee: `${modules.includes('shlex') ? 'shlex' : modules[0]}.quote`, sanitizers };
  if (functions.length > 0) return { callee: functions[0], sanitizers };
  return { callee: 'shlex.quote', importEdit: addImportEdit(file, text, root, lines, 'shlex'), sanitizers };
}

/**
 * The unquoted values in run_bash commands of one parsed module. `root` is the tree-sitter module node
 * of `text`. Never throws on malformed code: it reports what it can follow.
 */
export function findUnquotedShellArguments(file: string, text: string, root: SyntaxNode): Problem[] {
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const taints = new Map<number, FunctionTaint>();
  const quote = quoteCall(file, text, root, lines);
  const seen = new Set<number>();

  const visit = (top: SyntaxNode) => {
    const stack = [top];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'call' && isShellCall(node)) check(node);
      for (const c of named(node)) stack.push(c);
    }
  };

  const check = (call: SyntaxNode) => {
    const fn = enclosingFunction(call);
    if (!fn) return;
    let taint = taints.get(fn.startIndex);
    if (!taint) {
      taint = new FunctionTaint(fn, quote.sanitizers);
      taints.set(fn.startIndex, taint);
    }
    let command = commandArgument(call);
    // Follow a command held in variables back to the expression that built it.
    for (let hops = 0; command?.type === 'identifier' && hops < 5; hops++) command = taint.definitionBefore(command.text, command.startIndex);
    if (!command) return;
    for (const v of commandValues(command, text)) {
      if (seen.has(v.value.startIndex) || !taint.isTainted(v.value)) continue;
      if (v.quoting === 'single' && escapesSingleQuotes(v.value, text)) continue;
      seen.add(v.value.startIndex);
      problems.push(problemFor(file, lines, call, v, quote));
    }
  };

  visit(root);
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * `value.replace("'", "'\\''")`: the classic escape of a value for single quotes (each `'` closes the
 * quotes, adds an escaped one and reopens them). Inside hand-made single quotes that is safe.
 */
function escapesSingleQuotes(value: SyntaxNode, text: string): boolean {
  if (value.type !== 'call') return false;
  const fn = field(value, 'function');
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'replace') return false;
  const [from, to] = named(field(value, 'arguments')).filter((a) => a.type !== 'comment');
  const literal = (n: SyntaxNode | undefined) => (n && isStringLiteral(n) ? stringValue(n, text) : undefined);
  return literal(from) === "'" && literal(to) === "'\\''";
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

function problemFor(file: string, lines: LineIndex, call: SyntaxNode, v: CommandValue, quote: QuoteCall): Problem {
  const { value } = v;
  const range = lines.range(value.startIndex, value.endIndex);
  const shown = value.text.length > 40 ? `${value.text.slice(0, 37)}...` : value.text;
  const quoted = `${quote.callee}(${value.text})`;
  const edits: TextEdit[] = [{ file, range, newText: quoted }];
  for (const e of v.unquote ?? []) edits.push({ file, range: lines.range(e.start, e.end), newText: e.newText });
  if (quote.importEdit) edits.push(quote.importEdit);
  const fn = field(call, 'function') ?? call;
  let message: string;
  let related: Problem['related'];
  let fixes: Fix[] = [];
  if (value.type === 'list_splat' || value.type === 'dictionary_splat') {
    // Which item goes where is unknown: no edit can quote them here.
    message = `The items of '${shown}' go into a run_bash command as they are. Quote each with ${quote.callee}() first.`;
    related = [{ file, range: lines.range(fn.startIndex, fn.endIndex), message: "bash runs this command: a space, ;, |, &, $(...) or a backtick in the operation's input changes it" }];
  } else if (v.quoting === 'none') {
    message = `'${shown}' goes into a run_bash command unquoted. Wrap it in ${quote.callee}().`;
    related = [{ file, range: lines.range(fn.startIndex, fn.endIndex), message: "bash runs this command: a space, ;, |, &, $(...) or a backtick in the operation's input changes it" }];
    fixes = [{ title: `Quote ${shown} with ${quote.callee}()`, edits, preferred: true }];
  } else {
    const open = lines.range(v.openingQuote!.start, v.openingQuote!.end);
    if (v.quoting === 'single') {
      message = `'${shown}' is in hand-made single quotes in a run_bash command: a ' in it ends them. Use ${quote.callee}() instead.`;
      related = [{ file, range: open, message: "a ' in the value closes this quote, and the rest of the value runs as shell code" }];
    } else {
      message = `'${shown}' is in double quotes in a run_bash command: $(...), backticks and $VAR in it still run. Use ${quote.callee}() instead.`;
      related = [{ file, range: open, message: 'inside double quotes bash still runs $(...) and backticks and expands $VAR in the value' }];
    }
    if (v.unquote) fixes = [{ title: `Replace the quotes around ${shown} with ${quote.callee}()`, edits, preferred: true }];
  }
  const problem: Problem = { file, range, severity: 'warning', code: UNQUOTED_SHELL_ARGUMENT, message, dvp: false, related };
  if (fixes.length > 0) problem.data = { fixes };
  return problem;
}
