// Reads plugin_config.yml into its top-level entries with their source ranges, and reports what is wrong
// with the YAML itself: syntax errors, tags and aliases PyYAML's safe_load refuses, duplicate keys (which
// PyYAML accepts silently, keeping the last), and a document that is not a mapping.

import { blankDeepFlows, MAX_YAML_FLOW_DEPTH, yamlFlowTooDeep } from './yamlDepth';
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit, type Node as YamlNode } from 'yaml';
import { LineIndex } from '../text';
import type { Problem, Range } from '../types';
import { PyFloat, pythonRepr, type PyValue } from './pythonRepr';
import { resolvePlainScalar, resolveTaggedScalar, type ScalarValue } from './yaml11Scalars';

export type YamlValue =
  | ScalarValue
  | { kind: 'list'; items: YamlNodeInfo[] }
  | { kind: 'map'; entries: { key: string; value: YamlNodeInfo }[] }
  /** A node safe_load cannot turn into JSON-able data (an unknown tag, `!!binary`, `!!set`, ...). */
  | { kind: 'other'; description: string };

export interface YamlNodeInfo {
  value: YamlValue;
  range: Range;
  /** Offsets of the node's text in the document (without a trailing comment). */
  start: number;
  end: number;
  /** The node's source text. */
  text: string;
  /** How the value is written; `empty` is a key with nothing after the colon. */
  style: 'plain' | 'quoted' | 'block' | 'flow' | 'indented' | 'alias' | 'empty';
}

export interface YamlEntry {
  key: string;
  keyRange: Range;
  keyStart: number;
  keyEnd: number;
  value: YamlNodeInfo;
}

export interface ConfigYaml {
  lines: LineIndex;
  problems: Problem[];
  /** The YAML has errors that make `dvp build` stop before it looks at any key. */
  syntaxErrors: boolean;
  /** The top-level mapping, when the document is one. */
  mapping?: { flow: boolean; start: number; end: number };
  /** Where the YAML errors are (offsets), so that checks can skip values the parser may have misread. */
  errorSpans: [number, number][];
  /** The document holds nothing but whitespace and comments. */
  empty: boolean;
  /** Top-level entries in document order, duplicates included. */
  entries: YamlEntry[];
  /** The entry of each key that counts (the last one, as in PyYAML). */
  byKey: Map<string, YamlEntry>;
}

const MAX_DEPTH = 64;
/**
 * How many values aliases may expand to. A real plugin_config.yml has a few dozen values; a "billion
 * laughs" document (aliases of aliases) expands to billions, which would exhaust memory here and in
 * dvp build's JSON round trip.
 */
const MAX_ALIAS_EXPANSION = 10000;

/** Counts the values reached through aliases, across one document. */
interface AliasBudget {
  /** What each alias refers to (the yaml package's own lookup walks the whole document per alias). */
  targets: Map<Alias, YamlNode>;
  expanded: number;
  /** The first alias written outside any alias whose expansion went over the budget. */
  exceededAt?: [number, number];
}

