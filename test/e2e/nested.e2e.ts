// Runs in workspace test/fixtures/e2e/nested/: a repository whose plugin lives in
// plugins/first-plugin/, so the extension must find plugin_config.yml below the workspace root.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activatedExtension,
  delphixDiagnostics,
  describeDiagnostics,
  hasServerBundle,
  replaceText,
  restoreAndSave,
  serverBundle,
  waitFor,
  waitForPlugin,
  workspaceFile,
} from './helpers';

suite('nested plugin workspace', () => {
  test('activates for a plugin_config.yml in a subfolder', async () => {
    const ext = await activatedExtension();
    assert.equal(ext.isActive, true);
  });

  test('the language server finds the plugin in plugins/first-plugin', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) {
      console.log(`skipped: ${serverBundle(ext)} does not exist`);
      this.skip();
    }
    const plugin = await waitForPlugin(ext, workspaceFile('plugins', 'first-plugin'));
    assert.equal(plugin.name, 'First Plugin');
    assert.equal(plugin.configFile, workspaceFile('plugins', 'first-plugin', 'plugin_config.yml').fsPath);
  });

  test('a broken plugin_config.yml in the subfolder gets a delphix error', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) {
      console.log(`skipped: ${serverBundle(ext)} does not exist`);
      this.skip();
    }
    const uri = workspaceFile('plugins', 'first-plugin', 'plugin_config.yml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const original = document.getText();
    try {
      // An unterminated flow sequence: the YAML no longer parses.
      await replaceText(document, `${original.trimEnd()}\nhostTypes: [UNIX\n`);
      await waitFor(
        'a delphix error on the broken plugin_config.yml',
        () => delphixDiagnostics(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error),
        { describe: () => describeDiagnostics(uri) },
      );
    } finally {
      await restoreAndSave(document, original);
    }
    await waitFor(
      'the delphix errors on plugin_config.yml to clear after the fix',
      () => delphixDiagnostics(uri).every((d) => d.severity !== vscode.DiagnosticSeverity.Error),
      { describe: () => describeDiagnostics(uri) },
    );
  });
});
