import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { runSync, type RunOptions } from '../../../core/sync/orchestrator';
import { formatReport, type SyncReport } from '../../../core/sync/report';
import { sandboxLayout } from '../../../core/sync/sandbox';
import { loadProfile } from '../../../core/sync/profile';
import { loadObjects, profileObjects } from '../../../core/lifecycle/objects';
import { sshdAvailable, startSshd, type Sshd } from '../../support/sshd';
import { copyPlugin, REPO, type TestPlugin } from '../sync/helpers';

const FIXTURE = path.join(REPO, 'test/fixtures/lifecycle/plugin');

/** Every file under `root` with its bytes' hash: a tree compared byte for byte. */
function treeHash(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

function profile(source: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environments: { staging: { type: 'local' }, source: { type: 'local' } },
    repository: { name: 'alpha' },
    sourceConfig: { name: 'data', path: source },
    linkedSource: { mountLocation: '/mnt/staging/lc' },
    snapshotParameters: { resync: false },
    virtualSource: { mountLocation: '/mnt/vdb/lc', behaviour: 'normal' },
    ...extra,
  };
}

function ok(report: SyncReport): SyncReport {
  assert.equal(report.ok, true, formatReport(report));
  return report;
}

describe('the whole lifecycle on the local engine', () => {
  let plugin: TestPlugin;
  const run = (options: Partial<RunOptions>) => runSync({ pluginRoot: plugin.root, env: { ...process.env, LIFECYCLE_SOURCE: plugin.source }, ...options });
  let dsourceSnapshot1: Record<string, string>;
  let vdbData: string;

  before(() => {
    plugin = copyPlugin(FIXTURE);
    plugin.writeProfile(profile(plugin.source));
  });
  after(() => plugin.cleanup());

  it('discovers repositories and their source configs on the source environment, checked and kept', async () => {
    const report = ok(await run({ workflow: 'discovery' }));
    assert.deepEqual(report.steps.map((s) => s.name), [
      'import vdb_plugin:plugin', 'discovery.repository()', 'discovery.source_config()', 'discovery.source_config()', 'check discovered objects',
    ]);
    assert.deepEqual(report.discovery!.repositories, [
      { repository: { name: 'alpha', version: '1.0' }, sourceConfigs: [{ name: 'alpha data', path: '/data/alpha' }] },
      { repository: { name: 'beta', version: '1.0' }, sourceConfigs: [{ name: 'beta data', path: '/data/beta' }] },
    ]);
    assert.equal(loadObjects(sandboxLayout(plugin.root, 'local')).discovery!.repositories.length, 2);
    assert.match(formatReport(report), /repository \{"name":"alpha","version":"1.0"\}/);
  });

  it('refuses discovery results with duplicate identityFields or a source config that fails the schema, and keeps the previous ones', async () => {
    const dup = await runSync({ pluginRoot: plugin.root, workflow: 'discovery', env: { ...process.env, LIFECYCLE_DISCOVERY: 'duplicate' } });
    assert.equal(dup.ok, false);
    assert.equal(dup.error!.kind, 'DiscoveryMismatch');
    assert.match(dup.error!.message, /repository 3 has the same identityFields \(name: \["alpha"\]\) as repository 1/);
    const bad = await runSync({ pluginRoot: plugin.root, workflow: 'discovery', env: { ...process.env, LIFECYCLE_DISCOVERY: 'bad-config' } });
    assert.equal(bad.ok, false);
    assert.match(bad.error!.message, /source config 1: source config 1 must have required property 'path'/);
    assert.equal(loadObjects(sandboxLayout(plugin.root, 'local')).discovery!.repositories[0].sourceConfigs[0].path, '/data/alpha');
  });

  it('lets a profile pick a discovered repository and source config by name', () => {
    const layout = sandboxLayout(plugin.root, 'local');
    const schema = JSON.parse(fs.readFileSync(path.join(plugin.root, 'schema.json'), 'utf8'));
    const file = plugin.writeProfile(profile(plugin.source, { repository: { $discovered: 'beta' }, sourceConfig: { $discovered: 'beta data' } }), 'picked');
    const loaded = loadProfile('picked', { pluginRoot: plugin.root, sandbox: layout.root, pluginSchema: schema });
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.profile!.repository, { name: 'beta', version: '1.0' });
    assert.deepEqual(loaded.profile!.sourceConfig, { name: 'beta data', path: '/data/beta' });
    plugin.writeProfile(profile(plugin.source, { repository: { $discovered: 'gamma' }, sourceConfig: { $discovered: 'alpha data' } }), 'picked');
    const missing = loadProfile('picked', { pluginRoot: plugin.root, sandbox: layout.root, pluginSchema: schema });
    assert.deepEqual(missing.problems.map((p) => [p.code, p.message, p.range.start.line]), [
      ['sync.profile.discovered', 'No discovered repository has name "gamma". Discovered: "alpha", "beta".', fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('"$discovered": "gamma"'))],
    ]);
    const none = loadProfile('picked', { pluginRoot: plugin.root, sandbox: sandboxLayout(plugin.root, 'picked').root, pluginSchema: schema });
    assert.match(none.problems[0].message, /Nothing was discovered with this profile yet/);
    fs.rmSync(file);
  });

  it('provisions a VDB from the latest dSource snapshot: mount_specification, clone, mount, configure', async () => {
    const sync = ok(await run({}));
    dsourceSnapshot1 = treeHash(sync.snapshot!.path);
    const report = ok(await run({ workflow: 'provision', vdb: 'v1' }));
    assert.deepEqual(report.steps.map((s) => [s.name, s.status]), [
      ['import vdb_plugin:plugin', 'ok'], ['virtual.mount_specification()', 'ok'], ['clone snapshot', 'ok'], ['mount', 'ok'],
      ['virtual.configure()', 'ok'], ['check source config', 'ok'],
    ]);
    assert.ok(['reflink', 'copy'].includes(report.clone!.mode));
    assert.match(formatReport(report), /Clone: 3 files, 26 B in \d+ ms as (copy-on-write reflinks|a full copy)/);
    const vdb = report.vdb!;
    assert.equal(vdb.status, 'running');
    assert.deepEqual(vdb.origin, { kind: 'dsource', snapshotId: 1 });
    vdbData = vdb.dataDir;
    assert.equal(vdbData, path.join(sandboxLayout(plugin.root, 'local').root, 'vdbs', 'v1', 'data'));
    assert.deepEqual(vdb.mounts, [{ requested: '/mnt/vdb/lc', path: vdbData, environment: 'staging', sharedPath: null }]);
    assert.deepEqual(vdb.sourceConfig, { name: 'vdb', path: vdbData });
    assert.equal(fs.readFileSync(path.join(vdbData, 'b.txt'), 'utf8'), 'bravo bravo\n');
    assert.equal(fs.readFileSync(path.join(vdbData, '.trace'), 'utf8'), 'configure from dsource (3 files)\n');
    // Never hard links: the VDB's files are other inodes than the snapshot's.
    const snapFile = path.join(sync.snapshot!.path, 'data', fs.readdirSync(path.join(sync.snapshot!.path, 'data'))[0], 'a.txt');
    assert.notEqual(fs.statSync(path.join(vdbData, 'a.txt')).ino, fs.statSync(snapFile).ino);
    assert.equal(fs.statSync(path.join(vdbData, 'a.txt')).nlink, 1);
  });

  it('keeps the dSource snapshot byte for byte when the VDB is written', async () => {
    fs.writeFileSync(path.join(vdbData, 'a.txt'), 'written in the VDB\n');
    fs.appendFileSync(path.join(vdbData, 'sub', 'c.txt'), 'more\n');
    fs.writeFileSync(path.join(vdbData, 'new.txt'), 'new\n');
    assert.deepEqual(treeHash(path.join(sandboxLayout(plugin.root, 'local').snapshots, '1')), dsourceSnapshot1);
  });

  it('snapshots the VDB (pre_snapshot, snapshot, post_snapshot), rolls back to it after a change', async () => {
    const snap = ok(await run({ workflow: 'snapshot', vdb: 'v1' }));
    assert.deepEqual(snap.steps.map((s) => s.name), ['import vdb_plugin:plugin', 'virtual.pre_snapshot()', 'snapshot', 'virtual.post_snapshot()']);
    assert.equal(snap.snapshot!.id, 1);
    assert.deepEqual(snap.snapshot!.definition, { origin: 'vdb' });
    assert.equal(fs.readFileSync(path.join(snap.snapshot!.path, 'data', 'new.txt'), 'utf8'), 'new\n');

    fs.writeFileSync(path.join(vdbData, 'a.txt'), 'changed after the snapshot\n');
    fs.rmSync(path.join(vdbData, 'new.txt'));
    const rollback = ok(await run({ workflow: 'rollback', vdb: 'v1' }));
    assert.deepEqual(rollback.steps.map((s) => s.name), [
      'import vdb_plugin:plugin', 'virtual.unconfigure()', 'virtual.mount_specification()', 'clone VDB snapshot', 'mount', 'virtual.reconfigure()', 'check source config',
    ]);
    assert.equal(fs.readFileSync(path.join(vdbData, 'a.txt'), 'utf8'), 'written in the VDB\n');
    assert.equal(fs.readFileSync(path.join(vdbData, 'new.txt'), 'utf8'), 'new\n');
    assert.match(fs.readFileSync(path.join(vdbData, '.trace'), 'utf8'), /pre_snapshot\nreconfigure to vdb snapshot\n$/);
    assert.deepEqual(rollback.vdb!.origin, { kind: 'vdb', snapshotId: 1 });
    // The VDB snapshot is not changed by the rollback's writes.
    fs.writeFileSync(path.join(vdbData, 'new.txt'), 'after rollback\n');
    assert.equal(fs.readFileSync(path.join(snap.snapshot!.path, 'data', 'new.txt'), 'utf8'), 'new\n');
  });

  it('refreshes the VDB from a newer dSource snapshot', async () => {
    fs.writeFileSync(path.join(plugin.source, 'd.txt'), 'delta\n');
    const sync = ok(await run({}));
    assert.equal(sync.snapshot!.id, 2);
    const refresh = ok(await run({ workflow: 'refresh', vdb: 'v1' }));
    assert.deepEqual(refresh.steps.map((s) => s.name), [
      'import vdb_plugin:plugin', 'virtual.unconfigure()', 'virtual.mount_specification()', 'clone snapshot', 'mount', 'virtual.configure()', 'check source config',
    ]);
    assert.deepEqual(refresh.vdb!.origin, { kind: 'dsource', snapshotId: 2 });
    assert.equal(fs.readFileSync(path.join(vdbData, 'd.txt'), 'utf8'), 'delta\n');
    assert.equal(fs.readFileSync(path.join(vdbData, 'a.txt'), 'utf8'), 'alpha\n');
    assert.equal(fs.existsSync(path.join(vdbData, 'new.txt')), false);
    assert.equal(fs.readFileSync(path.join(vdbData, '.trace'), 'utf8'), 'configure from dsource (4 files)\n');
    assert.deepEqual(treeHash(path.join(sandboxLayout(plugin.root, 'local').snapshots, '1')), dsourceSnapshot1);
    // The data the refresh replaced was moved aside and is freed in the background.
    const trash = () => fs.readdirSync(path.dirname(vdbData)).filter((n) => n.startsWith('.trash-'));
    for (const deadline = Date.now() + 20000; trash().length > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(trash(), []);
  });

  it('stops, reports the status, starts and reports it again', async () => {
    const stop = ok(await run({ workflow: 'stop', vdb: 'v1' }));
    assert.equal(stop.vdb!.status, 'stopped');
    const down = ok(await run({ workflow: 'vdb-status', vdb: 'v1' }));
    assert.equal(down.status, 'INACTIVE');
    const start = ok(await run({ workflow: 'start', vdb: 'v1' }));
    assert.deepEqual(start.steps.map((s) => s.name), ['import vdb_plugin:plugin', 'virtual.mount_specification()', 'mount', 'virtual.start()']);
    const up = ok(await run({ workflow: 'vdb-status', vdb: 'v1' }));
    assert.equal(up.status, 'ACTIVE');
    assert.equal(up.vdb!.status, 'running');
  });

  it('disables and enables the VDB (status, then mount_specification and reconfigure when INACTIVE)', async () => {
    const disable = ok(await run({ workflow: 'vdb-disable', vdb: 'v1' }));
    assert.equal(disable.vdb!.status, 'disabled');
    const refused = await run({ workflow: 'start', vdb: 'v1' });
    assert.equal(refused.ok, false);
    assert.match(refused.error!.message, /VDB "v1" is disabled: enable it first/);
    fs.rmSync(path.join(vdbData, '.running'));
    const enable = ok(await run({ workflow: 'vdb-enable', vdb: 'v1' }));
    assert.deepEqual(enable.steps.map((s) => s.name), [
      'import vdb_plugin:plugin', 'virtual.status()', 'virtual.mount_specification()', 'mount', 'virtual.reconfigure()', 'check source config',
    ]);
    assert.equal(enable.vdb!.status, 'running');
  });

  it('fails a provision whose configure raises UserError: the VDB is FAILED, not running, and no snapshot changed', async () => {
    plugin.writeProfile(profile(plugin.source, { virtualSource: { mountLocation: '/mnt/vdb/bad', behaviour: 'configure-user-error' } }));
    const before = treeHash(sandboxLayout(plugin.root, 'local').snapshots);
    const report = await run({ workflow: 'provision', vdb: 'bad' });
    assert.equal(report.ok, false);
    assert.deepEqual(report.error && [report.error.kind, report.error.step, report.error.message, report.error.action, report.error.output], [
      'UserError', 'virtual.configure()', 'The database would not open.', "Check the VDB's parameters.", 'ORA-00000: simulated',
    ]);
    assert.equal(report.steps.find((s) => s.name === 'virtual.configure()')!.status, 'failed');
    assert.equal(report.vdb!.status, 'failed');
    assert.match(formatReport(report), /VDB "bad" is FAILED: it is not running/);
    assert.deepEqual(treeHash(sandboxLayout(plugin.root, 'local').snapshots), before);
    const start = await run({ workflow: 'start', vdb: 'bad' });
    assert.match(start.error!.message, /failed its last provision/);
    ok(await run({ workflow: 'delete', vdb: 'bad' }));
  });

  it('fails a provision whose configure returns a source config that does not match the schema', async () => {
    plugin.writeProfile(profile(plugin.source, { virtualSource: { mountLocation: '/mnt/vdb/bad', behaviour: 'bad-source-config' } }));
    const report = await run({ workflow: 'provision', vdb: 'bad2' });
    assert.equal(report.ok, false);
    assert.equal(report.error!.kind, 'SourceConfigMismatch');
    assert.equal(report.error!.step, 'virtual.configure()');
    assert.match(report.error!.message, /does not match sourceConfigDefinition of schema.json: the source config must have required property 'path'/);
    assert.equal(report.steps.at(-1)!.name, 'check source config');
    assert.equal(report.steps.at(-1)!.status, 'failed');
    assert.equal(report.vdb!.status, 'failed');
    assert.equal(report.vdb!.sourceConfig, undefined);
    ok(await run({ workflow: 'delete', vdb: 'bad2' }));
    plugin.writeProfile(profile(plugin.source));
  });

  it('refuses a VDB folder that is a symbolic link, and writes nothing where it points', async () => {
    const elsewhere = path.join(path.dirname(plugin.root), 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(sandboxLayout(plugin.root, 'local').root, 'vdbs', 'linked'));
    const report = await run({ workflow: 'provision', vdb: 'linked' });
    assert.equal(report.ok, false);
    assert.match(report.error!.message, /vdbs\/linked is a symbolic link \(to .*elsewhere\)/);
    assert.deepEqual(fs.readdirSync(elsewhere), []);
    assert.deepEqual(report.steps, []);
    fs.rmSync(path.join(sandboxLayout(plugin.root, 'local').root, 'vdbs', 'linked'));
  });

  it('creates an empty VDB with virtual.initialize() and deletes it', async () => {
    const report = ok(await run({ workflow: 'create-empty', vdb: 'empty1' }));
    assert.deepEqual(report.steps.map((s) => s.name), [
      'import vdb_plugin:plugin', 'virtual.mount_specification()', 'create empty storage', 'mount', 'virtual.initialize()', 'check source config',
    ]);
    assert.deepEqual(report.vdb!.origin, { kind: 'empty' });
    assert.equal(report.vdb!.status, 'running');
    assert.deepEqual(fs.readdirSync(report.vdb!.dataDir).sort(), ['.running', '.trace']);
    assert.deepEqual(report.vdb!.sourceConfig, { name: 'empty', path: report.vdb!.dataDir });
    ok(await run({ workflow: 'delete', vdb: 'empty1' }));
  });

  it('refuses to delete storage the simulator did not make (a hand-edited record)', async () => {
    const file = path.join(sandboxLayout(plugin.root, 'local').root, 'objects.json');
    const original = fs.readFileSync(file, 'utf8');
    const outside = path.join(path.dirname(plugin.root), 'precious');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'keep\n');
    const objects = JSON.parse(original);
    objects.vdbs.v1.dataDir = outside;
    fs.writeFileSync(file, JSON.stringify(objects));
    const report = await run({ workflow: 'delete', vdb: 'v1' });
    assert.equal(report.ok, false);
    assert.match(report.error!.message, /is outside the sandbox .*; it was not touched\./);
    assert.equal(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8'), 'keep\n');
    assert.deepEqual(report.steps, [], 'nothing ran');
    fs.writeFileSync(file, original);
  });

  it('deletes the VDB: unconfigure, cleanup, its storage and snapshots go, the dSource stays', async () => {
    const report = ok(await run({ workflow: 'delete', vdb: 'v1' }));
    assert.deepEqual(report.steps.map((s) => s.name), ['import vdb_plugin:plugin', 'virtual.unconfigure()', 'virtual.cleanup()', 'delete storage']);
    assert.equal(fs.existsSync(path.dirname(vdbData)), false);
    const objects = profileObjects(plugin.root, 'local');
    assert.deepEqual(objects.vdbs, []);
    assert.deepEqual(objects.dsource.snapshots.map((s) => s.id), [1, 2]);
    assert.deepEqual(treeHash(path.join(sandboxLayout(plugin.root, 'local').snapshots, '1')), dsourceSnapshot1);
    const gone = await run({ workflow: 'start', vdb: 'v1' });
    assert.match(gone.error!.message, /There is no VDB "v1" in profile "local"/);
  });
});

