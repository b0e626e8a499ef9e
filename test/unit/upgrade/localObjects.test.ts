// `upgrade --from` on the local engine's kept objects: a plugin's profile, dSource snapshots and a
// VDB as version 1 left them; the report names each object by where it is kept; read only by
// default; --apply writes the migrated values back (the profile keeps its comments and layout) and
// the profile then loads cleanly under v2; a failing object or a busy profile: nothing is written.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadProfile } from '../../../core/sync/profile';
import { acquireRunLock } from '../../../core/sync/runLock';
import { sandboxLayout } from '../../../core/sync/sandbox';
import { collectKeptObjects } from '../../../core/upgrade/localObjects';
import { artifactOf, cleanup, cli, copyVersion, FIXTURES } from './helpers';

after(cleanup);

const PROFILE = `{
  // kept as written: comments and layout survive --apply
  "environments": { "staging": { "type": "local" }, "source": { "type": "local" } },
  "repository": { "name": "pg15", "installPath": "/opt/pg15" },
  "sourceConfig": { "dbName": "Sales-EU" },
  "linkedSource": { "mode": "legacy", "mountPath": "/mnt/a" },
  "virtualSource": { "port": 5432 }
}
`;

/** A v2 plugin folder holding what v1 kept: the profile, two dSource snapshots, a VDB with a snapshot, a discovery. */
function plantKeptObjects(version: string): string {
  const root = copyVersion(version);
  fs.mkdirSync(path.join(root, '.delphix/sync'), { recursive: true });
  fs.writeFileSync(path.join(root, '.delphix/sync/local.json'), PROFILE);
  const layout = sandboxLayout(root, 'local');
  for (const id of [1, 2]) {
    fs.mkdirSync(path.join(layout.snapshots, String(id)), { recursive: true });
    fs.writeFileSync(path.join(layout.snapshots, String(id), 'snapshot.json'), JSON.stringify({ id, created: '2026-12-01T00:00:00Z', stats: { files: 3 }, snapshotDefinition: {} }));
  }
  const vsnap = path.join(layout.root, 'vdbs/v1/snapshots/1');
  fs.mkdirSync(vsnap, { recursive: true });
  fs.writeFileSync(path.join(vsnap, 'snapshot.json'), JSON.stringify({ id: 1, snapshotDefinition: {} }));
  const vdb = { name: 'v1', guid: 'g', environment: 'staging', host: 'local', remote: false, parameters: { port: 6543, password: 's3cret-Value' }, status: 'running', origin: { kind: 'dsource', snapshotId: 2 }, snapshotDefinition: {}, sourceConfig: { dbName: 'V1-Copy' }, dataDir: path.join(layout.root, 'vdbs/v1/data'), mounts: [], created: 'x', updated: 'x' };
  const discovery = { environment: 'staging', host: 'local', at: 'x', repositories: [{ repository: { name: 'pg15' }, sourceConfigs: [{ dbName: 'Orders-1' }] }] };
  fs.writeFileSync(path.join(layout.root, 'objects.json'), JSON.stringify({ version: 1, vdbs: { v1: vdb }, discovery }, null, 2));
  return root;
}

function snapshotOf(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.json')) files.set(path.relative(root, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, '.delphix'));
  return files;
}

test('the kept objects of every profile, each labelled by where it is kept', () => {
  const root = plantKeptObjects('v2-migrated');
  const kept = collectKeptObjects(root);
  assert.deepEqual(kept.problems, []);
  assert.deepEqual(kept.objects.map((o) => [o.kind, o.label]), [
    ['repository', 'profile "local": repository'],
    ['source_config', 'profile "local": sourceConfig'],
    ['linked_source', 'profile "local": linkedSource parameters'],
    ['virtual_source', 'profile "local": virtualSource (the parameters new VDBs get)'],
    ['snapshot', 'profile "local": dSource snapshot 1'],
    ['snapshot', 'profile "local": dSource snapshot 2'],
    ['repository', 'profile "local": discovered repository 1'],
    ['source_config', 'profile "local": discovered source config 1.1'],
    ['virtual_source', 'profile "local": VDB "v1" virtualSource'],
    ['source_config', 'profile "local": VDB "v1" sourceConfig'],
    ['snapshot', 'profile "local": VDB "v1" snapshot 1'],
  ]);
});

