// The inputs of the fuzzer: seed files of the example plugin and the fixtures, mutated at random
// (truncations, flipped and inserted characters, spliced pieces), and generators of the pathological
// inputs we know hurt parsers (deep nesting, huge arrays and strings, $ref cycles, duplicate keys,
// YAML alias bombs, endless lines, deeply nested Python). Every input is a pure function of its Rng.

import type { Rng } from './rng';

export type FileKind = 'schema' | 'config' | 'python' | 'profile';

export interface Corpus {
  schema: string[];
  config: string[];
  python: string[];
  profile: string[];
}

export interface FuzzInput {
  kind: FileKind;
  /** What was done, short enough for a report line ("truncate@120 + flip×3"). */
  label: string;
  text: string;
  /**
   * Bytes to write to disk instead of an editor buffer (invalid UTF-8, NUL bytes): what the server sees
   * when a file that is not open changes.
   */
  bytes?: Buffer;
}

const MB = 1024 * 1024;

/** Characters that matter to the parsers, plus unicode that breaks naive offset arithmetic. */
const STRUCTURAL: Record<FileKind, string[]> = {
  schema: ['{', '}', '[', ']', '"', ':', ',', '\\', '$ref', '"#/', 'null', 'true', '1e999', '-0', '/*', '//', '\n'],
  profile: ['{', '}', '[', ']', '"', ':', ',', '\\', '${pluginRoot}', '${sandbox}', '$', '\n'],
  config: [':', '-', ' ', '\t', '\n', '&a', '*a', '!!', '|', '>', '#', '"', "'", '[', ']', '{', '}', '<<: ', '? ', '---\n', '...\n', '%YAML 1.1\n'],
  python: ['(', ')', '[', ']', '{', '}', ':', '\n', '    ', '\t', '\\\n', '"""', "'", '#', '@', 'def ', 'class ', 'lambda ', 'if ', 'else', '.', ',', '=', '*', '**', ' import ', 'from ', 'yield ', 'async ', 'await '],
};

const UNICODE = [
  '\u0000', '\uFEFF', '\u200B', '\u200D', '\u202E', '\u2028', '\u2029', '\uFFFD', '\uFFFF', '\uD800', '\uDFFF', '\uDBFF\uDFFF',
  '😀', '👨‍👩‍👧‍👦', 'é', 'e\u0301', 'Ω', 'ß', 'İ', 'ﬁ', '日本語', 'مرحبا', '\u0085', '\r', '\x7F', '\x1B[31m',
];

function randomChar(rng: Rng, kind: FileKind): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(STRUCTURAL[kind])],
    [2, () => rng.pick(UNICODE)],
    [2, () => String.fromCharCode(rng.int(0x80))],
    [1, () => String.fromCharCode(rng.int(0x10000))],
  ])();
}

// ------------------------------------------------------------------------------------- generic mutations

type Mutation = (text: string, rng: Rng, kind: FileKind, corpus: Corpus) => { text: string; label: string };

const at = (rng: Rng, text: string) => rng.int(text.length + 1);

