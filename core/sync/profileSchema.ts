// The JSON Schema of a sync profile (`<pluginRoot>/.delphix/sync/<name>.json`). The language server
// gives completion and hover from it; the profile loader validates the structure with it before it
// checks the values against the plugin's own schema.json.

const sshEnvironment = {
  type: 'object',
  description: 'A real host reached over ssh (key authentication, no password prompts).',
  required: ['type', 'host'],
  additionalProperties: false,
  properties: {
    type: { const: 'ssh' },
    host: { type: 'string', minLength: 1, description: 'Host name or IP address.' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'ssh port (default 22).' },
    user: { type: 'string', minLength: 1, description: 'Login user (default: ssh decides, usually your local user name).' },
    identityFile: {
      type: 'string',
      minLength: 1,
      description: 'Private key file. `~/`, `${pluginRoot}` and paths relative to the plugin root are accepted.',
    },
    knownHostsFile: { type: 'string', minLength: 1, description: 'known_hosts file to use instead of ~/.ssh/known_hosts.' },
    strictHostKeyChecking: {
      enum: ['yes', 'accept-new', 'no'],
      description: 'ssh StrictHostKeyChecking (default accept-new: trust a new host once, refuse a changed key).',
    },
    scratchPath: {
      type: 'string',
      pattern: '^/',
      description: "The host's scratch directory (RemoteHost.scratch_path). Staged mounts on an ssh staging host live under it (default /tmp/dpstudio-scratch).",
    },
  },
};

const localEnvironment = {
  type: 'object',
  description: 'This machine. Commands run with bash as your user, from a folder in the sandbox.',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { const: 'local' },
    aliases: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description:
        'Host names that mean this machine when the plugin runs rsync to them from a local staging host (default ["localhost", "127.0.0.1"]). rsync to these hosts runs locally, without ssh.',
    },
  },
};

const environment = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['local', 'ssh'], description: '`local` (this machine) or `ssh` (a real host).' } },
  if: { properties: { type: { const: 'ssh' } } },
  then: sshEnvironment,
  else: localEnvironment,
};

const pluginObject = (definition: string, what: string) => ({
  type: 'object',
  description: `${what}, checked against \`${definition}\` of the plugin's schema.json. Strings may use \${pluginRoot} and \${sandbox}.`,
});

const discoverable = (definition: string, what: string) => ({
  type: 'object',
  description: `${what}, checked against \`${definition}\` of the plugin's schema.json; or \`{ "$discovered": "<name>" }\` to use the discovered one with that nameField value (run discovery first). Strings may use \${pluginRoot} and \${sandbox}.`,
});

export const SYNC_PROFILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://delphix-plugin-studio.invalid/sync-profile.schema.json',
  title: 'Delphix Plugin Studio sync profile',
  type: 'object',
  required: ['environments', 'repository', 'sourceConfig', 'linkedSource'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string', description: 'What this profile is for.' },
    environments: {
      type: 'object',
      description:
        'The simulated environments: the staging host (where the mount is), the source host (where the data is, and where discovery runs) and, optionally, the target host where VDBs live (default: the staging host).',
      required: ['staging', 'source'],
      additionalProperties: false,
      properties: { staging: environment, source: environment, target: environment },
    },
    repository: discoverable('repositoryDefinition', 'The repository (as discovery would find it)'),
    sourceConfig: discoverable('sourceConfigDefinition', 'The source config (the dataset to ingest)'),
    linkedSource: pluginObject('linkedSourceDefinition', 'The linked source parameters the user enters when adding the dSource'),
    snapshotParameters: pluginObject(
      'snapshotParametersDefinition',
      'The snapshot parameters of a manual sync (a resync sets `resync` to true; a policy sync passes none)',
    ),
    virtualSource: pluginObject('virtualSourceDefinition', 'The parameters of a VDB provisioned from this dSource (the provisioning form)'),
    sourceFolder: {
      type: 'string',
      minLength: 1,
      description: 'A folder on the source environment that must exist before a sync starts (checked by the pre-flight).',
    },
    timeouts: {
      type: 'object',
      additionalProperties: false,
      properties: {
        operationSeconds: { type: 'number', exclusiveMinimum: 0, description: 'Longest time one plugin operation may run (default 600).' },
        totalSeconds: { type: 'number', exclusiveMinimum: 0, description: 'Longest time a whole run may take (default 3600).' },
      },
    },
    python: { type: 'string', minLength: 1, description: 'The Python interpreter that runs the plugin (default python3).' },
  },
} as const;