test('upgrade --from without --objects runs on the kept objects, read only; --apply writes them back', async () => {
  const root = plantKeptObjects('v2-migrated');
  const runner = path.join(root, 'src/plugin_runner.py');
  fs.writeFileSync(runner, fs.readFileSync(runner, 'utf8') + `\n\n@plugin.upgrade.snapshot('2025.03.04')\ndef snapshot_mark(old_snapshot):\n    old_snapshot['format'] = 2\n    return old_snapshot\n`);
  const v1 = await artifactOf(path.join(FIXTURES, 'v1'));
  const before = snapshotOf(root);
  const r = await cli(['upgrade', root, '--from', v1], root);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^Objects: the local engine's kept objects \(11\), read only: --apply writes the upgraded values back\.$/m);
  assert.match(r.out, /^profile "local": linkedSource parameters \(linked source\): ok$/m);
  assert.match(r.out, /^ {2}migration 2025\.3\.1 linked_source_rename_mount .*: added mountLocation = "\/mnt\/a"; removed mountPath; changed mode: "legacy" -> "safe"$/m);
  assert.match(r.out, /^profile "local": VDB "v1" virtualSource \(virtual source\): ok$/m);
  assert.doesNotMatch(r.out, /s3cret-Value/);
  assert.match(r.out, /11 objects upgraded: 11 valid, 0 failed\./);
  assert.deepEqual(snapshotOf(root), before, 'nothing is written without --apply');

  const a = await cli(['upgrade', root, '--from', v1, '--apply'], root);
  assert.equal(a.code, 0, a.out + a.err);
  assert.match(a.out, /^Written back \(the local engine keeps the upgraded objects\):$/m);
  // Only what a migration changed is written (the repository's no-op migration and the snapshots are left alone).
  assert.match(a.out, /local\.json: profile "local": sourceConfig, profile "local": linkedSource parameters, profile "local": virtualSource \(the parameters new VDBs get\)$/m);
  assert.match(a.out, /objects\.json: profile "local": discovered source config 1\.1, profile "local": VDB "v1" virtualSource, profile "local": VDB "v1" sourceConfig$/m);
  assert.match(a.out, /sandbox\/local\/snapshots\/1\/snapshot\.json: profile "local": dSource snapshot 1$/m);
  assert.match(a.out, /vdbs\/v1\/snapshots\/1\/snapshot\.json: profile "local": VDB "v1" snapshot 1$/m);
  assert.match(fs.readFileSync(path.join(root, '.delphix/sync/local.json'), 'utf8'), /^ {2}"repository": \{ "name": "pg15", "installPath": "\/opt\/pg15" \},$/m);

  const profileText = fs.readFileSync(path.join(root, '.delphix/sync/local.json'), 'utf8');
  assert.match(profileText, /^ {2}\/\/ kept as written: comments and layout survive --apply$/m);
  assert.match(profileText, /^ {2}"environments": \{ "staging": \{ "type": "local" \}, "source": \{ "type": "local" \} \},$/m);
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema.json'), 'utf8'));
  const loaded = loadProfile('local', { pluginRoot: root, sandbox: sandboxLayout(root, 'local').root, pluginSchema: schema });
  assert.deepEqual(loaded.problems.map((p) => p.message), [], 'the profile loads cleanly under v2 (sync and provision accept it)');
  assert.deepEqual(loaded.profile?.linkedSource, { mode: 'safe', mountLocation: '/mnt/a' });
  assert.deepEqual(loaded.profile?.sourceConfig, { dbName: 'sales_eu' });
  assert.deepEqual(loaded.profile?.virtualSource, { port: 5432, retentionDays: 7 });
  const objects = JSON.parse(fs.readFileSync(path.join(root, '.delphix/sandbox/local/objects.json'), 'utf8'));
  assert.deepEqual(objects.vdbs.v1.parameters, { port: 6543, password: 's3cret-Value', retentionDays: 7 });
  assert.deepEqual(objects.vdbs.v1.sourceConfig, { dbName: 'v1_copy' });
  assert.equal(objects.vdbs.v1.status, 'running');
  assert.deepEqual(objects.discovery.repositories[0].sourceConfigs, [{ dbName: 'orders_1' }]);
  const meta = JSON.parse(fs.readFileSync(path.join(root, '.delphix/sandbox/local/snapshots/2/snapshot.json'), 'utf8'));
  assert.deepEqual(meta, { id: 2, created: '2026-12-01T00:00:00Z', stats: { files: 3 }, snapshotDefinition: { format: 2 } }, 'the rest of the metadata is kept');
  assert.equal(fs.existsSync(path.join(root, '.delphix/sandbox/local/run/lock')), false, 'the run lock is released');

  // Upgraded objects already fit v2: a second run passes again, so the author keeps working with them.
  const again = await cli(['upgrade', root, '--from', v1, '--apply'], root);
  assert.equal(again.code, 0, again.out + again.err);
  assert.match(again.out, /^Nothing to write back: the migrations changed none of the kept objects\.$/m);
});

test('a failing object: nothing is written', async () => {
  const root = plantKeptObjects('v2'); // v2 without its migrations: the renamed and new required fields fail
  const v1 = await artifactOf(path.join(FIXTURES, 'v1'));
  const before = snapshotOf(root);
  const r = await cli(['upgrade', root, '--from', v1, '--apply'], root);
  assert.equal(r.code, 1);
  assert.match(r.out, /^profile "local": linkedSource parameters \(linked source\): FAILED$/m);
  assert.match(r.err, /^Nothing was written: \d+ objects did not upgrade to a valid object\.$/m);
  assert.deepEqual(snapshotOf(root), before);
});

test('a profile whose run lock is held: nothing is written', async () => {
  const root = plantKeptObjects('v2-migrated');
  const v1 = await artifactOf(path.join(FIXTURES, 'v1'));
  const layout = sandboxLayout(root, 'local');
  fs.mkdirSync(layout.run, { recursive: true });
  const taken = acquireRunLock(layout.run, 'sync (test)');
  assert.ok('lock' in taken);
  try {
    const before = snapshotOf(root);
    const r = await cli(['upgrade', root, '--from', v1, '--apply'], root);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Nothing was written: /m);
    assert.deepEqual(snapshotOf(root), before);
  } finally {
    taken.lock.release();
  }
});

test('no kept objects: says to sync and provision first or pass --objects; --apply with --objects is a usage mistake', async () => {
  const root = copyVersion('v2-migrated');
  const v1 = await artifactOf(path.join(FIXTURES, 'v1'));
  const r = await cli(['upgrade', root, '--from', v1], root);
  assert.equal(r.code, 1);
  assert.match(r.err, /keeps no objects .* Sync and provision under the installed version first \("sync", "provision"\), or pass --objects FILE\./);
  const u = await cli(['upgrade', root, '--from', v1, '--apply', '--objects', path.join(FIXTURES, 'objects.json')], root);
  assert.equal(u.code, 2);
});
