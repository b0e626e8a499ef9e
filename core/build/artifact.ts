// The upload artifact (`artifact.json`) of `dvp build`, built without dvp and without Java: codegen,
// a build copy of srcDir in a temp folder (the author's tree gets no `.pyc`, unlike dvp), compiled with
// the author's python3, the SDK runtime from a cache, zipped and base64'd into the JSON object with
// dvp's keys in dvp's order (sdk-spec §6.2-6.4), written atomically.

import { plural } from '../text';
import * as fs from 'fs';
import * as path from 'path';
import { generateDefinitions } from '../codegen/generateDefinitions';
import { writeGeneratedDefinitions } from '../codegen/writeDefinitions';
import { dumpPyJson, fromPlain, pyObject, PyObject, type PyValue } from '../pythonJson';
import { getSdkVersion, type SdkVersion } from '../sdk/versions';
import { visibleText } from '../text';
import type { Problem } from '../types';
import { COMPILE_SCRIPT, compileTree } from './compile';
import { cachedPythonVersion, defaultPythonVersionCacheFile } from './pythonVersionCache';
import { defaultCompileCacheDir, openCompileCache } from './compileCache';
import { buildManifest, type ManifestOperation } from './manifest';
import { loadBuildConfig, loadSchema, standardizeBuildNumber, type BuildConfig } from './pluginConfig';
import { defaultRuntimeCacheDir, ensureSdkRuntime, type PipSettings } from './sdkRuntime';
import { listZipEntries, zipDirectory } from './sourceZip';
import { makeWorkDir, removeWorkDir, sweepAbandonedWorkDirs } from './workDir';
import { formatBuildNote } from '../engine/artifactSource';

export interface BuildInput {
  /** The plugin root: the folder of plugin_config.yml. */
  pluginRoot: string;
  /** Default `<pluginRoot>/plugin_config.yml`. */
  configFile?: string;
  /** The implemented operations, from the Python analysis. */
  operations: ManifestOperation[];
}

export interface BuildOptions {
  /** Where to write the artifact; default `<pluginRoot>/artifact.json`. */
  outputFile?: string;
  /** SDK version whose runtime and API versions go into the artifact (default: the current SDK). */
  sdkVersion?: string;
  /** The interpreter that compiles the plugin and runs pip (default `python3`). */
  python?: string;
  /** false: leave the SDK runtime out (fast local builds; the artifact cannot run on an engine). */
  includeSdkRuntime?: boolean;
  pip?: PipSettings;
  /** Default `~/.cache/delphix-plugin-studio/sdk-runtime`. */
  cacheDir?: string;
  /** Where compiled output is kept by content (default `~/.cache/delphix-plugin-studio/compiled`); false: always compile. */
  compileCacheDir?: string | false;
  /** Refresh `<srcDir>/generated/` as dvp does (default true). */
  updateGeneratedInSource?: boolean;
  /** The analysis; a problem of severity error stops the build before anything is written. */
  validate?: (root: string) => Promise<Problem[]>;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  onProgress?: (step: string) => void;
}

export interface BuildResult {
  ok: boolean;
  /** Absolute path of the artifact written (only when ok). */
  artifactPath?: string;
  /** Size of the artifact in bytes. */
  size?: number;
  /** False when the artifact cannot run on an engine (no SDK runtime, wrong Python for the .pyc). */
  uploadable: boolean;
  errors: string[];
  warnings: string[];
  /** Problems of the analysis, when `validate` was given. */
  problems: Problem[];
  runtime: 'installed' | 'cached' | 'skipped';
  pythonVersion?: string;
  /** The files in the zipped source code, relative (only when ok). */
  sourceFiles?: string[];
  cancelled?: boolean;
}

function apiVersion(v: { major: number; minor: number; micro: number } | undefined) {
  return v ? { type: 'APIVersion', major: v.major, minor: v.minor, micro: v.micro } : undefined;
}

/** The definition minus the keys dvp `pop`s from it (kept in order otherwise). */
function withoutKeys(def: PyValue | undefined, keys: string[]): PyValue | undefined {
  if (!(def instanceof PyObject)) return def;
  return pyObject([...def.entries].filter(([k]) => !keys.includes(k)));
}

