// `download-logs`: dvp download-logs over the engine core (core/engine/client.ts).
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { downloadPluginLogs } from '../../core/engine/client';
import { MAX_CONFIG_FILE_BYTES, readTextWithin } from '../../core/files';
import { ENGINE_USAGE, engineTarget, formatBytes, obtainPassword, option, parseEngineArgs, progressPrinter, reportFailure, REQUEST_TIMEOUT_HINT } from './engineShared';

/** The plugin's `id` and `name` (all dvp reads from the config here), or a message saying what is wrong. */
export function readPluginIdentity(configFile: string): { id: string; name: string } | { error: string } {
  // The check's size limit, stated before the file is read.
  const read = readTextWithin(configFile, MAX_CONFIG_FILE_BYTES);
  if (!read.ok && read.reason === 'tooLarge') return { error: `${configFile}: ${read.message}` };
  if (!read.ok) {
    const code = /^(E[A-Z]+)/.exec(read.message)?.[1] ?? read.message;
    return { error: `Cannot read the plugin config ${configFile} (${code}). Run the command in the plugin folder, or give it with --plugin-config.` };
  }
  const text = read.text;
  let doc: unknown;
  try {
    doc = parseYaml(text, { version: '1.1', uniqueKeys: false });
  } catch (e) {
    return { error: `${configFile} is not valid YAML: ${(e as Error).message}` };
  }
  const record = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  const missing = (['id', 'name'] as const).filter((k) => typeof record[k] !== 'string' || !(record[k] as string).trim());
  if (missing.length) return { error: `${configFile} needs ${missing.map((k) => `'${k}'`).join(' and ')} as text to find the plugin on the engine.` };
  return { id: record.id as string, name: record.name as string };
}

export const command: CliCommand = {
  name: 'download-logs',
  summary: 'Download the plugin\'s logs from a Delphix Engine, as `dvp download-logs` does',
  usage: `download-logs [DIR] --engine HOST[:PORT] --user USER [--directory DIR] [--plugin-config FILE]
       [--https] [--ca-file FILE] [--insecure] [--timeout-request SECONDS]

  DIR                  the plugin folder (default: .)
  --plugin-config FILE the plugin config naming the plugin (default: DIR/plugin_config.yml); also -c
  --directory DIR      where to save dlpx-plugin-logs-<name>-<token>.tar.gz (default: .); also -d
${ENGINE_USAGE}

Exit code: 0 when the logs were saved, 1 on failure, 2 on a usage mistake.`,
  async run(args, io) {
    const a = parseEngineArgs(args, { options: ['--directory', '-d', '--plugin-config', '-c'] });
    if (a.positionals.length > 1) throw new UsageError('give at most one plugin folder');
    const dir = path.resolve(io.cwd, a.positionals[0] ?? '.');
    const configFile = path.resolve(dir, option(a, '--plugin-config', '-c') ?? 'plugin_config.yml');
    const directory = path.resolve(io.cwd, option(a, '--directory', '-d') ?? '.');
    const target = engineTarget(a, io);
    const plugin = readPluginIdentity(configFile);
    if ('error' in plugin) {
      io.err(plugin.error);
      return 1;
    }
    const password = await obtainPassword(target, io);
    if (password === undefined) return 1;
    try {
      const r = await downloadPluginLogs({
        profile: target.profile,
        password,
        pluginId: plugin.id,
        pluginName: plugin.name,
        directory,
        requestTimeoutMs: target.requestTimeoutMs,
        requestTimeoutHint: REQUEST_TIMEOUT_HINT,
        signal: io.signal,
        onProgress: progressPrinter(io),
      });
      io.out(`Plugin logs were successfully downloaded to ${r.file} (${formatBytes(r.bytes)}).`);
      return 0;
    } catch (e) {
      return reportFailure(e, password, io);
    }
  },
};