const MUTATIONS: [number, Mutation][] = [
  [3, (t, rng) => {
    const i = at(rng, t);
    return { text: t.slice(0, i), label: `truncate@${i}` };
  }],
  [4, (t, rng, kind) => {
    const n = rng.range(1, 8);
    const chars = t.split('');
    for (let k = 0; k < n && chars.length > 0; k++) chars[rng.int(chars.length)] = randomChar(rng, kind);
    return { text: chars.join(''), label: `flip×${n}` };
  }],
  [4, (t, rng, kind) => {
    const n = rng.range(1, 6);
    let s = t;
    for (let k = 0; k < n; k++) {
      const i = at(rng, s);
      s = s.slice(0, i) + randomChar(rng, kind).repeat(rng.chance(0.1) ? rng.range(2, 2000) : 1) + s.slice(i);
    }
    return { text: s, label: `insert×${n}` };
  }],
  [2, (t, rng) => {
    const i = at(rng, t);
    const j = Math.min(t.length, i + rng.range(1, 400));
    return { text: t.slice(0, i) + t.slice(j), label: `delete@${i}+${j - i}` };
  }],
  [2, (t, rng) => {
    const i = at(rng, t);
    const piece = t.slice(i, i + rng.range(1, 300));
    const k = at(rng, t);
    const times = rng.chance(0.2) ? rng.range(10, 5000) : 1;
    return { text: t.slice(0, k) + piece.repeat(times) + t.slice(k), label: `duplicate×${times}` };
  }],
  [2, (t, rng, kind, corpus) => {
    const other = rng.pick(corpus[kind]);
    const i = at(rng, other);
    const piece = other.slice(i, i + rng.range(1, 500));
    const k = at(rng, t);
    return { text: t.slice(0, k) + piece + t.slice(k), label: 'splice' };
  }],
  [1, (t, rng) => {
    const eol = rng.pick(['\r\n', '\r', '\u2028', '\n\n']);
    return { text: t.replace(/\n/g, eol), label: `eol=${JSON.stringify(eol)}` };
  }],
  [1, (t, rng) => {
    const lines = t.split('\n');
    const n = lines.length;
    for (let k = 0; k < Math.min(n, 5); k++) {
      const a = rng.int(n);
      const b = rng.int(n);
      [lines[a], lines[b]] = [lines[b], lines[a]];
    }
    return { text: lines.join('\n'), label: 'swapLines' };
  }],
  [1, (t, rng, kind) => {
    const len = rng.pick([10_000, 200_000, 2 * MB]);
    const i = at(rng, t);
    const line = kind === 'python' ? `x = "${'a'.repeat(len)}"\n` : rng.chance(0.5) ? 'a'.repeat(len) : randomChar(rng, kind).repeat(len);
    return { text: t.slice(0, i) + line + t.slice(i), label: `longLine(${len})` };
  }],
];

function mutate(text: string, rng: Rng, kind: FileKind, corpus: Corpus): FuzzInput {
  const rounds = rng.weighted([[6, 1], [3, 2], [1, 4]] as const);
  const labels: string[] = [];
  let t = text;
  for (let r = 0; r < rounds; r++) {
    const m = rng.weighted(MUTATIONS)(t, rng, kind, corpus);
    t = m.text;
    labels.push(m.label);
  }
  return { kind, text: t, label: labels.join(' + ') };
}

// ------------------------------------------------------------------------------------------ schema

function deepJson(rng: Rng, depth: number, closed: boolean): string {
  const shape = rng.pick(['array', 'object', 'mixed'] as const);
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const obj = shape === 'object' || (shape === 'mixed' && i % 2 === 1);
    open += obj ? '{"a":' : '[';
    close = (obj ? '}' : ']') + close;
  }
  return open + '1' + (closed ? close : '');
}

function schemaWith(base: string, mutate: (s: Record<string, any>) => void): string {
  let s: Record<string, any>;
  try {
    s = JSON.parse(base) as Record<string, any>;
  } catch {
    s = {};
  }
  if (typeof s !== 'object' || s === null || Array.isArray(s)) s = {};
  for (const d of ['repositoryDefinition', 'sourceConfigDefinition', 'linkedSourceDefinition', 'virtualSourceDefinition', 'snapshotDefinition']) {
    if (typeof s[d] !== 'object' || s[d] === null) s[d] = { type: 'object', properties: {} };
    if (typeof s[d].properties !== 'object' || s[d].properties === null) s[d].properties = {};
  }
  mutate(s);
  return JSON.stringify(s, null, 2);
}

function manyProperties(n: number, prefix = 'prop'): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) props[`${prefix}${i}`] = { type: i % 3 === 0 ? 'string' : i % 3 === 1 ? 'integer' : 'boolean', prettyName: `P ${i}`, description: 'd' };
  return props;
}

function nestedProperties(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) v = { type: 'object', properties: { [`level${i}`]: v }, required: [`level${i}`] };
  return v;
}

