// Child processes of the build: a child that exits without reading its input must not crash the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProcess } from '../../../core/build/process';

test('a child that exits without reading its input (EPIPE on its stdin) is a result, not a crash', async () => {
  // 8 MB of input to a process that never reads it: the pipe closes under the write.
  for (let i = 0; i < 5; i++) {
    const r = await runProcess('python3', ['-c', 'print("done")'], { input: 'x'.repeat(8 * 1024 * 1024) });
    assert.equal(r.code, 0);
    assert.equal(r.output.trim(), 'done');
  }
});
