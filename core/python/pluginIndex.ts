// All Python modules of one plugin, their imports resolved to each other, and the flow analysis run
// over every function to a fixpoint (argument types flow into helpers across modules, return types
// flow back). Each function's result is cached under the types it was analysed with, so editing one
// file re-analyses that file, its importers, and only those other functions whose inputs changed.

import * as path from 'path';
import type { Node as JsonNode } from 'jsonc-parser';
import type { FileSource } from '../files';
import type { GeneratedClass, GeneratedModel } from '../model';
import { PARAMETER_TYPES, type PluginType } from '../sdk/operations';
import type { Fix, Problem, Range } from '../types';
import { analyzeFunction, functionType, joinTypes, typeKey, type ConsultKey, type FlowWorld, type FunctionInput, type FunctionResult, type MemberReceiver, type NameUse, type PyType, type Untraced } from './flow';
import { ClassTable, classShapes, type ClassShape } from './classModel';
import { MemberStore, readMember } from './memberStore';
import { joinAll, uncertain } from './values';
import { ParseTimeoutError, type ParseCache, type SyntaxNode } from './parser';
import { checkOperations, findOperations, implementedOperations, type ImplementedOperation, type OperationImpl } from './pluginOperations';
import { SchemaText } from './schemaText';
import { undefinedNames } from './undefinedNames';
import { SDK_CLASSES, SDK_EXPORTS } from './sdkClasses';
import { clearlyBest, closestNames, keyForPythonName } from './suggest';
import { field, moduleNameOf, moduleScope, rangeOf, summarize, type ClassInfo, type FunctionInfo, type ImportBinding, type ModuleInfo } from './syntax';

export interface PythonProject {
  /** Plugin root (the folder of plugin_config.yml). */
  root: string;
  /** Absolute srcDir. */
  srcDir: string;
  /** `module:object` from plugin_config.yml. */
  entryPoint: string;
  pluginType: PluginType;
  schemaFile: string;
  schemaText: string;
  /** The schema analysis's parse tree of `schemaText`, when it parsed cleanly (saves parsing it again). */
  schemaRoot?: JsonNode;
  model: GeneratedModel;
  /** `StagedSource.mounts` exists (SDK 4.1.0 and later); default true. */
  multipleStagedMounts?: boolean;
}

const UPGRADE_DEFINITIONS: Record<string, string> = {
  repository: 'repositoryDefinition',
  source_config: 'sourceConfigDefinition',
  linked_source: 'linkedSourceDefinition',
  virtual_source: 'virtualSourceDefinition',
  snapshot: 'snapshotDefinition',
};

const MAX_ITERATIONS_PER_FUNCTION = 12;
/**
 * Deepest syntax tree the analysis walks. Its walkers recurse once per level, so a deeper tree (a
 * 100,000-term `a + b + ...`, thousands of nested brackets) would overflow the call stack; CPython
 * itself stops at 200 nested brackets and fails to compile chains of a few thousand operators.
 */
export const MAX_PYTHON_SYNTAX_DEPTH = 1000;
/**
 * Largest module that is analysed, in characters and in syntax nodes. The flow analysis costs a few
 * microseconds per node and runs on keystrokes; a big vendored module has about 100,000 nodes.
 */
export const MAX_PYTHON_FILE_CHARS = 2 * 1024 * 1024;
export const MAX_PYTHON_SYNTAX_NODES = 250_000;
/** Most folders under srcDir that are searched for Python files, and most files analysed. */
const MAX_SOURCE_DIRS = 2000;
const MAX_SOURCE_FILES = 1000;
const MAX_RESOLVE_DEPTH = 12;

export interface EntryPointStatus {
  /** False when `dvp build` would fail to find the entry point. */
  ok: boolean;
  moduleFile?: string;
  /** Why the entry point is wrong, or (with ok) why the analysis cannot use it. */
  message?: string;
}

/** What the last analysis run did (for benchmarks and the incremental tests). */
export interface AnalysisStats {
  functions: number;
  /** Function analyses computed (a function may be analysed more than once on the way to the fixpoint). */
  analysed: number;
  /** Cached analyses reused. */
  reused: number;
  ms: number;
}

/** What the cross-check could check on values of generated and SDK classes, and what it could not. */
export interface Coverage {
  /** Attribute reads checked against the classes the value may hold. */
  verified: number;
  /** Reads on values from the operation's inputs that could not be followed, with the reason. */
  untraced: Untraced[];
}

export class PluginPythonIndex {
  private project: PythonProject | undefined;
  private schema: SchemaText | undefined;
  private readonly modules = new Map<string, ModuleInfo>();
  private readonly byModuleName = new Map<string, ModuleInfo>();
  private readonly functions = new Map<string, FunctionInfo>();
  private readonly results = new Map<string, FunctionResult>();
  private readonly cache = new Map<string, { key: string; result: FunctionResult }>();
  private globalMemo = new Map<string, PyType | undefined>();
  private fileProblems = new Map<string, Problem[]>();
  private dirty = true;
  private readonly resolving = new Set<string>();
  /** Problems that depend only on one module and the model (imports, syntax). */
  private readonly moduleProblems = new Map<string, Problem[]>();
  /** Files under srcDir that are not analysed (too large, nested too deeply), with the reason. */
  private readonly skipped = new Map<string, Problem>();
  /** Set when srcDir is too big to search completely. */
  private srcDirProblem: Problem | undefined;
  private stats: AnalysisStats = { functions: 0, analysed: 0, reused: 0, ms: 0 };
  private readonly shapes = new WeakMap<ModuleInfo, Map<string, ClassShape>>();
  private classTable: ClassTable | undefined;
  private store = new MemberStore();
  private lastCallers = new Map<string, Set<string>>();
  private readonly lastWrites = new Map<string, { writes: FunctionResult['writes']; untyped: string[] }>();
  /** Member reads of a result, by name; and the current type key of each member read, see memberKey. */
  private readonly readIndex = new WeakMap<FunctionResult, Map<string, { members: [string, FunctionResult['consultedMembers'] extends Map<string, infer V> ? V : never][]; globals: { key: ConsultKey; type: string }[] }>>();
  private memberKeys = new Map<string, string>();

