// `sync` and `resync`: run a simulated staged (or direct) sync of a plugin on this machine with a sync
// profile, print progress as it goes and the report at the end. Ctrl-C, SIGTERM and SIGHUP cancel (the
// previous snapshot stays as it was; the exit code is 128 + the signal's number).
import * as path from 'path';
import type { CliCommand, CliIO } from '../io';
import { parseArgs, UsageError } from '../io';
import { runSync, type SyncEvent } from '../../core/sync/orchestrator';
import { formatReport, type SyncMode } from '../../core/sync/report';

const COMMON_OPTIONS = `  DIR               the plugin folder, holding plugin_config.yml (default: .)
  --profile NAME    the sync profile .delphix/sync/NAME.json (default: local, or the only profile)
  --python PATH     the interpreter that runs the plugin (default: the profile's, else python3)
  --timeout SECONDS the longest one operation may run (default: the profile's, else 600)
  --json            print the report as JSON instead of text`;

export function progress(io: CliIO, json: boolean): (event: SyncEvent) => void {
  if (json) return () => undefined;
  return (event) => {
    switch (event.type) {
      case 'step.start':
        io.err(`… ${String(event.name)}`);
        break;
      case 'step.end':
        io.err(`${event.ok ? '✓' : '✗'} ${String(event.name)} (${String(event.durationMs)} ms)`);
        break;
      case 'command':
        io.err(`  $ ${String(event.command)}  → exit ${String(event.exitCode)} (${String(event.durationMs)} ms)`);
        break;
      case 'log':
        io.err(`  [${String(event.level)}] ${String(event.message)}`);
        break;
      case 'mount':
        if (event.mapped) io.err(`  mount ${String(event.requested)} → ${String(event.path)}`);
        break;
    }
  };
}

async function run(args: string[], io: CliIO, resync: boolean): Promise<number> {
  const parsed = parseArgs(args, { flags: resync ? ['--json'] : ['--policy', '--json'], options: ['--profile', '--python', '--timeout'] });
  if (parsed.positionals.length > 1) throw new UsageError('give at most one plugin folder');
  const timeout = parsed.options.get('--timeout')?.[0];
  const seconds = timeout !== undefined ? Number(timeout) : undefined;
  if (seconds !== undefined && !(seconds > 0)) throw new UsageError('--timeout needs a number of seconds greater than 0');
  const json = parsed.flags.has('--json');
  const mode: SyncMode = resync ? 'resync' : parsed.flags.has('--policy') ? 'policy' : 'sync';
  const report = await runSync({
    pluginRoot: path.resolve(io.cwd, parsed.positionals[0] ?? '.'),
    profile: parsed.options.get('--profile')?.[0],
    python: parsed.options.get('--python')?.[0],
    operationTimeoutMs: seconds !== undefined ? seconds * 1000 : undefined,
    mode,
    env: io.env,
    signal: io.signal,
    onEvent: progress(io, json),
  });
  io.out(json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Run a simulated sync of the plugin on this machine (mount, pre_snapshot, snapshot, post_snapshot)',
  usage: `sync [DIR] [--profile NAME] [--policy] [--python PATH] [--timeout SECONDS] [--json]

${COMMON_OPTIONS}
  --policy          a policy (scheduled) sync: optional_snapshot_parameters is None
                    (default: a manual sync with the profile's snapshotParameters, resync false)

Exit code 0 when the sync succeeded and its snapshot was committed, 1 otherwise; 130, 143 or 129 when
SIGINT, SIGTERM or SIGHUP cancelled it.`,
  run: (args, io) => run(args, io, false),
};

export const resyncCommand: CliCommand = {
  name: 'resync',
  summary: 'Run a simulated resync of the plugin (the same operations, with resync true)',
  usage: `resync [DIR] [--profile NAME] [--python PATH] [--timeout SECONDS] [--json]

${COMMON_OPTIONS}

Exit code 0 when the resync succeeded and its snapshot was committed, 1 otherwise.`,
  run: (args, io) => run(args, io, true),
};

export const commands: CliCommand[] = [syncCommand, resyncCommand];
