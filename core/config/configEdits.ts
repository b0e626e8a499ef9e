// Text edits the config quick fixes are made of, and the value a fix writes for a key that is missing.

import { randomUUID } from 'crypto';
import * as path from 'path';
import type { FileSource } from '../files';
import type { Fix, Range, TextEdit } from '../types';
import type { ConfigYaml, YamlEntry, YamlNodeInfo } from './configYaml';
import { entryLinesRange } from './configYaml';

export interface EditContext {
  file: string;
  text: string;
  yaml: ConfigYaml;
  root: string;
  files: FileSource;
  /** The `language` of the targeted SDK. */
  language: string;
}

export function replaceFix(file: string, title: string, range: Range, newText: string, preferred = false): Fix {
  return { title, edits: [{ file, range, newText }], ...(preferred ? { preferred: true } : {}) };
}

/** A new string value written in the quoting style of the value it replaces. */
export function rewriteValue(node: YamlNodeInfo, value: string): string {
  if (node.style === 'quoted') return node.text.startsWith("'") ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value);
  return value;
}

/** An edit that appends `key: value` to the top-level mapping, or undefined where that cannot be done cleanly. */
export function insertKeyEdit(ctx: EditContext, key: string, valueText: string): TextEdit | undefined {
  return appendLinesEdit(ctx, keyLine(key, valueText));
}

/** `key: value`, or `key:` followed by an indented block when the value starts on the next line. */
export function keyLine(key: string, valueText: string): string {
  return `${key}:${valueText.startsWith('\n') ? '' : ' '}${valueText}`;
}

/** An edit that appends whole lines after the top-level mapping (or to an empty document). */
export function appendLinesEdit(ctx: EditContext, block: string): TextEdit | undefined {
  const { yaml, text } = ctx;
  if (yaml.mapping?.flow) return undefined;
  if (!yaml.mapping && !yaml.empty) return undefined;
  // Appending right after the mapping's last value keeps the new lines inside it, even before trailing comments.
  const at = yaml.mapping ? Math.min(text.length, yaml.mapping.end) : text.length;
  const needsBreak = at > 0 && !text.slice(0, at).endsWith('\n');
  const pos = yaml.lines.positionAt(at);
  return { file: ctx.file, range: { start: pos, end: pos }, newText: `${needsBreak ? '\n' : ''}${block}\n` };
}

export function removeEntryEdit(ctx: EditContext, entry: YamlEntry): TextEdit | undefined {
  if (ctx.yaml.mapping?.flow) return undefined;
  return { file: ctx.file, range: entryLinesRange(ctx.text, ctx.yaml.lines, entry), newText: '' };
}

/** A sensible value for a key the author has not written, as text after `key:`. */
export function suggestedValue(ctx: EditContext, key: string): string {
  switch (key) {
    case 'id':
      return randomUUID();
    case 'name': {
      const folder = path.basename(ctx.root);
      return yamlString(folder.length > 0 ? folder : 'My Plugin');
    }
    case 'hostTypes':
      return '\n  - UNIX';
    case 'entryPoint':
      return `${guessEntryModule(ctx)}:plugin`;
    case 'srcDir':
      return 'src';
    case 'schemaFile':
      return 'schema.json';
    case 'pluginType':
      return 'DIRECT';
    case 'language':
      return ctx.language;
    case 'buildNumber':
      return '"0.1.0"';
    case 'externalVersion':
      return '"1.0.0"';
    case 'minimumLuaVersion':
      return '"1.0"';
    case 'defaultLocale':
      return 'en-us';
    case 'manualDiscovery':
    case 'rootSquashEnabled':
      return 'true';
    case 'extendedStartStopHooks':
      return 'false';
    default:
      return '""';
  }
}

/** `plugin_runner` (what `dvp init` writes) unless srcDir holds a single other top-level module. */
function guessEntryModule(ctx: EditContext): string {
  const srcEntry = ctx.yaml.byKey.get('srcDir');
  const src = srcEntry && srcEntry.value.value.kind === 'string' ? srcEntry.value.value.value : 'src';
  const dir = path.resolve(ctx.root, src);
  const modules = ctx.files.list(dir).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*\.py$/.test(n) && n !== '__init__.py');
  if (modules.includes('plugin_runner.py') || modules.length !== 1) return 'plugin_runner';
  return modules[0].slice(0, -3);
}

/** A string written so that YAML 1.1 reads it back as that string. */
export function yamlString(s: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_ .\-/]*$/.test(s) && !/\s$/.test(s) && !/^(?:yes|no|true|false|on|off|null|y|n)$/i.test(s)) return s;
  return JSON.stringify(s);
}