  constructor(private readonly files: FileSource, private readonly parses: ParseCache) {}

  /** Set or replace the project; reads every `.py` file under srcDir except `generated/`. */
  setProject(project: PythonProject): void {
    const sameSources = this.project && this.project.srcDir === project.srcDir;
    this.project = project;
    this.schema = new SchemaText(project.schemaFile, project.schemaText, project.schemaRoot);
    // Every cached result may name schema properties: a new model invalidates them all.
    this.cache.clear();
    this.moduleProblems.clear();
    if (!sameSources) {
      for (const f of [...this.modules.keys()]) this.dropModule(f);
      this.skipped.clear();
      for (const file of this.discover(project.srcDir)) this.load(file);
    } else {
      const found = new Set(this.discover(project.srcDir));
      for (const f of [...this.modules.keys()]) if (!found.has(f)) this.dropModule(f);
      for (const f of [...this.skipped.keys()]) if (!found.has(f)) this.skipped.delete(f);
      for (const file of found) if (!this.modules.has(file)) this.load(file);
    }
    this.dirty = true;
  }

  get current(): PythonProject | undefined {
    return this.project;
  }

  get schemaText(): SchemaText | undefined {
    return this.schema;
  }

  /** A file changed (its text is read from the FileSource unless given). */
  update(file: string, text?: string): void {
    file = path.resolve(file);
    if (!this.project || !this.isPluginSource(file)) return;
    this.invalidateFrom(file);
    this.load(file, text, true);
    for (const id of [...this.results.keys()]) if (id.startsWith(file + '#') && !this.functions.has(id)) this.results.delete(id);
    this.dirty = true;
  }

  remove(file: string): void {
    file = path.resolve(file);
    if (this.skipped.delete(file)) this.dirty = true;
    if (!this.modules.has(file)) return;
    this.invalidateFrom(file);
    this.dropModule(file);
    this.parses.forget(file);
    this.dirty = true;
  }

