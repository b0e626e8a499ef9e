// "New Plugin": the files `dvp init` writes (plugin_config.yml, schema.json, src/plugin_runner.py),
// with our own wording but the same structure, so the result builds as-is with no warnings. The
// extension adds a sync profile and a launch.json entry on top (see the `extras` option).

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { PluginType } from '../sdk/operations';
import { getSdkVersion } from '../sdk/versions';
import { pythonStrRepr } from '../config/pythonRepr';

export type HostType = 'UNIX' | 'WINDOWS';

export interface NewPluginOptions {
  /** The folder that becomes the plugin root (it may exist, but must not hold the plugin's files yet). */
  root: string;
  strategy: PluginType;
  hostType: HostType;
  /** Display name; `dvp init` uses the id when it is not given. */
  name?: string;
  /** For reproducible tests; a fresh UUID v4 otherwise. */
  id?: string;
  sdkVersion?: string;
}

export interface PlannedFile {
  /** Relative to the plugin root, with forward slashes. */
  path: string;
  content: string;
}

const SCHEMA_TEMPLATE = `{
    "repositoryDefinition": {
        "type": "object",
        "properties": {
            "name": { "type": "string" }
        },
        "nameField": "name",
        "identityFields": ["name"]
    },
    "sourceConfigDefinition": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": false,
        "properties": {
            "name": { "type": "string" }
        },
        "nameField": "name",
        "identityFields": ["name"]
    },
    "virtualSourceDefinition": {
        "type": "object",
        "additionalProperties" : false,
        "properties" : {}
    },
    "linkedSourceDefinition": {
        "type": "object",
        "additionalProperties" : false,
        "properties" : {}
    },
    "snapshotDefinition": {
        "type" : "object",
        "additionalProperties" : false,
        "properties" : {}
    },
    "snapshotParametersDefinition": {
        "type" : "object",
        "additionalProperties" : false,
        "properties" : {}
    }
}
`;

/** A YAML scalar that reads back as the same string (quoted only when plain style would not). */
function yamlString(s: string): string {
  if (/^[A-Za-z0-9_][A-Za-z0-9_ .:\-/]*$/.test(s) && !/: |:$| $/.test(s) && !/^(true|false|yes|no|on|off|null|~|[0-9.eE+-]+)$/i.test(s)) return s;
  return `'${s.replace(/'/g, "''")}'`;
}

export function entryPointSource(id: string, strategy: PluginType, hostType: HostType): string {
  const mountPattern = hostType === 'WINDOWS' ? 'C:\\\\tmp\\\\dlpx_staged_mounts\\\\{}' : '/tmp/dlpx_staged_mounts/{}';
  const linked =
    strategy === 'STAGED'
      ? `@plugin.linked.post_snapshot()
def linked_post_snapshot(staged_source,
                         repository,
                         source_config,
                         optional_snapshot_parameters):
    return SnapshotDefinition()


@plugin.linked.mount_specification()
def linked_mount_specification(staged_source, repository):
    mount_path = "${mountPattern}".format(staged_source.guid)
    environment = staged_source.staged_connection.environment
    mounts = [Mount(environment, mount_path)]

    return MountSpecification(mounts)`
      : `@plugin.linked.post_snapshot()
def linked_post_snapshot(direct_source, repository, source_config,
                         optional_snapshot_parameters):
    return SnapshotDefinition()`;
  return `from dlpx.virtualization.platform import Mount, MountSpecification, Plugin

from generated.definitions import (
    RepositoryDefinition,
    SourceConfigDefinition,
    SnapshotDefinition,
)

plugin = Plugin()


# The decorators below register each function as a plugin operation on the
# 'plugin' object above; the engine calls them by operation, not by name.
@plugin.discovery.repository()
def repository_discovery(source_connection):
    # RepositoryDefinition is generated from the repositoryDefinition schema.
    # "Delphix: Generate Definitions" (or \`dvp build -g\`) writes src/generated.
    return [RepositoryDefinition(name=${pythonStrRepr(id)})]


@plugin.discovery.source_config()
def source_config_discovery(source_connection, repository):
    # Return SourceConfigDefinitions here, as above, to discover source
    # configs automatically.
    return []


${linked}


@plugin.virtual.configure()
def configure(virtual_source, snapshot, repository):
    return SourceConfigDefinition(name=virtual_source.guid)


@plugin.virtual.reconfigure()
def reconfigure(virtual_source, repository, source_config, snapshot):
    return SourceConfigDefinition(name=virtual_source.guid)


@plugin.virtual.post_snapshot()
def virtual_post_snapshot(virtual_source, repository, source_config):
    return SnapshotDefinition()


@plugin.virtual.mount_specification()
def virtual_mount_specification(virtual_source, repository):
    mount_path = "${mountPattern}".format(virtual_source.guid)
    mounts = [Mount(virtual_source.connection.environment, mount_path)]

    return MountSpecification(mounts)
`;
}

