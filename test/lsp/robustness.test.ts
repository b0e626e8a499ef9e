// The language server survives its own bugs and hostile files: a rule that throws is logged every
// time and reported once while the other rules still publish; a 10 MB schema or a YAML alias bomb gets
// a clear diagnostic within seconds; 500 edits do not grow its memory; a fixed-seed slice of the
// fuzzer (test/fuzz) finds nothing. Real server processes (dist/server.js), spoken to over stdio.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LspTestClient, REPO_ROOT, fileUri } from '../support/lspClient';
import { processMemory, mb } from '../fuzz/memory';
import { runFuzz, formatReport, DEFAULT_OPTIONS } from '../fuzz/fuzz';
import { binarySchema, deepSchema, hugeSchema, RAW_CONTROL_CHARS } from '../support/hostileFiles';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'first-plugin');
const dirs: string[] = [];
const clients: LspTestClient[] = [];

function pluginCopy(): { dir: string; schema: string; config: string; runner: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-robust-'));
  dirs.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  return { dir, schema: path.join(dir, 'schema.json'), config: path.join(dir, 'plugin_config.yml'), runner: path.join(dir, 'src', 'plugin_runner.py') };
}

async function startServer(dir: string, env?: NodeJS.ProcessEnv): Promise<LspTestClient> {
  const client = new LspTestClient({ env: env ? { ...process.env, ...env } : undefined });
  clients.push(client);
  await client.initialize(dir);
  await client.waitFor('the plugin to be analysed', () =>
    client.notifications.find((n) => n.method === 'delphix/pluginsChanged' && (n.params as { plugins: { root: string }[] }).plugins.some((p) => p.root === dir)),
  );
  return client;
}

const typo = (text: string) => text.replace('mount_location = staged_source.parameters.mount_location', 'mount_location = staged_source.parameters.mount_locaton');

before(() => {
  assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'server.js')), 'dist/server.js is missing: run `node esbuild.mjs` first');
});

