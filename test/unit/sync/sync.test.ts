import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runSync, type SyncEvent } from '../../../core/sync/orchestrator';
import { formatError, formatReport, type SyncReport } from '../../../core/sync/report';
import { sandboxLayout } from '../../../core/sync/sandbox';
import { copyPlugin, fixtureProfile, pythonExecutable, type TestPlugin } from './helpers';

const STEPS = ['import sim_plugin:plugin', 'linked.mount_specification()', 'mount', 'linked.pre_snapshot()', 'snapshot', 'linked.post_snapshot()'];

function snapshotFiles(report: SyncReport): string[] {
  const data = path.join(report.snapshot!.path, 'data');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(data, p));
    }
  };
  walk(data);
  return out.sort();
}

function snapshotDirs(root: string): string[] {
  return fs.readdirSync(sandboxLayout(root, 'local').snapshots).sort();
}

describe('simulated staged sync with a local source', () => {
  let plugin: TestPlugin;
  let slug: string;
  const inode = (report: SyncReport, rel: string) => fs.statSync(path.join(report.snapshot!.path, 'data', slug, rel)).ino;
  const reports: SyncReport[] = [];

  before(() => {
    plugin = copyPlugin();
    plugin.writeProfile(fixtureProfile(plugin.source));
  });
  after(() => plugin.cleanup());

  it('syncs a small tree into a first snapshot', async () => {
    const events: SyncEvent[] = [];
    const report = await runSync({ pluginRoot: plugin.root, onEvent: (e) => events.push(e) });
    reports.push(report);
    assert.equal(report.ok, true, formatReport(report));
    assert.deepEqual(report.steps.map((s) => s.name), STEPS);
    assert.ok(report.steps.every((s) => s.status === 'ok' && typeof s.durationMs === 'number'));
    assert.equal(report.mounts.length, 1);
    const mount = report.mounts[0];
    assert.equal(mount.requested, '/mnt/staging/test');
    assert.equal(mount.mapped, true);
    assert.equal(path.dirname(mount.path), sandboxLayout(plugin.root, 'local').mounts);
    slug = path.basename(mount.path);
    assert.match(slug, /^mnt-staging-test-[0-9a-f]{8}$/);
    const copy = report.commands.find((c) => c.kind === 'run_bash')!;
    assert.equal(copy.command, `rsync -a --delete  'tester@localhost:${plugin.source}/' ${mount.path}/`);
    assert.equal(copy.exitCode, 0);
    assert.equal(copy.operation, 'linked.pre_snapshot()');
    assert.equal(copy.host, 'local');
    assert.equal(report.snapshot!.id, 1);
    assert.equal(report.snapshot!.path, path.join(sandboxLayout(plugin.root, 'local').snapshots, '1'));
    assert.deepEqual(snapshotFiles(report), [`${slug}/a.txt`, `${slug}/b.txt`, `${slug}/sub/c.txt`]);
    assert.deepEqual({ ...report.snapshot!.stats, addedPaths: undefined, changedPaths: undefined, deletedPaths: undefined }, {
      files: 3, bytes: 26, added: 3, changed: 0, deleted: 0, unchanged: 0, copiedBytes: 26,
      addedPaths: undefined, changedPaths: undefined, deletedPaths: undefined,
    });
    assert.deepEqual(report.snapshot!.definition, { fileCount: 3, resync: false, policy: false });
    const metadata = JSON.parse(fs.readFileSync(report.snapshot!.metadataFile, 'utf8'));
    assert.deepEqual(metadata.snapshotDefinition, { fileCount: 3, resync: false, policy: false });
    assert.deepEqual(metadata.snapshotParameters, { resync: false });
    assert.deepEqual(report.logs.filter((l) => l.source === 'plugin').map((l) => [l.level, l.message]), [
      ['INFO', 'pre_snapshot: mirror, parameters False'],
      ['ERROR', 'a warning is an ERROR on the engine'],
    ]);
    assert.equal(fs.readFileSync(path.join(mount.path, 'b.txt'), 'utf8'), 'bravo bravo\n');
    assert.deepEqual(snapshotDirs(plugin.root), ['1']);
    assert.ok(events.some((e) => e.type === 'run.start'));
    assert.ok(fs.existsSync(report.logFile!));
    assert.ok(fs.existsSync(report.reportFile!));
    // Nothing was written into the plugin's own source tree.
    assert.deepEqual(fs.readdirSync(path.join(plugin.root, 'src')), ['sim_plugin.py']);
  });

  it('takes an incremental snapshot after a change, hard-linking what did not change', async () => {
    fs.writeFileSync(path.join(plugin.source, 'b.txt'), 'bravo changed\n');
    fs.writeFileSync(path.join(plugin.source, 'd.txt'), 'delta\n');
    const report = await runSync({ pluginRoot: plugin.root });
    reports.push(report);
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.snapshot!.id, 2);
    assert.deepEqual(report.previousSnapshot, { id: 1, path: reports[0].snapshot!.path });
    const s = report.snapshot!.stats;
    assert.deepEqual([s.files, s.added, s.changed, s.deleted, s.unchanged, s.copiedBytes], [4, 1, 1, 0, 2, 20]);
    assert.deepEqual(s.addedPaths, [`${slug}/d.txt`]);
    assert.deepEqual(s.changedPaths, [`${slug}/b.txt`]);
    assert.equal(inode(report, 'a.txt'), inode(reports[0], 'a.txt'));
    assert.notEqual(inode(report, 'b.txt'), inode(reports[0], 'b.txt'));
    assert.equal(fs.readFileSync(path.join(reports[0].snapshot!.path, 'data', slug, 'b.txt'), 'utf8'), 'bravo bravo\n');
    assert.match(formatReport(report), /Snapshot 2: .*\n {2}4 files, 34 B; since the previous snapshot: 1 added, 1 changed, 0 deleted, 20 B copied/);
  });

  it('runs a resync with resync true in the snapshot parameters', async () => {
    const report = await runSync({ pluginRoot: plugin.root, mode: 'resync' });
    assert.equal(report.ok, true, formatReport(report));
    assert.deepEqual(report.snapshotParameters, { resync: true });
    assert.deepEqual(report.snapshot!.definition, { fileCount: 4, resync: true, policy: false });
    assert.equal(report.logs.find((l) => l.source === 'plugin')!.message, 'pre_snapshot: mirror, parameters True');
    assert.equal(report.snapshot!.stats.copiedBytes, 0);
  });

  it('sees a deletion in the next snapshot', async () => {
    fs.rmSync(path.join(plugin.source, 'sub', 'c.txt'));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, true, formatReport(report));
    const s = report.snapshot!.stats;
    assert.deepEqual([report.snapshot!.id, s.files, s.added, s.changed, s.deleted], [4, 3, 0, 0, 1]);
    assert.deepEqual(s.deletedPaths, [`${slug}/sub/c.txt`]);
    assert.deepEqual(report.snapshot!.definition, { fileCount: 3, resync: false, policy: false });
  });

  it('passes no snapshot parameters to a policy sync', async () => {
    const report = await runSync({ pluginRoot: plugin.root, mode: 'policy' });
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.snapshotParameters, null);
    assert.deepEqual(report.snapshot!.definition, { fileCount: 3, resync: false, policy: true });
    assert.equal(report.logs.find((l) => l.source === 'plugin')!.message, 'pre_snapshot: mirror, parameters none');
  });

  it('enables, reports status, runs the worker and disables', async () => {
    const enable = await runSync({ pluginRoot: plugin.root, workflow: 'enable' });
    assert.equal(enable.ok, true, formatReport(enable));
    assert.deepEqual(enable.steps.map((s) => s.name), ['import sim_plugin:plugin', 'linked.mount_specification()', 'mount', 'linked.start_staging()']);
    assert.equal(enable.logs.find((l) => l.source === 'plugin')!.message, `start_staging at ${reports[0].mounts[0].path}`);
    const status = await runSync({ pluginRoot: plugin.root, workflow: 'status' });
    assert.equal(status.ok, true, formatReport(status));
    assert.equal(status.status, 'ACTIVE');
    assert.deepEqual(status.steps.map((s) => s.name), ['import sim_plugin:plugin', 'linked.status()']);
    const worker = await runSync({ pluginRoot: plugin.root, workflow: 'worker' });
    assert.equal(worker.ok, true);
    assert.deepEqual(worker.logs.map((l) => [l.level, l.message]), [['DEBUG', 'worker ran']]);
    const disable = await runSync({ pluginRoot: plugin.root, workflow: 'disable' });
    assert.equal(disable.ok, true);
    assert.equal(disable.logs.find((l) => l.source === 'plugin')!.message, `stop_staging at ${reports[0].mounts[0].path}`);
    assert.deepEqual(snapshotDirs(plugin.root), ['1', '2', '3', '4', '5']);
  });
});

