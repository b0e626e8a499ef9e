// Runs in workspace test/fixtures/e2e/nested/: the language server is killed as a crash would end it;
// the client restarts it, says so in the Delphix output, and the checks work again.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { delphixDiagnostics, replaceText, restoreAndSave, serverOrSkip, waitFor, waitForOutput, waitForPlugin, workspaceFile } from './helpers';

/** Pids of this extension host's child processes running the bundled language server. */
function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes('dist/server.js')) pids.push(Number(entry));
    } catch {
      /* the process ended while we looked */
    }
  }
  return pids;
}

suite('nested plugin workspace: a crashed language server', () => {
  test('is restarted by the client, which says so, and the diagnostics come back', async function () {
    if (process.platform !== 'linux') this.skip();
    const ext = await serverOrSkip(this);
    const root = workspaceFile('plugins', 'first-plugin');
    await waitForPlugin(ext, root, (p) => !!p.name);
    const [pid] = await waitFor('the language server process', () => (serverPids().length === 1 ? serverPids() : undefined));
    process.kill(pid, 'SIGKILL');

    await waitForOutput(/The Delphix language server stopped unexpectedly; restarting it \(1 of 4\)\./);
    const [restarted] = await waitFor('a new language server process', () => {
      const now = serverPids();
      return now.length === 1 && now[0] !== pid ? now : undefined;
    });
    assert.notEqual(restarted, pid);
    await waitForPlugin(ext, root, (p) => !!p.name);

    // The restarted server checks again: a broken config gets its error, and loses it once fixed.
    const config = workspaceFile('plugins', 'first-plugin', 'plugin_config.yml');
    const document = await vscode.workspace.openTextDocument(config);
    const original = document.getText();
    try {
      await replaceText(document, original.replace('pluginType: STAGED', 'pluginType: STAGEDD'));
      await waitFor('the error from the restarted server', () => delphixDiagnostics(config).find((d) => d.severity === vscode.DiagnosticSeverity.Error));
    } finally {
      await restoreAndSave(document, original);
    }
    await waitFor('the error to clear', () => !delphixDiagnostics(config).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });
});