describe('a plugin without virtual.mount_specification()', () => {
  it('stops provision before anything runs, with a clear message, and creates no VDB', async () => {
    const plugin = copyPlugin(FIXTURE);
    try {
      const file = path.join(plugin.root, 'src', 'vdb_plugin.py');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('@plugin.virtual.mount_specification()\n', ''));
      plugin.writeProfile(profile(plugin.source));
      ok(await runSync({ pluginRoot: plugin.root }));
      const report = await runSync({ pluginRoot: plugin.root, workflow: 'provision' });
      assert.equal(report.ok, false);
      assert.deepEqual(report.steps.map((s) => s.name), ['import vdb_plugin:plugin']);
      assert.equal(report.error!.kind, 'OperationNotDefinedError');
      assert.equal(report.error!.message, 'provision needs virtual.mount_specification(), which the plugin does not implement; nothing was run.');
      assert.match(report.error!.action, /@plugin\.virtual\.mount_specification\(\)/);
      assert.deepEqual(profileObjects(plugin.root, 'local').vdbs, []);
      assert.equal(fs.existsSync(path.join(sandboxLayout(plugin.root, 'local').root, 'vdbs', 'vdb1')), false);
    } finally {
      plugin.cleanup();
    }
  });
});

describe('a VDB on an ssh host', { skip: sshdAvailable() ? false : 'sshd is not installed' }, () => {
  let sshd: Sshd;
  let plugin: TestPlugin;
  before(async () => {
    sshd = await startSshd();
    plugin = copyPlugin(FIXTURE);
  });
  after(async () => {
    await sshd?.stop();
    plugin?.cleanup();
  });

  it('is provisioned, snapshotted, rolled back and deleted on the host', async () => {
    const scratch = path.join(path.dirname(plugin.root), 'remote-scratch');
    const target = { type: 'ssh', host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile, scratchPath: scratch };
    plugin.writeProfile(profile(plugin.source, { environments: { staging: { type: 'local' }, source: { type: 'local' }, target } }));
    ok(await runSync({ pluginRoot: plugin.root }));
    const provision = ok(await runSync({ pluginRoot: plugin.root, workflow: 'provision', vdb: 'r1' }));
    const data = `${scratch}/dpstudio-vdbs/local/r1/data`;
    assert.equal(provision.vdb!.dataDir, data);
    assert.equal(provision.vdb!.remote, true);
    assert.equal(provision.clone!.mode, 'copy');
    assert.ok(provision.commands.some((c) => c.kind === 'run_bash' && c.host.startsWith('ssh ')), formatReport(provision));
    // The sshd runs on this machine, so the host's files can be read here.
    assert.equal(fs.readFileSync(path.join(data, 'a.txt'), 'utf8'), 'alpha\n');
    assert.equal(fs.readFileSync(path.join(data, '.trace'), 'utf8'), 'configure from dsource (3 files)\n');
    const snap = ok(await runSync({ pluginRoot: plugin.root, workflow: 'snapshot', vdb: 'r1' }));
    assert.equal(fs.readFileSync(path.join(snap.snapshot!.path, 'data', 'a.txt'), 'utf8'), 'alpha\n');
    fs.writeFileSync(path.join(data, 'a.txt'), 'changed on the host\n');
    ok(await runSync({ pluginRoot: plugin.root, workflow: 'rollback', vdb: 'r1' }));
    assert.equal(fs.readFileSync(path.join(data, 'a.txt'), 'utf8'), 'alpha\n');
    ok(await runSync({ pluginRoot: plugin.root, workflow: 'delete', vdb: 'r1' }));
    assert.equal(fs.existsSync(data), false);
  });
});