  isPluginSource(file: string): boolean {
    if (!this.project || !file.endsWith('.py')) return false;
    const rel = path.relative(this.project.srcDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const parts = rel.split(path.sep);
    return parts[0] !== 'generated' && !parts.some((p) => p === '__pycache__' || p.startsWith('.'));
  }

  module(file: string): ModuleInfo | undefined {
    return this.modules.get(path.resolve(file));
  }

  allModules(): ModuleInfo[] {
    return [...this.modules.values()];
  }

  /** Problems of every analysed file, by file. */
  problemsByFile(): Map<string, Problem[]> {
    this.analyze();
    return this.fileProblems;
  }

  problems(file: string): Problem[] {
    return this.problemsByFile().get(path.resolve(file)) ?? [];
  }

  /** Every use of a generated name in the plugin's Python code. */
  uses(file?: string): NameUse[] {
    this.analyze();
    const out: NameUse[] = [];
    for (const [id, r] of this.results) if (!file || id.startsWith(file + '#')) for (const u of r.uses) out.push(u);
    return out;
  }

  resultsIn(file: string): { fn: FunctionInfo; result: FunctionResult }[] {
    this.analyze();
    const out: { fn: FunctionInfo; result: FunctionResult }[] = [];
    for (const [id, r] of this.results) {
      const fn = this.functions.get(id);
      if (fn && fn.file === file) out.push({ fn, result: r });
    }
    return out;
  }

  operations(): ImplementedOperation[] {
    this.analyze();
    return implementedOperations(this.allOperations(), this.entryPlugin(), (f) => this.modules.get(f));
  }

  /** The type of a module-level name, as the world of the flow analysis sees it. */
  globalTypeOf(mod: ModuleInfo, name: string): PyType | undefined {
    return this.world().globalType(mod, name);
  }

  // ---------------------------------------------------------------- loading

  /**
   * The `.py` files under srcDir, depth first in name order. Bounded in depth and in the number of
   * folders: two symlinks to `.` under srcDir make a tree that doubles at every level.
   */
  private discover(srcDir: string): string[] {
    const out: string[] = [];
    let dirs = 0;
    let truncated = false;
    const seen = new Set<string>();
    const walk = (dir: string, depth: number) => {
      // A folder reached again through a symbolic link (a link to `.` or `..`) is walked once.
      const real = this.files.realpath?.(dir);
      if (real !== undefined) {
        if (seen.has(real)) return;
        seen.add(real);
      }
      if (depth > 20 || ++dirs > MAX_SOURCE_DIRS) {
        truncated = true;
        return;
      }
      for (const name of this.files.list(dir).sort()) {
        if (name.startsWith('.') || name === '__pycache__' || (depth === 0 && name === 'generated')) continue;
        const full = path.join(dir, name);
        const kind = this.files.stat(full);
        if (kind === 'dir') walk(full, depth + 1);
        else if (kind === 'file' && name.endsWith('.py')) {
          if (out.length >= MAX_SOURCE_FILES) truncated = true;
          else out.push(full);
        }
        if (truncated) return;
      }
    };
    walk(srcDir, 0);
    const configFile = path.join(this.project?.root ?? path.dirname(srcDir), 'plugin_config.yml');
    this.srcDirProblem = undefined;
    if (truncated) {
      this.srcDirProblem = {
        file: configFile,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 'warning',
        code: 'python.srcDirTooLarge',
        message: `srcDir holds more than ${MAX_SOURCE_FILES} Python files or ${MAX_SOURCE_DIRS} folders, or is nested more than 20 levels deep, so only the first ${out.length} Python files found are cross-checked. Remove the folders that are not plugin code (or the symbolic links that lead out of srcDir).`,
        dvp: false,
      };
    }
    return out;
  }

  private load(file: string, text?: string, keepResults = false): void {
    const project = this.project!;
    this.dropModule(file, keepResults);
    const tooLarge = (what: string) =>
      this.skip(
        file,
        'python.tooLarge',
        `This file is too large to analyse (${what}), so its schema names are not cross-checked. A plugin module is normally a few kilobytes: check that this is the file you meant.`,
      );
    // Sized before it is read: a UTF-8 file of more than 3 bytes per allowed character is surely too long.
    const bytes = text === undefined ? this.files.size?.(file) : undefined;
    if (bytes !== undefined && bytes > 3 * MAX_PYTHON_FILE_CHARS) {
      tooLarge(`${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_PYTHON_FILE_CHARS / 1024 / 1024} MB`);
      return;
    }
    text ??= this.files.readText(file);
    if (text === undefined) return;
    if (text.length > MAX_PYTHON_FILE_CHARS) {
      tooLarge(`${(text.length / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_PYTHON_FILE_CHARS / 1024 / 1024} MB`);
      return;
    }
    const version = this.files.version(file) ?? `text:${text.length}`;
    let parsed;
    try {
      parsed = this.parses.parse(file, text, version);
    } catch (e) {
      if (e instanceof ParseTimeoutError) {
        this.skip(file, 'python.tooSlow', `This file takes too long to parse (${e.message}), so its schema names are not cross-checked. Is it Python source? Binary data or a huge generated module would explain it.`);
      }
      return;
    }
    const shape = syntaxShape(parsed.root, MAX_PYTHON_SYNTAX_DEPTH, MAX_PYTHON_SYNTAX_NODES);
    if (shape.nodes > MAX_PYTHON_SYNTAX_NODES) {
      tooLarge(`more than ${MAX_PYTHON_SYNTAX_NODES.toLocaleString('en-US')} syntax nodes`);
      this.parses.forget(file);
      return;
    }
    if (shape.depth > MAX_PYTHON_SYNTAX_DEPTH) {
      this.skip(
        file,
        'python.tooDeep',
        `This file is nested more than ${MAX_PYTHON_SYNTAX_DEPTH} levels deep (brackets, operators or blocks inside each other), too deep to analyse, so its schema names are not cross-checked. Python itself refuses code nested this deeply ("too many nested parentheses", or a RecursionError when it compiles the module): split the expression up.`,
      );
      this.parses.forget(file);
      return;
    }
    const { moduleName, isPackage } = moduleNameOf(project.srcDir, file);
    const info = summarize(parsed, moduleName, isPackage);
    this.modules.set(file, info);
    this.byModuleName.set(moduleName, info);
    const scope = moduleScope(info);
    this.functions.set(scope.id, scope);
    for (const f of info.functions) this.functions.set(f.id, f);
  }

  private skip(file: string, code: string, message: string): void {
    this.skipped.set(file, { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning', code, message, dvp: false });
  }

  /**
   * Forget a module. An edited module keeps its functions' last results (`keepResults`) until they are
   * analysed again in the next run: its callers then find the return types and attributes they found
   * before, and are not all analysed again first.
   */
  private dropModule(file: string, keepResults = false): void {
    this.skipped.delete(file);
    this.classTable = undefined;
    const info = this.modules.get(file);
    if (!info) return;
    this.modules.delete(file);
    this.moduleProblems.delete(file);
    if (this.byModuleName.get(info.moduleName) === info) this.byModuleName.delete(info.moduleName);
    for (const id of [...this.functions.keys()]) if (id.startsWith(file + '#')) this.functions.delete(id);
    if (!keepResults) for (const id of [...this.results.keys()]) if (id.startsWith(file + '#')) this.results.delete(id);
    for (const id of [...this.cache.keys()]) if (id.startsWith(file + '#')) this.cache.delete(id);
  }

  /**
   * Drop the cached analyses of a changed file. Results of other modules stay cached: each one is
   * re-validated against the module-level names it resolved (its importers see a changed export).
   */
  private invalidateFrom(file: string): void {
    for (const id of [...this.cache.keys()]) if (id.startsWith(file + '#')) this.cache.delete(id);
  }

  /** Whether the attributes and globals named `name` that a result read still give what it found. */
  private readsStill(result: FunctionResult, name: string): boolean {
    const byName = this.readsByName(result).get(name);
    if (!byName) return true;
    for (const [k, m] of byName.members) if (this.memberKey(k, m.receiver, m.name) !== m.type) return false;
    for (const { key, type } of byName.globals) if (typeKey(this.consult(key)) !== type) return false;
    return true;
  }

  /** A result's member and global reads, grouped by the name read (built once per result). */
  private readsByName(result: FunctionResult): Map<string, { members: [string, FunctionResult['consultedMembers'] extends Map<string, infer V> ? V : never][]; globals: { key: ConsultKey; type: string }[] }> {
    let index = this.readIndex.get(result);
    if (!index) {
      index = new Map();
      const entry = (n: string) => {
        let e = index!.get(n);
        if (!e) index!.set(n, (e = { members: [], globals: [] }));
        return e;
      };
      for (const [k, m] of result.consultedMembers) entry(m.name).members.push([k, m]);
      for (const g of result.consultedGlobals.values()) if (g.key[0] === 'global') entry(String(g.key[2])).globals.push(g);
      this.readIndex.set(result, index);
    }
    return index;
  }

  /**
   * The type key of `receiver.name` now, memoised until the member store or the results change
   * (`k` is the consultedMembers key, receiver key and name).
   */
  private memberKey(k: string, receiver: MemberReceiver, name: string): string {
    let v = this.memberKeys.get(k);
    if (v === undefined) {
      v = typeKey(this.world().member(receiver, name).type);
      // A key cut short at the depth limit may stand for several receivers: not shared.
      if (!k.includes('…')) this.memberKeys.set(k, v);
    }
    return v;
  }

  private stillValid(result: FunctionResult): boolean {
    for (const [f, k] of result.consulted) if (typeKey(this.results.get(f)?.returnType) !== k) return false;
    for (const { key, type } of result.consultedGlobals.values()) if (typeKey(this.consult(key)) !== type) return false;
    for (const [k, m] of result.consultedMembers) if (this.memberKey(k, m.receiver, m.name) !== m.type) return false;
    return true;
  }

  private consult(key: ConsultKey): PyType | undefined {
    switch (key[0]) {
      case 'global': {
        const mod = this.modules.get(key[1]);
        return mod ? this.globalType(mod, key[2], 0) : undefined;
      }
      case 'import': {
        const mod = this.modules.get(key[1]);
        const b = mod?.imports.find((i) => i.node.startIndex === key[2] && i.local === key[3]);
        return mod && b ? this.importType(mod, b, 0) : undefined;
      }
      case 'moduleAttr':
        return this.moduleAttribute(key[1], key[2], 0);
    }
  }

  // ---------------------------------------------------------------- resolution

  private absoluteModule(mod: ModuleInfo, module: string, level: number): string {
    if (level === 0) return module;
    const parts = mod.moduleName ? mod.moduleName.split('.') : [];
    if (!mod.isPackage) parts.pop();
    for (let i = 1; i < level; i++) parts.pop();
    return [...parts, ...(module ? module.split('.') : [])].join('.');
  }

  /** A plugin module by dotted name; `dvp build` puts srcDir and every subdirectory on sys.path. */
  findModule(name: string): ModuleInfo | undefined {
    const exact = this.byModuleName.get(name);
    if (exact) return exact;
    let best: ModuleInfo | undefined;
    for (const [n, m] of this.byModuleName) if (n.endsWith('.' + name) && (!best || n.length < best.moduleName.length)) best = m;
    return best;
  }

  private moduleType(name: string): PyType | undefined {
    if (name === 'generated') return { t: 'module', module: 'generated' };
    if (name === 'generated.definitions') return { t: 'genModule' };
    if (SDK_EXPORTS[name]) return { t: 'module', module: name };
    const m = this.findModule(name);
    return m ? { t: 'module', module: m.moduleName } : undefined;
  }

  world(): FlowWorld {
    const project = this.project!;
    const self = this;
    return {
      model: project.model,
      multipleStagedMounts: project.multipleStagedMounts ?? true,
      globalType: (mod, name) => self.globalType(mod, name, 0),
      importType: (mod, b) => self.importType(mod, b, 0),
      moduleAttribute: (module, attr) => self.moduleAttribute(module, attr, 0),
      fn: (id) => self.functions.get(id),
      returnType: (id) => self.results.get(id)?.returnType,
      analysed: (id) => self.results.has(id),
      parentLocals: (fn) => (fn.parent ? self.results.get(fn.parent.id)?.locals : undefined),
      addPropertyFix: (cls, name) => self.addPropertyFix(cls, name),
      member: (receiver, name) =>
        readMember(self.classes(), self.store, receiver, name, (fn) => self.results.get(fn.id)?.returnType, functionType),
    };
  }

  /** The plugin's classes with their bases resolved (rebuilt on each analysis run). */
  classes(): ClassTable {
    if (!this.classTable) {
      const shapesOf = (m: ModuleInfo) => {
        let s = this.shapes.get(m);
        if (!s) this.shapes.set(m, (s = classShapes(m)));
        return s;
      };
      this.classTable = new ClassTable(this.modules.values(), shapesOf, (cls, node) => this.baseType(cls, node));
    }
    return this.classTable;
  }

  /** A base of a class statement: a class of the same module, nested in the same class, or imported. */
  private baseType(cls: ClassInfo, node: SyntaxNode): PyType | undefined {
    const mod = this.modules.get(cls.file);
    if (!mod) return undefined;
    if (node.type === 'identifier') {
      if (cls.outer) {
        const sibling = mod.classes.find((c) => c.outer === cls.outer && c.name === node.text);
        if (sibling) return { t: 'class', cls: sibling.id };
      }
      if (cls.inFunction) {
        const local = mod.classes.find((c) => c.inFunction === cls.inFunction && !c.outer && c.name === node.text && c.node.startIndex < cls.node.startIndex);
        if (local) return { t: 'class', cls: local.id };
      }
      return mod.topBindings.has(node.text) ? this.globalType(mod, node.text, 0) : undefined;
    }
    if (node.type === 'attribute') {
      const obj = field(node, 'object');
      const attr = field(node, 'attribute');
      if (!obj || !attr) return undefined;
      const ot = this.baseType(cls, obj);
      if (ot?.t === 'module') return this.moduleAttribute(ot.module, attr.text, 0);
      if (ot?.t === 'class') {
        const nested = this.classes().shape(ot.cls)?.nested.get(attr.text);
        return nested ? { t: 'class', cls: nested } : undefined;
      }
    }
    return undefined;
  }

  /** Generated classes something gives attributes by a computed name, with the first place that does. */
  private openedClasses(): Map<string, { file: string; range: Range }> {
    const out = new Map<string, { file: string; range: Range }>();
    for (const r of this.results.values()) for (const o of r.opened) if (!out.has(o.cls)) out.set(o.cls, o);
    return out;
  }

  /**
   * A finding of a name absent from a generated class is void when the plugin gives objects of that
   * class attributes by a computed name and spells the name as a string somewhere (`"run_label"`):
   * the name may well be one it sets.
   */
  private voidable(): (a: { cls: string; name: string }) => boolean {
    const opened = this.openedClasses();
    if (opened.size === 0) return () => false;
    const strings = new Set<string>();
    for (const m of this.modules.values()) for (const s of m.stringNames) strings.add(s);
    return (a) => opened.has(a.cls) && strings.has(a.name);
  }

  /** What the last analysis checked and could not check on values from the operations' inputs. */
  coverage(): Coverage {
    this.analyze();
    const out: Coverage = { verified: 0, untraced: [] };
    const opened = this.openedClasses();
    const voidable = this.voidable();
    for (const r of this.results.values()) {
      out.verified += r.verified;
      out.untraced.push(...r.untraced);
      for (const a of r.absent) {
        const o = opened.get(a.cls);
        if (o && voidable(a)) out.untraced.push({ file: a.problem.file, range: a.problem.range, reason: `${a.cls} objects are given attributes by a computed name (${path.basename(o.file)}:${o.range.start.line + 1})` });
      }
    }
    out.untraced.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return out;
  }

  /** A module-level name: what its module-level binding gives, joined with what functions assign through `global`. */
  private globalType(mod: ModuleInfo, name: string, depth: number): PyType | undefined {
    let t = this.moduleLevelType(mod, name, depth);
    if (t?.t === 'literal' && t.what === 'dict') t = this.moduleDict(mod, name) ?? t;
    const assigned = this.store.stored(this.classes(), moduleStateId(mod.file), name);
    return assigned ? joinAll([t, ...assigned], `\`${name}\` is also assigned a value that could not be followed`) : t;
  }

  /** A module-level `{}` that functions fill with `NAME["key"] = value`: a dict of those entries. */
  private moduleDict(mod: ModuleInfo, name: string): PyType | undefined {
    const keys = this.store.keysOf(moduleStateId(mod.file), `${name}[`);
    if (keys.length === 0) return undefined;
    const entries: [string, PyType | undefined][] = keys.map((k) => [k.slice(name.length + 1, -1), joinAll(this.store.stored(this.classes(), moduleStateId(mod.file), k) ?? [])]);
    return { t: 'dict', entries };
  }

  private moduleLevelType(mod: ModuleInfo, name: string, depth: number): PyType | undefined {
    const key = `${mod.file}\0${name}`;
    if (this.globalMemo.has(key)) return this.globalMemo.get(key);
    if (depth > MAX_RESOLVE_DEPTH || this.resolving.has(key)) return undefined;
    this.resolving.add(key);
    let t: PyType | undefined;
    try {
      t = this.computeGlobal(mod, name, depth);
    } finally {
      this.resolving.delete(key);
    }
    this.globalMemo.set(key, t);
    return t;
  }

  private computeGlobal(mod: ModuleInfo, name: string, depth: number): PyType | undefined {
    const binds = mod.topBindings.get(name);
    if (!binds || binds.length !== 1) return undefined;
    const node = binds[0];
    if (node.type === 'function_definition') {
      const fn = mod.topFunctions.get(name);
      return fn ? functionType(fn) : undefined;
    }
    if (node.type === 'class_definition') return { t: 'class', cls: `${mod.file}#${node.startIndex}` };
    if (node.type === 'assignment' && field(node, 'left')?.type === 'identifier') {
      const right = field(node, 'right');
      if (right?.type === 'none') return { t: 'literal', what: 'None' };
      if (right?.type === 'dictionary' && right.namedChildCount === 0) return { t: 'literal', what: 'dict' };
    }
    if (node.type === 'import_statement' || node.type === 'import_from_statement') {
      const b = mod.imports.find((i) => i.local === name && i.node.startIndex === node.startIndex);
      return b ? this.importType(mod, b, depth + 1) : undefined;
    }
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (left?.type !== 'identifier' || !right) return undefined;
      if (right.type === 'identifier') return this.globalType(mod, right.text, depth + 1);
      if (right.type === 'call') {
        const f = field(right, 'function');
        let ft: PyType | undefined;
        if (f?.type === 'identifier') ft = this.globalType(mod, f.text, depth + 1);
        else if (f?.type === 'attribute') {
          const obj = field(f, 'object');
          const attr = field(f, 'attribute');
          const ot = obj?.type === 'identifier' ? this.globalType(mod, obj.text, depth + 1) : undefined;
          if (ot?.t === 'module' && attr) ft = this.moduleAttribute(ot.module, attr.text, depth + 1);
        }
        if (ft?.t === 'sdkClass' && ft.cls === 'Plugin') return { t: 'plugin', id: `${mod.file}#${name}` };
      }
    }
    return undefined;
  }

  private importType(mod: ModuleInfo, b: ImportBinding, depth: number): PyType | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const target = b.target;
    const module = this.absoluteModule(mod, target.module, target.level);
    if (target.kind === 'module') return this.moduleType(module);
    return this.moduleAttribute(module, target.name, depth + 1);
  }

  private moduleAttribute(module: string, attr: string, depth: number): PyType | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    if (module === 'generated') return attr === 'definitions' ? { t: 'genModule' } : undefined;
    if (module === 'generated.definitions') {
      return this.project!.model.byName.has(attr) ? { t: 'modelClass', cls: attr } : undefined;
    }
    if (module === 'dlpx.virtualization') return SDK_EXPORTS[`${module}.${attr}`] ? { t: 'module', module: `${module}.${attr}` } : undefined;
    if (SDK_EXPORTS[module]) return SDK_EXPORTS[module].includes(attr) ? { t: 'sdkClass', cls: attr } : undefined;
    const m = this.findModule(module);
    if (!m) return undefined;
    if (m.topBindings.has(attr)) return this.globalType(m, attr, depth + 1);
    return this.moduleType(`${m.moduleName}.${attr}`);
  }

