#!/usr/bin/env node
// "Delphix: Preview Forms" in the real workbench (code-server 4.100.3 + headless Chromium through
// playwright-core), driven as an author would: open a copy of examples/first-plugin's schema.json, run
// the command from the palette, and use the webview. Screenshots of each step go to
// test-results/forms-preview/ (kept as CI artifacts); on a failure the code-server and VS Code logs too.
//
//   node scripts/forms-preview-e2e.js [--code-server BIN] [--timeout MS] [--keep]
//
// The copy's schema gets what the tutorial schema lacks to show the dynamic UI: an `ordering` that is
// not the file order, and a `pattern` with a `validationMessages` entry on `username`. A later step
// edits the schema on disk (a hideExpression on `mountLocation`) and expects the open preview to follow.
// The last line is `N passed, N failed`. Uses only 127.0.0.1.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, CS_VERSION, CHROMIUM, copyArtifacts, killLiveGroups, launchChromium, seedUserData, startCodeServer } = require('./run-ext-tests');

const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');
const SHOTS = path.join(ROOT, 'test-results', 'forms-preview');
const PATTERN_MESSAGE = "Enter a Unix user name: lower-case letters, digits, '_', '.' and '-'.";

function parseArgs(argv) {
  const opts = {
    codeServer: process.env.CODE_SERVER_BIN || path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server'),
    timeoutMs: Number(process.env.FORMS_E2E_TIMEOUT_MS) || 300_000,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === '--code-server') opts.codeServer = path.resolve(value());
    else if (arg === '--timeout') opts.timeoutMs = Number(value());
    else if (arg === '--keep') opts.keep = true;
    else {
      console.error('usage: node scripts/forms-preview-e2e.js [--code-server BIN] [--timeout MS] [--keep]');
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
  for (const [file, hint] of [[opts.codeServer, 'bash scripts/install-code-server.sh'], [CHROMIUM, 'apt-get install -y chromium'], [path.join(ROOT, 'dist', 'webview', 'forms.js'), 'npm run build']]) {
    if (!fs.existsSync(file)) {
      console.log(`ERROR: ${file} not found: ${hint}`);
      console.log('0 passed, 1 failed');
      return 1;
    }
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dps-forms-'));
  const workspace = path.join(scratch, 'first-plugin');
  fs.cpSync(EXAMPLE, workspace, { recursive: true });
  const schemaFile = path.join(workspace, 'schema.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const linked = schema.linkedSourceDefinition;
  linked.ordering = ['username', 'sourceAddress', 'mountLocation'];
  linked.properties.username.pattern = '^[a-z_][a-z0-9_.-]*$';
  linked.properties.username.dxFormProperties = { validationMessages: { pattern: PATTERN_MESSAGE } };
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 4) + '\n');
  seedUserData(scratch, { 'workbench.colorTheme': 'Default Dark Modern' });
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

  const cspViolations = [];
  /** The webview's content frame (VS Code nests it in two iframes). */
  let frame;
  const webview = async () => {
    for (const f of page.frames()) {
      if ((await f.locator('#app').count().catch(() => 0)) > 0 && (await f.locator('#app vscode-tabs').count().catch(() => 0)) > 0) return f;
    }
    return undefined;
  };
  const section = (def) => frame.locator(`section[data-definition="${def}"]`);
  const field = (ptr) => section('linkedSourceDefinition').locator(`[data-ptr="${ptr}"]`);
  const typeInto = async (ptr, text) => {
    const input = field(ptr).locator('vscode-textfield input');
    await input.click();
    await input.fill('');
    if (text !== '') await input.pressSequentially(text);
  };

  try {
    await step('open a copy of examples/first-plugin and its schema.json in the workbench', async () => {
      server = await startCodeServer({ codeServer: opts.codeServer, scratch, deadline });
      chromium = await launchChromium();
      const context = await chromium.browser.newContext({ viewport: { width: 1500, height: 900 } });
      page = await context.newPage();
      page.on('console', (m) => {
        if (/Content[- ]Security[- ]Policy|Refused to (load|apply|execute)/i.test(m.text())) cspViolations.push(m.text());
      });
      const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${server.host}${ROOT}`]]);
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'schema.json' }).waitFor({ timeout: 90_000 });
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('schema.json');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'schema.json' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'schema.json' }).waitFor({ timeout: 10_000 });
    });

    await step('"Delphix: Preview Forms" from the palette opens the forms beside the schema', async () => {
      await until('the command in the palette', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill('>Delphix: Preview Forms');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Delphix: Preview Forms' }).first().waitFor({ timeout: 5_000 });
        return true;
      }, 60_000);
      await page.keyboard.press('Enter');
      frame = await until('the webview with its forms', webview, 60_000);
      const tabs = await until('the wizard tabs', async () => {
        const t = await frame.locator('vscode-tab-header').allTextContents();
        return t.length >= 5 ? t : { ok: false, saw: t };
      });
      if (tabs.join('|') !== 'Add dSource|Provision VDB|Snapshot|Source config|Repository') throw new Error(`tabs: ${tabs.join('|')}`);
      await shot('preview-opened');
    });

    await step('the Add dSource form lists the fields in `ordering` with their prettyNames, required marked', async () => {
      const labels = await until('the labels', async () => {
        const l = await section('linkedSourceDefinition').locator('.fields > .field > vscode-label').allTextContents();
        return l.length === 3 ? l : { ok: false, saw: l };
      });
      const expected = ['Username on Source Host', 'Host from which to copy', 'Mount Location on Staging Host'];
      if (JSON.stringify(labels) !== JSON.stringify(expected)) throw new Error(`labels: ${JSON.stringify(labels)}`);
      const required = await section('linkedSourceDefinition').locator('.fields > .field > vscode-label[required]').count();
      if (required !== 3) throw new Error(`${required} labels marked required`);
      const help = await field('/username').locator('vscode-form-helper').textContent();
      if (help !== 'Username for making SSH connection to source host') throw new Error(`description: ${help}`);
    });

    await step('a value that violates the pattern shows the schema\'s validationMessages text', async () => {
      await typeInto('/username', 'Bad User');
      await until('the pattern message', async () => {
        const t = await field('/username').locator(':scope > [data-error]').textContent();
        return t === PATTERN_MESSAGE ? t : { ok: false, saw: t };
      });
      await shot('pattern-message');
      await typeInto('/username', 'delphix');
      await until('the message to clear', async () => {
        const t = await field('/username').locator(':scope > [data-error]').textContent();
        return t === '' ? true : { ok: false, saw: t };
      });
    });

    await step('editing schema.json (a hideExpression on mountLocation) updates the open preview, typed values kept', async () => {
      const s = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
      s.linkedSourceDefinition.properties.mountLocation.dxFormProperties = { hideExpression: '!model.sourceAddress' };
      s.linkedSourceDefinition.properties.mountLocation.prettyName = 'Mount Location (staging)';
      fs.writeFileSync(schemaFile, JSON.stringify(s, null, 4) + '\n');
      await until('the new prettyName', async () => {
        const l = await section('linkedSourceDefinition').locator('[data-ptr="/mountLocation"] > vscode-label').textContent().catch(() => '');
        return l === 'Mount Location (staging)' ? l : { ok: false, saw: l };
      }, 30_000);
      await until('mountLocation hidden while sourceAddress is empty', async () => (await field('/mountLocation').isHidden()) || { ok: false, saw: 'visible' });
      const note = await section('linkedSourceDefinition').locator('.hidden-summary').textContent();
      if (note !== 'Hidden now: Mount Location (staging).') throw new Error(`the hidden-fields note reads "${note}"`);
      const kept = await field('/username').locator('vscode-textfield input').inputValue();
      if (kept !== 'delphix') throw new Error(`the typed username is now "${kept}"`);
      await shot('schema-edited');
    });

    await step('toggling the field the hideExpression reads shows and hides the other', async () => {
      await typeInto('/sourceAddress', 'localhost');
      await until('mountLocation shown', async () => (await field('/mountLocation').isVisible()) || { ok: false, saw: 'hidden' });
      await shot('hide-expression-shown');
      await typeInto('/sourceAddress', '');
      await until('mountLocation hidden again', async () => (await field('/mountLocation').isHidden()) || { ok: false, saw: 'visible' });
      await typeInto('/sourceAddress', 'localhost');
      await until('mountLocation shown again', async () => (await field('/mountLocation').isVisible()) || { ok: false, saw: 'hidden' });
      await typeInto('/mountLocation', '/mnt/provision/from-the-form');
    });

    await step('"Use these values" writes them into the sync profile\'s linkedSource', async () => {
      await section('linkedSourceDefinition').locator('vscode-button[data-action="use"]').click();
      const profileFile = path.join(workspace, '.delphix', 'sync', 'local.json');
      const profile = await until('the profile on disk to change', async () => {
        const p = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
        return p.linkedSource && p.linkedSource.mountLocation === '/mnt/provision/from-the-form' ? p : { ok: false, saw: p.linkedSource };
      }, 30_000);
      const want = { username: 'delphix', sourceAddress: 'localhost', mountLocation: '/mnt/provision/from-the-form' };
      if (JSON.stringify(profile.linkedSource) !== JSON.stringify(want)) throw new Error(`linkedSource: ${JSON.stringify(profile.linkedSource)}`);
      if (!profile.environments || !profile.snapshotParameters) throw new Error('the rest of the profile was not kept');
      await page.locator('.tabs-container .tab', { hasText: 'local.json' }).first().waitFor({ timeout: 10_000 });
      await until('the confirmation in the form', async () => {
        const t = await section('linkedSourceDefinition').locator('.status').textContent();
        return /Written to "linkedSource" of the sync profile "local"/.test(t) ? t : { ok: false, saw: t };
      });
      await shot('values-used');
    });

    await step('hidden behind another editor and shown again, the preview still has what was typed', async () => {
      await page.locator('.tabs-container .tab', { hasText: 'Forms: first-plugin' }).click();
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('plugin_config.yml');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'plugin_config.yml' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'plugin_config.yml' }).waitFor({ timeout: 10_000 });
      await page.locator('.tabs-container .tab', { hasText: 'Forms: first-plugin' }).click();
      frame = await until('the webview back', webview, 30_000);
      await until('the typed values restored', async () => {
        const v = await field('/sourceAddress').locator('vscode-textfield input').inputValue();
        return v === 'localhost' ? v : { ok: false, saw: v };
      });
    });

    await step('a hideExpression naming a missing property is marked in the preview (and is a diagnostic)', async () => {
      const s = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
      s.linkedSourceDefinition.properties.mountLocation.dxFormProperties = { hideExpression: '!model.sourceAdress' };
      fs.writeFileSync(schemaFile, JSON.stringify(s, null, 4) + '\n');
      const marker = await until('the marker', async () => {
        const t = await section('linkedSourceDefinition').locator('.hidden-summary [data-hidden-field="/mountLocation"]').textContent().catch(() => '');
        return /names `sourceAdress`, which is not a property/.test(t) ? t : { ok: false, saw: t };
      }, 30_000);
      console.log(`      marker: ${marker}`);
      await page.locator('.tabs-container .tab', { hasText: 'schema.json' }).first().click();
      await page.keyboard.press('Control+Shift+M');
      await until('the diagnostic in Problems', async () => {
        const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
        return rows.some((r) => /names 'sourceAdress'/.test(r)) ? rows : { ok: false, saw: rows };
      }, 30_000);
      await shot('hide-expression-typo');
    });

    await step('the webview ran under its Content Security Policy without a violation', async () => {
      if (cspViolations.length) throw new Error(cspViolations.slice(0, 5).join('\n'));
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
