// `upgrade` failures with the real python3 and the simulated runtime: a migration whose output does
// not fit the new schema (field and reason, password values masked), one that raises, one that calls
// libs.run_bash (even when it catches the error), one that returns a non-dict; libs.upgrade_password
// works; Lua migrations run first from the given Lua version; a deleted released migration stops it all.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBaseline, type Baseline } from '../../../core/upgrade/baseline';
import { parseObjects } from '../../../core/upgrade/objects';
import { runUpgrade } from '../../../core/upgrade/runUpgrade';
import { formatUpgradeRun } from '../../../core/upgrade/upgradeReport';
import { artifactOf, cleanup, copyVersion, FIXTURES } from './helpers';

after(cleanup);

async function setUp(migrations: string, objects: unknown): Promise<{ root: string; baseline: Baseline; run: () => ReturnType<typeof runUpgrade> }> {
  const root = copyVersion('v2');
  const runner = path.join(root, 'src', 'plugin_runner.py');
  fs.writeFileSync(runner, fs.readFileSync(runner, 'utf8') + '\n\n' + migrations);
  const b = await loadBaseline(await artifactOf(path.join(FIXTURES, 'v1')), root);
  assert.ok(b.ok);
  const parsed = parseObjects(JSON.stringify(objects), 'objects.json');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return { root, baseline: b.baseline, run: () => runUpgrade({ pluginRoot: root, baseline: b.baseline, objects: parsed.objects }) };
}

test('invalid output: which field fails and why, password values masked, the migration that touched it', async () => {
  const { root, baseline, run } = await setUp(
    [
      "@plugin.upgrade.virtual_source('2025.1.1')",
      'def vs(old_virtual_source):',
      "    old_virtual_source['retentionDays'] = 0",
      "    old_virtual_source['password'] = 12345",
      '    return old_virtual_source',
    ].join('\n') + '\n',
    { virtualSource: [{ port: 5432, password: 'hunter2-secret' }] },
  );
  const r = await run();
  assert.equal(r.ok, false);
  const o = r.outcomes[0];
  assert.deepEqual(o.failures, [
    { field: 'password', message: 'is ********, not of type "string"' },
    { field: 'retentionDays', message: 'is 0: must be >= 1 (minimum)' },
  ]);
  assert.equal(o.engineMessage, 'The upgrade failed: the upgraded virtual source does not conform to the new schema.');
  const text = formatUpgradeRun(r, baseline.label, root);
  assert.match(text, /migration 2025\.1\.1 vs \(src\/plugin_runner\.py:\d+\): added retentionDays = 0; changed password: \*\*\*\*\*\*\*\* -> \*\*\*\*\*\*\*\*/);
  assert.ok(!text.includes('hunter2') && !text.includes('12345'), text);
});

