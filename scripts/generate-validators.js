// Writes core/schema/generated/metaValidators.ts: the meta-schema validators as standalone ajv code,
// so no process compiles the meta-schema at run time. Run after changing pluginMetaSchema.json
// (`npm run generate:validators`); a unit test fails while the file is out of date.
const fs = require('fs');
const path = require('path');
const { metaValidatorsSource } = require('../out/core/schema/metaValidatorSource');

const out = path.join(__dirname, '..', 'core', 'schema', 'generated', 'metaValidators.ts');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, metaValidatorsSource());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
