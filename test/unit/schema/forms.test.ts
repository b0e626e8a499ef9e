import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, rangeOf, schemaText } from './helpers';

const codes = (text: string, prefix: string) => analyze(text).problems.filter((p) => p.code.startsWith(prefix));

function withLinked(mutate: (linked: Record<string, any>) => void): string {
  return schemaText((s) => mutate(s.linkedSourceDefinition));
}

describe('schema.json: hideExpression diagnostics', () => {
  it('the example plugin has none', () => {
    assert.deepEqual(codes(schemaText(), 'schema.hideExpression').concat(codes(schemaText(), 'schema.ordering')), []);
  });

  it('documented forms that name existing properties are accepted', () => {
    const text = withLinked((l) => {
      l.properties.username.dxFormProperties = { hideExpression: "!model.sourceAddress || model.sourceAddress === 'localhost'" };
      l.properties.details = {
        type: 'object',
        properties: { port: { type: 'integer', dxFormProperties: { hideExpression: '!field.parent.parent.model?.sourceAddress && !model.port' } } },
      };
      l.properties.hosts = {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string', dxFormProperties: { hideExpression: 'field.parent.parent.model.length > 3 || !field.parent.parent.parent.model?.details?.port' } } } },
      };
    });
    assert.deepEqual(codes(text, 'schema.hideExpression').filter((p) => p.code !== 'schema.hideExpression.hidesRequired'), []);
  });

  it('an expression that does not parse is an error on the string', () => {
    const text = withLinked((l) => { l.properties.mountLocation.dxFormProperties = { hideExpression: 'model.username ==' }; });
    const [p] = codes(text, 'schema.hideExpression.syntax');
    assert.equal(p.severity, 'error');
    assert.deepEqual(p.range, rangeOf(text, '"model.username =="'));
    assert.match(p.message, /^This hideExpression does not parse: it is not a valid expression: Expected expression after == at character 18/);
    assert.match(p.detail ?? '', /^The hideExpression of 'mountLocation' in 'linkedSourceDefinition'\./);
  });

  it('hostile expressions are errors and say which forms are accepted', () => {
    for (const expr of ['model.constructor', "alert('x')", 'window.name', 'model.a.__proto__']) {
      const text = withLinked((l) => { l.properties.sourceAddress.dxFormProperties = { hideExpression: expr }; });
      const [p] = codes(text, 'schema.hideExpression.unsupported');
      assert.ok(p, expr);
      assert.match(p.message, /^This hideExpression is refused: /, expr);
      assert.match(p.detail ?? '', /Plugin Studio accepts the forms the SDK documents/, expr);
    }
  });

  it('a misspelt property is an error with a fix', () => {
    const text = withLinked((l) => { l.properties.mountLocation.dxFormProperties = { hideExpression: '!model.usrname' }; });
    const [p] = codes(text, 'schema.hideExpression.unknownProperty');
    assert.equal(p.severity, 'error');
    assert.match(p.message, /^'model.usrname' names 'usrname', which is not a property of this field's object; did you mean 'username'\?$/);
    const fixes = (p.data as any).fixes;
    assert.equal(fixes[0].edits[0].newText, '"!model.username"');
  });

  it('a missing nested property and a path through a scalar', () => {
    const text = withLinked((l) => {
      l.properties.details = { type: 'object', properties: { port: { type: 'integer', dxFormProperties: { hideExpression: 'field.parent.parent.model?.details?.prot' } } } };
      l.properties.username.dxFormProperties = { hideExpression: 'model.sourceAddress.host' };
    });
    const msgs = codes(text, 'schema.hideExpression.unknownProperty').map((p) => p.message);
    assert.equal(msgs.length, 2);
    assert.ok(msgs.some((m) => /names 'prot', which is not a property of 'details'; did you mean 'port'\?/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /reads 'host' of 'sourceAddress', which is a string/.test(m)), msgs.join('\n'));
  });

  it('climbing above the definition is an error', () => {
    const text = withLinked((l) => { l.properties.username.dxFormProperties = { hideExpression: '!field.parent.parent.model?.sourceAddress' }; });
    const [p] = codes(text, 'schema.hideExpression.unknownProperty');
    assert.match(p.message, /climbs above the definition/);
  });

  it('open objects are not judged (precision first)', () => {
    const text = withLinked((l) => {
      l.properties.extra = { type: 'object', additionalProperties: { type: 'string' } };
      l.properties.username.dxFormProperties = { hideExpression: '!model.extra?.anything' };
    });
    assert.deepEqual(codes(text, 'schema.hideExpression.unknownProperty'), []);
  });

  it('a required field that an expression can hide is a warning', () => {
    const text = withLinked((l) => { l.properties.username.dxFormProperties = { hideExpression: '!model.sourceAddress' }; });
    const [p] = codes(text, 'schema.hideExpression.hidesRequired');
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, rangeOf(text, '"!model.sourceAddress"'));
    assert.match(p.message, /'username' is required in 'linkedSourceDefinition', but this hideExpression can hide it/);
    assert.deepEqual(p.related?.[0].range, rangeOf(text, '"username"'));
    // An optional field may be hidden.
    const optional = schemaText((s) => { s.snapshotParametersDefinition.properties.resync.dxFormProperties = { hideExpression: 'false' }; });
    assert.deepEqual(codes(optional, 'schema.hideExpression'), []);
  });
});

describe('schema.json: ordering', () => {
  it('a repeated name is a warning with a fix that removes it', () => {
    const text = withLinked((l) => { l.ordering = ['sourceAddress', 'username', 'sourceAddress', 'mountLocation']; });
    const [p] = codes(text, 'schema.ordering.duplicate');
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, rangeOf(text, '"sourceAddress"', 3));
    assert.match(p.message, /^'sourceAddress' is listed again in 'ordering' \(first on line \d+\)\.$/);
    const edit = (p.data as any).fixes[0].edits[0];
    assert.equal(edit.newText, '');
  });

  it('a property left out is a warning with a fix that appends it', () => {
    const text = withLinked((l) => { l.ordering = ['sourceAddress']; });
    const [p] = codes(text, 'schema.ordering.incomplete');
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /^'ordering' leaves out 'username', 'mountLocation'\.$/);
    assert.equal((p.data as any).fixes[0].edits[0].newText, ', "username", "mountLocation"');
    // Unknown names are still the existing check's business, once.
    const unknown = withLinked((l) => { l.ordering = ['sourceAddress', 'username', 'mountLocation', 'nope']; });
    assert.deepEqual(analyze(unknown).problems.filter((q) => q.code.startsWith('schema.ordering')).map((q) => q.code), ['schema.ordering.unknown']);
  });
});
