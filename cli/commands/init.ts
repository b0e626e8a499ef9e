import * as crypto from 'crypto';
import * as path from 'path';
import type { CliCommand } from '../io';
import { parseArgs, UsageError } from '../io';
import { createNewPlugin, initialLaunchJson, initialSyncFiles, ScaffoldError } from '../../core/scaffold/newPlugin';
import { generatePluginDefinitions } from '../../core/build/generateOnly';

export const command: CliCommand = {
  name: 'init',
  summary: 'Create a new plugin (the equivalent of `dvp init`)',
  usage: `init [DIR] [--type STAGED|DIRECT] [--host UNIX|WINDOWS] [--name NAME] [--sdk VERSION]

  DIR      the plugin folder; created if missing (default: .)
  --type   the ingestion strategy (default DIRECT, as dvp init)
  --host   the host type (default UNIX)
  --name   the display name (default: the new plugin id, as dvp init)`,
  async run(args, io) {
    const a = parseArgs(args, { options: ['--type', '--host', '--name', '--sdk'] });
    if (a.positionals.length > 1) throw new UsageError('give at most one folder');
    const type = (a.options.get('--type')?.[0] ?? 'DIRECT').toUpperCase();
    if (type !== 'STAGED' && type !== 'DIRECT') throw new UsageError(`--type must be STAGED or DIRECT, not "${type}"`);
    const host = a.options.get('--host')?.[0] ?? 'UNIX';
    if (host !== 'UNIX' && host !== 'WINDOWS') throw new UsageError(`--host must be UNIX or WINDOWS (upper case), not "${host}"`);
    const root = path.resolve(io.cwd, a.positionals[0] ?? '.');
    try {
      const id = crypto.randomUUID();
      const r = createNewPlugin(
        { root, id, strategy: type, hostType: host, name: a.options.get('--name')?.[0], sdkVersion: a.options.get('--sdk')?.[0] },
        [...initialSyncFiles(id, type), initialLaunchJson()],
      );
      io.out(`Created ${type} plugin ${r.id} in ${root}:`);
      for (const f of r.written) io.out(`  ${path.relative(root, f)}`);
      // As dvp init does, generate the definitions so the entry point's imports resolve at once.
      const gen = await generatePluginDefinitions(root);
      if (gen.ok) io.out(`  ${path.relative(root, path.join(gen.srcDir!, 'generated'))}/ (${gen.written.length} files)`);
      else io.err(`The definitions could not be generated: ${gen.errors.join('; ')}`);
      return 0;
    } catch (e) {
      if (e instanceof ScaffoldError) {
        io.err(e.message);
        return 1;
      }
      throw e;
    }
  },
};
