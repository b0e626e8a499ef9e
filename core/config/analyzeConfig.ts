// The analysis of one plugin_config.yml: YAML problems, the SDK's field rules, the on-disk checks of
// `dvp build`, and the config's values (best effort, also when some are invalid) for the rest of the
// analysis. Never throws: any input gives problems and whatever values could be read.

import { shapeProblem } from '../messages';
import * as path from 'path';
import type { FileSource } from '../files';
import { getSdkVersion } from '../sdk/versions';
import type { Problem, Range } from '../types';
import { isValidBuildNumber, standardizeBuildNumber } from './buildNumber';
import { parseConfigYaml, type ConfigYaml, type YamlEntry } from './configYaml';
import { checkFields } from './fieldChecks';
import { checkPaths } from './pathChecks';

export { standardizeBuildNumber } from './buildNumber';

export interface PluginConfig {
  id?: string;
  name?: string;
  externalVersion?: string;
  language?: string;
  hostTypes?: string[];
  pluginType?: 'STAGED' | 'DIRECT';
  entryPoint?: string;
  entryModule?: string;
  entryObject?: string;
  srcDir?: string;
  schemaFile?: string;
  buildNumber?: string;
  standardizedBuildNumber?: string;
  manualDiscovery?: boolean;
  rootSquashEnabled?: boolean;
  defaultLocale?: string;
  luaName?: string;
  minimumLuaVersion?: string;
  extendedStartStopHooks?: boolean;
  /** Absolute, resolved, set only when the directory / file exists. */
  srcDirPath?: string;
  schemaFilePath?: string;
  entryModulePath?: string;
  /** The key and value range of every top-level key present (the last one where a key repeats). */
  ranges: Record<string, { key: Range; value: Range }>;
}

export interface ConfigAnalysis {
  file: string;
  /** The plugin root: the directory of the config file. */
  root: string;
  problems: Problem[];
  config: PluginConfig;
}

export interface ConfigOptions {
  /** The SDK version whose rules apply (default: the current SDK). */
  sdkVersion?: string;
}

export function analyzeConfig(file: string, text: string, files: FileSource, options: ConfigOptions = {}): ConfigAnalysis {
  const root = path.dirname(file);
  try {
    return analyze(file, root, text, files, options);
  } catch (err) {
    // A bug of ours must not take the editor's diagnostics down with it; say so plainly instead.
    const message = err instanceof Error ? err.message : String(err);
    return {
      file,
      root,
      config: { ranges: {} },
      problems: [
        {
          file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 'error',
          code: 'config.internal',
          message: `Plugin Studio could not analyse this file (internal error: ${message}). Please report it; dvp build may still accept the file.`,
          dvp: false,
        },
      ],
    };
  }
}

function analyze(file: string, root: string, text: string, files: FileSource, options: ConfigOptions): ConfigAnalysis {
  const sdk = getSdkVersion(options.sdkVersion);
  const yaml = parseConfigYaml(file, text);
  const problems: Problem[] = [...yaml.problems];
  const ctx = { file, text, yaml, root, files, sdk, language: sdk.language };
  // Loops, not push(...list): a list of 100,000s of bad values would overflow the call stack.
  for (const p of checkFields(ctx)) problems.push(p);
  const config = readValues(yaml);
  const { problems: pathProblems, paths } = checkPaths(ctx);
  for (const p of pathProblems) problems.push(p);
  Object.assign(config, paths);
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  problems.forEach(shapeProblem);
  return { file, root, problems, config };
}

/** The config's values, taking each as far as it can be trusted. */
function readValues(yaml: ConfigYaml): PluginConfig {
  const config: PluginConfig = { ranges: {} };
  for (const [key, e] of yaml.byKey) config.ranges[key] = { key: e.keyRange, value: e.value.style === 'empty' ? e.keyRange : e.value.range };

  const str = (key: string): string | undefined => scalarText(yaml.byKey.get(key));
  const bool = (key: string): boolean | undefined => {
    const v = yaml.byKey.get(key)?.value.value;
    return v?.kind === 'bool' ? v.value : undefined;
  };

  config.id = str('id');
  config.name = str('name');
  config.externalVersion = str('externalVersion');
  config.language = str('language');
  config.srcDir = str('srcDir');
  config.schemaFile = str('schemaFile');
  config.defaultLocale = str('defaultLocale');
  config.luaName = str('luaName');
  config.minimumLuaVersion = str('minimumLuaVersion');
  config.manualDiscovery = bool('manualDiscovery');
  config.rootSquashEnabled = bool('rootSquashEnabled');
  config.extendedStartStopHooks = bool('extendedStartStopHooks');

  const pluginType = str('pluginType')?.trim().toUpperCase();
  if (pluginType === 'STAGED' || pluginType === 'DIRECT') config.pluginType = pluginType;

  const hosts = yaml.byKey.get('hostTypes')?.value.value;
  if (hosts?.kind === 'list') config.hostTypes = hosts.items.flatMap((i) => (i.value.kind === 'string' ? [i.value.value] : []));
  else if (hosts?.kind === 'string') config.hostTypes = [hosts.value];

  const entryPoint = str('entryPoint');
  config.entryPoint = entryPoint;
  if (entryPoint !== undefined) {
    const [module, object] = entryPoint.split(':');
    if (module) config.entryModule = module;
    if (object) config.entryObject = object;
  }

  const buildNumber = str('buildNumber');
  config.buildNumber = buildNumber;
  if (buildNumber !== undefined && isValidBuildNumber(buildNumber)) config.standardizedBuildNumber = standardizeBuildNumber(buildNumber);

  for (const k of Object.keys(config) as (keyof PluginConfig)[]) if (config[k] === undefined) delete config[k];
  return config;
}

/** A string value, or the source text of a scalar YAML read as another type (`1.0` for `buildNumber: 1.0`). */
function scalarText(e: YamlEntry | undefined): string | undefined {
  if (!e) return undefined;
  const v = e.value.value;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'timestamp') return e.value.text;
  return undefined;
}

