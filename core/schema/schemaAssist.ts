// Completion and hover in schema.json. What is offered depends on where the cursor is (sdk-spec
// §2.2-2.3): definition names at the top, keywords in a schema (definition-level ones at a
// definition's top, property-level ones in a property), the values a keyword takes, and the names of
// the enclosing definition's properties inside `identityFields`, `nameField`, `ordering`, `required`
// and `matches`. Hover explains keywords and shows what a property becomes in Python.

import { createScanner, findNodeAtOffset, getLocation, type Node, SyntaxKind } from 'jsonc-parser';
import type { AssistItem } from '../assist';
import type { GeneratedClass, JsonPath, SchemaProperty } from '../model';
import { toPythonName } from '../names';
import { MAX_ANALYSED_FILE_BYTES } from '../files';
import { LineIndex } from '../text';
import type { Range } from '../types';
import type { SchemaAnalysis } from './analyzeSchema';
import { keyOf, memberMap, members, nodeAtPath, pathOf, valueOf } from './jsonTree';
import { parseStrictJson } from './jsonSyntax';
import {
  DEFINITION_ACCESS,
  DEFINITION_DOCS,
  DEFINITION_KEYS,
  DISCOVERED_DEFINITIONS,
  DX_FORM_KEYWORDS,
  FORMAT_VALUES,
  type KeywordInfo,
  KEYWORDS,
  KEYWORDS_BY_NAME,
  PLATFORM_REF_VALUES,
  REFERENCE_TYPES,
  ENVIRONMENT_REFERENCE_TYPES,
  SIMPLE_TYPES,
  TYPE_DOCS,
  VALIDATION_MESSAGE_KEYS,
  type ValueInfo,
} from './keywords';
import { closestWord } from './nearMiss';
import { classifyPath, type PathContext, type SchemaSite } from './schemaSites';

/** The tree of `text`: the analysis's own when it analysed this very text, else a fresh parse. */
function treeFor(analysis: SchemaAnalysis, text: string): Node | undefined {
  if (analysis.lines && analysis.lines.text === text) return analysis.root;
  return parseStrictJson(text).root;
}

interface Token {
  start: number;
  end: number;
  kind: SyntaxKind;
}

