// The released version the guard and `upgrade` compare with: an upload artifact (what `build` writes
// and what was uploaded) or a git ref of the plugin's repository. Either way we get the six schemas,
// the standardized build number and the canonical platform migration ids of that release.

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { findImplementedOperations } from '../build/findOperations';
import { MAX_ARTIFACT_BYTES } from '../engine/artifact';
import { formatByteSize, MAX_ANALYSED_FILE_BYTES, readTextWithin } from '../files';
import { jsonTooDeepAt, MAX_SCHEMA_DEPTH } from '../jsonDepth';
import { MAX_PY_JSON_DEPTH } from '../pythonJson';
import { standardizeBuildNumber } from '../config/buildNumber';
import { canonicalId, compareIds } from './migrationIds';

export interface Baseline {
  /** `artifact.json` (a path) or `git v1.0 (3f2c1ab)`, for messages. */
  label: string;
  kind: 'artifact' | 'git';
  buildNumber?: string;
  /** The six definitions by their schema.json names, identityFields and nameField included. */
  schemas: Record<string, unknown>;
  /** Canonical platform migration ids, sorted numerically. */
  migrationIds: string[];
}

export type BaselineResult = { ok: true; baseline: Baseline } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function sortedCanonical(ids: Iterable<unknown>): string[] {
  const set = new Set<string>();
  for (const id of ids) if (typeof id === 'string' && canonicalId(id)) set.add(canonicalId(id)!);
  return [...set].sort(compareIds);
}

/** The schemas as schema.json holds them, from the artifact's layout (the inverse of `assembleArtifact`). */
export function baselineFromArtifact(value: unknown, label: string): BaselineResult {
  if (!isObj(value) || value.type !== 'Plugin' || !isObj(value.discoveryDefinition)) {
    return { ok: false, error: `${label} is not a plugin upload artifact (no "type": "Plugin" with a discoveryDefinition). Give the artifact.json that "build" wrote or that was uploaded.` };
  }
  const disc = value.discoveryDefinition;
  const withIdentity = (schema: unknown, identity: unknown, name: unknown) => (isObj(schema) ? { ...schema, identityFields: identity, nameField: name } : undefined);
  const part = (v: unknown, key: string) => (isObj(v) ? v[key] : undefined);
  const schemas: Record<string, unknown> = {
    repositoryDefinition: withIdentity(disc.repositorySchema, disc.repositoryIdentityFields, disc.repositoryNameField),
    sourceConfigDefinition: withIdentity(disc.sourceConfigSchema, disc.sourceConfigIdentityFields, disc.sourceConfigNameField),
    virtualSourceDefinition: part(value.virtualSourceDefinition, 'parameters'),
    linkedSourceDefinition: part(value.linkedSourceDefinition, 'parameters'),
    snapshotDefinition: value.snapshotSchema,
    snapshotParametersDefinition: part(value.snapshotParametersDefinition, 'schema'),
  };
  const ids = part(value.manifest, 'migrationIdList');
  return {
    ok: true,
    baseline: { label, kind: 'artifact', buildNumber: typeof value.buildNumber === 'string' ? value.buildNumber : undefined, schemas, migrationIds: sortedCanonical(Array.isArray(ids) ? ids : []) },
  };
}