describe('failures leave the previous snapshot as it was', () => {
  let plugin: TestPlugin;
  let first: SyncReport;

  before(async () => {
    plugin = copyPlugin();
    plugin.writeProfile(fixtureProfile(plugin.source));
    first = await runSync({ pluginRoot: plugin.root });
    assert.equal(first.ok, true, formatReport(first));
  });
  after(() => plugin.cleanup());

  const unchanged = () => {
    assert.deepEqual(snapshotDirs(plugin.root), ['1']);
    const metadata = JSON.parse(fs.readFileSync(first.snapshot!.metadataFile, 'utf8'));
    assert.equal(metadata.id, '1');
    assert.equal(fs.readFileSync(path.join(first.snapshot!.path, 'data', path.basename(first.mounts[0].path), 'a.txt'), 'utf8'), 'alpha\n');
  };

  it('fails with the UserError of a failing rsync (unreachable source host)', async () => {
    const key = path.join(plugin.root, 'no-such-server-key');
    fs.writeFileSync(key, 'not a key\n');
    const closed = await (await import('net')).createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)));
    await new Promise((r) => closed.close(r));
    const profile = fixtureProfile(plugin.source);
    profile.environments = { staging: { type: 'local' }, source: { type: 'ssh', host: '127.0.0.1', port, identityFile: key, knownHostsFile: path.join(plugin.root, 'known_hosts') } };
    profile.linkedSource = { ...(profile.linkedSource as object), sourceAddress: '127.0.0.1' };
    plugin.writeProfile(profile);
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, false);
    assert.equal(report.error!.kind, 'UserError');
    assert.equal(report.error!.step, 'linked.pre_snapshot()');
    assert.equal(report.error!.message, 'Could not copy files.');
    assert.equal(report.error!.action, 'Ensure that passwordless SSH works for 127.0.0.1.');
    assert.equal(report.error!.outputGiven, true);
    assert.match(report.error!.output, /Connection refused/);
    const copy = report.commands.find((c) => c.kind === 'run_bash')!;
    assert.notEqual(copy.exitCode, 0);
    assert.deepEqual(report.steps.map((s) => [s.name, s.status]), [
      ['import sim_plugin:plugin', 'ok'], ['linked.mount_specification()', 'ok'], ['mount', 'ok'], ['linked.pre_snapshot()', 'failed'],
    ]);
    assert.equal(report.snapshot, undefined);
    assert.deepEqual(report.previousSnapshot, { id: 1, path: first.snapshot!.path });
    assert.match(formatReport(report), /The previous snapshot 1 is unchanged: /);
    unchanged();
    plugin.writeProfile(fixtureProfile(plugin.source));
  });

  it('shows a UserError with its message, action and output, as the engine does', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'user-error'));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, false);
    assert.deepEqual(
      { kind: report.error!.kind, message: report.error!.message, action: report.error!.action, output: report.error!.output },
      { kind: 'UserError', message: 'Database is locked.', action: 'Stop the backup job and sync again.', output: 'lock held by pid 42' },
    );
    assert.equal(formatError(report.error!), 'linked.pre_snapshot() failed: Database is locked.\nAction: Stop the backup job and sync again.\nOutput:\n    lock held by pid 42');
    unchanged();
  });

  it('fills in the default action and the stack trace when the UserError has none', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'user-error-bare'));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.error!.message, 'Something went wrong.');
    assert.equal(report.error!.action, 'Contact the plugin author to correct the error.');
    assert.equal(report.error!.actionGiven, false);
    assert.match(report.error!.output, /^Traceback \(most recent call last\):\n {2}File ".*sim_plugin\.py", line \d+, in linked_pre_snapshot\n {4}raise UserError\("Something went wrong\."\)\n/);
    assert.doesNotMatch(report.error!.output, /dpstudio_sync_runner|_linked\.py/);
    unchanged();
  });

  it('rejects a mount specification of the wrong type with the SDK message', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'wrong-mount-return'));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.error!.kind, 'IncorrectReturnTypeError');
    assert.equal(report.error!.step, 'linked.mount_specification()');
    assert.equal(report.error!.message, "The returned object for the linked.mount_specification() operation was class 'list' but should be of class 'dlpx.virtualization.platform._plugin_classes.MountSpecification'.");
    unchanged();
  });

  it('applies the SDK mount rules: one mount has no shared path, at least one mount', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'shared-path'));
    let report = await runSync({ pluginRoot: plugin.root });
    assert.deepEqual([report.error!.kind, report.error!.step, report.error!.message], ['PluginRuntimeError', 'linked.mount_specification()', 'Shared path is not supported for linked sources.']);
    plugin.writeProfile(fixtureProfile(plugin.source, 'no-mounts'));
    report = await runSync({ pluginRoot: plugin.root });
    assert.deepEqual([report.error!.kind, report.error!.message], ['PluginRuntimeError', 'Mount must be provided for staging sources. Found 0 mounts.']);
    unchanged();
  });

  it('does not commit a snapshot whose definition does not match snapshotDefinition', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'bad-snapshot'));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, false);
    assert.deepEqual([report.error!.kind, report.error!.step], ['SnapshotDefinitionMismatch', 'linked.post_snapshot()']);
    assert.equal(report.error!.message, 'The snapshot definition linked.post_snapshot() returned does not match snapshotDefinition of schema.json: /blockSize must be multiple of 512');
    assert.deepEqual(JSON.parse(report.error!.output), { fileCount: 3, blockSize: 1000 });
    assert.ok(report.steps.every((s) => s.status === 'ok'));
    unchanged();
  });

  it('raises PluginScriptError for run_bash(check=True) with the exact message', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'check-true'));
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.error!.kind, 'PluginScriptError');
    assert.equal(report.error!.message, 'The script failed with exit code 3. stdout : out\n and  stderr : err\n');
    unchanged();
  });

  it('stops an operation that hangs at the timeout and kills its process group', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'hang'));
    let pid = 0;
    const started = Date.now();
    const report = await runSync({ pluginRoot: plugin.root, operationTimeoutMs: 1500, onEvent: (e) => (e.type === 'run.start' ? (pid = Number(e.pid)) : undefined) });
    assert.ok(Date.now() - started < 15000);
    assert.equal(report.ok, false);
    assert.equal(report.timedOut, true);
    assert.equal(report.error!.kind, 'Timeout');
    assert.equal(report.error!.message, 'linked.pre_snapshot() did not finish within 1.5 s; the simulator stopped it.');
    assert.equal(report.steps.find((s) => s.name === 'linked.pre_snapshot()')!.status, 'timeout');
    assert.ok(pid > 0);
    assert.throws(() => process.kill(-pid, 0), /ESRCH/);
    unchanged();
  });

  it('refuses a second run of the same profile while one is in progress', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'hang'));
    let second: Promise<SyncReport> | undefined;
    const first = await runSync({
      pluginRoot: plugin.root,
      operationTimeoutMs: 1500,
      onEvent: (e) => (e.type === 'run.start' ? (second = runSync({ pluginRoot: plugin.root })) : undefined),
    });
    const other = await second!;
    assert.equal(first.timedOut, true);
    assert.equal(other.ok, false);
    assert.match(other.error!.message, new RegExp(`^Another run of profile "local" is in progress: process ${process.pid} \\(.+\\), since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; wait for it to finish or cancel it\\.$`));
    assert.deepEqual(other.steps, []);
    unchanged();
  });

  it('caps a plugin that prints megabytes and says so', async () => {
    plugin.writeProfile(fixtureProfile(plugin.source, 'flood'));
    const report = await runSync({ pluginRoot: plugin.root, outputCapBytes: 64 * 1024 });
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.output.stdout.length, 64 * 1024);
    assert.equal(report.output.stdoutCut, 3 * 1024 * 1024 - 64 * 1024);
    assert.match(formatReport(report), /The plugin printed more than the simulator keeps: 2\.9 MiB of stdout and 0 B of stderr were dropped\./);
    fs.rmSync(report.snapshot!.path, { recursive: true });
    unchanged();
  });

  it('cancels a sync in the middle of its rsync', async () => {
    fs.writeFileSync(path.join(plugin.source, 'big.bin'), Buffer.alloc(1024 * 1024, 7));
    plugin.writeProfile(fixtureProfile(plugin.source, 'slow-copy'));
    const controller = new AbortController();
    let pid = 0;
    const report = await runSync({
      pluginRoot: plugin.root,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'run.start') pid = Number(e.pid);
        if (e.type === 'step.start' && e.name === 'linked.pre_snapshot()') setTimeout(() => controller.abort(), 700);
      },
    });
    fs.rmSync(path.join(plugin.source, 'big.bin'));
    assert.equal(report.ok, false);
    assert.equal(report.cancelled, true);
    assert.deepEqual([report.error!.kind, report.error!.step, report.error!.message], ['Cancelled', 'linked.pre_snapshot()', 'The run was cancelled.']);
    assert.equal(report.steps.find((s) => s.name === 'linked.pre_snapshot()')!.status, 'cancelled');
    assert.ok(report.durationMs < 20000);
    assert.throws(() => process.kill(-pid, 0), /ESRCH/);
    unchanged();
  });
});

