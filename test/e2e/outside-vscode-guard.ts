// `node --test out/test/` runs EVERY .js file below a directory named `test`, including these
// end-to-end suites, whose `require('vscode')` only resolves inside a VS Code extension host. Import
// this module FIRST in every test/e2e file that imports 'vscode' (TypeScript emits requires in source
// order): under node's test runner it says why the file has no tests here and ends the file's process
// cleanly, instead of failing `npm test` with "Cannot find module 'vscode'".
if (process.env.NODE_TEST_CONTEXT) {
  const file = require.main?.filename ?? 'this file';
  process.stdout.write(
    `${file} belongs to the VS Code end-to-end tests: run them with scripts/run-ext-tests.js, not node --test\n`,
  );
  process.exit(0);
}

export {};
