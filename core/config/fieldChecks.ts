// The rules of plugin_config_schema.json (required keys, types, enums, patterns, hostTypes' maxItems,
// no other keys) and the Lua pair rule of plugin_validator.py, each reported at the key or value it is
// about, with the jsonschema text dvp would print in `data.dvpMessage`. Also a few checks of our own where
// dvp accepts a config that cannot be what the author meant (`dvp: false`).

import { sdkVersionsForLanguage, type SdkVersion } from '../sdk/versions';
import type { Fix, Problem, Range } from '../types';
import { ZERO_RANGE } from '../types';
import { buildNumberProblem, isValidBuildNumber } from './buildNumber';
import { closestMatch } from './closestMatch';
import { CONFIG_FIELDS, CONFIG_FIELDS_BY_KEY, ALL_LANGUAGES, LEGACY_KEYS, REQUIRED_KEYS, type ConfigField } from './configFields';
import { appendLinesEdit, insertKeyEdit, keyLine, removeEntryEdit, replaceFix, rewriteValue, suggestedValue, type EditContext } from './configEdits';
import { configProblem, type ProblemOptions } from './configProblem';
import { toPyValue, type YamlEntry, type YamlNodeInfo, type YamlValue } from './configYaml';
import { pythonRepr, pythonStrRepr } from './pythonRepr';

export interface FieldContext extends EditContext {
  sdk: SdkVersion;
}

const KNOWN_KEYS = CONFIG_FIELDS.map((f) => f.key);

export function checkFields(ctx: FieldContext): Problem[] {
  const out: Problem[] = [];
  const { yaml } = ctx;
  for (const [key, entry] of yaml.byKey) {
    const field = CONFIG_FIELDS_BY_KEY.get(key);
    if (!field) {
      out.push(unknownKey(ctx, entry));
      continue;
    }
    // A value the parser had to recover from is not what the author wrote: the YAML error says enough.
    if (yaml.errorSpans.some(([s, e]) => s <= entry.value.end && e >= entry.keyStart)) continue;
    for (const p of checkValue(ctx, field, entry)) out.push(p);
  }
  if (!yaml.syntaxErrors && yaml.empty) out.push(emptyDocument(ctx));
  if (!yaml.syntaxErrors && yaml.mapping) {
    for (const key of REQUIRED_KEYS) if (!yaml.byKey.has(key)) out.push(missingKey(ctx, CONFIG_FIELDS_BY_KEY.get(key)!));
    out.push(...luaPair(ctx));
  }
  out.push(...ownChecks(ctx));
  return out;
}

function problem(ctx: FieldContext, range: Range, code: string, message: string, opts: ProblemOptions = {}): Problem {
  return configProblem(ctx.file, range, code, message, opts);
}

// ---------------------------------------------------------------------------------------------- unknown keys

function unknownKey(ctx: FieldContext, entry: YamlEntry): Problem {
  const key = entry.key;
  const dvpMessage = `Additional properties are not allowed (${pythonStrRepr(key)} was unexpected)`;
  const legacy = LEGACY_KEYS.get(key);
  const fixes: Fix[] = [];
  const remove = removeEntryEdit(ctx, entry);
  let advice: string;
  const suggestion = legacy?.replacement ?? closestMatch(key, KNOWN_KEYS);
  const headline = `'${key}' is not a plugin_config.yml key${suggestion ? `; did you mean '${suggestion}'?` : '.'}`;
  if (legacy) advice = legacy.explanation;
  else if (suggestion) advice = '';
  else advice = `plugin_config.yml accepts only ${KNOWN_KEYS.map((k) => `\`${k}\``).join(', ')}.`;
  if (suggestion) {
    const existing = ctx.yaml.byKey.get(suggestion);
    if (existing) advice += ` \`${suggestion}\` is already set on line ${existing.keyRange.start.line + 1}.`;
    else fixes.push(replaceFix(ctx.file, `Rename to \`${suggestion}\``, entry.keyRange, suggestion, true));
  }
  if (remove) fixes.push({ title: `Remove \`${key}\``, edits: [remove], ...(suggestion && ctx.yaml.byKey.has(suggestion) ? { preferred: true } : {}) });
  return problem(ctx, entry.keyRange, 'config.unknownKey', headline, {
    dvpMessage,
    fixes,
    extra: suggestion ? { suggestion } : undefined,
    detail: `${advice} dvp build: ${dvpMessage}.`.trim(),
  });
}

