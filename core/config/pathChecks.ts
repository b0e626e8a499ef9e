// The on-disk checks `dvp build` makes once the config is valid (sdk-spec §1.3, file_util.get_src_dir_path,
// plugin_util.get_schema_file_path), and where the entry module is (sdk-spec §4.8). Files are read through
// the FileSource, so an unsaved editor buffer counts as an existing file.

import * as os from 'os';
import * as path from 'path';
import type { FileSource } from '../files';
import type { SdkVersion } from '../sdk/versions';
import type { Fix, Problem, Range } from '../types';
import { closestMatch } from './closestMatch';
import { replaceFix, rewriteValue } from './configEdits';
import { configProblem, type ProblemOptions } from './configProblem';
import type { ConfigYaml, YamlEntry } from './configYaml';
import { stdlibModules } from './pythonStdlib';

export interface PathContext {
  file: string;
  root: string;
  yaml: ConfigYaml;
  files: FileSource;
  sdk: SdkVersion;
}

export interface ResolvedPaths {
  srcDirPath?: string;
  schemaFilePath?: string;
  entryModulePath?: string;
}

/** How far the search for an entry module found only by dvp's sys.path walk goes. */
const MAX_WALKED_DIRS = 2000;

export function checkPaths(ctx: PathContext): { problems: Problem[]; paths: ResolvedPaths } {
  const problems: Problem[] = [];
  const paths: ResolvedPaths = {};
  const schema = stringEntry(ctx.yaml, 'schemaFile');
  if (schema) checkSchemaFile(ctx, schema, problems, paths);
  const src = stringEntry(ctx.yaml, 'srcDir');
  // dvp stops at a bad srcDir before it imports anything, so the module is looked for only in a good one.
  const srcOk = src ? checkSrcDir(ctx, src, problems, paths) : false;
  const entry = stringEntry(ctx.yaml, 'entryPoint');
  if (entry && /^[^:]+:[^:]+$/.test(entry.value)) checkEntryModule(ctx, entry, srcOk ? paths.srcDirPath : undefined, problems, paths);
  return { problems, paths };
}

interface StringEntry {
  entry: YamlEntry;
  value: string;
}

function stringEntry(yaml: ConfigYaml, key: string): StringEntry | undefined {
  const e = yaml.byKey.get(key);
  return e && e.value.value.kind === 'string' ? { entry: e, value: e.value.value.value } : undefined;
}

function problem(ctx: PathContext, range: Range, code: string, message: string, opts: ProblemOptions = {}): Problem {
  return configProblem(ctx.file, range, code, message, opts);
}

/** A path value written back in the quoting style of the original. */
function writeValue(s: StringEntry, newValue: string): string {
  return rewriteValue(s.entry.value, newValue);
}

