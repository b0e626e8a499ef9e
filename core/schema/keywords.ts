// The vocabulary of a plugin's schema.json: the draft-07 keywords dvp type-checks, the Delphix
// extensions the engine and UI read (sdk-spec §2.2-2.3, docs References/Schemas.md), and the values
// some of them take. Hover, completion and the misspelling check all read these tables.

import { closestWord } from './nearMiss';

export type KeywordValue =
  | 'string'
  | 'boolean'
  | 'number'
  | 'count'
  | 'schema'
  | 'schemaMap'
  | 'schemaList'
  | 'items'
  | 'stringList'
  | 'array'
  | 'any'
  | 'type'
  | 'object';

export interface KeywordInfo {
  name: string;
  origin: 'draft-07' | 'delphix';
  /** Where the keyword is meant to be written. */
  where: 'definition' | 'discovered' | 'property' | 'any';
  value: KeywordValue;
  /** Offered first in completion. */
  common?: boolean;
  doc: string;
}

const k = (name: string, origin: KeywordInfo['origin'], where: KeywordInfo['where'], value: KeywordValue, doc: string, common = false): KeywordInfo => ({ name, origin, where, value, doc, common });

export const KEYWORDS: KeywordInfo[] = [
  // Delphix extensions.
  k('identityFields', 'delphix', 'discovered', 'stringList',
    'Delphix: the list of property names that together identify a repository or source config. When discovery runs again, the engine treats two objects as the same one when **all** identity fields match. Required in `repositoryDefinition` and `sourceConfigDefinition` (dvp checks only that it is present), used nowhere else.', true),
  k('nameField', 'delphix', 'discovered', 'string',
    'Delphix: the name of one **string** property whose value the engine shows as the object\'s name. Required in `repositoryDefinition` and `sourceConfigDefinition`, used nowhere else. It is a single string, not a list.', true),
  k('ordering', 'delphix', 'definition', 'stringList',
    'Delphix: property names in the order the generated UI shows their fields, e.g. `["port", "path"]`.'),
  k('prettyName', 'delphix', 'property', 'string',
    'Delphix: the label of the property\'s field in the engine UI. Without it the UI shows the property name.', true),
  k('referenceType', 'delphix', 'property', 'string',
    'Delphix: with `"format": "reference"`, the kind of engine object the user picks: `UNIX_HOST_ENVIRONMENT` (an environment) or `HOST_USER` (an environment user) as the SDK docs write them, or the engine\'s API type names shipped plugins use (`UnixHostEnvironment`, `WindowsHostEnvironment`, `EnvironmentUser`, `UnixHost`, `WindowsHost`, `SourceConfig`); the credential vault types use `CyberArkPasswordVault`, `HashiCorpVault` and `AzureVault`.'),
  k('matches', 'delphix', 'property', 'string',
    'Delphix: with `"referenceType": "HOST_USER"` (or `EnvironmentUser`), the name of the sibling property that holds the environment this user must belong to.'),
  k('dxFormProperties', 'delphix', 'property', 'object',
    'Delphix dynamic UI (SDK 4.0.2+, engine 14.0.0.0+): `rows` (text area height), `hideExpression` (hide the field when the expression is true, e.g. `"!model.userName"`), `collapsible` / `expanded` (objects and arrays) and `validationMessages` (custom messages for `minLength`, `pattern`, `maxItems`, `minItems`, `uniqueItems`, `multipleOf`).'),
  // Draft-07 keywords, most used first.
  k('type', 'draft-07', 'any', 'type',
    'The JSON type of the value: `string`, `integer`, `number`, `boolean`, `object`, `array` or `null`. Codegen needs exactly one type: a property with a list of types, or none, is left out of the generated class.', true),
  k('properties', 'draft-07', 'any', 'schemaMap',
    'The properties of an object, each name mapped to its schema. Each property becomes an attribute of the generated Python class, named in lower_case_with_underscores (`mountLocation` → `mount_location`).', true),
  k('required', 'draft-07', 'any', 'stringList',
    'Names of properties that must be present. The generated class refuses `None` for them when it is constructed (`GeneratedClassesError`), and the UI requires the field.', true),
  k('additionalProperties', 'draft-07', 'any', 'schema',
    '`false` forbids properties not listed in `properties`; a schema makes the object a map (`Dict[str, ...]` in Python) and codegen then ignores `properties`. Must be the boolean `false`, not the string `"false"`.', true),
  k('description', 'draft-07', 'any', 'string', 'Help text; the engine UI shows it under the property\'s field.', true),
  k('default', 'draft-07', 'any', 'any',
    'A value the UI pre-fills. It is not substituted when the user leaves the field empty. Codegen also uses it as the constructor default of string, boolean and sized-number properties; a string default containing `\'` breaks the generated Python.', true),
  k('format', 'draft-07', 'property', 'string',
    'A string format. Delphix adds `unixpath` (the engine checks the value parses as a Unix path), `password` (encrypted at rest, never displayed) and `reference` (an engine object picker, with `referenceType`). `date`, `date-time` and `byte` break the generated classes.', true),
  k('enum', 'draft-07', 'any', 'array', 'The allowed values (a non-empty list of distinct values). The generated class checks string enums.', true),
  k('pattern', 'draft-07', 'property', 'string',
    'A regular expression the string must match. The generated class checks it with Python\'s `re.search`, so it is unanchored unless it has `^`/`$`. Backslashes must be doubled in JSON (`"\\\\d+"`); a pattern starting with `/` is misread by codegen as `/regex/flags`.', true),
  k('items', 'draft-07', 'property', 'items', 'The schema of the array\'s elements. Codegen supports one schema (no tuples); object items become a nested class.', true),
  k('title', 'draft-07', 'any', 'string', 'A title. On a nested object it replaces the generated class name (`"title": "My Config"` → class `MyConfig`).'),
  k('minLength', 'draft-07', 'property', 'count', 'The minimum length of a string; the generated class checks it.'),
  k('maxLength', 'draft-07', 'property', 'count', 'The maximum length of a string; the generated class checks it.'),
  k('minimum', 'draft-07', 'property', 'number', 'The smallest allowed number; the generated class checks it.'),
  k('maximum', 'draft-07', 'property', 'number', 'The largest allowed number; the generated class checks it.'),
  k('exclusiveMinimum', 'draft-07', 'property', 'number', 'The number must be greater than this.'),
  k('exclusiveMaximum', 'draft-07', 'property', 'number', 'The number must be less than this.'),
  k('multipleOf', 'draft-07', 'property', 'number', 'The number must be a multiple of this (greater than 0). Not checked by the generated class.'),
  k('minItems', 'draft-07', 'property', 'count', 'The minimum number of array elements. Not checked by the generated class.'),
  k('maxItems', 'draft-07', 'property', 'count', 'The maximum number of array elements. Not checked by the generated class.'),
  k('uniqueItems', 'draft-07', 'property', 'boolean', 'Whether array elements must be distinct. Not checked by the generated class.'),
  k('const', 'draft-07', 'any', 'any', 'The single allowed value.'),
  k('$ref', 'draft-07', 'property', 'string',
    'A reference. `https://delphix.com/platform/api#/definitions/credentialsSupplier` (or `passwordCredentialsSupplier`, `keyCredentialsSupplier`) asks the user for credentials or a password vault; in Python the value is an opaque dict for `libs.retrieve_credentials`.'),
  k('readOnly', 'draft-07', 'any', 'boolean', 'Marks the value as read-only.'),
  k('examples', 'draft-07', 'any', 'array', 'Example values (documentation only).'),
  k('$comment', 'draft-07', 'any', 'string', 'A comment for schema authors; ignored by validation and the UI. JSON has no other kind of comment.'),
  k('$schema', 'draft-07', 'any', 'string', 'The JSON Schema dialect URI.'),
  k('definitions', 'draft-07', 'any', 'schemaMap', 'Reusable sub-schemas. dvp does not resolve `$ref`s into them and codegen does not generate classes from them.'),
  k('patternProperties', 'draft-07', 'any', 'schemaMap', 'Schemas for properties whose names match a regex. Not supported by the generated classes.'),
  k('dependencies', 'draft-07', 'any', 'object', 'Properties or schemas required when a property is present. Not supported by the generated classes.'),
  k('propertyNames', 'draft-07', 'any', 'schema', 'A schema every property name must match. Not supported by the generated classes.'),
  k('minProperties', 'draft-07', 'any', 'count', 'The minimum number of properties. Not supported by the generated classes.'),
  k('maxProperties', 'draft-07', 'any', 'count', 'The maximum number of properties. Not supported by the generated classes.'),
  k('additionalItems', 'draft-07', 'property', 'schema', 'The schema of elements beyond a tuple `items` list. Not supported by the generated classes.'),
  k('contains', 'draft-07', 'property', 'schema', 'A schema at least one element must match. Not supported by the generated classes.'),
  k('allOf', 'draft-07', 'any', 'schemaList', 'The value must match all these schemas. Codegen drops a property that uses it.'),
  k('anyOf', 'draft-07', 'any', 'schemaList', 'The value must match at least one of these schemas. Codegen drops a property that uses it.'),
  k('oneOf', 'draft-07', 'any', 'schemaList', 'The value must match exactly one of these schemas. Codegen drops a property that uses it.'),
  k('not', 'draft-07', 'any', 'schema', 'The value must not match this schema. Codegen drops a property that uses it.'),
  k('if', 'draft-07', 'any', 'schema', 'Conditional validation with `then` / `else`.'),
  k('then', 'draft-07', 'any', 'schema', 'Applies when `if` matches.'),
  k('else', 'draft-07', 'any', 'schema', 'Applies when `if` does not match.'),
  k('contentMediaType', 'draft-07', 'property', 'string', 'The media type of a string\'s content.'),
  k('contentEncoding', 'draft-07', 'property', 'string', 'The encoding of a string\'s content (e.g. `base64`).'),
];

