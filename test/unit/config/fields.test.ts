import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, applyFix, brief, fixes, r, VALID, withLine } from './helpers';

const REQUIRED = ['id', 'name', 'language', 'hostTypes', 'pluginType', 'entryPoint', 'srcDir', 'schemaFile', 'buildNumber'];

describe('plugin_config.yml: required keys', () => {
  for (const key of REQUIRED) {
    it(`reports a missing \`${key}\` at the first key, and its fix adds it`, () => {
      let text = withLine(key, undefined);
      if (key === 'hostTypes') text = text.replace('  - UNIX\n', '');
      const a = analyze(text);
      const firstKey = key === 'id' ? r(0, 0, 0, 4) : r(0, 0, 0, 2);
      assert.deepEqual(brief(a.problems), [['config.required', 'error', firstKey]]);
      const p = a.problems[0];
      assert.equal(p.dvp, true);
      assert.ok(p.message.startsWith(`Missing required key '${key}'; add '`), p.message);
      assert.match(p.detail ?? '', new RegExp(`dvp build: '${key}' is a required property\\.$`));
      assert.equal(p.data?.dvpMessage, `'${key}' is a required property`);
      assert.equal(p.data?.key, key);
      const [fix] = fixes(p);
      assert.equal(fix.title, `Add \`${key}\``);
      assert.equal(fix.preferred, true);
      const fixed = applyFix(text, p);
      assert.ok(fixed.startsWith(text), 'the key is appended');
      assert.deepEqual(analyze(fixed).problems, [], fixed);
    });
  }

  it('words the missing srcDir with its example', () => {
    const a = analyze(withLine('srcDir', undefined));
    assert.equal(a.problems[0].message, "Missing required key 'srcDir'; add 'srcDir: src'.");
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Add `srcDir`', newText: ['srcDir: src\n'], preferred: true }]);
  });

  it('adds a fresh UUID for a missing id', () => {
    const a = analyze(withLine('id', undefined));
    assert.match(a.problems[0].message, /add 'id: <a new UUID>'/);
    assert.match(a.problems[0].detail ?? '', /^The unique id of the plugin/);
    const [newText] = fixes(a.problems[0])[0].newText;
    assert.match(newText, /^id: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/);
    assert.notEqual(newText, fixes(analyze(withLine('id', undefined)).problems[0])[0].newText[0]);
  });

  it('appends after a last line without a line break', () => {
    const text = withLine('buildNumber', undefined).replace(/\n$/, '');
    const a = analyze(text);
    assert.deepEqual(fixes(a.problems[0])[0].newText, ['\nbuildNumber: "0.1.0"\n']);
  });

  it('names a misspelt key in the missing-key message and offers the rename first', () => {
    const text = withLine('srcDir', 'srcdir: src');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [
      ['config.required', 'error', r(0, 0, 0, 2)],
      ['config.unknownKey', 'error', r(8, 0, 8, 6)],
    ]);
    assert.match(a.problems[0].detail ?? '', /^'srcdir' on line 9 looks like a misspelling of it\./);
    assert.deepEqual(
      fixes(a.problems[0]).map((f) => [f.title, f.preferred]),
      [
        ['Rename `srcdir` to `srcDir`', true],
        ['Add `srcDir`', false],
      ],
    );
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });

  it('leaves required keys alone while the YAML is broken', () => {
    const a = analyze('id: "0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b\n');
    assert.deepEqual(a.problems.map((p) => p.code), ['config.yaml']);
  });
});

