// Issue 13 (items 3, 4, 6): everything that reads plugin files applies the check's limits, with its
// messages, in bounded time and memory; a file that could not be checked is an error for the exit
// code; file text never reaches the terminal with control or bidi characters raw, and repeated
// findings are capped per rule and file. The CLI runs as a real child process (dist/cli.js) whose
// peak RSS is measured from inside it (process.resourceUsage at exit, through a --require preload).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildArtifact } from '../../../core/build/artifact';
import { generatePluginDefinitions } from '../../../core/build/generateOnly';
import { findImplementedOperations } from '../../../core/build/findOperations';
import { readUploadArtifact } from '../../../core/engine/artifact';
import { EngineError } from '../../../core/engine/errors';
import { DiskFiles, MAX_READ_FILE_BYTES, readTextWithin } from '../../../core/files';
import { parsePyJson, PyJsonSyntaxError } from '../../../core/pythonJson';
import { formatJson, formatSarif, formatText } from '../../../core/report/formatProblems';
import { capFindings, MAX_FINDINGS_PER_RULE } from '../../../core/report/capFindings';
import { loadProfile } from '../../../core/sync/profile';
import { preflight } from '../../../core/sync/preflight';
import { loadArtifactBaseline } from '../../../core/upgrade/baseline';
import { readObjectsFile } from '../../../core/upgrade/objects';
import { quoteSnippet, visibleText } from '../../../core/text';
import type { Problem } from '../../../core/types';
import { binarySchema, deepSchema, hugeSchema, RAW_CONTROL_BYTES as RAW_CONTROL } from '../../support/hostileFiles';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-limits-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Reports the child's peak RSS (kB) on stderr as it exits, without going through the CLI's printer. */
const PRELOAD = path.join(tmp, 'peak-rss.js');
fs.writeFileSync(PRELOAD, `process.on('exit', () => require('fs').writeSync(2, '\\nPEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n'));\n`);

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
  peakMb: number;
}

function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--require', PRELOAD, CLI, ...args], { cwd, env: { ...process.env, DELPHIX_SDK_RUNTIME_CACHE: path.join(tmp, 'cache') } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('latin1').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('latin1').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /\nPEAK_RSS_KB=(\d+)\n/.exec(err);
      resolve({ code, out, err: err.replace(/\nPEAK_RSS_KB=\d+\n/, ''), ms: Date.now() - t0, peakMb: m ? Number(m[1]) / 1024 : NaN });
    });
  });
}

function plugin(name: string, schema: string | Buffer): string {
  const dir = path.join(tmp, name);
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  fs.writeFileSync(path.join(dir, 'schema.json'), schema);
  return dir;
}

const noStackTrace = (r: Run) => {
  assert.doesNotMatch(r.err, /Internal error|Maximum call stack|RangeError|\n\s+at .+:\d+:\d+\)?\n/, r.err.slice(0, 2000));
};

test('a schema nested 10,000 deep: check and build exit 1 with the same clear error, no stack overflow, in bounded time and memory', async () => {
  const dir = plugin('deep', deepSchema());
  const check = await cli(['check', '.'], dir);
  assert.equal(check.code, 1, check.out + check.err);
  assert.match(check.out, /^schema\.json:\d+:\d+ error Nested more than 512 levels deep here, too deep to check; the build and the sync refuse it too\. \[schema\.tooDeep\]$/m);
  assert.match(check.err, /1 plugin checked: 1 error,/);

  const build = await cli(['build', '.', '--no-sdk-runtime'], dir);
  assert.equal(build.code, 1, build.out + build.err);
  noStackTrace(build);
  assert.match(build.out, /\[schema\.tooDeep\]/);
  assert.match(build.err, /nothing was built/);
  assert.equal(fs.existsSync(path.join(dir, 'artifact.json')), false);

  const gen = await cli(['generate', '.'], dir);
  assert.equal(gen.code, 1, gen.out + gen.err);
  noStackTrace(gen);
  assert.match(gen.err, /schema\.json:\d+:\d+: Nested more than 512 levels deep here, too deep to check/);

  for (const r of [check, build, gen]) {
    assert.ok(r.ms < 30_000, `${r.ms} ms`);
    assert.ok(r.peakMb < 400, `peak RSS ${r.peakMb} MB`);
  }
});

