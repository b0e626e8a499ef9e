// The keys plugin_config.yml may hold, as the SDK's plugin_config_schema.json defines them (sdk-spec §1.2),
// with the words the editor shows for each. The analysis, completion and hover all read this one table.
// The order is the one `dvp init` writes the required keys in, then the optional keys.

import { SDK_VERSIONS } from '../sdk/versions';

export type ConfigFieldType = 'string' | 'boolean' | 'array';

export interface ConfigField {
  key: string;
  type: ConfigFieldType;
  required: boolean;
  /** Allowed values (for arrays: of the items). `language` is absent: it depends on the SDK version. */
  enum?: string[];
  /** The schema's pattern, as written in the SDK (ECMAScript-compatible). */
  pattern?: string;
  maxItems?: number;
  /** What the build uses when the key is absent (optional keys only). */
  default?: string;
  /** One line that says what the key is. */
  summary: string;
  /** More detail: rules, pitfalls. */
  detail?: string;
  /** A value as it would be written after `key: ` (may be several lines for lists). */
  example: string;
}

export const UUID_PATTERN = '^[0-9a-fA-F]{8}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{12}$';
export const ENTRY_POINT_PATTERN = '^[^:]+:[^:]+$';
export const BUILD_NUMBER_PATTERN = '^([0-9]+\\.)*[0-9]*[1-9][0-9]*(\\.[0-9]+)*$';
export const LUA_NAME_PATTERN = '^[a-z0-9_:-]+$';
export const MINIMUM_LUA_VERSION_PATTERN = '^([0-9]+)\\.([0-9]+)$';

