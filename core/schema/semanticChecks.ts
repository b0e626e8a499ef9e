// Checks beyond what `dvp build` enforces (all `dvp: false`): names that must point at existing
// properties (sdk-spec §2.4), constructs codegen drops or breaks on (§3.6), Python names that collide
// or cannot be used (§3.3, §13), and misspelt keywords that dvp accepts silently.

import type { Node } from 'jsonc-parser';
import type { SchemaProperty } from '../model';
import { GENERATED_CLASS_INTERNAL_NAMES, pythonNameProblem, toPythonName } from '../names';
import type { Fix } from '../types';
import {
  addMemberEdit,
  type CheckContext,
  describeValue,
  fix,
  keyRangeOf,
  nodeRange,
  replaceEdit,
  report,
} from './checkContext';
import { keyOf, memberMap, members, valueOf } from './jsonTree';
import {
  BROKEN_FORMATS,
  DEFINITION_KEYS,
  DISCOVERED_DEFINITIONS,
  KEYWORDS_BY_NAME,
  RECORD_SIZE_DEFINITIONS,
  REFERENCE_TYPES,
  SIMPLE_TYPES,
  closestReferenceType,
} from './keywords';
import { closestWord } from './nearMiss';
import { bare } from '../messages';
import { type SchemaSite, siteLabel, walkSchemas } from './schemaSites';

const MAX_RECORD_SIZE_KB = 16384;

export function checkSemantics(ctx: CheckContext): void {
  checkDuplicateKeys(ctx, ctx.root);
  for (const def of members(ctx.root)) {
    const value = valueOf(def);
    if (value?.type === 'boolean' && (DEFINITION_KEYS as readonly string[]).includes(keyOf(def))) {
      report(ctx, nodeRange(ctx, value), 'error', 'schema.definition.boolean',
        `\`${keyOf(def)}\` is \`${String(value.value)}\`: dvp accepts a boolean schema, but codegen needs an object schema to make the class. Write \`{ "type": "object", "properties": {} }\`.`,
        false, { fixes: [fix('Use an empty object schema', [replaceEdit(ctx, value, '{ "type": "object", "properties": {} }')], true)] });
    }
  }
  const dropped = droppedByPath(ctx);
  walkSchemas(ctx.root, (node, site) => checkSite(ctx, node, site, dropped));
  checkDroppedProperties(ctx, dropped);
}

function droppedByPath(ctx: CheckContext): Map<string, SchemaProperty> {
  const map = new Map<string, SchemaProperty>();
  for (const cls of ctx.model.classes) for (const p of cls.properties) map.set(JSON.stringify(p.path), p);
  return map;
}

function checkDuplicateKeys(ctx: CheckContext, node: Node | undefined): void {
  // Iterative: the tree can be deep, and every object of the file is visited.
  const stack: Node[] = node ? [node] : [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const children = n.children ?? [];
    if (n.type === 'object') {
      const seen = children.length > 1 ? new Map<string, Node>() : undefined;
      for (const p of children) {
        if (seen) {
          const key = keyOf(p);
          const earlier = seen.get(key);
          if (earlier) {
            report(ctx, keyRangeOf(ctx, earlier), 'warning', 'schema.duplicateKey',
              `\`${key}\` appears again on line ${ctx.lines.positionAt(p.offset).line + 1}: Python's json module keeps only the last one, so this one is ignored. Remove one of them.`,
              false, { related: [{ file: ctx.file, range: keyRangeOf(ctx, p), message: `the next \`${key}\`` }] });
          }
          seen.set(key, p);
        }
        const v = valueOf(p);
        if (v && (v.type === 'object' || v.type === 'array')) stack.push(v);
      }
    } else if (n.type === 'array') {
      for (const c of children) if (c.type === 'object' || c.type === 'array') stack.push(c);
    }
  }
}

