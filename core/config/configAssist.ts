// Completion and hover for plugin_config.yml: the keys the file still lacks (with a snippet), the values a
// key accepts, and a short reference for each key. Works on half-typed text: the current line is read
// as text, the rest of the document through the YAML parser.

import { randomUUID } from 'crypto';
import type { AssistItem } from '../assist';
import { getSdkVersion, sdkVersionsForLanguage } from '../sdk/versions';
import { MAX_CONFIG_FILE_BYTES } from '../files';
import { LineIndex, rangeContains } from '../text';
import type { Position, Range } from '../types';
import { ALL_LANGUAGES, BOOLEAN_KEYS, CONFIG_FIELDS, CONFIG_FIELDS_BY_KEY, LEGACY_KEYS, type ConfigField } from './configFields';
import { closestMatch } from './closestMatch';
import { parseConfigYaml } from './configYaml';

export interface AssistOptions {
  sdkVersion?: string;
}

const WORD = /[A-Za-z0-9_-]/;

const VALUE_DOCS: Record<string, Record<string, string>> = {
  pluginType: {
    STAGED:
      'Staged ingestion: the engine mounts the dSource\'s storage on a staging host, and the plugin copies the data into it (usually in `linked.pre_snapshot`) before each snapshot. Needs `linked.mount_specification`.',
    DIRECT: 'Direct ingestion: the engine copies the data from the source environment itself; the plugin discovers the source and describes the snapshots.',
  },
  hostTypes: {
    UNIX: 'Unix-like hosts (Linux, AIX, Solaris, HP-UX): operations run shell commands with `libs.run_bash`.',
    WINDOWS: 'Windows hosts: operations run PowerShell with `libs.run_powershell`.',
  },
};

function languageDoc(language: string): string {
  const versions = sdkVersionsForLanguage(language);
  const python = language.replace(/^PYTHON(\d)(\d+)$/, '$1.$2');
  const span = versions.length === 0 ? '' : versions.length === 1 ? ` — the language of SDK ${versions[0]}` : ` — the language of SDK ${versions[versions.length - 1]}–${versions[0]}`;
  return `Python ${python}${span}.`;
}