// ------------------------------------------------------------------------------------------- required keys

function missingKey(ctx: FieldContext, field: ConfigField): Problem {
  const key = field.key;
  const first = ctx.yaml.entries[0];
  const range = first ? first.keyRange : ZERO_RANGE;
  const suggestion = suggestedValue(ctx, key);
  const shown = key === 'hostTypes' ? 'hostTypes: [UNIX]' : key === 'id' ? 'id: <a new UUID>' : `${key}: ${suggestion}`;
  const what = field.summary.charAt(0).toLowerCase() + field.summary.slice(1);
  const message = `Missing required key '${key}'; add '${shown}'.`;
  let detail = `${what.charAt(0).toUpperCase()}${what.slice(1)} dvp build: ${pythonStrRepr(key)} is a required property.`;
  const fixes: Fix[] = [];
  const misspelt = [...ctx.yaml.byKey.values()].find((e) => !CONFIG_FIELDS_BY_KEY.has(e.key) && closestMatch(e.key, KNOWN_KEYS) === key);
  if (misspelt) {
    detail = `\`${misspelt.key}\` on line ${misspelt.keyRange.start.line + 1} looks like a misspelling of it. ${detail}`;
    fixes.push(replaceFix(ctx.file, `Rename \`${misspelt.key}\` to \`${key}\``, misspelt.keyRange, key, true));
  }
  const insert = insertKeyEdit(ctx, key, suggestion);
  if (insert) fixes.push({ title: `Add \`${key}\``, edits: [insert], ...(misspelt ? {} : { preferred: true }) });
  return problem(ctx, range, 'config.required', message, { dvpMessage: `${pythonStrRepr(key)} is a required property`, fixes, extra: { key }, detail });
}