describe('plugin_config.yml: types', () => {
  it('asks to quote an unquoted number in buildNumber and externalVersion', () => {
    const text = VALID.replace('externalVersion: "2.0"', 'externalVersion: 2.0').replace('buildNumber: 2.0.1', 'buildNumber: 1');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [
      ['config.type', 'error', r(2, 17, 2, 20)],
      ['config.type', 'error', r(10, 13, 10, 14)],
    ]);
    assert.equal(a.problems[0].message, "'externalVersion' must be a string, but YAML reads '2.0' as a number.");
    assert.equal(a.problems[0].data?.dvpMessage, "2.0 is not of type 'string'");
    assert.equal(a.problems[1].message, `'buildNumber' must be a string, but YAML reads '1' as a number: quote it, 'buildNumber: "1"'.`);
    assert.equal(a.problems[1].data?.dvpMessage, "1 is not of type 'string'");
    assert.deepEqual(fixes(a.problems[1]), [{ title: 'Quote it: "1"', newText: ['"1"'], preferred: true }]);
    // The best-effort values keep what was written.
    assert.equal(a.config.buildNumber, '1');
    assert.equal(a.config.standardizedBuildNumber, '1');
    assert.equal(a.config.externalVersion, '2.0');
  });

  it('accepts the same build numbers quoted, and dotted twice unquoted', () => {
    for (const v of ['"1"', "'1.0'", '"1.2"', '1.2.3', '0.1.0']) {
      const a = analyze(withLine('buildNumber', `buildNumber: ${v}`));
      assert.deepEqual(a.problems, [], v);
    }
  });

  it('says when a quoted build number would still be invalid', () => {
    const a = analyze(withLine('buildNumber', 'buildNumber: 0.0'));
    assert.equal(
      a.problems[0].message,
      `'buildNumber' must be a string, but YAML reads '0.0' as a number: quote it, 'buildNumber: "0.0"'.`,
    );
  });

  it('asks to quote a YAML 1.1 boolean and a date in a string key', () => {
    const a = analyze(VALID.replace('name: Config Fixture', 'name: on').replace('externalVersion: "2.0"', 'externalVersion: 2024-05-01'));
    assert.deepEqual(brief(a.problems), [
      ['config.type', 'error', r(1, 6, 1, 8)],
      ['config.type', 'error', r(2, 17, 2, 27)],
    ]);
    assert.equal(a.problems[0].message, `'name' must be a string, but YAML 1.1 reads 'on' as true: quote it, 'name: "on"'.`);
    assert.equal(a.problems[0].data?.dvpMessage, "True is not of type 'string'");
    assert.match(a.problems[1].message, /reads '2024-05-01' as a date; quote it\.$/);
    assert.match(a.problems[1].detail ?? '', /dvp build crashes on a date here \("Internal error, please contact Delphix\."\)/);
  });

  it('reports a key without value at the key', () => {
    const text = withLine('schemaFile', 'schemaFile:');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(9, 0, 9, 10)]]);
    assert.equal(a.problems[0].message, "'schemaFile' has no value: it must be a string, e.g. 'schemaFile: schema.json'.");
    assert.equal(a.problems[0].data?.dvpMessage, "None is not of type 'string'");
    assert.equal(applyFix(text, a.problems[0]), VALID);
  });

  it('reports a list or mapping where a string belongs', () => {
    const a = analyze(withLine('srcDir', 'srcDir: [src]'));
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(8, 8, 8, 13)]]);
    assert.equal(a.problems[0].message, "'srcDir' must be a string, but it is a list.");
    assert.equal(a.problems[0].data?.dvpMessage, "['src'] is not of type 'string'");
  });

  it('explains that braces make a mapping of a UUID', () => {
    const text = withLine('id', 'id: {0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b}');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(0, 4, 0, 42)]]);
    assert.equal(a.problems[0].message, "'id' must be a string, but it is a mapping.");
    assert.equal(applyFix(text, a.problems[0]), VALID);
  });

  it('wants booleans unquoted', () => {
    const text = VALID + 'manualDiscovery: "false"\n';
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(11, 17, 11, 24)]]);
    assert.equal(a.problems[0].message, `'manualDiscovery' must be a boolean, but "false" is a string: write 'false' without quotes.`);
    assert.equal(a.problems[0].data?.dvpMessage, "'false' is not of type 'boolean'");
    assert.equal(applyFix(text, a.problems[0]), VALID + 'manualDiscovery: false\n');
  });

  it('rejects a number as a boolean', () => {
    const a = analyze(VALID + 'rootSquashEnabled: 1\n');
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(11, 19, 11, 20)]]);
    assert.equal(a.problems[0].message, "'rootSquashEnabled' must be 'true' or 'false', but it is a number.");
    assert.equal(a.problems[0].data?.dvpMessage, "1 is not of type 'boolean'");
  });

  it('wants hostTypes as a list', () => {
    const text = VALID.replace('hostTypes:\n  - UNIX', 'hostTypes: unix');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(4, 11, 4, 15)]]);
    assert.equal(a.problems[0].message, "'hostTypes' must be a list, e.g. 'hostTypes: [UNIX]', not a single string.");
    assert.equal(a.problems[0].data?.dvpMessage, "'unix' is not of type 'array'");
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });

  it('rejects a host type that is not a string', () => {
    const a = analyze(VALID.replace('  - UNIX', '  - 1'));
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(5, 4, 5, 5)]]);
    assert.equal(a.problems[0].message, "Each item of 'hostTypes' must be the string 'UNIX' or 'WINDOWS', but this one is a number.");
  });
});

