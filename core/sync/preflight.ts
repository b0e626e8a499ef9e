// Everything a simulated run needs, checked before anything runs: the plugin's config and schema, the
// profile, python3 and its version, rsync, ssh when a host is remote, the source folder. Each failed
// check says what is missing and how to get it.

import * as fs from 'fs';
import * as path from 'path';
import { analyzeConfig, type PluginConfig } from '../config/analyzeConfig';
import { DiskFiles, MAX_ANALYSED_FILE_BYTES, MAX_CONFIG_FILE_BYTES, readTextWithin } from '../files';
import { jsonTooDeepAt, tooDeepMessage } from '../jsonDepth';
import { analyzeSchema } from '../schema/analyzeSchema';
import { plural } from '../text';
import { getSdkVersion, SDK_VERSIONS } from '../sdk/versions';
import type { Problem } from '../types';
import { DEFAULT_PROFILE, listProfiles, loadProfile, type LoadedProfile, type SyncProfile } from './profile';
import type { PreflightCheck } from './report';
import { sandboxLayout, type SandboxLayout } from './sandbox';
import { findExecutable, probePython, type PythonInfo } from './tools';

export interface SyncTarget {
  pluginRoot: string;
  configFile: string;
  config: PluginConfig;
  srcDir: string;
  entryPoint: string;
  pluginType: 'STAGED' | 'DIRECT';
  schemaFile: string;
  schemaText: string;
  schema: Record<string, unknown>;
  profileName: string;
  profileFile: string;
  profile: SyncProfile;
  layout: SandboxLayout;
  python: PythonInfo;
}

export interface PreflightResult {
  ok: boolean;
  checks: PreflightCheck[];
  problems: Problem[];
  target?: SyncTarget;
  /** The profile name used (given, or the default). */
  profileName: string;
}

export interface PreflightOptions {
  pluginRoot: string;
  profile?: string;
  /** Overrides the profile's `python` (and `python3`). */
  python?: string;
  env?: NodeJS.ProcessEnv;
}

const CONFIG_FILE = 'plugin_config.yml';

/** The profile a run uses when none is named: `local`, or the only profile there is. */
export function defaultProfileName(pluginRoot: string): string {
  const names = listProfiles(pluginRoot);
  if (names.includes(DEFAULT_PROFILE) || names.length !== 1) return DEFAULT_PROFILE;
  return names[0];
}

