import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, applyFix, brief, rangeAfter, rangeOf, schemaText } from './helpers';

const F = '/plugin/schema.json';

describe('schema.json checks beyond dvp: names that must point at properties', () => {
  it('identityFields as a string, empty, with a non-string and with an unknown name', () => {
    const text = schemaText((s) => {
      s.repositoryDefinition.identityFields = 'name';
      s.sourceConfigDefinition.identityFields = ['pathh', 3];
      s.virtualSourceDefinition.nameField = 'x';
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.identityFields.type',
        range: rangeAfter(text, '"identityFields"', '"name"'),
        severity: 'error',
        dvp: false,
        message: "'identityFields' of 'repositoryDefinition' must be a list of property names, not a single string.",
      },
      {
        code: 'schema.identityFields.unknown',
        range: rangeOf(text, '"pathh"'),
        severity: 'error',
        dvp: false,
        message: "'pathh' is not a property of sourceConfigDefinition; did you mean 'path'?",
      },
      {
        code: 'schema.identityFields.type',
        range: rangeAfter(text, '"pathh"', '3'),
        severity: 'error',
        dvp: false,
        message: "'identityFields' of 'sourceConfigDefinition' must list property names (strings), not a number (3).",
      },
      {
        code: 'schema.keyword.misplaced',
        range: rangeAfter(text, '"virtualSourceDefinition"', '"nameField"'),
        severity: 'warning',
        dvp: false,
        message: "'nameField' only has a meaning at the top of 'repositoryDefinition' and 'sourceConfigDefinition'.",
      },
    ]);
    assert.ok(applyFix(text, a.problems[0]).includes('"identityFields": ["name"]'));
    assert.ok(applyFix(text, a.problems[1]).includes('"path",\n            3'));

    const empty = schemaText((s) => (s.sourceConfigDefinition.identityFields = []));
    const e = analyze(empty);
    assert.deepEqual(e.problems.map((p) => [p.code, p.range, p.message]), [
      ['schema.identityFields.empty', rangeAfter(empty, '"sourceConfigDefinition"', '[]'), "'identityFields' of 'sourceConfigDefinition' is empty."],
    ]);
  });

  it('nameField as a list (as in some SDK docs), naming a missing property, a non-string property, or not a string', () => {
    const text = schemaText((s) => {
      s.repositoryDefinition.nameField = ['name'];
      s.sourceConfigDefinition.properties.port = { type: 'integer' };
      s.sourceConfigDefinition.nameField = 'port';
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.nameField.type',
        range: { start: rangeAfter(text, '"nameField"', '[').start, end: rangeAfter(text, '"nameField"', ']').end },
        severity: 'error',
        dvp: false,
        message: "'nameField' of 'repositoryDefinition' must be one property name (a string), not a list.",
      },
      {
        code: 'schema.nameField.notString',
        range: rangeAfter(text, '"sourceConfigDefinition"', '"port"', 1),
        severity: 'error',
        dvp: false,
        message: "'nameField' of 'sourceConfigDefinition' names 'port', which is of type 'integer'.",
      },
    ]);
    assert.deepEqual(a.problems[1].related, [{ file: F, range: rangeOf(text, '"port"'), message: "the property 'port'" }]);
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems.map((p) => p.code), ['schema.nameField.notString']);

    const other = schemaText((s) => {
      s.repositoryDefinition.nameField = 'nmae';
      s.sourceConfigDefinition.nameField = 3;
    });
    const o = analyze(other);
    assert.deepEqual(o.problems.map((p) => [p.code, p.range, p.message]), [
      ['schema.nameField.unknown', rangeOf(other, '"nmae"'), "'nameField' names 'nmae', not a property of repositoryDefinition; did you mean 'name'?"],
      ['schema.nameField.type', rangeAfter(other, '"sourceConfigDefinition"', '3'), "'nameField' of 'sourceConfigDefinition' must be the name of a string property, not a number (3)."],
    ]);
  });

  it('required and ordering entries that are not properties', () => {
    const text = schemaText((s) => {
      s.linkedSourceDefinition.required.push('sourceAdress');
      s.linkedSourceDefinition.ordering = ['username', 'nope', 4];
      s.snapshotDefinition.ordering = 'username';
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.required.unknown',
        range: rangeOf(text, '"sourceAdress"'),
        severity: 'error',
        dvp: false,
        message: "'sourceAdress' is not a property of linkedSourceDefinition; did you mean 'sourceAddress'?",
      },
      {
        code: 'schema.ordering.incomplete',
        range: rangeOf(text, '"ordering"'),
        severity: 'warning',
        dvp: false,
        message: "'ordering' leaves out 'sourceAddress', 'mountLocation'.",
      },
      {
        code: 'schema.ordering.unknown',
        range: rangeOf(text, '"nope"'),
        severity: 'warning',
        dvp: false,
        message: "'nope' in 'ordering' is not a property of linkedSourceDefinition.",
      },
      {
        code: 'schema.ordering.type',
        range: rangeAfter(text, '"nope"', '4'),
        severity: 'error',
        dvp: false,
        message: "'ordering' of 'linkedSourceDefinition' must list property names (strings), not a number (4).",
      },
      {
        code: 'schema.ordering.type',
        range: rangeAfter(text, '"snapshotDefinition"', '"username"'),
        severity: 'error',
        dvp: false,
        message: `'ordering' must be a list of property names, not a string ("username").`,
      },
    ]);
    assert.ok(applyFix(text, a.problems[0]).includes('"mountLocation",\n            "sourceAddress"\n'));
  });

  it('references: matches must name a sibling, referenceType must be known and go with format reference', () => {
    const text = schemaText((s) => {
      const p = s.linkedSourceDefinition.properties;
      p.env = { type: 'string', format: 'reference', referenceType: 'UNIX_HOST_ENVIRONMNT' };
      p.user = { type: 'string', format: 'reference', referenceType: 'HOST_USER', matches: 'envv' };
      p.other = { type: 'string', referenceType: 'HOST_USER' };
      p.picker = { type: 'string', format: 'reference' };
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.referenceType.unknown',
        range: rangeOf(text, '"UNIX_HOST_ENVIRONMNT"'),
        severity: 'warning',
        dvp: false,
        message: "Unknown referenceType 'UNIX_HOST_ENVIRONMNT'; did you mean 'UNIX_HOST_ENVIRONMENT'?",
      },
      {
        code: 'schema.matches.unknown',
        range: rangeOf(text, '"envv"'),
        severity: 'error',
        dvp: false,
        message: "'matches' names 'envv', not a sibling property; did you mean 'env'?",
      },
      {
        code: 'schema.referenceType.format',
        range: rangeAfter(text, '"other"', '"HOST_USER"'),
        severity: 'warning',
        dvp: false,
        message: `'referenceType' on 'other' in 'linkedSourceDefinition' only has an effect with "format".`,
      },
      {
        code: 'schema.format.referenceType',
        range: rangeAfter(text, '"picker"', '"reference"'),
        severity: 'warning',
        dvp: false,
        message: '"format".',
      },
    ]);
    assert.deepEqual(analyze(applyFix(applyFix(applyFix(text, a.problems[0]), a.problems[1]), a.problems[2])).problems.map((p) => p.code), ['schema.format.referenceType']);
  });

  it("referenceType: the engine's API type names of shipped plugins are as good as the SDK docs' names", () => {
    const known = ['UNIX_HOST_ENVIRONMENT', 'HOST_USER', 'UnixHostEnvironment', 'WindowsHostEnvironment', 'EnvironmentUser', 'UnixHost', 'WindowsHost', 'SourceConfig', 'CyberArkPasswordVault', 'HashiCorpVault', 'AzureVault'];
    // As couchbase and mongo write it: an environment and a user of it, inside an array of nodes.
    const text = schemaText((s) => {
      s.virtualSourceDefinition.properties.nodes = {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            environment: { type: 'string', format: 'reference', referenceType: 'UnixHostEnvironment' },
            environmentUser: { type: 'string', format: 'reference', referenceType: 'EnvironmentUser', matches: 'environment' },
          },
        },
      };
      known.forEach((t, i) => (s.linkedSourceDefinition.properties[`ref${i}`] = { type: 'string', format: 'reference', referenceType: t }));
    });
    assert.deepEqual(analyze(text).problems.map(brief), []);
  });

  it('referenceType: an unknown name gets a did-you-mean over both spellings, short and without markdown', () => {
    const cases: [unknown, string, string | undefined][] = [
      ['WINDOWS_HOST_ENVIRONMENT', "Unknown referenceType 'WINDOWS_HOST_ENVIRONMENT'; did you mean 'WindowsHostEnvironment'?", 'WindowsHostEnvironment'],
      ['UnixHostEnviroment', "Unknown referenceType 'UnixHostEnviroment'; did you mean 'UnixHostEnvironment'?", 'UnixHostEnvironment'],
      ['unix_host_environment', "Unknown referenceType 'unix_host_environment'; did you mean 'UNIX_HOST_ENVIRONMENT'?", 'UNIX_HOST_ENVIRONMENT'],
      ['environmentuser', "Unknown referenceType 'environmentuser'; did you mean 'EnvironmentUser'?", 'EnvironmentUser'],
      ['ENVIRONMENT_USER', "Unknown referenceType 'ENVIRONMENT_USER'; did you mean 'EnvironmentUser'?", 'EnvironmentUser'],
      ['HOST_USR', "Unknown referenceType 'HOST_USR'; did you mean 'HOST_USER'?", 'HOST_USER'],
      ['Database', "Unknown referenceType 'Database'; e.g. 'UNIX_HOST_ENVIRONMENT' or 'UnixHostEnvironment'.", undefined],
      [3, "referenceType must be a type name such as 'UNIX_HOST_ENVIRONMENT', not a number (3).", undefined],
    ];
    for (const [value, message, guess] of cases) {
      const text = schemaText((s) => (s.linkedSourceDefinition.properties.env = { type: 'string', format: 'reference', referenceType: value }));
      const problems = analyze(text).problems;
      assert.deepEqual(problems.map((p) => [p.code, p.severity, p.message]), [['schema.referenceType.unknown', 'warning', message]], String(value));
      assert.ok(!message.includes('`') && message.split('. ')[0].length < 100, message);
      if (guess) {
        assert.equal(problems[0].data!.fixes![0].title, `Change to "${guess}"`);
        assert.deepEqual(analyze(applyFix(text, problems[0])).problems, []);
      } else assert.equal(problems[0].data?.fixes, undefined);
    }
  });

  it('recordSizeInKB default and enum values must be powers of two from 1 to 16384', () => {
    const text = schemaText((s) => (s.linkedSourceDefinition.properties.recordSizeInKB = { type: 'integer', default: 12, enum: [8, 3, 16384, 32768] }));
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.recordSizeInKB.value',
        range: rangeAfter(text, '"recordSizeInKB"', '12'),
        severity: 'warning',
        dvp: false,
        message: 'recordSizeInKB defaults to 12, not a power of two from 1 to 16384.',
      },
      {
        code: 'schema.recordSizeInKB.value',
        range: rangeAfter(text, '"recordSizeInKB"', '3'),
        severity: 'warning',
        dvp: false,
        message: 'recordSizeInKB allows 3, not a power of two from 1 to 16384.',
      },
      {
        code: 'schema.recordSizeInKB.value',
        range: rangeOf(text, '32768'),
        severity: 'warning',
        dvp: false,
        message: 'recordSizeInKB allows 32768, not a power of two from 1 to 16384.',
      },
    ]);
  });
});