export const KEYWORDS_BY_NAME: ReadonlyMap<string, KeywordInfo> = new Map(KEYWORDS.map((kw) => [kw.name, kw]));

/** Keywords whose value maps names to sub-schemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'definitions', 'patternProperties', 'dependencies']);
/** Keywords whose value is a list of sub-schemas. */
export const SCHEMA_LIST_KEYWORDS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value is one sub-schema. */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set(['additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else']);

export const SIMPLE_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'] as const;

export const TYPE_DOCS: Record<string, string> = {
  string: 'Text. Python type `str`.',
  integer: 'A whole number. Python type `int`.',
  number: 'Any number. Python type `float`.',
  boolean: '`true` or `false`. Python type `bool`.',
  object: 'An object. With `properties` it becomes a nested generated class; without, a `dict`.',
  array: 'A list. Python type `List[...]` of the `items` type.',
  null: 'Only `null`. Codegen has no Python type for it.',
};

export interface ValueInfo {
  value: string;
  doc: string;
  /** Values that break the generated classes are still listed, last, with a warning. */
  avoid?: boolean;
  delphix?: boolean;
}

export const FORMAT_VALUES: ValueInfo[] = [
  { value: 'unixpath', delphix: true, doc: 'Delphix: the engine checks that the value parses as a Unix path.' },
  { value: 'password', delphix: true, doc: 'Delphix: the value is encrypted at rest and never displayed. Removing it in a later plugin version exposes stored values.' },
  { value: 'reference', delphix: true, doc: 'Delphix: the UI offers a picker of engine objects; set `referenceType` too.' },
  { value: 'uuid', doc: 'A UUID string (Python `str`).' },
  { value: 'email', doc: 'An e-mail address (not checked by the generated class).' },
  { value: 'hostname', doc: 'A host name (not checked by the generated class).' },
  { value: 'ipv4', doc: 'An IPv4 address (not checked by the generated class).' },
  { value: 'ipv6', doc: 'An IPv6 address (not checked by the generated class).' },
  { value: 'uri', doc: 'A URI (not checked by the generated class).' },
  { value: 'int32', doc: 'On an integer: a 32-bit integer; its `default` becomes the constructor default.' },
  { value: 'int64', doc: 'On an integer: a 64-bit integer; its `default` becomes the constructor default.' },
  { value: 'float', doc: 'On a number: its `default` becomes the constructor default.' },
  { value: 'double', doc: 'On a number: its `default` becomes the constructor default.' },
  { value: 'date', avoid: true, doc: 'Avoid: codegen types the attribute `date`, and `from_dict` needs `dateutil`, so reading the value fails its type check.' },
  { value: 'date-time', avoid: true, doc: 'Avoid: codegen types the attribute `datetime`, and `from_dict` needs `dateutil`, so reading the value fails its type check.' },
  { value: 'byte', avoid: true, doc: 'Avoid: codegen types the attribute `ByteArray`, a class that does not exist, so the generated module fails.' },
];