export function configSource(o: { id: string; name: string; strategy: PluginType; hostType: HostType; language: string }): string {
  return [
    `id: ${o.id}`,
    `name: ${yamlString(o.name)}`,
    `language: ${o.language}`,
    'hostTypes:',
    `- ${o.hostType}`,
    `pluginType: ${o.strategy}`,
    'entryPoint: plugin_runner:plugin',
    'srcDir: src',
    'schemaFile: schema.json',
    'buildNumber: 0.1.0',
    '',
  ].join('\n');
}

/** The files of a new plugin, without touching the disk. */
export function planNewPlugin(o: NewPluginOptions): { id: string; files: PlannedFile[] } {
  const id = o.id ?? crypto.randomUUID();
  const name = o.name?.trim() || id;
  const language = getSdkVersion(o.sdkVersion).language;
  return {
    id,
    files: [
      { path: 'plugin_config.yml', content: configSource({ id, name, strategy: o.strategy, hostType: o.hostType, language }) },
      { path: 'schema.json', content: SCHEMA_TEMPLATE },
      { path: 'src/plugin_runner.py', content: entryPointSource(id, o.strategy, o.hostType) },
    ],
  };
}

export class ScaffoldError extends Error {}

/**
 * Write a new plugin. Refuses, as `dvp init` does, when plugin_config.yml, schema.json or src already
 * exist, and removes what it wrote when a write fails half-way. `extras` are written after the plugin's
 * own files (sync profile, launch.json, generated definitions); an existing extra is left alone.
 */
export function createNewPlugin(o: NewPluginOptions, extras: PlannedFile[] = []): { id: string; written: string[] } {
  const root = path.resolve(o.root);
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) throw new ScaffoldError(`${root} is a file; choose a folder for the new plugin.`);
  for (const p of ['plugin_config.yml', 'schema.json', 'src']) {
    const full = path.join(root, p);
    if (fs.existsSync(full)) throw new ScaffoldError(`The path '${full}' already exists. Choose an empty folder, or remove it first.`);
  }
  const plan = planNewPlugin(o);
  const written: string[] = [];
  try {
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    for (const f of plan.files) {
      const full = path.join(root, f.path);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, f.content, { flag: 'wx' });
      written.push(full);
    }
  } catch (e) {
    for (const p of ['plugin_config.yml', 'schema.json', 'src']) fs.rmSync(path.join(root, p), { recursive: true, force: true });
    throw new ScaffoldError(`Failed to create the plugin in ${root}: ${(e as Error).message}`);
  }
  for (const f of extras) {
    const full = path.join(root, f.path);
    if (fs.existsSync(full)) continue;
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, f.content);
    written.push(full);
  }
  return { id: plan.id, written };
}

/**
 * The sync profile a new plugin gets (both environments on this machine, values the template schema
 * accepts), and for DIRECT plugins the source folder the engine would copy from.
 */
export function initialSyncFiles(id: string, strategy: PluginType): PlannedFile[] {
  const profile = {
    description:
      'The values the engine would ask for when this dSource is linked, for the simulated sync. Both environments are this machine; change them to { "type": "ssh", "host": ... } to use real hosts.',
    environments: { staging: { type: 'local' }, source: { type: 'local' } },
    repository: { name: id },
    sourceConfig: { name: 'dataset' },
    linkedSource: {},
    snapshotParameters: {},
    ...(strategy === 'DIRECT' ? { sourceFolder: '${pluginRoot}/sample-source' } : {}),
  };
  const files: PlannedFile[] = [{ path: '.delphix/sync/local.json', content: JSON.stringify(profile, null, 2) + '\n' }];
  if (strategy === 'DIRECT') {
    files.push({
      path: 'sample-source/README.txt',
      content: 'The data the simulated DIRECT sync copies into the dSource (sourceFolder in .delphix/sync/local.json). Put sample files here.\n',
    });
  }
  return files;
}

/** The launch configuration that runs the simulated sync under the debugger. */
export const DEBUG_SYNC_LAUNCH = { type: 'delphix-sync', request: 'launch', name: 'Debug simulated sync', plugin: '${workspaceFolder}', profile: 'local', mode: 'sync' };

export function initialLaunchJson(): PlannedFile {
  return { path: '.vscode/launch.json', content: JSON.stringify({ version: '0.2.0', configurations: [DEBUG_SYNC_LAUNCH] }, null, 2) + '\n' };
}