test('a migration that raises: the engine message, then the exception and the plugin-only traceback', async () => {
  const { run } = await setUp(
    ["@plugin.upgrade.linked_source('2025.1.1')", 'def ls(old_linked_source):', "    return {'mode': old_linked_source['nope']}"].join('\n') + '\n',
    { linkedSource: [{ mode: 'fast' }] },
  );
  const r = await run();
  const step = r.outcomes[0].steps[0];
  assert.equal(r.outcomes[0].engineMessage, 'The upgrade failed: a data migration of the linked sources raised an error.');
  assert.equal(step.error!.kind, 'KeyError');
  assert.equal(step.error!.message, "'nope'");
  assert.match(step.error!.traceback, /plugin_runner\.py", line \d+, in ls\n/);
  assert.ok(!step.error!.traceback.includes('dpstudio_upgrade_runner'), step.error!.traceback);
});

test('libs.run_bash is refused, even when the migration catches the error; libs.upgrade_password works', async () => {
  const { root, baseline, run } = await setUp(
    [
      'from dlpx.virtualization import libs',
      '',
      '',
      "@plugin.upgrade.repository('2025.1.1')",
      'def repo(old_repository):',
      "    libs.run_bash(None, 'hostname')",
      '    return old_repository',
      '',
      '',
      "@plugin.upgrade.source_config('2025.1.2')",
      'def sc(old_source_config):',
      '    try:',
      "        libs.run_bash(None, 'hostname')",
      '    except Exception:',
      '        pass',
      '    return old_source_config',
      '',
      '',
      "@plugin.upgrade.virtual_source('2025.1.3')",
      'def vs(old_virtual_source):',
      "    old_virtual_source['retentionDays'] = 3",
      "    old_virtual_source['password'] = libs.upgrade_password(old_virtual_source['password'])['password']",
      '    return old_virtual_source',
    ].join('\n') + '\n',
    { repository: [{ name: 'r' }], sourceConfig: [{ dbName: 'db' }], virtualSource: [{ password: 'pw-secret' }] },
  );
  const r = await run();
  const [repo, sc, vs] = r.outcomes;
  assert.equal(repo.ok, false);
  assert.equal(repo.engineMessage, 'The upgrade failed: a data migration of the repositories called a platform library function, which migrations may not do.');
  assert.equal(repo.steps[0].error!.kind, 'LibraryError');
  assert.match(repo.steps[0].error!.message, /^Data migrations cannot call platform library functions: run_bash is not allowed/);
  assert.equal(repo.steps[0].error!.forbidden[0].function, 'run_bash');
  assert.equal(sc.ok, false);
  assert.equal(sc.steps[0].error!.kind, 'ForbiddenLibraryCall');
  assert.ok(vs.ok, JSON.stringify(vs));
  const text = formatUpgradeRun(r, baseline.label, root);
  assert.match(text, /called libs\.run_bash at src\/plugin_runner\.py:\d+; only libs\.upgrade_password is allowed in migrations/);
  assert.ok(!text.includes('pw-secret'));
});

test('a migration that returns a non-dict stops the object, and later migrations do not run', async () => {
  const { run } = await setUp(
    [
      "@plugin.upgrade.snapshot('2025.1.1')",
      'def snap(old_snapshot):',
      '    old_snapshot.clear()',
      '',
      '',
      "@plugin.upgrade.snapshot('2025.1.2')",
      'def snap2(old_snapshot):',
      '    return old_snapshot',
    ].join('\n') + '\n',
    { snapshot: [{}] },
  );
  const r = await run();
  const o = r.outcomes[0];
  assert.equal(o.ok, false);
  assert.equal(o.steps.length, 1);
  assert.equal(o.steps[0].error!.kind, 'NotADict');
  assert.match(o.steps[0].error!.message, /^returned NoneType \(None\), not a dict/);
});

test('engine order: Lua migrations at or above the Lua version first (as floats), then new platform ids numerically', async () => {
  const { root, baseline } = await setUp(
    [
      'from dlpx.virtualization.platform import MigrationType',
      '',
      '',
      "@plugin.upgrade.snapshot('2025.10.1')",
      'def p10(old_snapshot):',
      "    old_snapshot.setdefault('trail', []).append('p10')",
      '    return old_snapshot',
      '',
      '',
      "@plugin.upgrade.snapshot('2025.9.1')",
      'def p9(old_snapshot):',
      "    old_snapshot.setdefault('trail', []).append('p9')",
      '    return old_snapshot',
      '',
      '',
      "@plugin.upgrade.snapshot('1.10', MigrationType.LUA)",
      'def lua110(old_snapshot):',
      "    old_snapshot.setdefault('trail', []).append('lua1.10')",
      '    return old_snapshot',
      '',
      '',
      "@plugin.upgrade.snapshot('1.2', MigrationType.LUA)",
      'def lua12(old_snapshot):',
      "    old_snapshot.setdefault('trail', []).append('lua1.2')",
      '    return old_snapshot',
      '',
      '',
      "@plugin.upgrade.snapshot('1.05', MigrationType.LUA)",
      'def lua105(old_snapshot):',
      "    old_snapshot.setdefault('trail', []).append('lua1.05')",
      '    return old_snapshot',
    ].join('\n') + '\n',
    { snapshot: [{}] },
  );
  const objects = parseObjects('{"snapshot": [{}]}', 'o.json');
  assert.ok(objects.ok);
  const r = await runUpgrade({ pluginRoot: root, baseline, objects: objects.objects, luaUpgradeVersion: '1.1' });
  // Lua versions are canonicalised part by part ('1.05' is 1.5), then compared and sorted as floats:
  // '1.10' is 1.1 (>= the installed 1.1), then 1.2, then 1.5.
  assert.deepEqual(r.outcomes[0].steps.map((s) => s.function), ['lua110', 'lua12', 'lua105', 'p9', 'p10']);
  assert.deepEqual(r.outcomes[0].output, { trail: ['lua1.10', 'lua1.2', 'lua1.05', 'p9', 'p10'] });
  const newer = await runUpgrade({ pluginRoot: root, baseline, objects: objects.objects, luaUpgradeVersion: '1.3' });
  assert.deepEqual(newer.outcomes[0].steps.map((s) => s.function), ['lua105', 'p9', 'p10']);
  assert.ok(r.ok);
  const without = await runUpgrade({ pluginRoot: root, baseline, objects: objects.objects });
  assert.deepEqual(without.outcomes[0].steps.map((s) => s.function), ['p9', 'p10']);
});

test('a released migration deleted from the new version: the engine refuses the upgrade before any migration runs', async () => {
  const root = copyVersion('v2');
  const runner = path.join(root, 'src', 'plugin_runner.py');
  fs.writeFileSync(runner, 'from dlpx.virtualization.platform import Plugin\n\nplugin = Plugin()\n');
  const b = await loadBaseline(await artifactOf(path.join(FIXTURES, 'v1')), root);
  assert.ok(b.ok);
  const objects = parseObjects('{"repository": [{"name": "r"}]}', 'o.json');
  assert.ok(objects.ok);
  const r = await runUpgrade({ pluginRoot: root, baseline: b.baseline, objects: objects.objects });
  assert.equal(r.ok, false);
  assert.match(r.error!, /^The engine refuses this upgrade: the baseline's migration '2024\.1\.15' is missing from the new version\./);
});

test('bad objects files and a plugin that does not import are clear errors', async () => {
  assert.match((parseObjects('{"repositories": []}', 'o.json') as { error: string }).error, /unknown key "repositories"; use "repository"/);
  assert.match((parseObjects('[1]', 'o.json') as { error: string }).error, /must hold an object with lists/);
  assert.match((parseObjects('{"snapshot": [1]}', 'o.json') as { error: string }).error, /snapshot\[0\] must be an object/);
  const { run } = await setUp('import no_such_module_xyz\n', { snapshot: [{}] });
  const r = await run();
  assert.match(r.error!, /^The plugin could not be loaded: ModuleNotFoundError: No module named 'no_such_module_xyz'/);
});

test('cancelled mid-migration: the runner process group is killed, the run says so, nothing is left behind', async () => {
  const { root, baseline } = await setUp(
    ['import time', '', '', "@plugin.upgrade.snapshot('2025.1.1')", 'def slow(old_snapshot):', '    time.sleep(60)', '    return old_snapshot'].join('\n') + '\n',
    { snapshot: [{}] },
  );
  const objects = parseObjects('{"snapshot": [{}]}', 'o.json');
  assert.ok(objects.ok);
  const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('dpstudio-upgrade-')));
  const ac = new AbortController();
  const started = Date.now();
  const running = runUpgrade({ pluginRoot: root, baseline, objects: objects.objects, signal: ac.signal });
  setTimeout(() => ac.abort(), 700);
  const r = await running;
  assert.ok(Date.now() - started < 10000);
  assert.equal(r.error, 'The upgrade run was cancelled.');
  const left = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('dpstudio-upgrade-') && !before.has(n));
  assert.deepEqual(left, []);
  // No bytecode was written into the plugin's srcDir.
  assert.equal(fs.existsSync(path.join(root, 'src', '__pycache__')), false);
});