describe('schema.json checks beyond dvp: what codegen drops or breaks', () => {
  it('date, date-time and byte formats', () => {
    const text = schemaText((s) => {
      s.snapshotDefinition.properties = { d: { type: 'string', format: 'date' }, t: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'byte' } };
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map((p) => [p.code, p.severity, p.range]), [
      ['schema.format.unsupported', 'warning', rangeOf(text, '"date"')],
      ['schema.format.unsupported', 'warning', rangeOf(text, '"date-time"')],
      ['schema.format.unsupported', 'warning', rangeOf(text, '"byte"')],
    ]);
    assert.equal(a.problems[0].message, '"format".');
    assert.equal(a.problems[2].message, '"format".');
  });

  it('properties codegen leaves out: several types, anyOf/allOf/oneOf/not, no type, null', () => {
    const text = schemaText((s) => {
      s.snapshotDefinition.properties = {
        multi: { type: ['string', 'integer'] },
        any: { anyOf: [{ type: 'string' }] },
        neg: { not: { type: 'string' } },
        bare: { description: 'no type' },
        nothing: { type: 'null' },
        fine: { type: 'string' },
      };
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map((p) => [p.code, p.severity, p.dvp, p.range, p.message]), [
      ['schema.property.dropped', 'warning', false, rangeOf(text, '"multi"'), "'multi' will not exist in the generated class 'SnapshotDefinition'."],
      ['schema.property.dropped', 'warning', false, rangeOf(text, '"any"'), "'any' will not exist in the generated class 'SnapshotDefinition'."],
      ['schema.property.dropped', 'warning', false, rangeOf(text, '"neg"'), "'neg' will not exist in the generated class 'SnapshotDefinition'."],
      ['schema.property.dropped', 'warning', false, rangeOf(text, '"bare"'), "'bare' will not exist in the generated class 'SnapshotDefinition'."],
      ['schema.property.dropped', 'warning', false, rangeOf(text, '"nothing"'), "'nothing' will not exist in the generated class 'SnapshotDefinition'."],
    ]);
  });

  it('a pattern starting with `/` and a string default with an apostrophe', () => {
    const text = schemaText((s) => {
      s.snapshotDefinition.properties = {
        path: { type: 'string', pattern: '/usr/.*' },
        slash: { type: 'string', pattern: '/' },
        owner: { type: 'string', default: "DBA's team" },
        ok: { type: 'string', pattern: '^/usr/.*', default: 'plain' },
      };
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.pattern.slash',
        range: rangeOf(text, '"/usr/.*"'),
        severity: 'warning',
        dvp: false,
        message: "The 'pattern' of 'path' in 'snapshotDefinition' starts with '/'.",
      },
      {
        code: 'schema.pattern.slash',
        range: rangeOf(text, '"/"'),
        severity: 'error',
        dvp: false,
        message: "The 'pattern' of 'slash' in 'snapshotDefinition' starts with '/'.",
      },
      {
        code: 'schema.default.quote',
        range: rangeOf(text, `"DBA's team"`),
        severity: 'error',
        dvp: false,
        message: 'This default contains an apostrophe, which breaks the generated Python; remove it or use ’.',
      },
    ]);
    assert.ok(applyFix(text, a.problems[0]).includes('"pattern": "\\\\/usr/.*"'));
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems.length, 2);
  });

  it('a boolean definition (dvp accepts it, codegen does not)', () => {
    const text = schemaText((s) => (s.snapshotDefinition = true));
    const a = analyze(text);
    assert.deepEqual(a.problems.map((p) => [p.code, p.severity, p.dvp, p.range]), [['schema.definition.boolean', 'error', false, rangeAfter(text, '"snapshotDefinition"', 'true')]]);
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });
});

