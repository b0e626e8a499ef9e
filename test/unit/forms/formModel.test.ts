import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildForms } from '../../../core/forms/formModel';
import { validateForm } from '../../../core/forms/formValidation';
import { defaultValues, keepValues, submittedValues, visibility } from '../../../core/forms/formValues';
import { profileSectionEdit } from '../../../core/forms/profileValues';

const schema = {
  linkedSourceDefinition: {
    type: 'object',
    required: ['host', 'user'],
    ordering: ['user', 'host'],
    properties: {
      host: { type: 'string', prettyName: 'Host', pattern: '^[a-z.]+$', dxFormProperties: { validationMessages: { pattern: 'Lower-case host names only.' } } },
      user: { type: 'string', prettyName: 'User', description: 'SSH user' },
      usePassword: { type: 'boolean', default: false },
      password: { type: 'string', format: 'password', dxFormProperties: { hideExpression: '!model.usePassword' } },
      mode: { type: 'string', enum: ['FAST', 'SAFE'], default: 'SAFE' },
      env: { type: 'string', format: 'reference', referenceType: 'UNIX_HOST_ENVIRONMENT' },
      creds: { $ref: 'https://delphix.com/platform/api#/definitions/keyCredentialsSupplier' },
      notes: { type: 'string', dxFormProperties: { rows: 4 } },
      port: { type: 'integer', multipleOf: 2, dxFormProperties: { validationMessages: { multipleOf: 'Even ports only.' } } },
      advanced: {
        type: 'object',
        dxFormProperties: { collapsible: true, expanded: false },
        properties: { level: { type: 'integer', dxFormProperties: { hideExpression: 'field.parent.parent.model?.mode === "FAST"' } } },
      },
      tags: { type: 'array', minItems: 1, items: { type: 'string' }, dxFormProperties: { validationMessages: { minItems: 'At least one tag.' } } },
      broken: { type: 'string', dxFormProperties: { hideExpression: 'alert(1)' } },
    },
  },
  snapshotParametersDefinition: { type: 'object', properties: { resync: { type: 'boolean', default: false, prettyName: 'Resynchronize' } } },
};

