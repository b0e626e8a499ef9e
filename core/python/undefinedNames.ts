// The undefined-name check `dvp build` runs before building (flake8 with only F821 selected). A name
// counts as defined when any scope that can see the use binds it anywhere (pyflakes is stricter about
// order at module level; we only report what is undefined in every reading, never a false alarm).

import type { Problem } from '../types';
import type { SyntaxNode } from './parser';
import { boundNames, collectPatternNames, field, kids, rangeOf, type ModuleInfo } from './syntax';
import { addImportEdit } from './importEdit';
import { stdlibModules } from '../config/pythonStdlib';

/** An undefined name that is a standard-library module (`shlex.quote` without `import shlex`) gets the import as a fix. */
function importFix(mod: ModuleInfo, name: string): Pick<Problem, 'data'> {
  if (!stdlibModules('3.11').has(name)) return {};
  const edit = addImportEdit(mod.file, mod.parsed.text, mod.parsed.root, mod.lines, name);
  return edit ? { data: { fixes: [{ title: `Add \`import ${name}\``, edits: [edit], preferred: true }] } } : {};
}

const BUILTINS = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError BufferError BytesWarning ' +
    'ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis ' +
    'EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError FutureWarning ' +
    'GeneratorExit IOError ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt ' +
    'LookupError MemoryError ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError OverflowError ' +
    'PendingDeprecationWarning PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning ' +
    'StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError UnboundLocalError ' +
    'UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError ' +
    '__build_class__ __debug__ __doc__ __import__ __loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool breakpoint ' +
    'bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit filter float ' +
    'format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len license list locals map max memoryview ' +
    'min next object oct open ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple ' +
    'type vars zip ' +
    // Python 2 names pyflakes still knows, and module magic globals.
    '__file__ __builtins__ __annotations__ WindowsError __path__ __class__ __module__ __qualname__'
  ).split(' '),
);

const SCOPES = new Set(['function_definition', 'lambda', 'class_definition', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'module']);

/** Names a scope binds anywhere in its own body (not in nested scopes). */
function scopeBindings(scope: SyntaxNode, cache: Map<number, Set<string>>): Set<string> {
  const hit = cache.get(scope.id);
  if (hit) return hit;
  const names = new Set<string>();
  const add = (n: SyntaxNode | null) => {
    if (n) for (const b of boundNames(n)) names.add(b.text);
  };
  if (scope.type === 'function_definition' || scope.type === 'lambda') {
    const params = field(scope, 'parameters');
    if (params) {
      const walkParams = (p: SyntaxNode) => {
        if (p.type === 'identifier') names.add(p.text);
        else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') add(field(p, 'name'));
        else if (p.type !== 'type') kids(p).forEach(walkParams);
      };
      kids(params).forEach(walkParams);
    }
  }
  const walk = (n: SyntaxNode, top: boolean) => {
    if (!top && SCOPES.has(n.type)) {
      // The name of a nested def / class is bound here; comprehension targets are not.
      if (n.type === 'function_definition' || n.type === 'class_definition') add(field(n, 'name'));
      // An assignment expression in a comprehension binds in the enclosing function scope.
      if (n.type.endsWith('comprehension') || n.type === 'generator_expression') walkWalrus(n);
      return;
    }
    switch (n.type) {
      case 'assignment':
      case 'augmented_assignment':
        add(field(n, 'left'));
        break;
      case 'for_statement':
        add(field(n, 'left'));
        break;
      case 'for_in_clause':
        if (scope.type.endsWith('comprehension') || scope.type === 'generator_expression') add(field(n, 'left'));
        break;
      case 'named_expression':
        add(field(n, 'name'));
        break;
      case 'as_pattern_target':
        add(n);
        break;
      case 'except_clause': {
        // Python 2's `except ValueError, e:` binds `e` (tree-sitter reads it as two values).
        const values = n.childrenForFieldName('value').filter((c): c is SyntaxNode => c !== null);
        if (values.length === 2 && values[1].type === 'identifier') add(values[1]);
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        for (const c of kids(n)) {
          if (c.type === 'aliased_import') add(field(c, 'alias'));
          else if (c.type === 'dotted_name' && c.id !== field(n, 'module_name')?.id) {
            const first = kids(c)[0];
            if (first) names.add(first.text);
          }
        }
        return;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of kids(n)) if (c.type === 'identifier') names.add(c.text);
        return;
      case 'case_pattern':
      case 'keyword_pattern':
        collectPatternNames(n, names);
        return;
    }
    for (const c of kids(n)) walk(c, false);
  };
  const walkWalrus = (n: SyntaxNode) => {
    if (n.type === 'named_expression') add(field(n, 'name'));
    for (const c of kids(n)) if (!(SCOPES.has(c.type) && !c.type.endsWith('comprehension') && c.type !== 'generator_expression')) walkWalrus(c);
  };
  walk(scope, true);
  cache.set(scope.id, names);
  return names;
}