describe('schema.json checks beyond dvp: Python names', () => {
  it('mountLocation and mount-location collide in Python: an error on each, pointing at the other', () => {
    const text = schemaText((s) => (s.linkedSourceDefinition.properties['mount-location'] = { type: 'string' }));
    const a = analyze(text);
    const first = rangeAfter(text, '"linkedSourceDefinition"', '"mountLocation"', 1);
    const second = rangeOf(text, '"mount-location"');
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.name.collision',
        range: first,
        severity: 'error',
        dvp: false,
        message: "'mountLocation' and 'mount-location' both become 'mount_location' in Python; rename one.",
      },
      {
        code: 'schema.name.collision',
        range: second,
        severity: 'error',
        dvp: false,
        message: "'mount-location' and 'mountLocation' both become 'mount_location' in Python; rename one.",
      },
    ]);
    assert.deepEqual(a.problems[0].related, [{ file: F, range: second, message: "'mount-location' also becomes 'mount_location'" }]);
    assert.deepEqual(a.problems[1].related, [{ file: F, range: first, message: "'mountLocation' also becomes 'mount_location'" }]);
    assert.equal(a.problems[0].data?.pythonName, 'mount_location');
  });

  it('collisions inside a nested object', () => {
    const text = schemaText((s) => (s.virtualSourceDefinition.properties.cfg = { type: 'object', properties: { hostName: { type: 'string' }, host_name: { type: 'string' } } }));
    const a = analyze(text);
    assert.deepEqual(a.problems.map((p) => [p.code, p.range]), [
      ['schema.name.collision', rangeOf(text, '"hostName"')],
      ['schema.name.collision', rangeOf(text, '"host_name"')],
    ]);
    assert.match(a.problems[0].message, /^'hostName' and 'host_name' both become 'host_name' in Python; rename one\.$/);
    assert.match(a.problems[0].detail ?? '', /^In 'cfg' in 'virtualSourceDefinition': /);
  });

  it('async and await (Python keywords codegen does not escape), an empty name, and the class\'s own names', () => {
    const text = schemaText((s) => {
      const p = s.linkedSourceDefinition.properties;
      p.async = { type: 'string' };
      p.await = { type: 'boolean' };
      p['ñ'] = { type: 'string' };
      p.validate = { type: 'boolean' };
      p.swagger_types = { type: 'string' };
      p.attributeMap = { type: 'string' };
      p.class = { type: 'string' };
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      { code: 'schema.name.invalid', range: rangeOf(text, '"async"'), severity: 'error', dvp: false, message: "The property 'async' of 'linkedSourceDefinition' cannot be used from Python." },
      { code: 'schema.name.invalid', range: rangeOf(text, '"await"'), severity: 'error', dvp: false, message: "The property 'await' of 'linkedSourceDefinition' cannot be used from Python." },
      { code: 'schema.name.invalid', range: rangeOf(text, '"ñ"'), severity: 'error', dvp: false, message: "The property 'ñ' of 'linkedSourceDefinition' cannot be used from Python." },
      { code: 'schema.name.internal', range: rangeOf(text, '"validate"'), severity: 'error', dvp: false, message: "'validate' becomes 'validate' in Python, a name the generated class uses; rename it." },
      { code: 'schema.name.internal', range: rangeOf(text, '"swagger_types"'), severity: 'error', dvp: false, message: "'swagger_types' becomes 'swagger_types' in Python, a name the generated class uses; rename it." },
      { code: 'schema.name.internal', range: rangeOf(text, '"attributeMap"'), severity: 'error', dvp: false, message: "'attributeMap' becomes 'attribute_map' in Python, a name the generated class uses; rename it." },
    ]);
  });
});

