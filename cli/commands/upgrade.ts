import * as path from 'path';
import type { CliCommand } from '../io';
import { parseArgs, UsageError } from '../io';
import { CONFIG_FILE_NAME } from '../../core/analysis/discovery';
import { loadBaseline } from '../../core/upgrade/baseline';
import { applyUpgraded, collectKeptObjects, noKeptObjectsMessage } from '../../core/upgrade/localObjects';
import { readObjectsFile, type SavedObject } from '../../core/upgrade/objects';
import { runUpgrade } from '../../core/upgrade/runUpgrade';
import { formatUpgradeRun } from '../../core/upgrade/upgradeReport';
import * as fs from 'fs';

export const command: CliCommand = {
  name: 'upgrade',
  summary: 'Run the data migrations on objects saved under a released version and validate the results',
  usage: `upgrade [DIR] --from ARTIFACT|GIT-REF [--objects FILE | --apply] [--lua-version V] [--python PATH] [--format text|json]

  DIR            the plugin folder, the new version (default: .)
  --from         the installed version: its artifact .json or a git ref of the plugin's repository
  --objects      saved objects, keyed by schema names: {"repository": [...], "sourceConfig": [...],
                 "linkedSource": [...], "virtualSource": [...], "snapshot": [...]}
                 (default: the local engine's kept objects of every sync profile: the
                 profiles' values, the dSource's and VDBs' snapshots, each VDB's parameters
                 and source config, the last discovery's results; read only)
  --apply        with the kept objects: when every object upgrades to a valid object, write the
                 migrated values back (profiles, objects.json, snapshot metadata), each profile
                 under its run lock; nothing is written when any object fails
  --lua-version  the installed Lua toolkit's version: Lua migrations at or above it run first
  --python       the interpreter to run the plugin with (default python3)
  --format       text (default) or json

The migrations the baseline lacks run in the engine's order under the simulated runtime (no remote
hosts; libs.upgrade_password only), then each result is validated against the new schema.
Exit code: 0 when every object upgrades to a valid object, 1 otherwise, 2 on a usage mistake.`,
  async run(args, io) {
    const a = parseArgs(args, { flags: ['--apply'], options: ['--from', '--objects', '--lua-version', '--python', '--format'] });
    if (a.positionals.length > 1) throw new UsageError('give at most one plugin folder');
    const from = a.options.get('--from')?.[0];
    if (!from) throw new UsageError('--from is required: the artifact .json or git ref of the installed version');
    const objectsFile = a.options.get('--objects')?.[0];
    const apply = a.flags.has('--apply');
    if (apply && objectsFile) throw new UsageError('--apply writes back the local engine\'s kept objects; it cannot be used with --objects');
    const format = a.options.get('--format')?.[0] ?? 'text';
    if (!['text', 'json'].includes(format)) throw new UsageError(`unknown format "${format}": use text or json`);
    const lua = a.options.get('--lua-version')?.[0];
    if (lua !== undefined && !/^\d+\.\d+$/.test(lua)) throw new UsageError(`--lua-version "${lua}" must be major.minor, such as 1.2`);
    const root = path.resolve(io.cwd, a.positionals[0] ?? '.');
    if (!fs.existsSync(path.join(root, CONFIG_FILE_NAME))) {
      io.err(`${root} has no ${CONFIG_FILE_NAME}. Give the plugin folder of the new version.`);
      return 1;
    }
    const baseline = await loadBaseline(from, root, io.cwd, io.signal);
    if (!baseline.ok) {
      io.err(baseline.error);
      return 1;
    }
    let saved: SavedObject[];
    let source: string;
    if (objectsFile) {
      const objects = readObjectsFile(path.resolve(io.cwd, objectsFile));
      if (!objects.ok) {
        io.err(objects.error);
        return 1;
      }
      saved = objects.objects;
      source = `the objects in ${objectsFile}`;
    } else {
      const kept = collectKeptObjects(root);
      for (const p of kept.problems) io.err(`note: ${p}`);
      if (kept.objects.length === 0) {
        io.err(noKeptObjectsMessage(root));
        return 1;
      }
      saved = kept.objects;
      source = `the local engine's kept objects (${kept.objects.length})${apply ? '' : ', read only: --apply writes the upgraded values back'}`;
    }
    const run = await runUpgrade({ pluginRoot: root, baseline: baseline.baseline, objects: saved, luaUpgradeVersion: lua, python: a.options.get('--python')?.[0], signal: io.signal, env: io.env });
    const applied = apply && !run.error ? applyUpgraded(root, run.outcomes) : undefined;
    if (format === 'json') {
      io.out(JSON.stringify({ baseline: baseline.baseline.label, source, applied, ok: run.ok && applied?.ok !== false, error: run.error, migrationIds: run.migrationIds, objects: run.outcomes.map((o) => ({ kind: o.object.kind, label: o.object.label, ok: o.ok, steps: o.steps.map(({ id, type, function: fn, error }) => ({ id, type, function: fn, error: error && { kind: error.kind, message: error.message, forbidden: error.forbidden } })), engineMessage: o.engineMessage, failures: o.failures })) }, null, 2));
    } else if (run.error) io.err(formatUpgradeRun(run, baseline.baseline.label, io.cwd));
    else {
      io.out(`Objects: ${source}.`);
      io.out(formatUpgradeRun(run, baseline.baseline.label, io.cwd));
      if (applied?.ok && applied.written.length === 0) io.out('\nNothing to write back: the migrations changed none of the kept objects.');
      else if (applied?.ok) io.out(['', 'Written back (the local engine keeps the upgraded objects):', ...applied.written.map((w) => `  ${w}`)].join('\n'));
      else if (applied) io.err(applied.error);
    }
    return run.ok && applied?.ok !== false ? 0 : 1;
  },
};
