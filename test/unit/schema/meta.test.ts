import assert from 'node:assert/strict';
import * as fs from 'fs';
import { describe, it } from 'node:test';
import { keyRange, valueRange } from '../../../core/schema/analyzeSchema';
import { DEFINITION_KEYS } from '../../../core/schema/keywords';
import { analyze, applyFix, brief, EXAMPLE_SCHEMA, rangeAfter, rangeOf, schemaText, withCode } from './helpers';

const ROOT_BRACE = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

describe('schema.json: the example plugin', () => {
  it('has no problems, with every SDK version', () => {
    const text = fs.readFileSync(EXAMPLE_SCHEMA, 'utf8');
    for (const v of ['5.0.1', '5.0.0', '4.0.2', '2.0.0']) assert.deepEqual(analyze(text, v).problems, [], v);
    const a = analyze(text);
    assert.equal(a.syntaxOk, true);
    assert.deepEqual([...a.model.byDefinition.keys()], [...DEFINITION_KEYS]);
  });

  it('locates keys and values by JSON path', () => {
    const text = fs.readFileSync(EXAMPLE_SCHEMA, 'utf8');
    const a = analyze(text);
    const path = ['linkedSourceDefinition', 'properties', 'mountLocation'];
    assert.deepEqual(keyRange(a, path), rangeAfter(text, '"linkedSourceDefinition"', '"mountLocation"', 1));
    assert.deepEqual(valueRange(a, [...path, 'format']), rangeOf(text, '"unixpath"', 2));
    assert.deepEqual(valueRange(a, ['repositoryDefinition', 'identityFields', 0]), rangeAfter(text, '"identityFields"', '"name"'));
    assert.equal(keyRange(a, ['repositoryDefinition', 'identityFields', 0]), undefined);
    assert.equal(keyRange(a, ['linkedSourceDefinition', 'properties', 'nope']), undefined);
    assert.equal(valueRange(a, ['nope', 'x']), undefined);
    assert.deepEqual(valueRange(a, [])?.start, { line: 0, character: 0 });
  });
});

