// The extension-host test runner: what `extensionTestsPath` points to (compiled to
// out/test/e2e/index.js). VS Code requires this module inside the extension host and awaits run();
// resolving means "all passed", rejecting makes the host report exit code 1. The same contract as
// @vscode/test-electron, so scripts/run-ext-tests.js (code-server) and a desktop VS Code can both use it.
//
// Which suites run: the files `<suite>.e2e.js` and `<suite>.<anything>.e2e.js` next to this file,
// where <suite> is $E2E_SUITE or else the name of the first workspace folder. Each suite is written
// for the workspace test/fixtures/e2e/<suite>/ (scripts/run-ext-tests.js opens a scratch copy of it
// under the same folder name), so one VS Code window runs exactly the suites meant for its workspace.
//
// Environment (set on the code-server process; the extension host inherits it):
//   E2E_SUITE    suite name, overriding the workspace folder name
//   E2E_GREP     only tests whose full title matches this regular expression
//   E2E_RESULTS  path of a JSON summary {passed, failed, pending, failures[], pendingTitles[]}
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface E2eFailure {
  title: string;
  error: string;
  stack?: string;
}

export interface E2eResults {
  suite: string;
  files: string[];
  passed: number;
  failed: number;
  pending: number;
  failures: E2eFailure[];
  pendingTitles: string[];
  host: Record<string, string | number | undefined>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The compiled suite files for `suite`, sorted so runs are reproducible. */
export function suiteFiles(dir: string, suite: string): string[] {
  const pattern = new RegExp(`^${escapeRegExp(suite)}(\\.[^/]+)?\\.e2e\\.js$`);
  return fs
    .readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

function hostFacts(): Record<string, string | number | undefined> {
  // Required lazily: this module is also loaded by `node --test out/test/`, where 'vscode' is absent.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vscode = require('vscode') as typeof import('vscode');
  return {
    vscode: vscode.version,
    node: process.versions.node,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
    remoteName: vscode.env.remoteName,
    appName: vscode.env.appName,
  };
}

function currentSuiteName(): string {
  if (process.env.E2E_SUITE) return process.env.E2E_SUITE;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vscode = require('vscode') as typeof import('vscode');
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('No workspace folder is open and E2E_SUITE is not set: cannot tell which e2e suite to run');
  }
  return path.basename(folder.uri.fsPath);
}

function errorText(err: unknown): { error: string; stack?: string } {
  if (err instanceof Error) return { error: err.message, stack: err.stack };
  return { error: String(err) };
}

export async function run(): Promise<void> {
  const results: E2eResults = {
    suite: process.env.E2E_SUITE ?? '',
    files: [],
    passed: 0,
    failed: 0,
    pending: 0,
    failures: [],
    pendingTitles: [],
    host: {},
  };
  const writeResults = (): void => {
    if (process.env.E2E_RESULTS) fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(results, null, 2));
  };
  // Anything that goes wrong before mocha runs (no suite for this workspace, a suite that throws while
  // loading, a bad E2E_GREP) must fail the run with its reason, not vanish.
  const failBeforeRun = (title: string, err: unknown): never => {
    results.failed = 1;
    results.failures.push({ title, ...errorText(err) });
    writeResults();
    throw err;
  };

  let mocha: Mocha;
  try {
    const suite = currentSuiteName();
    results.suite = suite;
    const files = suiteFiles(__dirname, suite);
    if (files.length === 0) {
      throw new Error(
        `No e2e suite for workspace "${suite}": expected ${path.join(__dirname, `${suite}.e2e.js`)} ` +
          `(write test/e2e/${suite}.e2e.ts and compile with npx tsc -p .)`,
      );
    }
    results.files = files.map((f) => path.basename(f));
    results.host = hostFacts();
    const host = results.host;
    console.log(
      `e2e suite "${suite}" in VS Code ${host.vscode} (${host.uiKind}${host.remoteName ? `, remote ${host.remoteName}` : ''}), ` +
        `Node ${host.node}: ${results.files.join(', ')}`,
    );
    mocha = new Mocha({
      ui: 'tdd',
      color: false,
      reporter: 'spec',
      // Tests wait by polling with their own deadlines (helpers.waitFor); this is only the backstop.
      timeout: 60_000,
      grep: process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP) : undefined,
    });
    for (const file of files) mocha.addFile(file);
  } catch (err) {
    return failBeforeRun('preparing the e2e run', err);
  }
  try {
    await mocha.loadFilesAsync();
  } catch (err) {
    return failBeforeRun(`loading suite "${results.suite}"`, err);
  }

  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      results.passed = runner.stats?.passes ?? 0;
      results.failed = runner.stats?.failures ?? failures;
      results.pending = runner.stats?.pending ?? 0;
      writeResults();
      if (failures > 0) reject(new Error(`${failures} e2e test(s) failed in suite "${results.suite}"`));
      else resolve();
    });
    runner.on('fail', (test, err) => results.failures.push({ title: test.fullTitle(), ...errorText(err) }));
    runner.on('pending', (test) => results.pendingTitles.push(test.fullTitle()));
  });
}
