// Writes the Python package `generated` that `dvp build` / `dvp build -g` put into srcDir, without
// Java: one module per generated class (names from ../model.ts), `definitions/__init__.py` re-exporting
// every class, and the fixed runtime modules. What each module does is what the SDK's swagger-codegen
// 2.3.1 templates make it do (sdk-spec §3.2-3.5): constructor in schema order ending with
// `validate=True`, required and type checks, enum/length/range/pattern checks, the same defaults and
// the same error texts. Quirks that break the SDK's output (a `'` in a default, a keyword attribute)
// are reproduced, because the engine would run the SDK's output, and each is reported in `problems`.

import { buildModel, PLATFORM_REF_PREFIX, type GeneratedClass, type SchemaProperty } from '../model';
import { pythonNameProblem } from '../names';
import { PyNumber, PyObject, readPyJson, toPlain } from '../pythonJson';
import { formatByteSize, MAX_ANALYSED_FILE_BYTES } from '../files';
import { jsonTooDeepAt, MAX_SCHEMA_DEPTH } from '../jsonDepth';
import { BASE_MODEL_PY, GENERATED_HEADER, GENERATED_PACKAGE_INIT, UTIL_PY } from './pythonRuntime';

export interface GeneratedFile {
  /** Relative to srcDir, with `/` separators: `generated/definitions/repository_definition.py`. */
  path: string;
  content: string;
}

export interface GenerateResult {
  files: GeneratedFile[];
  /** What is wrong with the schema for codegen. When codegen itself would fail, `files` is empty. */
  problems?: string[];
}

export interface GenerateOptions {
  /**
   * The text of schema.json, when `schema` is its parsed value. Used to tell `10.0` from `10`, which
   * the generated messages print the way the schema wrote them. (`schema` may also be the text itself,
   * or the PyObject that core/pythonJson read from it.)
   */
  schemaText?: string;
}

/** Everything the model template needs to know about one attribute. */
interface Attribute {
  name: string;
  key: string;
  required: boolean;
  datatype: string;
  container?: 'list' | 'map';
  defaultValue?: string;
  enumValues?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: string;
  maximum?: string;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  pattern?: { regex: string; modifiers: string[] };
  description?: string;
  classes: string[];
}

const NOT_STRING_PROPERTY_FORMATS = new Set(['date', 'date-time', 'byte']);
const REGEX_MODIFIERS: Record<string, string> = { i: 'IGNORECASE', l: 'LOCALE', m: 'MULTILINE', s: 'DOTALL', u: 'UNICODE', x: 'VERBOSE' };

// Schema values are plain JSON data, except that a float literal may be kept as its PyNumber.
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyNumber);
}

function num(v: unknown): number | undefined {
  if (v instanceof PyNumber) return v.value;
  return typeof v === 'number' ? v : undefined;
}

/** Java's Double.toString, which is what swagger prints for a float (`10.0`, `1.0E-5`). */
function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(v) ? `${v}.0` : String(v);
  const [mantissa, exp] = v.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${Number(exp)}`;
}

/** A JSON number as Jackson/BigDecimal prints it: integers as written, floats as Java doubles. */
function jsonNumberText(v: unknown): string | undefined {
  if (v instanceof PyNumber) return javaDouble(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : javaDouble(v);
  return undefined;
}

/** Jackson's `asText()` of a JSON value, which is how swagger-core reads `default` and `enum`. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  const n = jsonNumberText(v);
  return n ?? '';
}

/** jmustache's HTML escaping, applied by the `{{baseName}}` of the attribute map. */
function htmlEscape(s: string): string {
  return s.replace(/[&'"<>`=]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '"': '&quot;', '<': '&lt;', '>': '&gt;', '`': '&#x60;', '=': '&#x3D;' })[c]!);
}