/** PyYAML reads an empty file as None: one problem, whose fix writes every required key. */
function emptyDocument(ctx: FieldContext): Problem {
  const dvpMessage = "None is not of type 'object'";
  const insert = appendLinesEdit(ctx, REQUIRED_KEYS.map((key) => keyLine(key, suggestedValue(ctx, key))).join('\n'));
  return problem(
    ctx,
    ZERO_RANGE,
    'config.empty',
    `plugin_config.yml is empty, so dvp build fails ("${dvpMessage}"). It needs the keys ${REQUIRED_KEYS.map((k) => `\`${k}\``).join(', ')}.`,
    { dvpMessage, fixes: insert ? [{ title: 'Add the required keys', edits: [insert], preferred: true }] : [] },
  );
}

// ------------------------------------------------------------------------------------------------- values

function checkValue(ctx: FieldContext, field: ConfigField, entry: YamlEntry): Problem[] {
  const node = entry.value;
  const typed = typeProblem(ctx, field, entry, node);
  if (typed) return [typed];
  const v = node.value;
  if (field.type === 'array' && v.kind === 'list') return checkHostTypes(ctx, field, v.items);
  if (v.kind !== 'string') return [];
  const s = v.value;
  if (field.key === 'language') return checkLanguage(ctx, node, s);
  if (field.enum && !field.enum.includes(s)) return [enumProblem(ctx, field, node, s)];
  if (field.pattern && !new RegExp(field.pattern).test(s)) return [patternProblem(ctx, field, node, s)];
  return [];
}

const JSON_TYPE: Record<string, string> = { string: 'string', boolean: 'boolean', array: 'array' };

function kindMatches(expected: ConfigField['type'], v: YamlValue): boolean {
  return (expected === 'string' && v.kind === 'string') || (expected === 'boolean' && v.kind === 'bool') || (expected === 'array' && v.kind === 'list');
}

function typeDvpMessage(v: YamlValue, expected: string): string | undefined {
  const py = toPyValue(v);
  if (py !== undefined) return `${pythonRepr(py)} is not of type '${expected}'`;
  // json.dumps cannot serialise a date: dvp crashes before validating anything.
  if (v.kind === 'timestamp') return 'Internal error, please contact Delphix.';
  return undefined;
}

function typeProblem(ctx: FieldContext, field: ConfigField, entry: YamlEntry, node: YamlNodeInfo): Problem | undefined {
  const v = node.value;
  if (kindMatches(field.type, v)) return undefined;
  const key = field.key;
  const dvpMessage = typeDvpMessage(v, JSON_TYPE[field.type]);
  const text = node.text;
  const quote = (title = `Quote it: ${JSON.stringify(text)}`) => replaceFix(ctx.file, title, node.range, JSON.stringify(text), true);
  const range = v.kind === 'null' ? entry.keyRange : node.range;
  const expected = field.type === 'string' ? 'a string' : field.type === 'boolean' ? '`true` or `false`' : 'a list';

  if (v.kind === 'null') {
    const fixes: Fix[] = [];
    const values = field.type === 'boolean' ? ['true', 'false'] : [suggestedValue(ctx, key)];
    for (const [i, value] of values.entries()) {
      const newText = node.style === 'empty' && !value.startsWith('\n') ? ` ${value}` : value;
      fixes.push(replaceFix(ctx.file, `Set \`${key}: ${value.trim().replace(/\n\s*- /, '- ')}\``, node.range, newText, i === 0));
    }
    const example = key === 'hostTypes' ? 'hostTypes: [UNIX]' : `${key}: ${field.example}`;
    return problem(ctx, range, 'config.type', `\`${key}\` has no value: it must be ${expected}, e.g. \`${example}\`.`, { dvpMessage, fixes });
  }

  if (field.type === 'string') {
    if (v.kind === 'int' || v.kind === 'float') {
      let message = `\`${key}\` must be a string, but YAML reads \`${text}\` as a number: quote it, \`${key}: ${JSON.stringify(text)}\`.`;
      if (key === 'buildNumber' && buildNumberProblem(text)) message += ` Even quoted, \`${text}\` is not a valid build number: ${buildNumberProblem(text)}.`;
      return problem(ctx, range, 'config.type', message, { dvpMessage, fixes: [quote()] });
    }
    if (v.kind === 'bool') {
      return problem(
        ctx,
        range,
        'config.type',
        `'${key}' must be a string, but YAML 1.1 reads '${text}' as ${v.value}: quote it, '${key}: ${JSON.stringify(text)}'.`,
        { dvpMessage, fixes: [quote()] },
      );
    }
    if (v.kind === 'timestamp') {
      return problem(
        ctx,
        range,
        'config.type',
        `'${key}' must be a string, but YAML 1.1 reads '${text}' as a date; quote it.`,
        { dvpMessage, fixes: [quote()], detail: 'dvp build crashes on a date here ("Internal error, please contact Delphix.").' },
      );
    }
  }

  if (field.type === 'boolean' && v.kind === 'string' && /^(true|false|yes|no|on|off)$/i.test(v.value)) {
    const b = /^(true|yes|on)$/i.test(v.value) ? 'true' : 'false';
    return problem(ctx, range, 'config.type', `\`${key}\` must be a boolean, but \`${text}\` is a string: write \`${b}\` without quotes.`, {
      dvpMessage,
      fixes: [replaceFix(ctx.file, `Change to ${b}`, node.range, b, true)],
    });
  }

  if (field.type === 'array' && v.kind === 'string') {
    const item = field.enum?.find((e) => e.toLowerCase() === v.value.trim().toLowerCase());
    return problem(ctx, range, 'config.type', `\`${key}\` must be a list, e.g. \`${key}: [${item ?? 'UNIX'}]\`, not a single string.`, {
      dvpMessage,
      fixes: item ? [replaceFix(ctx.file, `Change to [${item}]`, node.range, `[${item}]`, true)] : [],
    });
  }

  // `id: {7cf830f2-...}` is a YAML flow mapping, not a UUID in braces.
  const uuid = key === 'id' ? cleanUuid(text) : undefined;
  const braces = uuid && v.kind === 'map' ? ' (YAML reads `{...}` as a mapping: write the UUID without braces)' : '';
  return problem(ctx, range, 'config.type', `\`${key}\` must be ${expected}, but it is ${describe(v)}${braces}.`, {
    dvpMessage,
    fixes: uuid ? [replaceFix(ctx.file, `Change to ${uuid}`, node.range, uuid, true)] : [],
  });
}