/** The token under or just before the cursor on its line (strings never span lines in JSON). */
function tokenAt(text: string, offset: number): Token | undefined {
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  const sc = createScanner(text, false);
  sc.setPosition(lineStart);
  for (let k = sc.scan(); k !== SyntaxKind.EOF && k !== SyntaxKind.LineBreakTrivia; k = sc.scan()) {
    const start = sc.getTokenOffset();
    const end = start + sc.getTokenLength();
    if (start >= offset) break;
    if (offset <= end && (k === SyntaxKind.StringLiteral || k === SyntaxKind.Unknown || k === SyntaxKind.NumericLiteral || k === SyntaxKind.TrueKeyword || k === SyntaxKind.FalseKeyword || k === SyntaxKind.NullKeyword)) {
      // The cursor right after a closed string is outside it.
      if (k === SyntaxKind.StringLiteral && offset === end && end - start >= 2 && text[end - 1] === '"') return undefined;
      return { start, end, kind: k };
    }
  }
  return undefined;
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

// ---- completion ----------------------------------------------------------------------------------

export function schemaCompletions(analysis: SchemaAnalysis, text: string, offset: number): AssistItem[] {
  // A file too large to analyse gets no assistance: parsing it again on every request would stall the editor.
  if (text.length > MAX_ANALYSED_FILE_BYTES) return [];
  try {
    return completions(analysis, text, offset);
  } catch {
    return [];
  }
}

function completions(analysis: SchemaAnalysis, text: string, offset: number): AssistItem[] {
  const lines = new LineIndex(text);
  const root = treeFor(analysis, text);
  const loc = getLocation(text, offset);
  const token = tokenAt(text, offset);
  const range: Range = token ? lines.range(token.start, token.end) : lines.range(offset, offset);
  const path = loc.path as JsonPath;
  if (loc.isAtPropertyKey) {
    const objectPath = path.slice(0, -1);
    const afterToken = text.slice(token ? token.end : offset);
    const hasColon = /^\s*:/.test(afterToken);
    const existing = new Set(members(nodeAtPath(root, objectPath)).map(keyOf));
    const typed = typeof path[path.length - 1] === 'string' ? String(path[path.length - 1]) : '';
    existing.delete(typed);
    return keyCompletions(classifyPath(objectPath), root, existing, hasColon, range);
  }
  // In a value: the value being typed (`"type": "str|"`) or the empty slot after a colon.
  return valueCompletions(classifyPath(path), path, root, range);
}

function keywordSnippet(info: KeywordInfo, hasColon: boolean): { insertText: string; isSnippet: boolean } {
  const key = quoted(info.name);
  if (hasColon) return { insertText: key, isSnippet: false };
  switch (info.value) {
    case 'string':
      return { insertText: `${key}: "$1"`, isSnippet: true };
    case 'boolean':
      return { insertText: `${key}: \${1|true,false|}`, isSnippet: true };
    case 'number':
    case 'count':
      return { insertText: `${key}: \${1:0}`, isSnippet: true };
    case 'type':
      return { insertText: `${key}: "\${1|string,integer,number,boolean,object,array|}"`, isSnippet: true };
    case 'schema':
      return info.name === 'additionalProperties'
        ? { insertText: `${key}: \${1|false,true|}`, isSnippet: true }
        : { insertText: `${key}: {$1}`, isSnippet: true };
    case 'schemaMap':
    case 'object':
      return { insertText: `${key}: {$1}`, isSnippet: true };
    case 'items':
      return { insertText: `${key}: { "type": "\${1|string,integer,number,boolean,object|}" }`, isSnippet: true };
    case 'schemaList':
    case 'stringList':
    case 'array':
      return { insertText: `${key}: [$1]`, isSnippet: true };
    default:
      return { insertText: `${key}: $1`, isSnippet: true };
  }
}

function keywordItem(info: KeywordInfo, hasColon: boolean, range: Range, rank: number): AssistItem {
  const { insertText, isSnippet } = keywordSnippet(info, hasColon);
  return {
    label: info.name,
    kind: 'keyword',
    detail: info.origin === 'delphix' ? 'Delphix keyword' : 'JSON Schema keyword',
    documentation: info.doc,
    insertText,
    isSnippet,
    range,
    sortText: `${rank}_${info.name}`,
  };
}

function keyCompletions(ctx: PathContext, root: Node | undefined, existing: Set<string>, hasColon: boolean, range: Range): AssistItem[] {
  switch (ctx.kind) {
    case 'root':
      return DEFINITION_KEYS.filter((d) => !existing.has(d)).map((d, i) => ({
        label: d,
        kind: 'class',
        detail: 'plugin definition',
        documentation: DEFINITION_DOCS[d],
        insertText: hasColon
          ? quoted(d)
          : DISCOVERED_DEFINITIONS.has(d)
            ? `${quoted(d)}: {\n\t"type": "object",\n\t"properties": {\n\t\t"\${1:name}": { "type": "string" }\n\t},\n\t"nameField": "\${1:name}",\n\t"identityFields": ["\${1:name}"]\n}`
            : `${quoted(d)}: {\n\t"type": "object",\n\t"additionalProperties": false,\n\t"properties": {$1}\n}`,
        isSnippet: !hasColon,
        range,
        sortText: `0_${i}`,
      }));
    case 'schema': {
      const site = ctx.site;
      const fits = (kw: KeywordInfo): boolean => {
        if (existing.has(kw.name)) return false;
        if (kw.where === 'discovered') return site.atDefinitionTop && DISCOVERED_DEFINITIONS.has(site.definitionKey);
        if (kw.where === 'definition') return site.atDefinitionTop;
        if (kw.where === 'property') return !site.atDefinitionTop;
        return true;
      };
      return KEYWORDS.filter(fits).map((kw) => keywordItem(kw, hasColon, range, kw.common ? 0 : kw.origin === 'delphix' ? 1 : 2));
    }
    case 'schemaMap': {
      if (ctx.keyword !== 'properties') return [];
      // Names the definition already refers to but does not define yet.
      const owner = nodeAtPath(root, ctx.owner.path);
      const referenced = new Set<string>();
      for (const kw of ['required', 'identityFields', 'ordering']) {
        const list = owner ? valueOf(memberMap(owner).get(kw) ?? ({} as Node)) : undefined;
        for (const item of list?.type === 'array' ? list.children ?? [] : []) if (item.type === 'string') referenced.add(String(item.value));
      }
      const nameField = owner ? valueOf(memberMap(owner).get('nameField') ?? ({} as Node)) : undefined;
      if (nameField?.type === 'string') referenced.add(String(nameField.value));
      const items: AssistItem[] = [...referenced].filter((n) => !existing.has(n)).map((n) => ({
        label: n,
        kind: 'property',
        detail: `property named in ${ctx.owner.definitionKey}, not defined yet`,
        documentation: `Python attribute \`${toPythonName(n)}\`.`,
        insertText: hasColon ? quoted(n) : `${quoted(n)}: {\n\t"type": "\${1|string,integer,number,boolean,object,array|}"$0\n}`,
        isSnippet: !hasColon,
        range,
        sortText: `0_${n}`,
      }));
      if (!hasColon) {
        items.push({
          label: 'new property',
          kind: 'snippet',
          detail: 'a property with a type, label and help text',
          insertText: '"${1:name}": {\n\t"type": "${2|string,integer,number,boolean,object,array|}",\n\t"prettyName": "$3",\n\t"description": "$4"\n}',
          isSnippet: true,
          range,
          sortText: '1_new',
        });
      }
      return items;
    }
    case 'dxForm':
      return DX_FORM_KEYWORDS.filter((kw) => !existing.has(kw.name)).map((kw) => keywordItem(kw, hasColon, range, kw.common ? 0 : 1));
    case 'validationMessages':
      return VALIDATION_MESSAGE_KEYS.filter((k) => !existing.has(k)).map((k) => ({
        label: k,
        kind: 'keyword',
        detail: 'dynamic UI validation message',
        documentation: `The message the UI shows when the \`${k}\` check of this property fails.`,
        insertText: hasColon ? quoted(k) : `${quoted(k)}: "$1"`,
        isSnippet: !hasColon,
        range,
        sortText: `0_${k}`,
      }));
    default:
      return [];
  }
}

function valueItems(values: ValueInfo[], detail: string, range: Range): AssistItem[] {
  return values.map((v, i) => ({
    label: v.value,
    kind: 'value',
    detail: v.avoid ? `${detail} (breaks the generated classes)` : v.delphix ? `${detail} (Delphix)` : detail,
    documentation: v.doc,
    insertText: quoted(v.value),
    range,
    sortText: `${v.avoid ? 9 : v.delphix ? 0 : 1}_${String(i).padStart(2, '0')}`,
  }));
}

function booleanItems(range: Range): AssistItem[] {
  return ['false', 'true'].map((b, i) => ({ label: b, kind: 'value', insertText: b, range, sortText: `0_${i}` }));
}

/** The properties (key and type) of the object schema at `path`. */
function propertiesOf(root: Node | undefined, schemaPath: JsonPath): { key: string; type?: string; node: Node }[] {
  const props = nodeAtPath(root, [...schemaPath, 'properties']);
  return members(props).map((p) => {
    const t = nodeAtPath(valueOf(p), ['type']);
    return { key: keyOf(p), type: t?.type === 'string' ? String(t.value) : undefined, node: p };
  });
}

function propertyNameItems(names: { key: string; type?: string }[], range: Range, site: SchemaSite, why: string): AssistItem[] {
  return names.map((n, i) => ({
    label: n.key,
    kind: 'property',
    detail: `${n.type ?? 'untyped'} property of ${site.definitionKey}`,
    documentation: `${why} Python attribute \`${toPythonName(n.key)}\`.`,
    insertText: quoted(n.key),
    range,
    sortText: `0_${String(i).padStart(4, '0')}`,
  }));
}

function valueCompletions(ctx: PathContext, path: JsonPath, root: Node | undefined, range: Range): AssistItem[] {
  if (ctx.kind === 'schema') {
    // The value of a schema-valued keyword: `additionalProperties` takes a boolean too.
    return path[path.length - 1] === 'additionalProperties' ? booleanItems(range) : [];
  }
  if (ctx.kind === 'data' && path.length >= 2 && path[path.length - 2] === 'dxFormProperties') {
    const key = String(path[path.length - 1]);
    return key === 'collapsible' || key === 'expanded' ? booleanItems(range) : [];
  }
  if (ctx.kind !== 'keywordValue' && ctx.kind !== 'keywordItem') return [];
  const site = ctx.owner;
  const keyword = ctx.keyword;
  const listed = (): Set<string> => {
    const arr = nodeAtPath(root, [...site.path, keyword]);
    const out = new Set<string>();
    if (arr?.type === 'array') for (const c of arr.children ?? []) if (c.type === 'string') out.add(String(c.value));
    return out;
  };
  if (ctx.kind === 'keywordItem') {
    if (keyword === 'type') return valueItems(SIMPLE_TYPES.map((t) => ({ value: t, doc: TYPE_DOCS[t] })), 'type', range);
    if (keyword === 'identityFields' || keyword === 'required' || keyword === 'ordering') {
      const current = nodeAtPath(root, [...site.path, keyword, ctx.index]);
      const already = listed();
      if (current?.type === 'string') already.delete(String(current.value));
      const why = keyword === 'identityFields' ? 'Identifies the object together with the other identity fields.' : keyword === 'required' ? 'Must be given.' : 'Field order in the UI.';
      return propertyNameItems(propertiesOf(root, site.path).filter((p) => !already.has(p.key)), range, site, why);
    }
    return [];
  }
  switch (keyword) {
    case 'type':
      return valueItems(SIMPLE_TYPES.map((t) => ({ value: t, doc: TYPE_DOCS[t] })), 'type', range);
    case 'format':
      return valueItems(FORMAT_VALUES, 'format', range);
    case 'referenceType':
      return valueItems(REFERENCE_TYPES, 'reference type', range);
    case '$ref':
      return valueItems(PLATFORM_REF_VALUES, 'platform type', range);
    case 'additionalProperties':
    case 'uniqueItems':
    case 'readOnly':
      return booleanItems(range);
    case 'nameField':
      return propertyNameItems(propertiesOf(root, site.path).filter((p) => p.type === 'string'), range, site, 'Its value is shown as the object\'s name.');
    case 'matches': {
      if (!site.ownerPath) return [];
      const siblings = propertiesOf(root, site.ownerPath).filter((p) => p.key !== site.propertyKey);
      const isEnv = (p: { node: Node }) => {
        const rt = nodeAtPath(valueOf(p.node), ['referenceType']);
        return rt?.type === 'string' && ENVIRONMENT_REFERENCE_TYPES.has(String(rt.value));
      };
      return propertyNameItems([...siblings.filter(isEnv), ...siblings.filter((p) => !isEnv(p))], range, site, 'The environment this user must belong to.');
    }
    case 'identityFields':
    case 'required':
    case 'ordering':
      // The cursor is where the list itself goes.
      return propertiesOf(root, site.path).map((p, i) => ({
        label: `["${p.key}"]`,
        kind: 'value',
        detail: `${keyword} with ${p.key}`,
        insertText: `[${quoted(p.key)}]`,
        range,
        sortText: `0_${String(i).padStart(4, '0')}`,
      }));
    default:
      return [];
  }
}

// ---- hover ---------------------------------------------------------------------------------------

export function schemaHover(analysis: SchemaAnalysis, text: string, offset: number): { markdown: string; range: Range } | undefined {
  if (text.length > MAX_ANALYSED_FILE_BYTES) return undefined;
  try {
    return hover(analysis, text, offset);
  } catch {
    return undefined;
  }
}

function hover(analysis: SchemaAnalysis, text: string, offset: number): { markdown: string; range: Range } | undefined {
  const root = treeFor(analysis, text);
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset);
  if (!node || node.type !== 'string') return undefined;
  const lines = new LineIndex(text);
  const range = lines.range(node.offset, node.offset + node.length);
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0] === node) {
    const objectPath = parent.parent ? pathOf(parent.parent) : [];
    const md = keyHover(analysis, root, objectPath, String(node.value));
    return md ? { markdown: md, range } : undefined;
  }
  if (String(node.value) === '') return undefined;
  const path = pathOf(node);
  const md = valueHover(analysis, root, path, String(node.value));
  return md ? { markdown: md, range } : undefined;
}