describe('pre-flight', () => {
  let plugin: TestPlugin;
  before(() => {
    plugin = copyPlugin();
    plugin.writeProfile(fixtureProfile(plugin.source, 'mirror', { sourceFolder: path.join(plugin.source, 'missing') }));
  });
  after(() => plugin.cleanup());

  it('says what is missing before anything runs (no rsync on PATH, no source folder)', async () => {
    const bin = path.join(plugin.root, 'bin-without-rsync');
    fs.mkdirSync(bin);
    fs.symlinkSync(pythonExecutable(), path.join(bin, 'python3'));
    const report = await runSync({ pluginRoot: plugin.root, env: { ...process.env, PATH: bin } });
    assert.equal(report.ok, false);
    const failed = report.preflight.filter((c) => !c.ok);
    assert.deepEqual(failed.map((c) => c.id), ['rsync', 'sourceFolder']);
    assert.equal(
      failed[0].message,
      `rsync was not found on PATH (${bin}). The simulator copies mounts into snapshots with it (and plugins usually copy data with it): install it (Debian/Ubuntu: sudo apt-get install rsync).`,
    );
    assert.equal(failed[1].message, `The source folder ${path.join(plugin.source, 'missing')} does not exist on the source environment (this machine). Create it or fix "sourceFolder" in the profile.`);
    assert.ok(report.preflight.some((c) => c.id === 'python' && c.ok && /^python3: Python 3\.\d+\.\d+/.test(c.message)));
    assert.deepEqual(report.steps, []);
    assert.equal(fs.existsSync(path.join(plugin.root, '.delphix', 'sandbox')), false);
    assert.match(formatReport(report), /Pre-flight:\n {2}error: rsync was not found on PATH/);
  });

  it('says when python3 is missing', async () => {
    const report = await runSync({ pluginRoot: plugin.root, env: { ...process.env, PATH: path.join(plugin.root, 'empty') } });
    const python = report.preflight.find((c) => c.id === 'python')!;
    assert.equal(python.ok, false);
    assert.equal(python.message, `python3 was not found on PATH. The simulator runs the plugin with Python 3: install it (Debian/Ubuntu: sudo apt-get install python3) or set the profile's "python" to an interpreter.`);
  });

  it('reports a folder that is not a plugin', async () => {
    const report = await runSync({ pluginRoot: plugin.source });
    assert.deepEqual(report.preflight.map((c) => [c.id, c.ok, c.message]), [['config', false, `There is no plugin_config.yml in ${plugin.source}: run the sync on the plugin's folder.`]]);
  });
});

