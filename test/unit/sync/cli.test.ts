import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CliIO } from '../../../cli/io';
import { UsageError } from '../../../cli/io';
import { resyncCommand, syncCommand } from '../../../cli/commands/sync';
import { copyPlugin, EXAMPLE, type TestPlugin } from './helpers';

function io(cwd: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: process.env, out: (t) => stdout.push(t), err: (t) => stderr.push(t), signal: new AbortController().signal, stdout, stderr };
}

describe('sync and resync commands on the example plugin (out of the box)', () => {
  let plugin: TestPlugin;
  before(() => (plugin = copyPlugin(EXAMPLE)));
  after(() => plugin.cleanup());

  it('syncs the shipped local profile without sshd and prints progress and the report', async () => {
    const term = io(path.dirname(plugin.root));
    const code = await syncCommand.run(['plugin'], term);
    const text = term.stdout.join('\n');
    assert.equal(code, 0, text + term.stderr.join('\n'));
    assert.match(text, /^sync of .*\/plugin with profile "local": succeeded in \d+\.\d s$/m);
    assert.match(text, /^Snapshot 1: .*\/plugin\/\.delphix\/sandbox\/local\/snapshots\/1\n {2}3 files, 393 B; since the previous snapshot: 3 added, 0 changed, 0 deleted, 393 B copied$/m);
    assert.match(text, /\[run_bash on local\] exit 0 in \d+ ms: rsync -r delphix@localhost:.*\/plugin\/sample-source .*\/mounts\/mnt-provision-first-plugin-[0-9a-f]{8}/);
    assert.ok(term.stderr.includes('… linked.pre_snapshot()'));
    assert.ok(term.stderr.some((l) => /^✓ linked\.post_snapshot\(\) \(\d+ ms\)$/.test(l)));
    const data = path.join(plugin.root, '.delphix/sandbox/local/snapshots/1/data');
    const [slug] = fs.readdirSync(data);
    assert.equal(fs.readFileSync(path.join(data, slug, 'sample-source/data/orders.csv'), 'utf8'), fs.readFileSync(path.join(EXAMPLE, 'sample-source/data/orders.csv'), 'utf8'));
    assert.equal(fs.readFileSync(path.join(plugin.root, '.delphix/sandbox/.gitignore'), 'utf8'), '# Simulated sync data of Delphix Plugin Studio\n*\n');
  });

  it('resyncs, and prints JSON on request', async () => {
    const term = io(plugin.root);
    const code = await resyncCommand.run(['--json'], term);
    assert.equal(code, 0);
    const report = JSON.parse(term.stdout.join('\n'));
    assert.equal(report.mode, 'resync');
    assert.deepEqual(report.snapshotParameters, { resync: true });
    assert.equal(report.snapshot.id, 2);
    assert.deepEqual(term.stderr, []);
  });

  it('runs a policy sync and rejects bad arguments', async () => {
    const term = io(plugin.root);
    assert.equal(await syncCommand.run(['--policy', '--profile', 'local'], term), 0);
    assert.match(term.stdout.join('\n'), /^policy sync of /);
    await assert.rejects(resyncCommand.run(['--policy'], io(plugin.root)), (e: unknown) => e instanceof UsageError && e.message === 'unknown option --policy');
    await assert.rejects(syncCommand.run(['--timeout', '0'], io(plugin.root)), (e: unknown) => e instanceof UsageError && e.message === '--timeout needs a number of seconds greater than 0');
    const missing = io(plugin.root);
    assert.equal(await syncCommand.run(['--profile', 'nightly'], missing), 1);
    assert.match(missing.stdout.join('\n'), /There is no sync profile "nightly" .* Profiles of this plugin: local\./);
  });
});