describe('VDB workflows share the profile lock and end cleanly when cancelled', () => {
  let plugin: TestPlugin;
  before(() => {
    plugin = copyPlugin(FIXTURE);
    plugin.writeProfile(profile(plugin.source, { virtualSource: { mountLocation: '/mnt/vdb/hang', behaviour: 'start-hangs' } }));
  });
  after(() => plugin.cleanup());

  it('refuses a second run while a start runs, and a cancelled start leaves the VDB stopped', async () => {
    ok(await runSync({ pluginRoot: plugin.root }));
    ok(await runSync({ pluginRoot: plugin.root, workflow: 'provision', vdb: 'h1' }));
    ok(await runSync({ pluginRoot: plugin.root, workflow: 'stop', vdb: 'h1' }));
    const controller = new AbortController();
    let started!: () => void;
    const inStart = new Promise<void>((resolve) => (started = resolve));
    const starting = runSync({
      pluginRoot: plugin.root,
      workflow: 'start',
      vdb: 'h1',
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'command' || (e.type === 'step.start' && e.name === 'virtual.start()')) started();
      },
    });
    await inStart;
    const second = await runSync({ pluginRoot: plugin.root, workflow: 'vdb-status', vdb: 'h1' });
    assert.equal(second.ok, false);
    assert.match(second.error!.message, /profile "local"/);
    assert.match(second.error!.message, /in progress|busy|running/i);
    controller.abort();
    const report = await starting;
    assert.equal(report.ok, false);
    assert.equal(report.cancelled, true);
    assert.equal(report.steps.find((s) => s.name === 'virtual.start()')!.status, 'cancelled');
    const vdb = profileObjects(plugin.root, 'local').vdbs[0];
    assert.equal(vdb.status, 'stopped');
    assert.deepEqual([vdb.lastOperation!.workflow, vdb.lastOperation!.ok], ['start', false]);
    // The lock is free again and the VDB answers.
    const status = ok(await runSync({ pluginRoot: plugin.root, workflow: 'vdb-status', vdb: 'h1' }));
    assert.equal(status.status, 'INACTIVE');
  });
});