  // ---------------------------------------------------------------- analysis

  /** Whether the config's entry point names a Plugin() object of the sources (what `dvp build` imports). */
  entryPointStatus(): EntryPointStatus {
    const project = this.project;
    if (!project) return { ok: false, message: 'No plugin project is loaded.' };
    const [moduleName, object] = project.entryPoint.split(':');
    if (!moduleName || !object) return { ok: false, message: `The entry point '${project.entryPoint}' must have the form module:object.` };
    const last = moduleName.split('.').pop()!;
    const mod = this.findModule(last) ?? this.findModule(moduleName);
    if (!mod) return { ok: false, message: `No module '${last}' under ${project.srcDir}: \`dvp build\` fails with "No module named '${last}'".` };
    if (!mod.topBindings.has(object)) {
      return { ok: false, moduleFile: mod.file, message: `Entry point '${project.entryPoint}' does not exist. '${object}' is not a symbol in module '${moduleName}'.` };
    }
    this.globalMemo = new Map();
    const t = this.globalType(mod, object, 0);
    if (t?.t !== 'plugin') {
      return { ok: true, moduleFile: mod.file, message: `'${object}' in ${path.basename(mod.file)} is not recognisably a Plugin() object, so the operation checks cannot tell which operations the plugin implements.` };
    }
    return { ok: true, moduleFile: mod.file };
  }

