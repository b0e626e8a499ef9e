import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkPlugins } from '../../../core/analysis/checkPlugin';
import { fixAllEdits } from '../../../core/fixAll';
import { LineIndex } from '../../../core/text';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

test('an undefined standard-library module gets an "Add import" fix placed among the imports', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-fix-'));
  try {
    fs.cpSync(path.join(ROOT, 'examples', 'first-plugin'), dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
    const file = path.join(dir, 'src', 'plugin_runner.py');
    // The example quotes its rsync arguments with shlex.quote; without its `import shlex` line, both uses are undefined.
    const text = fs.readFileSync(file, 'utf8').replace('import os\nimport shlex\n', 'import os\n');
    fs.writeFileSync(file, text);
    const { problems } = await checkPlugins(dir);
    const undefinedNames = problems.filter((p) => p.code === 'python.undefinedName');
    assert.equal(undefinedNames.length, 2);
    for (const p of undefinedNames) {
      const fix = p.data?.fixes?.[0];
      assert.equal(fix?.title, 'Add `import shlex`');
      assert.equal(fix?.preferred, true);
      assert.deepEqual(fix?.edits.map((e) => [e.range.start, e.newText]), [[{ line: 5, character: 0 }, 'import shlex\n']]);
    }
    // Applied, the file has the import after `import os` and no error is left.
    const lines = text.split('\n');
    lines.splice(5, 0, 'import shlex');
    fs.writeFileSync(file, lines.join('\n'));
    const after = await checkPlugins(dir);
    assert.deepEqual(after.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
    // A name that is not a module gets no such fix.
    fs.writeFileSync(file, text.replace('return SnapshotDefinition()', 'return SnapshotDefinitionn()'));
    const other = (await checkPlugins(dir)).problems.find((p) => p.code === 'python.undefinedName' && p.message.includes('SnapshotDefinitionn'));
    assert.ok(other);
    assert.equal(other.data?.fixes, undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fix all: the undefined-name fix and the shell-quoting fix both add import shlex; the file gets it once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-fix-all-'));
  try {
    fs.cpSync(path.join(ROOT, 'examples', 'first-plugin'), dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
    const file = path.join(dir, 'src', 'plugin_runner.py');
    // The tutorial's module with one argument quoted by hand-typed shlex.quote, and no import of shlex.
    const text = fs
      .readFileSync(path.join(ROOT, 'test', 'fixtures', 'shell-quoting', 'tutorial_plugin_runner.py'), 'utf8')
      .replace('.format(data_location, stage_mount_path)', '.format(shlex.quote(data_location), stage_mount_path)');
    fs.writeFileSync(file, text);
    const { problems } = await checkPlugins(dir);
    assert.deepEqual(problems.filter((p) => p.file === file).map((p) => p.code).sort(), ['python.undefinedName', 'python.unquotedShellArgument']);
    const edits = fixAllEdits(problems, file);
    const lines = new LineIndex(text);
    let fixed = text;
    for (const e of [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))) {
      fixed = fixed.slice(0, lines.offsetAt(e.range.start)) + e.newText + fixed.slice(lines.offsetAt(e.range.end));
    }
    assert.equal(fixed.split('\n').filter((l) => l === 'import shlex').length, 1, fixed);
    fs.writeFileSync(file, fixed);
    assert.deepEqual((await checkPlugins(dir)).problems.filter((p) => p.file === file).map((p) => p.message), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