const SCHEMA_GENERATORS: [number, (rng: Rng, base: string) => FuzzInput][] = [
  [3, (rng, base) => {
    const depth = rng.pick([600, 10_000, 100_000]);
    const closed = rng.chance(0.6);
    const deep = deepJson(rng, depth, closed);
    const whole = rng.chance(0.3);
    return { kind: 'schema', label: `deepNesting(${depth}${closed ? '' : ', unclosed'}${whole ? ', whole file' : ''})`, text: whole ? deep : base.replace(/\{/, `{"deep": ${deep},`) };
  }],
  [2, (rng, base) => {
    const depth = rng.pick([50, 200, 400]);
    return { kind: 'schema', label: `deepProperties(${depth})`, text: schemaWith(base, (s) => (s.repositoryDefinition.properties.deep = nestedProperties(depth))) };
  }],
  [3, (rng, base) => {
    const n = rng.pick([10_000, 100_000, 300_000]);
    const where = rng.pick(['required', 'enum', 'identityFields', 'ordering', 'default'] as const);
    return {
      kind: 'schema',
      label: `hugeArray(${where}, ${n})`,
      text: schemaWith(base, (s) => {
        const items = Array.from({ length: n }, (_, i) => `item${i}`);
        if (where === 'enum') s.repositoryDefinition.properties.big = { type: 'string', enum: items };
        else if (where === 'default') s.repositoryDefinition.properties.big = { type: 'array', items: { type: 'string' }, default: items };
        else s.sourceConfigDefinition[where] = items;
      }),
    };
  }],
  [2, (rng, base) => {
    const len = rng.pick([100_000, 2 * MB, 6 * MB]);
    return { kind: 'schema', label: `hugeString(${len})`, text: schemaWith(base, (s) => (s.repositoryDefinition.properties.name = { type: 'string', description: rng.pick(['a', 'é', '😀', '\\']).repeat(len) })) };
  }],
  [2, (rng, base) => {
    const n = rng.pick([2_000, 20_000]);
    return { kind: 'schema', label: `manyProperties(${n})`, text: schemaWith(base, (s) => Object.assign(s.linkedSourceDefinition.properties, manyProperties(n))) };
  }],
  [3, (rng, base) => {
    const variant = rng.int(5);
    return {
      kind: 'schema',
      label: `refCycle(${variant})`,
      text: schemaWith(base, (s) => {
        s.definitions = { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' }, self: { $ref: '#/definitions/self' } };
        const target = s.repositoryDefinition.properties;
        if (variant === 0) target.cyc = { $ref: '#/definitions/a' };
        if (variant === 1) target.cyc = { $ref: '#' };
        if (variant === 2) target.cyc = { $ref: '#/repositoryDefinition' };
        if (variant === 3) target.cyc = { type: 'object', properties: { inner: { $ref: '#/repositoryDefinition/properties/cyc' } } };
        if (variant === 4) s.repositoryDefinition = { $ref: '#/sourceConfigDefinition', properties: { x: { $ref: '#/definitions/self' } } };
      }),
    };
  }],
  [2, (rng, base) => {
    const n = rng.pick([2, 50, 20_000]);
    const key = rng.pick(['"type"', '"properties"', '"nameField"', '"repositoryDefinition"', '"name"']);
    const dup = Array.from({ length: n }, (_, i) => `${key}: ${i % 2 ? '"string"' : '{}'}`).join(',\n');
    const i = base.indexOf('{', base.indexOf('{') + 1);
    return { kind: 'schema', label: `duplicateKeys(${key}×${n})`, text: i > 0 ? base.slice(0, i + 1) + dup + ',' + base.slice(i + 1) : `{${dup}}` };
  }],
  [1, (rng, base) => {
    // Over the analysis limit: must degrade to "too large to analyse".
    const target = rng.pick([10 * MB, 12 * MB]);
    const n = Math.ceil(target / 90);
    return { kind: 'schema', label: `tenMegabytes(${target})`, text: schemaWith(base, (s) => Object.assign(s.repositoryDefinition.properties, manyProperties(n, 'p'))) };
  }],
  [1, (rng, base) => {
    const names = ['async', 'class', 'None', 'mountLocation', 'mount-location', 'mount_location', 'Mount Location', '😀', '', ' ', '__init__', 'self', 'é', 'e\u0301', '\u0000', '\uD800', '1abc', 'a'.repeat(10_000), 'toString', '__proto__', 'constructor', 'hasOwnProperty'];
    return {
      kind: 'schema',
      label: 'awkwardNames',
      text: schemaWith(base, (s) => {
        for (const n of names) if (rng.chance(0.6)) s.repositoryDefinition.properties[n] = { type: rng.pick(['string', 'object', 'array', 'weird', 5, null]) };
        s.repositoryDefinition.nameField = rng.pick(names);
        s.repositoryDefinition.identityFields = names.filter(() => rng.chance(0.3));
      }),
    };
  }],
  [2, (rng, base) => {
    const values = [5, -1, 1e308, 'x', '', null, true, [], {}, [1, 'a', null], { $ref: 1 }, { type: [] }];
    const keys = ['type', 'properties', 'required', 'nameField', 'identityFields', 'items', 'additionalProperties', 'enum', 'format', 'pattern', 'minimum', 'maxLength', 'default', 'ordering', 'prettyName', 'recordSizeInKB', '$ref'];
    return {
      kind: 'schema',
      label: 'wrongTypes',
      text: schemaWith(base, (s) => {
        for (let i = 0; i < rng.range(1, 6); i++) {
          const def = rng.pick(Object.keys(s));
          if (typeof s[def] === 'object' && s[def] !== null) s[def][rng.pick(keys)] = rng.pick(values);
          else s[def] = rng.pick(values);
        }
        if (rng.chance(0.3)) s.repositoryDefinition.properties.p = { type: 'string', pattern: rng.pick(['(a+)+$', '[', '(?<', '\\', '(a|a)*b', 'x{99999}']) };
      }),
    };
  }],
  [1, (rng, base) => {
    // The workspace's sync profile gives linkedSource.username a value these patterns take exponential time on.
    const pattern = rng.pick(['^(a+)+$', '^(a|a)*$', '^(\\w+\\s?)*$', '^(a*)*b$', '^([a-z]+)*[0-9]$']);
    return { kind: 'schema', label: `backtrackingPattern(${pattern})`, text: schemaWith(base, (s) => (s.linkedSourceDefinition.properties.username = { type: 'string', pattern })) };
  }],
  [1, (rng, base) => {
    const bits = ['// comment\n', '/* c */', ',', "'single'", 'NaN', 'Infinity', '-Infinity', '0x1F', '1e400', '.5', '+1', '\t', '\u00A0', 'undefined'];
    let t = base;
    for (let k = 0; k < rng.range(1, 5); k++) {
      const i = at(rng, t);
      t = t.slice(0, i) + rng.pick(bits) + t.slice(i);
    }
    return { kind: 'schema', label: 'jsonIsms', text: t };
  }],
];

// ------------------------------------------------------------------------------------------ config

function aliasBomb(rng: Rng, levels: number): string {
  const width = rng.pick([9, 10]);
  const names = 'abcdefghijklmnop'.split('').slice(0, levels);
  const lines = [`${names[0]}: &${names[0]} [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(width).fill('*' + names[i - 1]).join(', ')}]`);
  const top = names[names.length - 1];
  const use = rng.pick(['id', 'name', 'hostTypes', 'srcDir', 'entryPoint']);
  return lines.join('\n') + `\n${use}: *${top}\n`;
}

function mergeBomb(levels: number): string {
  const lines = ['a0: &a0 {x: 1, y: 2}'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}, *a${i - 1}], v${i}: [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]}`);
  return lines.join('\n') + `\n<<: *a${levels - 1}\nid: *a${levels - 1}\n`;
}

const CONFIG_GENERATORS: [number, (rng: Rng, base: string) => FuzzInput][] = [
  [3, (rng, base) => {
    const levels = rng.pick([5, 9, 12]);
    return { kind: 'config', label: `aliasBomb(${levels} levels)`, text: (rng.chance(0.5) ? base + '\n' : '') + aliasBomb(rng, levels) };
  }],
  [2, (rng, base) => ({ kind: 'config', label: 'mergeKeyBomb', text: base + '\n' + mergeBomb(rng.pick([6, 12, 20])) })],
  [1, (rng, base) => {
    const v = rng.pick(['a: &a [*a]\nid: *a\n', 'x: &x {<<: *x}\nid: *x\n', 'id: *undefined\n', '<<: &m {id: *m}\n', 'hostTypes: &h [UNIX, *h]\n']);
    return { kind: 'config', label: 'anchorCycle', text: base + '\n' + v };
  }],
  [2, (rng, base) => {
    const depth = rng.pick([100, 10_000, 100_000]);
    const style = rng.pick(['flowList', 'flowMap', 'block', 'blockList'] as const);
    let v: string;
    if (style === 'flowList') v = 'id: ' + '['.repeat(depth) + (rng.chance(0.5) ? ']'.repeat(depth) : '');
    else if (style === 'flowMap') v = 'id: ' + '{a: '.repeat(depth) + '1' + (rng.chance(0.5) ? '}'.repeat(depth) : '');
    else if (style === 'block') v = Array.from({ length: Math.min(depth, 5000) }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n');
    else v = Array.from({ length: Math.min(depth, 5000) }, (_, i) => ' '.repeat(i * 2) + '-').join('\n');
    return { kind: 'config', label: `deepYaml(${style}, ${depth})`, text: rng.chance(0.5) ? base + '\n' + v : v };
  }],
  [2, (rng, base) => {
    const n = rng.pick([1_000, 100_000, 300_000]);
    const item = rng.pick(['UNIX', 'WINDOWS', 'unix', '1', '[]', '{}', '~']);
    const flow = rng.chance(0.3);
    const list = flow ? `hostTypes: [${Array(n).fill(item).join(', ')}]` : 'hostTypes:\n' + Array(n).fill(`  - ${item}`).join('\n');
    return { kind: 'config', label: `hugeList(${n}${flow ? ', flow' : ''})`, text: base.replace(/hostTypes:[^\n]*(\n\s+-[^\n]*)*/, '') + '\n' + list + '\n' };
  }],
  [2, (rng, base) => {
    const n = rng.pick([2, 100, 50_000]);
    const key = rng.pick(['id', 'name', 'srcDir', 'schemaFile', 'entryPoint', 'hostTypes']);
    return { kind: 'config', label: `duplicateKeys(${key}×${n})`, text: base + '\n' + Array.from({ length: n }, (_, i) => `${key}: v${i}`).join('\n') + '\n' };
  }],
  [2, (rng, base) => {
    const tags = ['!!python/object/apply:os.system ["true"]', '!!binary aGVsbG8=', '!custom x', '!!set {a, b}', '!!omap [a: 1]', '!!timestamp 2001-12-14', '!!float .nan', '!<tag:yaml.org,2002:str> x', '!!int 0x1F', '=', '~'];
    const key = rng.pick(['id', 'name', 'srcDir', 'language', 'pluginType', 'buildNumber', 'manualDiscovery']);
    return { kind: 'config', label: 'tags', text: base.replace(new RegExp(`^${key}:.*$`, 'm'), `${key}: ${rng.pick(tags)}`) };
  }],
  [3, (rng, base) => {
    const key = rng.pick(['srcDir', 'schemaFile', 'entryPoint']);
    const values: Record<string, string[]> = {
      srcDir: ['/', '..', '../..', '../../../../../../..', '.', '/dev', '/proc', 'src/../..', '~', 'src\0', '"src/loop/loop/loop"', 'nonexistent', "''", 'schema.json'],
      schemaFile: ['/dev/zero', '/dev/urandom', '/proc/self/status', '/etc/passwd', 'src', '.', '../schema.json', 'src/blob.py', 'src/pipe.py', 'src/loop', "''"],
      entryPoint: ['plugin_runner:plugin', ':', 'a:b:c', 'x' + ':y'.repeat(1000), 'blob:plugin', 'pipe:plugin', 'loop.plugin_runner:plugin', '..plugin_runner:plugin', 'os:system', 'generated.definitions:x'],
    };
    return { kind: 'config', label: `path(${key})`, text: base.replace(new RegExp(`^${key}:.*$`, 'm'), `${key}: ${rng.pick(values[key])}`) };
  }],
  [1, (rng, base) => {
    const len = rng.pick([100_000, 3 * MB]);
    return { kind: 'config', label: `longScalar(${len})`, text: base.replace(/^name:.*$/m, `name: "${rng.pick(['a', 'é', '😀'])}`.padEnd(len, 'x') + '"') };
  }],
  [1, (rng, base) => {
    const bits = ['---\n', '...\n', '%YAML 1.1\n---\n', '%TAG ! tag:x,2000:\n---\n', '\t', '\uFEFF', '\u0000', '? [a, b]\n: c\n', '? |\n  x\n: y\n', 'id: |\n  a\n b\n'];
    let t = base;
    for (let k = 0; k < rng.range(1, 4); k++) {
      const i = rng.chance(0.5) ? 0 : at(rng, t);
      t = t.slice(0, i) + rng.pick(bits) + t.slice(i);
    }
    if (rng.chance(0.2)) t = t.repeat(rng.range(2, 2000)).replace(/\n/g, '\n---\n');
    return { kind: 'config', label: 'yamlIsms', text: t };
  }],
];