export async function loadArtifactBaseline(file: string): Promise<BaselineResult> {
  // The upload's limits: sized before it is read, nesting bounded before anything walks it.
  const read = readTextWithin(file, MAX_ARTIFACT_BYTES);
  if (!read.ok && read.reason === 'tooLarge') return { ok: false, error: `The baseline artifact ${file} is too large (${formatByteSize(read.size)}; the limit is ${formatByteSize(MAX_ARTIFACT_BYTES)}).` };
  if (!read.ok) return { ok: false, error: `The baseline artifact ${file} cannot be read: ${/ENOENT/.test(read.message) ? 'it does not exist' : read.message}.` };
  const text = read.text;
  if (jsonTooDeepAt(text, MAX_PY_JSON_DEPTH) !== undefined) return { ok: false, error: `The baseline artifact ${file} nests arrays and objects more than ${MAX_PY_JSON_DEPTH} levels deep: it is not an artifact that "build" wrote.` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The baseline artifact ${file} is not valid JSON (${(e as Error).message}). Give the artifact.json that "build" wrote or that was uploaded.` };
  }
  return baselineFromArtifact(value, path.basename(file));
}

function git(args: string[], cwd: string, signal?: AbortSignal): Promise<{ ok: true; out: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, signal, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, out: stdout });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ ok: false, error: 'git is not installed (or not on PATH)' });
      resolve({ ok: false, error: (stderr || err.message).trim().split('\n')[0] });
    });
  });
}

/**
 * The release at a git ref of the repository holding `pluginRoot`: plugin_config.yml and the schema
 * read with `git show`, the migration ids from the Python analysis of srcDir as it was at that ref
 * (extracted with `git archive` into a temporary folder, never over the working tree).
 */
export async function loadGitBaseline(pluginRoot: string, ref: string, signal?: AbortSignal): Promise<BaselineResult> {
  const fail = (why: string): BaselineResult => ({ ok: false, error: `The baseline git ref "${ref}" cannot be read: ${why}.` });
  if (ref.startsWith('-')) return fail('a ref cannot start with "-"');
  const top = await git(['rev-parse', '--show-toplevel'], pluginRoot, signal);
  if (!top.ok) return fail(`${pluginRoot} is not in a git repository (${top.error})`);
  const repo = top.out.trim();
  const commit = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], pluginRoot, signal);
  if (!commit.ok || !commit.out.trim()) return fail('no such commit, branch or tag in this repository');
  const sha = commit.out.trim();
  const rel = path.relative(fs.realpathSync(repo), fs.realpathSync(pluginRoot)).split(path.sep).join('/');
  const inRepo = (p: string) => path.posix.normalize(rel ? `${rel}/${p}` : p);
  const configText = await git(['show', `${sha}:${inRepo('plugin_config.yml')}`], repo, signal);
  if (!configText.ok) return fail(`plugin_config.yml is not in it (${configText.error})`);
  let config: unknown;
  try {
    config = parseYaml(configText.out, { version: '1.1', uniqueKeys: false });
  } catch (e) {
    return fail(`its plugin_config.yml is not valid YAML (${(e as Error).message})`);
  }
  if (!isObj(config) || typeof config.schemaFile !== 'string' || typeof config.srcDir !== 'string') return fail('its plugin_config.yml has no schemaFile or srcDir');
  const schemaText = await git(['show', `${sha}:${inRepo(config.schemaFile)}`], repo, signal);
  if (!schemaText.ok) return fail(`its schema file ${config.schemaFile} is not in it (${schemaText.error})`);
  // The check's limits, as for the schema in the working tree.
  const size = Buffer.byteLength(schemaText.out);
  if (size > MAX_ANALYSED_FILE_BYTES) return fail(`its ${config.schemaFile} is too large to check (${formatByteSize(size)}; the limit is ${formatByteSize(MAX_ANALYSED_FILE_BYTES)})`);
  if (jsonTooDeepAt(schemaText.out) !== undefined) return fail(`its ${config.schemaFile} nests arrays and objects more than ${MAX_SCHEMA_DEPTH} levels deep, too deep to check`);
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText.out);
  } catch (e) {
    return fail(`its ${config.schemaFile} is not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(schema)) return fail(`its ${config.schemaFile} is not a JSON object`);

  const ids = await migrationIdsAt(repo, sha, inRepo, config, configText.out, schemaText.out, signal);
  if (!ids.ok) return fail(ids.error);
  const buildNumber = typeof config.buildNumber === 'string' ? standardizeBuildNumber(config.buildNumber) : undefined;
  return { ok: true, baseline: { label: `git ${ref} (${sha.slice(0, 7)})`, kind: 'git', buildNumber, schemas: schema, migrationIds: ids.ids } };
}

async function migrationIdsAt(
  repo: string, sha: string, inRepo: (p: string) => string, config: Obj, configText: string, schemaText: string, signal?: AbortSignal,
): Promise<{ ok: true; ids: string[] } | { ok: false; error: string }> {
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dpstudio-baseline-'));
  try {
    const root = path.join(work, 'plugin');
    const tar = path.join(work, 'src.tar');
    const src = inRepo(config.srcDir as string);
    const archived = await git(['archive', '--format=tar', `--prefix=`, '-o', tar, sha, '--', src], repo, signal);
    if (!archived.ok) return { ok: false, error: `its srcDir ${config.srcDir} cannot be read (${archived.error})` };
    await fs.promises.mkdir(path.join(work, 'tree'), { recursive: true });
    const extracted = await new Promise<string | undefined>((resolve) =>
      execFile('tar', ['-xf', tar, '-C', path.join(work, 'tree')], { signal }, (err, _o, stderr) => resolve(err ? (stderr || err.message).trim() : undefined)),
    );
    if (extracted) return { ok: false, error: `its srcDir could not be extracted (${extracted})` };
    // The plugin folder is laid out as at the ref: config and schema beside srcDir.
    await fs.promises.mkdir(root, { recursive: true });
    await fs.promises.rename(path.join(work, 'tree', ...src.split('/')), path.join(root, ...(config.srcDir as string).split('/').filter((s) => s && s !== '.')));
    await fs.promises.writeFile(path.join(root, 'plugin_config.yml'), configText);
    await fs.promises.mkdir(path.dirname(path.join(root, config.schemaFile as string)), { recursive: true });
    await fs.promises.writeFile(path.join(root, config.schemaFile as string), schemaText);
    const ops = await findImplementedOperations(root);
    return { ok: true, ids: sortedCanonical(ops.filter((o) => o.migrationType !== 'LUA').map((o) => o.migrationId)) };
  } catch (e) {
    return { ok: false, error: `its source code could not be analysed (${(e as Error).message})` };
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * A baseline given as text (a setting or `--baseline`): an existing file is an artifact (a relative
 * path is taken from `base`, then from the plugin root); anything else is a git ref.
 */
export async function loadBaseline(spec: string, pluginRoot: string, base: string = pluginRoot, signal?: AbortSignal): Promise<BaselineResult> {
  const s = spec.trim();
  if (!s) return { ok: false, error: 'The baseline is empty: give an artifact file or a git ref.' };
  for (const candidate of [path.resolve(base, s), path.resolve(pluginRoot, s)]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return loadArtifactBaseline(candidate);
  }
  if (/\.json$/i.test(s)) return { ok: false, error: `The baseline artifact ${path.resolve(base, s)} does not exist.` };
  return loadGitBaseline(pluginRoot, s, signal);
}