/** `format` values that break the generated classes (sdk-spec §3.2). */
export const BROKEN_FORMATS: ReadonlySet<string> = new Set(['date', 'date-time', 'byte']);

/**
 * The `referenceType` values the engine offers objects for. The SDK docs write the two host types in
 * the engine's reference-prefix spelling (`UNIX_HOST_ENVIRONMENT`, `HOST_USER`, as in the reference
 * `UNIX_HOST_ENVIRONMENT-3`); shipped plugins (couchbase, mongo) and the SDK's own vault credential
 * types use the engine's API type names (`UnixHostEnvironment`, `EnvironmentUser`, `HashiCorpVault`).
 * The engine knows both spellings, so neither is warned about.
 */
export const REFERENCE_TYPES: ValueInfo[] = [
  { value: 'UNIX_HOST_ENVIRONMENT', delphix: true, doc: 'A Unix environment known to the engine (the SDK docs\' spelling; the engine\'s API name is `UnixHostEnvironment`).' },
  { value: 'HOST_USER', delphix: true, doc: 'An environment user (the SDK docs\' spelling; the engine\'s API name is `EnvironmentUser`); name the property holding its environment with `matches`.' },
  { value: 'UnixHostEnvironment', delphix: true, doc: 'A Unix environment known to the engine (its API type name, used by shipped plugins; the SDK docs write `UNIX_HOST_ENVIRONMENT`).' },
  { value: 'WindowsHostEnvironment', delphix: true, doc: 'A Windows environment known to the engine (its API type name).' },
  { value: 'EnvironmentUser', delphix: true, doc: 'An environment user (the engine\'s API type name, used by shipped plugins; the SDK docs write `HOST_USER`); name the property holding its environment with `matches`.' },
  { value: 'UnixHost', delphix: true, doc: 'A Unix host of an environment (the engine\'s API type name).' },
  { value: 'WindowsHost', delphix: true, doc: 'A Windows host of an environment (the engine\'s API type name).' },
  { value: 'SourceConfig', delphix: true, doc: 'A source config (a discovered or added database) known to the engine (its API type name).' },
  { value: 'CyberArkPasswordVault', delphix: true, doc: 'A CyberArk password vault configured on the engine.' },
  { value: 'HashiCorpVault', delphix: true, doc: 'A HashiCorp vault configured on the engine.' },
  { value: 'AzureVault', delphix: true, doc: 'An Azure key vault configured on the engine.' },
];