test('the core build, codegen and the manifest read the deep schema without recursing: clear errors, no throw', async () => {
  const dir = plugin('deep-core', deepSchema());
  const r = await buildArtifact({ pluginRoot: dir, operations: [] }, { includeSdkRuntime: false, outputFile: path.join(tmp, 'deep-core.json'), updateGeneratedInSource: false });
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0], /^\/.*schema\.json:\d+:\d+: Nested more than 512 levels deep here, too deep to check/);
  assert.equal(fs.existsSync(path.join(tmp, 'deep-core.json')), false);
  const g = await generatePluginDefinitions(dir);
  assert.equal(g.ok, false);
  assert.match(g.errors[0], /too deep to check/);
  assert.deepEqual(await findImplementedOperations(dir), []);
});

test('a 51 MB schema: check and build refuse it by its size, with the same error, in seconds and bounded memory', async () => {
  const text = hugeSchema();
  assert.ok(text.length > 51 * 1024 * 1024 && text.length < 53 * 1024 * 1024, `${text.length}`);
  const dir = plugin('huge', text);
  const expected = /This file is too large to check \(5[0-2](\.\d)? MB; the limit is 8 MB\), so it was not checked, and the build and the sync refuse it too\. A plugin's schema\.json is normally a few kilobytes/;

  const check = await cli(['check', '.'], dir);
  assert.equal(check.code, 1, check.out + check.err);
  assert.match(check.out, new RegExp(`^schema\\.json:1:1 error ${expected.source}.* \\[file\\.tooLarge\\]$`, 'm'));

  const build = await cli(['build', '.', '--no-sdk-runtime'], dir);
  assert.equal(build.code, 1, build.out + build.err);
  noStackTrace(build);
  assert.match(build.out, expected);
  assert.equal(fs.existsSync(path.join(dir, 'artifact.json')), false);

  const gen = await cli(['generate', '.'], dir);
  assert.equal(gen.code, 1);
  assert.match(gen.err, expected);

  for (const r of [check, build, gen]) {
    assert.ok(r.ms < 30_000, `${r.ms} ms`);
    // Reading the file at all would take 50 MB more; before the limit, the build peaked at 5.9 GB.
    assert.ok(r.peakMb < 250, `peak RSS ${r.peakMb} MB`);
  }

  // The core build without the check refuses it too, before reading it.
  const t0 = Date.now();
  const r = await buildArtifact({ pluginRoot: dir, operations: [] }, { includeSdkRuntime: false, outputFile: path.join(tmp, 'huge.json'), updateGeneratedInSource: false });
  assert.equal(r.ok, false);
  assert.match(r.errors[0], expected);
  assert.ok(Date.now() - t0 < 5000);
});

