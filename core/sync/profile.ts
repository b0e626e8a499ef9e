// Sync profiles: what a simulated sync runs against. A profile is a JSON file in the plugin's workspace
// (`<pluginRoot>/.delphix/sync/<name>.json`) that names the staging and source environments and holds
// the values the engine would hold (repository, source config, linked source parameters, snapshot
// parameters). Loading checks its structure (profileSchema.ts) and its values against the plugin's own
// schema.json, and every problem points into the profile file.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { boundedRegExp, takeTimedOutPatterns } from '../boundedRegExp';
import { shapeProblem } from '../messages';
import { LineIndex } from '../text';
import type { Problem, Range, TextEdit } from '../types';
import { MAX_ANALYSED_FILE_BYTES, readTextWithin, type FileSource } from '../files';
import { jsonTooDeepAt, tooDeepDetail, tooDeepMessage } from '../jsonDepth';
import validateProfileStructure from './generated/profileValidator';
import { schemaForValues } from './valuesSchema';
import { DISCOVERED_KEY, resolveDiscovered } from '../lifecycle/discoveredPick';

export interface LocalEnvironment {
  type: 'local';
  aliases?: string[];
}

export interface SshEnvironment {
  type: 'ssh';
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  knownHostsFile?: string;
  strictHostKeyChecking?: 'yes' | 'accept-new' | 'no';
  scratchPath?: string;
}

export type ProfileEnvironment = LocalEnvironment | SshEnvironment;

export interface SyncProfile {
  description?: string;
  /** `target`: where VDBs live (default: the staging environment). */
  environments: { staging: ProfileEnvironment; source: ProfileEnvironment; target?: ProfileEnvironment };
  repository: Record<string, unknown>;
  sourceConfig: Record<string, unknown>;
  linkedSource: Record<string, unknown>;
  snapshotParameters?: Record<string, unknown>;
  /** The parameters a VDB provisioned from this profile's dSource gets. */
  virtualSource?: Record<string, unknown>;
  sourceFolder?: string;
  timeouts?: { operationSeconds?: number; totalSeconds?: number };
  python?: string;
}

export interface LoadedProfile {
  name: string;
  file: string;
  /** The profile with `${pluginRoot}` / `${sandbox}` expanded and file paths made absolute; set when it has no errors. */
  profile?: SyncProfile;
  problems: Problem[];
}

export interface ProfileContext {
  pluginRoot: string;
  /** The sandbox folder of this profile (the value of `${sandbox}`). */
  sandbox: string;
  /** The plugin's parsed schema.json, when it parsed; values are checked against its definitions. */
  pluginSchema?: unknown;
}

export const PROFILE_DIR = path.join('.delphix', 'sync');
export const DEFAULT_PROFILE = 'local';

/** Which plugin definition each profile section is checked against. */
export const PROFILE_SECTIONS: { key: keyof SyncProfile; definition: string }[] = [
  { key: 'repository', definition: 'repositoryDefinition' },
  { key: 'sourceConfig', definition: 'sourceConfigDefinition' },
  { key: 'linkedSource', definition: 'linkedSourceDefinition' },
  { key: 'snapshotParameters', definition: 'snapshotParametersDefinition' },
  { key: 'virtualSource', definition: 'virtualSourceDefinition' },
];

export function profileFile(pluginRoot: string, name: string): string {
  return path.join(pluginRoot, PROFILE_DIR, `${name}.json`);
}

/** Profile names found in the plugin's `.delphix/sync` folder, sorted. */
export function listProfiles(pluginRoot: string): string[] {
  try {
    return fs
      .readdirSync(path.join(pluginRoot, PROFILE_DIR))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** A profile name must be a plain file name: it also names the sandbox folder. */
export function profileNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    return `"${name}" is not a usable profile name: use letters, digits, ".", "_" and "-", starting with a letter or digit.`;
  }
  return undefined;
}

export function loadProfile(name: string, ctx: ProfileContext): LoadedProfile {
  const file = profileFile(ctx.pluginRoot, name);
  const nameProblem = profileNameProblem(name);
  if (nameProblem) return { name, file, problems: [fileProblem(file, 'sync.profile.name', nameProblem)] };
  let text: string;
  const read = readTextWithin(file, MAX_ANALYSED_FILE_BYTES);
  if (read.ok) text = read.text;
  else if (read.reason === 'tooLarge') return { name, file, problems: [fileProblem(file, 'file.tooLarge', read.message)] };
  else {
    const known = listProfiles(ctx.pluginRoot);
    const hint = known.length > 0 ? ` Profiles of this plugin: ${known.join(', ')}.` : ` Create ${path.join(PROFILE_DIR, `${name}.json`)} in the plugin folder.`;
    return { name, file, problems: [fileProblem(file, 'sync.profile.missing', `There is no sync profile "${name}" (${file}).${hint}`)] };
  }
  return { name, file, ...checkProfileText(file, text, ctx) };
}

