// Runs in workspace test/fixtures/e2e/plugin/ (after plugin.e2e.ts): the palette commands, called
// the way the palette calls them, with the plugin root as argument so no picker opens.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activatedExtension, hasServerBundle, serverBundle, waitForPlugin, workspaceRoot } from './helpers';

interface BuildOutcome {
  ok: boolean;
  artifactPath?: string;
  uploadable?: boolean;
  message: string;
}

/**
 * Sets workspace-folder settings for the duration of `fn` and puts the previous values back, so the
 * suite also leaves the fixture folder as it was when it runs in place (@vscode/test-cli).
 */
async function withSettings<T>(values: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const config = () => vscode.workspace.getConfiguration('delphix', workspaceRoot());
  const before = new Map(Object.keys(values).map((key) => [key, config().inspect(key)?.workspaceFolderValue]));
  try {
    for (const [key, value] of Object.entries(values)) {
      await config().update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    return await fn();
  } finally {
    for (const [key, value] of before) await config().update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
  }
}

suite('plugin workspace: commands', () => {
  test('Delphix: Build Plugin writes an artifact (without the SDK runtime: no package index here)', async function () {
    const ext = await activatedExtension();
    if (!hasServerBundle(ext)) {
      console.log(`skipped: ${serverBundle(ext)} does not exist`);
      this.skip();
    }
    await waitForPlugin(ext, workspaceRoot());
    // The SDK runtime comes from a package index or wheelhouse this machine does not have; a build
    // without it is the quick local build, and noIndex keeps pip off the network should it run anyway.
    const outcome = await withSettings({ 'build.includeSdkRuntime': false, 'build.pip.noIndex': true }, () =>
      Promise.resolve(vscode.commands.executeCommand<BuildOutcome>('delphix.buildPlugin', workspaceRoot())),
    );
    assert.ok(outcome, 'the command returns its outcome');
    assert.equal(outcome.ok, true, outcome.message);
    const artifactPath = outcome.artifactPath;
    assert.ok(artifactPath && fs.existsSync(artifactPath), `artifact ${artifactPath} exists`);
    try {
      assert.equal(outcome.uploadable, false, 'an artifact without the SDK runtime is not uploadable');
      const artifact = JSON.parse(fs.readFileSync(artifactPath, 'utf8')) as { name?: unknown; sourceCode?: unknown };
      assert.equal(artifact.name, 'First Plugin');
      assert.equal(typeof artifact.sourceCode, 'string');
      assert.ok((artifact.sourceCode as string).length > 0, 'the artifact carries the zipped source code');
    } finally {
      fs.rmSync(artifactPath, { force: true }); // leave the workspace as it was
    }
  });
});
