// Inputs that used to hang or crash the analysis (found by the fuzzer in test/fuzz) must now degrade to
// a clear diagnostic, quickly. Each test names the input, the diagnostic and the time it may take.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { DiskFiles, OverlayFiles } from '../../../core/files';
import { WorkspaceAnalyzer } from '../../../core/analysis/workspaceAnalyzer';
import type { PluginAnalyzer } from '../../../core/analysis/pluginAnalyzer';
import { MAX_FINDINGS_PER_RULE } from '../../../core/report/capFindings';
import { summarize } from '../../../core/report/formatProblems';
import { createPythonSideFactory, type PythonLanguageFeatures } from '../../../core/analysis/pythonSide';
import type { PythonSideFactory } from '../../../core/analysis/workspaceAnalyzer';
import { analyzeSchema } from '../../../core/schema/analyzeSchema';
import { parseConfigYaml } from '../../../core/config/configYaml';
import { configCompletions } from '../../../core/config/configAssist';
import { editDistance } from '../../../core/editDistance';
import { boundedRegExp, takeTimedOutPatterns } from '../../../core/boundedRegExp';
import { Rng } from '../../fuzz/rng';
import type { Problem } from '../../../core/types';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'first-plugin');
let dir: string;
const exampleSchema = () => JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'schema.json'), 'utf8')) as Record<string, { properties: Record<string, unknown> } & Record<string, unknown>>;

interface Fixture {
  root: string;
  files: OverlayFiles;
  ws: WorkspaceAnalyzer;
  plugin: PluginAnalyzer;
  internal: string[];
}

/** A copy of the example plugin analysed as the language server does: editor buffers over the disk. */
async function freshPlugin(): Promise<Fixture> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'robust-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  const files = new OverlayFiles(new DiskFiles());
  const factory: PythonSideFactory = await createPythonSideFactory(files, () => undefined);
  const internal: string[] = [];
  const ws = new WorkspaceAnalyzer(files, {}, factory, (rule, e) => internal.push(`${rule}: ${e}`));
  const plugin = ws.addPlugin(dir);
  plugin.analyze();
  return { root: dir, files, ws, plugin, internal };
}

after(() => {
  for (const d of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('robust-'))) fs.rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
});

/** Edit `rel` in an editor buffer and analyse; the problems of that file and the time it took. */
function edit(p: Fixture, rel: string, text: string): { problems: Problem[]; ms: number; all: Map<string, Problem[]> } {
  const file = path.join(p.root, rel);
  const t0 = performance.now();
  p.files.set(file, text, Math.floor(Math.random() * 1e9));
  p.ws.fileChanged(file);
  const all = p.plugin.analyze().problems;
  return { problems: all.get(file) ?? [], ms: performance.now() - t0, all };
}

const codes = (ps: Problem[]) => ps.map((p) => p.code);

test('10,000 nested brackets in schema.json: one "too deep" error where the nesting passes 512, no stack overflow', () => {
  const text = '{"repositoryDefinition": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
  const t0 = performance.now();
  const a = analyzeSchema('/p/schema.json', text);
  assert.ok(performance.now() - t0 < 500);
  assert.deepEqual(a.problems, [
    {
      file: '/p/schema.json',
      range: { start: { line: 0, character: 536 }, end: { line: 0, character: 537 } },
      severity: 'error',
      code: 'schema.tooDeep',
      message: 'Nested more than 512 levels deep here, too deep to check; the build and the sync refuse it too.',
      detail: "A plugin schema is normally a few levels deep, and dvp build's JSON reader gives up at about 1,000 levels: check that this is the file you meant.",
      dvp: false,
    },
  ]);
  assert.equal(a.syntaxOk, false);
  // Brackets inside strings do not count.
  assert.equal(analyzeSchema('/p/schema.json', JSON.stringify({ repositoryDefinition: { description: '['.repeat(5000) } })).problems.some((p) => p.code === 'schema.tooDeep'), false);
});