describe('a VDB workflow whose process is killed', () => {
  let plugin: TestPlugin;
  before(() => {
    plugin = copyPlugin(FIXTURE);
    plugin.writeProfile(profile(plugin.source, { virtualSource: { mountLocation: '/mnt/vdb/kill', behaviour: 'start-hangs' } }));
  });
  after(() => plugin.cleanup());

  it('leaves the VDB marked, and the next run shows its state as unknown, not as it was', async () => {
    ok(await runSync({ pluginRoot: plugin.root }));
    ok(await runSync({ pluginRoot: plugin.root, workflow: 'provision', vdb: 'k1' }));
    ok(await runSync({ pluginRoot: plugin.root, workflow: 'stop', vdb: 'k1' }));
    const cli = spawn(process.execPath, [path.join(REPO, 'out', 'cli', 'main.js'), 'vdb', 'start', 'k1', plugin.root], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve) => {
      let seen = '';
      cli.stderr!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('… virtual.start()')) resolve();
      });
    });
    assert.equal(profileObjects(plugin.root, 'local').vdbs[0].inProgress?.workflow, 'start');
    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.on('exit', resolve));
    // The runner's own group (it started `sleep 60`) goes too, as its watchdog ends it when the parent dies.
    const logs = sandboxLayout(plugin.root, 'local').logs;
    const log = fs.readdirSync(logs).filter((f) => f.endsWith('-start.jsonl')).sort().at(-1)!;
    const started = fs.readFileSync(path.join(logs, log), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'run.start');
    try {
      process.kill(-started.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    const next = ok(await runSync({ pluginRoot: plugin.root, workflow: 'vdb-status', vdb: 'k1' }));
    assert.ok(next.notes.some((n) => /The start of VDB "k1" started at .* never finished; its state was unknown until this run\./.test(n)), next.notes.join('\n'));
    assert.equal(next.status, 'INACTIVE');
    const vdb = profileObjects(plugin.root, 'local').vdbs[0];
    assert.equal(vdb.inProgress, undefined);
    assert.equal(vdb.status, 'stopped');
  });
});