  private entryPlugin(): string | undefined {
    const project = this.project!;
    const [moduleName, object] = project.entryPoint.split(':');
    if (!moduleName || !object) return undefined;
    // dvp imports only the last dotted component, as a top-level module.
    const mod = this.findModule(moduleName.split('.').pop()!) ?? this.findModule(moduleName);
    if (!mod) return undefined;
    const t = this.globalType(mod, object, 0);
    return t?.t === 'plugin' ? t.id : undefined;
  }

  private allOperations(): OperationImpl[] {
    const out: OperationImpl[] = [];
    for (const mod of this.modules.values()) {
      // Recomputed on every run: the plugin object may come from another module that changed.
      for (const o of findOperations(mod, (name) => this.globalType(mod, name, 0))) out.push(o);
    }
    return out;
  }

  private fallbackType(name: string): PyType | undefined {
    const model = this.project!.model;
    const cls = PARAMETER_TYPES[name];
    if (cls && SDK_CLASSES[cls]) return { t: 'sdk', cls, certain: false, via: name };
    if (cls && model.byName.has(cls)) return { t: 'instance', cls, certain: false, via: name };
    const upgrade = /^old_(\w+)$/.exec(name);
    if (upgrade && UPGRADE_DEFINITIONS[upgrade[1]] && model.byDefinition.has(UPGRADE_DEFINITIONS[upgrade[1]])) {
      return { t: 'migrationDict', definition: UPGRADE_DEFINITIONS[upgrade[1]], certain: false, via: name };
    }
    return undefined;
  }

