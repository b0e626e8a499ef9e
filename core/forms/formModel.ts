// The fields the engine's wizard builds from one definition of schema.json, as plain data that the
// forms preview renders: labels (`prettyName`), help (`description`), the order (`ordering`),
// `required`, `default`, `enum`, passwords, credential suppliers, reference pickers, arrays, nested
// objects and the `dxFormProperties` (hideExpression, collapsible/expanded, rows, validationMessages).

import { checkRef, isObj, orderedPropertyNames } from './formSchema';
import { type HideExpr, parseHideExpression } from './hideExpression';

export type FieldKind =
  | 'text'
  | 'password'
  | 'textarea'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'select'
  | 'reference'
  | 'credentials'
  | 'object'
  | 'array'
  | 'unsupported';

export interface FormField {
  key: string;
  label: string;
  description?: string;
  kind: FieldKind;
  required: boolean;
  default?: unknown;
  enumValues?: unknown[];
  referenceType?: string;
  /** credentials: the credential types the supplier allows. */
  credentialTypes?: string[];
  rows?: number;
  format?: string;
  /** `problem`: refused or unparsable, not evaluated; `warning`: evaluated, but names what the schema does not have. */
  hide?: { text: string; expr?: HideExpr; problem?: string; warning?: string };
  collapsible?: boolean;
  expanded?: boolean;
  validationMessages?: Record<string, string>;
  /** Listed after the ordered fields because `ordering` leaves it out. */
  unordered?: boolean;
  /** object: its fields in the wizard's order. */
  children?: FormField[];
  /** array: the form of one item. */
  item?: FormField;
  /** unsupported: why the preview cannot show a field for it. */
  note?: string;
}

export interface FormDefinition {
  definition: string;
  title: string;
  root: FormField;
}

/** The definitions the engine makes forms from, with the wizard each one appears in. */
export const FORM_DEFINITIONS: { key: string; title: string }[] = [
  { key: 'linkedSourceDefinition', title: 'Add dSource' },
  { key: 'virtualSourceDefinition', title: 'Provision VDB' },
  { key: 'snapshotParametersDefinition', title: 'Snapshot' },
  { key: 'sourceConfigDefinition', title: 'Source config' },
  { key: 'repositoryDefinition', title: 'Repository' },
];

const PLATFORM_API = 'https://delphix.com/platform/api#';
const ALL_CREDENTIALS = ['NamedPasswordCredential', 'NamedKeyPairCredential', 'CyberArkVaultCredential', 'HashiCorpVaultCredential'];
const CREDENTIAL_SUPPLIERS: Record<string, string[]> = {
  credentialsSupplier: ALL_CREDENTIALS,
  passwordCredentialsSupplier: ALL_CREDENTIALS.filter((t) => t !== 'NamedKeyPairCredential'),
  keyCredentialsSupplier: ALL_CREDENTIALS.filter((t) => t !== 'NamedPasswordCredential'),
};

/** The fields of each credential type the engine asks for (sdk-spec §2.3), required first. */
export const CREDENTIAL_FIELDS: Record<string, { key: string; label: string; required: boolean; secret?: boolean; rows?: number }[]> = {
  NamedPasswordCredential: [
    { key: 'username', label: 'Username', required: false },
    { key: 'password', label: 'Password', required: true, secret: true },
  ],
  NamedKeyPairCredential: [
    { key: 'username', label: 'Username', required: false },
    { key: 'privateKey', label: 'Private key', required: true, secret: true, rows: 4 },
    { key: 'publicKey', label: 'Public key', required: false, rows: 2 },
  ],
  CyberArkVaultCredential: [
    { key: 'vault', label: 'Vault (reference)', required: true },
    { key: 'queryString', label: 'Query string', required: true },
    { key: 'expectedSecretType', label: 'Expected secret type', required: false },
  ],
  HashiCorpVaultCredential: [
    { key: 'vault', label: 'Vault (reference)', required: true },
    { key: 'engine', label: 'Engine', required: true },
    { key: 'path', label: 'Path', required: true },
    { key: 'usernameKey', label: 'Username key', required: true },
    { key: 'secretKey', label: 'Secret key', required: true },
    { key: 'expectedSecretType', label: 'Expected secret type', required: false },
  ],
};