// ------------------------------------------------------------------------------------------ python

const PYTHON_GENERATORS: [number, (rng: Rng, base: string) => FuzzInput][] = [
  [3, (rng, base) => {
    const n = rng.pick([50, 199, 999, 10_000, 100_000]);
    const style = rng.pick(['parens', 'lists', 'calls', 'dicts', 'subscripts', 'lambdas', 'unary'] as const);
    const expr =
      style === 'parens' ? '('.repeat(n) + 'staged_source.parameters.username' + ')'.repeat(n)
      : style === 'lists' ? '['.repeat(n) + 'x' + ']'.repeat(n)
      : style === 'calls' ? 'f('.repeat(n) + 'staged_source.parameters.mount_location' + ')'.repeat(n)
      : style === 'dicts' ? '{"a": '.repeat(n) + '1' + '}'.repeat(n)
      : style === 'subscripts' ? 'staged_source' + '[0]'.repeat(n)
      : style === 'lambdas' ? 'lambda: '.repeat(n) + 'x'
      : '-'.repeat(n) + 'x';
    return { kind: 'python', label: `deepExpression(${style}, ${n})`, text: insertInFunction(base, `    deep = ${expr}\n`, rng) };
  }],
  [3, (rng, base) => {
    const n = rng.pick([1_000, 10_000, 100_000]);
    const op = rng.pick([' + ', ' and ', ' < ', ' if x else ', ', ', '.']);
    const term = rng.pick(['staged_source.parameters.mount_location', 'a', '"s"', '1']);
    const expr = op === '.' ? 'staged_source' + '.parameters'.repeat(n) : Array(n).fill(term).join(op);
    return { kind: 'python', label: `hugeExpression(${JSON.stringify(op.trim())}, ${n})`, text: insertInFunction(base, `    huge = ${expr}\n`, rng) };
  }],
  [2, (rng, base) => {
    const n = rng.pick([20, 99, 500, 3_000]);
    const kw = rng.pick(['if x:', 'for i in y:', 'while z:', 'with a as b:', 'try:', 'def f():', 'class C:']);
    const body = Array.from({ length: n }, (_, i) => ' '.repeat(4 * i) + kw).join('\n') + '\n' + ' '.repeat(4 * n) + 'staged_source.parameters.mount_locaton\n';
    return { kind: 'python', label: `deepBlocks(${kw}, ${n})`, text: base + '\n' + body };
  }],
  [2, (rng, base) => {
    const n = rng.pick([1_000, 10_000]);
    const defs = Array.from(
      { length: n },
      (_, i) => `@plugin.linked.${rng.pick(['pre_snapshot', 'post_snapshot', 'status', 'mount_specification', 'nonsense'])}()\ndef op${i}(staged_source, repository, source_config, optional_snapshot_parameters):\n    return staged_source.parameters.mount_location${i % 7 ? '' : 'x'}\n`,
    ).join('\n');
    return { kind: 'python', label: `manyFunctions(${n})`, text: base + '\n' + defs };
  }],
  [1, (rng, base) => {
    const n = rng.pick([100, 5_000]);
    const chain = Array.from({ length: n }, (_, i) => `def h${i}(x):\n    return h${(i + 1) % n}(x)\n`).join('\n');
    return { kind: 'python', label: `recursionChain(${n})`, text: base + '\n' + chain + '\n\ndef use(staged_source):\n    return h0(staged_source).parameters.nope\n' };
  }],
  [1, (rng, base) => {
    const bits = [
      'from generated.definitions import *\n', 'from . import plugin_runner\n', 'import plugin_runner\n', 'from plugin_runner import *\n',
      'from .. import x\n', 'from ...... import y\n', 'import generated.definitions as gd\ngd.RepositoryDefinition(nope=1)\n',
      'plugin = Plugin()\nplugin = Plugin()\n', 'del plugin\n', 'global plugin\n', 'match x:\n    case {"a": [1, *rest]}: pass\n',
      'x = f"{f"{f"{staged_source}"}"}"\n', 'async def f():\n    await (yield)\n', '(x := (y := (z := 1)))\n', 'λ = 1\nπ.x = 2\n',
      'class RepositoryDefinition: pass\n', '@' + 'd.'.repeat(500) + 'x\ndef f(): pass\n', 'exec("x")\n', '\\\n'.repeat(50),
    ];
    let t = base;
    for (let k = 0; k < rng.range(1, 4); k++) t = insertInFunction(t, rng.pick(bits).replace(/^/gm, rng.chance(0.5) ? '    ' : ''), rng);
    return { kind: 'python', label: 'pythonIsms', text: t };
  }],
  [1, (rng) => {
    const size = rng.pick([1_000, 100_000, 1 * MB]);
    let s = '';
    while (s.length < size) s += String.fromCharCode(rng.int(0x10000));
    return { kind: 'python', label: `garbage(${size})`, text: s };
  }],
  [1, (rng, base) => {
    const target = rng.pick([3 * MB, 7 * MB, 9 * MB]);
    const unit = '\ndef big(staged_source):\n    return staged_source.parameters.username + "' + 'x'.repeat(200) + '"\n';
    return { kind: 'python', label: `hugeFile(${target})`, text: base + unit.repeat(Math.ceil(target / unit.length)) };
  }],
];

