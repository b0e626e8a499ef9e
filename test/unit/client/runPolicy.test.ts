// The decisions around a run, without VS Code: which save policy applies, what the save prompt and the
// errors question say, and what a failed sync's notification says and where its button goes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { errorsQuestion, locationButton, resolveSaveBeforeRun, savePrompt, syncFailureNotice } from '../../../client/src/runPolicy';
import { runSync } from '../../../core/sync/orchestrator';
import { copyPlugin, fixtureProfile } from '../sync/helpers';
import * as fs from 'fs';

describe('saveBeforeRun', () => {
  it('follows VS Code task.saveBeforeRun by default, whose own default is always', () => {
    assert.equal(resolveSaveBeforeRun('default', undefined), 'always');
    assert.equal(resolveSaveBeforeRun(undefined, 'prompt'), 'prompt');
    assert.equal(resolveSaveBeforeRun('default', 'never'), 'never');
    assert.equal(resolveSaveBeforeRun('prompt', 'never'), 'prompt');
    assert.equal(resolveSaveBeforeRun('bogus', 'bogus'), 'always');
  });

  it('asks with a proper plural and lists the files relative to the plugin', () => {
    assert.deepEqual(savePrompt(['/p/schema.json'], '/p', 'the simulated sync'), { message: 'Save 1 unsaved file before the simulated sync?', detail: 'schema.json' });
    assert.deepEqual(savePrompt(['/p/schema.json', '/p/src/plugin_runner.py'], '/p', 'building'), {
      message: 'Save 2 unsaved files before building?',
      detail: `schema.json\n${path.join('src', 'plugin_runner.py')}`,
    });
  });

  it('says how many errors, in the right number', () => {
    assert.equal(errorsQuestion(1, 'first-plugin'), '1 error in first-plugin: it is listed in the Problems view.');
    assert.equal(errorsQuestion(3, 'first-plugin'), '3 errors in first-plugin: they are listed in the Problems view.');
  });
});

describe('the failure notification of a sync', () => {
  it("puts the cause in one line and goes to schema.json's line for a required typo", async () => {
    const plugin = copyPlugin();
    try {
      const schemaFile = path.join(plugin.root, 'schema.json');
      const text = fs.readFileSync(schemaFile, 'utf8');
      fs.writeFileSync(schemaFile, text.replace(/("required": \[\s*"sourceAddress",\s*)"username"/, '$1"usernme"'));
      plugin.writeProfile(fixtureProfile(plugin.source));
      const report = await runSync({ pluginRoot: plugin.root });
      const notice = syncFailureNotice('Simulated sync', report);
      assert.match(notice.text, /^Simulated sync failed: schema\.json has 1 error; fix it first\. Line (\d+): 'usernme' is not a property of linkedSourceDefinition; did you mean 'username'\?$/);
      const line = Number(/Line (\d+)/.exec(notice.text)![1]) - 1;
      assert.equal(notice.location?.file, schemaFile);
      assert.equal(notice.location?.line, line);
      assert.equal(fs.readFileSync(schemaFile, 'utf8').split('\n')[line].trim(), '"usernme",');
      assert.equal(notice.problems, true);
      assert.equal(locationButton(notice.location!), `Open schema.json:${line + 1}`);
    } finally {
      plugin.cleanup();
    }
  });

  it('points at the profile for a value the profile gets wrong', async () => {
    const plugin = copyPlugin();
    try {
      const profile = fixtureProfile(plugin.source);
      (profile.linkedSource as Record<string, unknown>).behaviour = 'sideways';
      const file = plugin.writeProfile(profile);
      const report = await runSync({ pluginRoot: plugin.root });
      const notice = syncFailureNotice('Simulated sync', report);
      assert.match(notice.text, /^Simulated sync failed: local\.json:\d+: linkedSource\.behaviour must be equal to one of the allowed values/);
      assert.equal(notice.location?.file, file);
      assert.equal(notice.problems, true);
    } finally {
      plugin.cleanup();
    }
  });

  it('says cancelled, and the cause the plugin gave', () => {
    const base = { problems: [], preflight: [] };
    assert.equal(syncFailureNotice('Simulated sync', { ...base, cancelled: true }).text, 'Simulated sync failed: cancelled');
    const n = syncFailureNotice('Simulated resync', { ...base, error: { message: 'rsync exited with 23:\n  some files vanished' } });
    assert.deepEqual(n, { text: 'Simulated resync failed: rsync exited with 23: some files vanished', location: undefined, problems: false });
  });
});
