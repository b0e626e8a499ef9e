// The upgrade guard in the real language server: with delphix.upgrade.baseline set to a git ref, a
// schema edit that breaks saved objects is reported as the author types, with the quick fix that
// scaffolds the migration; writing the migration in the (unsaved) code clears it.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LspTestClient, REPO_ROOT, fileUri } from '../support/lspClient';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'upgrade');
const dirs: string[] = [];
const clients: LspTestClient[] = [];

after(async () => {
  for (const c of clients) await c.dispose();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });

test('baseline setting: findings as the author types, the scaffold quick fix, cleared by the migration', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-upgrade-'));
  dirs.push(dir);
  fs.cpSync(path.join(FIXTURES, 'v1'), dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'release 1.0');
  git(dir, 'tag', 'v1.0');
  const schemaFile = path.join(dir, 'schema.json');
  const runner = path.join(dir, 'src', 'plugin_runner.py');

  const client = new LspTestClient({ settings: { upgrade: { baseline: 'v1.0' } } });
  clients.push(client);
  await client.initialize(dir);
  await client.waitFor('the plugin to be analysed', () => client.notifications.find((n) => n.method === 'delphix/pluginsChanged'));

  const v2 = fs.readFileSync(path.join(FIXTURES, 'v2', 'schema.json'), 'utf8');
  client.open(schemaFile, v2, 'json');
  const required = await client.waitFor('the new-required finding', () => client.diagnosticsFor(schemaFile)?.find((d) => d.code === 'upgrade.requiredAdded'), 20000);
  assert.equal(required.range.start.line, 33);
  assert.match(required.message, /^"retentionDays" of virtualSourceDefinition is now required\. .*baseline \(git v1\.0 \([0-9a-f]{7}\)\)/);
  const codes = client.diagnosticsFor(schemaFile)!.filter((d) => String(d.code).startsWith('upgrade.')).map((d) => d.code).sort();
  assert.deepEqual(codes, ['upgrade.constraintTightened', 'upgrade.enumValueRemoved', 'upgrade.propertyRenamed', 'upgrade.requiredAdded']);

  const actions = await client.request<{ title: string; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri: fileUri(schemaFile) },
    range: required.range,
    context: { diagnostics: [required] },
  });
  const scaffold = actions.find((a) => a.title.startsWith('Add a data migration for virtualSourceDefinition'));
  assert.ok(scaffold, JSON.stringify(actions));
  const edit = scaffold.edit.changes[fileUri(runner)][0];
  assert.match(edit.newText, /@plugin\.upgrade\.virtual_source\("\d{4}\.\d{2}\.\d{2}"\)\ndef upgrade_virtual_source_\d{4}_\d{2}_\d{2}\(old_virtual_source\):/);
  assert.match(edit.newText, /old_virtual_source\.setdefault\('retentionDays', 7\)/);

  // The author writes the migration (unsaved): the virtual source findings go, the others stay.
  client.open(runner, fs.readFileSync(runner, 'utf8') + edit.newText, 'python');
  await client.waitFor('the virtual source finding cleared', () =>
    client.diagnosticsFor(schemaFile)?.some((d) => d.code === 'upgrade.requiredAdded') ? undefined : client.diagnosticsFor(schemaFile),
  );
  assert.ok(client.diagnosticsFor(schemaFile)!.some((d) => d.code === 'upgrade.propertyRenamed'));
});