export const CONFIG_FIELDS: ConfigField[] = [
  {
    key: 'id',
    type: 'string',
    required: true,
    pattern: UUID_PATTERN,
    summary: 'The unique id of the plugin, a UUID (upper or lower case hexadecimal digits).',
    detail:
      'The engine knows the plugin by this id across upgrades: keep it once the plugin has been uploaded, ' +
      'a new id makes a different plugin. The artifact carries it as `pluginId`.',
    example: '7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a',
  },
  {
    key: 'name',
    type: 'string',
    required: true,
    summary: 'The display name of the plugin in the Delphix UI (also the title of the generated API).',
    detail: 'The SDK documentation calls it optional, but `dvp build` requires it.',
    example: 'My Database',
  },
  {
    key: 'language',
    type: 'string',
    required: true,
    summary: 'The Python version of the plugin code. Each SDK accepts exactly one value.',
    detail: 'SDK 5.x accepts `PYTHON311`, SDK 4.x `PYTHON38`, SDK 2.x and 3.x `PYTHON27`.',
    example: 'PYTHON311',
  },
  {
    key: 'hostTypes',
    type: 'array',
    required: true,
    enum: ['UNIX', 'WINDOWS'],
    maxItems: 1,
    summary: 'The host type the plugin supports: a list with one item, `UNIX` or `WINDOWS`.',
    example: '\n  - UNIX',
  },
  {
    key: 'pluginType',
    type: 'string',
    required: true,
    enum: ['DIRECT', 'STAGED'],
    summary: 'The ingestion strategy: `STAGED` (data is copied into a staging host\'s mount) or `DIRECT` (the engine reads the source directly). Case-sensitive.',
    example: 'DIRECT',
  },
  {
    key: 'entryPoint',
    type: 'string',
    required: true,
    pattern: ENTRY_POINT_PATTERN,
    summary: 'Where the plugin object is: `module:object`, the Python module under srcDir (dotted for a package) and the name of its `Plugin()` object.',
    detail:
      '`dvp build` imports only the last dotted component of the module, so it must not be the name of a ' +
      'standard-library module.',
    example: 'plugin_runner:plugin',
  },
  {
    key: 'srcDir',
    type: 'string',
    required: true,
    summary: 'The directory of the plugin\'s Python code, relative to this file.',
    detail:
      'It must be relative, exist, and be a subdirectory of the plugin folder (not `.`). `dvp build` writes the ' +
      'generated classes into `<srcDir>/generated`, and on the engine it is the working directory of the plugin code.',
    example: 'src',
  },
  {
    key: 'schemaFile',
    type: 'string',
    required: true,
    summary: 'The JSON file with the plugin\'s schema definitions, absolute or relative to this file.',
    example: 'schema.json',
  },
  {
    key: 'buildNumber',
    type: 'string',
    required: true,
    pattern: BUILD_NUMBER_PATTERN,
    summary: 'The version the engine compares on upgrade: dot-separated non-negative integers with at least one non-zero digit.',
    detail:
      'Compared number by number (`1.10` is above `1.2`), trailing zeros ignored; the artifact carries the ' +
      'standardized form (`0.1.0` becomes `0.1`). The engine refuses to install a lower build number than the ' +
      'installed one. Quote it when it has at most one dot (`"1"`, `"1.2"`): YAML reads those as numbers.',
    example: '"0.1.0"',
  },
  {
    key: 'externalVersion',
    type: 'string',
    required: false,
    summary: 'The version users see, free text (for example `"2.1 beta"`).',
    detail:
      'It must be a string: quote numbers such as `"1.0"`, which YAML otherwise reads as a number. ' +
      'Left out of the artifact when missing or empty.',
    example: '"1.0.0"',
  },
  {
    key: 'manualDiscovery',
    type: 'boolean',
    required: false,
    default: 'true',
    summary: 'Whether users may add source configs by hand in the UI, besides the ones discovery finds.',
    example: 'true',
  },
  {
    key: 'defaultLocale',
    type: 'string',
    required: false,
    default: 'en-us',
    summary: 'The locale of the plugin\'s messages when the user has not chosen one.',
    example: 'en-us',
  },
  {
    key: 'rootSquashEnabled',
    type: 'boolean',
    required: false,
    default: 'true',
    summary: 'Whether root squash is on for the plugin\'s NFS mounts (Unix hosts only).',
    detail: 'Set it to `false` when processes running as root on the host (a Docker daemon, say) must reach the mounts.',
    example: 'true',
  },
  {
    key: 'extendedStartStopHooks',
    type: 'boolean',
    required: false,
    default: 'false',
    summary: 'Whether the VDB pre/post start hooks also run when a VDB is enabled, and the pre/post stop hooks when it is disabled.',
    example: 'false',
  },
  {
    key: 'luaName',
    type: 'string',
    required: false,
    pattern: LUA_NAME_PATTERN,
    summary: 'The name of the Lua toolkit this plugin replaces, for migrating its dSources and VDBs (lower-case letters, digits, `_`, `:`, `-`).',
    detail: 'Needs `minimumLuaVersion` too.',
    example: 'my-toolkit',
  },
  {
    key: 'minimumLuaVersion',
    type: 'string',
    required: false,
    pattern: MINIMUM_LUA_VERSION_PATTERN,
    summary: 'The oldest version of the Lua toolkit that can be upgraded to this plugin, as `MAJOR.MINOR`.',
    detail: 'Needs `luaName` too. Quote it: YAML reads `1.2` as a number.',
    example: '"1.0"',
  },
];

export const CONFIG_FIELDS_BY_KEY: ReadonlyMap<string, ConfigField> = new Map(CONFIG_FIELDS.map((f) => [f.key, f]));

export const REQUIRED_KEYS: string[] = CONFIG_FIELDS.filter((f) => f.required).map((f) => f.key);

export const BOOLEAN_KEYS: string[] = CONFIG_FIELDS.filter((f) => f.type === 'boolean').map((f) => f.key);

/** Keys of old SDKs (or of schema.json) that authors still write, with what to use instead. */
export const LEGACY_KEYS: ReadonlyMap<string, { replacement: string; explanation: string }> = new Map([
  [
    'version',
    {
      replacement: 'externalVersion',
      explanation:
        '`version` is a key of early SDKs: use `externalVersion` for the version users see, and `buildNumber` for the version the engine compares.',
    },
  ],
  [
    'prettyName',
    {
      replacement: 'name',
      explanation: '`prettyName` is a schema.json keyword, not a plugin config key: the display name of the plugin is `name`.',
    },
  ],
]);

/** Every `language` value any SDK line accepted, newest first. */
export const ALL_LANGUAGES: string[] = [...new Set(SDK_VERSIONS.map((s) => s.language))];