/** DefaultCodegen.escapeText: descriptions go into docstrings on one line, quotes escaped. */
function escapeText(s: string): string {
  return s.replace(/[\t\n\r]/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/'''/g, "'_'_'");
}

/** The python-flask generator's postProcessPattern: `/regex/flags` Perl style, else the whole text. */
function processPattern(pattern: string): { regex: string; modifiers: string[] } | undefined {
  let p = pattern;
  let i = p.lastIndexOf('/');
  if (p.charAt(0) !== '/' || i < 2) {
    if (!/^\/.*$/.test(p)) p = '/' + p.replace(/\//g, '\\/') + '/';
    i = p.lastIndexOf('/');
  }
  if (i < 1) return undefined;
  const modifiers: string[] = [];
  for (const c of p.slice(i)) if (REGEX_MODIFIERS[c]) modifiers.push(REGEX_MODIFIERS[c]);
  return { regex: p.slice(1, i).replace(/'/g, "\\'"), modifiers };
}

function stringFormat(s: Record<string, unknown>): string | undefined {
  return typeof s.format === 'string' ? s.format : undefined;
}

/** The datatype codegen declares for a schema (its items / values recursively). */
function datatypeOf(prop: Pick<SchemaProperty, 'kind' | 'pythonType' | 'modelClass'>, s: Record<string, unknown>, classOf: (s: Record<string, unknown>) => string | undefined): string {
  switch (prop.kind) {
    case 'array': {
      const items = s.items;
      if (!isObject(items)) return 'List[ERRORUNKNOWN]';
      return `List[${innerDatatype(items, classOf) ?? 'ERRORUNKNOWN'}]`;
    }
    case 'map': {
      const inner = innerDatatype(s.additionalProperties as Record<string, unknown>, classOf);
      return inner === undefined ? 'object' : `Dict[str, ${inner}]`;
    }
    case 'model':
      return prop.modelClass ?? 'object';
    default:
      return prop.pythonType;
  }
}

/** The datatype of array items / map values; undefined where swagger-core reads no property at all. */
function innerDatatype(s: Record<string, unknown>, classOf: (s: Record<string, unknown>) => string | undefined): string | undefined {
  if (typeof s.$ref === 'string' && s.$ref.startsWith(PLATFORM_REF_PREFIX)) return 'object';
  const cls = classOf(s);
  if (cls) return cls;
  const t = isObject(s.properties) ? 'object' : s.type;
  switch (t) {
    case 'string': {
      const f = stringFormat(s);
      return f === 'date' ? 'date' : f === 'date-time' ? 'datetime' : f === 'byte' ? 'ByteArray' : 'str';
    }
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'object':
      if (isObject(s.additionalProperties)) {
        const inner = innerDatatype(s.additionalProperties, classOf);
        return inner === undefined ? 'object' : `Dict[str, ${inner}]`;
      }
      return 'object';
    case 'array':
      return isObject(s.items) ? `List[${innerDatatype(s.items, classOf) ?? 'ERRORUNKNOWN'}]` : 'List[ERRORUNKNOWN]';
    default:
      return undefined;
  }
}

/** The innermost items / values schema of nested containers (whose enum the container checks). */
function innermost(s: Record<string, unknown>): Record<string, unknown> {
  let cur = s;
  for (let guard = 0; guard < 64; guard++) {
    if (cur.type === 'array' && isObject(cur.items)) cur = cur.items;
    else if ((cur.type === 'object' || cur.type === undefined) && isObject(cur.additionalProperties)) cur = cur.additionalProperties;
    else break;
  }
  return cur;
}

/** Enum values as the template renders them, for the swagger property types that carry an enum. */
function enumValues(s: Record<string, unknown>): string[] | undefined {
  if (!Array.isArray(s.enum)) return undefined;
  const f = stringFormat(s);
  let values: string[];
  if (s.type === 'string') {
    values = s.enum.filter((v) => typeof v === 'string' || num(v) !== undefined).map(asText);
  } else if (s.type === 'integer' && (f === 'int32' || f === 'int64')) {
    values = s.enum.filter((v) => typeof v === 'number' && Number.isInteger(v)).map((v) => String(v));
  } else if (s.type === 'number' && (f === 'float' || f === 'double')) {
    values = s.enum.map(num).filter((v): v is number => v !== undefined).map(javaDouble);
  } else return undefined;
  return values.length > 0 ? values : undefined;
}

/** FlaskConnexionCodegen.toDefaultValue. */
function defaultValue(s: Record<string, unknown>): string | undefined {
  if (!('default' in s)) return undefined;
  const d = s.default;
  const f = stringFormat(s);
  if (s.type === 'string' && !NOT_STRING_PROPERTY_FORMATS.has(f ?? '')) return `'${asText(d)}'`;
  if (s.type === 'boolean') return asText(d).toLowerCase() === 'true' ? 'True' : 'False';
  if (s.type === 'integer' && (f === 'int32' || f === 'int64')) {
    const text = asText(d);
    return /^[-+]?\d+$/.test(text) ? String(Number(text)) : undefined;
  }
  if (s.type === 'number' && (f === 'float' || f === 'double')) {
    const n = Number(asText(d));
    return asText(d).trim() !== '' && Number.isFinite(n) ? javaDouble(n) : undefined;
  }
  return undefined;
}

function describeAttribute(prop: SchemaProperty, classOf: (s: Record<string, unknown>) => string | undefined): Attribute {
  const s = prop.schema;
  const datatype = datatypeOf(prop, s, classOf);
  const attr: Attribute = {
    name: prop.pythonName,
    key: prop.key,
    required: prop.required,
    datatype,
    classes: [],
  };
  if (datatype.startsWith('List[')) attr.container = 'list';
  else if (datatype.startsWith('Dict[')) attr.container = 'map';
  for (const m of datatype.matchAll(/[A-Za-z_]\w*/g)) {
    if (!['List', 'Dict', 'str', 'int', 'float', 'bool', 'object', 'date', 'datetime', 'ByteArray', 'ERRORUNKNOWN'].includes(m[0]) && !attr.classes.includes(m[0])) attr.classes.push(m[0]);
  }
  if (typeof s.description === 'string') attr.description = escapeText(s.description);

  const isPlatformRef = typeof s.$ref === 'string' && s.$ref.startsWith(PLATFORM_REF_PREFIX);
  if (attr.container) {
    const inner = innermost(s);
    if (!isObject(inner.properties)) attr.enumValues = enumValues(inner);
    return attr;
  }
  if (isPlatformRef || prop.kind === 'model' || prop.kind === 'object') return attr;

  attr.defaultValue = defaultValue(s);
  attr.enumValues = enumValues(s);
  if (prop.kind === 'string' && !NOT_STRING_PROPERTY_FORMATS.has(stringFormat(s) ?? '')) {
    const minLength = num(s.minLength);
    const maxLength = num(s.maxLength);
    if (minLength !== undefined) attr.minLength = Math.trunc(minLength);
    if (maxLength !== undefined) attr.maxLength = Math.trunc(maxLength);
    if (typeof s.pattern === 'string') attr.pattern = processPattern(s.pattern) ?? { regex: '', modifiers: [] };
  }
  if (prop.kind === 'integer' || prop.kind === 'number') {
    // Draft-04 style booleans only: a draft-07 numeric `exclusiveMinimum` reads as false.
    attr.minimum = jsonNumberText(s.minimum);
    attr.maximum = jsonNumberText(s.maximum);
    attr.exclusiveMinimum = s.exclusiveMinimum === true;
    attr.exclusiveMaximum = s.exclusiveMaximum === true;
  }
  return attr;
}

const IND = '        ';

/** The checks of one attribute, in __init__ (`validate` gates some of them) or in its setter. */
function checks(cls: string, a: Attribute, inInit: boolean): string[] {
  const v = a.name;
  const gate = inInit ? 'validate and ' : '';
  const out: string[] = [`${IND}# Validating the attribute ${v} and then saving it.`];
  const typeArg = a.container ? 'expected_type' : a.datatype;
  if (a.container) {
    out.push(`${IND}expected_type = util.convert_type('${a.datatype}')`);
    out.push(`${IND}element_type = util.get_contained_type('${a.datatype}')`);
  }
  if (a.required) {
    out.push(`${IND}if ${gate}${v} is None:`);
    out.push(`${IND}    raise GeneratedClassesError(`);
    out.push(`${IND}        "The required parameter '${v}' must not be 'None'.")`);
  }
  const pad = ' '.repeat(`${IND}type_error = GeneratedClassesTypeError.type_error(`.length);
  out.push(`${IND}type_error = GeneratedClassesTypeError.type_error(${cls},`);
  out.push(`${pad}'${v}',`);
  out.push(`${pad}${v},`);
  out.push(`${pad}${typeArg},`);
  out.push(`${pad}${a.required ? 'True' : 'False'}${a.container ? ',' : ')'}`);
  if (a.container) out.push(`${pad}element_type)`);
  out.push(`${IND}if ${gate}type_error:`);
  out.push(`${IND}    raise type_error`);

  if (a.enumValues) {
    const ifDefined = a.required ? '' : ' if defined';
    const guard = a.required ? gate : `${v} is not None and `;
    out.push(`${IND}allowed_values = [${a.enumValues.map((x) => `"${x}"`).join(', ')}]`);
    if (a.container === 'list') {
      out.push(`${IND}if ${guard}not set(${v}).issubset(set(allowed_values)):`);
      out.push(`${IND}    raise GeneratedClassesError(`);
      out.push(`${IND}        "Invalid values for '${v}'. Was [{0}] but must be a subset"`);
      out.push(`${IND}        " of [{1}]${ifDefined}.".format(`);
      out.push(`${IND}            ', '.join(map(str, set(${v}) - set(allowed_values))),`);
      out.push(`${IND}            ', '.join(map(str, allowed_values))))`);
    } else if (a.container === 'map') {
      out.push(`${IND}if ${guard}not set(${v}.keys()).issubset(set(allowed_values)):`);
      out.push(`${IND}    raise GeneratedClassesError(`);
      out.push(`${IND}        "Invalid keys in '${v}'. Was [{0}] but must be a subset of"`);
      out.push(`${IND}        " [{1}]${ifDefined}.".format(`);
      out.push(`${IND}            ', '.join(map(str, set(${v}.keys()) - set(allowed_values))),`);
      out.push(`${IND}            ', '.join(map(str, allowed_values))))`);
    } else {
      out.push(`${IND}if ${guard}${v} not in allowed_values:`);
      out.push(`${IND}    raise GeneratedClassesError(`);
      out.push(`${IND}        "Invalid enum value {0} for '${v}', must be one of [{1}]${ifDefined}."`);
      out.push(`${IND}        .format(${v}, ', '.join(allowed_values)))`);
    }
  }
  if (a.maxLength !== undefined) {
    out.push(`${IND}if ${v} is not None and len(${v}) > ${a.maxLength}:`);
    out.push(`${IND}    raise GeneratedClassesError(`);
    out.push(`${IND}        "Invalid value for '${v}', length was {} but must be less"`);
    out.push(`${IND}        " than or equal to ${a.maxLength}.".format(len(${v})))`);
  }
  if (a.minLength !== undefined) {
    out.push(`${IND}if ${v} is not None and len(${v}) < ${a.minLength}:`);
    out.push(`${IND}    raise GeneratedClassesError(`);
    out.push(`${IND}        "Invalid value for '${v}', length was {} but must be"`);
    out.push(`${IND}        " greater than or equal to ${a.minLength}.".format(len(${v})))`);
  }
  if (a.maximum !== undefined) {
    out.push(`${IND}if ${v} is not None and ${v} >${a.exclusiveMaximum ? '=' : ''} ${a.maximum}:`);
    out.push(`${IND}    raise GeneratedClassesError(`);
    out.push(`${IND}        "Invalid value for '${v}', value was {} but must be less"`);
    out.push(`${IND}        " than ${a.exclusiveMaximum ? '' : 'or equal to '}${a.maximum}.".format(${v}))`);
  }
  if (a.minimum !== undefined) {
    out.push(`${IND}if ${v} is not None and ${v} <${a.exclusiveMinimum ? '=' : ''} ${a.minimum}:`);
    out.push(`${IND}    raise GeneratedClassesError(`);
    out.push(`${IND}        "Invalid value for '${v}', value was {} but must be greater"`);
    out.push(`${IND}        " than ${a.exclusiveMinimum ? '' : 'or equal to '}${a.minimum}.".format(${v}))`);
  }
  if (a.pattern) {
    const flags = a.pattern.modifiers.length > 0 ? `, flags=${a.pattern.modifiers.map((m) => `re.${m}`).join(' | ')}` : '';
    out.push(`${IND}if (${v} is not None`);
    out.push(`${IND}        and not re.search('${a.pattern.regex}', ${v}${flags})):`);
    out.push(`${IND}    raise GeneratedClassesError(`);
    out.push(`${IND}        "Invalid value for '${v}', was '{}' but must follow the"`);
    out.push(`${IND}        " pattern '${a.pattern.regex}'.".format(${v}))`);
  }
  return out;
}

function docLines(text: string | undefined): string[] {
  return text ? [`${IND}${text}`, ''] : [];
}

function classModule(cls: GeneratedClass, attrs: Attribute[], moduleOf: (className: string) => string | undefined): string {
  const c = cls.name;
  const imports = [...new Set(attrs.flatMap((a) => a.classes))].filter((n) => n !== c).sort();
  const lines: string[] = [];
  lines.push(GENERATED_HEADER.trimEnd());
  lines.push('from __future__ import absolute_import');
  lines.push('from datetime import date, datetime  # noqa: F401');
  if (attrs.some((a) => a.pattern)) lines.push('import re');
  lines.push('');
  lines.push('from generated.definitions.base_model_ import (');
  lines.push('    Model, GeneratedClassesError, GeneratedClassesTypeError)');
  for (const name of imports) {
    const mod = moduleOf(name);
    if (mod) lines.push(`from generated.definitions.${mod} import ${name}`);
  }
  lines.push('from generated import util');
  lines.push('', '');
  lines.push(`class ${c}(Model):`);
  lines.push(`    """NOTE: This class is generated from \`${cls.path.join('.')}\` of schema.json.`);
  lines.push('');
  lines.push('    Do not edit the class manually.');
  lines.push('    """');
  lines.push('');
  const params = attrs.map((a) => `, ${a.name}=${a.defaultValue ?? 'None'}`).join('');
  lines.push(`    def __init__(self${params}, validate=True):`);
  lines.push(`        """${c} - a model defined in the plugin's schema. The type of some of these`);
  lines.push('        attributes can be defined as a List[ERRORUNKNOWN]. This just means they');
  lines.push('        are a list of any type.');
  lines.push('');
  for (const a of attrs) {
    lines.push(`            :param ${a.name}: The ${a.name} of this ${c}.`);
    lines.push(`            :type ${a.name}: ${a.datatype}`);
  }
  lines.push('            :param validate: If the validation should be done during init. This');
  lines.push('            should only be called internally when calling from_dict.');
  lines.push('            :type validate: bool');
  lines.push('        """');
  lines.push('        self.swagger_types = {');
  attrs.forEach((a, i) => {
    const t = a.container ? `util.convert_type('${a.datatype}')` : a.datatype;
    lines.push(`            '${a.name}': ${t}${i < attrs.length - 1 ? ',' : ''}`);
  });
  lines.push('        }');
  lines.push('');
  lines.push('        self.attribute_map = {');
  attrs.forEach((a, i) => lines.push(`            '${a.name}': '${htmlEscape(a.key)}'${i < attrs.length - 1 ? ',' : ''}`));
  lines.push('        }');
  for (const a of attrs) {
    lines.push('');
    lines.push(...checks(c, a, true));
    lines.push(`${IND}self._${a.name} = ${a.name}`);
  }
  lines.push('');
  lines.push('    @classmethod');
  lines.push('    def from_dict(cls, dikt):');
  lines.push('        """Returns the dict as a model');
  lines.push('');
  lines.push('        :param dikt: A dict.');
  lines.push('        :type: dict');
  lines.push(`        :return: The ${c} built from the dict (the dict itself if ${c} has no properties).`);
  lines.push(`        :rtype: ${c}`);
  lines.push('        """');
  lines.push('        return util.deserialize_model(dikt, cls)');
  for (const a of attrs) {
    lines.push('');
    lines.push('    @property');
    lines.push(`    def ${a.name}(self):`);
    lines.push(`        """Gets the ${a.name} of this ${c}.`);
    lines.push('');
    lines.push(...docLines(a.description));
    lines.push(`        :return: The ${a.name} of this ${c}.`);
    lines.push(`        :rtype: ${a.datatype}`);
    lines.push('        """');
    lines.push(`        return self._${a.name}`);
    lines.push('');
    lines.push(`    @${a.name}.setter`);
    lines.push(`    def ${a.name}(self, ${a.name}):`);
    lines.push(`        """Sets the ${a.name} of this ${c}.`);
    lines.push('');
    lines.push(...docLines(a.description));
    lines.push(`        :param ${a.name}: The ${a.name} of this ${c}.`);
    lines.push(`        :type ${a.name}: ${a.datatype}`);
    lines.push('        """');
    lines.push(...checks(c, a, false));
    lines.push(`${IND}self._${a.name} = ${a.name}`);
  }
  return lines.join('\n') + '\n';
}

/** The schema as plain data (the model reads JS objects) whose float literals stay PyNumbers. */
function readSchema(schema: unknown, options: GenerateOptions): { value?: unknown; problem?: string } {
  if (schema instanceof PyObject) return { value: toPlain(schema, { keepFloats: true }) };
  const text = typeof schema === 'string' ? schema : options.schemaText;
  if (text !== undefined) {
    // The check's limits: codegen of a file the check could not analyse would recurse or run for minutes.
    if (text.length > MAX_ANALYSED_FILE_BYTES) return { problem: `schema.json is too large to generate from (${formatByteSize(text.length)}; the limit is ${formatByteSize(MAX_ANALYSED_FILE_BYTES)}).` };
    if (jsonTooDeepAt(text) !== undefined) return { problem: `schema.json nests arrays and objects more than ${MAX_SCHEMA_DEPTH} levels deep, too deep to generate from.` };
    const parsed = readPyJson(text);
    if (!parsed.ok) {
      if (typeof schema === 'string') return { problem: `schema.json is not valid JSON (${parsed.error.message}).` };
    } else {
      const value = toPlain(parsed.value, { keepFloats: true });
      if (typeof schema === 'string' || sameShape(value, schema)) return { value };
    }
  }
  return { value: schema };
}

/** True when `text` parsed is the same JSON as the given value (so its number literals may be used). */
function sameShape(a: unknown, b: unknown): boolean {
  if (a instanceof PyNumber) return a.value === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameShape(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameShape(a[k], b[k]));
  }
  return a === b;
}

/**
 * The files codegen writes into `<srcDir>/generated/` for a parsed schema.json (or its text). Never
 * throws: a schema codegen cannot handle gives no files and a problem saying why.
 */
export function generateDefinitions(schema: unknown, options: GenerateOptions = {}): GenerateResult {
  const problems: string[] = [];
  const read = readSchema(schema, options);
  if (read.problem) return { files: [], problems: [read.problem] };
  const value = read.value;
  if (!isObject(value)) return { files: [], problems: ['schema.json must hold a JSON object whose keys are the plugin definitions.'] };
  const badDefinitions = Object.entries(value).filter(([, d]) => !isObject(d)).map(([k]) => k);
  if (badDefinitions.length > 0) {
    return { files: [], problems: badDefinitions.map((k) => `The definition '${k}' must be a JSON object (a schema); codegen cannot make a class from ${JSON.stringify(value[k])}.`) };
  }

  const model = buildModel(value);
  const schemaClass = new Map<unknown, string>();
  for (const cls of model.classes) {
    schemaClass.set(resolvePath(value, cls.path), cls.name);
    for (const p of cls.alsoAt) schemaClass.set(resolvePath(value, p), cls.name);
  }
  const classOf = (s: Record<string, unknown>) => schemaClass.get(s);

  // Codegen sorts the models by class name and keeps one per name: the one processed last, in the
  // order top-level definitions, then nested classes as they were created.
  const ordered = [...model.classes.filter((c) => c.topLevel), ...model.classes.filter((c) => !c.topLevel)];
  const winners = new Map<string, GeneratedClass>();
  for (const cls of ordered) {
    const previous = winners.get(cls.name);
    if (previous) problems.push(`Two schema objects, \`${previous.path.join('.')}\` and \`${cls.path.join('.')}\`, both become class ${cls.name}; codegen keeps only the one from \`${cls.path.join('.')}\`.`);
    winners.set(cls.name, cls);
  }
  const names = [...winners.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const moduleOf = (n: string) => winners.get(n)?.moduleName;

  const files = new Map<string, string>();
  for (const name of names) {
    const cls = winners.get(name)!;
    for (const p of cls.properties) {
      if (p.kind === 'dropped') continue;
      const why = pythonNameProblem(p.pythonName);
      if (why) problems.push(`${name}: the property '${p.key}' cannot be used: ${why}.`);
    }
    const kept = cls.properties.filter((p) => p.kind !== 'dropped');
    const attrs = kept.map((p) => describeAttribute(p, classOf));
    for (const problem of attributeProblems(name, kept, attrs)) problems.push(problem);
    const badPattern = kept.find((p) => typeof p.schema.pattern === 'string' && p.kind === 'string' && processPattern(p.schema.pattern) === undefined);
    if (badPattern) {
      return {
        files: [],
        problems: [`Code generation fails on the pattern ${JSON.stringify(badPattern.schema.pattern)} of '${badPattern.key}' in \`${cls.path.join('.')}\`: a pattern that starts with '/' is read as /regex/flags and needs a closing '/'.`],
      };
    }
    const path = `generated/definitions/${cls.moduleName}.py`;
    if (files.has(path)) problems.push(`Two classes are written to the same module ${path}; the later one (${name}) replaces the other.`);
    files.set(path, classModule(cls, attrs, moduleOf));
  }

  const init = [
    GENERATED_HEADER.trimEnd(),
    'from __future__ import absolute_import',
    '# The exceptions the generated classes raise',
    'from generated.definitions.base_model_ import GeneratedClassesError, GeneratedClassesTypeError',
    '# Every generated class, nested ones included',
    ...names.map((n) => `from generated.definitions.${winners.get(n)!.moduleName} import ${n}`),
    '',
  ].join('\n');

  const out: GeneratedFile[] = [
    { path: 'generated/__init__.py', content: GENERATED_PACKAGE_INIT },
    { path: 'generated/util.py', content: UTIL_PY },
    { path: 'generated/definitions/__init__.py', content: init },
    { path: 'generated/definitions/base_model_.py', content: BASE_MODEL_PY },
    ...[...files.entries()].map(([path, content]) => ({ path, content })),
  ];
  return problems.length > 0 ? { files: out, problems } : { files: out };
}

/** Problems of the generated Python that only the generated source shows (SyntaxErrors, clashes). */
function attributeProblems(cls: string, props: SchemaProperty[], attrs: Attribute[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  props.forEach((p, i) => {
    const a = attrs[i];
    const first = seen.get(a.name);
    if (first !== undefined) out.push(`${cls}: the properties '${first}' and '${p.key}' both become the attribute '${a.name}' (a duplicate argument: the module does not import).`);
    else seen.set(a.name, p.key);
    if (a.name === 'validate') out.push(`${cls}: the property '${p.key}' becomes 'validate', which clashes with the constructor's own validate argument.`);
    if (a.defaultValue?.startsWith("'") && a.defaultValue.slice(1, -1).includes("'")) out.push(`${cls}: the default of '${p.key}' contains a quote ('), which codegen writes unescaped (the module does not import).`);
    if (a.enumValues?.some((v) => v.includes('"'))) out.push(`${cls}: an enum value of '${p.key}' contains a double quote, which codegen writes unescaped (the module does not import).`);
    if (a.pattern?.regex.includes('"')) out.push(`${cls}: the pattern of '${p.key}' contains a double quote, which breaks the generated error message (the module does not import).`);
    if (a.datatype.includes('ByteArray')) out.push(`${cls}: '${p.key}' has format byte, which codegen maps to an undefined type ByteArray (NameError when the class is used).`);
  });
  return out;
}

function resolvePath(root: unknown, path: (string | number)[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
