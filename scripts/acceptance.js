#!/usr/bin/env node
// Acceptance check as a plugin author would do it: package the extension as a .vsix, install it into a
// real VS Code (code-server 4.100.3), open a scratch copy of examples/first-plugin, and use the
// workbench through headless Chromium: status bar, command palette, Output, Problems, a simulated sync,
// a Python cross-check mistake with its hover and quick fix, a build, a hover on a generated name.
// Screenshots of the steps go to docs/screenshots/*.png (the README shows them): workbench,
// command-palette, output, problems, sync-report, python-cross-check, build, hover.
//
//   node scripts/acceptance.js [--vsix FILE] [--no-build] [--code-server BIN] [--timeout MS] [--keep]
//                              [--shots DIR]
//
//   --vsix FILE   install this package instead of building and packaging the working tree
//   --no-build    package without running `npm run build` first
//   --shots DIR   where the screenshots go (default docs/screenshots)
//   --keep        keep the scratch folder (printed)
//
// Every step prints PASS/FAIL/SKIP with its time; the last line is `N passed, N failed`. The first
// failing step stops the run (later steps depend on it) and leaves the workbench screenshot, the
// code-server log and VS Code's logs in test-results/acceptance/. Needs code-server (bash
// scripts/install-code-server.sh) and /usr/bin/chromium; uses only 127.0.0.1.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  ROOT,
  CS_VERSION,
  CHROMIUM,
  codeServerArgs,
  copyArtifacts,
  killLiveGroups,
  launchChromium,
  seedUserData,
  scratchXdg,
  startCodeServer,
} = require('./run-ext-tests');

const EXTENSION_ID = 'delphix-plugin-studio.delphix-plugin-studio';
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');

function usage(message) {
  if (message) console.error(`acceptance: ${message}`);
  console.error('usage: node scripts/acceptance.js [--vsix FILE] [--no-build] [--code-server BIN] [--timeout MS] [--keep] [--shots DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    vsix: undefined,
    build: true,
    codeServer: process.env.CODE_SERVER_BIN || path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server'),
    timeoutMs: Number(process.env.ACCEPTANCE_TIMEOUT_MS) || 300_000,
    keep: false,
    shots: path.join(ROOT, 'docs', 'screenshots'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`));
    if (arg === '--vsix') opts.vsix = path.resolve(value());
    else if (arg === '--no-build') opts.build = false;
    else if (arg === '--code-server') opts.codeServer = path.resolve(value());
    else if (arg === '--timeout') opts.timeoutMs = Number(value()) || usage('--timeout needs milliseconds');
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--shots') opts.shots = path.resolve(value());
    else if (arg === '-h' || arg === '--help') usage();
    else usage(`unknown argument ${arg}`);
  }
  return opts;
}

/** Runs a command to completion; throws with its output tail when it fails. */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, ...options });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${out.split('\n').slice(-25).join('\n')}`);
  }
  return out;
}