  private operationInput(op: OperationImpl, fn: FunctionInfo): FunctionInput {
    const project = this.project!;
    const params = new Map<string, PyType | undefined>();
    const spec = op.spec!;
    if (op.group === 'upgrade') {
      const first = fn.params.find((p) => p.kind === 'positional');
      const definition = UPGRADE_DEFINITIONS[op.name];
      if (first && definition && project.model.byDefinition.has(definition)) params.set(first.name, { t: 'migrationDict', definition, certain: true });
      return { params, operation: spec };
    }
    const ownArgs = spec.args[project.pluginType];
    // An operation of the other plugin type is reported on its own; its arguments are still typed.
    const expected = ownArgs ?? Object.values(spec.args)[0] ?? [];
    for (const p of fn.params) {
      if (!expected.includes(p.name)) continue;
      const t = this.fallbackType(p.name);
      if (t && (t.t === 'sdk' || t.t === 'instance')) params.set(p.name, { ...t, certain: true, via: undefined, trace: [p.name] });
    }
    return ownArgs ? { params, operation: spec } : { params };
  }

  private inputFor(fn: FunctionInfo, ops: Map<string, OperationImpl>, incoming: Map<string, Map<string, Map<string, PyType | undefined>[]>>): FunctionInput {
    if (fn.isModule) return { params: new Map() };
    const op = ops.get(fn.id);
    if (op) return this.operationInput(op, fn);
    const params = new Map<string, PyType | undefined>();
    const edges = [...(incoming.get(fn.id)?.values() ?? [])].flat();
    const method = fn.classId ? this.classes().shape(fn.classId)?.methods.get(fn.name) : undefined;
    const selfParam = method && method.fn === fn && method.kind !== 'staticmethod' ? fn.params.find((p) => p.kind === 'positional') : undefined;
    for (const p of fn.params) {
      const seen = edges.filter((e) => e.has(p.name)).map((e) => e.get(p.name));
      // Callers that leave a parameter out give it its default, when that is a literal.
      const byDefault = seen.length < edges.length ? defaultType(p) : undefined;
      if (byDefault) seen.push(byDefault);
      const known = seen.filter((t): t is PyType => t !== undefined);
      if (known.length === 0) {
        // A method nobody is seen calling runs on an instance of its class (or a subclass).
        if (p === selfParam) params.set(p.name, method!.kind === 'classmethod' ? { t: 'class', cls: fn.classId! } : { t: 'object', cls: fn.classId! });
        else params.set(p.name, p.kind === 'positional' || p.kind === 'keywordOnly' ? this.fallbackType(p.name) : undefined);
        continue;
      }
      let t = joinAll(known);
      // `self` is an instance of the method's class, whoever calls it.
      if (p === selfParam && (!t || t.t === 'lost' || known.length < seen.length)) t = { t: 'object', cls: fn.classId! };
      else if (t && known.length < seen.length) t = uncertain(t, p.name);
      // Callers that all pass None leave the parameter's use to callers not written yet: assume it from its name.
      if (t?.t === 'literal' && t.what === 'None' && p !== selfParam) t = joinTypes(t, this.fallbackType(p.name));
      params.set(p.name, t);
    }
    return { params };
  }

  private inputKey(fn: FunctionInfo, input: FunctionInput): string {
    let key = [...input.params].map(([n, t]) => `${n}=${typeKey(t)}`).join(',');
    if (input.operation) key += `|op:${input.operation.id}`;
    if (fn.parent) {
      const locals = this.results.get(fn.parent.id)?.locals;
      key += '|parent:' + (locals ? [...locals].map(([n, t]) => `${n}=${typeKey(t)}`).join(',') : '');
    }
    return key;
  }

  lastRunStats(): AnalysisStats {
    return { ...this.stats };
  }

