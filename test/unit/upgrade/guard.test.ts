// The upgrade guard on fixture versions v1 -> v2 (a rename, a new required property with a default, a
// removed enum value, a tightened pattern): findings, their ranges and messages, the scaffolded
// migration (applied, then `upgrade` passes), the buildNumber and migration-id rules, with the baseline
// as an artifact and as a git ref of a real temporary repository.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { BaselineStore } from '../../../core/upgrade/analysisHook';
import { loadBaseline } from '../../../core/upgrade/baseline';
import { canonicalId, compareIds, freshId } from '../../../core/upgrade/migrationIds';
import { readObjectsFile } from '../../../core/upgrade/objects';
import { runUpgrade } from '../../../core/upgrade/runUpgrade';
import type { Problem } from '../../../core/types';
import { applyEdit, artifactOf, cleanup, cli, copyVersion, FIXTURES, git, guardProblems, tempDir } from './helpers';

after(cleanup);

const summary = (ps: Problem[]) => ps.map((p) => `${path.basename(p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code}`).sort();

const V2_FINDINGS = [
  'schema.json:15:48 warning upgrade.constraintTightened',
  'schema.json:25:43 warning upgrade.enumValueRemoved',
  'schema.json:26:7 warning upgrade.propertyRenamed',
  'schema.json:34:7 error upgrade.requiredAdded',
];

test('v2 without migrations: each change that can invalidate saved objects, at the changed property', async () => {
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const problems = await guardProblems(copyVersion('v2'), artifact);
  assert.deepEqual(summary(problems), V2_FINDINGS);
  const byCode = new Map(problems.map((p) => [p.code, p]));
  assert.match(byCode.get('upgrade.propertyRenamed')!.message, /^"mountPath" of linkedSourceDefinition is gone and "mountLocation" has its shape \(renamed\?\)\./);
  assert.match(byCode.get('upgrade.requiredAdded')!.message, /^"retentionDays" of virtualSourceDefinition is now required\./);
  assert.match(byCode.get('upgrade.enumValueRemoved')!.message, /^"legacy" is no longer allowed for "mode" in linkedSourceDefinition\./);
  assert.match(byCode.get('upgrade.constraintTightened')!.message, /^The pattern of "dbName" in sourceConfigDefinition changed\./);
  for (const p of problems) {
    assert.ok(p.message.indexOf('.') < 100, `fact first, short: ${p.message}`);
    assert.ok(!p.message.includes('`'), `no markdown: ${p.message}`);
    assert.match(p.message, /no migration newer than the baseline \(artifact\.json\) covers \w+Definition/);
  }
});

test('v2 with migrations newer than the baseline: nothing to report', async () => {
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  assert.deepEqual(await guardProblems(copyVersion('v2-migrated'), artifact), []);
});