/** Entry names of a zip file (a .vsix), read with yauzl. */
function zipEntries(file) {
  const yauzl = require('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names = [];
      zip.on('entry', (entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function findFiles(dir, accept) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => accept(f) && fs.statSync(f).isFile());
}

/** vsce rewrites README links against the repository; an unknown host needs explicit base URLs. */
function vsceBaseUrls(pkg) {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository && pkg.repository.url;
  if (!repo || /github\.com|gitlab\.com/.test(repo)) return [];
  const base = repo.replace(/\.git$/, '');
  return ['--baseContentUrl', `${base}/blob/HEAD`, '--baseImagesUrl', `${base}/raw/HEAD`];
}

/**
 * Settings for "Delphix: Build Plugin" on a machine without a package index: pip installs the SDK
 * runtime from the project's stand-in wheelhouse (the build tests' wheels, compiled into out/ by
 * `npx tsc -p .`) into a scratch cache, so the artifact is complete. Without out/ the build leaves the
 * runtime out (the artifact is then marked not uploadable).
 */
async function buildSettingsFor(scratch) {
  const kit = path.join(ROOT, 'out', 'test', 'unit', 'build', 'wheelhouse.js');
  const common = { 'delphix.build.pip.noIndex': true };
  if (!fs.existsSync(kit)) {
    return { note: `no ${path.relative(ROOT, kit)} (run npx tsc -p .): building without the SDK runtime`, settings: { ...common, 'delphix.build.includeSdkRuntime': false } };
  }
  const wheels = path.join(scratch, 'wheelhouse');
  await require(kit).writeSdkWheelhouse(wheels);
  return {
    note: `SDK runtime from the stand-in wheelhouse ${wheels}`,
    settings: { ...common, 'delphix.build.pip.findLinks': [wheels], 'delphix.build.sdkRuntimeCacheDir': path.join(scratch, 'sdk-runtime-cache') },
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  const problems = [];
  if (!fs.existsSync(opts.codeServer)) problems.push(`code-server not found at ${opts.codeServer}: run bash scripts/install-code-server.sh`);
  if (!fs.existsSync(CHROMIUM)) problems.push(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  if (!fs.existsSync(path.join(EXAMPLE, 'plugin_config.yml'))) problems.push(`${EXAMPLE}/plugin_config.yml is missing`);
  if (opts.vsix && !fs.existsSync(opts.vsix)) problems.push(`${opts.vsix} does not exist`);
  if (problems.length) {
    for (const p of problems) console.log(`ERROR: ${p}`);
    console.log('0 passed, 1 failed');
    return 1;
  }

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dps-acceptance-'));
  const artifacts = path.join(ROOT, 'test-results', 'acceptance');
  const workspace = path.join(scratch, 'first-plugin');
  fs.cpSync(EXAMPLE, workspace, { recursive: true });
  const buildSettings = await buildSettingsFor(scratch);
  seedUserData(scratch, { 'workbench.colorTheme': 'Default Light Modern', 'window.commandCenter': true, ...buildSettings.settings });
  fs.mkdirSync(opts.shots, { recursive: true });

  const counts = { passed: 0, failed: 0, skipped: 0 };
  let failure;
  let failedAny = false;
  let page;
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const shot = async (name) => {
    // Transient status bar progress ("Activating Extensions...") would only clutter the picture.
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'Activating Extensions' }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    const file = path.join(opts.shots, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`      screenshot ${path.relative(ROOT, file)}`);
  };
  /**
   * One user-visible step; `skip(reason)` inside marks it skipped. A failure stops the run unless the
   * step is marked `independent` (nothing later depends on it).
   */
  const step = async (title, fn, { independent = false } = {}) => {
    if (failure) return;
    const t0 = Date.now();
    let skipped;
    try {
      if (Date.now() > deadline) throw new Error(`overall timeout of ${opts.timeoutMs} ms reached`);
      await fn((reason) => {
        skipped = reason;
      });
      if (skipped) {
        counts.skipped++;
        console.log(`SKIP ${title}: ${skipped}`);
      } else {
        counts.passed++;
        console.log(`PASS ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    } catch (err) {
      counts.failed++;
      const error = err && err.message ? err.message : String(err);
      console.log(`FAIL ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n  ${error.split('\n').join('\n  ')}`);
      if (independent) await page?.screenshot({ path: path.join(artifacts, `${title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => {});
      else failure = { title, error };
      failedAny = true;
    }
  };

  let vsix = opts.vsix;
  let entries = [];
  let server;
  let chromium;
  try {
    await step('package the extension as a .vsix with vsce (offline)', async () => {
      if (vsix) {
        console.log(`      using ${vsix}`);
      } else {
        if (opts.build) run('npm', ['run', '--silent', 'build']);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
        vsix = path.join(scratch, `${pkg.name}-${pkg.version}.vsix`);
        const args = ['vsce', 'package', '--no-dependencies', '-o', vsix, ...vsceBaseUrls(pkg)];
        if (!['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => fs.existsSync(path.join(ROOT, f)))) args.push('--skip-license');
        run('npx', args);
      }
      entries = await zipEntries(vsix);
      for (const needed of ['extension/package.json', 'extension/dist/client.js']) {
        if (!entries.includes(needed)) throw new Error(`${path.basename(vsix)} lacks ${needed}; it holds: ${entries.join(', ')}`);
      }
      const leaked = entries.filter((e) => /^extension\/(node_modules|src|out|test|\.vscode-test)\//.test(e));
      if (leaked.length) throw new Error(`the package includes development files: ${leaked.slice(0, 10).join(', ')}`);
      console.log(`      ${path.basename(vsix)}: ${entries.length} files, ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB`);
    });
    const hasServer = entries.includes('extension/dist/server.js');

    await step('install the .vsix into code-server with --install-extension', async () => {
      const out = run(opts.codeServer, [...codeServerArgs(scratch, '127.0.0.1:0'), '--install-extension', vsix], {
        env: { ...process.env, ...scratchXdg(scratch) },
        timeout: 120_000,
      });
      const installed = fs.readdirSync(path.join(scratch, 'extensions')).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
      if (installed.length !== 1) throw new Error(`not installed in the extensions dir:\n${out}`);
      console.log(`      ${installed[0]}`);
    });

    const statusItem = () => page.locator('.part.statusbar .statusbar-item', { hasText: 'First Plugin' });
    const quickOpen = async (fileName) => {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(fileName);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: 10_000 });
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor({ timeout: 10_000 });
    };

    await step('open a copy of examples/first-plugin in the workbench, and plugin_config.yml in it', async () => {
      server = await startCodeServer({ codeServer: opts.codeServer, scratch, deadline });
      chromium = await launchChromium();
      const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 860 } });
      page = await context.newPage();
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'plugin_config.yml' }).waitFor({ timeout: 60_000 });
      await quickOpen('plugin_config.yml');
    });

    // The example opens with no problem (it quotes the tutorial's rsync arguments), so the item shows a
    // check mark; a warning count is tolerated, an error never; the later steps expect it back as it is here.
    let statusIcon = '.codicon-check';
    await step('the status bar names the plugin, its type and that it has no errors', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js, so nothing reports plugins yet');
      const item = statusItem();
      await item.waitFor({ timeout: 60_000 });
      await item.locator('.codicon-check, .codicon-warning').first().waitFor({ timeout: 30_000 });
      const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
      if (!/First Plugin/.test(text) || !/STAGED/.test(text)) throw new Error(`status bar item reads "${text}"`);
      if ((await item.locator('.codicon-error').count()) > 0) throw new Error(`status bar item "${text}" shows errors`);
      statusIcon = (await item.locator('.codicon-check').count()) > 0 ? '.codicon-check' : '.codicon-warning';
      console.log(`      status bar: ${text} (${statusIcon.slice(9)})`);
      await shot('workbench');
    });

    await step('the command palette lists the Delphix commands and runs "Delphix: Show Output"', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>Delphix: ');
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'Delphix: Show Output' }).first().waitFor({ timeout: 15_000 });
      const labels = (await rows.allInnerTexts()).map((l) => l.split('\n')[0].trim());
      console.log(`      palette: ${labels.join(' | ')}`);
      // Every command package.json contributes is offered, unless the manifest hides it from the palette.
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      const hidden = new Set(((pkg.contributes && pkg.contributes.menus && pkg.contributes.menus.commandPalette) || []).filter((m) => m.when === 'false').map((m) => m.command));
      const expected = ((pkg.contributes && pkg.contributes.commands) || []).filter((c) => !hidden.has(c.command)).map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
      const absent = expected.filter((title) => !labels.includes(title));
      if (absent.length) throw new Error(`the palette does not offer: ${absent.join(', ')}`);
      await shot('command-palette');
      await input.fill('>Delphix: Show Output');
      await rows.first().filter({ hasText: 'Delphix: Show Output' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      // The Output view shows the extension's "Delphix" channel.
      const select = page.locator('.part.panel .monaco-select-box');
      const deadlineOutput = Date.now() + 15_000;
      let channel = '';
      while (Date.now() < deadlineOutput) {
        channel = await select
          .evaluateAll((els) => els.map((el) => (el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : '')).join('|'))
          .catch(() => '');
        if (channel.split('|').includes('Delphix')) break;
        await page.waitForTimeout(100);
      }
      if (!channel.split('|').includes('Delphix')) throw new Error(`the Output view shows channel "${channel}", not "Delphix"`);
      await shot('output');
    });


    /** Puts the cursor just before the closing quote of the first match of `text` in the active editor. */
    const cursorBeforeClosingQuote = async (text) => {
      await page.keyboard.press('Control+Home'); // typing in the find box selects the first match after the cursor
      await page.keyboard.press('Control+F');
      const find = page.locator('.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input').first();
      await find.waitFor({ state: 'visible', timeout: 10_000 });
      await find.fill(text);
      const count = page.locator('.editor-group-container.active .find-widget .matchesCount');
      await count.filter({ hasNotText: /No results/ }).waitFor({ timeout: 10_000 }).catch(async () => {
        throw new Error(`"${text}" is not in ${await page.locator('.tabs-container .tab.active').innerText()}`);
      });
      await page.keyboard.press('Escape'); // back to the editor, the match selected
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
    };

    await step('a schema.json whose nameField names no property shows a delphix problem and an error in the status bar', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js, so nothing reports problems yet');
      await quickOpen('schema.json');
      // repositoryDefinition's nameField "name" becomes "names", a property that does not exist.
      await cursorBeforeClosingQuote('"nameField": "name"');
      await page.keyboard.type('s');
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'delphix' }).filter({ hasText: 'names' });
      await row.first().waitFor({ timeout: 30_000 });
      console.log(`      problems: ${(await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
      const item = statusItem();
      await item.locator('.codicon-error').waitFor({ timeout: 30_000 });
      console.log(`      status bar: ${(await item.innerText()).replace(/\s+/g, ' ').trim()}`);
      await shot('problems');
    });

    await step('fixing schema.json clears the problem and the status bar shows no error again', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
      await cursorBeforeClosingQuote('"nameField": "names"');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+S');
      await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'schema.nameField.unknown' }).first().waitFor({ state: 'detached', timeout: 30_000 });
      await statusItem().locator(statusIcon).waitFor({ timeout: 30_000 });
      if ((await statusItem().locator('.codicon-error').count()) > 0) throw new Error('the status bar item still shows errors');
    });

    /** Runs a command from the palette by its full title ("Delphix: Build Plugin"). */
    const palette = async (title) => {
      const input = page.locator('.quick-input-widget input');
      // A view that takes the focus just after the previous command (the Output view does) closes a
      // palette opened at that moment: open it again then.
      for (let attempt = 1; ; attempt++) {
        try {
          await page.keyboard.press('Escape');
          await page.keyboard.press('F1');
          await input.waitFor({ state: 'visible', timeout: 5_000 });
          await input.fill(`>${title}`, { timeout: 3_000 });
          await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: title }).waitFor({ timeout: 5_000 });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    };
    const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
    const clearNotifications = async () => {
      await palette('Notifications: Clear All Notifications');
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    };
    /** Selects the first match of `text` in the active editor (the find widget closed again). */
    const selectFirst = async (text) => {
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Control+F');
      const find = page.locator('.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input').first();
      await find.waitFor({ state: 'visible', timeout: 10_000 });
      await find.fill(text);
      await page.locator('.editor-group-container.active .find-widget .matchesCount').filter({ hasNotText: /No results/ }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Escape');
      await page.locator('.editor-group-container.active .find-widget.visible').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    };
    /** Rests the mouse on the character right of the text cursor, as a person pointing at a word. */
    const pointAtCursor = async () => {
      const box = await page.locator('.editor-group-container.active .monaco-editor .cursors-layer .cursor').first().boundingBox();
      if (!box) throw new Error('no text cursor in the active editor');
      await page.mouse.move(box.x + 20, box.y + box.height / 2, { steps: 2 });
      await page.mouse.move(box.x + 4, box.y + box.height / 2, { steps: 2 });
    };
    const hoverWidget = (text) => page.locator('.monaco-hover:not(.hidden)', { hasText: text }).first();

    await step('"Delphix: Sync dSource (simulated)" from the palette: a success notification and the report in the Delphix output', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js, so no plugin can be picked');
      await clearNotifications();
      await palette('Delphix: Show Output');
      await palette('View: Toggle Maximized Panel');
      await palette('Delphix: Sync dSource (simulated)');
      const done = toast('Simulated sync of First Plugin succeeded');
      await done.waitFor({ timeout: 60_000 });
      // The progress notification lingers a moment after the run; the picture is of the result.
      await toast('Delphix: simulated sync').waitFor({ state: 'detached', timeout: 15_000 });
      const output = page.locator('.part.panel .monaco-editor .view-lines');
      await output.filter({ hasText: /Snapshot\s1:\s/ }).waitFor({ timeout: 15_000 });
      const snapshot = path.join(workspace, '.delphix', 'sandbox', 'local', 'snapshots', '1');
      if (!fs.existsSync(snapshot)) throw new Error(`no snapshot at ${snapshot}`);
      console.log(`      notification: ${(await done.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ')}`);
      await shot('sync-report');
      await palette('View: Toggle Maximized Panel');
      await clearNotifications();
    });

    await step('a mistyped parameters.mount_locaton in plugin_runner.py: a Problems entry, and the hover says "Did you mean"', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js, so nothing cross-checks the Python code');
      await quickOpen('plugin_runner.py');
      await selectFirst('staged_source.parameters.mount_location');
      // The cursor at the end of the word, then "ion" becomes "on", as a slip of the fingers would.
      await page.keyboard.press('ArrowRight');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type('on');
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'mount_locaton' }).filter({ hasText: 'Did you mean' });
      await row.first().waitFor({ timeout: 30_000 });
      console.log(`      problem: ${(await row.first().innerText()).replace(/\s+/g, ' ').trim()}`);
      // Back in the editor: point at the squiggly word.
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
      await selectFirst('parameters.mount_locaton');
      await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 'parameters.mount'.length; i++) await page.keyboard.press('ArrowRight');
      await page.locator('.editor-group-container.active .codicon-light-bulb, .editor-group-container.active .codicon-lightbulb-autofix, .editor-group-container.active .lightBulbWidget').first().waitFor({ timeout: 15_000 });
      await pointAtCursor();
      await hoverWidget('Did you mean').waitFor({ timeout: 15_000 });
      await shot('python-cross-check');
      // The quick fix from the lightbulb menu repairs it.
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to `mount_location`' }).first();
      await fix.waitFor({ timeout: 10_000 });
      // Keyboard choice (the menu blocks pointer events outside it while it opens).
      for (let i = 0; i < 10 && !(await page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Change to `mount_location`' }).count()); i++) {
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+S');
      const saved = path.join(workspace, 'src', 'plugin_runner.py');
      const original = fs.readFileSync(path.join(EXAMPLE, 'src', 'plugin_runner.py'), 'utf8');
      const until = Date.now() + 10_000;
      while (fs.readFileSync(saved, 'utf8') !== original && Date.now() < until) await page.waitForTimeout(100);
      if (fs.readFileSync(saved, 'utf8') !== original) {
        const line = (await page.locator('.editor-group-container.active .view-line', { hasText: 'staged_source.parameters.mount' }).first().innerText()).trim();
        throw new Error(`the quick fix and save did not give back the original plugin_runner.py; the line reads: ${line}`);
      }
      await row.first().waitFor({ state: 'detached', timeout: 30_000 });
    });

    await step('"Delphix: Build Plugin" from the palette: the result notification', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js, so no plugin can be picked');
      console.log(`      ${buildSettings.note}`);
      await clearNotifications();
      await palette('Delphix: Build Plugin');
      const built = toast('Built artifact.json');
      const failed = toast('Build failed');
      await Promise.race([built.waitFor({ timeout: 120_000 }), failed.waitFor({ timeout: 120_000 })]);
      if (await failed.count()) throw new Error(`the build failed: ${await failed.innerText()}`);
      console.log(`      notification: ${(await built.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ')}`);
      if (!fs.existsSync(path.join(workspace, 'artifact.json'))) throw new Error('no artifact.json in the plugin folder');
      await page.locator('.part.statusbar .statusbar-item', { hasText: 'build ✓' }).waitFor({ timeout: 10_000 });
      await shot('build');
      await clearNotifications();
    });

    await step('hovering over a generated name in plugin_runner.py shows its schema property', async (skip) => {
      if (!hasServer) return skip('the package has no dist/server.js, so there is no hover');
      await quickOpen('plugin_runner.py');
      await page.keyboard.press('Control+J'); // the panel out of the way: the code and its hover
      await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
      await selectFirst('staged_source.parameters.mount_location');
      await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 'staged_source.parameters.mount'.length; i++) await page.keyboard.press('ArrowRight');
      await pointAtCursor();
      const hover = hoverWidget('schema property');
      await hover.waitFor({ timeout: 15_000 });
      const said = (await hover.innerText()).replace(/\s+/g, ' ').trim();
      if (!/mount_location: schema property mountLocation of LinkedSourceDefinition/.test(said) || !/Mount Location on Staging Host/.test(said)) {
        throw new Error(`the hover says: ${said}`);
      }
      console.log(`      hover: ${said.slice(0, 140)}`);
      await shot('hover');
    });

    await step('the Delphix output channel logged no warnings or errors during the session', async () => {
      // VS Code writes each output channel to a file; it holds every line, not only the visible ones.
      const logs = findFiles(path.join(scratch, 'user-data', 'logs'), (f) => /output_logging_/.test(f) && /-Delphix\.log$/.test(f));
      if (logs.length === 0) throw new Error('no log file of the Delphix output channel in the user-data logs');
      const text = logs.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      const bad = text.split('\n').filter((line) => /^\S*\s*\[?(warn|warning|error)\b/i.test(line.replace(/^\d{4}-\d\d-\d\d \S+\s*/, '')) || /could not (start|be loaded)/.test(line));
      if (bad.length) throw new Error(`the Delphix output has:\n${bad.join('\n')}`);
      console.log(`      ${text.split('\n').filter((l) => l.trim()).length} line(s) in the Delphix output`);
    }, { independent: true });
  } finally {
    if (failedAny) {
      const dir = await copyArtifacts(path.join(artifacts, 'at-end'), scratch, page);
      console.log(`  artifacts: ${path.relative(ROOT, dir)}/`);
    }
    if (chromium) await chromium.close();
    if (server) await server.stop();
    if (opts.keep) console.log(`  scratch kept: ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }

  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
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