describe('plugin_config.yml: enums', () => {
  it('rejects a plugin type in the wrong case and fixes it', () => {
    const text = withLine('pluginType', 'pluginType: staged');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.enum', 'error', r(6, 12, 6, 18)]]);
    assert.equal(a.problems[0].message, "'staged' is not a plugin type: use 'DIRECT' or 'STAGED'. Values are case-sensitive: write 'STAGED'.");
    assert.equal(a.problems[0].data?.dvpMessage, "'staged' is not one of ['DIRECT', 'STAGED']");
    assert.deepEqual(fixes(a.problems[0]), [
      { title: 'Change to STAGED', newText: ['STAGED'], preferred: true },
      { title: 'Change to DIRECT', newText: ['DIRECT'], preferred: false },
    ]);
    assert.equal(applyFix(text, a.problems[0]), VALID);
    assert.equal(a.config.pluginType, 'STAGED', 'best effort: the intended type');
  });

  it('suggests the closest plugin type for a typo', () => {
    const a = analyze(withLine('pluginType', 'pluginType: DIRCET'));
    assert.equal(a.problems[0].message, "'DIRCET' is not a plugin type: use 'DIRECT' or 'STAGED'. Did you mean 'DIRECT'?");
    assert.equal(a.config.pluginType, undefined);
  });

  it('rejects an unknown host type', () => {
    const text = VALID.replace('  - UNIX', '  - Linux');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.enum', 'error', r(5, 4, 5, 9)]]);
    assert.equal(a.problems[0].message, "'Linux' is not a host type: use 'UNIX' or 'WINDOWS'.");
    assert.equal(a.problems[0].data?.dvpMessage, "'Linux' is not one of ['UNIX', 'WINDOWS']");
    assert.deepEqual(fixes(a.problems[0]).map((f) => f.title), ['Change to UNIX', 'Change to WINDOWS']);
  });

  it('allows one host type only', () => {
    const a = analyze(VALID.replace('  - UNIX', '  - UNIX\n  - WINDOWS'));
    assert.deepEqual(brief(a.problems), [['config.maxItems', 'error', r(6, 4, 6, 11)]]);
    assert.equal(a.problems[0].message, "'hostTypes' lists 2 host types, but a plugin supports exactly one.");
    assert.equal(a.problems[0].data?.dvpMessage, "['UNIX', 'WINDOWS'] is too long");
  });

  it('warns on an empty hostTypes, which dvp accepts', () => {
    const text = VALID.replace('hostTypes:\n  - UNIX', 'hostTypes: []');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.emptyHostTypes', 'warning', r(4, 11, 4, 13)]]);
    assert.equal(a.problems[0].dvp, false);
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });
});