// Generated at development time from SYNC_PROFILE_SCHEMA (profileValidatorSource.ts), not compiled here.
const structureValidator = (): ValidateFunction => validateProfileStructure as unknown as ValidateFunction;

/** Checks a profile's text; the editor calls this for unsaved buffers too. Never throws. */
export function checkProfileText(file: string, text: string, ctx: ProfileContext): { profile?: SyncProfile; problems: Problem[] } {
  const r = checkProfileTextRaw(file, text, ctx);
  r.problems.forEach(shapeProblem);
  return r;
}

function checkProfileTextRaw(file: string, text: string, ctx: ProfileContext): { profile?: SyncProfile; problems: Problem[] } {
  const index = new LineIndex(text);
  // The check's depth limit: the JSON parser recurses per level.
  const deep = jsonTooDeepAt(text);
  if (deep !== undefined) return { problems: [{ ...fileProblem(file, 'sync.profile.tooDeep', tooDeepMessage(undefined, 'profile')), detail: tooDeepDetail('profile'), range: index.range(deep, deep + 1) }] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: Problem[] = errors.map((e) => ({
    file,
    range: index.range(e.offset, e.offset + Math.max(1, e.length)),
    severity: 'error',
    code: 'sync.profile.json',
    message: `The profile is not valid JSON: ${describeParseError(printParseErrorCode(e.error))}.`,
    dvp: false,
  }));
  if (!root || problems.length > 0) {
    if (problems.length === 0) problems.push(fileProblem(file, 'sync.profile.json', 'The profile is empty: it must be a JSON object.'));
    return { problems };
  }
  const value = nodeValue(root);
  const validate = structureValidator();
  if (!validate(value)) {
    for (const e of relevantErrors(validate.errors ?? [])) problems.push(ajvProblem(file, index, root, e, [], 'sync.profile.structure', 'the sync profile'));
  }
  if (problems.length > 0) return { problems: dedupe(problems) };

  const vars = { pluginRoot: ctx.pluginRoot, sandbox: ctx.sandbox };
  const profile = expandStrings(value, vars) as SyncProfile;
  for (const pick of resolveDiscovered(profile as unknown as Record<string, unknown>, ctx.sandbox, ctx.pluginSchema)) {
    problems.push({ file, range: keyRange(index, root, [pick.key, DISCOVERED_KEY]), severity: 'error', code: 'sync.profile.discovered', message: pick.message, dvp: false });
  }
  if (problems.length > 0) return { problems: dedupe(problems) };
  // A loop, not push(...list): a schema with 100,000s of required properties overflows the call stack.
  for (const p of checkAgainstPluginSchema(file, index, root, profile, ctx.pluginSchema)) problems.push(p);
  if (problems.some((p) => p.severity === 'error')) return { problems: dedupe(problems) };
  resolveEnvironmentPaths(profile, ctx.pluginRoot);
  return { profile, problems: dedupe(problems) };
}

function checkAgainstPluginSchema(file: string, index: LineIndex, root: Node, profile: SyncProfile, pluginSchema: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isObject(pluginSchema)) return problems;
  const ajv = pluginAjv();
  for (const { key, definition } of PROFILE_SECTIONS) {
    const schema = pluginSchema[definition];
    const values = profile[key];
    if (values === undefined || !isObject(schema)) continue;
    let valid: boolean;
    let validate: ValidateFunction;
    try {
      validate = compiledFor(ajv, schemaForValues(schema, values));
      takeTimedOutPatterns();
      valid = validate(values);
    } catch (e) {
      problems.push({
        file,
        range: keyRange(index, root, [key]),
        severity: 'warning',
        code: 'sync.profile.schemaUnusable',
        message: `The values cannot be checked: ${definition} of schema.json is not a usable JSON Schema (${e instanceof Error ? e.message : String(e)}).`,
        dvp: false,
      });
      continue;
    }
    if (!valid) {
      for (const e of relevantErrors(validate.errors ?? [])) {
        // A name schema.json's `required` lists but does not define is the schema's mistake, reported there
        // (schema.required.unknown): the profile the author never touched stays clean.
        if (requiresUndefined(schema, e)) continue;
        problems.push(ajvProblem(file, index, root, e, [key], 'sync.profile.value', definition));
      }
    }
    for (const pattern of takeTimedOutPatterns()) {
      problems.push({
        file,
        range: keyRange(index, root, [key]),
        severity: 'warning',
        code: 'sync.profile.patternTooSlow',
        message: `The pattern \`${pattern.length > 80 ? pattern.slice(0, 77) + '...' : pattern}\` of ${definition} in schema.json takes too long to test (it backtracks exponentially), so the values here are not checked against it. The engine may hang on it the same way: rewrite it without nested repetition such as \`(a+)+\`.`,
        dvp: false,
      });
    }
  }
  return problems;
}

