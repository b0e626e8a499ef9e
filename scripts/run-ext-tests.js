#!/usr/bin/env node
// Runs the end-to-end mocha suites inside a real VS Code extension host: code-server (VS Code 1.100.3)
// driven by headless Chromium through playwright-core. @vscode/test-electron cannot download VS Code
// here, so this does what it does by other means: the web workbench accepts extensionDevelopmentPath /
// extensionTestsPath through its `payload` URL parameter and reports the verdict by calling
// window.codeAutomationExit(code), which Playwright exposes to us.
//
//   node scripts/run-ext-tests.js [options] [WORKSPACE...]
//
// WORKSPACE is a folder name under test/fixtures/e2e/ or a path to a folder; default: every folder in
// test/fixtures/e2e/. Each workspace gets its own code-server process and browser page (a fresh
// extension host), opened on a scratch COPY of the folder that keeps the folder's name; the runner
// (out/test/e2e/index.js) runs the suites test/e2e/<name>.e2e.ts and <name>.*.e2e.ts for it.
//
// The suites get E2E_SUITE, E2E_RESULTS, E2E_GREP and E2E_USER_DATA (the scratch user-data folder) in
// their environment.
//
// Options:
//   --code-server BIN   code-server binary (env CODE_SERVER_BIN; default .vscode-test/code-server-4.100.3/...)
//   --tests FILE        extensionTestsPath (default out/test/e2e/index.js)
//   --extension DIR     extensionDevelopmentPath (default: this repository)
//   --timeout MS        overall deadline for all workspaces (env EXT_TEST_TIMEOUT_MS; default 600000)
//   --grep REGEXP       only tests whose full title matches (passed to the runner as E2E_GREP)
//   --verbose           print all extension-host console output (env EXT_TEST_VERBOSE=1)
//   --keep              keep the scratch folders (printed) for inspection
//
// Output: the suites' spec lines, each failure, and as the last line `N passed, N failed` alone.
// Exit code 0 only if every workspace ran and all its tests passed. On a failure the workbench
// screenshot, the code-server log and VS Code's logs are saved under test-results/e2e/<workspace>/.
'use strict';

const { spawn } = require('node:child_process');
const { prepareWorkspace } = require('./e2e-workspace');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const ROOT = path.resolve(__dirname, '..');
const CS_VERSION = process.env.CS_VERSION || '4.100.3';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Flags verified with Debian's Chromium in a root container without a display or GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// The Welcome page, trust prompt, telemetry and update checks would get in the way of the tests.
const SEED_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
};

