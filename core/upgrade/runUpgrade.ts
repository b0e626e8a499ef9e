// `upgrade --from <baseline>`: the new version's data migrations run under the simulated runtime
// (python3, runtime/dpstudio_upgrade_runner.py, no shell) on objects saved under the baseline, in
// the engine's order; each result is validated against the new schema. A failure gets the message the
// engine would give and the detail it cannot: which migration, the traceback, the field and why.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBuildConfig, loadSchema } from '../build/pluginConfig';
import { writeGeneratedDefinitions } from '../codegen/writeDefinitions';
import { findRuntimeDir } from '../sync/orchestrator';
import type { Baseline } from './baseline';
import { BY_KIND, type MigrationKind } from './definitions';
import type { SavedObject } from './objects';
import { validateObject, type FieldFailure } from './validateObject';

export const UPGRADE_RUNNER = 'dpstudio_upgrade_runner.py';

export interface MigrationStep {
  id: string;
  type: 'PLATFORM' | 'LUA';
  function: string;
  file: string;
  line: number;
  /** What the migration logged with the platform logger or printed (capped). */
  output?: string;
  changes?: { added: string[]; removed: string[]; changed: string[]; before: Record<string, unknown>; after: Record<string, unknown>; replaced?: boolean };
  error?: { kind: string; message: string; traceback: string; forbidden: { function: string; file: string; line: number }[] };
}

export interface ObjectOutcome {
  object: SavedObject;
  steps: MigrationStep[];
  output?: Record<string, unknown>;
  /** The engine's words for a failed upgrade of this object (undefined when it passed). */
  engineMessage?: string;
  /** Validation failures of the final dict against the new schema. */
  failures?: FieldFailure[];
  unusableSchema?: string;
  /** How the object, as saved, fails the baseline's schema (the engine guarantees migrations valid input). */
  notBaselineValid?: FieldFailure[];
  ok: boolean;
}

export interface UpgradeRun {
  ok: boolean;
  /** Set when nothing could run (no python3, the plugin does not import, ...). */
  error?: string;
  /** The platform migration ids the engine would run (new since the baseline), in order. */
  migrationIds: string[];
  outcomes: ObjectOutcome[];
  /** The new schema's definitions, for masking when reporting. */
  schema?: Record<string, unknown>;
}

export interface UpgradeOptions {
  pluginRoot: string;
  baseline: Baseline;
  objects: SavedObject[];
  /** The installed Lua toolkit's version: Lua migrations at or above it run first (sdk-spec 4.5). */
  luaUpgradeVersion?: string;
  python?: string;
  runtimeDir?: string;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Arguments before the runner script (a debugger: `-m debugpy --listen ... --wait-for-client`). */
  pythonArgsPrefix?: string[];
}

function engineMessage(kind: MigrationKind, step: MigrationStep | undefined): string {
  const d = BY_KIND.get(kind)!;
  if (step?.error?.forbidden.length) return `The upgrade failed: a data migration of the ${d.plural} called a platform library function, which migrations may not do.`;
  if (step) return `The upgrade failed: a data migration of the ${d.plural} raised an error.`;
  return `The upgrade failed: the upgraded ${d.noun} does not conform to the new schema.`;
}

/** A run ready to start: definitions generated, request written, in a temporary folder of its own. */
export interface PreparedUpgrade {
  runnerFile: string;
  requestFile: string;
  resultFile: string;
  srcDir: string;
  schema: Record<string, unknown>;
  options: UpgradeOptions;
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

export async function prepareUpgrade(options: UpgradeOptions): Promise<{ ok: true; prepared: PreparedUpgrade } | { ok: false; error: string }> {
  const root = path.resolve(options.pluginRoot);
  const loaded = loadBuildConfig(root);
  if (!loaded.ok) return { ok: false, error: loaded.errors.join(' ') };
  const config = loaded.value;
  // The build's reading of the schema: the check's size and depth limits, with its messages.
  const loadedSchema = loadSchema(config.schemaFile);
  if (!loadedSchema.ok) return { ok: false, error: loadedSchema.errors.join(' ') };
  const schemaText = loadedSchema.value.text;
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(schemaText) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, error: `${config.schemaFile} cannot be read as JSON: ${(e as Error).message}` };
  }
  const runtimeDir = options.runtimeDir ?? findRuntimeDir();
  if (!runtimeDir || !fs.existsSync(path.join(runtimeDir, UPGRADE_RUNNER))) return { ok: false, error: `The simulator's runtime (${UPGRADE_RUNNER}) was not found; the installation is incomplete.` };
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dpstudio-upgrade-'));
  const dispose = () => fs.promises.rm(work, { recursive: true, force: true }).catch(() => undefined);
  const generated = await writeGeneratedDefinitions(work, schemaText);
  if (generated.written.length === 0) {
    await dispose();
    return { ok: false, error: `The generated definitions could not be written: ${(generated.problems ?? []).join(' ')}` };
  }
  const request = {
    srcDir: config.srcDir,
    generatedRoot: work,
    entryPoint: config.entryPoint,
    baselineMigrationIds: options.baseline.migrationIds,
    luaUpgradeVersion: options.luaUpgradeVersion ?? null,
    objects: options.objects.map((o) => ({ kind: o.kind, index: o.index, json: JSON.stringify(o.value) })),
  };
  const requestFile = path.join(work, 'request.json');
  await fs.promises.writeFile(requestFile, JSON.stringify(request));
  return { ok: true, prepared: { runnerFile: path.join(runtimeDir, UPGRADE_RUNNER), requestFile, resultFile: path.join(work, 'result.json'), srcDir: config.srcDir, schema, options, dispose } };
}

