#!/usr/bin/env node
// "Debug Sync" in the real workbench (code-server 4.100.3 + headless Chromium through playwright-core)
// with no Python extension installed, driven as an author would: open a copy of examples/first-plugin
// with the launch configuration the new-plugin scaffold writes, click the gutter beside the first line
// of linked.pre_snapshot to set a breakpoint, start "Debug simulated sync" from the Run view, see the
// editor stop there with the operation's arguments in the Variables view, continue, and see the sync
// succeed (the status bar says so). Screenshots of each step go to test-results/debug-sync/ (kept as CI artifacts); on a failure
// the code-server and VS Code logs too.
//
//   node scripts/debug-sync-e2e.js [--code-server BIN] [--timeout MS] [--keep]
//
// The last line is `N passed, N failed`. Uses only 127.0.0.1.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, CS_VERSION, CHROMIUM, copyArtifacts, killLiveGroups, launchChromium, seedUserData, startCodeServer } = require('./run-ext-tests');

const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');
const SHOTS = path.join(ROOT, 'test-results', 'debug-sync');

function parseArgs(argv) {
  const opts = {
    codeServer: process.env.CODE_SERVER_BIN || path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server'),
    timeoutMs: Number(process.env.DEBUG_E2E_TIMEOUT_MS) || 300_000,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === '--code-server') opts.codeServer = path.resolve(value());
    else if (arg === '--timeout') opts.timeoutMs = Number(value());
    else if (arg === '--keep') opts.keep = true;
    else {
      console.error('usage: node scripts/debug-sync-e2e.js [--code-server BIN] [--timeout MS] [--keep]');
      process.exit(2);
    }
  }
  return opts;
}