describe('forms preview model', () => {
  const [linked, snap] = buildForms(schema);

  it('makes the wizards of the definitions present, in the engine order, fields in `ordering` then the rest', () => {
    assert.deepEqual([linked.definition, linked.title, snap.definition, snap.title], ['linkedSourceDefinition', 'Add dSource', 'snapshotParametersDefinition', 'Snapshot']);
    const fields = linked.root.children!;
    assert.deepEqual(fields.map((f) => f.key).slice(0, 3), ['user', 'host', 'usePassword']);
    assert.deepEqual(fields.map((f) => [f.key, f.label, f.kind, f.required, f.unordered ?? false]).slice(0, 2), [['user', 'User', 'text', true, false], ['host', 'Host', 'text', true, false]]);
    assert.equal(fields[2].unordered, true);
  });

  it('reads kinds, defaults, enums, references, credentials, rows and dxFormProperties', () => {
    const by = Object.fromEntries(linked.root.children!.map((f) => [f.key, f]));
    assert.equal(by.password.kind, 'password');
    assert.equal(by.password.hide?.text, '!model.usePassword');
    assert.deepEqual([by.mode.kind, by.mode.enumValues, by.mode.default], ['select', ['FAST', 'SAFE'], 'SAFE']);
    assert.deepEqual([by.env.kind, by.env.referenceType], ['reference', 'UNIX_HOST_ENVIRONMENT']);
    assert.deepEqual([by.creds.kind, by.creds.credentialTypes], ['credentials', ['NamedKeyPairCredential', 'CyberArkVaultCredential', 'HashiCorpVaultCredential']]);
    assert.deepEqual([by.notes.kind, by.notes.rows], ['textarea', 4]);
    assert.deepEqual([by.advanced.kind, by.advanced.collapsible, by.advanced.expanded, by.advanced.children![0].key], ['object', true, false, 'level']);
    assert.deepEqual([by.tags.kind, by.tags.item?.kind], ['array', 'text']);
    assert.match(by.broken.hide?.problem ?? '', /calls a function/);
    assert.equal(by.password.hide?.warning, undefined);
    const [typo] = buildForms({ linkedSourceDefinition: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string', dxFormProperties: { hideExpression: '!model.aa' } } } } });
    assert.match(typo.root.children![1].hide?.warning ?? '', /`model.aa` names `aa`, which is not a property of this field's object/);
    assert.ok(typo.root.children![1].hide?.expr, 'still evaluated, as the engine would');
    assert.deepEqual(defaultValues(linked.root), { usePassword: false, mode: 'SAFE', advanced: {} });
  });

  it('hideExpressions follow the values, nested ones through field.parent.parent.model', () => {
    assert.deepEqual([...visibility(linked.root, { usePassword: false }).hidden], ['/password']);
    assert.deepEqual([...visibility(linked.root, { usePassword: true, mode: 'FAST' }).hidden], ['/advanced/level']);
    assert.deepEqual(submittedValues(linked.root, { usePassword: false, password: 'x', user: '', host: 'h' }), { usePassword: false, host: 'h' });
  });

  it('keeps typed values whose field still exists after a schema edit', () => {
    const typed = { user: 'bob', host: 'h', mode: 'FAST', gone: 1, tags: ['a'], usePassword: 'yes' };
    const edited = structuredClone(schema);
    (edited.linkedSourceDefinition.properties as Record<string, unknown>).mode = { type: 'string', enum: ['SAFE'] };
    const [after] = buildForms(edited);
    assert.deepEqual(keepValues(after.root, typed), { user: 'bob', host: 'h', tags: ['a'] });
  });

  it('validates with the schema rules and shows validationMessages', () => {
    const r = validateForm(schema.linkedSourceDefinition, linked.root, { host: 'BAD HOST', port: 3, tags: [], usePassword: false, password: 'ignored-while-hidden' });
    assert.ok(r.ok);
    const byPtr = Object.fromEntries(r.errors.map((e) => [e.pointer, [e.keyword, e.message, e.custom]]));
    assert.deepEqual(byPtr['/host'], ['pattern', 'Lower-case host names only.', true]);
    assert.deepEqual(byPtr['/user'], ['required', 'This field is required.', false]);
    assert.deepEqual(byPtr['/port'], ['multipleOf', 'Even ports only.', true]);
    assert.deepEqual(byPtr['/tags'], ['minItems', 'At least one tag.', true]);
    assert.equal(byPtr['/password'], undefined);
    const good = validateForm(schema.linkedSourceDefinition, linked.root, { host: 'db.example', user: 'u', tags: ['x'] });
    assert.deepEqual(good.ok && good.errors, []);
  });
});

describe('Use these values: the profile edit', () => {
  const profile = '{\n    "description": "kept",\n    "linkedSource": { "old": 1 },\n    "timeouts": { "operationSeconds": 300 }\n}\n';

  it('replaces the section and keeps the rest and the indentation', () => {
    const r = profileSectionEdit(profile, 'linkedSourceDefinition', { host: 'h', user: 'u' });
    assert.ok(r.ok);
    const parsed = JSON.parse(r.text);
    assert.deepEqual(parsed, { description: 'kept', linkedSource: { host: 'h', user: 'u' }, timeouts: { operationSeconds: 300 } });
    assert.ok(r.text.includes('\n    "description": "kept"'));
  });

  it('adds a missing section (snapshot parameters, virtual source)', () => {
    const r = profileSectionEdit(profile, 'snapshotParametersDefinition', { resync: true });
    assert.ok(r.ok);
    assert.deepEqual(JSON.parse(r.text).snapshotParameters, { resync: true });
    const v = profileSectionEdit(profile, 'virtualSourceDefinition', { mountLocation: '/mnt/x' });
    assert.ok(v.ok);
    assert.deepEqual(JSON.parse(v.text).virtualSource, { mountLocation: '/mnt/x' });
  });

  it('refuses a broken profile and a definition without a section', () => {
    const broken = profileSectionEdit('{ "linkedSource": ', 'linkedSourceDefinition', {});
    assert.equal(broken.ok, false);
    assert.match(!broken.ok ? broken.message : '', /not a valid JSON object/);
    assert.equal(profileSectionEdit(profile, 'snapshotDefinition', {}).ok, false);
  });
});
