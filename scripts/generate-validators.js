// Writes the validators of fixed schemas (the meta-schema, the sync profile's structure) as standalone
// ajv code, so no process compiles them at run time. Run after changing pluginMetaSchema.json
// (`npm run generate:validators`); a unit test fails while the file is out of date.
const fs = require('fs');
const path = require('path');
const { metaValidatorsSource } = require('../out/core/schema/metaValidatorSource');
const { profileValidatorSource } = require('../out/core/sync/profileValidatorSource');

for (const [file, source] of [
  [['core', 'schema', 'generated', 'metaValidators.ts'], metaValidatorsSource],
  [['core', 'sync', 'generated', 'profileValidator.ts'], profileValidatorSource],
]) {
  const out = path.join(__dirname, '..', ...file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, source());
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
