// Runs in workspace test/fixtures/e2e/plugin/ (the tutorial plugin with the example's sync profile,
// which has a virtualSource): the Delphix tree view lists the local engine's objects, and an operation
// runs from a VDB item's context menu, as the workbench runs it (the menu's command with the item).
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SyncReport } from '../../core/sync';
import { removeCreated, serverOrSkip, waitFor, waitForPlugin, workspaceRoot } from './helpers';

interface Node {
  kind: string;
  [key: string]: unknown;
}
interface Tree {
  getChildren(node?: Node): Promise<Node[]>;
  getTreeItem(node: Node): vscode.TreeItem;
}

function objectsTree(ext: vscode.Extension<unknown>): Tree {
  const tree = (ext.exports as { objectsTree?: Tree }).objectsTree;
  assert.ok(tree, 'the extension exports its objects tree');
  return tree;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Whether a `view/item/context` menu `when` clause offers its command on an item of this contextValue. */
function offered(when: string, view: string, contextValue: string): boolean {
  return when.split('&&').every((raw) => {
    const clause = raw.trim().replace(/^\(|\)$/g, '');
    return clause.split('||').some((alt) => {
      const c = alt.trim();
      let m = /^view == (\S+)$/.exec(c);
      if (m) return m[1] === view;
      m = /^viewItem == (\S+)$/.exec(c);
      if (m) return m[1] === contextValue;
      m = /^viewItem =~ \/(.*)\/$/.exec(c);
      if (m) return new RegExp(m[1]).test(contextValue);
      throw new Error(`unexpected when clause: ${c}`);
    });
  });
}

suite('plugin workspace: the Delphix tree view', () => {
  const root = () => workspaceRoot().fsPath;
  const sandbox = () => path.join(root(), '.delphix', 'sandbox');
  let hadSandbox = false;
  suiteSetup(() => (hadSandbox = fs.existsSync(sandbox())));
  suiteTeardown(() => removeCreated(sandbox(), hadSandbox));

  test('lists the dSource snapshot and a provisioned VDB, and stops the VDB from its context menu', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot(), (p) => !!p.name);
    const tree = objectsTree(ext);
    await vscode.commands.executeCommand('delphix.objects.focus');

    const sync = await vscode.commands.executeCommand<SyncReport>('delphix.syncDSource', root(), { quiet: true });
    assert.equal(sync?.ok, true, sync?.error?.message);
    const provision = await vscode.commands.executeCommand<SyncReport>('delphix.provisionVdb', { plugin: root(), profile: 'local', name: 'e2e', quiet: true });
    assert.equal(provision?.ok, true, provision?.error?.message);

    const groups = await tree.getChildren();
    assert.deepEqual(groups.map((g) => label(tree.getTreeItem(g))), ['dSources', 'VDBs']);
    const [dsource] = await tree.getChildren(groups[0]);
    assert.equal(label(tree.getTreeItem(dsource)), 'local');
    assert.equal(tree.getTreeItem(dsource).description, '1 snapshot');
    const snapshots = await tree.getChildren(dsource);
    assert.deepEqual(snapshots.map((s) => label(tree.getTreeItem(s))), ['Snapshot 1']);
    assert.equal(tree.getTreeItem(snapshots[0]).contextValue, 'delphix.dsourceSnapshot');
    const [vdb] = await tree.getChildren(groups[1]);
    const item = tree.getTreeItem(vdb);
    assert.equal(label(item), 'e2e');
    assert.equal(item.description, 'RUNNING · from dSource snapshot 1');
    assert.equal(item.contextValue, 'delphix.vdb.running');

    // The context menu of a running VDB offers Stop VDB (and not Start VDB); the workbench runs the
    // menu's command with the item as its argument.
    const menus = (ext.packageJSON as { contributes: { menus: Record<string, { command: string; when: string; group?: string }[]> } }).contributes.menus['view/item/context'];
    const onItem = menus.filter((m) => offered(m.when, 'delphix.objects', item.contextValue!)).map((m) => m.command);
    for (const c of ['delphix.stopVdb', 'delphix.checkVdbStatus', 'delphix.snapshotVdb', 'delphix.refreshVdb', 'delphix.rollbackVdb', 'delphix.disableVdb', 'delphix.deleteVdb', 'delphix.debugWorkflow']) {
      assert.ok(onItem.includes(c), `${c} is on the context menu of a running VDB (${onItem.join(', ')})`);
    }
    assert.ok(!onItem.includes('delphix.startVdb'), 'Start VDB is not offered on a running VDB');
    const stop = await vscode.commands.executeCommand<SyncReport>('delphix.stopVdb', vdb);
    assert.equal(stop?.ok, true, stop?.error?.message);
    assert.equal(stop?.vdb?.status, 'stopped');
    await waitFor('the tree to show the VDB stopped', async () => {
      const [again] = await tree.getChildren((await tree.getChildren())[1]);
      return tree.getTreeItem(again).description === 'STOPPED · from dSource snapshot 1' || undefined;
    });

    const [stopped] = await tree.getChildren((await tree.getChildren())[1]);
    const del = await vscode.commands.executeCommand<SyncReport>('delphix.deleteVdb', stopped, { quiet: true });
    assert.equal(del?.ok, true, del?.error?.message);
    assert.deepEqual(await tree.getChildren((await tree.getChildren())[1]), []);
    assert.equal(fs.existsSync(path.join(sandbox(), 'local', 'vdbs', 'e2e')), false);
  });
});