test('the quick fix scaffolds the migration next to the others; applied, upgrade passes on the fixture objects', async () => {
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const root = copyVersion('v2');
  const runner = path.join(root, 'src', 'plugin_runner.py');
  const first = (await guardProblems(root, artifact)).find((p) => p.code === 'upgrade.propertyRenamed')!;
  const fix = (first.data!.fixes as { title: string; edits: { file: string; newText: string }[] }[])[0];
  assert.equal(fix.title, 'Add a data migration for linkedSourceDefinition (2026.12.02)');
  assert.equal(fix.edits[0].file, runner);
  assert.equal(
    fix.edits[0].newText,
    [
      '',
      '',
      '@plugin.upgrade.linked_source("2026.12.02")',
      'def upgrade_linked_source_2026_12_02(old_linked_source):',
      '    # Written by Plugin Studio for the linkedSourceDefinition changes since the baseline.',
      "    if 'mountPath' in old_linked_source:",
      "        old_linked_source['mountLocation'] = old_linked_source.pop('mountPath')",
      '    # TODO(author): "legacy" no longer allowed for "mode"; saved values become "safe" (its default). Check that this is right.',
      "    if old_linked_source.get('mode') in ('legacy',):",
      "        old_linked_source['mode'] = 'safe'",
      '    return old_linked_source',
      '',
    ].join('\n'),
  );
  // Apply one fix per definition, re-checking in between as the editor would.
  for (let i = 0; i < 5; i++) {
    const next = (await guardProblems(root, artifact)).find((p) => (p.data?.fixes as unknown[] | undefined)?.length);
    if (!next) break;
    for (const e of (next.data!.fixes as { edits: Parameters<typeof applyEdit>[0][] }[])[0].edits) applyEdit(e);
  }
  assert.deepEqual(await guardProblems(root, artifact), []);
  const code = fs.readFileSync(runner, 'utf8');
  assert.match(code, /@plugin\.upgrade\.virtual_source\("2026\.12\.02\.2"\)\ndef upgrade_virtual_source_2026_12_02_2\(old_virtual_source\):\n.*\n    old_virtual_source\.setdefault\('retentionDays', 7\)/);
  assert.match(code, /# TODO\(author\): saved values of "dbName" must now satisfy pattern/);
  const baseline = await loadBaseline(artifact, root);
  assert.ok(baseline.ok);
  const objects = readObjectsFile(path.join(FIXTURES, 'objects.json'));
  assert.ok(objects.ok);
  const run = await runUpgrade({ pluginRoot: root, baseline: baseline.baseline, objects: objects.objects });
  assert.equal(run.error, undefined);
  assert.ok(run.ok, JSON.stringify(run.outcomes.filter((o) => !o.ok)));
  assert.deepEqual(run.migrationIds, ['2026.12.2', '2026.12.2.1', '2026.12.2.2']);
});

test('buildNumber: lower than the baseline is an error, equal a warning, at the value in plugin_config.yml', async () => {
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const root = copyVersion('v2-migrated');
  const config = path.join(root, 'plugin_config.yml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('buildNumber: "2.0"', 'buildNumber: "0.9.5"'));
  let ps = await guardProblems(root, artifact);
  assert.deepEqual(summary(ps), ['plugin_config.yml:10:14 error upgrade.buildNumber.lower']);
  assert.match(ps[0].message, /^buildNumber 0\.9\.5 is lower than the baseline's 1 \(artifact\.json\)\./);
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('buildNumber: "0.9.5"', 'buildNumber: "1.0.0"'));
  ps = await guardProblems(root, artifact);
  assert.deepEqual(summary(ps), ['plugin_config.yml:10:14 warning upgrade.buildNumber.same']);
});

test('migration ids: a released one that is gone, one not above the baseline, canonical forms compared', async () => {
  assert.equal(canonicalId('2024.01.15.0'), '2024.1.15');
  assert.equal(canonicalId('0.0'), undefined);
  assert.ok(compareIds('1.10', '1.2') > 0 && compareIds('1.2', '1.2.1') < 0);
  assert.equal(freshId(['2024.1.15'], new Date(Date.UTC(2026, 0, 5))), '2026.01.05');
  assert.equal(freshId(['2030.1.1'], new Date(Date.UTC(2026, 0, 5))), '2030.1.1.1');
  assert.equal(freshId(['2026.1.5'], new Date(Date.UTC(2026, 0, 5))), '2026.01.05.1');
  assert.equal(freshId(['2026.1.5.3.9'], new Date(Date.UTC(2026, 0, 5))), '2026.01.05.4');

  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const root = copyVersion('v2-migrated');
  const runner = path.join(root, 'src', 'plugin_runner.py');
  const code = fs.readFileSync(runner, 'utf8');
  // The same id in another spelling is the same migration.
  fs.writeFileSync(runner, code.replace("'2024.01.15'", "'2024.1.15.0'"));
  assert.deepEqual(await guardProblems(root, artifact), []);
  fs.writeFileSync(runner, code.replace("@plugin.upgrade.repository('2024.01.15')", "@plugin.upgrade.repository('2023.05.01')"));
  const ps = await guardProblems(root, artifact);
  assert.deepEqual(summary(ps), ['plugin_runner.py:6:28 error upgrade.migrationId.gone', 'plugin_runner.py:6:28 warning upgrade.migrationId.notAbove']);
  assert.match(ps.find((p) => p.code.endsWith('gone'))!.message, /^Migration '2024\.1\.15' of the baseline \(artifact\.json\) is gone\./);
  assert.match(ps.find((p) => p.code.endsWith('notAbove'))!.message, /^Migration id '2023\.05\.01' is new but not above the baseline's highest, '2024\.1\.15'\./);
});

test('baseline as a git ref: schemas, buildNumber and migration ids as they were at the tag', async () => {
  const repo = tempDir('upgrade-git-');
  const plugin = path.join(repo, 'plugins', 'fixture');
  fs.mkdirSync(path.dirname(plugin), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'v1'), plugin, { recursive: true });
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v1');
  git(repo, 'tag', 'v1');
  fs.rmSync(plugin, { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'v2'), plugin, { recursive: true });
  const b = await loadBaseline('v1', plugin);
  assert.ok(b.ok, b.ok ? '' : b.error);
  assert.match(b.baseline.label, /^git v1 \([0-9a-f]{7}\)$/);
  assert.equal(b.baseline.buildNumber, '1');
  assert.deepEqual(b.baseline.migrationIds, ['2024.1.15']);
  const ps = await guardProblems(plugin, 'v1');
  assert.deepEqual(summary(ps), V2_FINDINGS);
  assert.match(ps[0].message, /baseline \(git v1 \([0-9a-f]{7}\)\)/);
  // The working tree is untouched: nothing extracted into it.
  assert.deepEqual(fs.readdirSync(plugin).sort(), ['plugin_config.yml', 'schema.json', 'src']);

  const missing = await loadBaseline('v9', plugin);
  assert.equal(missing.ok, false);
  assert.match((missing as { error: string }).error, /^The baseline git ref "v9" cannot be read: no such commit, branch or tag in this repository\./);
  const outside = copyVersion('v2', tempDir('upgrade-nogit-'));
  const notRepo = await loadBaseline('v1', outside);
  assert.equal(notRepo.ok, false);
  assert.match((notRepo as { error: string }).error, /is not in a git repository/);
});

test('a baseline that cannot be loaded is one warning in plugin_config.yml; a bad artifact says what it is', async () => {
  const root = copyVersion('v2');
  const notArtifact = path.join(tempDir(), 'other.json');
  fs.writeFileSync(notArtifact, '{"hello": 1}');
  const r = await loadBaseline(notArtifact, root);
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /other\.json is not a plugin upload artifact/);
  const store = new BaselineStore('no-such-ref-xyz');
  await store.load(root);
  assert.ok(store.peek(root) && !store.peek(root)!.ok);
});

test('CLI: check --baseline reports the findings and fails; upgrade --from passes or fails per object', async () => {
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const dir = tempDir();
  const v2 = copyVersion('v2', dir);
  const checked = await cli(['check', v2, '--baseline', artifact], dir);
  assert.equal(checked.code, 1);
  assert.match(checked.out, /schema\.json:34:7 error "retentionDays" of virtualSourceDefinition is now required\./);
  const bad = await cli(['check', v2, '--baseline', 'nope-ref'], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /The baseline git ref "nope-ref" cannot be read/);

  const ok = await cli(['upgrade', copyVersion('v2-migrated', dir), '--from', artifact, '--objects', path.join(FIXTURES, 'objects.json')], dir);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /linkedSource\[0\] \(linked source\): ok\n  migration 2025\.3\.1 linked_source_rename_mount \(v2-migrated\/src\/plugin_runner\.py:11\): added mountLocation = "\/mnt\/a"; removed mountPath; changed mode: "legacy" -> "safe"/);
  const failed = await cli(['upgrade', v2, '--from', artifact, '--objects', path.join(FIXTURES, 'objects.json')], dir);
  assert.equal(failed.code, 1);
  assert.match(failed.out, /virtualSource\[0\] \(virtual source\): FAILED\n  no migration covers this object type; it is validated as it was saved\n  engine: The upgrade failed: the upgraded virtual source does not conform to the new schema\.\n  retentionDays is required but missing \(virtualSourceDefinition\)/);
  const json = await cli(['upgrade', v2, '--from', artifact, '--objects', path.join(FIXTURES, 'objects.json'), '--format', 'json'], dir);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.out) as { ok: boolean; objects: { label: string; ok: boolean; failures?: { field: string; message: string }[] }[] };
  assert.equal(report.ok, false);
  assert.deepEqual(report.objects.find((o) => o.label === 'linkedSource[0]')!.failures, [
    { field: 'mountPath', message: 'is not defined by the schema (additionalProperties is false)' },
    { field: 'mode', message: 'is "legacy", not one of ["fast","safe"]' },
  ]);
  const usage = await cli(['upgrade', v2, '--objects', 'x.json'], dir);
  assert.equal(usage.code, 2);
});

