import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllEdits } from '../../../core/fixAll';
import type { Problem, TextEdit } from '../../../core/types';

const F = '/p/a.py';
const at = (line: number, from: number, to = from): TextEdit['range'] => ({ start: { line, character: from }, end: { line, character: to } });
const edit = (range: TextEdit['range'], newText: string, file = F): TextEdit => ({ file, range, newText });
const problem = (edits: TextEdit[], preferred = true, file = F): Problem => ({
  file,
  range: at(0, 0),
  severity: 'warning',
  code: 'x',
  message: 'x',
  dvp: false,
  data: { fixes: [{ title: 't', edits, preferred }] },
});

test('fix all: each preferred fix once, a shared edit (an import) once, overlapping fixes left for the next round', () => {
  const imp = edit(at(0, 0), 'import shlex\n');
  const problems = [
    problem([edit(at(3, 4, 8), 'shlex.quote(a)'), imp]),
    problem([edit(at(3, 10, 14), 'shlex.quote(b)'), { ...imp, range: at(0, 0) }]),
    // Overlaps the first: skipped whole (its other edit too).
    problem([edit(at(3, 6, 12), 'x'), edit(at(5, 0), 'y')]),
    // Not preferred: the author chooses it by hand.
    problem([edit(at(6, 0, 1), 'z')], false),
    // Another file: not this one's fix-all.
    problem([edit(at(1, 0, 1), 'w', '/p/b.py')], true, '/p/b.py'),
    // Touching the first edit is fine; a second insertion at the same place as the import is not.
    problem([edit(at(3, 8, 9), '!')]),
    problem([edit(at(0, 0), 'import os\n')]),
  ];
  assert.deepEqual(fixAllEdits(problems, F), [edit(at(3, 4, 8), 'shlex.quote(a)'), imp, edit(at(3, 10, 14), 'shlex.quote(b)'), edit(at(3, 8, 9), '!')]);
  assert.deepEqual(fixAllEdits([], F), []);
});