// Delphix keywords (prettyName, nameField, format: unixpath, ...) are not JSON Schema; they are allowed
// and ignored, as the engine's own validation ignores what it does not know.
let pluginValidatorFactory: Ajv | undefined;
export function pluginAjv(): Ajv {
  if (!pluginValidatorFactory) {
    // The author's `pattern`s run through boundedRegExp, so one that backtracks exponentially cannot hang the
    // analysis; a long `enum` is checked in a loop (ajv otherwise compiles it into one expression per value).
    // The schema itself is not checked against ajv's meta-schema: the schema analysis does that, and ajv's
    // check of `enum` compares every pair of values (minutes for 100,000 values).
    pluginValidatorFactory = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: false,
      validateSchema: false,
      addUsedSchema: false,
      loopEnum: 64,
      loopRequired: 64,
      code: { regExp: boundedRegExp },
    });
    pluginValidatorFactory.addSchema(PLATFORM_API_SCHEMA);
  }
  return pluginValidatorFactory;
}

const credentialTypes = ['NamedPasswordCredential', 'NamedKeyPairCredential', 'CyberArkVaultCredential', 'HashiCorpVaultCredential', 'AzureVaultCredential'];
const supplier = (types: string[]) => ({ type: 'object', required: ['type'], properties: { type: { enum: types } } });

/** The platform's predefined credential types that schemas reference by `$ref`. */
const PLATFORM_API_SCHEMA = {
  $id: 'https://delphix.com/platform/api',
  definitions: {
    credentialsSupplier: supplier(credentialTypes),
    passwordCredentialsSupplier: supplier(credentialTypes.filter((t) => t !== 'NamedKeyPairCredential')),
    keyCredentialsSupplier: supplier(credentialTypes.filter((t) => t !== 'NamedPasswordCredential')),
  },
};

// ajv keeps every schema it compiled (keyed by the object), and the analysis runs on every keystroke:
// validators are reused by the schema's text, and the whole ajv instance is dropped when too many
// different definitions were seen, so the language server's memory stays flat while the author edits.
// Bounded by count and by size: ajv's generated code grows with the schema (a definition of 20,000
// properties is megabytes of source and closures), so a few large ones weigh more than many small ones.
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 8;
const MAX_COMPILED_SCHEMA_CHARS = 2_000_000;
let compiledChars = 0;

export function compiledFor(ajv: Ajv, schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    if (compiled.size >= MAX_COMPILED || (compiled.size > 0 && compiledChars + key.length > MAX_COMPILED_SCHEMA_CHARS)) {
      compiled.clear();
      compiledChars = 0;
      pluginValidatorFactory = undefined;
      ajv = pluginAjv();
    }
    v = ajv.compile(copyOf(schema));
    compiled.set(key, v);
    compiledChars += key.length;
  }
  return v;
}

function copyOf(schema: Record<string, unknown>): Record<string, unknown> {
  // ajv keeps a reference to what it compiled; the plugin's parsed schema must stay the caller's.
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** Whether `e` is a `required` error for a name the requiring schema does not define among its properties. */
function requiresUndefined(schema: Record<string, unknown>, e: ErrorObject): boolean {
  if (e.keyword !== 'required' || !e.schemaPath.startsWith('#/')) return false;
  let node: unknown = schema;
  for (const raw of e.schemaPath.slice(2).split('/').slice(0, -1)) {
    if (!isObject(node) && !Array.isArray(node)) return false;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown>)[seg];
  }
  if (!isObject(node)) return false;
  const missing = (e.params as { missingProperty: string }).missingProperty;
  const props = node.properties;
  if (isObject(props)) return !Object.prototype.hasOwnProperty.call(props, missing);
  return node.additionalProperties === false;
}