function field(def: PyValue | undefined, key: string): PyValue | undefined {
  return def instanceof PyObject ? def.get(key) : undefined;
}

/**
 * The artifact object, keys exactly as `prepare_upload_artifact` inserts them; the schema's parts go in
 * as json.load read them. A key whose value is missing (undefined) is left out.
 */
export function assembleArtifact(config: BuildConfig, schema: PyObject, manifest: Record<string, unknown>, sourceCode: string, sdk: SdkVersion): PyObject {
  const artifact: Record<string, unknown> = {
    type: 'Plugin',
    pluginId: config.id,
    name: config.name,
    defaultLocale: config.defaultLocale ?? 'en-us',
    language: config.language,
    hostTypes: config.hostTypes,
    entryPoint: config.entryPoint,
    buildNumber: standardizeBuildNumber(config.buildNumber),
    buildApi: apiVersion(sdk.buildApi),
    engineApi: apiVersion(sdk.engineApi),
    rootSquashEnabled: config.rootSquashEnabled ?? true,
    sourceCode,
    virtualSourceDefinition: { type: 'PluginVirtualSourceDefinition', parameters: schema.get('virtualSourceDefinition') },
    linkedSourceDefinition: {
      type: config.pluginType === 'STAGED' ? 'PluginLinkedStagedSourceDefinition' : 'PluginLinkedDirectSourceDefinition',
      parameters: schema.get('linkedSourceDefinition'),
    },
    discoveryDefinition: {
      type: 'PluginDiscoveryDefinition',
      manualSourceConfigDiscovery: config.manualDiscovery ?? true,
      repositoryIdentityFields: field(schema.get('repositoryDefinition'), 'identityFields'),
      repositoryNameField: field(schema.get('repositoryDefinition'), 'nameField'),
      repositorySchema: withoutKeys(schema.get('repositoryDefinition'), ['identityFields', 'nameField']),
      sourceConfigIdentityFields: field(schema.get('sourceConfigDefinition'), 'identityFields'),
      sourceConfigNameField: field(schema.get('sourceConfigDefinition'), 'nameField'),
      sourceConfigSchema: withoutKeys(schema.get('sourceConfigDefinition'), ['identityFields', 'nameField']),
    },
    snapshotSchema: schema.get('snapshotDefinition'),
    snapshotParametersDefinition: { type: 'PluginSnapshotParametersDefinition', schema: schema.get('snapshotParametersDefinition') },
    manifest,
  };
  if (config.externalVersion) artifact.externalVersion = config.externalVersion;
  if (config.luaName !== undefined) artifact.luaName = config.luaName;
  artifact.extendedStartStopHooks = config.extendedStartStopHooks === true;
  if (config.minimumLuaVersion !== undefined) artifact.minimumLuaVersion = config.minimumLuaVersion;
  return fromPlain(artifact) as PyObject;
}

/**
 * Copies srcDir into the build folder, leaving out what the build makes itself. Symlinked folders are
 * followed, as dvp's copytree does, except into a folder already being copied (a loop would otherwise
 * nest copies until the path is too long); sockets, FIFOs and devices cannot go into a zip and are left
 * out. Both are reported as warnings.
 */
async function copySources(from: string, to: string, warnings: string[], top = true, visiting: Set<string> = new Set()): Promise<void> {
  const real = await fs.promises.realpath(from);
  visiting.add(real);
  await fs.promises.mkdir(to, { recursive: true });
  for (const name of await fs.promises.readdir(from)) {
    // generated/ is written fresh; stale .pyc / __pycache__ from earlier dvp runs would ship code
    // whose source may be gone.
    if ((top && name === 'generated') || name === '__pycache__' || name.endsWith('.pyc')) continue;
    const src = path.join(from, name);
    const st = await fs.promises.stat(src).catch(() => undefined);
    if (!st) {
      warnings.push(`${src} was left out of the artifact: it is a broken symbolic link or cannot be read.`);
      continue;
    }
    if (st.isDirectory()) {
      const target = await fs.promises.realpath(src);
      if (visiting.has(target)) {
        warnings.push(`${src} was left out of the artifact: it is a symbolic link back into a folder that contains it (a loop).`);
        continue;
      }
      await copySources(src, path.join(to, name), warnings, false, visiting);
    } else if (st.isFile()) await fs.promises.copyFile(src, path.join(to, name));
    else warnings.push(`${src} was left out of the artifact: it is not a regular file (a socket, FIFO or device).`);
  }
  visiting.delete(real);
}