describe('plugin_config.yml: patterns', () => {
  it('rejects an id that is not a UUID and offers a new one', () => {
    const text = withLine('id', 'id: my-plugin');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.pattern', 'error', r(0, 4, 0, 13)]]);
    assert.equal(a.problems[0].message, "'my-plugin' is not a UUID.");
    assert.equal(
      a.problems[0].data?.dvpMessage,
      "'my-plugin' does not match '^[0-9a-fA-F]{8}\\\\-[0-9a-fA-F]{4}\\\\-[0-9a-fA-F]{4}\\\\-[0-9a-fA-F]{4}\\\\-[0-9a-fA-F]{12}$'",
    );
    const [fresh] = fixes(a.problems[0]);
    assert.equal(fresh.title, 'Replace with a new UUID');
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });

  it('cleans a UUID written without dashes or as a URN', () => {
    for (const written of ['0b6f3c9e2a514f0e9d6b5a7c1e2f3d4b', '"urn:uuid:0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b"']) {
      const text = withLine('id', `id: ${written}`);
      const a = analyze(text);
      assert.equal(a.problems[0].code, 'config.pattern');
      assert.equal(fixes(a.problems[0])[0].title, 'Change to 0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b');
      assert.equal(applyFix(text, a.problems[0]), VALID.replace('id: 0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b', `id: ${written.startsWith('"') ? '"0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b"' : '0b6f3c9e-2a51-4f0e-9d6b-5a7c1e2f3d4b'}`));
    }
  });

  it('explains the module:object form of entryPoint', () => {
    const cases: [string, string, string[]][] = [
      ['plugin_runner.plugin', 'it has no colon', ['Change to plugin_runner:plugin', 'Change to plugin_runner.plugin:plugin']],
      ['plugin_runner', 'it has no colon', ['Change to plugin_runner:plugin']],
      ['"plugin_runner:"', 'the object after the colon is missing', ['Change to plugin_runner:plugin']],
      ['":plugin"', 'the module before the colon is missing', []],
      ['"a:b:c"', 'it has more than one colon', []],
    ];
    for (const [value, why, titles] of cases) {
      const a = analyze(withLine('entryPoint', `entryPoint: ${value}`));
      assert.equal(a.problems.length, 1, value);
      assert.equal(a.problems[0].code, 'config.pattern');
      assert.equal(
        a.problems[0].message,
        `'entryPoint' must be 'module:object', but ${plainWhy(why)}.`,
      );
      assert.match(a.problems[0].detail ?? '', /the module under srcDir, dotted for a package/i);
      assert.deepEqual(fixes(a.problems[0]).map((f) => f.title), titles, value);
    }
  });

  it('explains each kind of invalid build number', () => {
    const cases: [string, string][] = [
      ['"0"', 'it needs at least one non-zero digit'],
      ['0.0.0', 'it needs at least one non-zero digit'],
      ['"1."', 'it has an empty component (a leading, trailing or doubled dot)'],
      ['".1"', 'it has an empty component (a leading, trailing or doubled dot)'],
      ['1..2', 'it has an empty component (a leading, trailing or doubled dot)'],
      ['1.a', 'it may hold only digits and dots, not `a`'],
      ['1.0-beta', 'it may hold only digits and dots, not `-`, `b`, `e`, `t`, `a`'],
    ];
    for (const [written, why] of cases) {
      const a = analyze(withLine('buildNumber', `buildNumber: ${written}`));
      assert.equal(a.problems.length, 1, written);
      const value = written.replace(/"/g, '');
      assert.equal(`${a.problems[0].message} ${a.problems[0].detail ?? ''}`.replace(/\.\s+It /, ': it ').startsWith(`'${value}' is not a valid build number: ${plainWhy(why)}`), true, `${a.problems[0].message} | ${a.problems[0].detail}`);
      assert.match(a.problems[0].detail ?? '', /A build number is dot-separated non-negative integers with at least one non-zero digit, e\.g\. '1', '0\.1\.0', '2\.10\.3'\.$/);
      assert.equal(a.problems[0].code, 'config.pattern');
      assert.equal(a.config.standardizedBuildNumber, undefined);
    }
  });

  it('strips a leading v from a build number', () => {
    const text = withLine('buildNumber', 'buildNumber: v2.0.1');
    const a = analyze(text);
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Change to 2.0.1', newText: ['2.0.1'], preferred: true }]);
    assert.equal(applyFix(text, a.problems[0]), VALID);
  });

  it('checks luaName and minimumLuaVersion patterns', () => {
    const text = VALID + 'luaName: My_Toolkit\nminimumLuaVersion: "1.2.3"\n';
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [
      ['config.pattern', 'error', r(11, 9, 11, 19)],
      ['config.pattern', 'error', r(12, 19, 12, 26)],
    ]);
    assert.equal(a.problems[0].message, "'My_Toolkit' is not a valid luaName: use lower-case letters, digits, '_', ':' and '-'.");
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Change to my_toolkit', newText: ['my_toolkit'], preferred: true }]);
    assert.equal(a.problems[1].message, `'minimumLuaVersion' must be 'MAJOR.MINOR', e.g. "1.3", so '1.2.3' is not allowed.`);
    assert.equal(a.problems[1].data?.dvpMessage, "'1.2.3' does not match '^([0-9]+)\\\\.([0-9]+)$'");
  });

  it('wants minimumLuaVersion quoted', () => {
    const a = analyze(VALID + 'luaName: toolkit\nminimumLuaVersion: 1.3\n');
    assert.deepEqual(brief(a.problems), [['config.type', 'error', r(12, 19, 12, 22)]]);
  });

  it('requires luaName and minimumLuaVersion together', () => {
    let a = analyze(VALID + 'luaName: toolkit\n');
    assert.deepEqual(brief(a.problems), [['config.luaPair', 'error', r(11, 0, 11, 7)]]);
    assert.equal(a.problems[0].data?.dvpMessage, 'Failed to process property "luaName" without "minimumLuaVersion" set in the plugin config.');
    assert.match(a.problems[0].message, /^'luaName' needs 'minimumLuaVersion' too/);
    a = analyze(VALID + 'minimumLuaVersion: "1.0"\n');
    assert.deepEqual(brief(a.problems), [['config.luaPair', 'error', r(11, 0, 11, 17)]]);
    assert.equal(a.problems[0].data?.dvpMessage, 'Failed to process property "minimumLuaVersion" without "luaName" set in the plugin config.');
  });
});