function stringItems(node: Node | undefined): Node[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

function renameFixes(ctx: CheckContext, node: Node, guess: string | undefined): Fix[] {
  return guess ? [fix(`Change to "${guess}"`, [replaceEdit(ctx, node, JSON.stringify(guess))], true)] : [];
}

function typeOfSchema(schemaNode: Node | undefined): string | undefined {
  const t = schemaNode ? memberMap(schemaNode).get('type') : undefined;
  const v = t ? valueOf(t) : undefined;
  return v?.type === 'string' ? String(v.value) : undefined;
}

function checkSite(ctx: CheckContext, node: Node, site: SchemaSite, dropped: Map<string, SchemaProperty>): void {
  const kws = memberMap(node);
  const propsNode = kws.get('properties') ? valueOf(kws.get('properties')!) : undefined;
  const props = propsNode?.type === 'object' ? memberMap(propsNode) : undefined;
  const propNames = props ? [...props.keys()] : [];
  const label = lazyLabel(site);

  for (const [kw, prop] of kws) {
    const value = valueOf(prop);
    if (!KEYWORDS_BY_NAME.has(kw)) {
      misspeltKeyword(ctx, prop, kw, kws, site);
      continue;
    }
    if ((kw === 'nameField' || kw === 'identityFields') && !(site.atDefinitionTop && DISCOVERED_DEFINITIONS.has(site.definitionKey))) {
      report(ctx, keyRangeOf(ctx, prop), 'warning', 'schema.keyword.misplaced',
        `\`${kw}\` only has a meaning at the top of \`repositoryDefinition\` and \`sourceConfigDefinition\`; in ${label} it is ignored.`, false);
      continue;
    }
    if (!value) continue;
    switch (kw) {
      case 'identityFields':
        checkIdentityFields(ctx, value, props, label);
        break;
      case 'nameField':
        checkNameField(ctx, value, props, label);
        break;
      case 'required':
        if (props || isClosed(kws)) checkNameList(ctx, value, propNames, 'required', label, 'error',
          (name) => `'${name}' is not a property of ${bare(label)}`,
          () => `'required' of ${bare(label)} lists a name that is not one of its properties: the UI would demand a field it never shows. Add the property or remove the name.`);
        break;
      case 'ordering':
        if (value.type !== 'array') {
          report(ctx, nodeRange(ctx, value), 'error', 'schema.ordering.type',
            `'ordering' must be a list of property names, not ${describeValue(nodeValue(value))}.`, false, { detail: `\`ordering\` of ${label} lists property names in the order of the form, such as \`["port", "path"]\`.` });
        } else checkNameList(ctx, value, propNames, 'ordering', label, 'warning',
          (name) => `'${name}' in 'ordering' is not a property of ${bare(label)}`,
          () => `'ordering' of ${bare(label)} lists a name that is not one of its properties; the form ignores it.`);
        break;
      default:
        break;
    }
  }
  if (site.propertyKey !== undefined) checkPropertySchema(ctx, node, kws, site);
  if (props && !site.outsideCodegen) checkPythonNames(ctx, site, props, dropped);
}

/** The site's label, computed only when a message uses it: most sites have nothing to report. */
function lazyLabel(site: SchemaSite): string {
  let text: string | undefined;
  return { toString: () => (text ??= siteLabel(site)) } as unknown as string;
}

function nodeValue(node: Node): unknown {
  if (node.type === 'object') return {};
  if (node.type === 'array') return [];
  return node.value;
}

function isClosed(kws: Map<string, Node>): boolean {
  const ap = kws.get('additionalProperties');
  const v = ap ? valueOf(ap) : undefined;
  return v?.type === 'boolean' && v.value === false;
}

/** The unknown keyword `kw` of a schema: a warning when it looks like a misspelt known one. */
function misspeltKeyword(ctx: CheckContext, prop: Node, kw: string, kws: Map<string, Node>, site: SchemaSite): void {
  const guess = closestWord(kw, KEYWORDS_BY_NAME.keys());
  if (!guess) return;
  const info = KEYWORDS_BY_NAME.get(guess)!;
  const taken = kws.has(guess);
  report(ctx, keyRangeOf(ctx, prop), 'warning', 'schema.keyword.misspelled',
    `Unknown keyword '${kw}'; did you mean '${guess}'?`,
    false, {
      detail: `Unknown keyword \`${kw}\` in ${siteLabel(site)}: dvp accepts unknown keywords silently, so this one has no effect.` +
        (taken ? ` \`${guess}\` is set too, on line ${ctx.lines.positionAt(kws.get(guess)!.offset).line + 1}: merge the two.` : ''),
      fixes: taken ? [] : [fix(`Rename to \`${guess}\``, [replaceEdit(ctx, prop.children![0], JSON.stringify(guess))], true)],
      data: { suggestion: guess, origin: info.origin },
    });
}

function checkNameList(
  ctx: CheckContext,
  list: Node,
  names: string[],
  keyword: string,
  label: string,
  severity: 'error' | 'warning',
  message: (name: string) => string,
  /** The explanation, the same for every name of the list (one string, however many names are wrong). */
  explain: () => string,
): void {
  let detail: string | undefined;
  const known = new Set(names);
  for (const item of stringItems(list)) {
    if (item.type !== 'string') {
      if (keyword === 'ordering') {
        report(ctx, nodeRange(ctx, item), 'error', 'schema.ordering.type', `\`ordering\` of ${label} must list property names (strings), not ${describeValue(nodeValue(item))}.`, false);
      }
      continue;
    }
    const name = String(item.value);
    if (known.has(name)) continue;
    const guess = closestWord(name, names);
    detail ??= explain();
    report(ctx, nodeRange(ctx, item), severity, `schema.${keyword}.unknown`,
      message(name) + (guess ? `; did you mean '${guess}'?` : '.'), false, { fixes: renameFixes(ctx, item, guess), detail });
  }
}

function checkIdentityFields(ctx: CheckContext, value: Node, props: Map<string, Node> | undefined, label: string): void {
  if (value.type === 'string') {
    const v = String(value.value);
    report(ctx, nodeRange(ctx, value), 'error', 'schema.identityFields.type',
      `\`identityFields\` of ${label} must be a list of property names, not a single string: write \`[${JSON.stringify(v)}]\`. dvp does not check it, but the engine reads a list.`,
      false, { fixes: [fix(`Write [${JSON.stringify(v)}]`, [replaceEdit(ctx, value, `[${JSON.stringify(v)}]`)], true)] });
    return;
  }
  if (value.type !== 'array') {
    report(ctx, nodeRange(ctx, value), 'error', 'schema.identityFields.type',
      `\`identityFields\` of ${label} must be a non-empty list of property names, not ${describeValue(nodeValue(value))}.`, false);
    return;
  }
  const names = props ? [...props.keys()] : [];
  if ((value.children ?? []).length === 0) {
    const suggestion = names[0];
    report(ctx, nodeRange(ctx, value), 'error', 'schema.identityFields.empty',
      `\`identityFields\` of ${label} is empty: list at least one property that identifies the object (dvp accepts an empty list, but the engine then cannot tell discovered objects apart).`,
      false, { fixes: suggestion ? [fix(`Use ["${suggestion}"]`, [replaceEdit(ctx, value, `[${JSON.stringify(suggestion)}]`)], true)] : [] });
    return;
  }
  for (const item of value.children ?? []) {
    if (item.type !== 'string') {
      report(ctx, nodeRange(ctx, item), 'error', 'schema.identityFields.type',
        `\`identityFields\` of ${label} must list property names (strings), not ${describeValue(nodeValue(item))}.`, false);
      continue;
    }
    const name = String(item.value);
    if (names.includes(name)) continue;
    const guess = closestWord(name, names);
    report(ctx, nodeRange(ctx, item), 'error', 'schema.identityFields.unknown',
      `'${name}' is not a property of ${bare(label)}${guess ? `; did you mean '${guess}'?` : '.'}`,
      false, { fixes: renameFixes(ctx, item, guess), detail: `'identityFields' of ${bare(label)} lists '${name}'. dvp does not check this; the engine needs an existing property to tell discovered objects apart.` });
  }
}

function checkNameField(ctx: CheckContext, value: Node, props: Map<string, Node> | undefined, label: string): void {
  const names = props ? [...props.keys()] : [];
  if (value.type === 'array') {
    const items = value.children ?? [];
    const only = items.length === 1 && items[0].type === 'string' ? String(items[0].value) : undefined;
    report(ctx, nodeRange(ctx, value), 'error', 'schema.nameField.type',
      `\`nameField\` of ${label} must be one property name (a string), not a list${only !== undefined ? `: write \`${JSON.stringify(only)}\`` : ''}. Some SDK docs examples show a list; the engine reads a string.`,
      false, { fixes: only !== undefined ? [fix(`Write "${only}"`, [replaceEdit(ctx, value, JSON.stringify(only))], true)] : [] });
    return;
  }
  if (value.type !== 'string') {
    report(ctx, nodeRange(ctx, value), 'error', 'schema.nameField.type',
      `\`nameField\` of ${label} must be the name of a string property, not ${describeValue(nodeValue(value))}.`, false);
    return;
  }
  const name = String(value.value);
  const target = props?.get(name);
  if (!target) {
    const stringNames = names.filter((n) => typeOfSchema(valueOf(props!.get(n)!)) === 'string');
    const guess = closestWord(name, names);
    report(ctx, nodeRange(ctx, value), 'error', 'schema.nameField.unknown',
      `'nameField' names '${name}', not a property of ${bare(label)}${guess ? `; did you mean '${guess}'?` : '.'}`,
      false, {
        fixes: renameFixes(ctx, value, guess),
        detail: `${!guess && stringNames.length > 0 ? `Its string properties: ${stringNames.map((n) => `\`${n}\``).join(', ')}. ` : ''}dvp does not check this; the engine needs an existing string property.`,
      });
    return;
  }
  const t = typeOfSchema(valueOf(target));
  if (t !== 'string') {
    report(ctx, nodeRange(ctx, value), 'error', 'schema.nameField.notString',
      `\`nameField\` of ${label} names \`${name}\`, which is ${t ? `of type \`${t}\`` : 'not typed'}: the name shown by the engine must be a \`string\` property.`,
      false, { related: [{ file: ctx.file, range: keyRangeOf(ctx, target), message: `the property \`${name}\`` }] });
  }
}

