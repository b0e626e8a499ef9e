import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkShellInjection, findUnquotedShellArguments, UNQUOTED_SHELL_ARGUMENT } from '../../../core/sync/shellInjection';
import { loadPythonParser } from '../../../core/python/parser';
import { LineIndex } from '../../../core/text';
import type { Problem, TextEdit } from '../../../core/types';
import { EXAMPLE } from './helpers';

function apply(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

/** All fixes of all problems applied once (the shared import edit only once). */
function applyAll(text: string, problems: Problem[]): string {
  const edits = new Map<string, TextEdit>();
  for (const p of problems) for (const e of p.data!.fixes![0].edits) edits.set(JSON.stringify(e), e);
  return apply(text, [...edits.values()]);
}

function at(text: string, needle: string, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  return new LineIndex(text).range(i, i + needle.length);
}

describe('shell injection rule (python.unquotedShellArgument)', () => {
  const file = path.join(EXAMPLE, 'src/plugin_runner.py');
  const tutorial = fs.readFileSync(file, 'utf8');

  it('flags the tutorial pre_snapshot and fixes it with shlex.quote and an import', async () => {
    const problems = await checkShellInjection(file, tutorial);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.range, p.dvp]), [
      [UNQUOTED_SHELL_ARGUMENT, 'warning', at(tutorial, 'data_location', 1), false],
      [UNQUOTED_SHELL_ARGUMENT, 'warning', at(tutorial, 'stage_mount_path)'.slice(0, -1), 1), false],
    ]);
    assert.equal(
      problems[0].message,
      "`data_location` comes from the operation's inputs and is put into a run_bash command without quoting: a space or a shell character (; | $ ` &) in the value changes the command. Quote it with shlex.quote().",
    );
    const fix = problems[1].data!.fixes![0];
    assert.equal(fix.title, 'Quote stage_mount_path with shlex.quote()');
    assert.equal(fix.preferred, true);
    assert.deepEqual(fix.edits, [
      { file, range: at(tutorial, 'stage_mount_path)'.slice(0, -1), 1), newText: 'shlex.quote(stage_mount_path)' },
      { file, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: 'import shlex\n' },
    ]);
    const fixed = applyAll(tutorial, problems);
    assert.match(fixed, /\nimport os\nimport shlex\n\nfrom dlpx/);
    assert.match(fixed, /rsync_command = "rsync -r \{\} \{\}"\.format\(shlex\.quote\(data_location\), shlex\.quote\(stage_mount_path\)\)/);
    assert.deepEqual(await checkShellInjection(file, fixed), []);
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: fixed });
  });

  it('follows f-strings, % formatting, concatenation and the command keyword', async () => {
    const text = [
      'import shlex',
      'from dlpx.virtualization import libs',
      '',
      'def op(staged_source, repository, source_config, optional_snapshot_parameters):',
      '    path = source_config.path',
      '    safe = shlex.quote(source_config.path)',
      '    libs.run_bash(staged_source.staged_connection, f"ls {path} {safe}")',
      '    libs.run_bash(staged_source.staged_connection, "du -s %s %d" % (path, int(repository.size)))',
      '    cmd = "cat " + staged_source.parameters.file + " | wc -l"',
      '    libs.run_bash(command=cmd, remote_connection=staged_source.staged_connection)',
      '    libs.run_bash(staged_source.staged_connection, "echo {}".format(len(path)))',
      '    libs.run_bash(staged_source.staged_connection, "echo {}".format("constant"))',
      '',
    ].join('\n');
    const problems = await checkShellInjection('/p/x.py', text);
    assert.deepEqual(problems.map((p) => [p.range, p.data!.fixes![0].edits.length]), [
      [at(text, 'path', 3), 1],
      [at(text, 'path', 4), 1],
      [at(text, 'staged_source.parameters.file'), 1],
    ]);
  });

  it('adds the import at the top when the module has no import', async () => {
    const text = '"""Doc."""\n\ndef f(conn, name):\n    run_bash(conn, "touch {}".format(name))\n';
    const parser = await loadPythonParser();
    const tree = parser.parseText(text);
    const problems = findUnquotedShellArguments('/p/y.py', text, tree.rootNode);
    tree.delete();
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].data!.fixes![0].edits[1], { file: '/p/y.py', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: 'import shlex\n' });
    assert.equal(applyAll(text, problems), '"""Doc."""\n\nimport shlex\ndef f(conn, name):\n    run_bash(conn, "touch {}".format(shlex.quote(name)))\n');
  });

  it('leaves commands built from constants and module-level code alone', async () => {
    const text = 'from dlpx.virtualization import libs\nCMD = "ls {}".format("/tmp")\n\ndef f(conn):\n    base = "/var/data"\n    libs.run_bash(conn, "ls {}".format(base))\n    libs.run_bash(conn, CMD)\n';
    assert.deepEqual(await checkShellInjection('/p/z.py', text), []);
  });
});
