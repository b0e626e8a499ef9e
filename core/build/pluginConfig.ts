// What the build needs from plugin_config.yml and schema.json, read the way dvp reads them (PyYAML's
// YAML 1.1, Python's json), with the path rules of sdk-spec §1.3. The full validation with positions
// is the analysis's job; this module only refuses what would make the build itself meaningless, with a
// message that says what to fix.

import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { MAX_ANALYSED_FILE_BYTES, MAX_CONFIG_FILE_BYTES, readTextWithin } from '../files';
import { jsonTooDeepAt, tooDeepMessage } from '../jsonDepth';
import { PyObject, readPyJson } from '../pythonJson';
import { LineIndex } from '../text';
import { yamlFlowTooDeep } from '../config/yamlDepth';

export interface BuildConfig {
  root: string;
  configFile: string;
  id: string;
  name: string;
  language: string;
  hostTypes: string[];
  entryPoint: string;
  pluginType: 'STAGED' | 'DIRECT';
  buildNumber: string;
  srcDir: string;
  schemaFile: string;
  externalVersion?: string;
  defaultLocale?: string;
  rootSquashEnabled?: boolean;
  manualDiscovery?: boolean;
  extendedStartStopHooks?: boolean;
  luaName?: string;
  minimumLuaVersion?: string;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TOO_DEEP_YAML = (configFile: string) =>
  `${configFile}: the lists and mappings in it are nested too deeply to read, so it was not checked and is not built. A plugin_config.yml is a flat list of settings: check that this is the file you meant.`;

function readConfigDocument(configFile: string): Loaded<Record<string, unknown>> {
  // The same limit as the check's, stated before a byte is read.
  const read = readTextWithin(configFile, MAX_CONFIG_FILE_BYTES);
  if (!read.ok) {
    return { ok: false, errors: [read.reason === 'tooLarge' ? `${configFile}: ${read.message}` : `Unable to read plugin config file '${configFile}': ${read.message}`] };
  }
  const text = read.text;
  if (yamlFlowTooDeep(text).length > 0) return { ok: false, errors: [TOO_DEEP_YAML(configFile)] };
  let doc: unknown;
  try {
    doc = parseYaml(text, { version: '1.1', uniqueKeys: false });
  } catch (e) {
    const message = (e as Error).message;
    // The YAML library reports nesting past its stack as a stack overflow.
    if (/Maximum call stack size exceeded/.test(message)) return { ok: false, errors: [TOO_DEEP_YAML(configFile)] };
    return { ok: false, errors: [`${configFile} is not valid YAML: ${message}`] };
  }
  if (!isRecord(doc)) return { ok: false, errors: [`${configFile} must be a YAML mapping of the plugin's settings.`] };
  return { ok: true, value: doc };
}

/** srcDir and schemaFile resolved and checked as dvp does (§1.3). */
function resolvePaths(doc: Record<string, unknown>, root: string, errors: string[]): { srcDir?: string; schemaFile?: string } {
  const out: { srcDir?: string; schemaFile?: string } = {};
  if (typeof doc.schemaFile === 'string') {
    const p = path.isAbsolute(doc.schemaFile) ? doc.schemaFile : path.join(root, doc.schemaFile);
    const st = statOf(p);
    if (!st) errors.push(`The path '${p}' does not exist.`);
    else if (!st.isFile()) errors.push(`The path '${p}' should be a file but is not.`);
    else out.schemaFile = p;
  }
  if (typeof doc.srcDir === 'string') {
    const expanded = doc.srcDir.replace(/^~(?=$|\/)/, process.env.HOME ?? '~');
    const abs = path.resolve(root, expanded);
    const st = statOf(abs);
    const rel = path.relative(root, abs);
    if (path.isAbsolute(expanded)) errors.push(`The path '${doc.srcDir}' should be a relative path, but is not.`);
    else if (!st) errors.push(`The path '${abs}' does not exist.`);
    else if (!st.isDirectory()) errors.push(`The path '${abs}' should be a directory but is not.`);
    else if (rel === '' || rel.startsWith('..')) errors.push(`The src directory ${abs} is not a subdirectory of the plugin root at ${root}`);
    else out.srcDir = abs;
  }
  return out;
}

/** srcDir and schemaFile only, for `generate`, which (like `dvp build -g`) tolerates other config errors. */
export function loadPluginPaths(root: string, configFile = path.join(root, 'plugin_config.yml')): Loaded<{ srcDir: string; schemaFile: string }> {
  const doc = readConfigDocument(configFile);
  if (!doc.ok) return doc;
  const errors: string[] = [];
  for (const key of ['srcDir', 'schemaFile']) if (typeof doc.value[key] !== 'string') errors.push(`${configFile}: '${key}' is required and must be a string.`);
  const p = resolvePaths(doc.value, root, errors);
  return p.srcDir && p.schemaFile && errors.length === 0 ? { ok: true, value: { srcDir: p.srcDir, schemaFile: p.schemaFile } } : { ok: false, errors };
}

export function loadBuildConfig(root: string, configFile = path.join(root, 'plugin_config.yml')): Loaded<BuildConfig> {
  const read = readConfigDocument(configFile);
  if (!read.ok) return read;
  const doc = read.value;
  const errors: string[] = [];
  const str = (key: string, required: boolean): string | undefined => {
    const v = doc[key];
    if (v === undefined || v === null) {
      if (required) errors.push(`${configFile}: '${key}' is required.`);
      return undefined;
    }
    if (typeof v !== 'string') {
      errors.push(`${configFile}: '${key}' must be a string (quote it in YAML), not ${JSON.stringify(v)}.`);
      return undefined;
    }
    return v;
  };
  const bool = (key: string): boolean | undefined => {
    const v = doc[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') errors.push(`${configFile}: '${key}' must be true or false, not ${JSON.stringify(v)}.`);
    return typeof v === 'boolean' ? v : undefined;
  };
  const id = str('id', true);
  const name = str('name', true);
  const language = str('language', true);
  const entryPoint = str('entryPoint', true);
  const pluginType = str('pluginType', true);
  const buildNumber = str('buildNumber', true);
  const srcDir = str('srcDir', true);
  const schemaFile = str('schemaFile', true);
  const hostTypes = doc.hostTypes;
  if (!Array.isArray(hostTypes) || !hostTypes.every((h) => typeof h === 'string')) errors.push(`${configFile}: 'hostTypes' must be a list such as [UNIX].`);
  if (pluginType !== undefined && pluginType !== 'STAGED' && pluginType !== 'DIRECT') errors.push(`${configFile}: 'pluginType' must be STAGED or DIRECT, not '${pluginType}'.`);
  if (buildNumber !== undefined && !/^([0-9]+\.)*[0-9]*[1-9][0-9]*(\.[0-9]+)*$/.test(buildNumber)) {
    errors.push(`${configFile}: 'buildNumber' '${buildNumber}' must be dot-separated numbers with at least one non-zero digit, e.g. "1.0.0".`);
  }
  const config = {
    root,
    configFile,
    id: id ?? '',
    name: name ?? '',
    language: language ?? '',
    hostTypes: (Array.isArray(hostTypes) ? hostTypes : []) as string[],
    entryPoint: entryPoint ?? '',
    pluginType: (pluginType ?? 'DIRECT') as 'STAGED' | 'DIRECT',
    buildNumber: buildNumber ?? '',
    srcDir: '',
    schemaFile: '',
    externalVersion: str('externalVersion', false),
    defaultLocale: str('defaultLocale', false),
    rootSquashEnabled: bool('rootSquashEnabled'),
    manualDiscovery: bool('manualDiscovery'),
    extendedStartStopHooks: bool('extendedStartStopHooks'),
    luaName: str('luaName', false),
    minimumLuaVersion: str('minimumLuaVersion', false),
  } satisfies BuildConfig;

  const paths = resolvePaths(doc, root, errors);
  config.srcDir = paths.srcDir ?? '';
  config.schemaFile = paths.schemaFile ?? '';
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: config };
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * schema.json as Python's json.load reads it (key order, number literals kept), for the artifact, which
 * dvp writes back with json.dump.
 */
export function loadSchema(schemaFile: string): Loaded<{ text: string; value: PyObject }> {
  // The check's limits, with its messages: a file it could not check is not built either.
  const read = readTextWithin(schemaFile, MAX_ANALYSED_FILE_BYTES);
  if (!read.ok) {
    return { ok: false, errors: [read.reason === 'tooLarge' ? `${schemaFile}: ${read.message}` : `Unable to load schemas from '${schemaFile}': ${read.message}`] };
  }
  const text = read.text;
  const deep = jsonTooDeepAt(text);
  if (deep !== undefined) {
    const at = new LineIndex(text).positionAt(deep);
    return { ok: false, errors: [`${schemaFile}:${at.line + 1}:${at.character + 1}: ${tooDeepMessage()}`] };
  }
  const parsed = readPyJson(text);
  if (!parsed.ok) return { ok: false, errors: [`Failed to load schemas because '${schemaFile}' is not a valid json file. Error: ${parsed.error.message}`] };
  if (!(parsed.value instanceof PyObject)) return { ok: false, errors: [`${schemaFile} must hold a JSON object with the plugin's six definitions.`] };
  return { ok: true, value: { text, value: parsed.value } };
}

/** sdk-spec §1.4: ints per component (leading zeros dropped), trailing zero components removed. */
export function standardizeBuildNumber(buildNumber: string): string {
  const parts = buildNumber.split('.').map((p) => String(Number(p)));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}
