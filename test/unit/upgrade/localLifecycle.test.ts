// The whole story on the example plugin: sync and provision under 1.0 with the real lifecycle
// commands, then a 2.0 that adds a required virtual source property with its migration; `upgrade
// --from <1.0 artifact>` on the kept objects, `--apply`, and the VDB and the dSource keep working
// under 2.0 (vdb stop/start, sync).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CliIO } from '../../../cli/io';
import { syncCommand } from '../../../cli/commands/sync';
import { provisionCommand, vdbCommand } from '../../../cli/commands/lifecycle';
import { copyPlugin, EXAMPLE } from '../sync/helpers';
import { artifactOf, cleanup, cli } from './helpers';

after(cleanup);

function io(cwd: string): CliIO & { text: () => string } {
  const lines: string[] = [];
  return { cwd, env: process.env, out: (t) => lines.push(t), err: (t) => lines.push(t), signal: new AbortController().signal, text: () => lines.join('\n') };
}

test('sync and provision under 1.0, upgrade the kept objects to 2.0 with --apply, keep working', async () => {
  const plugin = copyPlugin(EXAMPLE);
  after(() => plugin.cleanup());
  const root = plugin.root;
  const sync = io(root);
  assert.equal(await syncCommand.run([], sync), 0, sync.text());
  const prov = io(root);
  assert.equal(await provisionCommand.run([], prov), 0, prov.text());
  const v1 = await artifactOf(root);

  // 2.0: virtualSourceDefinition gains a required retentionDays, with the migration that sets it.
  const schemaFile = path.join(root, 'schema.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  schema.virtualSourceDefinition.properties.retentionDays = { type: 'integer', minimum: 1, default: 7 };
  schema.virtualSourceDefinition.required.push('retentionDays');
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
  const config = path.join(root, 'plugin_config.yml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('buildNumber: 0.1.0', 'buildNumber: 0.2.0'));
  const runner = path.join(root, 'src/plugin_runner.py');
  fs.writeFileSync(runner, fs.readFileSync(runner, 'utf8') + `\n\n@plugin.upgrade.virtual_source('2026.12.01')\ndef add_retention(old_virtual_source):\n    old_virtual_source['retentionDays'] = 7\n    return old_virtual_source\n`);

  const dry = await cli(['upgrade', root, '--from', v1], root);
  assert.equal(dry.code, 0, dry.out + dry.err);
  assert.match(dry.out, /^profile "local": VDB "vdb1" virtualSource \(virtual source\): ok$/m);
  assert.match(dry.out, /^profile "local": dSource snapshot 1 \(snapshot\): ok$/m);
  assert.match(dry.out, /^ {2}migration 2026\.12\.1 add_retention .*: added retentionDays = 7$/m);
  const objectsFile = path.join(root, '.delphix/sandbox/local/objects.json');
  assert.equal(JSON.parse(fs.readFileSync(objectsFile, 'utf8')).vdbs.vdb1.parameters.retentionDays, undefined, 'read only without --apply');

  // Under 2.0 the 1.0 values no longer fit: workflows refuse until the kept objects are upgraded.
  const stale = io(root);
  assert.equal(await vdbCommand.run(['stop', 'vdb1'], stale), 1);
  assert.match(stale.text(), /local\.json:\d+:\d+: error: .*retentionDays.*virtualSource/);

  const applied = await cli(['upgrade', root, '--from', v1, '--apply'], root);
  assert.equal(applied.code, 0, applied.out + applied.err);
  assert.match(applied.out, /local\.json: .*profile "local": virtualSource \(the parameters new VDBs get\)/);
  assert.match(applied.out, /objects\.json: .*profile "local": VDB "vdb1" virtualSource/);
  assert.deepEqual(JSON.parse(fs.readFileSync(objectsFile, 'utf8')).vdbs.vdb1.parameters, { mountLocation: '/mnt/provision/first-plugin-vdb', retentionDays: 7 });
  assert.equal(JSON.parse(fs.readFileSync(path.join(root, '.delphix/sync/local.json'), 'utf8')).virtualSource.retentionDays, 7);

  for (const wf of ['stop', 'start']) {
    const t = io(root);
    assert.equal(await vdbCommand.run([wf, 'vdb1'], t), 0, t.text());
  }
  const again = io(root);
  assert.equal(await syncCommand.run([], again), 0, again.text());
  const prov2 = io(root);
  assert.equal(await provisionCommand.run(['--name', 'vdb2'], prov2), 0, prov2.text());
});
