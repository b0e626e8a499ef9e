import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { checkProfileText, loadProfile } from '../../../core/sync/profile';
import { SYNC_PROFILE_SCHEMA } from '../../../core/sync/profileSchema';
import { runSync } from '../../../core/sync/orchestrator';
import { LineIndex } from '../../../core/text';
import type { Range } from '../../../core/types';
import { copyPlugin, EXAMPLE, fixtureProfile, type TestPlugin } from './helpers';

/** The range of the `nth` occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  return new LineIndex(text).range(at, at + needle.length);
}

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../test/fixtures/sync/plugin/schema.json'), 'utf8'));

describe('sync profile validation', () => {
  let plugin: TestPlugin;
  before(() => (plugin = copyPlugin()));
  after(() => plugin.cleanup());

  it('checks values against the plugin schema, with ranges in the profile, and nothing runs', async () => {
    const text = `{
  "environments": { "staging": { "type": "local" }, "source": { "type": "local" } },
  "repository": { "name": "test" },
  "sourceConfig": { "name": "data", "path": 42 },
  "linkedSource": {
    "sourceAddress": "localhost",
    "username": "tester",
    "mountLocation": "/mnt/x",
    "mountPoint": "/mnt/y",
    "retries": 9
  }
}
`;
    const file = plugin.writeProfile(text);
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity, p.message, p.range, p.file]),
      [
        ['sync.profile.value', 'error', 'sourceConfig.path must be string.', rangeOf(text, '42'), file],
        ['sync.profile.value', 'error', "Missing required property 'behaviour' in linkedSource.", rangeOf(text, '"linkedSource"'), file],
        ['sync.profile.value', 'error', "'mountPoint' is not a property of linkedSource.", rangeOf(text, '"mountPoint"'), file],
        ['sync.profile.value', 'error', 'linkedSource.retries must be <= 5.', rangeOf(text, '9', 0), file],
      ],
    );
    const check = report.preflight.find((c) => c.id === 'profile')!;
    assert.deepEqual([check.ok, check.message], [false, `The sync profile ${file} has 4 problems; nothing was run.`]);
    assert.deepEqual(report.steps, []);
    assert.equal(fs.existsSync(path.join(plugin.root, '.delphix', 'sandbox')), false);
  });

  it('checks the structure first', () => {
    const text = `{
  "environments": { "staging": { "type": "local" }, "source": { "type": "ssh", "port": 70000 } },
  "repository": {},
  "sourceConfig": {},
  "linkedSource": {},
  "sourceFoldr": "/data"
}`;
    const { profile, problems } = checkProfileText('/p/local.json', text, { pluginRoot: '/p', sandbox: '/p/s', pluginSchema: schema });
    assert.equal(profile, undefined);
    assert.deepEqual(problems.map((p) => [p.code, p.message, p.range]), [
      ['sync.profile.structure', "'sourceFoldr' is not a property of the profile.", rangeOf(text, '"sourceFoldr"')],
      ['sync.profile.structure', "Missing required property 'host' in environments.source.", rangeOf(text, '"source"')],
      ['sync.profile.structure', 'environments.source.port must be <= 65535.', rangeOf(text, '70000')],
    ]);
  });

  it('reports broken JSON where it breaks', () => {
    const text = '{\n  "environments": {\n    "staging": { "type": "local" }\n    "source": {}\n  }\n}';
    const { problems } = checkProfileText('/p/local.json', text, { pluginRoot: '/p', sandbox: '/p/s' });
    assert.deepEqual(problems.map((p) => [p.code, p.message, p.range]), [['sync.profile.json', 'The profile is not valid JSON: comma expected.', rangeOf(text, '"source"')]]);
  });

  it('expands ${pluginRoot} and ${sandbox} and resolves key files against the plugin root', () => {
    const text = JSON.stringify({
      environments: { staging: { type: 'local' }, source: { type: 'ssh', host: '127.0.0.1', identityFile: 'keys/id', knownHostsFile: '${pluginRoot}/kh' } },
      repository: { name: 'r' },
      sourceConfig: { name: 'n', path: '${pluginRoot}/data' },
      linkedSource: { sourceAddress: 'h', username: 'u', mountLocation: '${sandbox}/m', behaviour: 'mirror' },
    });
    const { profile, problems } = checkProfileText('/p/.delphix/sync/local.json', text, { pluginRoot: '/p', sandbox: '/p/.delphix/sandbox/local', pluginSchema: schema });
    assert.deepEqual(problems, []);
    assert.equal(profile!.sourceConfig.path, '/p/data');
    assert.equal(profile!.linkedSource.mountLocation, '/p/.delphix/sandbox/local/m');
    assert.deepEqual(profile!.environments.source, { type: 'ssh', host: '127.0.0.1', identityFile: '/p/keys/id', knownHostsFile: '/p/kh' });
  });

  it('names the profiles there are when one is missing', () => {
    const loaded = loadProfile('nightly', { pluginRoot: EXAMPLE, sandbox: '/unused' });
    assert.deepEqual(loaded.problems.map((p) => [p.code, p.message]), [
      ['sync.profile.missing', `There is no sync profile "nightly" (${path.join(EXAMPLE, '.delphix/sync/nightly.json')}). Profiles of this plugin: local.`],
    ]);
  });

  it('accepts the example plugin profile as shipped', () => {
    const exampleSchema = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'schema.json'), 'utf8'));
    const loaded = loadProfile('local', { pluginRoot: EXAMPLE, sandbox: '/s', pluginSchema: exampleSchema });
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.profile!.sourceConfig.path, path.join(EXAMPLE, 'sample-source'));
  });

  it('exports its JSON schema for completion', () => {
    assert.deepEqual(SYNC_PROFILE_SCHEMA.required, ['environments', 'repository', 'sourceConfig', 'linkedSource']);
    assert.deepEqual(Object.keys(SYNC_PROFILE_SCHEMA.properties.environments.properties), ['staging', 'source', 'target']);
  });
});

describe("a typo in schema.json's required (one mistake, one finding)", () => {
  let plugin: TestPlugin;
  before(() => {
    plugin = copyPlugin();
    const file = path.join(plugin.root, 'schema.json');
    const text = fs.readFileSync(file, 'utf8');
    const typo = text.replace(/("required": \[\s*"sourceAddress",\s*)"username"/, '$1"usernme"');
    assert.notEqual(typo, text, 'the fixture lists username as required');
    fs.writeFileSync(file, typo);
  });
  after(() => plugin.cleanup());

  it('is reported in schema.json only: the profile the author never touched stays clean', async () => {
    const { analyzeSchema } = await import('../../../core/schema/analyzeSchema');
    const schemaFile = path.join(plugin.root, 'schema.json');
    const schemaText = fs.readFileSync(schemaFile, 'utf8');
    const schemaProblems = analyzeSchema(schemaFile, schemaText).problems.filter((p) => p.severity === 'error');
    assert.deepEqual(schemaProblems.map((p) => [p.code, p.message]), [
      ['schema.required.unknown', "'usernme' is not a property of linkedSourceDefinition; did you mean 'username'?"],
    ]);
    const profileText = JSON.stringify(fixtureProfile(plugin.source), null, 2);
    const checked = checkProfileText(path.join(plugin.root, '.delphix', 'sync', 'local.json'), profileText, {
      pluginRoot: plugin.root,
      sandbox: path.join(plugin.root, '.delphix', 'sandbox', 'local'),
      pluginSchema: JSON.parse(schemaText),
    });
    assert.deepEqual(checked.problems, []);
  });

  it('makes the sync pre-flight blame the schema, not the profile', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, false);
    const failed = report.preflight.filter((c) => !c.ok);
    assert.deepEqual(failed.map((c) => c.id), ['schema']);
    assert.match(failed[0].message, /^schema\.json has 1 error; fix it first\. Line \d+: 'usernme' is not a property of linkedSourceDefinition; did you mean 'username'\?$/);
    assert.equal(report.preflight.find((c) => c.id === 'profile')?.ok, true);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.steps, []);
  });
});