test('plugin_config.yml nested 100,000 deep: check and the core build say it is nested too deeply, at once, not "Maximum call stack size exceeded"', async () => {
  const dir = plugin('deep-config', fs.readFileSync(path.join(EXAMPLE, 'schema.json')));
  fs.appendFileSync(path.join(dir, 'plugin_config.yml'), `\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  const check = await cli(['check', '.'], dir);
  assert.equal(check.code, 1);
  assert.match(check.out, /^plugin_config\.yml:13:260 error The lists and mappings here are nested too deeply to check, so this part was not checked and the build refuses the file\. \[config\.tooDeep\]$/m);
  assert.ok(check.ms < 15_000, `${check.ms} ms`);
  assert.doesNotMatch(check.out + check.err, /Maximum call stack/);
  const r = await buildArtifact({ pluginRoot: dir, operations: [] }, { includeSdkRuntime: false, outputFile: path.join(tmp, 'deep-config.json'), updateGeneratedInSource: false });
  assert.equal(r.ok, false);
  assert.match(r.errors[0], /plugin_config\.yml: the lists and mappings in it are nested too deeply to read, so it was not checked and is not built\./);
});

test('a 120 MB Python module in srcDir: check says it is too large to cross-check without reading it', async () => {
  const dir = plugin('huge-py', fs.readFileSync(path.join(EXAMPLE, 'schema.json')));
  fs.writeFileSync(path.join(dir, 'src', 'blob.py'), '');
  fs.truncateSync(path.join(dir, 'src', 'blob.py'), 120 * 1024 * 1024);
  const check = await cli(['check', '.'], dir);
  assert.match(check.out, /^src\/blob\.py:1:1 warning This file is too large to analyse \(120\.0 MB; the limit is 2 MB\), so its schema names are not cross-checked\..*\[python\.tooLarge\]$/m);
  assert.ok(check.peakMb < 200, `peak RSS ${check.peakMb} MB`);
});

test('readers check the size before reading: bounded reads, sparse 300 MB files refused at once', () => {
  const sparse = path.join(tmp, 'sparse.json');
  fs.writeFileSync(sparse, '');
  fs.truncateSync(sparse, 300 * 1024 * 1024);
  const t0 = Date.now();
  const r = readTextWithin(sparse, 8 * 1024 * 1024);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'tooLarge');
  const files = new DiskFiles();
  assert.equal(files.size(sparse), 300 * 1024 * 1024);
  assert.ok(300 * 1024 * 1024 > MAX_READ_FILE_BYTES);
  assert.equal(files.readText(sparse), undefined);
  assert.throws(
    () => readUploadArtifact(sparse),
    (e: unknown) => e instanceof EngineError && e.kind === 'badArtifact' && /^The upload artifact .* is too large \(300 MB; the limit is 256 MB\)\./.test(e.message),
  );
  assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);

  const small = path.join(tmp, 'small.txt');
  fs.writeFileSync(small, 'héllo');
  assert.deepEqual(readTextWithin(small, 100), { ok: true, text: 'héllo' });
  assert.equal(readTextWithin(small, 3).ok, false);
});

test('the upgrade guard reads its baseline artifact and objects file within the limits', async () => {
  const sparse = path.join(tmp, 'baseline-sparse.json');
  fs.writeFileSync(sparse, '');
  fs.truncateSync(sparse, 300 * 1024 * 1024);
  const big = await loadArtifactBaseline(sparse);
  assert.equal(big.ok, false);
  assert.match(!big.ok ? big.error : '', /^The baseline artifact .* is too large \(300 MB; the limit is 256 MB\)\.$/);
  const deepFile = path.join(tmp, 'baseline-deep.json');
  fs.writeFileSync(deepFile, '{"manifest": ' + '['.repeat(20_000) + ']'.repeat(20_000) + '}');
  const deep = await loadArtifactBaseline(deepFile);
  assert.match(!deep.ok ? deep.error : '', /nests arrays and objects more than 1000 levels deep/);
  const objects = readObjectsFile(deepFile);
  assert.match(!objects.ok ? objects.error : '', /nests arrays and objects more than 512 levels deep, too deep to check\.$/);
});

test('JSON nested past the depth bound: the artifact reader and the profile check give errors, not a stack overflow', () => {
  const deep = '{"engineApi": ' + '['.repeat(20_000) + ']'.repeat(20_000) + '}';
  assert.throws(() => parsePyJson(deep), (e: unknown) => e instanceof PyJsonSyntaxError && /^Nested more than 1000 levels deep at: line 1 column 1014 /.test(e.message));
  const file = path.join(tmp, 'deep-artifact.json');
  fs.writeFileSync(file, deep);
  assert.throws(() => readUploadArtifact(file), (e: unknown) => e instanceof EngineError && e.kind === 'badArtifact' && /Nested more than 1000 levels deep at offset 1013/.test(e.message));

  const dir = plugin('deep-profile', fs.readFileSync(path.join(EXAMPLE, 'schema.json')));
  fs.mkdirSync(path.join(dir, '.delphix', 'sync'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.delphix', 'sync', 'deep.json'), '{"source": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}');
  const loaded = loadProfile('deep', { pluginRoot: dir, sandbox: path.join(tmp, 'sandbox') });
  assert.deepEqual(loaded.problems.map((p) => [p.code, p.severity]), [['sync.profile.tooDeep', 'error']]);
  assert.match(loaded.problems[0].message, /^Nested more than 512 levels deep here, too deep to check; the sync refuses it too\.$/);
});

test('the sync reads the schema within the same limits: a deep or huge schema fails its preflight with the check\'s message', async () => {
  const deep = plugin('sync-deep', deepSchema());
  const d = await preflight({ pluginRoot: deep });
  assert.equal(d.ok, false);
  assert.match(d.checks.find((c) => c.id === 'schema')?.message ?? '', /schema\.json: Nested more than 512 levels deep here, too deep to check/);
  const huge = plugin('sync-huge', '');
  fs.truncateSync(path.join(huge, 'schema.json'), 51 * 1024 * 1024);
  const h = await preflight({ pluginRoot: huge });
  assert.equal(h.ok, false);
  assert.match(h.checks.find((c) => c.id === 'schema')?.message ?? '', /schema\.json: This file is too large to check \(51 MB; the limit is 8 MB\)/);
});

test('a binary schema.json: no control or bidi character reaches stdout or stderr, and each rule is listed at most 20 times', async () => {
  const dir = plugin('binary', binarySchema());
  for (const format of ['text', 'json', 'sarif']) {
    const r = await cli(['check', '.', '--format', format], dir);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.out, RAW_CONTROL, `${format} stdout: ${JSON.stringify(RAW_CONTROL.exec(r.out))}`);
    assert.doesNotMatch(r.err, RAW_CONTROL, `${format} stderr`);
    if (format === 'json') {
      const parsed = JSON.parse(Buffer.from(r.out, 'latin1').toString('utf8')) as { summary: { errors: number }; problems: { code: string; message: string; hidden?: { errors: number } }[] };
      const more = parsed.problems.filter((p) => p.code === 'file.moreFindings');
      assert.ok(more.length > 0);
      const listed = parsed.problems.filter((p) => p.code !== 'file.moreFindings').length;
      const hidden = more.reduce((n, p) => n + p.hidden!.errors, 0);
      assert.equal(parsed.summary.errors, listed + hidden, 'the summary counts the findings left out');
    }
    if (format === 'text') {
      const lines = r.out.trim().split('\n');
      const perRule = new Map<string, number>();
      for (const l of lines) {
        const rule = /\[([\w.]+)\]$/.exec(l)?.[1] ?? '?';
        perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
      }
      for (const [rule, n] of perRule) if (rule !== 'file.moreFindings') assert.ok(n <= MAX_FINDINGS_PER_RULE, `${rule}: ${n}`);
      assert.ok(lines.length < 300, `${lines.length} lines`);
      assert.match(r.out, /^schema\.json:\d+:\d+ error \.\.\. and \d+ more schema\.syntax\.[\w.]+ findings in schema\.json \(\d+ errors?\), not listed: only the first 20 of each rule are\./m);
      // The escapes are visible: ESC as \x1b.
      assert.match(r.out, /\\x1b/);
    }
  }
  const build = await cli(['build', '.', '--no-sdk-runtime'], dir);
  assert.equal(build.code, 1);
  assert.doesNotMatch(build.out + build.err, RAW_CONTROL);
});

test('visibleText and quoteSnippet: every control, DEL, C1 and bidi character as an escape; idempotent', () => {
  assert.equal(visibleText('a\x1b[31mb\rc\u202ed\u009be\x7ff\u2067'), 'a\\x1b[31mb\\rc\\u202ed\\x9be\\x7ff\\u2067');
  assert.equal(visibleText('line 1\nline\t2', true), 'line 1\nline\t2');
  assert.equal(visibleText('line 1\nline\t2'), 'line 1\\nline\\t2');
  const once = visibleText('x\x1by\u202e');
  assert.equal(visibleText(once), once);
  assert.equal(visibleText('plain ascii, ünïcode, 日本'), 'plain ascii, ünïcode, 日本');
  assert.equal(quoteSnippet('\x1b'.repeat(50), 4), '\\x1b\\x1b\\x1b\\x1b…');
});

test('the printers: text, JSON and SARIF escape what a rule let through (the last line of defence)', () => {
  const p: Problem = {
    file: '/w/evil\x1b]0;x\x07.json',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    severity: 'error',
    code: 'x.y',
    message: 'bad \x1b[2J text \u202e reversed \u0085 next',
    dvp: false,
  };
  const text = formatText([p], '/w');
  assert.equal(text, 'evil\\x1b]0;x\\x07.json:1:1 error bad \\x1b[2J text \\u202e reversed \\x85 next [x.y]');
  for (const json of [formatJson([p], '/w'), formatSarif([p], '/w', '0')]) {
    assert.doesNotMatch(json, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    assert.match(json, /\\u202e/);
  }
  assert.equal(JSON.parse(formatJson([p], '/w')).problems[0].message, p.message, 'JSON escapes decode to the original text');
});

test('capFindings: at most N of one rule per file, then one summary that says how many more and of which severities', () => {
  const mk = (i: number, code: string, severity: Problem['severity']): Problem => ({
    file: '/p/schema.json',
    range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
    severity,
    code,
    message: `m${i}`,
    dvp: false,
  });
  const list = [...Array.from({ length: 25 }, (_, i) => mk(i, 'a.rule', i % 5 === 0 ? 'warning' : 'error')), mk(100, 'b.rule', 'error')];
  const capped = capFindings('/p/schema.json', list, 20);
  assert.equal(capped.filter((p) => p.code === 'a.rule').length, 20);
  assert.equal(capped.filter((p) => p.code === 'b.rule').length, 1);
  const more = capped.find((p) => p.code === 'file.moreFindings')!;
  assert.equal(more.message, '... and 5 more a.rule findings in schema.json (4 errors, 1 warning), not listed: only the first 20 of each rule are. Fix those first; most of the rest usually follow from them.');
  assert.equal(more.severity, 'error');
  assert.deepEqual(more.range.start, { line: 20, character: 0 });
  assert.deepEqual(more.data, { rule: 'a.rule', hidden: { errors: 4, warnings: 1, other: 0 } });
  assert.equal(capFindings('/p/schema.json', list.slice(0, 20), 20).length, 20);
});