describe('plugin_config.yml: unknown keys', () => {
  it('suggests the closest key and renames it', () => {
    const cases: [string, string][] = [
      ['entrypoint', 'entryPoint'],
      ['host_types', 'hostTypes'],
      ['buildNumbr', 'buildNumber'],
      ['manual_discovery', 'manualDiscovery'],
      ['minLuaVersion', 'minimumLuaVersion'],
    ];
    for (const [typo, key] of cases) {
      const text = VALID + `${typo}: x\n`;
      const a = analyze(text);
      const p = a.problems.find((x) => x.code === 'config.unknownKey')!;
      assert.deepEqual(p.range, r(11, 0, 11, typo.length), typo);
      assert.equal(p.message, `'${typo}' is not a plugin_config.yml key; did you mean '${key}'?`);
      assert.equal(p.detail, `${a.config.ranges[key] ? `'${key}' is already set on line ${a.config.ranges[key].key.start.line + 1}. ` : ''}dvp build: Additional properties are not allowed ('${typo}' was unexpected).`);
      assert.equal(p.data?.suggestion, key);
    }
  });

  it('offers to remove a near-miss of a key that is already set', () => {
    const text = VALID + 'srcdir: src\n';
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.unknownKey', 'error', r(11, 0, 11, 6)]]);
    assert.equal(a.problems[0].message, "'srcdir' is not a plugin_config.yml key; did you mean 'srcDir'?");
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Remove `srcdir`', newText: [''], preferred: true }]);
    assert.equal(applyFix(text, a.problems[0]), VALID);
  });

  it('lists the keys when nothing is close', () => {
    const a = analyze(VALID + 'vendor: acme\n');
    assert.deepEqual(brief(a.problems), [['config.unknownKey', 'error', r(11, 0, 11, 6)]]);
    assert.equal(
      a.problems[0].message,
      "'vendor' is not a plugin_config.yml key.",
    );
    assert.equal(a.problems[0].data?.dvpMessage, "Additional properties are not allowed ('vendor' was unexpected)");
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Remove `vendor`', newText: [''], preferred: false }]);
  });

  it('removes a multi-line unknown key whole', () => {
    const text = VALID.replace('hostTypes:', 'extra:\n  - a\n  - b\nhostTypes:');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.unknownKey', 'error', r(4, 0, 4, 5)]]);
    assert.equal(applyFix(text, a.problems[0]), VALID);
  });

  it('explains the legacy keys version and prettyName', () => {
    const text = withLine('externalVersion', 'version: 2.0.0').replace('name: Config Fixture', 'prettyName: Config Fixture');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [
      ['config.required', 'error', r(0, 0, 0, 2)],
      ['config.unknownKey', 'error', r(1, 0, 1, 10)],
      ['config.unknownKey', 'error', r(2, 0, 2, 7)],
    ]);
    assert.equal(
      a.problems[1].message,
      "'prettyName' is not a plugin_config.yml key; did you mean 'name'?",
    );
    assert.equal(
      a.problems[2].message,
      "'version' is not a plugin_config.yml key; did you mean 'externalVersion'?",
    );
    assert.deepEqual(fixes(a.problems[2]).map((f) => f.title), ['Rename to `externalVersion`', 'Remove `version`']);
    assert.deepEqual(fixes(a.problems[1]).map((f) => f.title), ['Rename to `name`', 'Remove `prettyName`']);
    const fixed = applyFix(applyFix(text, a.problems[2]), analyze(applyFix(text, a.problems[2])).problems.find((p) => p.code === 'config.unknownKey')!);
    assert.deepEqual(analyze(fixed).problems, []);
  });
});

describe('plugin_config.yml: checks beyond dvp', () => {
  it('warns on an empty name', () => {
    const a = analyze(withLine('name', 'name: ""'));
    assert.deepEqual(brief(a.problems), [['config.emptyName', 'warning', r(1, 6, 1, 8)]]);
    assert.equal(a.problems[0].dvp, false);
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Set `name: plugin`', newText: ['plugin'], preferred: true }]);
  });

  it('says rootSquashEnabled does nothing on Windows', () => {
    const text = VALID.replace('  - UNIX', '  - WINDOWS') + 'rootSquashEnabled: false\n';
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.rootSquashWindows', 'information', r(11, 0, 11, 17)]]);
    assert.equal(a.problems[0].dvp, false);
  });
});

/** A reason as the message prints it: code marks become plain quotes. */
function plainWhy(why: string): string {
  return why.replace(/`([^`]*)`/g, "'$1'");
}
