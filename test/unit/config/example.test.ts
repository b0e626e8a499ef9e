import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { analyzeConfig } from '../../../core/config/analyzeConfig';
import { DiskFiles } from '../../../core/files';
import { analyze, CONFIG_FILE, PLUGIN, r, VALID } from './helpers';

const EXAMPLE = path.resolve(__dirname, '../../../../examples/first-plugin');

describe('plugin_config.yml: valid configs', () => {
  it('gives no problem for the example plugin', () => {
    const file = path.join(EXAMPLE, 'plugin_config.yml');
    const a = analyzeConfig(file, fs.readFileSync(file, 'utf8'), new DiskFiles());
    assert.deepEqual(a.problems, []);
    assert.equal(a.root, EXAMPLE);
    assert.equal(a.file, file);
    assert.equal(a.config.srcDirPath, path.join(EXAMPLE, 'src'));
    assert.equal(a.config.schemaFilePath, path.join(EXAMPLE, 'schema.json'));
    assert.equal(a.config.entryModulePath, path.join(EXAMPLE, 'src', 'plugin_runner.py'));
    assert.equal(a.config.standardizedBuildNumber, '0.1');
  });

  it('reads every value of the fixture config with its ranges', () => {
    const a = analyze(VALID);
    assert.deepEqual(a.problems, []);
    const { ranges, ...values } = a.config;
    assert.deepEqual(values, {
      id: '0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b',
      name: 'Config Fixture',
      externalVersion: '2.0',
      language: 'PYTHON311',
      hostTypes: ['UNIX'],
      pluginType: 'STAGED',
      entryPoint: 'plugin_runner:plugin',
      entryModule: 'plugin_runner',
      entryObject: 'plugin',
      srcDir: 'src',
      schemaFile: 'schema.json',
      buildNumber: '2.0.1',
      standardizedBuildNumber: '2.0.1',
      srcDirPath: path.join(PLUGIN, 'src'),
      schemaFilePath: path.join(PLUGIN, 'schema.json'),
      entryModulePath: path.join(PLUGIN, 'src', 'plugin_runner.py'),
    });
    assert.deepEqual(Object.keys(ranges), ['id', 'name', 'externalVersion', 'language', 'hostTypes', 'pluginType', 'entryPoint', 'srcDir', 'schemaFile', 'buildNumber']);
    assert.deepEqual(ranges.id, { key: r(0, 0, 0, 2), value: r(0, 4, 0, 40) });
    assert.deepEqual(ranges.externalVersion, { key: r(2, 0, 2, 15), value: r(2, 17, 2, 22) });
    assert.deepEqual(ranges.hostTypes.key, r(4, 0, 4, 9));
    assert.deepEqual(ranges.hostTypes.value.start, { line: 5, character: 2 });
    assert.deepEqual(ranges.buildNumber, { key: r(10, 0, 10, 11), value: r(10, 13, 10, 18) });
  });

  it('accepts every optional key with a valid value', () => {
    const text =
      VALID +
      'manualDiscovery: false\ndefaultLocale: fr-fr\nrootSquashEnabled: no\nextendedStartStopHooks: yes\nluaName: my-toolkit:v1\nminimumLuaVersion: "1.3"\n';
    const a = analyze(text);
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.manualDiscovery, false);
    assert.equal(a.config.rootSquashEnabled, false);
    assert.equal(a.config.extendedStartStopHooks, true);
    assert.equal(a.config.defaultLocale, 'fr-fr');
    assert.equal(a.config.luaName, 'my-toolkit:v1');
    assert.equal(a.config.minimumLuaVersion, '1.3');
  });

  it('accepts quoting styles, comments, an upper-case UUID, a flow list and CRLF line ends', () => {
    const text = [
      '# plugin config',
      "id: '0B6F3C9E-2A51-4F0E-9D6B-5A7C1E2F3D4B'  # upper case is fine",
      'name: "Config: Fixture"',
      'language: PYTHON311',
      'hostTypes: [WINDOWS]',
      'pluginType: DIRECT',
      'entryPoint: "pkg.mod:plugin"',
      'srcDir: src/',
      `schemaFile: ${path.join(PLUGIN, 'schema.json')}`,
      "buildNumber: '1'",
      '',
    ].join('\r\n');
    const a = analyze(text);
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.name, 'Config: Fixture');
    assert.deepEqual(a.config.hostTypes, ['WINDOWS']);
    assert.equal(a.config.entryModulePath, path.join(PLUGIN, 'src', 'pkg', 'mod.py'));
    assert.equal(a.config.srcDirPath, path.join(PLUGIN, 'src'));
    assert.deepEqual(a.config.ranges.id.value, r(1, 4, 1, 42));
  });

  it('never throws, whatever the text', () => {
    const texts = ['', '\n', ':', '- - -', '{', 'id: &a [*a]', '!!binary aGVsbG8=', 'a: b: c', '\t\t', '---\n---\n', '? [a]\n: b', 'id: !!int x', '%YAML 1.1\n---\nid: 1'];
    for (const t of texts) {
      const a = analyzeConfig(CONFIG_FILE, t, new DiskFiles());
      assert.ok(Array.isArray(a.problems), t);
      assert.ok(a.problems.every((p) => p.code !== 'config.internal'), `${JSON.stringify(t)}: ${a.problems.map((p) => p.message).join('; ')}`);
    }
  });
});
