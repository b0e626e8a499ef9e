// What one Python module declares, read once from its parse tree: imports, functions (with their
// parameters and decorators), top-level bindings. The flow analysis and the operation checks work on
// this summary instead of walking the tree again for each question.

import type { ParsedFile, SyntaxNode } from './parser';
import { LineIndex } from '../text';
import type { Range } from '../types';

export interface ParamInfo {
  name: string;
  node: SyntaxNode;
  /** `*args`, `**kwargs` and keyword-only parameters are not part of getfullargspec().args. */
  kind: 'positional' | 'varargs' | 'kwargs' | 'keywordOnly';
  hasDefault: boolean;
}

export interface FunctionInfo {
  id: string;
  name: string;
  file: string;
  node: SyntaxNode;
  nameNode: SyntaxNode;
  params: ParamInfo[];
  paramsNode: SyntaxNode;
  body: SyntaxNode | null;
  decorators: SyntaxNode[];
  /** The enclosing function, when nested. */
  parent?: FunctionInfo;
  inClass: boolean;
  /** Module-level function (the only ones other modules can import). */
  topLevel: boolean;
  /** The pseudo-function of a module's top-level code. */
  isModule?: boolean;
  /** The class whose body defines this function (a method). */
  classId?: string;
}

export interface ClassInfo {
  /** `file#startIndex` of the class statement. */
  id: string;
  name: string;
  file: string;
  node: SyntaxNode;
  nameNode: SyntaxNode;
  /** The expressions in the class statement's parentheses (keyword arguments such as metaclass= included). */
  bases: SyntaxNode[];
  body: SyntaxNode | null;
  /** The class whose body holds this one (a nested class). */
  outer?: ClassInfo;
  /** The function whose body holds this class. */
  inFunction?: FunctionInfo;
  topLevel: boolean;
}

export type ImportTarget =
  | { kind: 'module'; module: string; level: number }
  | { kind: 'name'; module: string; level: number; name: string };

export interface ImportBinding {
  /** The local name the import binds. */
  local: string;
  target: ImportTarget;
  node: SyntaxNode;
  /** The imported name's node (for `from m import X`). */
  nameNode: SyntaxNode;
  topLevel: boolean;
}

export interface ModuleInfo {
  file: string;
  /** Dotted module name relative to srcDir (`pkg.helpers`; a package's `__init__.py` is `pkg`). */
  moduleName: string;
  isPackage: boolean;
  parsed: ParsedFile;
  lines: LineIndex;
  imports: ImportBinding[];
  functions: FunctionInfo[];
  classes: ClassInfo[];
  /** Module-level names and how often the module binds each (more than once: not knowable). */
  topBindings: Map<string, SyntaxNode[]>;
  topFunctions: Map<string, FunctionInfo>;
  /** Attribute names the module assigns somewhere (`x.foo = ...`): reading them later is not a mistake. */
  assignedAttributes: Set<string>;
  /** Names used as strings in getattr/setattr/hasattr/delattr: dynamic access the checks leave alone. */
  dynamicNames: Set<string>;
  /** Identifier-like string literals of the module (`"run_label"`): names code may set dynamically. */
  stringNames: Set<string>;
  /** Whether the module uses `from x import *` (names may come from anywhere). */
  starImport: boolean;
}

export function rangeOf(lines: LineIndex, node: SyntaxNode): Range {
  return lines.range(node.startIndex, node.endIndex);
}

