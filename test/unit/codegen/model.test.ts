import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildModel } from '../../../core/model';

describe('buildModel (InlineModelResolver rules)', () => {
  it('flattens the children of array items before naming the items class', () => {
    const m = buildModel({
      repositoryDefinition: {
        type: 'object',
        properties: { k: { type: 'array', items: { type: 'object', properties: { k: { type: 'object', properties: { x: { type: 'string' } } } } } } },
      },
    });
    assert.deepEqual(m.classes.map((c) => [c.name, c.rawName, c.path.join('.')]), [
      ['RepositoryDefinitionK', 'repositoryDefinition_k', 'repositoryDefinition.properties.k.items.properties.k'],
      ['RepositoryDefinitionK1', 'repositoryDefinition_k_1', 'repositoryDefinition.properties.k.items'],
      ['RepositoryDefinition', 'repositoryDefinition', 'repositoryDefinition'],
    ]);
    assert.equal(m.byName.get('RepositoryDefinition')!.properties[0].pythonType, 'List[RepositoryDefinitionK1]');
  });

  it('deduplicates objects that differ only in keywords swagger does not keep', () => {
    const m = buildModel({
      linkedSourceDefinition: {
        type: 'object',
        properties: {
          a: { type: 'object', properties: { host: { type: 'string', prettyName: 'Host A' } } },
          b: { type: 'object', properties: { host: { type: 'string', prettyName: 'Host B' } } },
          c: { type: 'object', properties: { host: { type: 'string', description: 'differs' } } },
        },
      },
    });
    assert.deepEqual(m.classes.map((c) => c.name), ['LinkedSourceDefinitionA', 'LinkedSourceDefinitionC', 'LinkedSourceDefinition']);
    assert.deepEqual(m.byName.get('LinkedSourceDefinitionA')!.alsoAt, [['linkedSourceDefinition', 'properties', 'b']]);
  });

  it('treats any schema with `properties` as an object, as swagger-core does', () => {
    const m = buildModel({ d: { type: 'object', properties: { p: { type: 'string', properties: { q: { type: 'integer' } } } } } });
    assert.equal(m.byName.get('D')!.properties[0].kind, 'model');
    assert.equal(m.byName.get('D')!.properties[0].pythonType, 'DP');
  });
});