test('two runs at once do not share anything', async () => {
  const { run } = await setUp(
    ["@plugin.upgrade.virtual_source('2025.1.1')", 'def vs(old_virtual_source):', "    old_virtual_source['retentionDays'] = 3", '    return old_virtual_source'].join('\n') + '\n',
    { virtualSource: [{ port: 1 }, { port: 2 }] },
  );
  const [a, b] = await Promise.all([run(), run()]);
  assert.ok(a.ok && b.ok);
  assert.deepEqual(a.outcomes.map((o) => o.output), [{ port: 1, retentionDays: 3 }, { port: 2, retentionDays: 3 }]);
  assert.deepEqual(b.outcomes.map((o) => o.output), a.outcomes.map((o) => o.output));
});

test('an object that does not fit the baseline schema as saved is pointed out (the engine never hands those to migrations)', async () => {
  const { root, baseline, run } = await setUp('', { linkedSource: [{ mode: 'turbo', mountPath: '/m' }], virtualSource: [{ port: 'x', password: 7, retentionDays: 2 }] });
  const r = await run();
  assert.deepEqual(r.outcomes[0].notBaselineValid, [{ field: 'mode', message: 'is "turbo", not one of ["fast","safe","legacy"]' }]);
  assert.deepEqual(r.outcomes[1].notBaselineValid, [
    { field: 'port', message: 'is "x", not of type "integer"' },
    { field: 'password', message: 'is ********, not of type "string"' },
  ]);
  assert.match(formatUpgradeRun(r, baseline.label, root), /note: as saved, it does not fit the baseline's linkedSourceDefinition: mode is "turbo"/);
});

test("what a migration logs with the platform logger or prints is kept with its step (the SDK docs' debugging advice)", async () => {
  const { root, baseline, run } = await setUp(
    [
      'import logging',
      'from dlpx.virtualization.libs import PlatformHandler',
      '',
      'logger = logging.getLogger(__name__)',
      'logger.addHandler(PlatformHandler())',
      'logger.setLevel(logging.DEBUG)',
      '',
      '',
      "@plugin.upgrade.repository('2025.1.1')",
      'def repo(old_repository):',
      "    logger.debug('migrating %s', old_repository['name'])",
      "    print('printed too')",
      '    return old_repository',
    ].join('\n') + '\n',
    { repository: [{ name: 'pg15' }] },
  );
  const r = await run();
  assert.ok(r.ok);
  assert.equal(r.outcomes[0].steps[0].output, 'DEBUG: migrating pg15\nprinted too');
  assert.match(formatUpgradeRun(r, baseline.label, root), /migration 2025\.1\.1 repo \(src\/plugin_runner\.py:\d+\): no change\n    \| DEBUG: migrating pg15\n    \| printed too/);
});