export function parseConfigYaml(file: string, text: string): ConfigYaml {
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  // Flow collections nested past the limit are blanked before the YAML library sees them (it would spend
  // seconds running out of stack); each is one error where the limit is passed.
  const deep = yamlFlowTooDeep(text);
  // `failsafe` keeps every scalar a string, so that yaml11Scalars can resolve plain ones as PyYAML does.
  const doc = parseDocument(deep.length > 0 ? blankDeepFlows(text, deep) : text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });

  const rangeOf = (start: number, end: number): Range => {
    // A zero-width error inside the text is widened to the character it points at, so it stays visible.
    if (end <= start && start < text.length && text[start] !== '\n' && text[start] !== '\r') end = start + 1;
    return lines.range(start, Math.max(start, end));
  };
  const errorSpans: [number, number][] = [];
  const yamlError = (start: number, end: number, what: string, extra?: Partial<Problem>) => {
    errorSpans.push([start, end]);
    problems.push({
      file,
      range: rangeOf(start, end),
      severity: 'error',
      code: 'config.yaml',
      message: sentence(what),
      detail: 'dvp build stops on it with "the plugin config file ... was not valid yaml".',
      dvp: true,
      data: { dvpMessage: notValidYaml(file, lines.positionAt(start)) },
      ...extra,
    });
  };

  for (const d of deep) {
    // Not a dvp error below about 1,000 levels (PyYAML reads them), but the file was not checked: an error here too.
    errorSpans.push([d.at, d.at + 1]);
    problems.push({ file, range: rangeOf(d.at, d.at + 1), severity: 'error', code: 'config.tooDeep', message: TOO_DEEP, dvp: false });
  }
  for (const e of doc.errors) yamlError(e.pos[0], e.pos[1], /Maximum call stack size exceeded/.test(e.message) ? TOO_DEEP : e.message);
  for (const w of doc.warnings) {
    // Standard tags are resolved below; a local tag is a constructor error in safe_load.
    if (w.code === 'TAG_RESOLVE_FAILED' && /tag:yaml\.org,2002:/.test(w.message)) continue;
    if (w.code === 'TAG_RESOLVE_FAILED') {
      const tag = w.message.replace(/^Unresolved tag:\s*/, '');
      yamlError(w.pos[0], w.pos[1], `PyYAML's safe_load cannot construct a value tagged \`${tag}\`: remove the tag.`);
      continue;
    }
    problems.push({ file, range: rangeOf(w.pos[0], w.pos[1]), severity: 'warning', code: 'config.yaml', message: sentence(w.message), dvp: false });
  }

  const budget: AliasBudget = { targets: aliasTargets(doc), expanded: 0 };
  const info = (node: unknown, depth: number, fallbackAt: number): YamlNodeInfo =>
    describeNode(doc, text, lines, node, depth, fallbackAt, (s, e, m) => yamlError(s, e, m), budget);

  const found: { entry: YamlEntry; merged: boolean }[] = [];
  const byKey = new Map<string, YamlEntry>();
  const contents = doc.contents as YamlNode | null;
  let mapping: ConfigYaml['mapping'];
  const empty = contents === null || (isScalar(contents) && contents.value === '' && !contents.tag && text.slice(contents.range?.[0] ?? 0, contents.range?.[1] ?? 0) === '');

  if (isMap(contents) && contents.range) {
    mapping = { flow: !!contents.flow, start: contents.range[0], end: contents.range[2] };
    for (const pair of contents.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      if (!isScalar(keyNode) || !keyNode.range) {
        const r = (keyNode as YamlNode | null)?.range;
        if (r) yamlError(r[0], r[1], 'A key must be a plain name, not a list or mapping (PyYAML: "found unhashable key").');
        continue;
      }
      const keyStart = keyNode.range[0];
      const keyEnd = keyNode.range[1];
      const key = keyText(keyNode, text);
      const valueNode = pair.value as YamlNode | null;
      if (key === '<<' && keyNode.type === 'PLAIN') {
        // A merge key: its mapping's entries count where the document does not set them itself.
        mergeEntries(doc, valueNode, text, lines, budget, (entry) => found.push({ entry, merged: true }));
        continue;
      }
      const value = info(valueNode, 1, keyEnd);
      found.push({ entry: { key, keyRange: lines.range(keyStart, keyEnd), keyStart, keyEnd, value }, merged: false });
    }
    const explicit = new Set(found.filter((f) => !f.merged).map((f) => f.entry.key));
    const mergedSeen = new Set<string>();
    for (const { entry: e, merged } of found) {
      if (merged) {
        // The first merged mapping that sets a key wins, and an explicit key beats every merged one.
        if (explicit.has(e.key) || mergedSeen.has(e.key)) continue;
        mergedSeen.add(e.key);
        byKey.set(e.key, e);
        continue;
      }
      const previous = byKey.get(e.key);
      if (previous) {
        problems.push({
          file,
          range: previous.keyRange,
          severity: 'warning',
          code: 'config.duplicateKey',
          message: `\`${e.key}\` is set again on line ${e.keyRange.start.line + 1}. dvp build silently keeps the last value and ignores this one: remove one of them.`,
          dvp: false,
          related: [{ file, range: e.keyRange, message: `the \`${e.key}\` that counts` }],
          data: mapping.flow ? undefined : { fixes: [{ title: `Remove this \`${e.key}\``, edits: [{ file, range: entryLinesRange(text, lines, previous), newText: '' }] }] },
        });
      }
      byKey.set(e.key, e);
    }
  } else if (!empty && contents) {
    const r = contents.range ?? [0, 0, 0];
    const what = isSeq(contents) ? 'a list' : isScalar(contents) ? `the single value \`${truncate(text.slice(r[0], r[1]))}\`` : 'not a mapping';
    const py = toPyValue(describeNode(doc, text, lines, contents, 0, 0, () => undefined, budget).value);
    problems.push({
      file,
      range: lines.range(r[0], r[1]),
      severity: 'error',
      code: 'config.notMapping',
      message: `plugin_config.yml must be a mapping of keys to values, not ${what}.`,
      detail: 'Write one key per line, such as `id: ...` and `name: ...`.',
      dvp: true,
      data: py === undefined ? undefined : { dvpMessage: `${pythonRepr(py)} is not of type 'object'` },
    });
  }

  if (budget.exceededAt) {
    const [s, e] = budget.exceededAt;
    errorSpans.push([s, e]);
    problems.push({
      file,
      range: rangeOf(s, e),
      severity: 'error',
      code: 'config.aliasExpansion',
      message: `The aliases expand to more than ${MAX_ALIAS_EXPANSION} values here; write the values out instead.`,
      detail: 'Aliases of aliases make a "billion laughs" document: Plugin Studio stopped expanding them here, and dvp build would try to expand all of them when it converts the config to JSON.',
      dvp: false,
    });
  }

  const entries = found.map((f) => f.entry);
  return { lines, problems, syntaxErrors: problems.some((p) => p.code === 'config.yaml' && p.severity === 'error'), mapping, empty, entries, byKey, errorSpans };
}

