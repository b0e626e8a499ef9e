// `discover`, `provision`, `vdb <verb> NAME` and `objects`: the rest of a plugin's life on the local
// engine, over the same orchestrator as `sync`. Each prints progress as it goes and the same step
// report as `sync` at the end; Ctrl-C cancels, and the object stays in the state the engine would show.
import * as path from 'path';
import type { CliCommand, CliIO } from '../io';
import { parseArgs, UsageError } from '../io';
import { runSync } from '../../core/sync/orchestrator';
import { formatReport, type SyncWorkflow } from '../../core/sync/report';
import { allObjects, formatObjects, profileObjects } from '../../core/lifecycle/objects';
import { VDB_VERBS } from '../../core/lifecycle/workflows';
import { progress } from './sync';

const COMMON = `  DIR               the plugin folder, holding plugin_config.yml (default: .)
  --profile NAME    the sync profile .delphix/sync/NAME.json (default: local, or the only profile)
  --python PATH     the interpreter that runs the plugin (default: the profile's, else python3)
  --timeout SECONDS the longest one operation may run (default: the profile's, else 600)
  --json            print the report as JSON instead of text`;

interface Parsed {
  root: string;
  profile?: string;
  python?: string;
  seconds?: number;
  json: boolean;
  options: Map<string, string[]>;
  positionals: string[];
}

function parse(args: string[], io: CliIO, extraOptions: string[], positionals: number): Parsed {
  const parsed = parseArgs(args, { flags: ['--json'], options: ['--profile', '--python', '--timeout', ...extraOptions] });
  if (parsed.positionals.length > positionals + 1) throw new UsageError('too many arguments');
  const timeout = parsed.options.get('--timeout')?.[0];
  const seconds = timeout !== undefined ? Number(timeout) : undefined;
  if (seconds !== undefined && !(seconds > 0)) throw new UsageError('--timeout needs a number of seconds greater than 0');
  return {
    root: path.resolve(io.cwd, parsed.positionals[positionals] ?? '.'),
    profile: parsed.options.get('--profile')?.[0],
    python: parsed.options.get('--python')?.[0],
    seconds,
    json: parsed.flags.has('--json'),
    options: parsed.options,
    positionals: parsed.positionals,
  };
}

function snapshotOption(p: Parsed): number | undefined {
  const value = p.options.get('--snapshot')?.[0];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError('--snapshot needs a snapshot id (a number; see "objects")');
  return Number(value);
}

async function runWorkflow(io: CliIO, p: Parsed, workflow: SyncWorkflow, vdb?: string, snapshot?: number): Promise<number> {
  const report = await runSync({
    pluginRoot: p.root,
    profile: p.profile,
    python: p.python,
    operationTimeoutMs: p.seconds !== undefined ? p.seconds * 1000 : undefined,
    workflow,
    vdb,
    snapshot,
    env: io.env,
    signal: io.signal,
    onEvent: progress(io, p.json),
  });
  io.out(p.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

export const discoverCommand: CliCommand = {
  name: 'discover',
  summary: "Run discovery (discovery.repository, then discovery.source_config per repository) on the profile's source environment",
  usage: `discover [DIR] [--profile NAME] [--python PATH] [--timeout SECONDS] [--json]

${COMMON}

What comes back is checked against repositoryDefinition and sourceConfigDefinition (types, required,
identityFields unique, nameField present) and kept (see "objects") only when all of it is valid.`,
  run: (args, io) => runWorkflow(io, parse(args, io, [], 0), 'discovery'),
};

export const provisionCommand: CliCommand = {
  name: 'provision',
  summary: "Provision a VDB from a dSource snapshot (virtual.mount_specification, clone, mount, virtual.configure)",
  usage: `provision [DIR] [--snapshot ID] [--name NAME] [--empty] [--profile NAME] [--python PATH] [--timeout SECONDS] [--json]

${COMMON}
  --snapshot ID     the dSource snapshot to provision from (default: the latest)
  --name NAME       the VDB's name (default: vdb1, vdb2, ...)
  --empty           create an empty VDB with virtual.initialize() instead

The VDB's parameters are the profile's "virtualSource"; it lives on the profile's "target" environment
(default: the staging one). Its data is a copy-on-write clone of the snapshot (reflinks where the
filesystem has them, else a copy; the report says which), so nothing written in it reaches the snapshot.`,
  run: async (args, io) => {
    const parsed = parseArgs(args, { flags: ['--json', '--empty'], options: ['--profile', '--python', '--timeout', '--snapshot', '--name'] });
    const p = parse(args.filter((a) => a !== '--empty'), io, ['--snapshot', '--name'], 0);
    const empty = parsed.flags.has('--empty');
    if (empty && p.options.has('--snapshot')) throw new UsageError('an empty VDB comes from no snapshot: give --snapshot or --empty, not both');
    return runWorkflow(io, p, empty ? 'create-empty' : 'provision', p.options.get('--name')?.[0], snapshotOption(p));
  },
};

export const vdbCommand: CliCommand = {
  name: 'vdb',
  summary: 'Run a VDB workflow: start, stop, status, snapshot, refresh, rollback, enable, disable, delete',
  usage: `vdb <${Object.keys(VDB_VERBS).join('|')}> NAME [DIR] [--snapshot ID] [--profile NAME] [--python PATH] [--timeout SECONDS] [--json]

${COMMON}
  --snapshot ID     refresh: the dSource snapshot (default: the latest); rollback: the VDB snapshot (default: the latest)

Each runs the SDK's workflow in the engine's order (e.g. refresh: virtual.unconfigure, virtual.mount_specification,
clone, mount, virtual.configure). Exit code 0 when it succeeded, 1 otherwise.`,
  run: async (args, io) => {
    const p = parse(args, io, ['--snapshot'], 2);
    const [verb, name] = p.positionals;
    if (!verb || !(verb in VDB_VERBS)) throw new UsageError(`name a VDB workflow: ${Object.keys(VDB_VERBS).join(', ')}`);
    if (!name) throw new UsageError('name the VDB (see "objects")');
    const snapshot = snapshotOption(p);
    if (snapshot !== undefined && verb !== 'refresh' && verb !== 'rollback') throw new UsageError('--snapshot applies to refresh and rollback only');
    return runWorkflow(io, p, VDB_VERBS[verb], name, snapshot);
  },
};

export const objectsCommand: CliCommand = {
  name: 'objects',
  summary: "List the local engine's objects: dSource snapshots, discovered repositories and source configs, VDBs and their state",
  usage: `objects [DIR] [--profile NAME] [--format text|json]

  DIR               the plugin folder (default: .)
  --profile NAME    only this profile's objects (default: every profile's)
  --format json     print them as JSON`,
  run: async (args, io) => {
    const parsed = parseArgs(args, { flags: [], options: ['--profile', '--format'] });
    if (parsed.positionals.length > 1) throw new UsageError('give at most one plugin folder');
    const format = parsed.options.get('--format')?.[0] ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError('--format is text or json');
    const root = path.resolve(io.cwd, parsed.positionals[0] ?? '.');
    const profile = parsed.options.get('--profile')?.[0];
    const all = profile ? [profileObjects(root, profile)] : allObjects(root);
    io.out(format === 'json' ? JSON.stringify(all, null, 2) : formatObjects(all));
    return 0;
  },
};

export const commands: CliCommand[] = [discoverCommand, provisionCommand, vdbCommand, objectsCommand];
