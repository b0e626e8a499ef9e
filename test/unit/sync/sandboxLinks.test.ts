// A cloned repository can ship a sandbox folder as a symbolic link: the sync must refuse it, not write
// wherever it points.
import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSync } from '../../../core/sync/orchestrator';
import { formatReport } from '../../../core/sync/report';
import { copyPlugin, fixtureProfile, type TestPlugin } from './helpers';

/** The runner's mounts/<slug> name for a requested mount path (dpstudio_sync_runner.slug). */
function slug(p: string): string {
  const readable = p.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'root';
  return `${readable.slice(0, 60)}-${crypto.createHash('sha1').update(p).digest('hex').slice(0, 8)}`;
}

function listing(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe('sandbox folders that are symbolic links', () => {
  let plugin: TestPlugin;
  let outside: string;
  let sandbox: string;
  beforeEach(() => {
    plugin?.cleanup();
    plugin = copyPlugin();
    plugin.writeProfile(fixtureProfile(plugin.source, 'mirror'));
    sandbox = path.join(plugin.root, '.delphix/sandbox/local');
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dpstudio-outside-'));
    fs.writeFileSync(path.join(outside, 'precious.txt'), 'do not delete\n');
  });
  after(() => {
    plugin.cleanup();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('refuses a mount folder that is a link, and writes nothing where it points', async () => {
    const mount = path.join(sandbox, 'mounts', slug('/mnt/staging/test'));
    fs.mkdirSync(path.dirname(mount), { recursive: true });
    fs.symlinkSync(outside, mount);
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.ok, false);
    assert.deepEqual([report.error!.kind, report.error!.step], ['SimulatorError', 'mount']);
    assert.equal(
      report.error!.message,
      `${mount} is a symbolic link (to ${outside}). The sync writes only into real folders inside the sandbox, so it does not follow links a cloned repository may ship. Remove the link (rm ${mount}) and run again; the sync creates the folder.`,
    );
    assert.deepEqual(listing(outside), ['precious.txt']);
    assert.equal(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8'), 'do not delete\n');
    assert.deepEqual(fs.readdirSync(path.join(sandbox, 'snapshots')), []);

    fs.unlinkSync(mount);
    const again = await runSync({ pluginRoot: plugin.root });
    assert.equal(again.ok, true, formatReport(again));
    assert.ok(fs.lstatSync(mount).isDirectory());
  });

  for (const [what, rel] of [
    ['the profile folder', '.delphix/sandbox/local'],
    ['the sandbox folder', '.delphix/sandbox'],
    ['the mounts folder', '.delphix/sandbox/local/mounts'],
    ['the snapshots folder', '.delphix/sandbox/local/snapshots'],
    ['the run folder', '.delphix/sandbox/local/run'],
  ]) {
    it(`refuses ${what} as a link before anything runs`, async () => {
      const link = path.join(plugin.root, rel);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(outside, link);
      const report = await runSync({ pluginRoot: plugin.root });
      assert.equal(report.ok, false);
      assert.deepEqual([report.error!.kind, report.error!.step], ['SimulatorError', 'sandbox']);
      assert.match(report.error!.message, new RegExp(`^${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link \\(to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\. .* Remove the link \\(rm \\S+\\) and run again; the sync creates the folder\\.$`));
      assert.deepEqual(report.steps, []);
      assert.deepEqual(listing(outside), ['precious.txt'], 'nothing written where the link points');
    });
  }

  it('refuses a file where a sandbox folder belongs', async () => {
    fs.mkdirSync(sandbox, { recursive: true });
    fs.writeFileSync(path.join(sandbox, 'logs'), 'not a folder');
    const report = await runSync({ pluginRoot: plugin.root });
    assert.equal(report.error!.message, `${path.join(sandbox, 'logs')} is not a folder, but the sync keeps its data there. Move it away and run again.`);
  });
});