/** Put `code` just after a `def ...:` line (or at the end), so it lands inside an operation's body. */
function insertInFunction(base: string, code: string, rng: Rng): string {
  const defs = [...base.matchAll(/^def [^\n]*:\n/gm)];
  if (defs.length === 0) return base + '\n' + code;
  const m = rng.pick(defs);
  const i = (m.index ?? 0) + m[0].length;
  return base.slice(0, i) + code + base.slice(i);
}

// ------------------------------------------------------------------------------------- bytes on disk

function invalidUtf8(rng: Rng, base: string): Buffer {
  const buf = Buffer.from(base, 'utf8');
  const bad = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0]), Buffer.from([0xef, 0xbb, 0xbf])];
  const parts: Buffer[] = [];
  let last = 0;
  const cuts = Array.from({ length: rng.range(1, 8) }, () => rng.int(buf.length + 1)).sort((a, b) => a - b);
  for (const c of cuts) {
    parts.push(buf.subarray(last, c), rng.pick(bad));
    last = c;
  }
  parts.push(buf.subarray(last));
  if (rng.chance(0.2)) parts.unshift(Buffer.from([0xff, 0xfe])); // a UTF-16 byte order mark
  return Buffer.concat(parts);
}

// ------------------------------------------------------------------------------------------ entry