describe('schema.json: what dvp build rejects (meta-schema)', () => {
  for (const def of DEFINITION_KEYS) {
    it(`a missing ${def}`, () => {
      const text = schemaText((s) => delete s[def]);
      const a = analyze(text);
      const missing = withCode(a, 'schema.definition.missing');
      assert.equal(missing.length, 1);
      assert.deepEqual(missing[0].range, ROOT_BRACE);
      assert.equal(missing[0].severity, 'error');
      assert.equal(missing[0].dvp, true);
      assert.equal(missing[0].data?.dvpMessage, `'${def}' is a required property`);
      assert.equal(missing[0].message, `schema.json has no '${def}'.`);
      assert.match(missing[0].detail ?? '', /^dvp requires all six definitions, even those the plugin does not use\. Add /);
      // The quick fix adds a definition that satisfies dvp.
      const fixed = analyze(applyFix(text, missing[0]));
      assert.deepEqual(fixed.problems.map((p) => p.code), []);
    });
  }

  it('an unknown top-level key, and a misspelt definition name', () => {
    const text = schemaText((s) => {
      s.snapshotParameterDefinition = s.snapshotParametersDefinition;
      delete s.snapshotParametersDefinition;
      s.notes = {};
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.definition.missing',
        range: ROOT_BRACE,
        severity: 'error',
        dvp: true,
        message: "schema.json has no 'snapshotParametersDefinition'.",
      },
      {
        code: 'schema.definition.unknown',
        range: rangeOf(text, '"snapshotParameterDefinition"'),
        severity: 'error',
        dvp: true,
        message: "Unknown top-level key 'snapshotParameterDefinition'; did you mean 'snapshotParametersDefinition'?",
      },
      {
        code: 'schema.definition.unknown',
        range: rangeOf(text, '"notes"'),
        severity: 'error',
        dvp: true,
        message: "Unknown top-level key 'notes'.",
      },
    ]);
    assert.equal(applyFix(text, a.problems[1]), text.replace('"snapshotParameterDefinition"', '"snapshotParametersDefinition"'));
  });

  it('a repository definition without nameField and a source config without identityFields', () => {
    const text = schemaText((s) => {
      delete s.repositoryDefinition.nameField;
      delete s.sourceConfigDefinition.identityFields;
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.nameField.missing',
        range: rangeOf(text, '"repositoryDefinition"'),
        severity: 'error',
        dvp: true,
        message: "'repositoryDefinition' needs 'nameField'.",
      },
      {
        code: 'schema.identityFields.missing',
        range: rangeOf(text, '"sourceConfigDefinition"'),
        severity: 'error',
        dvp: true,
        message: "'sourceConfigDefinition' needs 'identityFields'.",
      },
    ]);
    const fixedName = applyFix(text, a.problems[0]);
    assert.match(fixedName, /"identityFields": \[\n {12}"name"\n {8}\],\n {8}"nameField": "name"\n/);
    const fixedIdentity = applyFix(text, a.problems[1]);
    assert.ok(fixedIdentity.includes('"nameField": "name",\n        "identityFields": ["name"]\n'));
  });

  it('a misspelt identityFields: the missing key and the typo are explained together, with a rename', () => {
    const text = schemaText((s) => {
      s.repositoryDefinition.identityField = s.repositoryDefinition.identityFields;
      delete s.repositoryDefinition.identityFields;
    });
    const a = analyze(text);
    assert.deepEqual(a.problems.map((p) => [p.code, p.range, p.severity, p.dvp]), [
      ['schema.identityFields.missing', rangeOf(text, '"repositoryDefinition"'), 'error', true],
      ['schema.keyword.misspelled', rangeOf(text, '"identityField"'), 'warning', false],
    ]);
    assert.match(a.problems[0].detail ?? '', /\('identityField' on line 12 looks like a misspelling of it\.\)/);
    const renamed = applyFix(text, a.problems[0]);
    assert.equal(renamed, text.replace('"identityField"', '"identityFields"'));
    assert.deepEqual(analyze(renamed).problems, []);
  });

  it('a wrong `type` value, with the likely type as a fix', () => {
    const text = schemaText((s) => (s.linkedSourceDefinition.properties.username.type = 'strnig'));
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.type.unknown',
        range: rangeOf(text, '"strnig"'),
        severity: 'error',
        dvp: true,
        message: "'strnig' is not a JSON Schema type; did you mean 'string'?",
      },
    ]);
    assert.equal(a.problems[0].data?.dvpMessage, "'strnig' is not valid under any of the given schemas");
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });

  it('Python type names and a bad item in a type list', () => {
    const text = schemaText((s) => {
      s.snapshotDefinition.properties.a = { type: 'str' };
      s.snapshotDefinition.properties.b = { type: ['string', 7] };
      s.snapshotDefinition.properties.c = { type: ['string', 'string'] };
      s.snapshotDefinition.properties.d = { type: 5 };
    });
    const a = analyze(text).problems.filter((p) => p.dvp);
    assert.deepEqual(a.map((p) => [p.code, p.range]), [
      ['schema.type.unknown', rangeOf(text, '"str"')],
      ['schema.type.unknown', rangeAfter(text, '"b": {', '7')],
      ['schema.type.duplicate', rangeAfter(text, '"c": {', '"string"', 1)],
      ['schema.type.invalid', rangeAfter(text, '"d": {', '5')],
    ]);
    assert.match(a[0].message, /did you mean 'string'\?$/);
    assert.equal(a[2].message, "'type' (in 'c' in 'snapshotDefinition') lists 'string' twice: remove the repeat.");
    assert.equal(a[3].message, `'type' must be a type name such as "string", not a number (5).`);
  });

  it('"additionalProperties": "false" as a string', () => {
    const text = schemaText((s) => (s.linkedSourceDefinition.additionalProperties = 'false'));
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.additionalProperties.string',
        range: rangeOf(text, '"false"'),
        severity: 'error',
        dvp: true,
        message: 'additionalProperties of linkedSourceDefinition must be the boolean false, not the string "false".',
      },
    ]);
    assert.equal(applyFix(text, a.problems[0]), schemaText());
  });

  it('recordSizeInKB must be typed integer from SDK 5.0.1 on', () => {
    const text = schemaText((s) => (s.virtualSourceDefinition.properties.recordSizeInKB = { type: 'string' }));
    const v501 = analyze(text, '5.0.1');
    assert.deepEqual(v501.problems.map(brief), [
      {
        code: 'schema.recordSizeInKB.type',
        range: rangeAfter(text, '"recordSizeInKB"', '"string"'),
        severity: 'error',
        dvp: true,
        message: `'recordSizeInKB' in 'virtualSourceDefinition' must have "type".`,
      },
    ]);
    assert.equal(v501.problems[0].data?.since, '5.0.1');
    assert.deepEqual(analyze(text, '5.0.0').problems, []);
    assert.deepEqual(analyze(text, '4.0.2').problems, []);
    // Nested deeper, the rule does not apply.
    const nested = schemaText((s) => (s.virtualSourceDefinition.properties.opts = { type: 'object', properties: { recordSizeInKB: { type: 'string' } } }));
    assert.deepEqual(analyze(nested, '5.0.1').problems, []);
  });

  it('wrong keyword types and values, one error each with the dvp wording', () => {
    const text = schemaText((s) => {
      s.snapshotDefinition.required = 'name';
      s.snapshotDefinition.properties.c = { type: 'string', maxLength: -1, enum: [], minLength: '3' };
      s.snapshotDefinition.properties.d = { type: 'array', items: 'x', uniqueItems: 'true' };
      s.snapshotDefinition.properties.e = { type: 'number', multipleOf: 0, enum: [1, 1] };
    });
    const a = analyze(text).problems;
    assert.deepEqual(a.map((p) => [p.code, p.message]), [
      ['schema.keyword.range', "'maxLength' of 'c' in 'snapshotDefinition' must be 0 or more, not -1."],
      ['schema.keyword.empty', "'enum' of 'c' in 'snapshotDefinition' is empty: it must list at least one allowed value."],
      ['schema.keyword.type', `'minLength' of 'c' in 'snapshotDefinition' must be a number, not the string "3": remove the quotes.`],
      ['schema.keyword.type', "'items' of 'd' in 'snapshotDefinition' must be a schema object or a list of schemas, not a string."],
      ['schema.keyword.type', 'uniqueItems of d in snapshotDefinition must be the boolean true, not the string "true".'],
      ['schema.keyword.range', "'multipleOf' of 'e' in 'snapshotDefinition' must be greater than 0, not 0."],
      ['schema.keyword.duplicateItem', "'enum' of 'e' in 'snapshotDefinition' lists 1 twice: remove the repeat."],
      ['schema.keyword.type', `'required' of 'snapshotDefinition' must be a list, not a single string: write '["name"]'.`],
    ]);
    assert.ok(a.every((p) => p.dvp && p.severity === 'error'));
    assert.deepEqual(a[0].range, rangeOf(text, '-1'));
    assert.deepEqual(a[6].range, rangeAfter(text, '"multipleOf": 0', '1', 1));
  });

  it('a definition that is not an object', () => {
    const text = schemaText((s) => (s.repositoryDefinition = 'repository'));
    const a = analyze(text);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.definition.type',
        range: rangeOf(text, '"repository"'),
        severity: 'error',
        dvp: true,
        message: 'repositoryDefinition must be a JSON Schema object, not a string ("repository").',
      },
    ]);
  });

  it('validates the best-effort tree of a file with a syntax error too', () => {
    const text = schemaText((s) => (s.linkedSourceDefinition.additionalProperties = 'false')).replace('"nameField": "name",', '"nameField": "name" // display name\n,');
    const a = analyze(text);
    assert.deepEqual(a.problems.map((p) => p.code), ['schema.syntax.comment', 'schema.additionalProperties.string']);
  });
});