function isPowerOfTwoSize(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_RECORD_SIZE_KB && (v & (v - 1)) === 0;
}

/** Checks of one property's own sub-schema. */
function checkPropertySchema(ctx: CheckContext, node: Node, kws: Map<string, Node>, site: SchemaSite): void {
  const label = lazyLabel(site);
  const get = (k: string) => (kws.get(k) ? valueOf(kws.get(k)!) : undefined);
  const type = get('type');
  const typeName = type?.type === 'string' ? String(type.value) : undefined;
  const format = get('format');
  const formatName = format?.type === 'string' ? String(format.value) : undefined;

  if (format && formatName !== undefined && BROKEN_FORMATS.has(formatName)) {
    const pyType = formatName === 'date' ? 'date' : formatName === 'date-time' ? 'datetime' : 'ByteArray';
    const why = formatName === 'byte'
      ? 'codegen types the attribute `ByteArray`, a class that does not exist, so using the generated module fails'
      : `codegen types the attribute \`${pyType}\`, and \`from_dict\` only converts strings to it when \`dateutil\` is installed, so reading stored values fails the type check`;
    report(ctx, nodeRange(ctx, format), 'warning', 'schema.format.unsupported',
      `\`"format": "${formatName}"\` on ${label} breaks the generated classes: ${why}. Remove the format and keep the value a plain string.`, false);
  }

  const refType = get('referenceType');
  if (refType) {
    if (refType.type !== 'string' || !REFERENCE_TYPES.some((r) => r.value === refType.value)) {
      // The list of known types is in the hover of the value (schemaAssist), not in this message.
      const guess = refType.type === 'string' ? closestReferenceType(String(refType.value)) : undefined;
      const message = refType.type !== 'string'
        ? `referenceType must be a type name such as 'UNIX_HOST_ENVIRONMENT', not ${describeValue(nodeValue(refType)).replace(/`/g, "'")}.`
        : guess
          ? `Unknown referenceType '${String(refType.value)}'; did you mean '${guess}'?`
          : `Unknown referenceType '${String(refType.value)}'; e.g. 'UNIX_HOST_ENVIRONMENT' or 'UnixHostEnvironment'.`;
      report(ctx, nodeRange(ctx, refType), 'warning', 'schema.referenceType.unknown', message,
        false, { fixes: renameFixes(ctx, refType, guess) });
    } else if (formatName !== 'reference') {
      const fixes: Fix[] = !format && node.type === 'object' ? [fix('Add "format": "reference"', [addMemberEdit(ctx, node, 'format', '"reference"')], true)] : [];
      report(ctx, nodeRange(ctx, refType), 'warning', 'schema.referenceType.format',
        `\`referenceType\` on ${label} only has an effect with \`"format": "reference"\`.`, false, { fixes });
    }
  } else if (formatName === 'reference' && format) {
    report(ctx, nodeRange(ctx, format), 'warning', 'schema.format.referenceType',
      `\`"format": "reference"\` on ${label} needs \`referenceType\` (e.g. \`"UNIX_HOST_ENVIRONMENT"\` or \`"HOST_USER"\`) so the UI knows which objects to offer.`,
      false, { fixes: node.type === 'object' ? [fix('Add "referenceType": "UNIX_HOST_ENVIRONMENT"', [addMemberEdit(ctx, node, 'referenceType', '"UNIX_HOST_ENVIRONMENT"')])] : [] });
  }

  const matches = get('matches');
  if (matches) {
    const owner = site.ownerPath;
    const siblingsNode = owner ? nodeAt(ctx.root, [...owner, 'properties']) : undefined;
    const siblings = [...memberMap(siblingsNode).keys()].filter((k) => k !== site.propertyKey);
    if (matches.type !== 'string') {
      report(ctx, nodeRange(ctx, matches), 'error', 'schema.matches.type',
        `\`matches\` on ${label} must be the name of a sibling property (a string), not ${describeValue(nodeValue(matches))}.`, false);
    } else if (!siblings.includes(String(matches.value))) {
      const name = String(matches.value);
      const guess = closestWord(name, siblings);
      report(ctx, nodeRange(ctx, matches), 'error', 'schema.matches.unknown',
        `'matches' names '${name}', not a sibling property${guess ? `; did you mean '${guess}'?` : '.'}`,
        false, {
          detail: `\`matches\` on ${label} must name the property that holds the environment this user belongs to.`, fixes: renameFixes(ctx, matches, guess) });
    }
  }

  const pattern = get('pattern');
  if (pattern?.type === 'string' && String(pattern.value).startsWith('/')) {
    const p = String(pattern.value);
    const broken = p === '/' || p.lastIndexOf('/') === 0;
    report(ctx, nodeRange(ctx, pattern), broken ? 'error' : 'warning', 'schema.pattern.slash',
      broken
        ? `The \`pattern\` of ${label} starts with \`/\`: codegen reads it as a Perl-style \`/regex/flags\` and fails on this one. Escape the slash (\`\\\\/\`) or drop it.`
        : `The \`pattern\` of ${label} starts with \`/\`: codegen reads it as a Perl-style \`/regex/flags\`, so the generated check uses a different regex than the engine. Escape the leading slash (\`\\\\/\`) if it is meant literally.`,
      false, { fixes: [fix('Escape the leading slash', [replaceEdit(ctx, pattern, JSON.stringify('\\' + p))], true)] });
  }

  const dflt = get('default');
  if (dflt?.type === 'string' && String(dflt.value).includes("'") && (typeName === 'string' || typeName === undefined)) {
    report(ctx, nodeRange(ctx, dflt), 'error', 'schema.default.quote',
      `This default contains an apostrophe, which breaks the generated Python; remove it or use ’.`,
      false, { detail: `The \`default\` of ${label} contains \`'\`: codegen pastes it into the generated constructor as \`'...'\` without escaping, which is a Python syntax error.`, fixes: [fix('Use ’ instead of \'', [replaceEdit(ctx, dflt, JSON.stringify(String(dflt.value).replace(/'/g, '’')))])] });
  }

  // recordSizeInKB directly under a virtual or linked definition (sdk-spec §2.1; docs: 1..16384 KB, powers of two).
  if (site.propertyKey === 'recordSizeInKB' && site.ownerPath?.length === 1 && RECORD_SIZE_DEFINITIONS.has(site.definitionKey)) {
    const bad = (n: Node) => n.type === 'number' && !isPowerOfTwoSize(n.value);
    const advice = 'The record size is a power of two from 1 to 16384 KB (1, 2, 4, ... 8192, 16384); the engine default is 8.';
    if (dflt && bad(dflt)) {
      report(ctx, nodeRange(ctx, dflt), 'warning', 'schema.recordSizeInKB.value',
        `recordSizeInKB defaults to ${String(dflt.value)}, not a power of two from 1 to 16384.`, false, { detail: `In \`${site.definitionKey}\`. ${advice}` });
    }
    const en = get('enum');
    for (const item of en?.type === 'array' ? en.children ?? [] : []) {
      if (bad(item)) report(ctx, nodeRange(ctx, item), 'warning', 'schema.recordSizeInKB.value',
        `recordSizeInKB allows ${String(item.value)}, not a power of two from 1 to 16384.`, false, { detail: `In \`enum\` of \`recordSizeInKB\` in \`${site.definitionKey}\`. ${advice}` });
    }
  }
}

function nodeAt(root: Node, path: (string | number)[]): Node | undefined {
  let n: Node | undefined = root;
  for (const seg of path) {
    if (!n) return undefined;
    if (typeof seg === 'number') n = n.type === 'array' ? n.children?.[seg] : undefined;
    else {
      const p = memberMap(n).get(seg);
      n = p ? valueOf(p) : undefined;
    }
  }
  return n;
}

/** Property names of one object schema as Python sees them (sdk-spec §3.3, §3.6). */
function checkPythonNames(ctx: CheckContext, site: SchemaSite, props: Map<string, Node>, dropped: Map<string, SchemaProperty>): void {
  const byPython = new Map<string, Node[]>();
  const prefix = JSON.stringify([...site.path, 'properties']).slice(0, -1) + ',';
  for (const [key, prop] of props) {
    const modelProp = dropped.get(prefix + JSON.stringify(key) + ']');
    if (modelProp?.kind === 'dropped') continue;
    const py = modelProp?.pythonName ?? toPythonName(key);
    const problem = pythonNameProblem(py);
    if (problem) {
      report(ctx, keyRangeOf(ctx, prop), 'error', 'schema.name.invalid',
        `The property \`${key}\` of ${siteLabel(site)} cannot be used from Python: ${problem}. Rename the property.`, false, { data: { pythonName: py } });
      continue;
    }
    if (GENERATED_CLASS_INTERNAL_NAMES.has(py)) {
      report(ctx, keyRangeOf(ctx, prop), 'error', 'schema.name.internal',
        `'${key}' becomes '${py}' in Python, a name the generated class uses; rename it.`,
        false, {
          data: { pythonName: py },
          detail: `The property \`${key}\` of ${siteLabel(site)} clashes with ${py === 'validate' ? 'the constructor\'s `validate` parameter' : `the class's internal \`${py}\` table`}, so the class breaks.`,
        });
      continue;
    }
    const list = byPython.get(py) ?? [];
    list.push(prop);
    byPython.set(py, list);
  }
  for (const [py, list] of byPython) {
    if (list.length < 2) continue;
    for (const prop of list) {
      const others = list.filter((o) => o !== prop);
      report(ctx, keyRangeOf(ctx, prop), 'error', 'schema.name.collision',
        `'${keyOf(prop)}' and ${others.map((o) => `'${keyOf(o)}'`).join(', ')} both become '${py}' in Python; rename one.`,
        false, {
          detail: `In ${siteLabel(site)}: the generated constructor gets the parameter twice (a SyntaxError) and only one survives in the class.`,
          data: { pythonName: py },
          related: others.map((o) => ({ file: ctx.file, range: keyRangeOf(ctx, o), message: `\`${keyOf(o)}\` also becomes \`${py}\`` })),
        });
    }
  }
}

function checkDroppedProperties(ctx: CheckContext, byPath: Map<string, SchemaProperty>): void {
  for (const prop of byPath.values()) {
    if (prop.kind !== 'dropped') continue;
    // An unknown type name is already a dvp error; saying it is dropped too would only repeat it.
    const t = prop.schema.type;
    if (typeof t === 'string' && !(SIMPLE_TYPES as readonly string[]).includes(t)) continue;
    const keyNode = nodeAt(ctx.root, prop.path.slice(0, -1));
    const p = keyNode ? memberMap(keyNode).get(prop.key) : undefined;
    if (!p) continue;
    const cls = ctx.model.classes.find((c) => c.properties.includes(prop));
    const reason = t === 'null' ? 'it has no Python type for `"type": "null"`' : prop.dropReason ?? 'it cannot map it to a Python type';
    report(ctx, keyRangeOf(ctx, p), 'warning', 'schema.property.dropped',
      `\`${prop.key}\` will not exist in the generated class${cls ? ` \`${cls.name}\`` : ''}: codegen leaves it out (${reason}). ${t === 'null' ? 'Give it a type other than `null`.' : 'Give it a single `type`.'}`,
      false, { data: { dropReason: prop.dropReason } });
  }
}