/** The named children of a node without the nulls web-tree-sitter's typings allow. */
export function kids(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

export function field(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.childForFieldName(name);
}

/** The value of a plain string literal (no f-string interpolation, no concatenation), else undefined. */
export function stringValue(node: SyntaxNode): string | undefined {
  if (node.type !== 'string') return undefined;
  let out = '';
  for (const c of kids(node)) {
    if (c.type === 'string_start' || c.type === 'string_end') continue;
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += unescape(c.text);
    else return undefined;
  }
  const start = kids(node)[0]?.text ?? '';
  if (/[fFbB]/.test(start)) return undefined;
  return out;
}

function unescape(seq: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  return map[seq.slice(1)] ?? seq;
}

/** The content range of a string literal (inside the quotes). */
export function stringContentRange(lines: LineIndex, node: SyntaxNode): Range {
  const ks = kids(node);
  const start = ks[0]?.endIndex ?? node.startIndex;
  const end = ks[ks.length - 1]?.startIndex ?? node.endIndex;
  return lines.range(start, end);
}

export function moduleNameOf(srcDir: string, file: string): { moduleName: string; isPackage: boolean } {
  let rel = file.startsWith(srcDir) ? file.slice(srcDir.length).replace(/^[\\/]+/, '') : file;
  rel = rel.replace(/\.py$/, '');
  const parts = rel.split(/[\\/]/).filter((p) => p.length > 0);
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  return { moduleName: parts.join('.'), isPackage };
}

/** Read a module's declarations. Never throws: ERROR nodes are simply walked like other nodes. */
export function summarize(parsed: ParsedFile, moduleName: string, isPackage: boolean): ModuleInfo {
  const info: ModuleInfo = {
    file: parsed.file,
    moduleName,
    isPackage,
    parsed,
    lines: new LineIndex(parsed.text),
    imports: [],
    functions: [],
    classes: [],
    topBindings: new Map(),
    topFunctions: new Map(),
    assignedAttributes: new Set(),
    dynamicNames: new Set(),
    stringNames: new Set(),
    starImport: false,
  };

  const bindTop = (name: string, node: SyntaxNode) => {
    const list = info.topBindings.get(name) ?? [];
    list.push(node);
    info.topBindings.set(name, list);
  };

  const visit = (node: SyntaxNode, fn: FunctionInfo | undefined, inClass: boolean, topLevel: boolean, cls?: ClassInfo) => {
    switch (node.type) {
      case 'function_definition': {
        const f = functionInfo(parsed.file, node, fn, inClass, topLevel);
        if (f) {
          if (inClass && cls) f.classId = cls.id;
          info.functions.push(f);
          if (topLevel) {
            info.topFunctions.set(f.name, f);
            bindTop(f.name, node);
          }
          for (const c of kids(node)) if (c.type === 'block') visit(c, f, false, false);
        }
        return;
      }
      case 'class_definition': {
        const name = field(node, 'name');
        if (name && topLevel) bindTop(name.text, node);
        const body = field(node, 'body');
        let c: ClassInfo | undefined;
        if (name) {
          const args = field(node, 'superclasses');
          c = { id: `${parsed.file}#${node.startIndex}`, name: name.text, file: parsed.file, node, nameNode: name, bases: args ? kids(args).filter((k) => k.type !== 'comment') : [], body, outer: inClass ? cls : undefined, inFunction: fn, topLevel };
          info.classes.push(c);
        }
        if (body) visit(body, fn, true, false, c);
        return;
      }
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        for (const b of importBindings(node, topLevel)) {
          info.imports.push(b);
          if (topLevel) bindTop(b.local, node);
        }
        if (node.type === 'import_from_statement' && kids(node).some((c) => c.type === 'wildcard_import')) info.starImport = true;
        return;
      case 'assignment':
      case 'augmented_assignment': {
        const left = field(node, 'left');
        if (left && topLevel) for (const n of boundNames(left)) bindTop(n.text, node);
        if (left?.type === 'attribute') {
          const attr = field(left, 'attribute');
          if (attr) info.assignedAttributes.add(attr.text);
        }
        break;
      }
      case 'for_statement':
      case 'with_statement':
      case 'named_expression':
        if (topLevel) for (const n of bindingTargets(node)) bindTop(n.text, node);
        break;
      case 'string': {
        const s = stringValue(node);
        if (s !== undefined && s.length < 80 && /^[A-Za-z_]\w*$/.test(s)) info.stringNames.add(s);
        return;
      }
      case 'call': {
        const f = field(node, 'function');
        if (f?.type === 'identifier' && /^(getattr|setattr|hasattr|delattr)$/.test(f.text)) {
          const args = field(node, 'arguments');
          const second = args ? kids(args)[1] : undefined;
          const s = second ? stringValue(second) : undefined;
          if (s !== undefined) info.dynamicNames.add(s);
          if (f.text === 'setattr' && s !== undefined) info.assignedAttributes.add(s);
        }
        break;
      }
    }
    for (const c of kids(node)) visit(c, fn, inClass, topLevel && c.type !== 'lambda', cls);
  };
  visit(parsed.root, undefined, false, true);
  return info;
}

function functionInfo(file: string, node: SyntaxNode, parent: FunctionInfo | undefined, inClass: boolean, topLevel: boolean): FunctionInfo | undefined {
  const nameNode = field(node, 'name');
  const paramsNode = field(node, 'parameters');
  if (!nameNode || !paramsNode) return undefined;
  const decorators = node.parent?.type === 'decorated_definition' ? kids(node.parent).filter((c) => c.type === 'decorator') : [];
  return {
    id: `${file}#${node.startIndex}`,
    name: nameNode.text,
    file,
    node,
    nameNode,
    params: parameters(paramsNode),
    paramsNode,
    body: field(node, 'body'),
    decorators,
    parent,
    inClass,
    topLevel,
  };
}

export function parameters(paramsNode: SyntaxNode): ParamInfo[] {
  const out: ParamInfo[] = [];
  let keywordOnly = false;
  for (const p of kids(paramsNode)) {
    switch (p.type) {
      case 'identifier':
        out.push({ name: p.text, node: p, kind: keywordOnly ? 'keywordOnly' : 'positional', hasDefault: false });
        break;
      case 'typed_parameter': {
        const id = kids(p).find((c) => c.type === 'identifier');
        const splat = kids(p).find((c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern');
        if (splat) {
          const sid = kids(splat).find((c) => c.type === 'identifier');
          if (sid) out.push({ name: sid.text, node: sid, kind: splat.type === 'list_splat_pattern' ? 'varargs' : 'kwargs', hasDefault: false });
          if (splat.type === 'list_splat_pattern') keywordOnly = true;
        } else if (id) out.push({ name: id.text, node: id, kind: keywordOnly ? 'keywordOnly' : 'positional', hasDefault: false });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const id = field(p, 'name');
        if (id) out.push({ name: id.text, node: id, kind: keywordOnly ? 'keywordOnly' : 'positional', hasDefault: true });
        break;
      }
      case 'list_splat_pattern': {
        const id = kids(p).find((c) => c.type === 'identifier');
        if (id) out.push({ name: id.text, node: id, kind: 'varargs', hasDefault: false });
        keywordOnly = true;
        break;
      }
      case 'dictionary_splat_pattern': {
        const id = kids(p).find((c) => c.type === 'identifier');
        if (id) out.push({ name: id.text, node: id, kind: 'kwargs', hasDefault: false });
        break;
      }
      case 'keyword_separator':
        keywordOnly = true;
        break;
    }
  }
  return out;
}

function dotted(node: SyntaxNode): string {
  return kids(node).filter((c) => c.type === 'identifier').map((c) => c.text).join('.');
}

function importBindings(node: SyntaxNode, topLevel: boolean): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (node.type === 'import_statement') {
    for (const c of kids(node)) {
      if (c.type === 'dotted_name') {
        // `import a.b.c` binds `a`, which reaches `a.b.c` through attributes.
        const first = kids(c)[0];
        if (first) out.push({ local: first.text, target: { kind: 'module', module: first.text, level: 0 }, node, nameNode: c, topLevel });
      } else if (c.type === 'aliased_import') {
        const name = field(c, 'name');
        const alias = field(c, 'alias');
        if (name && alias) out.push({ local: alias.text, target: { kind: 'module', module: dotted(name), level: 0 }, node, nameNode: name, topLevel });
      }
    }
    return out;
  }
  if (node.type !== 'import_from_statement') return out;
  const moduleNode = field(node, 'module_name');
  if (!moduleNode) return out;
  let module = '';
  let level = 0;
  if (moduleNode.type === 'relative_import') {
    for (const c of kids(moduleNode)) {
      if (c.type === 'import_prefix') level = c.text.length;
      else if (c.type === 'dotted_name') module = dotted(c);
    }
  } else module = dotted(moduleNode);
  for (const c of kids(node)) {
    if (c.startIndex === moduleNode.startIndex) continue;
    if (c.type === 'dotted_name') {
      out.push({ local: c.text, target: { kind: 'name', module, level, name: c.text }, node, nameNode: c, topLevel });
    } else if (c.type === 'aliased_import') {
      const name = field(c, 'name');
      const alias = field(c, 'alias');
      if (name && alias) out.push({ local: alias.text, target: { kind: 'name', module, level, name: name.text }, node, nameNode: name, topLevel });
    }
  }
  return out;
}

/** Identifiers an assignment target binds (`a`, `a, b`, `[a, *b]`); attributes and subscripts bind none. */
export function boundNames(target: SyntaxNode): SyntaxNode[] {
  switch (target.type) {
    case 'identifier':
      return [target];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'expression_list':
    case 'list_splat_pattern':
    case 'as_pattern_target':
      return kids(target).flatMap(boundNames);
    default:
      return [];
  }
}

function bindingTargets(node: SyntaxNode): SyntaxNode[] {
  if (node.type === 'for_statement') {
    const left = field(node, 'left');
    return left ? boundNames(left) : [];
  }
  if (node.type === 'named_expression') {
    const name = field(node, 'name');
    return name ? [name] : [];
  }
  if (node.type === 'with_statement') {
    const out: SyntaxNode[] = [];
    const walk = (n: SyntaxNode) => {
      if (n.type === 'as_pattern_target') out.push(...boundNames(n));
      else if (n.type !== 'block') kids(n).forEach(walk);
    };
    kids(node).forEach(walk);
    return out;
  }
  return [];
}

/** The module's top-level code as a function without parameters, so one analysis handles both. */
export function moduleScope(info: ModuleInfo): FunctionInfo {
  const root = info.parsed.root;
  return { id: `${info.file}#module`, name: '<module>', file: info.file, node: root, nameNode: root, params: [], paramsNode: root, body: root, decorators: [], inClass: false, topLevel: false, isModule: true };
}

/** Capture names of a match pattern: a bare name (a one-part dotted_name outside a class position) or an `as` alias. */
export function collectPatternNames(n: SyntaxNode, names: Set<string>): void {
  if (n.type === 'dotted_name') {
    const parts = kids(n);
    if (parts.length === 1 && n.parent?.type !== 'class_pattern') names.add(parts[0].text);
    return;
  }
  if (n.type === 'identifier' && n.parent?.type !== 'keyword_pattern') names.add(n.text);
  else if (n.type === 'keyword_pattern') kids(n).slice(1).forEach((c) => collectPatternNames(c, names));
  else kids(n).forEach((c) => collectPatternNames(c, names));
}