const GENERATORS: Record<FileKind, [number, (rng: Rng, base: string) => FuzzInput][]> = {
  schema: SCHEMA_GENERATORS,
  config: CONFIG_GENERATORS,
  python: PYTHON_GENERATORS,
  profile: [],
};

/**
 * One fuzz input for a file of `kind` whose current text is `base`: mostly random mutations of it,
 * sometimes a generated pathological input, sometimes invalid UTF-8 bytes for the disk.
 */
export function makeInput(rng: Rng, kind: FileKind, base: string, corpus: Corpus): FuzzInput {
  const gens = GENERATORS[kind];
  const choice = rng.weighted([
    [gens.length > 0 ? 4 : 0, 'generator'],
    [5, 'mutation'],
    [1, 'bytes'],
  ] as const);
  if (choice === 'generator') {
    const input = rng.weighted(gens)(rng, base);
    // A pathological input with a random mutation on top reaches the recovery paths too.
    if (!rng.chance(0.25)) return input;
    const m = mutate(input.text, rng, kind, corpus);
    return { ...m, label: `${input.label} + ${m.label}` };
  }
  if (choice === 'bytes') {
    const bytes = invalidUtf8(rng, base);
    return { kind, label: 'invalidUtf8(disk)', text: bytes.toString('utf8'), bytes };
  }
  return mutate(base, rng, kind, corpus);
}