export async function preflight(options: PreflightOptions): Promise<PreflightResult> {
  const env = options.env ?? process.env;
  const pluginRoot = path.resolve(options.pluginRoot);
  const profileName = options.profile ?? defaultProfileName(pluginRoot);
  const checks: PreflightCheck[] = [];
  const fail = (id: string, message: string, at?: Problem) =>
    checks.push({ id, ok: false, severity: 'error', message, ...(at ? { at: { file: at.file, line: at.range.start.line, character: at.range.start.character } } : {}) });
  const pass = (id: string, message: string) => checks.push({ id, ok: true, severity: 'info', message });
  const warn = (id: string, message: string) => checks.push({ id, ok: true, severity: 'warning', message });
  const result = (problems: Problem[] = [], target?: SyncTarget): PreflightResult => ({
    ok: checks.every((c) => c.ok) && !problems.some((p) => p.severity === 'error'),
    checks,
    problems,
    target,
    profileName,
  });

  // The plugin.
  const configFile = path.join(pluginRoot, CONFIG_FILE);
  let configText: string;
  const configRead = readTextWithin(configFile, MAX_CONFIG_FILE_BYTES);
  if (configRead.ok) configText = configRead.text;
  else if (configRead.reason === 'tooLarge') {
    fail('config', `${configFile}: ${configRead.message}`);
    return result();
  } else {
    fail('config', `There is no ${CONFIG_FILE} in ${pluginRoot}: run the sync on the plugin's folder.`);
    return result();
  }
  const analysis = analyzeConfig(configFile, configText, new DiskFiles());
  const config = analysis.config;
  const configErrors = analysis.problems.filter((p) => p.severity === 'error');
  if (configErrors.length > 0) {
    const first = configErrors[0];
    fail('config', `${CONFIG_FILE} has ${plural(configErrors.length, 'error')}; fix ${configErrors.length === 1 ? 'it' : 'them'} first. Line ${first.range.start.line + 1}: ${first.message}`, first);
  }
  if (!config.srcDirPath) fail('config.srcDir', `The srcDir of ${CONFIG_FILE} (${config.srcDir ?? 'missing'}) is not a folder.`);
  if (!config.entryModule || !config.entryObject) fail('config.entryPoint', `${CONFIG_FILE} has no usable entryPoint (module:object).`);
  if (!config.pluginType) fail('config.pluginType', `${CONFIG_FILE} has no pluginType (STAGED or DIRECT).`);
  if (!config.schemaFilePath) fail('config.schemaFile', `The schemaFile of ${CONFIG_FILE} (${config.schemaFile ?? 'missing'}) does not exist.`);
  let schemaText = '';
  let schema: Record<string, unknown> | undefined;
  if (config.schemaFilePath) {
    // The check's limits, read within them: a schema the check could not analyse is not synced either.
    const read = readTextWithin(config.schemaFilePath, MAX_ANALYSED_FILE_BYTES);
    const deep = read.ok ? jsonTooDeepAt(read.text) : undefined;
    if (!read.ok) fail('schema', read.reason === 'tooLarge' ? `${config.schemaFilePath}: ${read.message}` : `${config.schemaFilePath} cannot be read: ${read.message}`);
    else if (deep !== undefined) fail('schema', `${config.schemaFilePath}: ${tooDeepMessage()}`);
    else {
      try {
        schemaText = read.text;
        const parsed: unknown = JSON.parse(schemaText);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) schema = parsed as Record<string, unknown>;
        else fail('schema', `${config.schemaFilePath} must hold a JSON object.`);
        // A mistake in schema.json is blamed on schema.json, not on the profile whose values it checks.
        const sdkVersion = SDK_VERSIONS.find((v) => v.language === config.language)?.version;
        const schemaErrors = schema ? analyzeSchema(config.schemaFilePath, schemaText, { sdkVersion }).problems.filter((p) => p.severity === 'error') : [];
        if (schemaErrors.length > 0) {
          const first = schemaErrors[0];
          fail('schema', `${path.basename(config.schemaFilePath)} has ${plural(schemaErrors.length, 'error')}; fix ${schemaErrors.length === 1 ? 'it' : 'them'} first. Line ${first.range.start.line + 1}: ${first.message}`, first);
        }
      } catch (e) {
        fail('schema', `${config.schemaFilePath} is not valid JSON (${e instanceof Error ? e.message : String(e)}); fix it first.`);
      }
    }
  }

  // The profile.
  const layout = sandboxLayout(pluginRoot, profileName);
  const loaded: LoadedProfile = loadProfile(profileName, { pluginRoot, sandbox: layout.root, pluginSchema: schema });
  const profileErrors = loaded.problems.filter((p) => p.severity === 'error');
  if (profileErrors.length > 0) fail('profile', `The sync profile ${loaded.file} has ${plural(profileErrors.length, 'problem')}; nothing was run.`);
  else pass('profile', `Profile ${loaded.file}`);
  const profile = loaded.profile;

  // Local programs.
  const pythonCommand = options.python ?? profile?.python ?? 'python3';
  const python = await probePython(pythonCommand, env);
  if (python.error) {
    fail('python', `${python.error}. The simulator runs the plugin with Python 3: install it (Debian/Ubuntu: sudo apt-get install python3) or set the profile's "python" to an interpreter.`);
  } else if ((python.major ?? 0) < 3 || ((python.major ?? 0) === 3 && (python.minor ?? 0) < 6)) {
    fail('python', `${pythonCommand} is Python ${python.version}; the simulator needs Python 3.6 or later (the engine runs this plugin on Python ${enginePython(config.language)}).`);
  } else {
    pass('python', `${pythonCommand}: Python ${python.version} (${python.executable})`);
    const wanted = enginePython(config.language);
    if (wanted && !python.version?.startsWith(wanted + '.')) {
      warn('python.version', `The engine runs this plugin (language ${config.language}) on Python ${wanted}, the simulator on Python ${python.version}: differences of the language and the standard library can show.`);
    }
  }
  const rsync = findExecutable('rsync', env);
  if (rsync) pass('rsync', `rsync: ${rsync}`);
  else fail('rsync', `rsync was not found on PATH (${env.PATH ?? ''}). The simulator copies mounts into snapshots with it (and plugins usually copy data with it): install it (Debian/Ubuntu: sudo apt-get install rsync).`);

  if (profile) {
    const remote = (['staging', 'source', 'target'] as const).filter((k) => profile.environments[k]?.type === 'ssh');
    if (remote.length > 0) {
      const ssh = findExecutable('ssh', env);
      if (ssh) pass('ssh', `ssh: ${ssh}`);
      else fail('ssh', `ssh was not found on PATH, and the profile's ${remote.join(' and ')} environment uses ssh: install the OpenSSH client (Debian/Ubuntu: sudo apt-get install openssh-client).`);
    }
    for (const k of remote) {
      const e = profile.environments[k];
      if (e?.type === 'ssh' && e.identityFile && !fs.existsSync(e.identityFile)) {
        fail(`ssh.identityFile.${k}`, `The ${k} environment's identityFile ${e.identityFile} does not exist.`);
      }
    }
    if (profile.sourceFolder && profile.environments.source.type === 'local') {
      let isDir = false;
      try {
        isDir = fs.statSync(profile.sourceFolder).isDirectory();
      } catch {
        isDir = false;
      }
      if (isDir) pass('sourceFolder', `Source folder ${profile.sourceFolder}`);
      else fail('sourceFolder', `The source folder ${profile.sourceFolder} does not exist on the source environment (this machine). Create it or fix "sourceFolder" in the profile.`);
    }
  }

  if (!profile || !schema || !config.srcDirPath || !config.entryPoint || !config.pluginType || !config.schemaFilePath || python.error) {
    return result(loaded.problems);
  }
  const target: SyncTarget = {
    pluginRoot,
    configFile,
    config,
    srcDir: config.srcDirPath,
    entryPoint: config.entryPoint,
    pluginType: config.pluginType,
    schemaFile: config.schemaFilePath,
    schemaText,
    schema,
    profileName,
    profileFile: loaded.file,
    profile,
    layout,
    python,
  };
  return result(loaded.problems, target);
}

/** The Python major.minor the engine runs a plugin of this `language` on. */
function enginePython(language: string | undefined): string | undefined {
  const sdk = SDK_VERSIONS.find((s) => s.language === language) ?? (language ? undefined : getSdkVersion(undefined));
  return sdk?.python;
}
