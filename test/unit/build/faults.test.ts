// Build faults: special files and symlink loops in srcDir, a cancellation at every step. The previous
// artifact is never replaced by a partial one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildArtifact } from '../../../core/build/artifact';
import { findImplementedOperations } from '../../../core/build/findOperations';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');

function plugin(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-faults-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  return dir;
}

test('a socket, a FIFO and a symlink loop in srcDir are left out with a warning, and the build succeeds', async () => {
  const dir = plugin();
  try {
    const src = path.join(dir, 'src');
    execFileSync('python3', ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(src, 'agent.sock'))})`]);
    execFileSync('mkfifo', [path.join(src, 'pipe')]);
    fs.mkdirSync(path.join(src, 'pkg'));
    fs.writeFileSync(path.join(src, 'pkg', 'helper.py'), 'X = 1\n');
    fs.symlinkSync(src, path.join(src, 'pkg', 'back'));
    const r = await buildArtifact({ pluginRoot: dir, operations: await findImplementedOperations(dir) }, { includeSdkRuntime: false });
    assert.equal(r.ok, true, r.errors.join('\n'));
    assert.ok(r.warnings.some((w) => w.includes('agent.sock') && /socket, FIFO or device/.test(w)));
    assert.ok(r.warnings.some((w) => w.includes(`${path.sep}pipe `) || w.endsWith(`${path.sep}pipe was left out of the artifact: it is not a regular file (a socket, FIFO or device).`)));
    assert.ok(r.warnings.some((w) => w.includes(path.join('pkg', 'back')) && /loop/.test(w)));
    assert.ok(r.sourceFiles!.includes('pkg/helper.pyc'));
    assert.ok(!r.sourceFiles!.some((f) => f.startsWith('pkg/back/')), 'the loop is not followed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a build cancelled at any step leaves the previous artifact byte for byte', async () => {
  const dir = plugin();
  try {
    const operations = await findImplementedOperations(dir);
    const steps: string[] = [];
    const first = await buildArtifact({ pluginRoot: dir, operations }, { includeSdkRuntime: false, onProgress: (s) => steps.push(s) });
    assert.equal(first.ok, true);
    const before = fs.readFileSync(first.artifactPath!);
    assert.ok(steps.length >= 4, steps.join(', '));
    for (let i = 0; i < steps.length; i++) {
      const ac = new AbortController();
      let n = 0;
      const r = await buildArtifact(
        { pluginRoot: dir, operations },
        {
          includeSdkRuntime: false,
          signal: ac.signal,
          onProgress: () => {
            if (n++ === i) ac.abort();
          },
        },
      );
      assert.equal(r.ok, false, `cancelled at step ${i} (${steps[i]}) must not succeed`);
      assert.equal(r.cancelled, true);
      assert.deepEqual(fs.readFileSync(first.artifactPath!), before, `artifact unchanged after a cancel at "${steps[i]}"`);
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('artifact') && f !== 'artifact.json'), [], 'no temporary artifact left behind');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a huge file and a dangling symlink in srcDir: the build streams the one and reports the other', async () => {
  const dir = plugin();
  try {
    const src = path.join(dir, 'src');
    // Sparse: 100 MB on paper, nothing on disk; the build must not hold it in memory to zip it.
    fs.closeSync(fs.openSync(path.join(src, 'huge.bin'), 'w'));
    fs.truncateSync(path.join(src, 'huge.bin'), 100 * 1024 * 1024);
    fs.symlinkSync('/nonexistent/target', path.join(src, 'dangling'));
    const r = await buildArtifact({ pluginRoot: dir, operations: await findImplementedOperations(dir) }, { includeSdkRuntime: false });
    assert.equal(r.ok, true, r.errors.join('\n'));
    assert.ok(r.sourceFiles!.includes('huge.bin'));
    assert.ok(r.warnings.some((w) => w.includes(path.join('src', 'dangling')) && /broken symbolic link/.test(w)), r.warnings.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
