import * as fs from 'fs';
import * as path from 'path';
import type { CliCommand } from '../io';
import { parseArgs, UsageError } from '../io';
import { runGenerate } from './build';

export const command: CliCommand = {
  name: 'generate',
  summary: 'Regenerate <srcDir>/generated from schema.json (the equivalent of `dvp build -g`, no Java needed)',
  usage: `generate [DIR]

  DIR   the plugin folder, holding plugin_config.yml (default: .)

Writes generated/__init__.py, generated/util.py and generated/definitions/ (one module per class)
into srcDir, replacing the previous package in one step. Nothing else is touched.`,
  async run(args, io) {
    const a = parseArgs(args, {});
    if (a.positionals.length > 1) throw new UsageError('give at most one plugin folder');
    const root = path.resolve(io.cwd, a.positionals[0] ?? '.');
    if (!fs.existsSync(path.join(root, 'plugin_config.yml'))) {
      io.err(`error: no plugin_config.yml in ${root}. Run this in a plugin folder or give the folder as DIR.`);
      return 1;
    }
    return runGenerate(root, io);
  },
};
