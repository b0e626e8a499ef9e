// Configuration for @vscode/test-cli (`npx vscode-test`), for anyone with a desktop VS Code: it runs
// the same mocha suites as scripts/run-ext-tests.js does in code-server. It is not used on the CI
// machine (test-cli downloads VS Code, which needs internet) and @vscode/test-cli is not a dependency:
// install it yourself (`npm i --no-save @vscode/test-cli @vscode/test-electron`), then
//   npm run compile && npm run build && npx vscode-test            (every workspace)
//   npx vscode-test --label plugin                                  (one workspace)
//
// One configuration per workspace folder in test/fixtures/e2e/<name>/, running the compiled suites
// out/test/e2e/<name>.e2e.js and <name>.*.e2e.js in it, on a copy laid out as the CI run lays it out
// (scripts/e2e-workspace.js) under .vscode-test/workspaces/.
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const { prepareWorkspace } = createRequire(import.meta.url)('./scripts/e2e-workspace.js');

const workspaces = fs
  .readdirSync('test/fixtures/e2e', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

export default defineConfig(
  workspaces.map((name) => ({
    label: name,
    files: [`out/test/e2e/${name}.e2e.js`, `out/test/e2e/${name}.*.e2e.js`],
    workspaceFolder: prepareWorkspace(`test/fixtures/e2e/${name}`, `.vscode-test/workspaces/${name}`),
    // The version code-server 4.100.3 embeds, which the CI suite runs against.
    version: '1.100.3',
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    env: { E2E_SUITE: name },
    mocha: { ui: 'tdd', timeout: 60000, color: true },
  })),
);
