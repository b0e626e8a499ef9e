// Runs in workspace test/fixtures/e2e/upgrade/ (version 2.0 of the upgrade fixture with its migrations,
// objects saved under 1.0 in .delphix/upgrade/objects.json, delphix.upgrade.baseline naming the 1.0
// artifact): the guard as the author types, its scaffold quick fix, and "Delphix: Run Upgrade Migrations".
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { UpgradeRun } from '../../core/upgrade/runUpgrade';
import { codeOf, delphixDiagnostics, describeDiagnostics, openEditor, replaceText, restoreAndSave, serverOrSkip, waitFor, waitForPlugin, workspaceFile, workspaceRoot } from './helpers';

suite('upgrade workspace', () => {
  test('Delphix: Run Upgrade Migrations runs the migrations on the saved objects, all valid', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const run = await vscode.commands.executeCommand<UpgradeRun>('delphix.runUpgradeMigrations', workspaceRoot().fsPath, { quiet: true });
    assert.ok(run, 'the command returns the run');
    assert.equal(run.error, undefined);
    assert.equal(run.ok, true, JSON.stringify(run.outcomes.filter((o) => !o.ok)));
    assert.deepEqual(run.migrationIds, ['2025.3.1', '2025.3.2', '2025.3.3']);
    assert.equal(run.outcomes.length, 6);
  });

  test('a new required property is reported as typed; the quick fix writes the migration and clears it', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const schema = (await openEditor(workspaceFile('schema.json'))).document;
    const runner = await vscode.workspace.openTextDocument(workspaceFile('src', 'plugin_runner.py'));
    const schemaBefore = schema.getText();
    const runnerBefore = runner.getText();
    try {
      const changed = schemaBefore.replace('"installPath": { "type": "string" }', '"installPath": { "type": "string" },\n      "edition": { "type": "string", "default": "community" }').replace('"required": ["name"]', '"required": ["name", "edition"]');
      assert.notEqual(changed, schemaBefore);
      await replaceText(schema, changed);
      const finding = await waitFor('the upgrade guard finding', () => delphixDiagnostics(schema.uri).find((d) => codeOf(d) === 'upgrade.requiredAdded'), { describe: () => describeDiagnostics(schema.uri) });
      assert.match(finding.message, /^"edition" of repositoryDefinition is now required\./);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', schema.uri, finding.range)) ?? [];
      const fix = actions.find((a) => a.title.startsWith('Add a data migration for repositoryDefinition'));
      assert.ok(fix?.edit, `quick fixes offered: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(runner.getText(), /@plugin\.upgrade\.repository\("\d{4}\.\d{2}\.\d{2}(\.\d+)?"\)\ndef upgrade_repository_[\d_]+\(old_repository\):[\s\S]*old_repository\.setdefault\('edition', 'community'\)/);
      await waitFor('the finding to go once the migration exists', () => !delphixDiagnostics(schema.uri).some((d) => codeOf(d) === 'upgrade.requiredAdded'), { describe: () => describeDiagnostics(schema.uri) });
    } finally {
      await restoreAndSave(runner, runnerBefore);
      await restoreAndSave(schema, schemaBefore);
    }
  });
});