/** Poll `probe` until it returns a truthy value; on timeout say what it last saw. */
async function until(what, probe, ms = 20_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await probe();
      if (last && last.ok !== false) return last;
    } catch (e) {
      last = e && e.message ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last saw: ${JSON.stringify(last && last.saw !== undefined ? last.saw : last)}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  for (const [file, hint] of [[opts.codeServer, 'bash scripts/install-code-server.sh'], [CHROMIUM, 'apt-get install -y chromium'], [path.join(ROOT, 'dist', 'client.js'), 'npm run build']]) {
    if (!fs.existsSync(file)) {
      console.log(`ERROR: ${file} not found: ${hint}`);
      console.log('0 passed, 1 failed');
      return 1;
    }
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dps-debug-'));
  const workspace = path.join(scratch, 'first-plugin');
  fs.cpSync(EXAMPLE, workspace, { recursive: true });
  fs.rmSync(path.join(workspace, '.delphix', 'sandbox'), { recursive: true, force: true });
  // The launch configuration "Delphix: New Plugin" writes (core/scaffold/newPlugin.ts DEBUG_SYNC_LAUNCH).
  const { DEBUG_SYNC_LAUNCH } = require(path.join(ROOT, 'out', 'core', 'scaffold', 'newPlugin.js'));
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [DEBUG_SYNC_LAUNCH] }, null, 2));
  const sourceFile = path.join(workspace, 'src', 'plugin_runner.py');
  const lines = fs.readFileSync(sourceFile, 'utf8').split('\n');
  const decorator = lines.findIndex((l) => l.startsWith('@plugin.linked.pre_snapshot('));
  if (decorator < 0) throw new Error('examples/first-plugin has no @plugin.linked.pre_snapshot()');
  const bodyLine = decorator + 3; // 1-based: the first statement of the function's body
  seedUserData(scratch, { 'workbench.colorTheme': 'Default Dark Modern', 'debug.openDebug': 'openOnDebugBreak' });
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });

  const counts = { passed: 0, failed: 0 };
  let failure;
  let page;
  let server;
  let chromium;
  let n = 0;
  const shot = async (name) => {
    const file = path.join(SHOTS, `${String(++n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`      screenshot ${path.relative(ROOT, file)}`);
  };
  const step = async (title, fn) => {
    if (failure) return;
    const t0 = Date.now();
    try {
      if (Date.now() > deadline) throw new Error(`overall timeout of ${opts.timeoutMs} ms reached`);
      await fn();
      counts.passed++;
      console.log(`PASS ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (err) {
      counts.failed++;
      failure = err;
      console.log(`FAIL ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n  ${String(err && err.message ? err.message : err).split('\n').join('\n  ')}`);
      await page?.screenshot({ path: path.join(SHOTS, 'failure.png') }).catch(() => {});
    }
  };
  /** The editor's rendered line whose text is `text`. */
  /** The line number `n` in the editor's margin. */
  const lineNumber = (n) => page.locator('.part.editor .monaco-editor .margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${n}\\s*$`) }).first();

  try {
    await step('open a copy of examples/first-plugin (no Python extension installed) and src/plugin_runner.py', async () => {
      server = await startCodeServer({ codeServer: opts.codeServer, scratch, deadline });
      chromium = await launchChromium();
      const context = await chromium.browser.newContext({ viewport: { width: 1500, height: 900 } });
      page = await context.newPage();
      const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${server.host}${ROOT}`]]);
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'schema.json' }).waitFor({ timeout: 90_000 });
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`plugin_runner.py:${bodyLine}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'plugin_runner.py' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'plugin_runner.py' }).waitFor({ timeout: 10_000 });
      await lineNumber(bodyLine).waitFor({ timeout: 10_000 });
    });

    await step(`a click in the gutter beside line ${bodyLine} of linked.pre_snapshot sets a breakpoint`, async () => {
      // The code lenses above each operation shift the lines when they arrive: click once they are there.
      await page.locator('.part.editor .monaco-editor .codelens-decoration', { hasText: 'Debug sync' }).first().waitFor({ timeout: 60_000 });
      const glyphs = () => page.locator('.part.editor .monaco-editor .codicon-debug-breakpoint').count();
      await until('the breakpoint glyph', async () => {
        const line = await lineNumber(bodyLine).boundingBox();
        const glyph = await page.locator('.part.editor .monaco-editor .glyph-margin').first().boundingBox();
        if (!line || !glyph) return { ok: false, saw: 'the line number or the glyph margin is not on screen' };
        if ((await glyphs()) === 0) {
          await page.mouse.move(glyph.x + glyph.width / 2, line.y + line.height / 2);
          await page.mouse.click(glyph.x + glyph.width / 2, line.y + line.height / 2);
          await page.waitForTimeout(500);
        }
        const count = await glyphs();
        return count === 1 || { ok: false, saw: `${count} breakpoint glyphs` };
      });
      await page.keyboard.press('Control+Shift+D');
      await until('the breakpoint in the Run view', async () => {
        const rows = await page.locator('.debug-breakpoints .monaco-list-row').allInnerTexts();
        return rows.some((r) => r.includes('plugin_runner.py') && r.includes(String(bodyLine))) ? rows : { ok: false, saw: rows };
      });
      await shot('breakpoint-set');
    });

    await step('"Debug simulated sync" started from the Run view stops at the breakpoint', async () => {
      await until('the launch configuration in the Run view', async () => {
        const t = await page.locator('.debug-view-content .start-debug-action-item select, .part.sidebar .start-debug-action-item select').first().inputValue().catch(() => '');
        const label = await page.locator('.part.sidebar .start-debug-action-item').first().innerText().catch(() => '');
        return /Debug simulated sync/.test(t + label) || { ok: false, saw: t + label };
      }, 30_000);
      await page.locator('.part.sidebar .start-debug-action-item .codicon-debug-start').first().click();
      await until('the editor to stop at the breakpoint', async () => {
        const top = await page.locator('.part.editor .monaco-editor .debug-top-stack-frame-line').count();
        const stack = await page.locator('.debug-call-stack .monaco-list-row').allInnerTexts();
        const first = (stack.find((r) => !/Paused on|Running|Thread/i.test(r)) ?? '').replace(/\s+/g, ' ');
        const inPreSnapshot = first.includes(lines[decorator + 1].slice(4, lines[decorator + 1].indexOf('('))) && first.includes(`plugin_runner.py ${bodyLine}:`);
        return (top > 0 && inPreSnapshot) || { ok: false, saw: { top, stack } };
      }, 120_000);
      const stoppedLine = await page.locator('.part.editor .monaco-editor .view-overlays .debug-top-stack-frame-line').first().boundingBox();
      const expected = await lineNumber(bodyLine).boundingBox();
      if (!stoppedLine || !expected || Math.abs(stoppedLine.y - expected.y) > 2) throw new Error(`stopped on the line at y=${stoppedLine && stoppedLine.y}, expected y=${expected && expected.y}`);
    });

    await step("the Variables view shows linked.pre_snapshot's arguments", async () => {
      const rows = await until('the arguments in Locals', async () => {
        const r = await page.locator('.debug-variables .monaco-list-row').allInnerTexts();
        const names = ['staged_source', 'repository', 'source_config', 'optional_snapshot_parameters'];
        return names.every((v) => r.some((row) => row.startsWith(v))) ? r : { ok: false, saw: r };
      }, 30_000);
      console.log(`      variables: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' | ').slice(0, 400)}`);
      await page.locator('.debug-variables .monaco-list-row', { hasText: /^source_config/ }).first().click();
      await page.keyboard.press('ArrowRight');
      await until('source_config.path', async () => {
        const r = await page.locator('.debug-variables .monaco-list-row').allInnerTexts();
        return r.some((row) => /^path\b/.test(row) && /sample-source/.test(row)) ? r : { ok: false, saw: r };
      });
      await shot('stopped-in-pre-snapshot');
    });

    await step('Continue: the session ends and the sync succeeds', async () => {
      await page.locator('.debug-toolbar .codicon-debug-continue').first().click();
      // Success is said in the status bar (a notification only with delphix.run.notifySuccess).
      await until('the success message', async () => {
        const t = await page.locator('.part.statusbar .statusbar-item, .notification-toast').allInnerTexts();
        return t.some((x) => /Simulated sync of .* succeeded/.test(x)) ? t : { ok: false, saw: t };
      }, 120_000);
      const toolbar = await page.locator('.debug-toolbar').isVisible().catch(() => false);
      if (toolbar) await until('the debug toolbar to go', async () => !(await page.locator('.debug-toolbar').isVisible().catch(() => false)), 30_000);
      const sandbox = path.join(workspace, '.delphix', 'sandbox');
      const copied = fs.existsSync(sandbox) && (fs.readdirSync(sandbox, { recursive: true })).some((f) => String(f).endsWith(path.join('sample-source', 'data', 'orders.csv')));
      if (!copied) throw new Error(`no snapshot under ${sandbox} holds sample-source/data/orders.csv`);
      await shot('sync-finished');
    });
  } finally {
    if (failure) {
      const dir = await copyArtifacts(path.join(SHOTS, 'logs'), scratch, page).catch(() => undefined);
      if (dir) console.log(`  artifacts: ${path.relative(ROOT, dir)}/`);
    }
    if (chromium) await chromium.close();
    if (server) await server.stop();
    if (opts.keep) console.log(`  scratch kept: ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed === 0 ? 0 : 1;
}

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