function describe(v: YamlValue): string {
  switch (v.kind) {
    case 'null':
      return 'empty';
    case 'bool':
      return `the boolean ${v.value}`;
    case 'int':
    case 'float':
      return 'a number';
    case 'string':
      return 'a string';
    case 'timestamp':
      return 'a date';
    case 'list':
      return 'a list';
    case 'map':
      return 'a mapping';
    case 'unconstructable':
      return 'a value PyYAML cannot construct';
    case 'other':
      return v.description;
  }
}

function checkHostTypes(ctx: FieldContext, field: ConfigField, items: YamlNodeInfo[]): Problem[] {
  const out: Problem[] = [];
  const allowed = field.enum ?? [];
  for (const item of items) {
    const v = item.value;
    if (v.kind !== 'string') {
      const dvpMessage = typeDvpMessage(v, 'string');
      const fix = allowed.find((a) => a.toLowerCase() === item.text.toLowerCase());
      out.push(
        problem(ctx, item.range, 'config.type', `Each item of \`hostTypes\` must be the string \`UNIX\` or \`WINDOWS\`, but this one is ${describe(v)}.`, {
          dvpMessage,
          fixes: fix ? [replaceFix(ctx.file, `Change to ${fix}`, item.range, fix, true)] : [],
        }),
      );
    } else if (!allowed.includes(v.value)) {
      out.push(enumProblem(ctx, field, item, v.value));
    }
  }
  if (field.maxItems !== undefined && items.length > field.maxItems) {
    const extra = items.slice(field.maxItems);
    const range = { start: extra[0].range.start, end: extra[extra.length - 1].range.end };
    const py = toPyValue({ kind: 'list', items });
    out.push(
      problem(
        ctx,
        range,
        'config.maxItems',
        `\`hostTypes\` lists ${items.length} host types, but a plugin supports exactly one: keep one and build a separate plugin for the other.`,
        { dvpMessage: py !== undefined ? `${pythonRepr(py)} is too long` : undefined },
      ),
    );
  }
  return out;
}

function enumProblem(ctx: FieldContext, field: ConfigField, node: YamlNodeInfo, value: string): Problem {
  const allowed = field.enum ?? [];
  const dvpMessage = `${pythonStrRepr(value)} is not one of [${allowed.map(pythonStrRepr).join(', ')}]`;
  const best = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase()) ?? closestMatch(value, allowed);
  const ordered = best ? [best, ...allowed.filter((a) => a !== best)] : allowed;
  const fixes = ordered.map((a) => replaceFix(ctx.file, `Change to ${a}`, node.range, a, a === best));
  const what = field.key === 'hostTypes' ? 'a host type' : field.key === 'pluginType' ? 'a plugin type' : `a value of \`${field.key}\``;
  const choices = allowed.map((a) => `\`${a}\``).join(' or ');
  const caseNote = best && best.toLowerCase() === value.trim().toLowerCase() ? ` Values are case-sensitive: write \`${best}\`.` : best ? ` Did you mean \`${best}\`?` : '';
  return problem(ctx, node.range, 'config.enum', `\`${value}\` is not ${what}: use ${choices}.${caseNote}`, { dvpMessage, fixes });
}

function sdkSpan(language: string): string | undefined {
  const versions = sdkVersionsForLanguage(language);
  if (versions.length === 0) return undefined;
  const lo = versions[versions.length - 1];
  const hi = versions[0];
  return lo === hi ? `SDK ${lo}` : `SDK ${lo}–${hi}`;
}

function checkLanguage(ctx: FieldContext, node: YamlNodeInfo, value: string): Problem[] {
  const sdk = ctx.sdk;
  if (value === sdk.language) return [];
  const dvpMessage = `${pythonStrRepr(value)} is not one of [${pythonStrRepr(sdk.language)}]`;
  const fixes = [replaceFix(ctx.file, `Change to ${sdk.language}`, node.range, sdk.language, true)];
  const upper = value.trim().toUpperCase();
  let message: string;
  if (upper === sdk.language) {
    message = `\`${value}\` must be written \`${sdk.language}\`: language values are case-sensitive.`;
  } else if (ALL_LANGUAGES.includes(upper)) {
    const shown = upper === value ? `\`${value}\`` : `\`${value}\` (\`${upper}\`)`;
    message = `${shown} is the language of ${sdkSpan(upper)}; SDK ${sdk.version} accepts only \`${sdk.language}\`. Change it to ${sdk.language}, or set delphix.sdkVersion to the SDK you target.`;
  } else {
    message = `\`${value}\` is not the language of any SDK; SDK ${sdk.version} accepts only \`${sdk.language}\`. Change it to ${sdk.language}, or set delphix.sdkVersion to the SDK you target.`;
  }
  return [problem(ctx, node.range, 'config.enum', message, { dvpMessage, fixes, extra: { sdkVersion: sdk.version, expected: sdk.language } })];
}

