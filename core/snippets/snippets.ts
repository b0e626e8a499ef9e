// The editor snippets, generated from the operation table so every snippet's parameters are the ones
// `dvp build` and the cross-check accept. `snippets/*.json` are written from here (npm run snippets)
// and a unit test fails when they drift.
import { OPERATIONS, type OperationSpec, type PluginType } from '../sdk/operations';

export interface Snippet {
  prefix: string | string[];
  body: string[];
  description: string;
}

const RETURNS: Record<string, string[]> = {
  RepositoryDefinitionList: ['return [RepositoryDefinition(${5:name="${6:repository}"})]'],
  SourceConfigDefinitionList: ['return [${5}]'],
  SnapshotDefinition: ['return SnapshotDefinition(${5})'],
  SourceConfigDefinition: ['return SourceConfigDefinition(${5})'],
  MountSpecification: ['mount = Mount(${5:MOUNT_ENVIRONMENT}, ${6:MOUNT_PATH})', 'return MountSpecification([mount])'],
  Status: ['return Status.ACTIVE'],
  number: ['return ${5:0}'],
  dict: ['return ${5:old}'],
};

function snippetFor(op: OperationSpec, type: PluginType): Snippet {
  const args = op.args[type]!;
  const fn = op.group === 'upgrade' ? `${op.name}_migration` : `${op.group}_${op.name}`;
  let ret = RETURNS[op.returns ?? ''] ?? ['${2:pass}'];
  if (op.returns === 'MountSpecification') {
    const env = args[0] === 'staged_source' ? 'staged_source.staged_connection.environment' : `${args[0]}.connection.environment`;
    const where = args[0] === 'staged_source' ? 'staged_source.parameters.mount_location' : `${args[0]}.parameters.mount_location`;
    ret = ret.map((l) => l.replace('MOUNT_ENVIRONMENT', env).replace('MOUNT_PATH', where));
  }
  if (op.returns === 'dict') ret = ['return ${5:' + args[0] + '}'];
  const decoratorArgs = op.group === 'upgrade' ? '"${2:2024.1.1}"' : '';
  return {
    prefix: [`${op.group}.${op.name}${type === 'DIRECT' && op.args.STAGED && op.args.STAGED[0] !== args[0] ? '.direct' : ''}`, `dlpx-${op.group}-${op.name}`],
    body: [`@\${1:plugin}.${op.group}.${op.name}(${decoratorArgs})`, `def \${3:${fn}}(${args.join(', ')}):`, ...ret.map((l) => '    ' + l)],
    description: `${op.id}() (${type === 'DIRECT' ? 'DIRECT plugins' : op.args.DIRECT && op.args.DIRECT.join() === args.join() ? 'STAGED and DIRECT plugins' : 'STAGED plugins'}): ${op.doc}`,
  };
}

export function pythonSnippets(): Record<string, Snippet> {
  const out: Record<string, Snippet> = {};
  for (const op of OPERATIONS) {
    const staged = op.args.STAGED;
    const direct = op.args.DIRECT;
    if (staged) out[`${op.id}${direct && direct.join() !== staged.join() ? ' (STAGED)' : ''}`] = snippetFor(op, 'STAGED');
    if (direct && (!staged || direct.join() !== staged.join())) out[`${op.id} (DIRECT)`] = snippetFor(op, 'DIRECT');
  }
  out['linked.pre_snapshot with rsync (tutorial)'] = {
    prefix: ['pre_snapshot.rsync', 'dlpx-rsync-pre-snapshot'],
    description: 'The SDK tutorial\'s staged pre_snapshot: rsync from the source host into the staging mount over SSH, with the arguments quoted (shlex.quote) so user input cannot break the command.',
    body: [
      '@${1:plugin}.linked.pre_snapshot()',
      'def ${2:copy_data_from_source}(staged_source, repository, source_config, optional_snapshot_parameters):',
      '    stage_mount_path = staged_source.mount.mount_path',
      '    data_location = "{}@{}:{}".format(',
      '        staged_source.parameters.username,',
      '        staged_source.parameters.source_address,',
      '        source_config.path,',
      '    )',
      '    rsync_command = "rsync -r {} {}".format(shlex.quote(data_location), shlex.quote(stage_mount_path))',
      '',
      '    result = libs.run_bash(staged_source.staged_connection, rsync_command)',
      '',
      '    if result.exit_code != 0:',
      '        raise UserError(',
      '            "Could not copy files.",',
      '            "Ensure that passwordless SSH works for {}.".format(staged_source.parameters.source_address),',
      '            result.stderr,',
      '        )',
    ],
  };
  out['Plugin entry point imports'] = {
    prefix: ['dlpx-imports'],
    description: 'The imports a plugin entry point usually needs, and the Plugin object.',
    body: [
      'import shlex',
      '',
      'from dlpx.virtualization import libs',
      'from dlpx.virtualization.platform import Mount, MountSpecification, Plugin, Status',
      'from dlpx.virtualization.platform.exceptions import UserError',
      '',
      'from generated.definitions import (',
      '    RepositoryDefinition,',
      '    SnapshotDefinition,',
      '    SourceConfigDefinition,',
      ')',
      '',
      '${1:plugin} = Plugin()',
      '$0',
    ],
  };
  return out;
}