describe('schema.json checks beyond dvp: typos dvp accepts silently', () => {
  it('requried, prettyname and identityField as warnings with a rename', () => {
    const text = schemaText((s) => {
      s.snapshotParametersDefinition.requried = ['resync'];
      s.snapshotParametersDefinition.properties.resync.prettyname = s.snapshotParametersDefinition.properties.resync.prettyName;
      delete s.snapshotParametersDefinition.properties.resync.prettyName;
      s.sourceConfigDefinition.identityField = ['name'];
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.keyword.misspelled',
        range: rangeOf(text, '"identityField"'),
        severity: 'warning',
        dvp: false,
        message: "Unknown keyword 'identityField'; did you mean 'identityFields'?",
      },
      {
        code: 'schema.keyword.misspelled',
        range: rangeOf(text, '"prettyname"'),
        severity: 'warning',
        dvp: false,
        message: "Unknown keyword 'prettyname'; did you mean 'prettyName'?",
      },
      {
        code: 'schema.keyword.misspelled',
        range: rangeOf(text, '"requried"'),
        severity: 'warning',
        dvp: false,
        message: "Unknown keyword 'requried'; did you mean 'required'?",
      },
    ]);
    assert.equal(
      a.problems[0].detail,
      `Unknown keyword 'identityField' in 'sourceConfigDefinition': dvp accepts unknown keywords silently, so this one has no effect. 'identityFields' is set too, on line ${rangeAfter(text, '"sourceConfigDefinition"', '"identityFields"').start.line + 1}: merge the two.`,
    );
    assert.equal(a.problems[0].data?.fixes, undefined);
    assert.equal(applyFix(text, a.problems[2]), text.replace('"requried"', '"required"'));
    assert.equal(applyFix(text, a.problems[1]), text.replace('"prettyname"', '"prettyName"'));
  });

  it('unknown keywords far from any known one, and property names that look like keywords, are left alone', () => {
    const text = schemaText((s) => {
      s.snapshotDefinition.properties = { tpye: { type: 'string' }, requried: { type: 'string' } };
      s.snapshotDefinition.xDelphixNote = 'kept';
    });
    assert.deepEqual(analyze(text).problems, []);
  });

  it('a key written twice in one object', () => {
    const text = schemaText().replace('"nameField": "name",', '"nameField": "name",\n        "nameField": "name",');
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.duplicateKey',
        range: rangeOf(text, '"nameField"'),
        severity: 'warning',
        dvp: false,
        message: "'nameField' appears again on line 12.",
      },
    ]);
    assert.deepEqual(a.problems[0].related, [{ file: F, range: rangeOf(text, '"nameField"', 1), message: "the next 'nameField'" }]);
  });
});
