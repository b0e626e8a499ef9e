// Runs in workspace test/fixtures/e2e/plugin/: the tutorial plugin (plugin_config.yml at the root).
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activatedExtension,
  analysedDiagnostics,
  contributedCommands,
  delphixDiagnostics,
  describeDiagnostics,
  extension,
  hasServerBundle,
  PYTHON_SENTINEL,
  replaceText,
  restoreAndSave,
  serverBundle,
  waitFor,
  waitForPlugin,
  workspaceFile,
  workspaceRoot,
} from './helpers';

suite('plugin workspace', () => {
  test('the extension under development is loaded, with its built client', () => {
    const ext = extension();
    const main = (ext.packageJSON as { main?: string }).main;
    assert.equal(main, './dist/client.js');
    const bundle = path.join(ext.extensionPath, main);
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: run npm run build`);
  });

  test('activates by itself in a folder with plugin_config.yml', async () => {
    const ext = await activatedExtension();
    assert.equal(ext.isActive, true);
  });

  test('registers every command it contributes', async function () {
    const ext = await activatedExtension();
    const contributed = contributedCommands(ext);
    if (contributed.length === 0) this.skip(); // package.json contributes no commands yet
    for (const c of contributed) assert.match(c.command, /^delphix\./, `command id ${c.command}`);
    let missing: string[] = [];
    await waitFor(
      'every contributed command to be registered',
      async () => {
        const registered = new Set(await vscode.commands.getCommands(true));
        missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
        return missing.length === 0;
      },
      { describe: () => `contributed in package.json but not registered: ${missing.join(', ')}` },
    );
    assert.deepEqual(missing, []);
  });

  test('the language server reports the workspace plugin, without errors', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) {
      console.log(`skipped: ${serverBundle(ext)} does not exist`);
      this.skip();
    }
    const plugin = await waitForPlugin(ext, workspaceRoot());
    assert.equal(plugin.name, 'First Plugin');
    assert.equal(plugin.pluginType, 'STAGED');
    assert.equal(plugin.configFile, workspaceFile('plugin_config.yml').fsPath);
    assert.equal(plugin.errors, 0, `errors in the tutorial plugin: ${JSON.stringify(plugin)}`);
  });

  test('the example opens clean: no delphix warning either (its rsync arguments are quoted)', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) return this.skip();
    const runner = await vscode.workspace.openTextDocument(workspaceFile('src', 'plugin_runner.py'));
    assert.deepEqual((await analysedDiagnostics(runner, PYTHON_SENTINEL)).map((d) => d.message), [], describeDiagnostics(runner.uri));
    const plugin = await waitForPlugin(ext, workspaceRoot());
    assert.deepEqual([plugin.errors, plugin.warnings], [0, 0], `problems in the example: ${JSON.stringify(plugin)}`);
    for (const file of [workspaceFile('schema.json'), workspaceFile('plugin_config.yml')]) assert.deepEqual(delphixDiagnostics(file), [], describeDiagnostics(file));
  });

  test('a broken schema.json gets a delphix error, cleared once it is fixed', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) {
      // The language server is not built yet; the diagnostic cannot exist without it.
      console.log(`skipped: ${serverBundle(ext)} does not exist`);
      this.skip();
    }
    const uri = workspaceFile('schema.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const original = document.getText();
    try {
      // Drop the closing brace: the file is no longer valid JSON.
      const broken = original.slice(0, original.lastIndexOf('}'));
      await replaceText(document, broken);
      const errors = await waitFor(
        'a delphix error on the broken schema.json',
        () => {
          const found = delphixDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
          return found.length > 0 ? found : undefined;
        },
        { describe: () => describeDiagnostics(uri) },
      );
      for (const d of errors) {
        assert.ok(d.message.trim().length > 0, 'the diagnostic has a message');
        assert.ok(d.range.end.line < document.lineCount, `range ${d.range.end.line} is inside the document`);
      }
    } finally {
      await restoreAndSave(document, original);
    }
    await waitFor(
      'the delphix errors on schema.json to clear after the fix',
      () => delphixDiagnostics(uri).every((d) => d.severity !== vscode.DiagnosticSeverity.Error),
      { describe: () => describeDiagnostics(uri) },
    );
  });

  test('a nameField that names no property gets a delphix error on its value', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) {
      console.log(`skipped: ${serverBundle(ext)} does not exist`);
      this.skip();
    }
    const uri = workspaceFile('schema.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const original = document.getText();
    const at = original.indexOf('"nameField": "name"');
    assert.ok(at >= 0, 'the fixture schema.json has "nameField": "name"');
    const value = document.positionAt(at + '"nameField": '.length);
    try {
      await replaceText(document, original.replace('"nameField": "name"', '"nameField": "title"'));
      const errors = await waitFor(
        'a delphix error on the nameField value',
        () => {
          const found = delphixDiagnostics(uri).filter(
            (d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === value.line,
          );
          return found.length > 0 ? found : undefined;
        },
        { describe: () => describeDiagnostics(uri) },
      );
      const codes = errors.map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      assert.ok(codes.includes('schema.nameField.unknown'), `codes: ${codes.join(', ')}`);
      const error = errors[codes.indexOf('schema.nameField.unknown')];
      assert.equal(error.range.start.character, value.character, 'the range starts at the value');
      assert.match(error.message, /title/);
    } finally {
      await restoreAndSave(document, original);
    }
    await waitFor(
      'the nameField error to clear after the fix',
      () => delphixDiagnostics(uri).every((d) => d.severity !== vscode.DiagnosticSeverity.Error),
      { describe: () => describeDiagnostics(uri) },
    );
  });
});