const discoverable = (what: string, extra: string) => [
  `"${what}": {`,
  '    "type": "object",',
  `    "required": [${extra}],`,
  '    "additionalProperties": false,',
  '    "properties": {',
  '        "${2:name}": { "type": "string", "prettyName": "${3:Name}", "description": "${4:The name shown in the Delphix UI}" }$0',
  '    },',
  '    "nameField": "${2:name}",',
  '    "identityFields": ["${2:name}"]',
  '}',
];

const plain = (what: string, body: string[]) => [
  `"${what}": {`,
  '    "type": "object",',
  '    "additionalProperties": false,',
  '    "properties": {',
  ...body.map((l) => '        ' + l),
  '    }',
  '}',
];

export function schemaSnippets(): Record<string, Snippet> {
  return {
    repositoryDefinition: { prefix: ['repositoryDefinition', 'dlpx-repository'], description: 'repositoryDefinition with nameField and identityFields (both required by dvp build).', body: discoverable('repositoryDefinition', '"${2:name}"') },
    sourceConfigDefinition: { prefix: ['sourceConfigDefinition', 'dlpx-source-config'], description: 'sourceConfigDefinition with nameField and identityFields (both required by dvp build).', body: discoverable('sourceConfigDefinition', '"${2:name}"') },
    linkedSourceDefinition: {
      prefix: ['linkedSourceDefinition', 'dlpx-linked-source'],
      description: "linkedSourceDefinition of the SDK tutorial: the source host, the SSH user and the staging mount location (staged_source.parameters.source_address / username / mount_location).",
      body: [
        '"linkedSourceDefinition": {',
        '    "type": "object",',
        '    "additionalProperties": false,',
        '    "required": ["sourceAddress", "username", "mountLocation"],',
        '    "properties": {',
        '        "sourceAddress": { "type": "string", "prettyName": "Host from which to copy", "description": "IP or FQDN of host from which to copy" },',
        '        "username": { "type": "string", "prettyName": "Username on Source Host", "description": "Username for making SSH connection to source host" },',
        '        "mountLocation": { "type": "string", "format": "unixpath", "prettyName": "Mount Location on Staging Host", "description": "Where to mount storage onto the staging host while syncing" }$0',
        '    }',
        '}',
      ],
    },
    virtualSourceDefinition: { prefix: ['virtualSourceDefinition', 'dlpx-virtual-source'], description: 'virtualSourceDefinition with a mount location (virtual_source.parameters.mount_location).', body: plain('virtualSourceDefinition', ['"mountLocation": { "type": "string", "format": "unixpath", "prettyName": "Mount Location on Target Host", "description": "Where to mount the VDB onto the target host" }$0']) },
    snapshotDefinition: { prefix: ['snapshotDefinition', 'dlpx-snapshot'], description: 'snapshotDefinition: the data saved with each snapshot (returned by post_snapshot).', body: plain('snapshotDefinition', ['$0']) },
    snapshotParametersDefinition: { prefix: ['snapshotParametersDefinition', 'dlpx-snapshot-parameters'], description: 'snapshotParametersDefinition with the conventional boolean `resync` (optional_snapshot_parameters.resync in linked pre/post_snapshot).', body: plain('snapshotParametersDefinition', ['"resync": { "type": "boolean", "default": false, "prettyName": "Resynchronize", "description": "Re-ingest all data instead of only what changed" }$0']) },
    'string property': { prefix: ['dlpx-prop-string'], description: 'A string property with the Delphix UI keywords.', body: ['"${1:propertyName}": { "type": "string", "prettyName": "${2:Label}", "description": "${3:Help text}" }$0'] },
    'unixpath property': { prefix: ['dlpx-prop-unixpath'], description: 'A Unix path property (the engine checks the value parses as a Unix path).', body: ['"${1:installPath}": { "type": "string", "format": "unixpath", "prettyName": "${2:Path}", "description": "${3:Full path on the host}" }$0'] },
    'password property': { prefix: ['dlpx-prop-password'], description: 'A password property (encrypted at rest, never displayed).', body: ['"${1:password}": { "type": "string", "format": "password", "prettyName": "${2:Password}", "description": "${3:Password}" }$0'] },
    'environment reference property': {
      prefix: ['dlpx-prop-reference'],
      description: 'A reference to an environment and a user of it (format reference, referenceType, matches).',
      body: [
        '"${1:environment}": { "type": "string", "format": "reference", "referenceType": "UNIX_HOST_ENVIRONMENT", "prettyName": "${2:Environment}" },',
        '"${3:environmentUser}": { "type": "string", "format": "reference", "referenceType": "HOST_USER", "matches": "${1:environment}", "prettyName": "${4:Environment User}" }$0',
      ],
    },
    'credentials property': { prefix: ['dlpx-prop-credentials'], description: 'A credentials supplier (password, key pair or vault), passed to libs.retrieve_credentials.', body: ['"${1:credentials}": { "$ref": "https://delphix.com/platform/api#/definitions/credentialsSupplier", "prettyName": "${2:Credentials}" }$0'] },
  };
}