/** Drops the `if` summary errors ajv adds next to the real error of the `then`/`else` branch. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'if');
}

function ajvProblem(file: string, index: LineIndex, root: Node, e: ErrorObject, base: (string | number)[], code: string, what: string): Problem {
  const instance = [...base, ...pointerSegments(e.instancePath)];
  const label = instance.length > 0 ? instance.join('.') : 'the profile';
  let range = valueRange(index, root, instance);
  let message: string;
  let detail: string | undefined;
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      range = keyRange(index, root, instance);
      message = `Missing required property '${missing}' in ${label}.`;
      detail = `${what} requires it.`;
      break;
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      range = keyRange(index, root, [...instance, extra]);
      message = `'${extra}' is not a property of ${label}.`;
      detail = `${what} does not define it.`;
      break;
    }
    case 'enum':
      message = `${label} ${e.message ?? 'is not allowed'}: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}.`;
      break;
    case 'const':
      message = `${label} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}.`;
      break;
    default:
      message = `${label} ${e.message ?? 'is not valid'}.`;
      detail = `Checked against ${what}.`;
  }
  return { file, range, severity: 'error', code, message, ...(detail ? { detail: detail.charAt(0).toUpperCase() + detail.slice(1) } : {}), dvp: false };
}

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function locate(root: Node, segments: (string | number)[]): Node | undefined {
  const converted = segments.map((s) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s));
  // A numeric-looking segment may be an object key; try the literal first.
  return findNodeAtLocation(root, segments) ?? findNodeAtLocation(root, converted);
}

/** The range of the value at a JSON path, or of the closest ancestor that exists. */
function valueRange(index: LineIndex, root: Node, segments: (string | number)[]): Range {
  for (let n = segments.length; n >= 0; n--) {
    const node = locate(root, segments.slice(0, n));
    if (node) return nodeRange(index, node.type === 'object' || node.type === 'array' ? (keyNode(node) ?? node) : node);
  }
  return index.range(0, 0);
}

/** The range of the property name at a JSON path (a whole object's key when it is one). */
function keyRange(index: LineIndex, root: Node, segments: (string | number)[]): Range {
  for (let n = segments.length; n >= 0; n--) {
    const node = locate(root, segments.slice(0, n));
    if (!node) continue;
    const key = keyNode(node);
    if (key) return nodeRange(index, key);
    // The root object: its opening brace.
    return index.range(node.offset, node.offset + 1);
  }
  return index.range(0, 0);
}

function keyNode(node: Node): Node | undefined {
  return node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
}

function nodeRange(index: LineIndex, node: Node): Range {
  // A multi-line object or array is marked at its first line only.
  if (node.type === 'object' || node.type === 'array') return index.range(node.offset, node.offset + 1);
  return index.range(node.offset, node.offset + node.length);
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function expandStrings(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{(pluginRoot|sandbox)\}/g, (_m, name: string) => vars[name]);
  if (Array.isArray(value)) return value.map((v) => expandStrings(v, vars));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandStrings(v, vars)]));
  return value;
}

/** `~/x` and paths relative to the plugin root become absolute. */
export function resolveUserPath(p: string, pluginRoot: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return path.resolve(pluginRoot, p);
}

function resolveEnvironmentPaths(profile: SyncProfile, pluginRoot: string): void {
  for (const env of [profile.environments.staging, profile.environments.source, profile.environments.target]) {
    if (env?.type !== 'ssh') continue;
    if (env.identityFile) env.identityFile = resolveUserPath(env.identityFile, pluginRoot);
    if (env.knownHostsFile) env.knownHostsFile = resolveUserPath(env.knownHostsFile, pluginRoot);
  }
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function fileProblem(file: string, code: string, message: string): Problem {
  return { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code, message, dvp: false };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.range.start.line}:${p.range.start.character}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Edits that rename `oldKey` to `newKey` in one value section of every sync profile of a plugin. */
export function renameInProfiles(files: FileSource, pluginRoot: string, section: string, oldKey: string, newKey: string): TextEdit[] {
  const dir = path.join(pluginRoot, PROFILE_DIR);
  const edits: TextEdit[] = [];
  for (const name of files.list(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    const text = files.readText(file);
    if (text === undefined || text.length > MAX_ANALYSED_FILE_BYTES || jsonTooDeepAt(text) !== undefined) continue;
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const keyNode = root ? findNodeAtLocation(root, [section, oldKey])?.parent?.children?.[0] : undefined;
    if (!keyNode || keyNode.value !== oldKey) continue;
    const lines = new LineIndex(text);
    edits.push({ file, range: lines.range(keyNode.offset, keyNode.offset + keyNode.length), newText: JSON.stringify(newKey) });
  }
  return edits;
}
