import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CliIO } from '../../../cli/io';
import { UsageError } from '../../../cli/io';
import { syncCommand } from '../../../cli/commands/sync';
import { objectsCommand, provisionCommand, vdbCommand, discoverCommand } from '../../../cli/commands/lifecycle';
import { copyPlugin, EXAMPLE, type TestPlugin } from '../sync/helpers';

function io(cwd: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: process.env, out: (t) => stdout.push(t), err: (t) => stderr.push(t), signal: new AbortController().signal, stdout, stderr };
}

describe('the example plugin out of the box: sync, provision, vdb delete', () => {
  let plugin: TestPlugin;
  before(() => (plugin = copyPlugin(EXAMPLE)));
  after(() => plugin.cleanup());

  it('discovers the tutorial repository', async () => {
    const term = io(plugin.root);
    assert.equal(await discoverCommand.run([], term), 0, term.stdout.join('\n'));
    assert.match(term.stdout.join('\n'), /^discovery of .* succeeded/m);
    assert.match(term.stdout.join('\n'), /repository \{"name":"1e87dc30-3cdb-4f0a-9634-07ce017d20d1"\}/);
  });

  it('provisions a VDB from the synced snapshot and deletes it, printing the step report', async () => {
    const sync = io(plugin.root);
    assert.equal(await syncCommand.run([], sync), 0, sync.stdout.join('\n'));
    const term = io(plugin.root);
    assert.equal(await provisionCommand.run([], term), 0, term.stdout.join('\n'));
    const text = term.stdout.join('\n');
    assert.match(text, /^provision of VDB "vdb1" of .*\/plugin with profile "local": succeeded in \d+\.\d s$/m);
    assert.match(text, /^ {2}ok {5}virtual\.mount_specification\(\) \d+ ms$/m);
    assert.match(text, /^ {2}ok {5}virtual\.configure\(\) \d+ ms$/m);
    assert.match(text, /^Clone: 3 files, 393 B in \d+ ms as (copy-on-write reflinks|a full copy)/m);
    assert.match(text, /^Mount \/mnt\/provision\/first-plugin-vdb on staging is backed by .*\/vdbs\/vdb1\/data$/m);
    assert.match(text, /^VDB vdb1: RUNNING, from dSource snapshot 1, on local/m);
    assert.ok(term.stderr.includes('… virtual.configure()'));
    const data = path.join(plugin.root, '.delphix/sandbox/local/vdbs/vdb1/data');
    assert.equal(fs.readFileSync(path.join(data, 'sample-source/data/orders.csv'), 'utf8'), fs.readFileSync(path.join(EXAMPLE, 'sample-source/data/orders.csv'), 'utf8'));

    const listed = io(plugin.root);
    assert.equal(await objectsCommand.run(['--format', 'json'], listed), 0);
    const objects = JSON.parse(listed.stdout.join('\n'));
    assert.equal(objects[0].profile, 'local');
    assert.deepEqual(objects[0].dsource.snapshots.map((s: { id: number }) => s.id), [1]);
    assert.deepEqual(objects[0].vdbs.map((v: { name: string; status: string; origin: unknown }) => [v.name, v.status, v.origin]), [['vdb1', 'running', { kind: 'dsource', snapshotId: 1 }]]);
    const text2 = io(plugin.root);
    await objectsCommand.run([], text2);
    assert.match(text2.stdout.join('\n'), /^ {2}VDB vdb1: RUNNING, from dSource snapshot 1, on local, data /m);

    const del = io(plugin.root);
    assert.equal(await vdbCommand.run(['delete', 'vdb1'], del), 0, del.stdout.join('\n'));
    assert.match(del.stdout.join('\n'), /^delete of VDB "vdb1" .* succeeded/m);
    assert.match(del.stdout.join('\n'), /^Note: virtual\.unconfigure\(\) is not implemented; the engine skips it\.$/m);
    assert.equal(fs.existsSync(path.dirname(data)), false);
  });

  it('rejects bad arguments with a usage message', async () => {
    const t = io(plugin.root);
    await assert.rejects(vdbCommand.run(['explode', 'v1'], t), (e: unknown) => e instanceof UsageError && /name a VDB workflow: start, stop, status/.test(e.message));
    await assert.rejects(vdbCommand.run(['start'], t), (e: unknown) => e instanceof UsageError && e.message === 'name the VDB (see "objects")');
    await assert.rejects(vdbCommand.run(['start', 'v1', '--snapshot', '2'], t), (e: unknown) => e instanceof UsageError && e.message === '--snapshot applies to refresh and rollback only');
    await assert.rejects(provisionCommand.run(['--snapshot', 'latest'], t), (e: unknown) => e instanceof UsageError && /--snapshot needs a snapshot id/.test(e.message));
    await assert.rejects(objectsCommand.run(['--format', 'xml'], t), (e: unknown) => e instanceof UsageError);
    const missing = io(plugin.root);
    assert.equal(await provisionCommand.run(['--snapshot', '9'], missing), 1);
    assert.match(missing.stdout.join('\n'), /provision failed: The dSource has no snapshot 9\.\nAction: Its snapshots: 1\./);
    const empty = io(plugin.root);
    assert.equal(await provisionCommand.run(['--empty', '--name', 'e1'], empty), 1);
    assert.match(empty.stdout.join('\n'), /create empty VDB needs virtual\.initialize\(\), which the plugin does not implement; nothing was run\./);
  });
});
