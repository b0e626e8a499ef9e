// A full disk during a sync: the plugin's rsync fails with "No space left on device" on a small tmpfs
// holding the sandbox. The sync stops with the plugin's UserError, the previous snapshot stays intact
// and usable, and no half-made snapshot is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listSnapshots, runSync, sandboxLayout } from '../../../core/sync';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');

function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('a full disk mid-sync leaves the previous snapshot intact', async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-full-'));
  const small = path.join(work, 'small');
  fs.mkdirSync(small);
  if (!tryMountTmpfs(small, '3m')) {
    t.skip('cannot mount a tmpfs here (needs root); the disk-full path is not exercised');
    fs.rmSync(work, { recursive: true, force: true });
    return;
  }
  try {
    // The plugin (and so its sandbox) lives on the 3 MB tmpfs; the source data on the normal disk.
    const pluginDir = path.join(small, 'plugin');
    fs.cpSync(EXAMPLE, pluginDir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) && !f.includes('sample-source') });
    const source = path.join(work, 'source');
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, 'small.txt'), 'fits\n');
    const profileFile = path.join(pluginDir, '.delphix', 'sync', 'local.json');
    const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
    profile.sourceConfig.path = source;
    profile.sourceFolder = source;
    fs.writeFileSync(profileFile, JSON.stringify(profile, null, 2));

    const first = await runSync({ pluginRoot: pluginDir, profile: 'local' });
    assert.equal(first.ok, true, first.error?.message);
    const snap1 = first.snapshot!;
    const before = files(snap1.path);
    assert.ok(before.some((f) => f.endsWith('small.txt')));

    // 8 MB of incompressible data does not fit in what is left of 3 MB.
    fs.writeFileSync(path.join(source, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 7).map((_, i) => (i * 2654435761) >>> 24));
    const second = await runSync({ pluginRoot: pluginDir, profile: 'local' });
    assert.equal(second.ok, false);
    assert.equal(second.error?.message, 'Could not copy files.');
    assert.match(second.error?.action ?? '', /passwordless SSH/);
    assert.match(second.commands.map((c) => c.stderr ?? '').join('\n') + (second.error?.output ?? ''), /No space left on device/);

    const snaps = listSnapshots(sandboxLayout(pluginDir, 'local'));
    assert.deepEqual(snaps.map((s) => s.id), [snap1.id], 'only the first snapshot exists');
    assert.deepEqual(files(snap1.path), before, 'the first snapshot is unchanged');
    assert.equal(fs.readFileSync(path.join(snap1.path, before.find((f) => f.endsWith('small.txt'))!), 'utf8'), 'fits\n');
    const snapshotsDir = path.dirname(snap1.path);
    assert.deepEqual(fs.readdirSync(snapshotsDir).filter((n) => n.startsWith('.pending')), [], 'no half-made snapshot');
  } finally {
    let unmounted = false;
    for (let i = 0; i < 20 && !unmounted; i++) {
      try {
        execFileSync('umount', [small], { stdio: 'pipe' });
        unmounted = true;
      } catch (e) {
        if (i === 19) console.error(`umount ${small}: ${(e as { stderr?: Buffer }).stderr?.toString()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (unmounted) fs.rmSync(work, { recursive: true, force: true });
  }
});