test('code that is not analysed (srcDir outside the plugin): no guess about migrations, only the buildNumber rule', async () => {
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const dir = tempDir();
  const root = copyVersion('v2', dir);
  fs.cpSync(path.join(root, 'src'), path.join(dir, 'outside-src'), { recursive: true });
  const config = path.join(root, 'plugin_config.yml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('srcDir: src', 'srcDir: ../outside-src').replace('buildNumber: "2.0"', 'buildNumber: "0.5"'));
  assert.deepEqual(summary(await guardProblems(root, artifact)), ['plugin_config.yml:10:14 error upgrade.buildNumber.lower']);
});

test('the scaffold goes where the migrations live: their own module, or the end of the entry module when there are none', async () => {
  // Migrations in a module of their own, on the plugin object imported from the entry module.
  const artifact = await artifactOf(path.join(FIXTURES, 'v1'));
  const root = copyVersion('v2');
  const runner = path.join(root, 'src', 'plugin_runner.py');
  const migrations = path.join(root, 'src', 'migrations.py');
  fs.writeFileSync(runner, 'from dlpx.virtualization.platform import Plugin\n\nplugin = Plugin()\n\nimport migrations  # noqa: E402,F401\n');
  fs.writeFileSync(migrations, "from plugin_runner import plugin as p\n\n\n@p.upgrade.repository('2024.01.15')\ndef repository_noop(old_repository):\n    return old_repository\n");
  const fix = (await guardProblems(root, artifact)).find((p) => p.code === 'upgrade.requiredAdded')!.data!.fixes as { edits: { file: string; newText: string }[] }[];
  assert.equal(fix[0].edits[0].file, migrations);
  assert.match(fix[0].edits[0].newText, /^\n\n@p\.upgrade\.virtual_source\("2026\.12\.02"\)\n/);

  // No migration at all (a baseline without any): the end of the entry module, on the entry point's object.
  const v1 = copyVersion('v1');
  fs.writeFileSync(path.join(v1, 'src', 'plugin_runner.py'), 'from dlpx.virtualization.platform import Plugin\n\nplugin = Plugin()\n');
  const bare = await artifactOf(v1);
  const v2 = copyVersion('v2');
  const entry = path.join(v2, 'src', 'plugin_runner.py');
  fs.writeFileSync(entry, 'from dlpx.virtualization.platform import Plugin\n\nplugin = Plugin()');
  const edit = ((await guardProblems(v2, bare)).find((p) => p.code === 'upgrade.requiredAdded')!.data!.fixes as { edits: { file: string; range: { start: { line: number } }; newText: string }[] }[])[0].edits[0];
  assert.equal(edit.file, entry);
  assert.equal(edit.range.start.line, 2);
  assert.match(edit.newText, /^\n\n\n@plugin\.upgrade\.virtual_source\("2026\.12\.02"\)\n/);
});
