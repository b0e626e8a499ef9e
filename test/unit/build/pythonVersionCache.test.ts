// The interpreter's version remembered by the identity of a native executable; scripts (pyenv shims,
// wrappers) are always asked. Real python3.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cachedPythonVersion } from '../../../core/build/pythonVersionCache';

/** The real interpreter behind python3 (pyenv or not). */
const nativePython = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

test('a native interpreter is asked once, then answered from the cache; a changed cache entry shows it is used', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyver-'));
  try {
    const cache = path.join(dir, 'versions.json');
    const first = await cachedPythonVersion(nativePython, process.env, undefined, cache);
    assert.ok(first.ok);
    const stored = JSON.parse(fs.readFileSync(cache, 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.values(stored), [first.version]);
    // Prove the second answer comes from the file: edit the remembered version.
    const [key] = Object.keys(stored);
    fs.writeFileSync(cache, JSON.stringify({ [key]: '3.99.1' }));
    const second = await cachedPythonVersion(nativePython, process.env, undefined, cache);
    assert.deepEqual(second, { ok: true, version: '3.99.1', majorMinor: '3.99' });
    // false: never cached.
    const off = await cachedPythonVersion(nativePython, process.env, undefined, false);
    assert.ok(off.ok && off.version === first.version);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a script in front of the interpreter is asked every time, and a missing one is an error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyver-'));
  try {
    const cache = path.join(dir, 'versions.json');
    const wrapper = path.join(dir, 'python3');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(nativePython)} "$@"\n`, { mode: 0o755 });
    const r = await cachedPythonVersion(wrapper, process.env, undefined, cache);
    assert.ok(r.ok);
    assert.equal(fs.existsSync(cache), false);
    const missing = await cachedPythonVersion(path.join(dir, 'nope'), process.env, undefined, cache);
    assert.equal(missing.ok, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
