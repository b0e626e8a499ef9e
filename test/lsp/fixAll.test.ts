// Protocol test of "fix all" (source.fixAll, what editor.codeActionsOnSave runs): the real bundled
// server, the example plugin with the SDK tutorial's own plugin_runner.py (rsync arguments unquoted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LspTestClient, REPO_ROOT, fileUri } from '../support/lspClient';
import { LineIndex } from '../../core/text';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'first-plugin');
const TUTORIAL = path.join(REPO_ROOT, 'test', 'fixtures', 'shell-quoting', 'tutorial_plugin_runner.py');
let dir: string;
let runner: string;
let client: LspTestClient;

interface Edit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}
interface Action {
  title: string;
  kind?: string;
  edit?: { changes: Record<string, Edit[]> };
}

function apply(text: string, edits: Edit[]): string {
  const index = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

const codeActions = (only: string[] | undefined, diagnostics: unknown[] = []) =>
  client.request<Action[]>('textDocument/codeAction', {
    textDocument: { uri: fileUri(runner) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: only ? { diagnostics, only } : { diagnostics },
  });

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-fixall-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  runner = path.join(dir, 'src', 'plugin_runner.py');
  fs.copyFileSync(TUTORIAL, runner);
  client = new LspTestClient();
  const init = (await client.initialize(dir)) as { capabilities: { codeActionProvider: { codeActionKinds: string[] } } };
  assert.deepEqual(init.capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll']);
});

after(async () => {
  await client.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('source.fixAll quotes both rsync arguments of the tutorial and adds one import shlex; the result is clean', async () => {
  const text = fs.readFileSync(runner, 'utf8');
  client.open(runner, text, 'python');
  const warnings = await client.waitFor('the two shell-quoting warnings', () => {
    const d = client.diagnosticsFor(runner)?.filter((x) => x.code === 'python.unquotedShellArgument');
    return d && d.length === 2 ? d : undefined;
  });
  // Each quick fix on its own adds the import too: applied together they must not add it twice.
  for (const w of warnings) {
    const [quick] = await codeActions(['quickfix'], [w]);
    assert.ok(quick.edit!.changes[fileUri(runner)].some((e) => e.newText === 'import shlex\n'), quick.title);
  }
  assert.deepEqual(await codeActions(['quickfix']), [], 'no diagnostics in the request: no quick fix');

  const all = await codeActions(['source.fixAll']);
  assert.deepEqual(all.map((a) => [a.title, a.kind]), [['Fix all Delphix problems', 'source.fixAll']]);
  // A client asking for every source action gets it too; a lightbulb request (no filter) does not.
  assert.equal((await codeActions(['source'])).length, 1);
  assert.deepEqual(await codeActions(undefined), []);

  const edits = all[0].edit!.changes[fileUri(runner)];
  const fixed = apply(text, edits);
  assert.equal(fixed.split('\n').filter((l) => l === 'import shlex').length, 1, fixed);
  assert.match(fixed, /\nimport os\nimport shlex\n\nfrom dlpx/);
  assert.match(fixed, /rsync_command = "rsync -r \{\} \{\}"\.format\(shlex\.quote\(data_location\), shlex\.quote\(stage_mount_path\)\)/);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: fixed });
  // The fixed file is the example's own code, apart from the header comment.
  const example = fs.readFileSync(path.join(EXAMPLE, 'src', 'plugin_runner.py'), 'utf8');
  assert.equal(fixed.split('\n').slice(4).join('\n'), example.split('\n').slice(4).join('\n'));

  client.change(runner, fixed);
  await client.waitFor('no warning left', () => (client.diagnosticsFor(runner)?.length === 0 ? true : undefined));
  assert.deepEqual(await codeActions(['source.fixAll']), [], 'nothing left to fix: no action');
  client.close(runner);
});