test('a YAML "billion laughs" alias bomb: one error at the alias, in milliseconds, instead of exhausting memory', () => {
  const letters = 'abcdefghi'.split('');
  const lines = letters.map((l, i) => (i === 0 ? `${l}: &${l} [${Array(9).fill('"lol"').join(', ')}]` : `${l}: &${l} [${Array(9).fill('*' + letters[i - 1]).join(', ')}]`));
  const text = lines.join('\n') + '\nid: *i\n';
  const t0 = performance.now();
  const y = parseConfigYaml('/p/plugin_config.yml', text);
  assert.ok(performance.now() - t0 < 1000, `${performance.now() - t0} ms`);
  const bomb = y.problems.filter((p) => p.code === 'config.aliasExpansion');
  assert.equal(bomb.length, 1);
  assert.equal(bomb[0].severity, 'error');
  assert.equal(bomb[0].range.start.line, 4);
  assert.equal(text.split('\n')[4].slice(bomb[0].range.start.character, bomb[0].range.end.character).startsWith('*'), true);
  assert.equal(
    bomb[0].message,
    'The aliases expand to more than 10000 values here; write the values out instead.',
  );
  // Merge keys that merge themselves many times over are bounded the same way.
  const merge = ['a0: &a0 {x: 1}', ...Array.from({ length: 20 }, (_, i) => `a${i + 1}: &a${i + 1} {<<: [*a${i}, *a${i}], v: [*a${i}, *a${i}, *a${i}]}`), '<<: *a20', 'id: *a20'].join('\n');
  const t1 = performance.now();
  assert.ok(parseConfigYaml('/p/plugin_config.yml', merge).problems.some((p) => p.code === 'config.aliasExpansion'));
  assert.ok(performance.now() - t1 < 1000);
});