function usage(message) {
  if (message) console.error(`run-ext-tests: ${message}`);
  console.error('usage: node scripts/run-ext-tests.js [--code-server BIN] [--tests FILE] [--extension DIR] [--timeout MS] [--grep RE] [--verbose] [--keep] [WORKSPACE...]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    codeServer: process.env.CODE_SERVER_BIN || path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server'),
    tests: path.join(ROOT, 'out', 'test', 'e2e', 'index.js'),
    extension: ROOT,
    timeoutMs: Number(process.env.EXT_TEST_TIMEOUT_MS) || 600_000,
    grep: undefined,
    verbose: process.env.EXT_TEST_VERBOSE === '1',
    keep: false,
    workspaces: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`));
    if (arg === '--code-server') opts.codeServer = path.resolve(value());
    else if (arg === '--tests') opts.tests = path.resolve(value());
    else if (arg === '--extension') opts.extension = path.resolve(value());
    else if (arg === '--timeout') opts.timeoutMs = Number(value()) || usage('--timeout needs milliseconds');
    else if (arg === '--grep') opts.grep = value();
    else if (arg === '--verbose') opts.verbose = true;
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '-h' || arg === '--help') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else opts.workspaces.push(arg);
  }
  const fixtures = path.join(ROOT, 'test', 'fixtures', 'e2e');
  if (opts.workspaces.length === 0 && fs.existsSync(fixtures)) {
    opts.workspaces = fs.readdirSync(fixtures, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  }
  opts.workspaces = opts.workspaces.map((w) => {
    const asName = path.join(fixtures, w);
    return !w.includes('/') && fs.existsSync(asName) ? asName : path.resolve(w);
  });
  return opts;
}

/** Problems that make a run pointless, each with what to do about it. */
function preflight(opts) {
  const problems = [];
  if (!fs.existsSync(opts.codeServer)) problems.push(`code-server not found at ${opts.codeServer}: run bash scripts/install-code-server.sh`);
  if (!fs.existsSync(CHROMIUM)) problems.push(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  if (!fs.existsSync(opts.tests)) problems.push(`test runner ${opts.tests} not found: run npx tsc -p . (npm run compile)`);
  const pkg = JSON.parse(fs.readFileSync(path.join(opts.extension, 'package.json'), 'utf8'));
  const main = pkg.main && path.join(opts.extension, pkg.main);
  if (main && !fs.existsSync(main) && !fs.existsSync(`${main}.js`)) problems.push(`extension entry ${pkg.main} not found: run npm run build`);
  if (opts.workspaces.length === 0) problems.push('no workspaces: add folders to test/fixtures/e2e/ or name them on the command line');
  for (const w of opts.workspaces) if (!fs.statSync(w, { throwIfNoEntry: false })?.isDirectory()) problems.push(`workspace ${w} is not a folder`);
  return problems;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Groups still running if we are interrupted, so Ctrl-C or a CI cancel leaves nothing behind.
const liveGroups = new Set();
function killLiveGroups() {
  for (const pid of liveGroups) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
}

/** Scratch user-data dir with the seeded settings; returns its path. */
function seedUserData(scratch, extraSettings = {}) {
  const userData = path.join(scratch, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...SEED_SETTINGS, ...extraSettings }, null, 2));
  return userData;
}

/** Env that keeps code-server and VS Code from writing under ~/.config, ~/.local/share, ~/.cache. */
function scratchXdg(scratch) {
  return {
    XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
    XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
  };
}

/** code-server's CLI arguments for the scratch dirs under `scratch`, listening on `host`. */
function codeServerArgs(scratch, host) {
  return [
    '--auth', 'none',
    '--bind-addr', host,
    '--user-data-dir', path.join(scratch, 'user-data'),
    '--extensions-dir', path.join(scratch, 'extensions'),
    '--config', path.join(scratch, 'config.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
}

/**
 * Starts code-server on 127.0.0.1 with a free port, in its own process group, with scratch dirs under
 * `scratch` (user-data seeded by seedUserData unless present, extensions/, config.yaml, XDG dirs),
 * logging to scratch/code-server.log; resolves once /healthz answers. stop() kills the whole group.
 */
async function startCodeServer({ codeServer, scratch, env = {}, deadline = Date.now() + 60_000 }) {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  if (!fs.existsSync(path.join(scratch, 'user-data'))) seedUserData(scratch);
  const fullEnv = { ...process.env, ...scratchXdg(scratch), ...env };
  delete fullEnv.NODE_TEST_CONTEXT; // would make the e2e suites think they run under node --test
  const logFile = path.join(scratch, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(codeServer, codeServerArgs(scratch, host), {
    cwd: scratch,
    env: fullEnv,
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  fs.closeSync(logFd);
  liveGroups.add(child.pid);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(`code-server exited (${signal || code})`)));
  const server = {
    host,
    port,
    url: `http://${host}`,
    logFile,
    exited,
    async stop() {
      await stopGroup(child, exited);
      liveGroups.delete(child.pid);
    },
  };
  const ready = await Promise.race([
    (async () => {
      while (Date.now() < deadline) {
        if (await healthy(port)) return true;
        await delay(100);
      }
      return false;
    })(),
    exited.then(() => false),
  ]);
  if (!ready) {
    await server.stop();
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`code-server did not become healthy on ${host}:\n${tail}`);
  }
  return server;
}

/** Kills code-server's whole process group: on SIGTERM it can leave its file watcher behind. */
async function stopGroup(child, exited) {
  if (child.exitCode === null && child.signalCode === null) {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    await Promise.race([exited, delay(5000)]);
  }
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
}

/** Headless Debian Chromium; its XDG dirs go to a scratch folder that close() removes. */
async function launchChromium() {
  const { chromium } = require('playwright-core');
  const scratchHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dps-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    // Chromium writes crash reports and a dconf cache under the XDG dirs whatever its profile dir is.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(scratchHome, 'config'),
      XDG_CACHE_HOME: path.join(scratchHome, 'cache'),
      XDG_DATA_HOME: path.join(scratchHome, 'data'),
    },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      fs.rmSync(scratchHome, { recursive: true, force: true });
    },
  };
}

/** Saves what explains a failed run: workbench screenshot, code-server log, VS Code's own logs. */
async function copyArtifacts(dir, scratch, page) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(scratch, 'code-server.log');
  if (fs.existsSync(log)) fs.copyFileSync(log, path.join(dir, 'code-server.log'));
  const logs = path.join(scratch, 'user-data', 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
  if (page) await page.screenshot({ path: path.join(dir, 'workbench.png'), timeout: 10_000 }).catch(() => {});
  return dir;
}

// Console noise of code-server without internet that says nothing about the extension under test.
const NOISE = [/open-vsx\.org/, /vsda/, /Long running operations during shutdown/, /ChatSessionStore/, /\[Service Worker\]/];

/**
 * What to show without --verbose: everything the suites print (the runner's banner starts it: mocha's
 * spec lines and the tests' own console output) and, at any time, errors that are not known noise
 * (an extension that fails to activate, for instance).
 */
