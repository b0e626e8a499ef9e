// Writes snippets/python.json and snippets/schema.json from core/snippets (compiled to out/).
const fs = require('fs');
const path = require('path');
const { pythonSnippets, schemaSnippets } = require('../out/core/snippets/snippets.js');
const dir = path.join(__dirname, '..', 'snippets');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'python.json'), JSON.stringify(pythonSnippets(), null, 2) + '\n');
fs.writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(schemaSnippets(), null, 2) + '\n');
console.log('snippets written');
// The JSON Schema of sync profiles, for VS Code's JSON completion in .delphix/sync/*.json.
const { SYNC_PROFILE_SCHEMA } = require('../out/core/sync/profileSchema.js');
fs.mkdirSync(path.join(__dirname, '..', 'schemas'), { recursive: true });
fs.writeFileSync(path.join(__dirname, '..', 'schemas', 'sync-profile.schema.json'), JSON.stringify(SYNC_PROFILE_SCHEMA, null, 2) + '\n');
console.log('sync profile schema written');
