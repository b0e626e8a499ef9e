// Generators of large plugins for the benchmarks (and scale tests): a schema with many properties and
// a plugin with many Python modules that pass staged_source around.
import * as fs from 'fs';
import * as path from 'path';

export function bigSchema(properties: number): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (let i = 0; i < properties; i++) {
    props[`settingNumber${i}`] = { type: i % 3 === 0 ? 'integer' : 'string', prettyName: `Setting ${i}`, description: `Generated property ${i}` };
  }
  const simple = (extra: Record<string, unknown> = {}) => ({ type: 'object', properties: { name: { type: 'string' } }, ...extra });
  return {
    repositoryDefinition: simple({ nameField: 'name', identityFields: ['name'] }),
    sourceConfigDefinition: simple({ nameField: 'name', identityFields: ['name'] }),
    virtualSourceDefinition: { type: 'object', properties: { mountLocation: { type: 'string', format: 'unixpath' } } },
    linkedSourceDefinition: { type: 'object', required: ['mountLocation'], properties: { mountLocation: { type: 'string', format: 'unixpath' }, ...props } },
    snapshotDefinition: { type: 'object', properties: {} },
    snapshotParametersDefinition: { type: 'object', properties: { resync: { type: 'boolean' } } },
  };
}

const CONFIG = (type: string) => `id: 2b6a5f0e-1f7e-4a53-9a8f-0e3c1d2b4a5c
name: Bench Plugin
language: PYTHON311
hostTypes:
  - UNIX
pluginType: ${type}
entryPoint: plugin_runner:plugin
srcDir: src
schemaFile: schema.json
buildNumber: "1.0"
`;

/** A STAGED plugin whose entry module calls into `modules` helper modules, each reading parameters. */
export function writeBigPlugin(dir: string, opts: { modules: number; properties: number }): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src', 'helpers'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'plugin_config.yml'), CONFIG('STAGED'));
  fs.writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(bigSchema(opts.properties), null, 2));
  fs.writeFileSync(path.join(dir, 'src', 'helpers', '__init__.py'), '');
  const imports: string[] = [];
  const calls: string[] = [];
  for (let m = 0; m < opts.modules; m++) {
    const p = m % Math.max(1, opts.properties);
    fs.writeFileSync(
      path.join(dir, 'src', 'helpers', `step${m}.py`),
      `import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef run(staged_source, repository):\n    params = staged_source.parameters\n    value = params.setting_number${p}\n    location = params.mount_location\n    logger.debug("step ${m}: %s %s %s", value, location, repository.name)\n    return value\n`,
    );
    imports.push(`from helpers import step${m}`);
    calls.push(`    step${m}.run(staged_source, repository)`);
  }
  fs.writeFileSync(
    path.join(dir, 'src', 'plugin_runner.py'),
    `from dlpx.virtualization.platform import Mount, MountSpecification, Plugin
from generated.definitions import RepositoryDefinition, SnapshotDefinition, SourceConfigDefinition
${imports.join('\n')}

plugin = Plugin()


@plugin.discovery.repository()
def repository_discovery(source_connection):
    return [RepositoryDefinition(name="bench")]


@plugin.discovery.source_config()
def source_config_discovery(source_connection, repository):
    return []


@plugin.linked.mount_specification()
def linked_mount_specification(staged_source, repository):
    return MountSpecification([Mount(staged_source.staged_connection.environment, staged_source.parameters.mount_location)])


@plugin.linked.pre_snapshot()
def linked_pre_snapshot(staged_source, repository, source_config, optional_snapshot_parameters):
${calls.join('\n') || '    pass'}


@plugin.linked.post_snapshot()
def linked_post_snapshot(staged_source, repository, source_config, optional_snapshot_parameters):
    return SnapshotDefinition()


@plugin.virtual.configure()
def configure(virtual_source, snapshot, repository):
    return SourceConfigDefinition(name=virtual_source.parameters.mount_location)


@plugin.virtual.reconfigure()
def reconfigure(virtual_source, repository, source_config, snapshot):
    return SourceConfigDefinition(name=source_config.name)


@plugin.virtual.post_snapshot()
def virtual_post_snapshot(virtual_source, repository, source_config):
    return SnapshotDefinition()


@plugin.virtual.mount_specification()
def virtual_mount_specification(virtual_source, repository):
    return MountSpecification([Mount(virtual_source.connection.environment, virtual_source.parameters.mount_location)])
`,
  );
}