// ---------------------------------------------------------------------------------------------- patterns

const UUID_SHAPE = '8-4-4-4-12 hexadecimal digits';

function patternProblem(ctx: FieldContext, field: ConfigField, node: YamlNodeInfo, value: string): Problem {
  const dvpMessage = `${pythonStrRepr(value)} does not match ${pythonStrRepr(field.pattern!)}`;
  const fixes: Fix[] = [];
  const write = (title: string, newValue: string, preferred: boolean) => replaceFix(ctx.file, title, node.range, rewriteValue(node, newValue), preferred);
  let message: string;
  switch (field.key) {
    case 'id': {
      const cleaned = cleanUuid(value);
      if (cleaned) fixes.push(write(`Change to ${cleaned}`, cleaned, true));
      const fresh = suggestedValue(ctx, 'id');
      fixes.push(write('Replace with a new UUID', fresh, !cleaned));
      message = `\`${value}\` is not a UUID: \`id\` must be ${UUID_SHAPE}, such as \`7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a\`.`;
      break;
    }
    case 'entryPoint': {
      const colons = value.split(':').length - 1;
      const [mod, obj] = value.split(':');
      let why: string;
      if (colons === 0) {
        why = 'it has no colon';
        const lastDot = value.lastIndexOf('.');
        if (lastDot > 0 && lastDot < value.length - 1) {
          const swapped = `${value.slice(0, lastDot)}:${value.slice(lastDot + 1)}`;
          fixes.push(write(`Change to ${swapped}`, swapped, true));
        }
        if (value.length > 0) fixes.push(write(`Change to ${value}:plugin`, `${value}:plugin`, fixes.length === 0));
      } else if (colons > 1) why = 'it has more than one colon';
      else if (mod.length === 0) why = 'the module before the colon is missing';
      else if (obj.length === 0) {
        why = 'the object after the colon is missing';
        fixes.push(write(`Change to ${value}plugin`, `${value}plugin`, true));
      } else why = 'it is not of that form';
      message = `\`entryPoint\` must be \`module:object\` (the module under srcDir, dotted for a package, then the name of its Plugin object, e.g. \`plugin_runner:plugin\`), but ${why}.`;
      break;
    }
    case 'buildNumber': {
      const why = buildNumberProblem(value) ?? 'it is not of that form';
      const stripped = value.replace(/^[vV]/, '');
      if (stripped !== value && isValidBuildNumber(stripped)) fixes.push(write(`Change to ${stripped}`, stripped, true));
      message = `\`${value}\` is not a valid build number: ${why}. A build number is dot-separated non-negative integers with at least one non-zero digit, e.g. \`1\`, \`0.1.0\`, \`2.10.3\`.`;
      break;
    }
    case 'luaName': {
      const lower = value.toLowerCase();
      if (new RegExp(field.pattern!).test(lower)) fixes.push(write(`Change to ${lower}`, lower, true));
      message = `'${value}' is not a valid luaName: use lower-case letters, digits, '_', ':' and '-'.`;
      break;
    }
    case 'minimumLuaVersion':
      message = `\`minimumLuaVersion\` must be \`MAJOR.MINOR\`, e.g. \`"1.3"\`, so \`${value}\` is not allowed.`;
      break;
    default:
      message = `\`${value}\` does not match the pattern of \`${field.key}\` (\`${field.pattern}\`).`;
  }
  return problem(ctx, node.range, 'config.pattern', message, { dvpMessage, fixes });
}

