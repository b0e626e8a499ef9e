import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { schemaForValues } from '../../../core/sync/valuesSchema';
import { Rng } from '../../fuzz/rng';

const ajvOptions = { allErrors: true, strict: false, validateFormats: false, validateSchema: false, addUsedSchema: false, loopEnum: 64, loopRequired: 64 };

/** What a profile check reports: every error, as text, in order. */
function verdict(schema: Record<string, unknown>, values: unknown): string[] {
  const validate = new Ajv(ajvOptions).compile(JSON.parse(JSON.stringify(schema)));
  validate(values);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
}

const KINDS = [
  { type: 'string', maxLength: 3 },
  { type: 'integer', minimum: 0 },
  { type: 'boolean' },
  { type: 'object', required: ['x'], additionalProperties: false, properties: { x: { type: 'string' } } },
  { type: 'array', items: { enum: ['a', 'b'] } },
];
const SAMPLES: unknown[] = ['ab', 'abcdef', 7, -1, true, { x: 'y' }, { x: 1, z: 2 }, ['a'], ['c'], null];

function definition(rng: Rng, n: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) properties[`p${i}`] = KINDS[rng.int(KINDS.length)];
  const required = Array.from({ length: rng.int(80) }, () => `p${rng.int(n + 5)}`);
  return { type: 'object', additionalProperties: rng.int(2) === 0, required, properties };
}

function values(rng: Rng, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = rng.int(12); i > 0; i--) out[`p${rng.int(n + 5)}`] = SAMPLES[rng.int(SAMPLES.length)];
  return out;
}

describe('schemaForValues (what a profile check compiles of a large definition)', () => {
  it('gives the same errors as the whole definition, for random definitions and values (seed 17)', () => {
    const rng = new Rng(17);
    for (let round = 0; round < 30; round++) {
      const n = 64 + rng.int(200);
      const schema = definition(rng, n);
      const v = values(rng, n);
      const pruned = schemaForValues(schema, v);
      assert.notEqual(pruned, schema, 'a definition of 64 properties or more is pruned');
      assert.deepEqual(verdict(pruned, v), verdict(schema, v), `round ${round}`);
    }
  });

  it('keeps only the subschemas of the properties the values hold', () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 20000; i++) properties[`p${i}`] = { type: 'string' };
    const pruned = schemaForValues({ type: 'object', properties }, { p3: 'x' });
    const kept = Object.entries(pruned.properties as Record<string, unknown>).filter(([, s]) => s !== true);
    assert.deepEqual(kept, [['p3', { type: 'string' }]]);
    assert.equal(Object.keys(pruned.properties as object).length, 20000, 'every name still counts for additionalProperties');
  });

  it('leaves small definitions and definitions with references into themselves whole', () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) properties[`p${i}`] = { type: 'string' };
    const small = { type: 'object', properties: { a: { type: 'string' } } };
    assert.equal(schemaForValues(small, {}), small);
    const recursive = { type: 'object', properties: { ...properties, child: { $ref: '#' } } };
    assert.equal(schemaForValues(recursive, { child: { p1: 1 } }), recursive);
    const platform = { type: 'object', properties: { ...properties, c: { $ref: 'https://delphix.com/platform/api#/definitions/credentialsSupplier' } } };
    assert.notEqual(schemaForValues(platform, {}), platform);
  });
});
