// Issue 12 through the real language server over stdio: the cross-check's editor features work where
// the plugin hands its inputs to a helper class (test/fixtures/python/styles/controller-py3: the
// operations build LinkedController(staged_source, ...), which keeps them on self and in a PluginConfig
// holder; the reads live in controllers/linked.py).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LspTestClient, REPO_ROOT, fileUri } from '../support/lspClient';
import { LineIndex } from '../../core/text';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'python', 'styles', 'controller-py3');
let dir: string;
let client: LspTestClient;
let schemaFile: string;
let linked: string;
let runner: string;
let virtual: string;

type Items = { label: string }[] | { items: { label: string }[] };
type Edits = { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };

/** Position of the `n`-th occurrence of `needle` plus `delta` characters. */
const pos = (text: string, needle: string, delta = 0, n = 0) => {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${n}) not in text`);
  }
  return new LineIndex(text).positionAt(at + delta);
};
const lineOf = (text: string, needle: string) => pos(text, needle).line;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-styles-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  schemaFile = path.join(dir, 'schema.json');
  linked = path.join(dir, 'src', 'controllers', 'linked.py');
  virtual = path.join(dir, 'src', 'controllers', 'virtual.py');
  runner = path.join(dir, 'src', 'plugin_runner.py');
  client = new LspTestClient();
  await client.initialize(dir);
  await client.waitFor('the plugin to be analysed', () =>
    client.notifications.find((n) => n.method === 'delphix/pluginsChanged' && (n.params as { plugins: { root: string }[] }).plugins.some((p) => p.root === dir)),
  );
});

after(async () => {
  await client.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the helper-class fixture has no errors in the editor', async () => {
  const plugins = await client.request<{ root: string; errors: number }[]>('delphix/plugins', {});
  assert.equal(plugins.find((x) => x.root === dir)?.errors, 0);
});

test('a misspelling inside the helper class is published, with a quick fix to the right name', async () => {
  const good = fs.readFileSync(linked, 'utf8');
  const bad = good.replace('return self.config.staged_source.parameters.source_port', 'return self.config.staged_source.parameters.source_prt');
  assert.notEqual(bad, good);
  client.open(linked, bad, 'python');
  try {
    const d = await client.waitFor('the diagnostic in linked.py', () => client.diagnosticsFor(linked)?.find((x) => /source_prt/.test(x.message)), 15000);
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: pos(bad, 'source_prt'), end: pos(bad, 'source_prt', 'source_prt'.length) });
    assert.match(d.message, /Did you mean `source_port`/);
    const actions = await client.request<{ title: string; edit?: Edits }[]>('textDocument/codeAction', {
      textDocument: { uri: fileUri(linked) },
      range: d.range,
      context: { diagnostics: [d] },
    });
    assert.ok(actions.some((a) => a.edit?.changes[fileUri(linked)]?.some((e) => e.newText === 'source_port')), JSON.stringify(actions.map((a) => a.title)));
  } finally {
    client.change(linked, good);
    await client.waitFor('diagnostic cleared', () => (client.diagnosticsFor(linked)?.some((x) => /source_prt/.test(x.message)) ? undefined : true));
    client.close(linked);
  }
});

test('hover on a read through self.config names the schema property and how the value was traced', async () => {
  const text = fs.readFileSync(linked, 'utf8');
  client.open(linked, text, 'python');
  try {
    const at = pos(text, 'self.config.staged_source.parameters.source_port', 'self.config.staged_source.parameters.'.length + 2);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: fileUri(linked) }, position: at });
    assert.ok(hover, 'a hover');
    const value = hover.contents.value;
    assert.ok(value.includes('sourcePort') && value.includes('Source Port'), value);
    // The issue asks the hover to say how the value was traced (staged_source → LinkedController(...) → self.config → .parameters).
    assert.ok(value.includes('self.config') && value.includes('LinkedController'), value);
  } finally {
    client.close(linked);
  }
});

test('go to definition from a read in the helper class lands on the linked source property', async () => {
  const text = fs.readFileSync(linked, 'utf8');
  client.open(linked, text, 'python');
  try {
    const at = pos(text, 'self._get_params().backup_location', 'self._get_params().'.length + 1);
    const defs = await client.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri: fileUri(linked) }, position: at });
    const schema = fs.readFileSync(schemaFile, 'utf8');
    assert.equal(defs.length, 1, JSON.stringify(defs));
    assert.equal(defs[0].uri, fileUri(schemaFile));
    assert.equal(defs[0].range.start.line, lineOf(schema, '"backupLocation": {'));
  } finally {
    client.close(linked);
  }
});

test('completion after self.config.staged_source.parameters. offers the linked source properties', async () => {
  const good = fs.readFileSync(linked, 'utf8');
  const typed = good.replace('return self.config.staged_source.parameters.source_port', 'return self.config.staged_source.parameters.');
  client.open(linked, typed, 'python');
  try {
    const at = pos(typed, 'self.config.staged_source.parameters.\n', 'self.config.staged_source.parameters.'.length);
    const comp = await client.request<Items>('textDocument/completion', { textDocument: { uri: fileUri(linked) }, position: at });
    const labels = (Array.isArray(comp) ? comp : comp.items).map((i) => i.label);
    assert.deepEqual([...labels].sort(), [
      'backup_location',
      'cluster_nodes',
      'db_name',
      'enable_compression',
      'mount_path',
      'retention_days',
      'source_host',
      'source_port',
      'ssh_user',
      'tuning_settings',
    ]);
  } finally {
    client.change(linked, good);
    client.close(linked);
  }
});

test('completion after the @property params of the helper class offers the same names', async () => {
  const good = fs.readFileSync(linked, 'utf8');
  const typed = good.replace('return self.params.source_host', 'return self.params.');
  client.open(linked, typed, 'python');
  try {
    const at = pos(typed, 'return self.params.\n', 'return self.params.'.length);
    const comp = await client.request<Items>('textDocument/completion', { textDocument: { uri: fileUri(linked) }, position: at });
    const labels = (Array.isArray(comp) ? comp : comp.items).map((i) => i.label);
    assert.ok(labels.includes('source_host') && labels.includes('mount_path') && !labels.includes('target_port'), labels.join(','));
  } finally {
    client.change(linked, good);
    client.close(linked);
  }
});

test("rename of linkedSourceDefinition's mountPath from the schema edits the helper class's reads, and nothing of the plugin's own", async () => {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  client.open(schemaFile, schema, 'json');
  try {
    const at = pos(schema, '"mountPath"', 3, 0);
    assert.ok(at.line < lineOf(schema, '"virtualSourceDefinition"') && at.line > lineOf(schema, '"linkedSourceDefinition"'), 'the linked mountPath');
    const edit = await client.request<Edits>('textDocument/rename', { textDocument: { uri: fileUri(schemaFile) }, position: at, newName: 'stagingPath' });
    const text = fs.readFileSync(linked, 'utf8');
    const edits = (edit.changes[fileUri(linked)] ?? []).map((e) => [e.range.start.line, e.range.start.character, e.newText]).sort();
    // The two reads of staged_source.parameters.mount_path (directly, and through self.config); not the
    // controller's own `def mount_path` nor `self.mount_path` (a property of the plugin's class).
    const expected = [
      pos(text, 'return self.staged_source.parameters.mount_path', 'return self.staged_source.parameters.'.length),
      pos(text, 'return self.config.staged_source.parameters.mount_path', 'return self.config.staged_source.parameters.'.length),
    ].map((p) => [p.line, p.character, 'staging_path']).sort();
    assert.deepEqual(edits, expected);
    // virtual.py reads the virtual definition's mountPath; plugin_runner.py only the controller's property.
    assert.deepEqual(edit.changes[fileUri(virtual)] ?? [], []);
    assert.deepEqual(edit.changes[fileUri(runner)] ?? [], []);
  } finally {
    client.close(schemaFile);
  }
});

test('references of backupLocation from the schema include the reads in the helper class', async () => {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  client.open(schemaFile, schema, 'json');
  try {
    const refs = await client.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/references', {
      textDocument: { uri: fileUri(schemaFile) },
      position: pos(schema, '"backupLocation"', 3),
      context: { includeDeclaration: false },
    });
    const text = fs.readFileSync(linked, 'utf8');
    const lines = refs.filter((r) => r.uri === fileUri(linked)).map((r) => r.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [lineOf(text, 'return self._get_params().backup_location'), lineOf(text, '"BACKUP": self.params.backup_location')].sort((a, b) => a - b));
  } finally {
    client.close(schemaFile);
  }
});
