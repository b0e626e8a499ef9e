import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, applyFix, brief, CONFIG_FILE, r, VALID } from './helpers';

const YAML_DETAIL = 'dvp build stops on it with "the plugin config file ... was not valid yaml".';

describe('plugin_config.yml: YAML itself', () => {
  it('reports an unterminated quote at its place, and no required-key noise', () => {
    const text = VALID.replace('name: Config Fixture', 'name: "Config Fixture');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.yaml', 'error', r(1, 21, 2, 0)]]);
    assert.equal(a.problems[0].message, 'Missing closing "quote.');
    assert.equal(a.problems[0].detail, YAML_DETAIL);
    assert.equal(a.problems[0].dvp, true);
    assert.equal(
      a.problems[0].data?.dvpMessage,
      `Command failed because the plugin config file provided as input '${CONFIG_FILE}' was not valid yaml. Verify the file contents. Error position: 2:22`,
    );
  });

  it('reports an unclosed flow list where the parser gives up', () => {
    const a = analyze(VALID.replace('hostTypes:\n  - UNIX', 'hostTypes: [UNIX'));
    assert.deepEqual(brief(a.problems), [['config.yaml', 'error', r(5, 0, 5, 1)]]);
    assert.match(a.problems[0].message, /^Flow sequence in block collection must be sufficiently indented and end with a \]\.$/);
  });

  it('reports a nested mapping on one line at the second colon', () => {
    const a = analyze(VALID.replace('entryPoint: plugin_runner:plugin', 'entryPoint: plugin_runner: plugin'));
    assert.deepEqual(brief(a.problems), [['config.yaml', 'error', r(7, 12, 7, 13)]]);
    assert.equal(a.problems[0].message, `Nested mappings are not allowed in compact mappings.`);
  });

  it('reports a tab used as indentation', () => {
    const a = analyze(VALID.replace('  - UNIX', '\t- UNIX'));
    assert.equal(a.problems[0].code, 'config.yaml');
    assert.deepEqual(a.problems[0].range, r(5, 0, 5, 1));
    assert.match(a.problems[0].message, /^Tabs are not allowed as indentation\./);
  });

  it('reports a second document', () => {
    const a = analyze(VALID + '---\nid: x\n');
    assert.deepEqual(brief(a.problems), [['config.yaml', 'error', r(11, 0, 13, 0)]]);
    assert.match(a.problems[0].message, /^Source contains multiple documents/);
  });

  it('reports an alias without anchor and a local tag, which safe_load refuses', () => {
    const a = analyze(VALID.replace('name: Config Fixture', 'name: *fixture').replace('srcDir: src', 'srcDir: !path src'));
    assert.deepEqual(brief(a.problems), [
      ['config.yaml', 'error', r(1, 6, 1, 14)],
      ['config.yaml', 'error', r(8, 8, 8, 13)],
    ]);
    assert.equal(a.problems[0].message, "Unknown alias '*fixture': no anchor '&fixture' is defined before it.");
    assert.equal(a.problems[1].message, "PyYAML's safe_load cannot construct a value tagged '!path': remove the tag.");
  });

  it('resolves anchors and aliases as PyYAML does', () => {
    const text = VALID.replace('name: Config Fixture', 'name: &n Config Fixture') + 'defaultLocale: *n\n';
    const a = analyze(text);
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.defaultLocale, 'Config Fixture');
  });

  it('rejects a plain `=`, which PyYAML cannot construct', () => {
    const a = analyze(VALID.replace('name: Config Fixture', 'name: ='));
    assert.deepEqual(brief(a.problems), [['config.yaml', 'error', r(1, 6, 1, 7)]]);
  });

  it('warns on a duplicate key at the ignored one, pointing to the one that counts', () => {
    const text = VALID + 'name: Other Name\n';
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.duplicateKey', 'warning', r(1, 0, 1, 4)]]);
    const p = a.problems[0];
    assert.equal(p.dvp, false);
    assert.equal(p.message, "'name' is set again on line 12.");
    assert.deepEqual(p.related, [{ file: p.file, range: r(11, 0, 11, 4), message: "the 'name' that counts" }]);
    assert.equal(a.config.name, 'Other Name');
    assert.deepEqual(a.config.ranges.name.key, r(11, 0, 11, 4));
    assert.equal(applyFix(text, p), VALID.replace('name: Config Fixture\n', '') + 'name: Other Name\n');
  });

  it('rejects a document that is a list, at the list', () => {
    const a = analyze('- id: x\n- name: y\n');
    assert.deepEqual(brief(a.problems), [['config.notMapping', 'error', r(0, 0, 2, 0)]]);
    assert.equal(a.problems[0].message, 'plugin_config.yml must be a mapping of keys to values, not a list.');
    assert.equal(a.problems[0].dvp, true);
    assert.equal(a.problems[0].data?.dvpMessage, "[{'id': 'x'}, {'name': 'y'}] is not of type 'object'");
    assert.deepEqual(a.config, { ranges: {} });
  });

  it('rejects a document that is a single value', () => {
    const a = analyze('plugin_config\n');
    assert.deepEqual(brief(a.problems), [['config.notMapping', 'error', r(0, 0, 0, 13)]]);
    assert.match(a.problems[0].message, /, not the single value 'plugin_config'\.$/);
  });

  it('reports an empty file once, with a fix that writes every required key', () => {
    for (const text of ['', '\n\n', '# just a comment\n']) {
      const a = analyze(text);
      assert.deepEqual(brief(a.problems), [['config.empty', 'error', r(0, 0, 0, 0)]]);
      assert.equal(
        a.problems[0].message,
        `plugin_config.yml is empty, so dvp build fails ("None is not of type 'object'").`,
      );
      const fixed = applyFix(text, a.problems[0]);
      const again = analyze(fixed);
      assert.deepEqual(again.problems, [], fixed);
    }
  });

  it('reads values with the YAML 1.1 rules of PyYAML', () => {
    const cases: [string, string][] = [
      ['yes', 'the boolean true'],
      ['Off', 'the boolean false'],
      ['1_000', 'a number'],
      ['0x1F', 'a number'],
      ['1:30', 'a number'],
      ['.5', 'a number'],
      ['2024-01-31', 'a date'],
    ];
    for (const [value] of cases) {
      const a = analyze(VALID.replace('name: Config Fixture', `name: ${value}`));
      assert.equal(a.problems.length, 1, value);
      assert.equal(a.problems[0].code, 'config.type', value);
    }
    // PyYAML keeps these as strings, where YAML 1.2 or the yaml package's 1.1 schema would not.
    for (const value of ['y', 'n', '1e3', '09', '1.2.3', 'null-ish', '0b102']) {
      const a = analyze(VALID.replace('name: Config Fixture', `name: ${value}`));
      assert.deepEqual(a.problems, [], value);
      assert.equal(a.config.name, value);
    }
  });
});
