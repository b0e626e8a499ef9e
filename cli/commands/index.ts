// The table of CLI subcommands, in the order `help` lists them. Each lives in its own module.
import type { CliCommand } from '../io';
import { checkPlugins } from '../../core/analysis/checkPlugin';
import { command as check } from './check';
import { command as init } from './init';
import { createBuildCommand } from './build';
import { command as generate } from './generate';
import { command as upload } from './upload';
import { command as downloadLogs } from './downloadLogs';
import { syncCommand, resyncCommand } from './sync';
import { discoverCommand, objectsCommand, provisionCommand, vdbCommand } from './lifecycle';
import { command as upgrade } from './upgrade';

// One analysis serves both the check before the build and the manifest's list of operations.
const analysed = new Map<string, ReturnType<typeof checkPlugins>>();
const analyse = (root: string) => {
  if (!analysed.has(root)) analysed.set(root, checkPlugins(root));
  return analysed.get(root)!;
};
const build = createBuildCommand({
  validate: async (root) => (await analyse(root)).problems,
  findOperations: async (root) => (await analyse(root)).operations.get(root) ?? [],
});

export const COMMANDS: CliCommand[] = [check, build, generate, syncCommand, resyncCommand, discoverCommand, provisionCommand, vdbCommand, objectsCommand, upgrade, upload, downloadLogs, init];