/** Lines from the key's line start to the start of the line after its value: what "remove this key" deletes. */
export function entryLinesRange(text: string, lines: LineIndex, entry: YamlEntry): Range {
  const startLine = entry.keyRange.start.line;
  const start = lines.offsetAt({ line: startLine, character: 0 });
  const last = lines.positionAt(Math.max(entry.keyEnd, entry.value.end));
  // A block value's range runs up to the start of the next key's line: that line is not part of it.
  const endLine = last.character === 0 && last.line > startLine ? last.line - 1 : last.line;
  const end = endLine + 1 < lines.lineCount ? lines.offsetAt({ line: endLine + 1, character: 0 }) : text.length;
  return lines.range(start, end);
}

function keyText(node: Scalar, text: string): string {
  if (node.type === 'PLAIN' && node.range) {
    const v = String(node.value);
    // json.dumps turns PyYAML's non-string keys into JSON strings: True -> "true", None -> "null".
    const resolved = resolvePlainScalar(v);
    if (resolved.kind === 'bool') return resolved.value ? 'true' : 'false';
    if (resolved.kind === 'null') return 'null';
    return v;
  }
  return node.value === null || node.value === undefined ? text.slice(node.range![0], node.range![1]) : String(node.value);
}

function mergeEntries(doc: Document, valueNode: YamlNode | null, text: string, lines: LineIndex, budget: AliasBudget, add: (e: YamlEntry) => void): void {
  const sources = isSeq(valueNode) ? (valueNode.items as YamlNode[]) : [valueNode];
  for (const s of sources) {
    const target = isAlias(s) ? budget.targets.get(s) : s;
    if (!isMap(target)) continue;
    for (const pair of target.items) {
      if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
      const keyNode = pair.key as Scalar;
      const keyStart = keyNode.range![0];
      const keyEnd = keyNode.range![1];
      add({
        key: keyText(keyNode, text),
        keyRange: lines.range(keyStart, keyEnd),
        keyStart,
        keyEnd,
        value: describeNode(doc, text, lines, pair.value, 1, keyEnd, () => undefined, budget),
      });
    }
  }
}