  private analyze(): void {
    if (!this.dirty || !this.project) return;
    this.dirty = false;
    const started = Date.now();
    const stats: AnalysisStats = { functions: this.functions.size, analysed: 0, reused: 0, ms: 0 };
    this.globalMemo = new Map();
    this.classTable = undefined;
    this.memberKeys = new Map();
    // What the last run's results assign stays in force until each function is analysed again.
    // Kept across edits of a module (its functions keep their ids when the text before them is unchanged),
    // so the readers of what an edited module assigns do not all run again before it is re-analysed.
    this.store = new MemberStore();
    for (const [id, w] of this.lastWrites) {
      if (this.functions.has(id)) this.store.set(id, w.writes, w.untyped);
      else this.lastWrites.delete(id);
    }
    const readers = new Map<string, Set<string>>();
    const world = this.world();
    const allOps = this.allOperations();
    const entry = this.entryPlugin();
    const ops = new Map<string, OperationImpl>();
    for (const o of allOps) if (o.spec && (entry === undefined || o.plugin === entry) && !ops.has(o.fn.id)) ops.set(o.fn.id, o);

    // caller -> callee -> argument maps; rebuilt as callers are (re)analysed.
    const incoming = new Map<string, Map<string, Map<string, PyType | undefined>[]>>();
    const outgoing = new Map<string, Set<string>>();
    const callersOf = (id: string) => [...(incoming.get(id)?.keys() ?? [])];
    const children = new Map<string, string[]>();
    for (const fn of this.functions.values()) {
      if (fn.parent) children.set(fn.parent.id, [...(children.get(fn.parent.id) ?? []), fn.id]);
    }
    // Module code and operations first; the functions they call are queued as their calls are met, so
    // a helper is first analysed with its callers' arguments (breadth first from the operations). The
    // functions nothing reached come last.
    const order = [...this.functions.values()].sort((a, b) => rank(a, ops) - rank(b, ops));
    const queue: string[] = order.filter((f) => rank(f, ops) <= 1).map((f) => f.id);
    const queued = new Set(queue);
    const runs = new Map<string, number>();
    const deferred = new Set<string>();
    let rest = false;
    // A function's input, kept until its incoming calls change (a helper called from hundreds of places
    // would otherwise join all their arguments again after each caller).
    const inputs = new Map<string, FunctionInput>();
    const inputOf = (f: FunctionInfo) => {
      let input = inputs.get(f.id);
      if (!input) inputs.set(f.id, (input = this.inputFor(f, ops, incoming)));
      return input;
    };
    for (let head = 0; head < queue.length || !rest; head++) {
      if (head >= queue.length) {
        rest = true;
        for (const f of order) if (!runs.has(f.id) && !queued.has(f.id)) {
          queue.push(f.id);
          queued.add(f.id);
        }
        if (head >= queue.length) break;
      }
      const id = queue[head];
      queued.delete(id);
      const fn = this.functions.get(id);
      const mod = fn ? this.modules.get(fn.file) : undefined;
      if (!fn || !mod) continue;
      // A function whose callers of the last run are still to come waits for them once: analysed
      // before them, it would see no arguments and miss its cache.
      if (!runs.has(id) && !deferred.has(id) && [...(this.lastCallers.get(id) ?? [])].some((c) => !runs.has(c) && this.functions.has(c))) {
        deferred.add(id);
        queued.add(id);
        queue.push(id);
        continue;
      }
      const n = (runs.get(id) ?? 0) + 1;
      runs.set(id, n);
      if (n > MAX_ITERATIONS_PER_FUNCTION) continue;
      const input = inputOf(fn);
      const key = this.inputKey(fn, input);
      const cached = this.cache.get(id);
      let result: FunctionResult;
      if (cached && cached.key === key && this.stillValid(cached.result)) {
        result = cached.result;
        stats.reused++;
      } else {
        result = analyzeFunction(world, mod, fn, input);
        stats.analysed++;
        this.cache.set(id, { key, result });
      }
      const previous = this.results.get(id);
      this.results.set(id, result);
      const returnChanged = !previous || typeKey(previous.returnType) !== typeKey(result.returnType);
      // What a member read gives depends on the stored attributes and on the return types (properties).
      if (returnChanged) this.memberKeys.clear();
      for (const name of this.readsByName(result).keys()) {
        const set = readers.get(name) ?? new Set();
        set.add(id);
        readers.set(name, set);
      }
      const changedAttributes = this.store.set(id, result.writes, result.untypedWrites);
      if (changedAttributes.size > 0) this.memberKeys.clear();
      this.lastWrites.set(id, { writes: result.writes, untyped: result.untypedWrites });

      const touched = new Set<string>();
      for (const callee of outgoing.get(id) ?? []) {
        incoming.get(callee)?.delete(id);
        inputs.delete(callee);
        touched.add(callee);
      }
      outgoing.set(id, new Set(result.calls.map((c) => c.callee)));
      for (const edge of result.calls) {
        const m = incoming.get(edge.callee) ?? new Map();
        m.set(id, [...(m.get(id) ?? []), edge.args]);
        incoming.set(edge.callee, m);
        inputs.delete(edge.callee);
        touched.add(edge.callee);
      }
      const enqueue = (x: string) => {
        if (!queued.has(x)) {
          queued.add(x);
          queue.push(x);
        }
      };
      for (const callee of touched) {
        const cf = this.functions.get(callee);
        if (!cf) continue;
        const before = this.results.get(callee) ? this.cache.get(callee)?.key : undefined;
        if (before === undefined || before !== this.inputKey(cf, inputOf(cf))) enqueue(callee);
      }
      if (returnChanged) for (const c of callersOf(id)) enqueue(c);
      if (previous !== result) for (const c of children.get(id) ?? []) if (this.results.has(c)) enqueue(c);
      // Readers of a changed attribute run again only when what they read changed.
      for (const name of changedAttributes) {
        for (const r of readers.get(name.split('[')[0]) ?? []) {
          if (queued.has(r)) continue;
          const rr = this.results.get(r);
          if (!rr || !this.readsStill(rr, name.split('[')[0])) enqueue(r);
        }
      }
    }

    this.lastCallers = new Map([...incoming].map(([callee, callers]) => [callee, new Set(callers.keys())]));
    this.collectProblems(allOps, entry);
    stats.ms = Date.now() - started;
    this.stats = stats;
  }

  private collectProblems(allOps: OperationImpl[], entry: string | undefined): void {
    const project = this.project!;
    const byFile = new Map<string, Problem[]>();
    const add = (p: Problem) => {
      const list = byFile.get(p.file) ?? [];
      list.push(p);
      byFile.set(p.file, list);
    };
    for (const file of this.modules.keys()) byFile.set(file, []);
    for (const p of this.skipped.values()) byFile.set(p.file, [p]);
    if (this.srcDirProblem) add(this.srcDirProblem);
    const voidable = this.voidable();
    for (const r of this.results.values()) {
      const voided = new Set(r.absent.filter(voidable).map((a) => a.problem));
      for (const p of r.problems) if (!voided.has(p)) add(p);
    }
    for (const mod of this.modules.values()) {
      let own = this.moduleProblems.get(mod.file);
      if (!own) {
        own = [...this.checkImports(mod), ...syntaxProblems(mod), ...undefinedNames(mod)];
        this.moduleProblems.set(mod.file, own);
      }
      own.forEach(add);
    }
    let entryAssignment: { file: string; range: Range } | undefined;
    if (entry) {
      const [file, name] = [entry.slice(0, entry.lastIndexOf('#')), entry.slice(entry.lastIndexOf('#') + 1)];
      const mod = this.modules.get(file);
      const node = mod?.topBindings.get(name)?.[0];
      if (mod && node) entryAssignment = { file, range: rangeOf(mod.lines, node) };
    }
    checkOperations({ ops: allOps, pluginType: project.pluginType, entryPlugin: entry, entryAssignment, module: (f) => this.modules.get(f) }).forEach(add);
    for (const list of byFile.values()) list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
    this.fileProblems = byFile;
  }

