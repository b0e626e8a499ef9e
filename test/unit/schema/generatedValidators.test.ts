// The meta-schema validators are generated at development time (no run-time ajv compile): the committed
// file must be what pluginMetaSchema.json gives today, and must judge schemas exactly as ajv compiling
// the meta-schema does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { metaSchemaFor, metaValidatorsSource } from '../../../core/schema/metaValidatorSource';
import { LINEAR_UNIQUE_ITEMS, uniqueItemsLinear } from '../../../core/schema/linearUniqueItems';
import { metaValidator } from '../../../core/schema/metaValidation';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

test('core/schema/generated/metaValidators.ts is up to date with pluginMetaSchema.json (npm run generate:validators)', () => {
  const committed = fs.readFileSync(path.join(ROOT, 'core', 'schema', 'generated', 'metaValidators.ts'), 'utf8');
  assert.ok(committed === metaValidatorsSource(), 'run `npm run generate:validators` and commit the result');
});

test('the generated validators give the same verdicts and errors as a run-time ajv compile', () => {
  const samples: unknown[] = [
    {},
    { repositoryDefinition: { type: 'object', properties: { a: { type: 'bool' } } } },
    { linkedSourceDefinition: { type: 'object', properties: { e: { type: 'string', enum: ['x', 'y', 'x'] } } } },
    { virtualSourceDefinition: { type: 'object', properties: { e: { enum: [{ a: 1, b: 2 }, 3, { b: 2, a: 1 }] } } } },
    JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'first-plugin', 'schema.json'), 'utf8')),
    { snapshotDefinition: { type: 'object', required: 'name', additionalProperties: 3, items: [1], dependencies: { a: 4 } } },
  ];
  for (const recordSize of [true, false]) {
    // As the checks compiled it at run time before: the linear keyword as a `validate` function.
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: LINEAR_UNIQUE_ITEMS, type: 'array', schema: false, errors: true, validate: uniqueItemsLinear });
    const compiled = ajv.compile(metaSchemaFor(recordSize));
    const generated = metaValidator(recordSize);
    for (const s of samples) {
      const a = compiled(s);
      const b = generated(s);
      assert.equal(b, a, JSON.stringify(s));
      // Field order aside, the same errors.
      const norm = (errors: unknown) => JSON.stringify(((errors ?? []) as Record<string, unknown>[]).map((e) => Object.fromEntries(Object.entries(e).sort())));
      assert.equal(norm(generated.errors), norm(compiled.errors), JSON.stringify(s));
    }
  }
});

test('core/sync/generated/profileValidator.ts is up to date with SYNC_PROFILE_SCHEMA and judges profiles as a run-time compile does', async () => {
  const { profileAjv, profileValidatorSource } = await import('../../../core/sync/profileValidatorSource');
  const { SYNC_PROFILE_SCHEMA } = await import('../../../core/sync/profileSchema');
  const generated = (await import('../../../core/sync/generated/profileValidator')).default as unknown as ((v: unknown) => boolean) & { errors?: unknown };
  const committed = fs.readFileSync(path.join(ROOT, 'core', 'sync', 'generated', 'profileValidator.ts'), 'utf8');
  assert.ok(committed === profileValidatorSource(), 'run `npm run generate:validators` and commit the result');
  const compiled = profileAjv(false).compile(SYNC_PROFILE_SCHEMA);
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'first-plugin', '.delphix', 'sync', 'local.json'), 'utf8'));
  for (const s of [example, {}, { ...example, environments: 3, extra: true }, { ...example, repository: [] }]) {
    assert.equal(generated(s), compiled(s));
    assert.equal(JSON.stringify(generated.errors ?? null), JSON.stringify(compiled.errors ?? null));
  }
});