/** `global x` in any function binds x in the module (pyflakes reads it so). */
function globalDeclarations(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const walk = (n: SyntaxNode) => {
    if (n.type === 'global_statement') for (const c of kids(n)) if (c.type === 'identifier') names.add(c.text);
    for (const c of kids(n)) walk(c);
  };
  walk(root);
  return names;
}

/** Whether an identifier is read (not a definition, parameter, import name, attribute or keyword). */
function isLoad(id: SyntaxNode, p: SyntaxNode | undefined): boolean {
  if (!p) return false;
  switch (p.type) {
    case 'attribute':
      return field(p, 'attribute')?.id !== id.id;
    case 'keyword_argument':
      return field(p, 'name')?.id !== id.id;
    case 'function_definition':
    case 'class_definition':
      return field(p, 'name')?.id !== id.id;
    case 'parameters':
    case 'lambda_parameters':
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return false;
    case 'default_parameter':
    case 'typed_default_parameter':
      return field(p, 'name')?.id !== id.id;
    case 'dotted_name':
    case 'aliased_import':
    case 'import_statement':
    case 'import_from_statement':
    case 'relative_import':
    case 'global_statement':
    case 'nonlocal_statement':
    case 'as_pattern_target':
    case 'keyword_pattern':
    case 'case_pattern':
      return false;
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
    case 'for_in_clause':
      return field(p, 'left')?.id !== id.id;
    case 'named_expression':
      return field(p, 'name')?.id !== id.id;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
      return false;
    default:
      return true;
  }
}

function contains(outer: SyntaxNode | null, inner: SyntaxNode): boolean {
  return !!outer && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

function catchesNameError(ancestors: SyntaxNode[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const n = ancestors[i];
    if (n.type !== 'try_statement') continue;
    for (const c of kids(n)) if (c.type === 'except_clause' && /\bNameError\b/.test(c.text.split(':')[0])) return true;
  }
  return false;
}

export function undefinedNames(mod: ModuleInfo): Problem[] {
  if (mod.starImport) return [];
  const out: Problem[] = [];
  const cache = new Map<number, Set<string>>();
  // The walk keeps the ancestors itself: tree-sitter's `parent` searches down from the root on every
  // call, which made deeply nested code take seconds (cubic in the depth).
  const ancestors: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    if (n.type === 'ERROR' || n.type === 'case_pattern' || n.type === 'string_content') return;
    if (n.type === 'identifier' && isLoad(n, ancestors[ancestors.length - 1]) && !BUILTINS.has(n.text) && !defined(n) && !catchesNameError(ancestors)) {
      out.push({
        file: mod.file,
        range: rangeOf(mod.lines, n),
        severity: 'error',
        code: 'python.undefinedName',
        dvp: true,
        message: `undefined name '${n.text}' (flake8 F821): \`dvp build\` fails on it, and running this line raises NameError.`,
        ...importFix(mod, n.text),
      });
    }
    ancestors.push(n);
    for (const c of kids(n)) visit(c);
    ancestors.pop();
  };
  const globals = globalDeclarations(mod.parsed.root);
  const defined = (id: SyntaxNode): boolean => {
    if (globals.has(id.text)) return true;
    let insideFunction = false;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const s = ancestors[i];
      if (!SCOPES.has(s.type)) continue;
      // Defaults, annotations and decorators are evaluated in the scope around the function.
      if ((s.type === 'function_definition' || s.type === 'lambda') && !contains(field(s, 'body'), id)) continue;
      // A class body is visible to its own statements, not to the functions defined in it.
      if (s.type === 'class_definition' && insideFunction) continue;
      if (scopeBindings(s, cache).has(id.text)) return true;
      if (s.type === 'function_definition' || s.type === 'lambda') insideFunction = true;
    }
    return false;
  };
  visit(mod.parsed.root);
  return out;
}