async function copyTree(from: string, to: string): Promise<void> {
  await fs.promises.cp(from, to, { recursive: true, force: true, filter: (src) => path.basename(src) !== '.delphix-sdk-runtime.json' });
}

export async function buildArtifact(input: BuildInput, options: BuildOptions = {}): Promise<BuildResult> {
  const r = await build(input, options);
  // Messages quote file text (YAML errors, file names from srcDir): no control character leaves raw.
  return { ...r, errors: r.errors.map((e) => visibleText(e, true)), warnings: r.warnings.map((w) => visibleText(w, true)) };
}

async function build(input: BuildInput, options: BuildOptions): Promise<BuildResult> {
  const result: BuildResult = { ok: false, uploadable: false, errors: [], warnings: [], problems: [], runtime: 'skipped' };
  const progress = (s: string) => options.onProgress?.(s);
  const fail = (errors: string[], cancelled = false): BuildResult => ({ ...result, ok: false, errors: [...result.errors, ...errors], cancelled: cancelled || undefined });
  const cancelled = () => options.signal?.aborted === true;
  const root = path.resolve(input.pluginRoot);
  const sdk = getSdkVersion(options.sdkVersion);
  if (options.sdkVersion && sdk.version !== options.sdkVersion) return fail([`Unknown SDK version ${options.sdkVersion}; known versions are 5.0.1, 5.0.0, 4.1.0, 4.0.5, 4.0.2, 4.0.0, 3.1.0, 3.0.0, 2.1.0, 2.0.0.`]);
  const python = options.python ?? 'python3';
  const env = options.env ?? process.env;

  if (options.validate) {
    progress('Checking the plugin');
    try {
      result.problems = await options.validate(root);
    } catch (e) {
      return fail([`The plugin check failed: ${(e as Error).message}`]);
    }
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0) return fail([`The plugin has ${plural(errors, 'error')}; fix ${errors === 1 ? 'it' : 'them'} to build.`]);
  }
  if (cancelled()) return fail(['Build cancelled.'], true);

  progress('Reading plugin_config.yml and the schema');
  const loaded = loadBuildConfig(root, input.configFile ? path.resolve(root, input.configFile) : undefined);
  if (!loaded.ok) return fail(loaded.errors);
  const config = loaded.value;
  const schema = loadSchema(config.schemaFile);
  if (!schema.ok) return fail(schema.errors);
  if (config.language !== sdk.language) {
    result.warnings.push(`plugin_config.yml declares language ${config.language}, but SDK ${sdk.version} builds ${sdk.language} plugins.`);
  }

  progress('Generating the definitions');
  const generated = generateDefinitions(schema.value.value);
  if (generated.files.length === 0) return fail(generated.problems ?? ['Code generation produced nothing.']);
  for (const p of generated.problems ?? []) result.warnings.push(`Codegen: ${p}`);

  progress(`Checking ${python}`);
  const pv = await cachedPythonVersion(python, env, options.signal, options.compileCacheDir === false || env.DELPHIX_COMPILE_CACHE === '0' ? false : defaultPythonVersionCacheFile());
  if (cancelled()) return fail(['Build cancelled.'], true);
  if (!pv.ok) return fail([pv.error]);
  result.pythonVersion = pv.version;
  const pythonMatches = pv.majorMinor === sdk.python;
  if (!pythonMatches) {
    result.warnings.push(
      `${python} is Python ${pv.version}, but the engine runs SDK ${sdk.version} plugins on CPython ${sdk.python}: ` +
        `the artifact holds only compiled .pyc files, which the engine cannot load from another Python version. ` +
        `Build with Python ${sdk.python} to get an uploadable artifact.`,
    );
  }

  // Scratch folders left by builds killed with SIGKILL (their pid is dead) go first.
  await sweepAbandonedWorkDirs();
  const work = await makeWorkDir();
  try {
    const buildSrc = path.join(work, path.basename(config.srcDir));
    progress('Copying the sources into a build folder');
    await copySources(config.srcDir, buildSrc, result.warnings);
    for (const f of generated.files) {
      const file = path.join(buildSrc, ...f.path.split('/'));
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(file, f.content);
    }

    const legacyDirs = [buildSrc];
    if (options.includeSdkRuntime === false) {
      result.warnings.push('Built without the SDK runtime (dvp-common, dvp-libs, dvp-platform): the artifact is for local checks and cannot run on an engine.');
    } else {
      const runtime = await ensureSdkRuntime({
        python,
        pythonVersion: pv.majorMinor,
        sdkVersion: sdk.version,
        pip: options.pip ?? {},
        cacheDir: options.cacheDir ?? defaultRuntimeCacheDir(),
        env,
        signal: options.signal,
        onProgress: progress,
      });
      if (!runtime.ok) return fail([runtime.error], runtime.cancelled);
      result.runtime = runtime.fromCache ? 'cached' : 'installed';
      progress(runtime.fromCache ? `Using the cached SDK runtime ${runtime.dir}` : 'Installed the SDK runtime');
      await copyTree(runtime.dir, buildSrc);
      for (const pkg of ['api', 'common', 'libs', 'platform']) legacyDirs.push(path.join(buildSrc, 'dlpx', 'virtualization', pkg));
    }
    if (cancelled()) return fail(['Build cancelled.'], true);

    const cacheDir = options.compileCacheDir ?? (env.DELPHIX_COMPILE_CACHE === '0' ? false : defaultCompileCacheDir());
    const cache = cacheDir === false ? undefined : openCompileCache(cacheDir, { python, pythonVersion: pv.version, script: COMPILE_SCRIPT, root: buildSrc, legacyDirs });
    if (cache?.restore()) {
      progress(`Reused the compiled files of an identical earlier build (Python ${pv.version})`);
    } else {
      progress(`Compiling with Python ${pv.version}`);
      const compiled = await compileTree(python, buildSrc, legacyDirs, env, options.signal);
      if (!compiled.ok) return fail([compiled.error], compiled.cancelled);
      cache?.store();
    }

    progress('Zipping the compiled sources');
    const entries = listZipEntries(buildSrc);
    const note = formatBuildNote({ sdkRuntime: options.includeSdkRuntime !== false, python: pv.version, enginePython: sdk.python, sdk: sdk.version });
    const zip = await zipDirectory(buildSrc, entries, note);
    if (cancelled()) return fail(['Build cancelled.'], true);

    const artifact = assembleArtifact(config, schema.value.value, buildManifest(input.operations), zip.toString('base64'), sdk);
    const text = dumpPyJson(artifact, { indent: 4 });
    const out = path.resolve(root, options.outputFile ?? 'artifact.json');
    progress(`Writing ${out}`);
    const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      await fs.promises.mkdir(path.dirname(out), { recursive: true });
      await fs.promises.writeFile(tmp, text);
      if (cancelled()) throw new Error('Build cancelled.');
      await fs.promises.rename(tmp, out);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      return fail([cancelled() ? 'Build cancelled.' : `Failed to write the artifact ${out}: ${(e as Error).message}`], cancelled());
    }

    if (options.updateGeneratedInSource !== false) {
      const w = await writeGeneratedDefinitions(config.srcDir, schema.value.text);
      if (w.written.length === 0) result.warnings.push(`The artifact is built, but ${path.join(config.srcDir, 'generated')} was not refreshed: ${(w.problems ?? []).join(' ')}`);
    }
    return {
      ...result,
      ok: true,
      artifactPath: out,
      size: Buffer.byteLength(text),
      uploadable: options.includeSdkRuntime !== false && pythonMatches,
      sourceFiles: entries,
    };
  } catch (e) {
    return fail([`The build failed: ${(e as Error).message}`]);
  } finally {
    await removeWorkDir(work);
  }
}