/** The `referenceType` values that pick an environment (what a `matches` property must name). */
export const ENVIRONMENT_REFERENCE_TYPES: ReadonlySet<string> = new Set(['UNIX_HOST_ENVIRONMENT', 'UnixHostEnvironment', 'WindowsHostEnvironment']);

/**
 * The known reference type an unknown `value` most likely means, over both spellings: the same words
 * in the other spelling (`WINDOWS_HOST_ENVIRONMENT` -> `WindowsHostEnvironment`), else a near miss.
 */
export function closestReferenceType(value: string): string | undefined {
  const known = REFERENCE_TYPES.map((r) => r.value);
  const squash = (s: string) => s.replace(/_/g, '').toLowerCase();
  const same = known.filter((k) => squash(k) === squash(value));
  if (same.length > 0) return same.find((k) => k.includes('_') === value.includes('_')) ?? same[0];
  const direct = closestWord(value, known);
  if (direct) return direct;
  const bySquashed = closestWord(squash(value), known.map(squash));
  return bySquashed ? known.find((k) => squash(k) === bySquashed) : undefined;
}

export const PLATFORM_REF_VALUES: ValueInfo[] = [
  { value: 'https://delphix.com/platform/api#/definitions/credentialsSupplier', delphix: true, doc: 'Credentials: a password or key pair typed in, or a CyberArk / HashiCorp / Azure vault. In Python an opaque dict for `libs.retrieve_credentials`.' },
  { value: 'https://delphix.com/platform/api#/definitions/passwordCredentialsSupplier', delphix: true, doc: 'Credentials whose secret is a password (typed in or from a vault).' },
  { value: 'https://delphix.com/platform/api#/definitions/keyCredentialsSupplier', delphix: true, doc: 'Credentials whose secret is a key pair (typed in or from a vault).' },
];