export function buildForms(schema: unknown): FormDefinition[] {
  const top = isObj(schema) ? schema : {};
  return FORM_DEFINITIONS.filter((d) => isObj(top[d.key])).map((d) => ({
    definition: d.key,
    title: d.title,
    root: buildField(d.key, top[d.key], false, 0, []),
  }));
}

const MAX_DEPTH = 24;

/** `containers`: the schemas of the objects (and arrays) around this field, nearest first, as its hideExpression sees them. */
function buildField(key: string, schema: unknown, required: boolean, depth: number, containers: unknown[], unordered = false): FormField {
  const s = isObj(schema) ? schema : {};
  const field: FormField = { key, label: typeof s.prettyName === 'string' && s.prettyName !== '' ? s.prettyName : key, kind: 'text', required };
  if (typeof s.description === 'string') field.description = s.description;
  if ('default' in s) field.default = s.default;
  if (unordered) field.unordered = true;
  if (typeof s.format === 'string') field.format = s.format;
  const dx = isObj(s.dxFormProperties) ? s.dxFormProperties : {};
  if (typeof dx.hideExpression === 'string') {
    const parsed = parseHideExpression(dx.hideExpression);
    field.hide = parsed.ok ? { text: dx.hideExpression, expr: parsed.expr } : { text: dx.hideExpression, problem: parsed.message };
    if (parsed.ok && containers.length > 0) {
      const wrong = parsed.refs.map((r) => checkRef(r, containers)).find((r) => !r.ok);
      if (wrong && !wrong.ok) field.hide.warning = wrong.message;
    }
  }
  if (typeof dx.collapsible === 'boolean') field.collapsible = dx.collapsible;
  if (typeof dx.expanded === 'boolean') field.expanded = dx.expanded;
  if (typeof dx.rows === 'number' && dx.rows > 0) field.rows = Math.min(Math.floor(dx.rows), 50);
  if (isObj(dx.validationMessages)) {
    const msgs: Record<string, string> = {};
    for (const [k, v] of Object.entries(dx.validationMessages)) if (typeof v === 'string') msgs[k] = v;
    field.validationMessages = msgs;
  }
  if (depth > MAX_DEPTH) return { ...field, kind: 'unsupported', note: 'nested too deeply to show' };

  const ref = typeof s.$ref === 'string' ? s.$ref : undefined;
  if (ref !== undefined) {
    const name = ref.startsWith(PLATFORM_API) ? ref.slice(PLATFORM_API.length).replace(/^\/?definitions\//, '') : undefined;
    if (name && CREDENTIAL_SUPPLIERS[name]) return { ...field, kind: 'credentials', credentialTypes: CREDENTIAL_SUPPLIERS[name] };
    return { ...field, kind: 'unsupported', note: `\`$ref\` ${ref} is not shown by the preview` };
  }
  if (Array.isArray(s.enum)) return { ...field, kind: 'select', enumValues: s.enum };
  switch (s.type) {
    case 'string':
      if (s.format === 'password') return { ...field, kind: 'password' };
      if (s.format === 'reference') return { ...field, kind: 'reference', ...(typeof s.referenceType === 'string' ? { referenceType: s.referenceType } : {}) };
      return { ...field, kind: field.rows ? 'textarea' : 'text' };
    case 'integer':
    case 'number':
      return { ...field, kind: s.type };
    case 'boolean':
      return { ...field, kind: 'boolean' };
    case 'array':
      return { ...field, kind: 'array', item: buildField('item', s.items, false, depth + 1, [s, ...containers]) };
    case 'object': {
      const req = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
      const listed = new Set(Array.isArray(s.ordering) ? s.ordering : []);
      const hasOrdering = Array.isArray(s.ordering);
      const props = isObj(s.properties) ? s.properties : {};
      const children = orderedPropertyNames(s).map((name) => buildField(name, props[name], req.has(name), depth + 1, [s, ...containers], hasOrdering && !listed.has(name)));
      return { ...field, kind: 'object', children };
    }
    default:
      return { ...field, kind: 'unsupported', note: s.type === undefined ? 'no `type`: the wizard shows no field for it' : `type ${JSON.stringify(s.type)} is not shown by the preview` };
  }
}