/** The runner's result file as an UpgradeRun: failures explained, outputs validated against the new schema. */
export function interpretResult(prepared: PreparedUpgrade, runnerOutput = ''): UpgradeRun {
  const none = (error: string): UpgradeRun => ({ ok: false, error, migrationIds: [], outcomes: [] });
  const { options, schema } = prepared;
  let result: {
    loadError?: { kind: string; message: string; traceback: string };
    migrationIds?: string[];
    allMigrationIds?: string[];
    objects: { kind: MigrationKind; index: number; ran: MigrationStep[]; output?: Record<string, unknown> }[];
  };
  try {
    result = JSON.parse(fs.readFileSync(prepared.resultFile, 'utf8'));
  } catch {
    return none(`The upgrade runner ended without a result.${runnerOutput ? ` Its output:\n${runnerOutput}` : ''}`);
  }
  if (result.loadError) {
    return none(`The plugin could not be loaded: ${result.loadError.kind}: ${result.loadError.message}\n${result.loadError.traceback}`.trimEnd());
  }
  const gone = options.baseline.migrationIds.filter((id) => !(result.allMigrationIds ?? []).includes(id));
  if (gone.length > 0) {
    return none(`The engine refuses this upgrade: the baseline's migration${gone.length > 1 ? 's' : ''} ${gone.map((g) => `'${g}'`).join(', ')} ${gone.length > 1 ? 'are' : 'is'} missing from the new version. A released migration must never be deleted; restore it.`);
  }
  const byKey = new Map(options.objects.map((o) => [`${o.kind}#${o.index}`, o]));
  const outcomes: ObjectOutcome[] = result.objects.map((r) => withInputCheck(options.baseline, interpretObject(r)));
  return { ok: outcomes.every((o) => o.ok), migrationIds: result.migrationIds ?? [], outcomes, schema };

  function interpretObject(r: (typeof result.objects)[number]): ObjectOutcome {
    const object = byKey.get(`${r.kind}#${r.index}`)!;
    const failed = r.ran.find((s) => s.error);
    if (failed || !r.output) return { object, steps: r.ran, ok: false, engineMessage: engineMessage(r.kind, failed) };
    const definition = BY_KIND.get(r.kind)!.definition;
    const v = validateObject(schema[definition], r.output);
    if (v.ok) return { object, steps: r.ran, output: r.output, ok: true };
    return { object, steps: r.ran, output: r.output, ok: false, engineMessage: engineMessage(r.kind, undefined), ...('failures' in v ? { failures: v.failures } : { unusableSchema: v.unusable }) };
  }
}

function withInputCheck(baseline: Baseline, outcome: ObjectOutcome): ObjectOutcome {
  const schema = baseline.schemas[BY_KIND.get(outcome.object.kind)!.definition];
  if (!schema) return outcome;
  const v = validateObject(schema, outcome.object.value);
  return 'failures' in v ? { ...outcome, notBaselineValid: v.failures } : outcome;
}

export async function runUpgrade(options: UpgradeOptions): Promise<UpgradeRun> {
  const p = await prepareUpgrade(options);
  if (!p.ok) return { ok: false, error: p.error, migrationIds: [], outcomes: [] };
  const { prepared } = p;
  try {
    const python = options.python ?? 'python3';
    const ran = await spawnRunner(python, [...(options.pythonArgsPrefix ?? []), prepared.runnerFile, '--request', prepared.requestFile, '--result', prepared.resultFile], prepared.srcDir, options);
    if (!ran.ok) return { ok: false, error: ran.error, migrationIds: [], outcomes: [] };
    return interpretResult(prepared, ran.stderr);
  } finally {
    await prepared.dispose();
  }
}

function spawnRunner(python: string, args: string[], cwd: string, options: UpgradeOptions): Promise<{ ok: true; stderr: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve({ ok: false, error: 'The upgrade run was cancelled.' });
    let stderr = '';
    let settled = false;
    const child = spawn(python, args, { cwd, env: { ...(options.env ?? process.env), PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const onAbort = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (r: { ok: true; stderr: string } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    child.on('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, error: e.code === 'ENOENT' ? `${python} was not found. Install Python 3 or set the interpreter to use.` : `${python} could not start: ${e.message}` }),
    );
    child.on('close', (code, signal) => {
      if (options.signal?.aborted) return done({ ok: false, error: 'The upgrade run was cancelled.' });
      if (code === 0) return done({ ok: true, stderr });
      done({ ok: false, error: `The upgrade runner stopped ${signal ? `on signal ${signal}` : `with exit code ${code}`}.${stderr ? `\n${stderr.trimEnd()}` : ''}` });
    });
  });
}