function describeNode(
  doc: Document,
  text: string,
  lines: LineIndex,
  node: unknown,
  depth: number,
  fallbackAt: number,
  error: (start: number, end: number, message: string) => void,
  budget: AliasBudget,
  viaAlias = false,
): YamlNodeInfo {
  const n = node as YamlNode | null | undefined;
  if (!n || !n.range) {
    const at = afterColon(text, fallbackAt);
    return { value: { kind: 'null' }, range: lines.range(at, at), start: at, end: at, text: '', style: 'empty' };
  }
  const [start, end] = n.range;
  const base = { range: lines.range(start, end), start, end, text: text.slice(start, end) };
  if (depth > MAX_DEPTH) return { ...base, value: { kind: 'other', description: 'a structure nested too deeply' }, style: 'flow' };
  if (viaAlias && ++budget.expanded > MAX_ALIAS_EXPANSION) {
    return { ...base, value: { kind: 'other', description: 'aliases that expand to too many values' }, style: 'alias' };
  }

  if (isAlias(n)) {
    const target = budget.targets.get(n as Alias);
    if (!target) {
      error(start, end, `Unknown alias \`*${(n as Alias).source}\`: no anchor \`&${(n as Alias).source}\` is defined before it.`);
      return { ...base, value: { kind: 'null' }, style: 'alias' };
    }
    const resolved = describeNode(doc, text, lines, target, depth + 1, fallbackAt, error, budget, true);
    // Reported at the outermost alias, where the author wrote the expansion that went over the budget.
    if (!viaAlias && budget.expanded > MAX_ALIAS_EXPANSION) budget.exceededAt ??= [start, end];
    return { ...base, value: resolved.value, style: 'alias' };
  }

  if (isScalar(n)) {
    const raw = n.value === null || n.value === undefined ? '' : String(n.value);
    const tag = n.tag;
    let value: YamlValue;
    if (tag) {
      value = resolveTaggedScalar(tag, raw) ?? { kind: 'other', description: `a value tagged \`${tag}\`` };
    } else if (n.type === 'PLAIN') {
      value = resolvePlainScalar(raw);
    } else {
      value = { kind: 'string', value: raw };
    }
    if (value.kind === 'unconstructable') {
      error(start, end, `PyYAML cannot load a plain \`${raw}\` (the YAML 1.1 \`value\` type): quote it (\`"${raw}"\`).`);
    }
    const style = n.type === 'PLAIN' ? (start === end ? 'empty' : 'plain') : n.type === 'BLOCK_FOLDED' || n.type === 'BLOCK_LITERAL' ? 'block' : 'quoted';
    return { ...base, value, style };
  }

  if (isSeq(n)) {
    const tag = n.tag;
    if (tag && tag !== 'tag:yaml.org,2002:seq') return { ...base, value: { kind: 'other', description: `a value tagged \`${tag}\`` }, style: n.flow ? 'flow' : 'indented' };
    const items = (n.items as unknown[]).map((item) => describeNode(doc, text, lines, item, depth + 1, start, error, budget, viaAlias));
    return { ...base, value: { kind: 'list', items }, style: n.flow ? 'flow' : 'indented' };
  }

  if (isMap(n)) {
    const tag = n.tag;
    if (tag && tag !== 'tag:yaml.org,2002:map') return { ...base, value: { kind: 'other', description: `a value tagged \`${tag}\`` }, style: n.flow ? 'flow' : 'indented' };
    const entries = n.items.filter(isPair).map((p) => ({
      key: isScalar(p.key) ? keyText(p.key as Scalar, text) : '?',
      value: describeNode(doc, text, lines, p.value, depth + 1, (p.key as YamlNode | null)?.range?.[1] ?? start, error, budget, viaAlias),
    }));
    return { ...base, value: { kind: 'map', entries }, style: n.flow ? 'flow' : 'indented' };
  }

  return { ...base, value: { kind: 'other', description: 'an unsupported YAML node' }, style: 'plain' };
}

/** Each alias's anchored node: the last node before it (in document order) with that anchor, as YAML says. */
function aliasTargets(doc: Document): Map<Alias, YamlNode> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
      } else if ((node as { anchor?: string }).anchor) {
        anchors.set((node as { anchor: string }).anchor, node as YamlNode);
      }
    },
  });
  return targets;
}

/** The position just after the `:` that follows a key (where an empty value "is"). */
function afterColon(text: string, keyEnd: number): number {
  let i = keyEnd;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === ':') i++;
  return i;
}

/** The value as dvp's validator sees it after its JSON round trip, or undefined where that round trip crashes. */
export function toPyValue(v: YamlValue): PyValue | undefined {
  switch (v.kind) {
    case 'null':
      return null;
    case 'bool':
      return v.value;
    case 'int':
      return v.value;
    case 'float':
      return Number.isInteger(v.value) ? new PyFloat(v.value) : v.value;
    case 'string':
      return v.value;
    case 'list': {
      const out: PyValue[] = [];
      for (const item of v.items) {
        const p = toPyValue(item.value);
        if (p === undefined) return undefined;
        out.push(p);
      }
      return out;
    }
    case 'map': {
      const out: { [key: string]: PyValue } = {};
      for (const e of v.entries) {
        const p = toPyValue(e.value.value);
        if (p === undefined) return undefined;
        out[e.key] = p;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** dvp's own words for a YAML error (plugin_validator.py); PyYAML may place the error a little differently. */
function notValidYaml(file: string, at: { line: number; character: number }): string {
  return `Command failed because the plugin config file provided as input '${file}' was not valid yaml. Verify the file contents. Error position: ${at.line + 1}:${at.character + 1}`;
}

/** The YAML library reports nesting past its stack as a stack overflow: say what it means for the author. */
const TOO_DEEP = `The lists and mappings here are nested too deeply to check (more than ${MAX_YAML_FLOW_DEPTH} levels, or more than the YAML reader's stack), so this part was not checked and the build refuses the file. A plugin_config.yml is a flat list of settings: check that this is the file you meant.`;

function sentence(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  const c = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(c) ? c : c + '.';
}

function truncate(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? one.slice(0, 37) + '...' : one;
}
