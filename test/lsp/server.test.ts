// Protocol tests: the real bundled language server as a child process, spoken to over stdio.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LspTestClient, REPO_ROOT, fileUri } from '../support/lspClient';
import { analyzeSchema } from '../../core/schema/analyzeSchema';
import { LineIndex } from '../../core/text';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'first-plugin');
let dir: string;
let client: LspTestClient;
let schemaFile: string;
let configFile: string;
let runner: string;

function copyDir(from: string, to: string) {
  fs.cpSync(from, to, { recursive: true, filter: (s) => !s.includes(`${path.sep}.delphix${path.sep}sandbox`) });
}

const pos = (text: string, needle: string, delta = 0) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not in text`);
  return new LineIndex(text).positionAt(i + delta);
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-test-'));
  copyDir(EXAMPLE, dir);
  schemaFile = path.join(dir, 'schema.json');
  configFile = path.join(dir, 'plugin_config.yml');
  runner = path.join(dir, 'src', 'plugin_runner.py');
  client = new LspTestClient();
  const init = (await client.initialize(dir)) as { capabilities: Record<string, unknown> };
  assert.ok(init.capabilities.completionProvider);
  assert.ok(init.capabilities.renameProvider);
  await client.waitFor('the plugin to be analysed', () =>
    client.notifications.find((n) => n.method === 'delphix/pluginsChanged' && (n.params as { plugins: { root: string }[] }).plugins.some((p) => p.root === dir)),
  );
});

after(async () => {
  await client.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the example plugin has no errors', async () => {
  const plugins = await client.request<{ root: string; errors: number; warnings: number; pluginType: string; name: string }[]>('delphix/plugins', {});
  const p = plugins.find((x) => x.root === dir)!;
  assert.equal(p.errors, 0);
  assert.equal(p.pluginType, 'STAGED');
  assert.equal(p.name, 'First Plugin');
});

test('an unsaved edit of schema.json publishes the same diagnostics as the core, at the same ranges', async () => {
  const good = fs.readFileSync(schemaFile, 'utf8');
  const bad = good.replace('"nameField": "name",\n        "identityFields": ["path"]', '"identityFields": ["path"]');
  assert.notEqual(bad, good);
  client.open(schemaFile, bad, 'json');
  const diags = await client.waitFor('nameField diagnostic', () => {
    const d = client.diagnosticsFor(schemaFile);
    return d && d.some((x) => x.code === 'schema.nameField.missing') ? d : undefined;
  });
  const expected = analyzeSchema(schemaFile, bad).problems;
  assert.deepEqual(
    diags.map((d) => [d.code, d.range, d.severity, d.message, d.source]),
    expected.map((p) => [p.code, p.range, p.severity === 'error' ? 1 : p.severity === 'warning' ? 2 : 3, p.message, 'delphix']),
  );
  const d = diags.find((x) => x.code === 'schema.nameField.missing')!;
  assert.equal(d.severity, 1);
  assert.match(d.message, /sourceConfigDefinition/);
  // Fixing the text clears them.
  client.change(schemaFile, good);
  await client.waitFor('diagnostics cleared', () => (client.diagnosticsFor(schemaFile)?.length === 0 ? true : undefined));
  client.close(schemaFile);
});

test("the SDK tutorial's truncated snippet gives an error at each missing brace", async () => {
  const good = fs.readFileSync(schemaFile, 'utf8');
  // The tutorial's snippet: each property object of linkedSourceDefinition lacks its closing brace.
  const broken = good
    .replace('"description": "IP or FQDN of host from which to copy"\n            },', '"description": "IP or FQDN of host from which to copy"')
    .replace('"description": "Username for making SSH connection to source host"\n            },', '"description": "Username for making SSH connection to source host"');
  assert.notEqual(broken, good);
  client.open(schemaFile, broken, 'json');
  const diags = await client.waitFor('syntax errors', () => {
    const d = client.diagnosticsFor(schemaFile)?.filter((x) => String(x.code).startsWith('schema.syntax'));
    return d && d.length >= 2 ? d : undefined;
  });
  const lines = diags.map((d) => d.range.start.line);
  const text = new LineIndex(broken);
  const after1 = text.positionAt(broken.indexOf('"IP or FQDN of host from which to copy"')).line;
  const after2 = text.positionAt(broken.indexOf('"Username for making SSH connection to source host"')).line;
  assert.ok(lines.includes(after1) || lines.includes(after1 + 1), `an error near line ${after1 + 1}, got ${lines.map((l) => l + 1)}`);
  assert.ok(lines.includes(after2) || lines.includes(after2 + 1), `an error near line ${after2 + 1}, got ${lines.map((l) => l + 1)}`);
  client.change(schemaFile, good);
  await client.waitFor('diagnostics cleared', () => (client.diagnosticsFor(schemaFile)?.length === 0 ? true : undefined));
  client.close(schemaFile);
});

test('an unsaved edit of plugin_config.yml points at the offending value', async () => {
  const good = fs.readFileSync(configFile, 'utf8');
  const bad = good.replace('pluginType: STAGED', 'pluginType: staged');
  client.open(configFile, bad, 'yaml');
  const d = await client.waitFor('enum diagnostic', () => client.diagnosticsFor(configFile)?.find((x) => x.code === 'config.enum'));
  assert.deepEqual(d.range, { start: pos(bad, 'staged'), end: pos(bad, 'staged', 'staged'.length) });
  assert.match(d.message, /STAGED/);
  // The quick fix replaces the value.
  const actions = await client.request<{ title: string; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri: fileUri(configFile) },
    range: d.range,
    context: { diagnostics: [d] },
  });
  assert.ok(actions.some((a) => a.edit.changes[fileUri(configFile)]?.some((e) => e.newText === 'STAGED')), JSON.stringify(actions));
  client.change(configFile, good);
  await client.waitFor('diagnostics cleared', () => (client.diagnosticsFor(configFile)?.some((x) => x.severity === 1) ? undefined : true));
  client.close(configFile);
});

test('a change on disk of a file that is not open is picked up', async () => {
  const moved = path.join(dir, 'src', 'renamed_runner.py');
  fs.renameSync(runner, moved);
  client.watchedFilesChanged([
    { file: runner, type: 3 },
    { file: moved, type: 1 },
  ]);
  const d = await client.waitFor('entry module diagnostic', () => client.diagnosticsFor(configFile)?.find((x) => x.severity === 1 && /plugin_runner/.test(x.message)));
  assert.ok(d);
  fs.renameSync(moved, runner);
  client.watchedFilesChanged([
    { file: moved, type: 3 },
    { file: runner, type: 1 },
  ]);
  await client.waitFor('diagnostic cleared', () => (client.diagnosticsFor(configFile)?.some((x) => x.severity === 1) ? undefined : true));
});

test('completion and hover in schema.json and plugin_config.yml', async () => {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  client.open(schemaFile, schema, 'json');
  const at = pos(schema, '"format": "unixpath"', '"format": "'.length);
  const items = await client.request<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', { textDocument: { uri: fileUri(schemaFile) }, position: at });
  const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
  assert.ok(labels.includes('unixpath') && labels.includes('password') && labels.includes('reference'), labels.join(','));
  const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: fileUri(schemaFile) }, position: pos(schema, '"nameField"', 2) });
  assert.ok(hover && /name/i.test(hover.contents.value));
  const keyHover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: fileUri(schemaFile) }, position: pos(schema, '"mountLocation"', 3) });
  assert.ok(keyHover && keyHover.contents.value.includes('mount_location'), keyHover?.contents.value);
  client.close(schemaFile);

  const config = fs.readFileSync(configFile, 'utf8');
  client.open(configFile, config, 'yaml');
  const ci = await client.request<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', { textDocument: { uri: fileUri(configFile) }, position: pos(config, 'STAGED') });
  const cl = (Array.isArray(ci) ? ci : ci.items).map((i) => i.label);
  assert.ok(cl.includes('STAGED') && cl.includes('DIRECT'), cl.join(','));
  client.close(configFile);
});

test('a mistyped parameters name in Python: diagnostic, quick fix, hover, definition, completion', async () => {
  const good = fs.readFileSync(runner, 'utf8');
  const bad = good.replace('mount_location = staged_source.parameters.mount_location', 'mount_location = staged_source.parameters.mount_locaton');
  client.open(runner, bad, 'python');
  const d = await client.waitFor('unknown attribute', () => client.diagnosticsFor(runner)?.find((x) => /mount_locaton/.test(x.message)));
  assert.deepEqual(d.range, { start: pos(bad, 'mount_locaton'), end: pos(bad, 'mount_locaton', 'mount_locaton'.length) });
  const actions = await client.request<{ title: string; isPreferred?: boolean; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri: fileUri(runner) },
    range: d.range,
    context: { diagnostics: [d] },
  });
  const fix = actions.find((a) => a.edit.changes[fileUri(runner)]?.some((e) => e.newText === 'mount_location'));
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.ok(actions.some((a) => a.edit.changes[fileUri(schemaFile)]), 'a fix that adds the property to schema.json');
  client.change(runner, good);
  await client.waitFor('diagnostic cleared', () => (client.diagnosticsFor(runner)?.some((x) => /mount_locaton/.test(x.message)) ? undefined : true));

  const use = pos(good, 'staged_source.parameters.mount_location', 'staged_source.parameters.'.length + 2);
  const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: fileUri(runner) }, position: use });
  assert.ok(hover && hover.contents.value.includes('mountLocation') && hover.contents.value.includes('Mount Location on Staging Host'), hover?.contents.value);
  const defs = await client.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri: fileUri(runner) }, position: use });
  const schema = fs.readFileSync(schemaFile, 'utf8');
  assert.equal(defs.length, 1);
  assert.equal(defs[0].uri, fileUri(schemaFile));
  // The linkedSourceDefinition's mountLocation, not the virtual one.
  const lineOfLinked = new LineIndex(schema).positionAt(schema.indexOf('"mountLocation": {', schema.indexOf('"linkedSourceDefinition"'))).line;
  assert.equal(defs[0].range.start.line, lineOfLinked);

  const typed = good.replace('mount_location = staged_source.parameters.mount_location', 'mount_location = staged_source.parameters.');
  client.change(runner, typed);
  const after = pos(typed, 'staged_source.parameters.\n', 'staged_source.parameters.'.length);
  const comp = await client.request<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', { textDocument: { uri: fileUri(runner) }, position: after });
  const labels = (Array.isArray(comp) ? comp : comp.items).map((i) => i.label);
  assert.deepEqual([...labels].sort(), ['mount_location', 'source_address', 'username']);
  client.change(runner, good);
  client.close(runner);
});

test('rename a schema property renames every Python use in one edit', async () => {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  client.open(schemaFile, schema, 'json');
  const at = pos(schema, '"sourceAddress"', 3);
  const prep = await client.request<{ placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: fileUri(schemaFile) }, position: at });
  assert.equal(prep?.placeholder, 'sourceAddress');
  const edit = await client.request<{ changes: Record<string, { newText: string }[]> }>('textDocument/rename', { textDocument: { uri: fileUri(schemaFile) }, position: at, newName: 'sourceHost' });
  assert.ok(edit.changes[fileUri(schemaFile)].some((e) => e.newText.includes('sourceHost')));
  const pyEdits = edit.changes[fileUri(runner)];
  assert.equal(pyEdits.length, 2);
  assert.ok(pyEdits.every((e) => e.newText === 'source_host'));
  const refs = await client.request<{ uri: string }[]>('textDocument/references', { textDocument: { uri: fileUri(schemaFile) }, position: at, context: { includeDeclaration: true } });
  assert.equal(refs.filter((r) => r.uri === fileUri(runner)).length, 2);
  client.close(schemaFile);
});

test('the server keeps answering after a request it cannot serve', async () => {
  const r = await client.request<unknown>('textDocument/hover', { textDocument: { uri: fileUri(path.join(dir, 'nowhere.py')) }, position: { line: 99, character: 99 } });
  assert.equal(r, null);
  assert.equal(client.exited, false);
});

test('code lenses offer a simulated sync above the linked operations', async () => {
  const text = fs.readFileSync(runner, 'utf8');
  client.open(runner, text, 'python');
  const lenses = await client.request<{ range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: fileUri(runner) } });
  const lines = new LineIndex(text);
  const opLine = (decorator: string) => lines.positionAt(text.indexOf(decorator)).line;
  const expected = ['@plugin.linked.mount_specification()', '@plugin.linked.pre_snapshot()', '@plugin.linked.post_snapshot()'];
  for (const d of expected) {
    const near = lenses.filter((l) => l.range.start.line === opLine(d));
    assert.deepEqual(near.map((l) => l.command.command).sort(), ['delphix.debugSync', 'delphix.syncDSource'], `lenses at ${d}`);
    assert.deepEqual(near[0].command.arguments, [dir]);
  }
  assert.equal(lenses.length, 6);
  client.close(runner);
});

test('a sync profile: values checked against the plugin schema, completion of its property names', async () => {
  const profileFile = path.join(dir, '.delphix', 'sync', 'local.json');
  const good = fs.readFileSync(profileFile, 'utf8');
  const bad = good.replace('"mountLocation": "/mnt/provision/first-plugin"', '"mountLocation": 42');
  assert.notEqual(bad, good);
  client.open(profileFile, bad, 'json');
  const d = await client.waitFor('profile diagnostic', () => client.diagnosticsFor(profileFile)?.find((x) => x.severity === 1));
  assert.equal(d.range.start.line, pos(bad, '42').line);
  const typed = good.replace('"username": "delphix",', '"",');
  client.change(profileFile, typed);
  const at = pos(typed, '"",', 1);
  const items = await client.request<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', { textDocument: { uri: fileUri(profileFile) }, position: at });
  const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
  // The one property of linkedSourceDefinition the profile does not set yet.
  assert.deepEqual(labels, ['username']);
  client.change(profileFile, good);
  await client.waitFor('diagnostics cleared', () => (client.diagnosticsFor(profileFile)?.some((x) => x.severity === 1) ? undefined : true));
  client.close(profileFile);
});

test('renaming a schema property renames its key in the sync profiles too', async () => {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  const profileFile = path.join(dir, '.delphix', 'sync', 'local.json');
  const edit = await client.request<{ changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]> }>('textDocument/rename', {
    textDocument: { uri: fileUri(schemaFile) },
    position: pos(schema, '"username": {', 3),
    newName: 'sshUser',
  });
  const profileEdits = edit.changes[fileUri(profileFile)];
  assert.equal(profileEdits?.length, 1, JSON.stringify(Object.keys(edit.changes)));
  const profile = fs.readFileSync(profileFile, 'utf8');
  assert.deepEqual(profileEdits[0].range.start, pos(profile, '"username"'));
  assert.equal(profileEdits[0].newText, '"sshUser"');
});

test('a plugin folder reported only as a created folder is discovered', async () => {
  const copy = path.join(dir, 'copied-plugin');
  copyDir(EXAMPLE, copy);
  client.watchedFilesChanged([{ file: copy, type: 1 }]);
  const plugins = await client.waitFor('the copied plugin in the list', () => {
    const n = [...client.notifications].reverse().find((x) => x.method === 'delphix/pluginsChanged');
    const list = (n?.params as { plugins: { root: string }[] } | undefined)?.plugins;
    return list?.some((p) => p.root === copy) ? list : undefined;
  });
  assert.ok(plugins.some((p) => p.root === dir));
  // A folder created inside a sandbox does not make the server look again.
  const before = client.notifications.length;
  const sandboxDir = path.join(dir, '.delphix', 'sandbox', 'x');
  fs.mkdirSync(sandboxDir, { recursive: true });
  client.watchedFilesChanged([{ file: sandboxDir, type: 1 }]);
  await client.request('delphix/plugins', {});
  assert.equal(client.notifications.slice(before).filter((x) => x.method === 'delphix/pluginsChanged').length, 0);
  fs.rmSync(copy, { recursive: true, force: true });
  client.watchedFilesChanged([{ file: copy, type: 3 }]);
  const after = await client.request<{ root: string }[]>('delphix/plugins', {});
  assert.deepEqual(after.map((p) => p.root), [dir], 'a deleted plugin folder is forgotten');
});
