import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runSync } from '../../../core/sync/orchestrator';
import { formatReport } from '../../../core/sync/report';
import { sshdAvailable, startSshd, type Sshd } from '../../support/sshd';
import { copyPlugin, EXAMPLE, fixtureProfile, type TestPlugin } from './helpers';

describe('sync with a source host over a real sshd', { skip: sshdAvailable() ? false : 'sshd is not installed' }, () => {
  let sshd: Sshd;
  let example: TestPlugin;
  let fixture: TestPlugin;
  let exported: string;

  before(async () => {
    sshd = await startSshd();
    example = copyPlugin(EXAMPLE);
    fixture = copyPlugin();
    exported = path.join(path.dirname(example.root), 'exported');
    fs.mkdirSync(path.join(exported, 'db'), { recursive: true });
    fs.writeFileSync(path.join(exported, 'db', 'table1.dat'), 'rows\n');
    fs.writeFileSync(path.join(exported, 'control.ctl'), 'ctl\n');
  });
  after(async () => {
    await sshd?.stop();
    example?.cleanup();
    fixture?.cleanup();
  });

  const sshSource = () => ({ type: 'ssh', host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });

  it('runs the tutorial plugin unchanged: rsync user@host:path over ssh', async () => {
    example.writeProfile({
      environments: { staging: { type: 'local' }, source: sshSource() },
      repository: { name: 'repo' },
      sourceConfig: { name: 'exported', path: exported },
      linkedSource: { sourceAddress: '127.0.0.1', username: sshd.user, mountLocation: '/mnt/provision/remote' },
      sourceFolder: exported,
    }, 'remote');
    const report = await runSync({ pluginRoot: example.root, profile: 'remote' });
    assert.equal(report.ok, true, formatReport(report));
    assert.ok(report.preflight.some((c) => c.id === 'sourceFolder' && c.ok && c.message === `Source folder ${exported} on ssh ${sshd.user}@127.0.0.1:${sshd.port}`));
    const mount = report.mounts[0];
    const copy = report.commands.find((c) => c.kind === 'run_bash')!;
    assert.equal(copy.command, `rsync -r ${sshd.user}@127.0.0.1:${exported} ${mount.path}`);
    assert.equal(copy.exitCode, 0);
    const slug = path.basename(mount.path);
    const data = path.join(report.snapshot!.path, 'data', slug, 'exported');
    assert.equal(fs.readFileSync(path.join(data, 'db', 'table1.dat'), 'utf8'), 'rows\n');
    assert.equal(fs.readFileSync(path.join(data, 'control.ctl'), 'utf8'), 'ctl\n');
    assert.equal(report.snapshot!.stats.files, 2);
  });

  it('runs run_bash on the source connection over ssh, variables as environment', async () => {
    const profile = fixtureProfile(fixture.source, 'remote-echo');
    profile.environments = { staging: { type: 'local' }, source: sshSource() };
    profile.linkedSource = { ...(profile.linkedSource as object), sourceAddress: '127.0.0.1', username: sshd.user };
    fixture.writeProfile(profile);
    const report = await runSync({ pluginRoot: fixture.root });
    assert.equal(report.ok, true, formatReport(report));
    const remote = report.commands.find((c) => c.kind === 'run_bash' && c.environment === 'source')!;
    assert.equal(remote.host, `ssh ${sshd.user}@127.0.0.1:${sshd.port}`);
    assert.equal(remote.stdout, `it's $(not run) \`nor this\`|${sshd.user}`);
    assert.ok(report.logs.some((l) => l.message === `remote said: it's $(not run) \`nor this\`|${sshd.user}`));
    assert.equal(report.snapshot!.stats.files, 3);
  });

  it('keeps the mount on an ssh staging host and snapshots it over ssh', async () => {
    const scratch = path.join(path.dirname(fixture.root), 'remote-scratch');
    const profile = fixtureProfile(fixture.source, 'mirror');
    profile.environments = { staging: { ...sshSource(), scratchPath: scratch }, source: sshSource() };
    profile.linkedSource = { ...(profile.linkedSource as object), sourceAddress: '' };
    fixture.writeProfile(profile, 'staging-remote');
    const report = await runSync({ pluginRoot: fixture.root, profile: 'staging-remote' });
    assert.equal(report.ok, true, formatReport(report));
    const mount = report.mounts[0];
    assert.equal(path.dirname(mount.path), path.join(scratch, 'dpstudio-mounts', 'staging-remote'));
    assert.equal(report.commands[0].kind, 'mount');
    assert.deepEqual(report.snapshot!.definition, { fileCount: 3, resync: false, policy: false });
    assert.equal(fs.readFileSync(path.join(report.snapshot!.path, 'data', path.basename(mount.path), 'sub', 'c.txt'), 'utf8'), 'charlie\n');
  });

  it('checks the source folder on the ssh host before anything runs', async () => {
    example.writeProfile({
      environments: { staging: { type: 'local' }, source: sshSource() },
      repository: { name: 'repo' },
      sourceConfig: { name: 'missing', path: '/no/such/folder' },
      linkedSource: { sourceAddress: '127.0.0.1', username: sshd.user, mountLocation: '/mnt/provision/remote' },
      sourceFolder: '/no/such/folder',
    }, 'missing');
    const report = await runSync({ pluginRoot: example.root, profile: 'missing' });
    assert.equal(report.ok, false);
    const check = report.preflight.find((c) => c.id === 'sourceFolder')!;
    assert.deepEqual([check.ok, check.message], [false, `The source folder /no/such/folder does not exist on the source environment (ssh ${sshd.user}@127.0.0.1:${sshd.port}).`]);
    assert.deepEqual(report.steps, []);
  });
});