test('files over the size limits: "too large to check" errors, and no assistance that would parse them again', async () => {
  const p = await freshPlugin();
  const s = exampleSchema();
  for (let i = 0; i < 100_000; i++) s.repositoryDefinition.properties[`prop${i}`] = { type: 'string', prettyName: `Property number ${i}`, description: 'x' };
  const big = JSON.stringify(s, null, 2);
  assert.ok(big.length > 8 * 1024 * 1024);
  const r = edit(p, 'schema.json', big);
  assert.deepEqual(codes(r.problems), ['file.tooLarge']);
  assert.equal(r.problems[0].severity, 'error');
  assert.match(r.problems[0].message, /^This file is too large to check \(\d+(\.\d)? MB; the limit is 8 MB\), so it was not checked, and the build and the sync refuse it too\. A plugin's schema\.json is normally a few kilobytes/);
  assert.ok(r.ms < 3000, `${r.ms} ms`);

  const config = fs.readFileSync(path.join(p.root, 'plugin_config.yml'), 'utf8') + '\n# ' + 'x'.repeat(300 * 1024) + '\n';
  const c = edit(p, 'plugin_config.yml', config);
  assert.deepEqual(codes(c.problems), ['file.tooLarge']);
  assert.equal(c.problems[0].severity, 'error');
  assert.match(c.problems[0].message, /^This file is too large to check \(300 KB; the limit is 256 KB\), so it was not checked/);
  const t0 = performance.now();
  assert.deepEqual(configCompletions(config, { line: 1, character: 2 }), []);
  assert.ok(performance.now() - t0 < 100);
});

test('Python nested 2,000 deep, and a 3 MB module: a clear warning each, no stack overflow, the rest still checked', async () => {
  const p = await freshPlugin();
  const runner = fs.readFileSync(path.join(p.root, 'src', 'plugin_runner.py'), 'utf8');
  const deep = runner + '\nx = ' + '('.repeat(150) + '[' .repeat(2000) + ']'.repeat(2000) + ')'.repeat(150) + '\n';
  const r = edit(p, 'src/plugin_runner.py', deep);
  assert.deepEqual(codes(r.problems), ['python.tooDeep']);
  assert.equal(r.problems[0].severity, 'warning');
  assert.match(r.problems[0].message, /^This file is nested more than 1000 levels deep .* Python itself refuses code nested this deeply/);
  assert.deepEqual(p.internal, []);
  // The schema and the config are still analysed.
  assert.ok(r.all.has(path.join(p.root, 'src', 'plugin_runner.py')));

  const huge = runner + '\ndef big(staged_source):\n    return staged_source.parameters.username\n'.repeat(40_000);
  const h = edit(p, 'src/plugin_runner.py', huge);
  assert.deepEqual(codes(h.problems), ['python.tooLarge']);
  assert.match(h.problems[0].message, /^This file is too large to analyse \(\d\.\d MB; the limit is 2 MB\)/);
  // Back to the original: the warning goes and the real checks come back.
  const back = edit(p, 'src/plugin_runner.py', runner);
  assert.equal(back.problems.some((x) => x.code.startsWith('python.too')), false);
});

test('a 100,000-term Python expression and 20,000 nested parentheses: answered within a second', async () => {
  const p = await freshPlugin();
  const runner = fs.readFileSync(path.join(p.root, 'src', 'plugin_runner.py'), 'utf8');
  const chain = runner.replace('    stage_mount_path = staged_source.mount.mount_path\n', '    stage_mount_path = staged_source.mount.mount_path\n    huge = ' + Array(100_000).fill('a').join(' + ') + '\n');
  const r = edit(p, 'src/plugin_runner.py', chain);
  assert.deepEqual(codes(r.problems), ['python.tooDeep']);
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  const parens = edit(p, 'src/plugin_runner.py', runner + '\nx = ' + '('.repeat(20_000) + '1' + ')'.repeat(20_000) + '\n');
  assert.ok(parens.ms < 2000, `${parens.ms} ms`);
  assert.deepEqual(p.internal, []);
});

test('completion at the end of a 200,000-character Python line answers at once', async () => {
  const p = await freshPlugin();
  const runner = fs.readFileSync(path.join(p.root, 'src', 'plugin_runner.py'), 'utf8');
  const text = runner + `\nx = "${'a'.repeat(200_000)} staged_source.parameters.\n`;
  edit(p, 'src/plugin_runner.py', text);
  const py = p.plugin.python as unknown as PythonLanguageFeatures;
  const lines = text.split('\n');
  const t0 = performance.now();
  py.completions(path.join(p.root, 'src', 'plugin_runner.py'), { line: lines.length - 2, character: lines[lines.length - 2].length });
  py.prepareRename(path.join(p.root, 'src', 'plugin_runner.py'), { line: lines.length - 2, character: 100_000 });
  assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
});

test('symbolic link loops under srcDir: every module is read once, quickly; srcDir outside the plugin is not walked', async () => {
  const p = await freshPlugin();
  const src = path.join(p.root, 'src');
  // A module with findings (the tutorial's unquoted rsync arguments), so a module read twice shows as a second file.
  fs.copyFileSync(path.resolve(EXAMPLE, '..', '..', 'test', 'fixtures', 'shell-quoting', 'tutorial_plugin_runner.py'), path.join(src, 'plugin_runner.py'));
  p.ws.fileChanged(path.join(src, 'plugin_runner.py'));
  fs.symlinkSync('.', path.join(src, 'loop'));
  fs.symlinkSync('.', path.join(src, 'loop2'));
  fs.symlinkSync('..', path.join(src, 'up'));
  const config = fs.readFileSync(path.join(p.root, 'plugin_config.yml'), 'utf8');
  const r = edit(p, 'plugin_config.yml', config + '\n');
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  const pyFiles = [...r.all.keys()].filter((f) => f.endsWith('.py'));
  assert.deepEqual(pyFiles, [path.join(src, 'plugin_runner.py')]);
  assert.equal(codes(r.all.get(path.join(p.root, 'plugin_config.yml')) ?? []).includes('python.srcDirTooLarge'), false);

  const outside = edit(p, 'plugin_config.yml', config.replace('srcDir: src', 'srcDir: ../../../../../../..'));
  assert.ok(outside.ms < 2000, `${outside.ms} ms`);
  assert.deepEqual([...outside.all.keys()].filter((f) => f.endsWith('.py')), []);
  assert.ok(outside.problems.some((x) => x.code === 'config.path' && /outside the plugin folder/.test(x.message)));
});

test('an enum of 100,000 values is checked in well under a second; repeats are found as ajv finds them', () => {
  const s = exampleSchema();
  s.repositoryDefinition.properties.big = { type: 'string', enum: Array.from({ length: 100_000 }, (_, i) => `value${i}`) };
  const t0 = performance.now();
  const a = analyzeSchema('/p/schema.json', JSON.stringify(s));
  assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  assert.deepEqual(codes(a.problems), []);

  s.repositoryDefinition.properties.big = { type: 'string', enum: ['a', 'b', { x: 1, y: [2] }, 'b', { y: [2], x: 1 }, 'c'] };
  const text = JSON.stringify(s, null, 1);
  const dup = analyzeSchema('/p/schema.json', text).problems.filter((p) => p.code === 'schema.keyword.duplicateItem');
  assert.equal(dup.length, 1);
  // ajv's pairwise check reports the last item that repeats an earlier one: the second object.
  assert.match(dup[0].message, /^'enum' of 'big' in 'repositoryDefinition' lists \{'y': \[2\], 'x': 1\} twice: remove the repeat\./);
});

test('a schema pattern that backtracks exponentially does not hang the sync profile check', async () => {
  const p = await freshPlugin();
  const profile = path.join(p.root, '.delphix', 'sync', 'local.json');
  const value = JSON.parse(fs.readFileSync(profile, 'utf8')) as { linkedSource: Record<string, unknown> };
  value.linkedSource.username = 'a'.repeat(40) + '!';
  fs.writeFileSync(profile, JSON.stringify(value, null, 2));
  const s = exampleSchema();
  (s.linkedSourceDefinition.properties as Record<string, unknown>).username = { type: 'string', pattern: '^(a+)+$' };
  const r = edit(p, 'schema.json', JSON.stringify(s, null, 2));
  assert.ok(r.ms < 3000, `${r.ms} ms`);
  const slow = (r.all.get(profile) ?? []).filter((x) => x.code === 'sync.profile.patternTooSlow');
  assert.equal(slow.length, 1);
  assert.equal(slow[0].severity, 'warning');
  assert.match(slow[0].message, /^The pattern '\^\(a\+\)\+\$' of linkedSourceDefinition in schema\.json takes too long to test/);
  // A pattern that is only slow for exotic input still checks ordinary values.
  const re = boundedRegExp('^[a-z]+$', 'u');
  assert.equal(re.test('abc'), true);
  assert.equal(re.test('ab1'), false);
  assert.deepEqual(takeTimedOutPatterns(), []);
});

test('5,000 findings of one rule in one file: the first 20, and one line that says how many more there are', async () => {
  const p = await freshPlugin();
  const s = exampleSchema();
  s.sourceConfigDefinition.required = Array.from({ length: 5000 }, (_, i) => `missing${i}`);
  const r = edit(p, 'schema.json', JSON.stringify(s, null, 2));
  const rules = new Map<string, number>();
  for (const x of r.problems) rules.set(x.code, (rules.get(x.code) ?? 0) + 1);
  assert.ok([...rules.entries()].every(([code, n]) => code === 'file.moreFindings' || n <= MAX_FINDINGS_PER_RULE), JSON.stringify([...rules]));
  const more = r.problems.filter((x) => x.code === 'file.moreFindings');
  assert.equal(more.length, 1);
  assert.equal(more[0].severity, 'error');
  assert.match(more[0].message, /^\.\.\. and 49\d\d more schema\.[\w.]+ findings in schema\.json \(49\d\d errors\), not listed: only the first 20 of each rule are\./);
  // The totals still count every finding: the exit code and the summary line do not shrink.
  assert.ok(summarize(r.problems).errors >= 5000, JSON.stringify(summarize(r.problems)));
});

test('the length and letter shortcuts of editDistance never change an answer within the limit', () => {
  const rng = new Rng(42);
  const alphabet = 'abcabé_';
  const word = () => Array.from({ length: rng.int(10) }, () => alphabet[rng.int(alphabet.length)]).join('');
  for (let k = 0; k < 50_000; k++) {
    const a = word();
    const b = word();
    const limit = rng.int(4);
    const full = editDistance(a, b);
    const bounded = editDistance(a, b, limit);
    assert.equal(Math.min(bounded, limit + 1), Math.min(full, limit + 1), `${a} / ${b} / ${limit}`);
  }
  const t0 = performance.now();
  editDistance('x'.repeat(2_000_000), 'properties', 2);
  assert.ok(performance.now() - t0 < 50);
});

test('600 analyses of edited files keep the heap flat (no cache that grows per keystroke)', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const p = await freshPlugin();
  const schema = fs.readFileSync(path.join(p.root, 'schema.json'), 'utf8');
  const runner = fs.readFileSync(path.join(p.root, 'src', 'plugin_runner.py'), 'utf8');
  const heap: number[] = [];
  for (let i = 1; i <= 600; i++) {
    if (i % 2) edit(p, 'schema.json', schema.replace('"Name"', `"Name ${i}"`).replace('"Username on Source Host"', `"User ${i}"`));
    else edit(p, 'src/plugin_runner.py', runner + `\n# edit ${i}\n`);
    if (i % 100 === 0) {
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
  }
  const growth = (heap[heap.length - 1] - heap[0]) / 1024 / 1024;
  assert.ok(growth < 4, `heap grew ${growth.toFixed(1)} MB from analysis 100 to 600: ${heap.map((h) => (h / 1024 / 1024).toFixed(1)).join(', ')}`);
});