export const DX_FORM_KEYWORDS: KeywordInfo[] = [
  k('rows', 'delphix', 'property', 'number', 'Dynamic UI: on a string property, shows a text area this many rows high.', true),
  k('hideExpression', 'delphix', 'property', 'string', 'Dynamic UI: hides the field while this expression is true, e.g. `"!model.userName"`; works within one definition only.', true),
  k('collapsible', 'delphix', 'property', 'boolean', 'Dynamic UI: on an object or array property, lets the user collapse the section.'),
  k('expanded', 'delphix', 'property', 'boolean', 'Dynamic UI: whether a collapsible section starts expanded.'),
  k('validationMessages', 'delphix', 'property', 'object', 'Dynamic UI: messages shown when a check fails, keyed by `minLength`, `pattern`, `maxItems`, `minItems`, `uniqueItems` or `multipleOf`.'),
];

export const VALIDATION_MESSAGE_KEYS = ['minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf'];

/** The definitions dvp requires, in the order `dvp init` writes them. */
export const DEFINITION_KEYS = [
  'repositoryDefinition',
  'sourceConfigDefinition',
  'virtualSourceDefinition',
  'linkedSourceDefinition',
  'snapshotDefinition',
  'snapshotParametersDefinition',
] as const;

export const DEFINITION_DOCS: Record<string, string> = {
  repositoryDefinition: 'A repository: an installation of the data platform on an environment, found by `discovery.repository`. Generated class `RepositoryDefinition`, the `repository` argument of operations. Needs `nameField` and `identityFields`.',
  sourceConfigDefinition: 'A source config: one dataset of a repository, found by `discovery.source_config` or added by the user. Generated class `SourceConfigDefinition`, the `source_config` argument. Needs `nameField` and `identityFields`.',
  virtualSourceDefinition: 'What the user enters when provisioning a VDB. Generated class `VirtualSourceDefinition`, read as `virtual_source.parameters`.',
  linkedSourceDefinition: 'What the user enters when linking a dSource. Generated class `LinkedSourceDefinition`, read as `staged_source.parameters` (STAGED) or `direct_source.parameters` (DIRECT).',
  snapshotDefinition: 'What the plugin saves with each snapshot: returned by `linked.post_snapshot` / `virtual.post_snapshot`, read as `snapshot` when provisioning. Generated class `SnapshotDefinition`.',
  snapshotParametersDefinition: 'What the user chooses when taking a snapshot (commonly a boolean `resync`). Read as `optional_snapshot_parameters` in `linked.pre_snapshot` / `linked.post_snapshot`; it is `None` for policy syncs. Generated class `SnapshotParametersDefinition`.',
};

/** The definitions that carry nameField / identityFields. */
export const DISCOVERED_DEFINITIONS: ReadonlySet<string> = new Set(['repositoryDefinition', 'sourceConfigDefinition']);
export const RECORD_SIZE_DEFINITIONS: ReadonlySet<string> = new Set(['virtualSourceDefinition', 'linkedSourceDefinition']);

/** How plugin code reaches the generated object of each definition (sdk-spec §3.3 "Access paths"). */
export const DEFINITION_ACCESS: Record<string, string> = {
  repositoryDefinition: 'repository',
  sourceConfigDefinition: 'source_config',
  virtualSourceDefinition: 'virtual_source.parameters',
  linkedSourceDefinition: 'staged_source.parameters',
  snapshotDefinition: 'snapshot',
  snapshotParametersDefinition: 'optional_snapshot_parameters',
};