describe('DIRECT sync and mounts inside the sandbox', () => {
  let direct: TestPlugin;
  let staged: TestPlugin;
  before(() => {
    direct = copyPlugin(path.join(__dirname, '../../../../test/fixtures/sync/direct-plugin'));
    staged = copyPlugin();
  });
  after(() => {
    direct.cleanup();
    staged.cleanup();
  });

  it('copies the source directory into the dSource with run_sync, honouring exclude_paths', async () => {
    direct.writeProfile({
      environments: { staging: { type: 'local' }, source: { type: 'local' } },
      repository: { name: 'direct' },
      sourceConfig: { name: 'data', path: direct.source },
      linkedSource: { excludePaths: [path.join(direct.source, 'sub')] },
    });
    const report = await runSync({ pluginRoot: direct.root });
    assert.equal(report.ok, true, formatReport(report));
    assert.deepEqual(report.steps.map((s) => s.name), ['import direct_plugin:plugin', 'linked.pre_snapshot()', 'snapshot', 'linked.post_snapshot()']);
    const copy = report.commands.find((c) => c.kind === 'run_sync')!;
    assert.equal(copy.exitCode, 0);
    assert.deepEqual(copy.rsyncStats && [copy.rsyncStats.regularFilesTransferred, copy.rsyncStats.transferredFileSize], [2, 18]);
    assert.deepEqual(snapshotFiles(report), ['dsource/a.txt', 'dsource/b.txt']);
    assert.deepEqual(report.snapshot!.definition, { label: 'direct copy of data' });
    const enable = await runSync({ pluginRoot: direct.root, workflow: 'enable' });
    assert.equal(enable.error!.message, 'enable applies to STAGED plugins only: a DIRECT dSource has no staging environment.');
  });

  it('uses a requested mount path as it is when it lies inside the sandbox', async () => {
    staged.writeProfile(fixtureProfile(staged.source, 'mirror', {
      linkedSource: { sourceAddress: '', username: 'u', mountLocation: '${sandbox}/my-mount', behaviour: 'mirror' },
    }));
    const report = await runSync({ pluginRoot: staged.root });
    assert.equal(report.ok, true, formatReport(report));
    const mountPath = path.join(sandboxLayout(staged.root, 'local').root, 'my-mount');
    assert.deepEqual(report.mounts, [{ requested: mountPath, path: mountPath, mapped: false, environment: 'staging' }]);
    assert.equal(fs.readFileSync(path.join(mountPath, 'a.txt'), 'utf8'), 'alpha\n');
  });
});