/** A UUID written with braces, a `urn:uuid:` prefix, spaces or without dashes, in its plain form. */
function cleanUuid(value: string): string | undefined {
  let s = value.trim().replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1').trim();
  if (/^[0-9a-fA-F]{32}$/.test(s)) s = `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  return s !== value && /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s) ? s : undefined;
}

// ---------------------------------------------------------------------------------------------- Lua pair

function truthy(e: YamlEntry | undefined): boolean {
  if (!e) return false;
  const v = e.value.value;
  switch (v.kind) {
    case 'null':
      return false;
    case 'bool':
      return v.value;
    case 'int':
    case 'float':
      return v.value !== 0;
    case 'string':
      return v.value.length > 0;
    case 'list':
      return v.items.length > 0;
    case 'map':
      return v.entries.length > 0;
    default:
      return true;
  }
}

function luaPair(ctx: FieldContext): Problem[] {
  const lua = ctx.yaml.byKey.get('luaName');
  const min = ctx.yaml.byKey.get('minimumLuaVersion');
  if (truthy(lua) && !truthy(min)) {
    const dvpMessage = 'Failed to process property "luaName" without "minimumLuaVersion" set in the plugin config.';
    return [problem(ctx, lua!.keyRange, 'config.luaPair', `\`luaName\` needs \`minimumLuaVersion\` too (dvp build: "${dvpMessage}"). Add \`minimumLuaVersion: "MAJOR.MINOR"\`, the oldest Lua toolkit version that can be upgraded to this plugin.`, { dvpMessage })];
  }
  if (truthy(min) && !truthy(lua)) {
    const dvpMessage = 'Failed to process property "minimumLuaVersion" without "luaName" set in the plugin config.';
    return [problem(ctx, min!.keyRange, 'config.luaPair', `\`minimumLuaVersion\` needs \`luaName\` too (dvp build: "${dvpMessage}"). Add \`luaName\`, the name of the Lua toolkit this plugin replaces, or remove \`minimumLuaVersion\`.`, { dvpMessage })];
  }
  return [];
}

// ----------------------------------------------------------------------------- checks dvp does not make

function ownChecks(ctx: FieldContext): Problem[] {
  const out: Problem[] = [];
  const name = ctx.yaml.byKey.get('name');
  if (name && name.value.value.kind === 'string' && name.value.value.value.trim() === '') {
    const suggestion = suggestedValue(ctx, 'name');
    out.push(
      problem(ctx, name.value.style === 'empty' ? name.keyRange : name.value.range, 'config.emptyName', '`name` is empty: dvp build accepts it, but the plugin then has no display name in the Delphix UI.', {
        severity: 'warning',
        dvp: false,
        fixes: [replaceFix(ctx.file, `Set \`name: ${suggestion}\``, name.value.range, suggestion, true)],
      }),
    );
  }
  const hosts = ctx.yaml.byKey.get('hostTypes');
  if (hosts && hosts.value.value.kind === 'list' && hosts.value.value.items.length === 0) {
    out.push(
      problem(ctx, hosts.value.range, 'config.emptyHostTypes', '`hostTypes` is empty: dvp build accepts it, but the plugin then supports no host. Add `UNIX` or `WINDOWS`.', {
        severity: 'warning',
        dvp: false,
        fixes: ['UNIX', 'WINDOWS'].map((h, i) => replaceFix(ctx.file, `Change to [${h}]`, hosts.value.range, `[${h}]`, i === 0)),
      }),
    );
  }
  const squash = ctx.yaml.byKey.get('rootSquashEnabled');
  if (squash && hosts && hosts.value.value.kind === 'list') {
    const types = hosts.value.value.items.map((i) => (i.value.kind === 'string' ? i.value.value : ''));
    if (types.length > 0 && types.every((t) => t === 'WINDOWS')) {
      const remove = removeEntryEdit(ctx, squash);
      out.push(
        problem(ctx, squash.keyRange, 'config.rootSquashWindows', '`rootSquashEnabled` applies to NFS mounts on Unix hosts only; this plugin is for WINDOWS hosts, so it has no effect.', {
          severity: 'information',
          dvp: false,
          fixes: remove ? [{ title: 'Remove `rootSquashEnabled`', edits: [remove], preferred: true }] : [],
        }),
      );
    }
  }
  return out;
}