/** Relative path for messages: short when inside the plugin, absolute otherwise. */
function shown(ctx: PathContext, p: string): string {
  const rel = path.relative(ctx.root, p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

// ------------------------------------------------------------------------------------------- schemaFile

function checkSchemaFile(ctx: PathContext, s: StringEntry, problems: Problem[], paths: ResolvedPaths): void {
  // dvp joins a relative path to the config's directory and does not expand `~` here.
  const joined = path.isAbsolute(s.value) ? s.value : path.join(ctx.root, s.value);
  const abs = path.normalize(joined);
  const kind = ctx.files.stat(abs);
  const range = s.entry.value.range;
  if (kind === 'file') {
    paths.schemaFilePath = path.resolve(abs);
    return;
  }
  if (kind === 'dir') {
    const dvpMessage = `The path '${joined}' should be a file but is not.`;
    problems.push(problem(ctx, range, 'config.path', `\`schemaFile\` names the directory ${shown(ctx, abs)}, not a file (dvp build: "${dvpMessage}").`, { dvpMessage }));
    return;
  }
  const dvpMessage = `The path '${joined}' does not exist.`;
  const dir = path.dirname(abs);
  const jsons = ctx.files.list(dir).filter((n) => n.toLowerCase().endsWith('.json') && ctx.files.stat(path.join(dir, n)) === 'file');
  const near = closestMatch(path.basename(abs), jsons) ?? (jsons.length === 1 ? jsons[0] : undefined);
  const fixes: Fix[] = [];
  let advice = 'Create it or correct the path.';
  if (near) {
    const replacement = path.isAbsolute(s.value) ? path.join(dir, near) : toPosix(path.relative(ctx.root, path.join(dir, near)));
    advice = `Did you mean \`${replacement}\`?`;
    fixes.push(replaceFix(ctx.file, `Change to ${replacement}`, range, writeValue(s, replacement), true));
  }
  problems.push(problem(ctx, range, 'config.path', `Schema file ${shown(ctx, abs)} does not exist (dvp build: "${dvpMessage}"). ${advice}`, { dvpMessage, fixes }));
}

// ---------------------------------------------------------------------------------------------- srcDir

function expandUser(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}

/** Reports what dvp would reject in srcDir; true when dvp accepts it. */
function checkSrcDir(ctx: PathContext, s: StringEntry, problems: Problem[], paths: ResolvedPaths): boolean {
  const range = s.entry.value.range;
  const expanded = expandUser(s.value);
  const root = path.resolve(ctx.root);
  if (path.isAbsolute(expanded)) {
    const dvpMessage = `The path '${expanded}' should be a relative path, but is not.`;
    const rel = path.relative(root, expanded);
    const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    const fixes = inside ? [replaceFix(ctx.file, `Change to ${toPosix(rel)}`, range, writeValue(s, toPosix(rel)), true)] : [];
    problems.push(
      problem(ctx, range, 'config.path', `'srcDir' must be relative to the plugin folder${inside ? `: write '${toPosix(rel)}'` : ''}.`, {
        detail: `The SDK documentation says absolute paths are allowed, but dvp build says: "${dvpMessage}".`,
        dvpMessage,
        fixes,
      }),
    );
    if (ctx.files.stat(expanded) === 'dir') paths.srcDirPath = path.resolve(expanded);
    return false;
  }
  const abs = path.resolve(root, expanded);
  const kind = ctx.files.stat(abs);
  if (kind === undefined) {
    const dvpMessage = `The path '${abs}' does not exist.`;
    const parent = path.dirname(abs);
    const dirs = ctx.files.list(parent).filter((n) => !n.startsWith('.') && ctx.files.stat(path.join(parent, n)) === 'dir');
    const near = closestMatch(path.basename(abs), dirs);
    const fixes: Fix[] = [];
    let advice = 'Create the directory or correct the path.';
    if (near) {
      const replacement = toPosix(path.relative(root, path.join(parent, near)));
      advice = `Did you mean \`${replacement}\`?`;
      fixes.push(replaceFix(ctx.file, `Change to ${replacement}`, range, writeValue(s, replacement), true));
    }
    problems.push(problem(ctx, range, 'config.path', `Source directory ${shown(ctx, abs)} does not exist (dvp build: "${dvpMessage}"). ${advice}`, { dvpMessage, fixes }));
    return false;
  }
  if (kind === 'file') {
    const dvpMessage = `The path '${abs}' should be a directory but is not.`;
    problems.push(problem(ctx, range, 'config.path', `\`srcDir\` names the file ${shown(ctx, abs)}; it must be the directory of the plugin's Python code (dvp build: "${dvpMessage}").`, { dvpMessage }));
    return false;
  }
  paths.srcDirPath = abs;
  // dvp compares plain strings: a sibling folder whose name starts with the root's passes its check.
  if (!abs.startsWith(root) || abs === root) {
    const dvpMessage = `The src directory ${abs} is not a subdirectory of the plugin root at ${root}`;
    const what = abs === root ? 'is the plugin folder itself' : 'is outside the plugin folder';
    problems.push(
      problem(ctx, range, 'config.path', `\`srcDir\` ${what}; it must be a subdirectory of it, such as \`src\` (dvp build: "${dvpMessage}").`, { dvpMessage }),
    );
    return false;
  }
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    problems.push(
      problem(ctx, range, 'config.path', `\`srcDir\` is outside the plugin folder (${abs}). dvp build lets it pass only because the folder's name starts like the plugin folder's; keep the code inside the plugin folder.`, {
        severity: 'warning',
        dvp: false,
      }),
    );
  }
  return true;
}

// ---------------------------------------------------------------------------------------- entry module

function checkEntryModule(ctx: PathContext, s: StringEntry, srcDir: string | undefined, problems: Problem[], paths: ResolvedPaths): void {
  const [module, object] = s.value.split(':');
  const node = s.entry.value;
  // Point at the module or object part of the value when it is written verbatim.
  const at = node.text.indexOf(s.value);
  const partRange = (offset: number, length: number): Range =>
    at >= 0 ? ctx.yaml.lines.range(node.start + at + offset, node.start + at + offset + length) : node.range;
  const moduleRange = partRange(0, module.length);
  const objectRange = partRange(module.length + 1, object.length);
  const parts = module.split('.');
  const last = parts[parts.length - 1];
  const writeModule = (m: string) => writeValue(s, `${m}:${object}`);

  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(object)) {
    const dvpMessage = `Entry point '${module}:${object}' does not exist. '${object}' is not a symbol in module '${module}'.`;
    problems.push(
      problem(ctx, objectRange, 'config.entryObject', `\`${object}\` is not a Python identifier, so module \`${module}\` cannot define it: name the object of \`Plugin()\` here, e.g. \`${module}:plugin\`.`, {
        dvpMessage,
      }),
    );
  }
  if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    const empty = last === '';
    problems.push(
      problem(ctx, moduleRange, 'config.entryModule', `\`${module}\` is not a Python module name: write dot-separated identifiers such as \`plugin_runner\` or \`pkg.plugin_runner\`.`, {
        severity: empty ? 'error' : 'warning',
        dvp: empty,
      }),
    );
    if (parts.some((p) => p === '')) return;
  }

  const stdlib = stdlibModules(ctx.sdk.python);
  if (stdlib.has(last)) {
    problems.push(
      problem(
        ctx,
        moduleRange,
        'config.entryModule.shadowsStdlib',
        `The entry module \`${last}\` has the name of a Python ${ctx.sdk.python} standard-library module. dvp build imports only \`${last}\`, from paths it appends after the standard library's, so it gets Python's module instead of yours and the entry point is not found. Rename the module, e.g. \`${last}_plugin\`.`,
        { severity: 'warning', dvp: true, dvpMessage: `Entry point '${module}:${object}' does not exist. '${object}' is not a symbol in module '${module}'.` },
      ),
    );
  }

  if (!srcDir) return;
  const expected = path.join(srcDir, ...parts);
  for (const candidate of [`${expected}.py`, path.join(expected, '__init__.py')]) {
    if (ctx.files.stat(candidate) === 'file') {
      paths.entryModulePath = candidate;
      return;
    }
  }

  const relExpected = toPosix(path.relative(srcDir, expected));
  const walked = findByWalk(ctx.files, srcDir, last);
  if (walked) {
    paths.entryModulePath = walked;
    const rel = path.relative(srcDir, walked);
    const dotted = toPosix(rel).replace(/\/__init__\.py$/, '').replace(/\.py$/, '').split('/').join('.');
    problems.push(
      problem(
        ctx,
        moduleRange,
        'config.entryModule',
        `\`${module}\` is not at ${relExpected}.py under srcDir; dvp build still finds ${toPosix(rel)} because it puts every folder under srcDir on the import path, but importing \`${module}\` from srcDir fails. Write \`${dotted}:${object}\`.`,
        { severity: 'warning', dvp: false, fixes: [replaceFix(ctx.file, `Change to ${dotted}:${object}`, node.range, writeModule(dotted), true)] },
      ),
    );
    return;
  }

  const parentDir = path.dirname(expected);
  const modules = ctx.files
    .list(parentDir)
    .filter((n) => n.endsWith('.py') && n !== '__init__.py')
    .map((n) => n.slice(0, -3));
  const near = closestMatch(last, modules);
  const fixes: Fix[] = [];
  let advice = `Create ${relExpected}.py in srcDir or correct the module.`;
  if (near) {
    const replacement = [...parts.slice(0, -1), near].join('.');
    advice = `Did you mean \`${replacement}\`?`;
    fixes.push(replaceFix(ctx.file, `Change to ${replacement}:${object}`, node.range, writeModule(replacement), true));
  }
  const dvpMessage = `No module named '${last}'`;
  problems.push(
    problem(ctx, moduleRange, 'config.entryModule', `Entry module \`${module}\` not found: there is no ${relExpected}.py or ${relExpected}/__init__.py in srcDir (${shown(ctx, srcDir)}), so dvp build fails to import it. ${advice}`, {
      dvpMessage,
      fixes,
    }),
  );
}

/** Where dvp's import finds `name` when it walks every folder under srcDir (srcDir itself first). */
function findByWalk(files: FileSource, srcDir: string, name: string): string | undefined {
  const queue = [srcDir];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_WALKED_DIRS) {
    const dir = queue.shift()!;
    seen++;
    const entries = files.list(dir).sort();
    if (entries.includes(`${name}.py`) && files.stat(path.join(dir, `${name}.py`)) === 'file') return path.join(dir, `${name}.py`);
    if (entries.includes(name) && files.stat(path.join(dir, name, '__init__.py')) === 'file') return path.join(dir, name, '__init__.py');
    for (const e of entries) {
      if (e === '__pycache__' || e.startsWith('.')) continue;
      const child = path.join(dir, e);
      if (files.stat(child) === 'dir') queue.push(child);
    }
  }
  return undefined;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
