import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkShellInjection, findUnquotedShellArguments, UNQUOTED_SHELL_ARGUMENT } from '../../../core/sync/shellInjection';
import { loadPythonParser } from '../../../core/python/parser';
import { LineIndex } from '../../../core/text';
import type { Problem, TextEdit } from '../../../core/types';
import { EXAMPLE, REPO } from './helpers';
import { fixAllEdits } from '../../../core/fixAll';

function apply(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

/** Fix all: the preferred fix of every problem, as the server's source.fixAll applies them. */
function applyAll(text: string, problems: Problem[]): string {
  return apply(text, fixAllEdits(problems, problems[0]?.file ?? ''));
}

function at(text: string, needle: string, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  return new LineIndex(text).range(i, i + needle.length);
}

describe('shell injection rule (python.unquotedShellArgument)', () => {
  const file = path.join(EXAMPLE, 'src/plugin_runner.py');
  // The SDK tutorial's plugin_runner.py as the tutorial writes it (the example quotes its arguments).
  const tutorial = fs.readFileSync(path.join(REPO, 'test/fixtures/shell-quoting/tutorial_plugin_runner.py'), 'utf8');

  it('flags the tutorial pre_snapshot and fixes it with shlex.quote and one import', async () => {
    const problems = await checkShellInjection(file, tutorial);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.range, p.dvp]), [
      [UNQUOTED_SHELL_ARGUMENT, 'warning', at(tutorial, 'data_location', 1), false],
      [UNQUOTED_SHELL_ARGUMENT, 'warning', at(tutorial, 'stage_mount_path)'.slice(0, -1), 1), false],
    ]);
    assert.equal(problems[0].message, "'data_location' goes into a run_bash command unquoted. Wrap it in shlex.quote().");
    // The why is in the related information, at the run_bash call.
    assert.deepEqual(problems[0].related, [
      { file, range: at(tutorial, 'libs.run_bash'), message: "bash runs this command: a space, ;, |, &, $(...) or a backtick in the operation's input changes it" },
    ]);
    const fix = problems[1].data!.fixes![0];
    assert.equal(fix.title, 'Quote stage_mount_path with shlex.quote()');
    assert.equal(fix.preferred, true);
    assert.deepEqual(fix.edits, [
      { file, range: at(tutorial, 'stage_mount_path)'.slice(0, -1), 1), newText: 'shlex.quote(stage_mount_path)' },
      { file, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: 'import shlex\n' },
    ]);
    // Fix all: each fix carries the import; applied together it is added once.
    const fixed = apply(tutorial, fixAllEdits(problems, file));
    assert.equal(fixed.split('\n').filter((l) => /^import shlex$/.test(l)).length, 1);
    assert.match(fixed, /\nimport os\nimport shlex\n\nfrom dlpx/);
    assert.match(fixed, /rsync_command = "rsync -r \{\} \{\}"\.format\(shlex\.quote\(data_location\), shlex\.quote\(stage_mount_path\)\)/);
    assert.deepEqual(await checkShellInjection(file, fixed), []);
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: fixed });
    // What the fix makes is the bundled example's code.
    const example = fs.readFileSync(file, 'utf8');
    assert.equal(fixed.split('\n').slice(4).join('\n'), example.split('\n').slice(4).join('\n'));
  });

  it('the bundled example quotes its rsync arguments: no warning', async () => {
    assert.deepEqual(await checkShellInjection(file, fs.readFileSync(file, 'utf8')), []);
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

/**
 * Runs the `op` function of `module` in python3 with a stand-in `libs.run_bash` that runs each command
 * in real bash, where `args` prints each of its arguments as <...>; every input of the operation holds
 * `value`. Returns what each run_bash call printed.
 */
const VALUE = 'it\'s $(echo PWNED) `echo X` $HOME "q"  two';
function runCommands(module: string, value = VALUE): string[] {
  const harness = [
    'import json, subprocess',
    'class _Libs:',
    '    def __init__(self): self.out = []',
    '    def run_bash(self, connection, command):',
    `        r = subprocess.run(['bash', '-c', 'args() { for a in "$@"; do printf "<%s>" "$a"; done; echo; }; ' + command], capture_output=True, text=True, env={'HOME': '/home/h', 'PATH': '/usr/bin:/bin'})`,
    '        self.out.append(r.stdout.rstrip("\\n"))',
    'libs = _Libs()',
    'class _O: pass',
    `V = ${JSON.stringify(value)}`,
    'staged_source = _O(); staged_source.staged_connection = None; staged_source.parameters = _O(); staged_source.parameters.password = V',
    'source_config = _O(); source_config.path = V',
    'repository = _O(); repository.port = 5432',
  ].join('\n');
  const program = `${harness}\n${module}\nop(staged_source, repository, source_config, None)\nprint(json.dumps(libs.out))\n`;
  return JSON.parse(execFileSync('python3', ['-c', program], { encoding: 'utf8' }));
}

describe('shell injection rule: values inside hand-made quotes', () => {
  const V = `<${VALUE}>`;
  // [command expression, how the value is quoted (per flagged value), the fixed expression, what bash prints with the fix]
  const cases: [string, string[], string, string][] = [
    [`"args -p'%s' x" % pwd`, ['single'], `"args -p%s x" % shlex.quote(pwd)`, `<-p${VALUE}><x>`],
    [`"args '%s' '%s'" % (path, pwd)`, ['single', 'single'], `"args %s %s" % (shlex.quote(path), shlex.quote(pwd))`, `${V}${V}`],
    [`f"args '{path}/x' \\"{pwd}\\""`, ['single', 'double'], `f"args {shlex.quote(path)}'/x' {shlex.quote(pwd)}"`, `<${VALUE}/x>${V}`],
    [`"args '{}' {p}".format(path, p=pwd)`, ['single', 'none'], `"args {} {p}".format(shlex.quote(path), p=shlex.quote(pwd))`, `${V}${V}`],
    [`"args '" + path + "'"`, ['single'], `"args " + shlex.quote(path)`, V],
    [`"args 'a " + path + " b'"`, ['single'], `"args 'a '" + shlex.quote(path) + "' b'"`, `<a ${VALUE} b>`],
    [`'args "a %s b" %d' % (path, repository.port)`, ['double'], `'args "a "%s" b" %d' % (shlex.quote(path), repository.port)`, `<a ${VALUE} b><5432>`],
    [`'args \\'{0}\\' \\'{0}\\''.format(path)`, ['single'], `'args {0} {0}'.format(shlex.quote(path))`, `${V}${V}`],
    [`"args '%s@%s'" % (path, pwd)`, ['single', 'single'], `"args %s'@'%s" % (shlex.quote(path), shlex.quote(pwd))`, `<${VALUE}@${VALUE}>`],
    [`"args \\\\'%s" % path`, ['none'], `"args \\\\'%s" % shlex.quote(path)`, `<'${VALUE}>`],
    [`"""args '%(p)s' -n %(n)d""" % {"p": path, "n": repository.port}`, ['single'], `"""args %(p)s -n %(n)d""" % {"p": shlex.quote(path), "n": repository.port}`, `${V}<-n><5432>`],
    [`r"args '%s'" % path`, ['single'], `r"args %s" % shlex.quote(path)`, V],
  ];
  const module = (commands: string[], header = '') =>
    [
      header,
      'def op(staged_source, repository, source_config, optional_snapshot_parameters):',
      '    pwd = staged_source.parameters.password',
      '    path = source_config.path',
      ...commands.map((c) => `    libs.run_bash(staged_source.staged_connection, ${c})`),
      '',
    ].join('\n');

  it('says what is wrong for each form, and the fix replaces the quotes with shlex.quote', async () => {
    const text = module(cases.map((c) => c[0]));
    const problems = await checkShellInjection('/p/q.py', text);
    const lines = text.split('\n');
    const expected = cases.flatMap(([, kinds], i) => kinds.map((k) => [i, k]));
    assert.deepEqual(
      problems.map((p) => [lines.indexOf(lines[p.range.start.line]) - 4, p.message.includes('single quotes') ? 'single' : p.message.includes('double quotes') ? 'double' : 'none']),
      expected,
    );
    const single = problems.find((p) => p.message.includes('single quotes'))!;
    assert.equal(single.message, "'pwd' is in hand-made single quotes in a run_bash command: a ' in it ends them. Use shlex.quote() instead.");
    assert.equal(single.data!.fixes![0].title, 'Replace the quotes around pwd with shlex.quote()');
    const opening = text.indexOf("-p'") + 2;
    assert.deepEqual(single.related, [{ file: '/p/q.py', range: new LineIndex(text).range(opening, opening + 1), message: "a ' in the value closes this quote, and the rest of the value runs as shell code" }]);
    const double = problems.find((p) => p.message.includes('double quotes'))!;
    assert.equal(double.message, "'pwd' is in double quotes in a run_bash command: $(...), backticks and $VAR in it still run. Use shlex.quote() instead.");
    assert.equal(double.related![0].message, 'inside double quotes bash still runs $(...) and backticks and expands $VAR in the value');
    for (const p of problems) {
      assert.ok(!p.message.includes('without quoting') && !p.message.includes('`'), p.message);
      assert.ok(p.message.indexOf(' run_bash command') < 100, p.message);
    }

    const fixed = applyAll(text, problems);
    assert.deepEqual(fixed.split('\n').slice(5, -1).map((l) => l.replace('    libs.run_bash(staged_source.staged_connection, ', '').slice(0, -1)), cases.map((c) => c[2]));
    assert.equal(fixed.split('\n').filter((l) => l === 'import shlex').length, 1);
    assert.deepEqual(await checkShellInjection('/p/q.py', fixed), []);
    // In real bash, each value arrives as one argument, whatever it holds.
    assert.deepEqual(runCommands(fixed), cases.map((c) => c[3]));
  });

  it('the hand-made quotes really break: bash runs what the value holds', () => {
    // A ' ends the single quotes; in double quotes $(...), backticks and $HOME still run.
    assert.deepEqual(runCommands(module([`"args '%s'" % pwd`]), "x'; echo PWNED; echo '"), ['<x>\nPWNED']);
    assert.deepEqual(runCommands(module([`'args "%s"' % pwd`])), ['<it\'s PWNED X /home/h q  two>']);
  });

  it('uses the import the module has: import shlex as sx, from shlex import quote (as q); never a second import', async () => {
    for (const [header, callee] of [
      ['import shlex', 'shlex.quote'],
      ['import shlex as sx', 'sx.quote'],
      ['from shlex import quote', 'quote'],
      ['from shlex import quote as q', 'q'],
      ['from shlex import *', 'quote'],
      ['try:\n    from shlex import quote\nexcept ImportError:\n    from pipes import quote', 'quote'],
    ]) {
      const text = module([`"args '%s' %s" % (path, pwd)`], header);
      const problems = await checkShellInjection('/p/i.py', text);
      assert.equal(problems.length, 2, header);
      for (const p of problems) {
        assert.ok(p.message.endsWith(` ${callee}() instead.`) || p.message.endsWith(`Wrap it in ${callee}().`), `${header}: ${p.message}`);
        assert.ok(!p.data!.fixes![0].edits.some((e) => e.newText.includes('import')), header);
      }
      const fixed = applyAll(text, problems);
      assert.ok(fixed.includes(`"args %s %s" % (${callee}(path), ${callee}(pwd))`), fixed);
      assert.equal(fixed.split('\n').filter((l) => /^\s*(import shlex|from shlex)/.test(l)).length, header.split('\n').filter((l) => /^\s*(import shlex|from shlex)/.test(l)).length, header);
      assert.deepEqual(await checkShellInjection('/p/i.py', fixed), [], header);
      assert.deepEqual(runCommands(fixed), [`${V}${V}`], header);
    }
  });

  it('numbers cannot change the command; *args get the warning without an edit', async () => {
    const text = module([`"args %d {}".format(repository.port) % repository.port`, `"args {:d} %05.1f" .format(repository.port)`, `"args {} {}".format(*staged_source.parameters.items)`], 'import shlex');
    const problems = await checkShellInjection('/p/n.py', text);
    assert.deepEqual(problems.map((p) => [p.message, p.data]), [["The items of '*staged_source.parameters.items' go into a run_bash command as they are. Quote each with shlex.quote() first.", undefined]]);
  });

  it("the classic escape for single quotes, value.replace(\"'\", \"'\\\\''\"), is safe inside them: no warning", async () => {
    const escaped = `"args '%s'" % pwd.replace("'", "'\\\\''")`;
    const text = module([escaped, `"args '%s'" % pwd.replace("'", "")`, `'args "%s"' % pwd.replace("'", "'\\\\''")`], 'import shlex');
    const problems = await checkShellInjection('/p/e.py', text);
    // Only the other replace (it drops quotes, and $(...) still runs) and the escape used in double quotes are flagged.
    assert.deepEqual(problems.map((p) => [p.range.start.line, p.message.includes('single') ? 'single' : 'double']), [[5, 'single'], [6, 'double']]);
    assert.deepEqual(runCommands(module([escaped], 'import shlex')), [V]);
  });

  it('a command of 3,000 concatenated pieces (as deep as it is long) is read without overflowing the stack', async () => {
    const pieces = Array.from({ length: 1000 }, (_, i) => `"'" + v${i} + "'"`).join(' + ');
    const text = `import shlex\ndef op(c, ${Array.from({ length: 1000 }, (_, i) => `v${i}`).join(', ')}):\n    run_bash(c, "args " + ${pieces})\n`;
    const problems = await checkShellInjection('/p/deep.py', text);
    assert.equal(problems.length, 1000);
    assert.ok(problems.every((p) => p.message.includes('single quotes')));
    const fixed = applyAll(text, problems);
    assert.ok(fixed.includes(`run_bash(c, "args " + shlex.quote(v0) + shlex.quote(v1) + `), fixed.slice(0, 300));
    assert.deepEqual(await checkShellInjection('/p/deep.py', fixed), []);
  });

  it('an 80,000-element list and placeholders never closed are read without error, each once', async () => {
    const big = `[${Array.from({ length: 80_000 }, () => 'path').join(', ')}]`;
    const open = ' {a'.repeat(5_000);
    const text = module([`"args '%s' %s" % (path, ${big})`, `"args '{}'${open}".format(path)`, `"args '%(p)s${' %(q'.repeat(5_000)}" % {"p": path}`], 'import shlex');
    const problems = await checkShellInjection('/p/big.py', text);
    // The list is one value (flagged once); after an unclosed "{" or "%(" the rest is plain text.
    assert.deepEqual(problems.map((p) => [p.range.start.line, p.message.includes('single') ? 'single' : 'none']), [[4, 'single'], [4, 'none'], [5, 'single'], [6, 'single']]);
  });

  it('a quote the fix cannot write into a raw string of the same quote leaves the warning without a fix', async () => {
    const text = module([`r'args "a %s b"' % path`, `r'''args 'a %s b' ''' % path`]);
    const problems = await checkShellInjection('/p/r.py', text);
    assert.equal(problems.length, 2);
    assert.deepEqual(problems.map((p) => p.data?.fixes?.[0].edits.map((e) => e.newText)), [
      ['shlex.quote(path)', '"', '"', 'import shlex\n'],
      undefined,
    ]);
  });
});
