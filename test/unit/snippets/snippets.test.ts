import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pythonSnippets, schemaSnippets } from '../../../core/snippets/snippets';
import { OPERATIONS } from '../../../core/sdk/operations';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

test('the committed snippet files are the ones generated from the operation table', () => {
  const py = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'python.json'), 'utf8'));
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'schema.json'), 'utf8'));
  assert.deepEqual(py, JSON.parse(JSON.stringify(pythonSnippets())), 'run `npm run snippets` to regenerate snippets/python.json');
  assert.deepEqual(schema, JSON.parse(JSON.stringify(schemaSnippets())), 'run `npm run snippets` to regenerate snippets/schema.json');
});

test('every operation has a snippet whose decorator and parameters are exactly the SDK\'s', () => {
  const snippets = pythonSnippets();
  for (const op of OPERATIONS) {
    for (const type of ['STAGED', 'DIRECT'] as const) {
      const args = op.args[type];
      if (!args) continue;
      const match = Object.values(snippets).find(
        (s) => s.body[0].includes(`.${op.id}(`) && s.body[1].endsWith(`(${args.join(', ')}):`),
      );
      assert.ok(match, `no snippet for ${op.id} with (${args.join(', ')}) for ${type}`);
      assert.match(match.body[0], /^@\$\{1:plugin\}\./);
    }
  }
});

test('the tutorial rsync snippet quotes what it passes to the shell', () => {
  const s = pythonSnippets()['linked.pre_snapshot with rsync (tutorial)'];
  assert.ok(s.body.some((l) => l.includes('shlex.quote(data_location)')));
  assert.ok(s.body[1].endsWith('(staged_source, repository, source_config, optional_snapshot_parameters):'));
});

test('the committed sync profile schema is the one the core validates with', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { SYNC_PROFILE_SCHEMA } = require('../../../core/sync/profileSchema');
  const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'sync-profile.schema.json'), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(SYNC_PROFILE_SCHEMA)), 'run `npm run snippets` to regenerate schemas/sync-profile.schema.json');
});