  /** `from generated.definitions import X`: X must be a class codegen makes from the schema. */
  private checkImports(mod: ModuleInfo): Problem[] {
    const model = this.project!.model;
    if (model.classes.length === 0) return [];
    const out: Problem[] = [];
    for (const b of mod.imports) {
      if (b.target.kind !== 'name') continue;
      const module = this.absoluteModule(mod, b.target.module, b.target.level);
      if (module !== 'generated.definitions') continue;
      const name = b.target.name;
      if (model.byName.has(name) || name === 'GeneratedClassesError' || name === 'GeneratedClassesTypeError') continue;
      const s = closestNames(name, model.classes.map((c) => c.name));
      const range = rangeOf(mod.lines, b.nameNode);
      out.push({
        file: mod.file, range, severity: 'error', code: 'python.import.unknown', dvp: false,
        message: `cannot import name '${name}' from generated.definitions: the schema gives no class of that name, so importing this module raises ImportError.${s.length > 0 ? ` Did you mean \`${s[0].name}\`?` : ''}`,
        ...(s.length > 0 ? { data: { fixes: s.map((x, i) => ({ title: `Change to \`${x.name}\``, edits: [{ file: mod.file, range, newText: x.name }], ...(i === 0 && clearlyBest(s) ? { preferred: true } : {}) })) } } : {}),
      });
    }
    return out;
  }

  /** The quick fix adding a property the code uses to the class's schema object. */
  addPropertyFix(cls: GeneratedClass, pythonName: string): Fix | undefined {
    if (!this.schema) return undefined;
    const style = cls.properties.find((p) => p.key !== p.pythonName)?.key ?? cls.properties[0]?.key;
    const key = keyForPythonName(pythonName, style);
    if (!key || cls.properties.some((p) => p.key === key)) return undefined;
    const edit = this.schema.addPropertyEdit(cls, key);
    if (!edit) return undefined;
    return { title: `Add property \`${key}\` to ${cls.path.filter((p) => p !== 'properties').join('.')} in schema.json`, edits: [edit] };
  }

  /** The imports of generated class names (for hover and definition on them). */
  generatedImports(mod: ModuleInfo): { binding: ImportBinding; cls?: GeneratedClass }[] {
    const out: { binding: ImportBinding; cls?: GeneratedClass }[] = [];
    for (const b of mod.imports) {
      if (b.target.kind !== 'name') continue;
      if (this.absoluteModule(mod, b.target.module, b.target.level) !== 'generated.definitions') continue;
      out.push({ binding: b, cls: this.project?.model.byName.get(b.target.name) });
    }
    return out;
  }
}

/** Where tree-sitter had to recover: `dvp build` fails on a SyntaxError when it imports the module. */
function syntaxProblems(mod: ModuleInfo): Problem[] {
  const root = mod.parsed.root;
  if (!root.hasError) return [];
  const out: Problem[] = [];
  const walk = (n: SyntaxNode) => {
    if (out.length >= 5) return;
    if (n.isMissing) {
      out.push({ file: mod.file, range: rangeOf(mod.lines, n), severity: 'error', code: 'python.syntax', dvp: true, message: `Syntax error: \`${n.type}\` expected here. Python raises SyntaxError when the module is imported (dvp build fails); checks continue on the parts that parse.` });
      return;
    }
    if (n.type === 'ERROR') {
      const text = n.text.split(/\r?\n/)[0].slice(0, 40);
      const start = mod.lines.positionAt(n.startIndex);
      const end = mod.lines.positionAt(Math.min(n.endIndex, mod.lines.offsetAt({ line: start.line + 1, character: 0 }) - 1));
      out.push({ file: mod.file, range: { start, end: end.line === start.line ? end : { line: start.line, character: mod.lines.lineText(start.line).length } }, severity: 'error', code: 'python.syntax', dvp: true, message: `Syntax error near \`${text}\`. Python raises SyntaxError when the module is imported (dvp build fails); checks continue on the parts that parse.` });
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) if (c) walk(c);
  };
  walk(root);
  return out;
}

const DEFAULT_LITERALS: Record<string, PyType> = {
  none: { t: 'literal', what: 'None' },
  integer: { t: 'literal', what: 'int' },
  float: { t: 'literal', what: 'float' },
  string: { t: 'literal', what: 'str' },
  true: { t: 'literal', what: 'bool' },
  false: { t: 'literal', what: 'bool' },
};

function defaultType(p: FunctionInfo['params'][number]): PyType | undefined {
  const parent = p.node.parent;
  if (parent?.type !== 'default_parameter' && parent?.type !== 'typed_default_parameter') return undefined;
  const value = field(parent, 'value');
  return value ? DEFAULT_LITERALS[value.type] : undefined;
}

/** The pseudo-class whose attributes are a module's globals assigned from functions (`global X`). */
export function moduleStateId(file: string): string {
  return `${file}#module`;
}

function rank(fn: FunctionInfo, ops: Map<string, OperationImpl>): number {
  if (fn.isModule) return 0;
  if (ops.has(fn.id)) return 1;
  if (fn.parent) return 3;
  return 2;
}

/**
 * The depth and node count of a syntax tree, walked without recursion; stops once either passes its
 * limit (the figure returned then only says "more than the limit").
 */
export function syntaxShape(root: SyntaxNode, depthLimit: number, nodeLimit: number): { depth: number; nodes: number } {
  const cursor = root.walk();
  let depth = 0;
  let max = 0;
  let nodes = 1;
  try {
    for (;;) {
      if (cursor.gotoFirstChild()) {
        depth++;
        nodes++;
        if (depth > max) max = depth;
        if (max > depthLimit || nodes > nodeLimit) return { depth: max, nodes };
        continue;
      }
      for (;;) {
        if (cursor.gotoNextSibling()) {
          nodes++;
          if (nodes > nodeLimit) return { depth: max, nodes };
          break;
        }
        if (!cursor.gotoParent()) return { depth: max, nodes };
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}
