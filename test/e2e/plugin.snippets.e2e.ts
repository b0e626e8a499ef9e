// Runs in workspace test/fixtures/e2e/plugin/: the extension's snippets, inserted the way the editor
// inserts them (editor.action.insertSnippet by language and snippet name), must give code the
// cross-check accepts: the operation's parameters as the SDK calls them, names the schema generates.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  analysedDiagnostics,
  codeOf,
  JSON_SENTINEL,
  offsetOf,
  openEditor,
  PYTHON_SENTINEL,
  restoreAndSave,
  serverOrSkip,
  studioApi,
  waitFor,
  waitForPlugin,
  workspaceFile,
  workspaceRoot,
} from './helpers';

const runner = () => workspaceFile('src', 'plugin_runner.py');
const schema = () => workspaceFile('schema.json');

/** Codes of the cross-check about an operation's signature and the names it uses. */
const NAME_CODES = /^python\.(operation\.(argumentNames|argumentCount|unknown|wrongPluginType|duplicate)|attribute\.unknown|keyword\.unknown|sdkAttribute\.unknown)$/;

const describe = (list: vscode.Diagnostic[]) => list.map((d) => `[${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1}] ${d.message}`).join(' | ');

/** Replaces the tutorial's pre_snapshot function (decorator to last line) by the snippet `name`. */
async function replacePreSnapshotWithSnippet(editor: vscode.TextEditor, name: string): Promise<string> {
  const text = editor.document.getText();
  const start = offsetOf(text, '@plugin.linked.pre_snapshot()');
  const end = offsetOf(text, '\n\n\n@plugin.linked.post_snapshot()', 1, start);
  editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(end));
  const before = editor.document.version;
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'python', name });
  await waitFor(`the snippet "${name}" to be inserted`, () => editor.document.version > before);
  await vscode.commands.executeCommand('leaveSnippet');
  return editor.document.getText();
}

suite('plugin workspace: snippets', () => {
  let original: string;
  let originalSchema: string;

  suiteSetup(() => {
    original = fs.readFileSync(runner().fsPath, 'utf8');
    originalSchema = fs.readFileSync(schema().fsPath, 'utf8');
  });

  teardown(async () => {
    for (const [uri, text] of [
      [runner(), original],
      [schema(), originalSchema],
    ] as const) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document && (document.isDirty || document.getText() !== text)) await restoreAndSave(document, text);
    }
  });

  test('the "linked.pre_snapshot (STAGED)" snippet gives an operation the cross-check accepts', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const editor = await openEditor(runner());
    const text = await replacePreSnapshotWithSnippet(editor, 'linked.pre_snapshot (STAGED)');
    assert.ok(
      text.includes(
        '@plugin.linked.pre_snapshot()\ndef linked_pre_snapshot(staged_source, repository, source_config, optional_snapshot_parameters):\n    pass\n',
      ),
      `the snippet text is in the file:\n${text.slice(offsetOf(text, '@plugin.linked.pre_snapshot()') - 10, offsetOf(text, '@plugin.linked.post_snapshot()'))}`,
    );
    const diagnostics = await analysedDiagnostics(editor.document, PYTHON_SENTINEL);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.filter((d) => NAME_CODES.test(codeOf(d))).map((d) => d.message), [], describe(errors));
    assert.deepEqual(errors.map((d) => d.message), [], `no error at all: ${describe(errors)}`);
  });

  test('the "linked.pre_snapshot with rsync (tutorial)" snippet uses only parameter and schema names that exist', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const editor = await openEditor(runner());
    const text = await replacePreSnapshotWithSnippet(editor, 'linked.pre_snapshot with rsync (tutorial)');
    assert.ok(text.includes('def copy_data_from_source(staged_source, repository, source_config, optional_snapshot_parameters):'));
    assert.ok(text.includes('staged_source.parameters.source_address'));
    const diagnostics = await analysedDiagnostics(editor.document, PYTHON_SENTINEL);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.filter((d) => NAME_CODES.test(codeOf(d))).map((d) => d.message), [], describe(errors));
  });

  test('the "linked.pre_snapshot with rsync (tutorial)" snippet in a module without `import shlex` leaves no error once its import is added by the quick fix', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const editor = await openEditor(runner());
    // The example already imports shlex (it quotes its rsync arguments); the tutorial's module does not.
    const importLine = offsetOf(editor.document.getText(), 'import shlex\n');
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(editor.document.positionAt(importLine), editor.document.positionAt(importLine + 'import shlex\n'.length)))));
    await replacePreSnapshotWithSnippet(editor, 'linked.pre_snapshot with rsync (tutorial)');
    const diagnostics = await analysedDiagnostics(editor.document, PYTHON_SENTINEL);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    // The snippet quotes with shlex; the module has no `import shlex` now, and the fix adds it.
    assert.deepEqual([...new Set(errors.map((d) => d.message))], ["undefined name 'shlex' (flake8 F821): `dvp build` fails on it, and running this line raises NameError."], describe(errors));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, errors[0].range);
    const fix = actions.find((a) => a.title === 'Add `import shlex`');
    assert.ok(fix?.edit, `quick fixes offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.ok(editor.document.getText().includes('\nimport shlex\n'));
    await waitFor('no error after the import fix', () => !vscode.languages.getDiagnostics(editor.document.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source === 'delphix'));
  });

  test('the schema snippet "string property" adds a property the schema check accepts', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const editor = await openEditor(schema());
    const text = editor.document.getText();
    // Inside the empty `"properties": {}` of snapshotDefinition.
    const inside = offsetOf(text, '"properties": {}', 1, offsetOf(text, '"snapshotDefinition"')) + '"properties": {'.length;
    editor.selection = new vscode.Selection(editor.document.positionAt(inside), editor.document.positionAt(inside));
    const before = editor.document.version;
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'json', name: 'string property' });
    await waitFor('the schema snippet to be inserted', () => editor.document.version > before);
    await vscode.commands.executeCommand('leaveSnippet');
    const after = editor.document.getText();
    assert.ok(
      after.includes('"properties": {"propertyName": { "type": "string", "prettyName": "Label", "description": "Help text" }}'),
      `the snippet is in snapshotDefinition: ${after.slice(inside - 40, inside + 120)}`,
    );
    const parsed = JSON.parse(after) as { snapshotDefinition: { properties: Record<string, unknown> } };
    assert.deepEqual(parsed.snapshotDefinition.properties, { propertyName: { type: 'string', prettyName: 'Label', description: 'Help text' } });
    const diagnostics = await analysedDiagnostics(editor.document, JSON_SENTINEL);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => d.message), [], describe(errors));
    // The plugin as a whole (what the status bar shows) has no errors either.
    const api = studioApi(ext);
    await waitFor('the plugin to report 0 errors', async () => (await api.plugins()).find((p) => p.root === workspaceRoot().fsPath)?.errors === 0);
  });
});