after(async () => {
  for (const c of clients) await c.dispose();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('a rule that throws is logged each time, reported once, and the other rules still publish', async () => {
  const p = pluginCopy();
  const client = await startServer(p.dir, { DELPHIX_STUDIO_FAULT_INJECT: 'python' });
  const good = fs.readFileSync(p.runner, 'utf8');
  const schema = fs.readFileSync(p.schema, 'utf8');
  const config = fs.readFileSync(p.config, 'utf8');

  client.open(p.runner, typo(good), 'python');
  client.open(p.schema, schema.replace('"nameField": "name",\n        "identityFields": ["path"]', '"identityFields": ["path"]'), 'json');
  client.open(p.config, config.replace('pluginType: STAGED', 'pluginType: STAGEDX'), 'yaml');
  // The schema and config rules publish their problems although the Python rule fails on every pass.
  await client.waitFor('the schema diagnostic', () => client.diagnosticsFor(p.schema)?.find((d) => d.code === 'schema.nameField.missing'));
  await client.waitFor('the config diagnostic', () => client.diagnosticsFor(p.config)?.find((d) => /STAGEDX/.test(d.message)));
  for (let i = 0; i < 3; i++) {
    client.change(p.runner, typo(good) + `\n# edit ${i}\n`);
    await client.request('textDocument/hover', { textDocument: { uri: fileUri(p.runner) }, position: { line: 0, character: 0 } });
  }
  const logged = () => client.notifications.filter((n) => n.method === 'window/logMessage' && /\[python\] Error: fault injected into the "python" rule/.test((n.params as { message: string }).message));
  await client.waitFor('the failures in the log', () => logged().length >= 4);
  const reported = client.notifications.filter((n) => n.method === 'delphix/internalError');
  assert.deepEqual(
    reported.map((n) => n.params),
    [{ rule: 'python', message: 'fault injected into the "python" rule by DELPHIX_STUDIO_FAULT_INJECT (a test-only setting)' }],
  );
  assert.equal((logged()[0].params as { type: number }).type, 1, 'logged as an error');
  // The failing rule publishes nothing (its typo goes unreported), and the server still answers.
  assert.equal(client.diagnosticsFor(p.runner)?.some((d) => /mount_locaton/.test(d.message)) ?? false, false);
  const plugins = await client.request<{ root: string; errors: number }[]>('delphix/plugins', {});
  assert.equal(plugins.find((x) => x.root === p.dir)!.errors, 2);
  assert.equal(client.exitStatus, undefined);
});

test('without the fault the same Python typo is reported (the test above is not vacuous)', async () => {
  const p = pluginCopy();
  const client = await startServer(p.dir);
  client.open(p.runner, typo(fs.readFileSync(p.runner, 'utf8')), 'python');
  await client.waitFor('the Python diagnostic', () => client.diagnosticsFor(p.runner)?.find((d) => /mount_locaton/.test(d.message)));
  assert.equal(client.notifications.filter((n) => n.method === 'delphix/internalError').length, 0);
});

test('a 51 MB, a 10,000-deep and a binary schema.json on disk: errors within seconds, bounded server memory, no control character, repeated findings capped', async () => {
  const p = pluginCopy();
  fs.writeFileSync(p.schema, hugeSchema());
  let t0 = Date.now();
  const client = await startServer(p.dir);
  const tooLarge = await client.waitFor('file.tooLarge', () => client.diagnosticsFor(p.schema)?.find((d) => d.code === 'file.tooLarge'), 20000);
  assert.equal(tooLarge.severity, 1, 'a file that could not be checked is an error');
  assert.match(tooLarge.message, /^This file is too large to check \(5[0-2](\.\d)? MB; the limit is 8 MB\), so it was not checked/);
  assert.ok(Date.now() - t0 < 20000, `${Date.now() - t0} ms`);
  // The size is checked before the file is read: the server never holds the 51 MB.
  const peak = processMemory(client.pid!)!.peak;
  assert.ok(mb(peak) < 400, `server peak RSS ${mb(peak)} MB`);

  fs.writeFileSync(p.schema, deepSchema());
  t0 = Date.now();
  client.watchedFilesChanged([{ file: p.schema, type: 2 }]);
  const tooDeep = await client.waitFor('schema.tooDeep', () => client.diagnosticsFor(p.schema)?.find((d) => d.code === 'schema.tooDeep'), 10000);
  assert.equal(tooDeep.severity, 1);
  assert.match(tooDeep.message, /^Nested more than 512 levels deep here, too deep to check; the build and the sync refuse it too\./);
  assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);

  fs.writeFileSync(p.schema, binarySchema());
  client.watchedFilesChanged([{ file: p.schema, type: 2 }]);
  const diags = await client.waitFor('the capped findings', () => {
    const d = client.diagnosticsFor(p.schema);
    return d?.some((x) => x.code === 'file.moreFindings') ? d : undefined;
  }, 10000);
  for (const d of diags) assert.doesNotMatch(d.message, RAW_CONTROL_CHARS, JSON.stringify(d.message));
  const perRule = new Map<string, number>();
  for (const d of diags) perRule.set(String(d.code), (perRule.get(String(d.code)) ?? 0) + 1);
  for (const [rule, n] of perRule) if (rule !== 'file.moreFindings') assert.ok(n <= 20, `${rule}: ${n}`);
  assert.ok(diags.some((d) => /^\.\.\. and \d+ more schema\.syntax\.[\w.]+ findings in schema\.json \(\d+ errors?\), not listed/.test(d.message)));
  // The plugin's totals count the findings left out of the list too.
  const hidden = diags.filter((d) => d.code === 'file.moreFindings').reduce((n, d) => n + Number(/and (\d+) more/.exec(d.message)![1]), 0);
  const shown = diags.filter((d) => d.code !== 'file.moreFindings' && d.severity === 1).length;
  const info = (await client.request<{ root: string; errors: number }[]>('delphix/plugins', {})).find((x) => x.root === p.dir)!;
  assert.equal(info.errors, shown + hidden);
  assert.equal(client.exitStatus, undefined);
});

test('a 10 MB schema, an alias bomb and 10,000 nested brackets get clear diagnostics within seconds', async () => {
  const p = pluginCopy();
  const client = await startServer(p.dir);
  const base = JSON.parse(fs.readFileSync(p.schema, 'utf8')) as Record<string, { properties: Record<string, unknown> }>;
  for (let i = 0; i < 120_000; i++) base.repositoryDefinition.properties[`prop${i}`] = { type: 'string', prettyName: `Property ${i}`, description: 'x' };
  const big = JSON.stringify(base, null, 2);
  assert.ok(big.length > 10 * 1024 * 1024, `${big.length}`);

  let t0 = Date.now();
  client.open(p.schema, big, 'json');
  const tooLarge = await client.waitFor('file.tooLarge', () => client.diagnosticsFor(p.schema)?.find((d) => d.code === 'file.tooLarge'), 10000);
  const bigMs = Date.now() - t0;
  assert.equal(tooLarge.severity, 1, 'a file that could not be checked is an error');
  assert.deepEqual(tooLarge.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  assert.match(tooLarge.message, /^This file is too large to check \(1[0-9](\.\d)? MB; the limit is 8 MB\), so it was not checked, and the build and the sync refuse it too\. A plugin's schema\.json is normally a few kilobytes/);
  assert.ok(bigMs < 5000, `10 MB schema answered after ${bigMs} ms`);
  // Completion and hover in the file answer (empty) instead of parsing 10 MB again.
  t0 = Date.now();
  const items = await client.request<unknown[]>('textDocument/completion', { textDocument: { uri: fileUri(p.schema) }, position: { line: 5, character: 10 } });
  assert.deepEqual(items, []);
  assert.ok(Date.now() - t0 < 3000, `completion took ${Date.now() - t0} ms`);

  const deep = '{"repositoryDefinition": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
  t0 = Date.now();
  client.change(p.schema, deep);
  const tooDeep = await client.waitFor('schema.tooDeep', () => client.diagnosticsFor(p.schema)?.find((d) => d.code === 'schema.tooDeep'), 10000);
  assert.deepEqual(tooDeep.range, { start: { line: 0, character: 536 }, end: { line: 0, character: 537 } });
  assert.equal(tooDeep.severity, 1, 'a file that could not be checked is an error');
  assert.match(tooDeep.message, /^Nested more than 512 levels deep here, too deep to check; the build and the sync refuse it too\./);
  assert.ok(Date.now() - t0 < 3000, `deep schema answered after ${Date.now() - t0} ms`);

  const letters = 'abcdefghi'.split('');
  const bomb =
    fs.readFileSync(p.config, 'utf8') +
    letters.map((l, i) => (i === 0 ? `${l}: &${l} [${Array(9).fill('"lol"').join(', ')}]` : `${l}: &${l} [${Array(9).fill('*' + letters[i - 1]).join(', ')}]`)).join('\n') +
    '\nname: *i\n';
  t0 = Date.now();
  client.open(p.config, bomb, 'yaml');
  const expansion = await client.waitFor('config.aliasExpansion', () => client.diagnosticsFor(p.config)?.find((d) => d.code === 'config.aliasExpansion'), 10000);
  assert.equal(expansion.severity, 1);
  assert.match(expansion.message, /^The aliases expand to more than 10000 values here; write the values out instead\./);
  assert.ok(Date.now() - t0 < 3000, `alias bomb answered after ${Date.now() - t0} ms`);
  assert.equal(client.exitStatus, undefined);
});

test('500 edits of a mid-size schema do not grow the server memory without bound', async () => {
  const p = pluginCopy();
  const client = await startServer(p.dir);
  const base = JSON.parse(fs.readFileSync(p.schema, 'utf8')) as Record<string, { properties: Record<string, unknown> }>;
  for (let i = 0; i < 300; i++) base.linkedSourceDefinition.properties[`setting${i}`] = { type: i % 2 ? 'string' : 'integer', prettyName: `Setting ${i}`, description: 'x', default: i % 2 ? 'a' : 1 };
  const text = (i: number) => JSON.stringify(base, null, 2).replace('"Setting 0"', `"Setting 0 (edit ${i})"`);
  assert.ok(text(0).length > 40_000);
  client.open(p.schema, text(0), 'json');
  const pid = client.pid!;
  const samples: number[] = [];
  for (let i = 1; i <= 500; i++) {
    client.change(p.schema, text(i));
    // Every feature request re-analyses the plugin first: one full pass per edit.
    await client.request('textDocument/hover', { textDocument: { uri: fileUri(p.schema) }, position: { line: 3, character: 10 } });
    if (i % 50 === 0) samples.push(processMemory(pid)!.rss);
  }
  // RSS moves with the garbage collector's rhythm: compare the middle of a few samples once caches and
  // JIT are warm (edits 100-200) with the middle of the last few (edits 400-500).
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const growth = mb(median(samples.slice(-3)) - median(samples.slice(1, 4)));
  console.log(`server RSS every 50 edits (MB): ${samples.map(mb).join(', ')}; growth from edits 100-200 to 400-500: ${growth} MB`);
  assert.ok(growth < 60, `RSS grew by ${growth} MB from edits 100-200 to 400-500: ${samples.map(mb).join(', ')}`);
  assert.equal(client.exitStatus, undefined);
});

test('a fixed-seed slice of the LSP fuzzer: every request answered, no exit, within bounds', async () => {
  const report = await runFuzz({ ...DEFAULT_OPTIONS, seed: 11, seconds: 240, iterations: 30, targets: ['lsp'], hangMs: 10000 });
  console.log(formatReport(report, { ...DEFAULT_OPTIONS, seconds: 240 }));
  assert.deepEqual(report.findings, []);
  assert.equal(report.lsp!.crashes, 0);
  assert.equal(report.lsp!.hangs, 0);
  assert.ok(report.lsp!.inputs >= 20, `only ${report.lsp!.inputs} inputs in the time`);
  assert.ok(report.ok);
});