function makeLogFilter(verbose) {
  let inSuite = false;
  return (type, text) => {
    if (verbose) return text.split('\n').map((line) => `[${type}] ${line}`);
    if (/^e2e suite "/.test(text)) inSuite = true;
    if (NOISE.some((re) => re.test(text))) return [];
    if (type === 'error' || inSuite) return text.split('\n').filter((line) => line.trim());
    return [];
  };
}

async function runWorkspace(browser, opts, workspace, deadline) {
  const name = path.basename(workspace);
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `dps-e2e-${name}-`));
  const folder = path.join(scratch, 'workspace', name); // same basename: the runner picks suites by it
  prepareWorkspace(workspace, folder);
  seedUserData(scratch);
  const resultsFile = path.join(scratch, 'results.json');
  // E2E_USER_DATA lets the suites read what VS Code writes there (the output channels' log files).
  const env = { E2E_SUITE: name, E2E_RESULTS: resultsFile, E2E_USER_DATA: path.join(scratch, 'user-data') };
  if (opts.grep) env.E2E_GREP = opts.grep;

  let server;
  let context;
  let page;
  let verdict;
  const notes = [];
  try {
    server = await startCodeServer({ codeServer: opts.codeServer, scratch, env, deadline });
    const { host } = server;
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    const filter = makeLogFilter(opts.verbose);
    let settled = false; // after the verdict the window shuts down, which only logs cancellations
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (settled && !opts.verbose) return;
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      for (const line of filter(type, text)) console.log(`  ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      settled = true;
      settle(code);
    });
    page.on('crash', () => settle('browser page crashed'));
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));

    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${host}${opts.extension}`],
      ['extensionTestsPath', `vscode-remote://${host}${opts.tests}`],
    ]);
    await page.goto(`http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    verdict = await Promise.race([
      exited,
      server.exited,
      delay(Math.max(0, deadline - Date.now())).then(() => `overall timeout of ${opts.timeoutMs} ms reached`),
    ]);
  } catch (err) {
    verdict = err && err.message ? err.message : String(err);
  }

  let results;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    results = { passed: 0, failed: 0, pending: 0, failures: [], pendingTitles: [] };
  }
  // Zero tests is a broken run, unless --grep deliberately matched nothing in this workspace.
  const ok = verdict === 0 && results.failed === 0 && (results.passed + results.pending > 0 || Boolean(opts.grep));
  if (!ok && results.failed === 0) {
    // The run broke before or outside the tests (no verdict, load error, crash): count it as one failure.
    results.failed = 1;
    results.failures.push({ title: `workspace ${name}`, error: typeof verdict === 'number' ? `extension host exit code ${verdict}, no test results` : String(verdict) });
  }
  if (!ok) {
    const dir = await copyArtifacts(path.join(ROOT, 'test-results', 'e2e', name), scratch, page);
    notes.push(`artifacts: ${path.relative(ROOT, dir)}/ (workbench.png, code-server.log, vscode-logs/)`);
  }

  if (context) await context.close().catch(() => {});
  if (server) await server.stop();
  if (opts.keep) notes.push(`scratch kept: ${scratch}`);
  else fs.rmSync(scratch, { recursive: true, force: true });

  return { name, ok, results, notes, ms: Date.now() - started };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const problems = preflight(opts);
  if (problems.length > 0) {
    for (const p of problems) console.log(`ERROR: ${p}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  const chromium = await launchChromium();
  const browser = chromium.browser;

  const outcomes = [];
  try {
    for (const workspace of opts.workspaces) {
      const name = path.basename(workspace);
      if (Date.now() >= deadline) {
        outcomes.push({ name, ok: false, ms: 0, notes: [], results: { passed: 0, failed: 1, pending: 0, pendingTitles: [], failures: [{ title: `workspace ${name}`, error: 'not run: overall timeout reached' }] } });
        continue;
      }
      console.log(`\n== ${name} (${path.relative(ROOT, workspace) || workspace})`);
      const outcome = await runWorkspace(browser, opts, workspace, deadline);
      outcomes.push(outcome);
      const r = outcome.results;
      console.log(`== ${name}: ${r.passed} passed, ${r.failed} failed, ${r.pending} pending in ${(outcome.ms / 1000).toFixed(1)} s`);
      for (const note of outcome.notes) console.log(`   ${note}`);
    }
  } finally {
    await chromium.close();
  }

  let passed = 0;
  let failed = 0;
  console.log('');
  for (const o of outcomes) {
    passed += o.results.passed;
    failed += o.results.failed;
    for (const t of o.results.pendingTitles || []) console.log(`PENDING [${o.name}] ${t}`);
    for (const f of o.results.failures) {
      console.log(`FAIL [${o.name}] ${f.title}\n  ${String(f.error).split('\n').join('\n  ')}`);
      if (f.stack && opts.verbose) console.log(f.stack.split('\n').slice(1, 6).join('\n'));
    }
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s for ${outcomes.length} workspace(s)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && outcomes.every((o) => o.ok) ? 0 : 1;
}

module.exports = { ROOT, CS_VERSION, CHROMIUM, SEED_SETTINGS, delay, seedUserData, scratchXdg, codeServerArgs, startCodeServer, launchChromium, copyArtifacts, killLiveGroups };

if (require.main === module) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killLiveGroups();
      process.exit(130);
    });
  }
  main().then(
    (code) => process.exit(code),
    (err) => {
      killLiveGroups();
      console.error(err && err.stack ? err.stack : err);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