function keyHover(analysis: SchemaAnalysis, root: Node, objectPath: JsonPath, key: string): string | undefined {
  const ctx = classifyPath(objectPath);
  switch (ctx.kind) {
    case 'root': {
      const doc = DEFINITION_DOCS[key];
      if (!doc) {
        const guess = closestWord(key, DEFINITION_KEYS);
        return `**${key}**: not a definition dvp knows; schema.json holds only the six definitions.${guess ? ` Did you mean \`${guess}\`?` : ''}`;
      }
      const cls = analysis.model.byDefinition.get(key);
      return `**${key}**\n\n${doc}${cls ? `\n\nModule \`generated.definitions.${cls.moduleName}\`, ${cls.properties.length} ${cls.properties.length === 1 ? 'property' : 'properties'}.` : ''}`;
    }
    case 'schema': {
      const info = KEYWORDS_BY_NAME.get(key);
      if (info) return `**${key}** (${info.origin === 'delphix' ? 'Delphix keyword' : 'JSON Schema keyword'})\n\n${info.doc}`;
      const guess = closestWord(key, KEYWORDS_BY_NAME.keys());
      return `**${key}**: not a keyword dvp, the engine or codegen knows; it is ignored.${guess ? ` Did you mean \`${guess}\`?` : ''}`;
    }
    case 'schemaMap':
      if (ctx.keyword === 'properties') return propertyHover(analysis, root, [...objectPath, key], ctx.owner);
      return undefined;
    case 'dxForm': {
      const info = DX_FORM_KEYWORDS.find((k) => k.name === key);
      return info ? `**${key}** (dynamic UI)\n\n${info.doc}` : undefined;
    }
    case 'validationMessages':
      return VALIDATION_MESSAGE_KEYS.includes(key) ? `**${key}**: the message the UI shows when this property's \`${key}\` check fails.` : undefined;
    default:
      return undefined;
  }
}

/** The generated class holding the properties of the object schema at `ownerPath`. */
function classAt(analysis: SchemaAnalysis, ownerPath: JsonPath): GeneratedClass | undefined {
  const want = JSON.stringify(ownerPath);
  return analysis.model.classes.find((c) => JSON.stringify(c.path) === want || c.alsoAt.some((p) => JSON.stringify(p) === want));
}

/** `staged_source.parameters.config.host`, or dict access where codegen hands back plain dicts. */
function accessPath(definitionKey: string, propertyPath: JsonPath): string {
  let out = DEFINITION_ACCESS[definitionKey] ?? toPythonName(definitionKey);
  let dicts = false;
  for (let i = 1; i < propertyPath.length; i++) {
    const seg = propertyPath[i];
    if (seg === 'properties' && i + 1 < propertyPath.length) {
      const key = String(propertyPath[++i]);
      out += dicts ? `[${quoted(key)}]` : `.${toPythonName(key)}`;
    } else if (seg === 'items') {
      out += '[0]';
      // from_dict leaves list elements as plain dicts (sdk-spec §3.5).
      dicts = true;
    } else if (seg === 'additionalProperties') {
      out += "['<key>']";
      dicts = true;
    } else {
      return out;
    }
  }
  return out;
}

function propertyHover(analysis: SchemaAnalysis, root: Node, propPath: JsonPath, owner: SchemaSite): string {
  const key = String(propPath[propPath.length - 1]);
  const py = toPythonName(key);
  const cls = owner.outsideCodegen ? undefined : classAt(analysis, owner.path);
  const prop: SchemaProperty | undefined = cls?.properties.find((p) => p.key === key);
  const lines: string[] = [];
  if (prop?.kind === 'dropped') {
    lines.push(`**${key}**: not in the generated class \`${cls!.name}\`: codegen leaves it out (${prop.dropReason ?? 'no Python type'}).`);
  } else {
    lines.push(`**${key}** → \`${py}\`${prop ? ` (\`${prop.pythonType}\`)` : ''}`);
    if (!owner.outsideCodegen) {
      const access = accessPath(owner.definitionKey, propPath);
      lines.push(`In plugin code: \`${access}\`${owner.definitionKey === 'linkedSourceDefinition' && propPath.length === 3 ? ` (\`direct_source.parameters.${py}\` in a DIRECT plugin)` : ''}.`);
    }
    if (cls) lines.push(`Class \`${cls.name}\` (\`generated.definitions.${cls.moduleName}\`)${prop?.modelClass && prop.modelClass !== prop.pythonType ? `, elements of class \`${prop.modelClass}\`` : ''}.`);
    if (prop?.required) lines.push('Required: the constructor rejects `None`.');
  }
  const schema = nodeAtPath(root, propPath);
  const desc = nodeAtPath(schema, ['description']);
  const pretty = nodeAtPath(schema, ['prettyName']);
  if (pretty?.type === 'string') lines.push(`UI label: ${String(pretty.value)}`);
  if (desc?.type === 'string') lines.push(String(desc.value));
  if (!owner.outsideCodegen) lines.push(`Data migrations (\`@plugin.upgrade\`) use the schema key: \`${quoted(key)}\`.`);
  return lines.join('\n\n');
}

function valueHover(analysis: SchemaAnalysis, root: Node, path: JsonPath, value: string): string | undefined {
  const ctx = classifyPath(path);
  if (ctx.kind !== 'keywordValue' && ctx.kind !== 'keywordItem') return undefined;
  const site = ctx.owner;
  switch (ctx.keyword) {
    case 'type':
      return TYPE_DOCS[value] ? `**${value}**: ${TYPE_DOCS[value]}` : undefined;
    case 'format': {
      const f = FORMAT_VALUES.find((v) => v.value === value);
      return f ? `**format ${value}**: ${f.doc}` : `**format ${value}**: not a format the engine or codegen treats specially; the value is a plain \`str\`.`;
    }
    case 'referenceType': {
      const r = REFERENCE_TYPES.find((v) => v.value === value);
      if (r) return `**${value}**: ${r.doc}`;
      // The unknown-type warning stays short; the list of what the engine knows is here.
      const sdk = REFERENCE_TYPES.filter((v) => v.value.includes('_')).map((v) => `\`${v.value}\``);
      const api = REFERENCE_TYPES.filter((v) => !v.value.includes('_')).map((v) => `\`${v.value}\``);
      return `**${value}** is not a reference type the engine knows, so the UI has no objects to offer. The SDK docs write ${sdk.join(' and ')}; the engine also takes its API type names: ${api.join(', ')}.`;
    }
    case '$ref': {
      const r = PLATFORM_REF_VALUES.find((v) => v.value === value);
      return r ? r.doc : undefined;
    }
    case 'nameField':
    case 'identityFields':
    case 'required':
    case 'ordering': {
      const target = nodeAtPath(root, [...site.path, 'properties', value]);
      if (!target) return `\`${value}\` is not a property of ${site.trail.length ? site.trail.join('.') : site.definitionKey}.`;
      return propertyHover(analysis, root, [...site.path, 'properties', value], site);
    }
    case 'matches': {
      if (!site.ownerPath) return undefined;
      const owner = classifyPath(site.ownerPath);
      const target = nodeAtPath(root, [...site.ownerPath, 'properties', value]);
      if (!target || owner.kind !== 'schema') return `\`${value}\` is not a sibling property.`;
      return propertyHover(analysis, root, [...site.ownerPath, 'properties', value], owner.site);
    }
    default:
      return undefined;
  }
}