/** The reference text of one key, in Markdown. */
export function configKeyDoc(field: ConfigField, sdkVersion?: string): string {
  const sdk = getSdkVersion(sdkVersion);
  const head = [`**\`${field.key}\`**`, field.required ? 'required' : 'optional', field.type === 'array' ? 'list' : field.type];
  if (field.default !== undefined) head.push(`default \`${field.default}\``);
  const parts = [head.join(' · '), field.summary];
  if (field.detail) parts.push(field.detail);
  if (field.key === 'language') parts.push(`SDK ${sdk.version} (the targeted SDK) accepts \`${sdk.language}\`.`);
  if (field.enum) parts.push(`Values: ${field.enum.map((v) => `\`${v}\``).join(', ')}.`);
  const example = field.key === 'language' ? sdk.language : field.example;
  parts.push('Example:\n```yaml\n' + `${field.key}:${example.startsWith('\n') ? '' : ' '}${example}` + '\n```');
  return parts.join('\n\n');
}

function detailOf(field: ConfigField): string {
  const type = field.type === 'array' ? 'list' : field.type;
  return `${field.required ? 'required' : 'optional'} · ${type}${field.default !== undefined ? ` · default ${field.default}` : ''}`;
}

function snippetValue(field: ConfigField, language: string): string {
  switch (field.key) {
    case 'id':
      return `\${1:${randomUUID()}}`;
    case 'hostTypes':
      return '\n  - ${1|UNIX,WINDOWS|}';
    case 'pluginType':
      return '${1|STAGED,DIRECT|}';
    case 'language':
      return `\${1|${language}|}`;
    case 'entryPoint':
      return '${1:plugin_runner}:${2:plugin}';
    case 'buildNumber':
      return '"${1:0.1.0}"';
    case 'externalVersion':
      return '"${1:1.0.0}"';
    case 'minimumLuaVersion':
      return '"${1:1.0}"';
    case 'name':
      return '${1:My Plugin}';
    default:
      if (field.type === 'boolean') return `\${1|${field.default === 'false' ? 'false,true' : 'true,false'}|}`;
      return `\${1:${field.example.replace(/[$}\\]/g, '\\$&')}}`;
  }
}

// The editor asks for completion and hover on the same text, often several times per keystroke: the
// last parse is kept so a large file is not parsed again for each request.
let lastParse: { text: string; yaml: ReturnType<typeof parseConfigYaml> } | undefined;
function parsedForAssist(text: string): ReturnType<typeof parseConfigYaml> {
  if (lastParse?.text !== text) lastParse = { text, yaml: parseConfigYaml('', text) };
  return lastParse.yaml;
}

export function configCompletions(text: string, position: Position, options: AssistOptions = {}): AssistItem[] {
  // A file too large to analyse gets no assistance: parsing it again on every request would stall the editor.
  if (text.length > MAX_CONFIG_FILE_BYTES) return [];
  try {
    return completions(text, position, options);
  } catch {
    // Completion is a convenience: a parse surprise must not surface as an error in the editor.
    return [];
  }
}

function completions(text: string, position: Position, options: AssistOptions): AssistItem[] {
  const lines = new LineIndex(text);
  if (position.line >= lines.lineCount) return [];
  const sdk = getSdkVersion(options.sdkVersion);
  const lineText = lines.lineText(position.line);
  const col = Math.min(position.character, lineText.length);
  const before = lineText.slice(0, col);
  const word = wordAt(lineText, col);
  const wordRange: Range = { start: { line: position.line, character: word.start }, end: { line: position.line, character: word.end } };

  // Key position: at the start of a line, nothing but a (partial) key before the cursor.
  if (/^[A-Za-z0-9_-]*$/.test(before)) {
    const yaml = parsedForAssist(text);
    const present = new Set(yaml.entries.filter((e) => e.keyRange.start.line !== position.line).map((e) => e.key));
    const afterWord = lineText.slice(word.end);
    const hasColon = /^\s*:/.test(afterWord);
    const items: AssistItem[] = [];
    CONFIG_FIELDS.forEach((field, i) => {
      if (present.has(field.key)) return;
      items.push({
        label: field.key,
        kind: 'property',
        detail: detailOf(field),
        documentation: configKeyDoc(field, options.sdkVersion),
        insertText: hasColon ? field.key : `${field.key}:${field.type === 'array' ? '' : ' '}${snippetValue(field, sdk.language)}`,
        isSnippet: !hasColon,
        range: wordRange,
        sortText: `${field.required ? '0' : '1'}${String(i).padStart(2, '0')}`,
      });
    });
    if (present.size === 0 && !hasColon) {
      const required = CONFIG_FIELDS.filter((f) => f.required);
      // Each key's snippet numbers its placeholders from 1; shift them so that Tab walks through the whole file.
      let offset = 0;
      const body = required
        .map((f) => {
          let highest = 0;
          const v = snippetValue(f, sdk.language).replace(/\$\{(\d+)/g, (_m, d: string) => {
            highest = Math.max(highest, Number(d));
            return `\${${offset + Number(d)}`;
          });
          offset += highest;
          return `${f.key}:${f.type === 'array' ? '' : ' '}${v}`;
        })
        .join('\n');
      items.push({
        label: 'plugin config (all required keys)',
        kind: 'snippet',
        detail: `A complete plugin_config.yml for SDK ${sdk.version}`,
        documentation: 'Inserts every required key with a fresh id, as `dvp init` would write them.',
        insertText: body,
        isSnippet: true,
        range: wordRange,
        sortText: '000',
      });
    }
    return items;
  }

  // Item of a block list: `  - UN|` under `hostTypes:`.
  const item = /^\s+-\s+([A-Za-z0-9_-]*)$/.exec(before) ?? /^\s+-$/.exec(before);
  if (item) {
    const owner = ownerKey(lines, position.line);
    if (owner === 'hostTypes') return enumItems('hostTypes', CONFIG_FIELDS_BY_KEY.get('hostTypes')!.enum!, wordRange);
    return [];
  }

  // Value position: `key: partial|`, or inside a flow list `hostTypes: [UN|`.
  const m = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(before);
  if (!m) return [];
  const key = m[1];
  const field = CONFIG_FIELDS_BY_KEY.get(key);
  if (!field) return [];
  const valueSoFar = m[2];
  if (key === 'hostTypes') {
    if (/^\[/.test(valueSoFar)) return enumItems('hostTypes', field.enum!, wordRange);
    return field.enum!.map((v, i) => ({ label: `[${v}]`, kind: 'value', detail: 'host type', documentation: VALUE_DOCS.hostTypes[v], insertText: `[${v}]`, range: wordRange, sortText: String(i) }));
  }
  if (/^["']/.test(valueSoFar) && key !== 'id') return [];
  if (key === 'pluginType') return enumItems('pluginType', field.enum!, wordRange);
  if (key === 'language') {
    return [
      {
        label: sdk.language,
        kind: 'value',
        detail: `language of SDK ${sdk.version}`,
        documentation: languageDoc(sdk.language),
        range: wordRange,
        sortText: '0',
      },
    ];
  }
  if (BOOLEAN_KEYS.includes(key)) {
    return ['true', 'false'].map((b, i) => ({
      label: b,
      kind: 'keyword',
      detail: field.default === b ? 'default' : undefined,
      range: wordRange,
      sortText: field.default === b ? '0' : String(i + 1),
    }));
  }
  if (key === 'id') {
    const uuid = randomUUID();
    return [{ label: uuid, kind: 'value', detail: 'a new UUID', documentation: 'A freshly generated plugin id.', range: fullValueRange(lines, position.line, before.length - valueSoFar.length), sortText: '0' }];
  }
  if (key === 'defaultLocale') return [{ label: 'en-us', kind: 'value', detail: 'default', range: wordRange, sortText: '0' }];
  return [];
}

function enumItems(key: string, values: string[], range: Range): AssistItem[] {
  return values.map((v, i) => ({ label: v, kind: 'value', detail: key, documentation: VALUE_DOCS[key]?.[v], range, sortText: String(i) }));
}

function wordAt(line: string, col: number): { start: number; end: number } {
  let start = col;
  while (start > 0 && WORD.test(line[start - 1])) start--;
  let end = col;
  while (end < line.length && WORD.test(line[end])) end++;
  return { start, end };
}

/** The whole value after `key: ` on a line (a UUID holds dashes and may be quoted). */
function fullValueRange(lines: LineIndex, line: number, valueStart: number): Range {
  const text = lines.lineText(line);
  const comment = text.indexOf(' #', valueStart);
  let end = comment >= 0 ? comment : text.length;
  while (end > valueStart && /\s/.test(text[end - 1])) end--;
  return { start: { line, character: valueStart }, end: { line, character: end } };
}

/** The top-level key a nested line belongs to (the nearest line above without indentation). */
function ownerKey(lines: LineIndex, line: number): string | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const t = lines.lineText(l);
    if (t.trim() === '' || /^\s*#/.test(t)) continue;
    if (/^\s/.test(t) || t.startsWith('-')) continue;
    return /^([A-Za-z0-9_-]+)\s*:/.exec(t)?.[1];
  }
  return undefined;
}

export function configHover(text: string, position: Position, options: AssistOptions = {}): { markdown: string; range: Range } | undefined {
  if (text.length > MAX_CONFIG_FILE_BYTES) return undefined;
  try {
    return hover(text, position, options);
  } catch {
    return undefined;
  }
}

function hover(text: string, position: Position, options: AssistOptions): { markdown: string; range: Range } | undefined {
  const yaml = parsedForAssist(text);
  for (const entry of yaml.entries) {
    const onKey = rangeContains(entry.keyRange, position);
    const onValue = entry.value.style !== 'empty' && rangeContains(entry.value.range, position);
    if (!onKey && !onValue) continue;
    const field = CONFIG_FIELDS_BY_KEY.get(entry.key);
    if (!field) {
      if (!onKey) return undefined;
      const legacy = LEGACY_KEYS.get(entry.key);
      const near = legacy?.replacement ?? closestMatch(entry.key, CONFIG_FIELDS.map((f) => f.key));
      const advice = legacy ? legacy.explanation : near ? `Did you mean \`${near}\`?` : 'dvp build rejects keys it does not know.';
      return { markdown: `**\`${entry.key}\`** is not a plugin config key. ${advice}`, range: entry.keyRange };
    }
    if (onKey) return { markdown: configKeyDoc(field, options.sdkVersion), range: entry.keyRange };
    const v = entry.value.value;
    if (v.kind === 'list') {
      const item = v.items.find((i) => rangeContains(i.range, position));
      if (item && item.value.kind === 'string' && VALUE_DOCS[field.key]?.[item.value.value]) {
        return { markdown: `**\`${item.value.value}\`**\n\n${VALUE_DOCS[field.key][item.value.value]}`, range: item.range };
      }
    }
    if (v.kind === 'string') {
      const doc = VALUE_DOCS[field.key]?.[v.value] ?? (field.key === 'language' && ALL_LANGUAGES.includes(v.value) ? languageDoc(v.value) : undefined);
      if (doc) return { markdown: `**\`${v.value}\`**\n\n${doc}\n\n---\n\n${configKeyDoc(field, options.sdkVersion)}`, range: entry.value.range };
    }
    return { markdown: configKeyDoc(field, options.sdkVersion), range: entry.value.range };
  }
  return undefined;
}
