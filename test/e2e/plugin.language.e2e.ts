// Runs in workspace test/fixtures/e2e/plugin/: the cross-check between schema.json and the Python code
// as the editor shows it, through the same commands VS Code's UI uses (diagnostics, quick fixes,
// hover, go to definition, find references, rename, completion, code lenses).
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SyncReport } from '../../core/sync';
import {
  analysedDiagnostics,
  codeOf,
  delphixDiagnostics,
  delphixErrors,
  describeDiagnostics,
  JSON_SENTINEL,
  offsetOf,
  openEditor,
  positionOf,
  PYTHON_SENTINEL,
  rangeOf,
  removeCreated,
  restoreAndSave,
  serverOrSkip,
  waitFor,
  waitForPlugin,
  workspaceFile,
  workspaceRoot,
} from './helpers';

const runner = () => workspaceFile('src', 'plugin_runner.py');
const schema = () => workspaceFile('schema.json');

/** The text of a hover's contents, whatever form each part has. */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

function locationsOf(result: (vscode.Location | vscode.LocationLink)[] | undefined): vscode.Location[] {
  return (result ?? []).map((l) => ('targetUri' in l ? new vscode.Location(l.targetUri, l.targetSelectionRange ?? l.targetRange) : l));
}

const show = (l: vscode.Location) => `${path.basename(l.uri.fsPath)}:${l.range.start.line + 1}:${l.range.start.character + 1}-${l.range.end.line + 1}:${l.range.end.character + 1}`;

/** The range of the key `key` (without its quotes) as a property of `definition` in schema.json. */
function schemaKeyRange(document: vscode.TextDocument, definition: string, key: string): vscode.Range {
  const text = document.getText();
  const inDefinition = offsetOf(text, `"${definition}"`);
  const properties = offsetOf(text, '"properties"', 1, inDefinition);
  const at = offsetOf(text, `"${key}": {`, 1, properties) + 1;
  return new vscode.Range(document.positionAt(at), document.positionAt(at + key.length));
}

suite('plugin workspace: language features', () => {
  let original: string;
  let originalSchema: string;
  const sandbox = () => path.join(workspaceRoot().fsPath, '.delphix', 'sandbox');
  let hadSandbox = false;

  suiteSetup(async () => {
    original = fs.readFileSync(runner().fsPath, 'utf8');
    originalSchema = fs.readFileSync(schema().fsPath, 'utf8');
    hadSandbox = fs.existsSync(sandbox());
  });

  teardown(async () => {
    // Every test puts the files back as they were, even when it failed half-way.
    for (const [uri, text] of [
      [runner(), original],
      [schema(), originalSchema],
    ] as const) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document && (document.isDirty || document.getText() !== text)) await restoreAndSave(document, text);
    }
  });

  suiteTeardown(() => removeCreated(sandbox(), hadSandbox));

  test('a mistyped staged_source.parameters.mount_locaton gets a delphix error at its exact range, and its quick fix repairs it', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const editor = await openEditor(runner());
    const document = editor.document;
    const word = rangeOf(document, 'mount_location', 1, offsetOf(original, 'staged_source.parameters.mount_location'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, word, 'mount_locaton');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typo = new vscode.Range(word.start, word.start.translate(0, 'mount_locaton'.length));

    const diagnostic = await waitFor(
      'a delphix error on mount_locaton',
      () => delphixDiagnostics(document.uri).find((d) => d.message.includes('mount_locaton')),
      { describe: () => describeDiagnostics(document.uri) },
    );
    assert.equal(codeOf(diagnostic), 'python.attribute.unknown');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(diagnostic.range.isEqual(typo), `range ${JSON.stringify(diagnostic.range)} is not ${JSON.stringify(typo)}`);
    assert.equal(
      diagnostic.message,
      'LinkedSourceDefinition has no attribute `mount_locaton`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `mount_location`?',
    );
    assert.deepEqual(
      delphixErrors(document.uri).map((d) => d.message),
      [diagnostic.message],
      'the typo is the only error in the file',
    );

    const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, typo)) ?? [];
    const fixes = actions.filter((a): a is vscode.CodeAction => 'edit' in a || 'kind' in a);
    const fix = fixes.find((a) => a.title === 'Change to `mount_location`');
    assert.ok(fix, `no "Change to \`mount_location\`" among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit, 'the quick fix carries its edit');
    const edits = fix.edit.get(document.uri);
    assert.equal(edits.length, 1);
    assert.ok(edits[0].range.isEqual(typo));
    assert.equal(edits[0].newText, 'mount_location');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), original, 'the fix gives back the original text');
    await waitFor('the error to go after the quick fix', () => !delphixDiagnostics(document.uri).some((d) => d.message.includes('mount_locaton')), {
      describe: () => describeDiagnostics(document.uri),
    });
  });

  test('hover on a generated name shows its schema property and prettyName', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const document = (await openEditor(runner())).document;
    const word = rangeOf(document, 'mount_location', 1, offsetOf(original, 'staged_source.parameters.mount_location'));
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, word.start.translate(0, 3))) ?? [];
    const text = hoverText(hovers);
    assert.match(text, /\*\*mount_location\*\*: schema property `mountLocation` of `LinkedSourceDefinition`/, text);
    assert.match(text, /Pretty name: Mount Location on Staging Host/, text);
    assert.match(text, /In schema.json: `linkedSourceDefinition\.mountLocation`/, text);
    assert.match(text, /Where to mount storage onto the staging host while syncing/, text);
    const ours = hovers.find((h) => hoverText([h]).includes('mountLocation'));
    assert.ok(ours?.range?.isEqual(word), `hover range ${JSON.stringify(ours?.range)} is the word`);
  });

  test('go to definition on a generated name lands on the linkedSourceDefinition key in schema.json', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const document = (await openEditor(runner())).document;
    const at = positionOf(document, 'mount_location', 1, 2, offsetOf(original, 'staged_source.parameters.mount_location'));
    const found = locationsOf(
      await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, at),
    );
    const schemaDocument = await vscode.workspace.openTextDocument(schema());
    const key = schemaKeyRange(schemaDocument, 'linkedSourceDefinition', 'mountLocation');
    assert.deepEqual(found.map(show), [show(new vscode.Location(schema(), key))]);
    assert.equal(schemaDocument.getText(found[0].range), 'mountLocation');
  });

  test('find references from a schema key reaches its uses in the Python code', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const schemaDocument = (await openEditor(schema())).document;
    const runnerDocument = await vscode.workspace.openTextDocument(runner());
    const key = schemaKeyRange(schemaDocument, 'linkedSourceDefinition', 'sourceAddress');
    const found = locationsOf(
      await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', schema(), key.start.translate(0, 4)),
    );
    const expected = [
      new vscode.Location(schema(), key),
      new vscode.Location(runner(), rangeOf(runnerDocument, 'source_address', 1)),
      new vscode.Location(runner(), rangeOf(runnerDocument, 'source_address', 2)),
    ];
    assert.deepEqual(found.map(show).sort(), expected.map(show).sort());
  });

  test('renaming sourceAddress to sourceHost in schema.json renames the Python uses to source_host', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const schemaDocument = (await openEditor(schema())).document;
    const runnerDocument = await vscode.workspace.openTextDocument(runner());
    const key = schemaKeyRange(schemaDocument, 'linkedSourceDefinition', 'sourceAddress');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', schema(), key.start.translate(0, 2), 'sourceHost');
    assert.ok(edit, 'the rename provider answers');
    const byFile = new Map(edit.entries().map(([uri, edits]) => [path.relative(workspaceRoot().fsPath, uri.fsPath), edits]));
    // The sync profile's linkedSource value is renamed too, so the next sync still validates.
    const profileRel = path.join('.delphix', 'sync', 'local.json');
    assert.deepEqual([...byFile.keys()].sort(), [profileRel, 'schema.json', path.join('src', 'plugin_runner.py')]);
    assert.deepEqual(byFile.get(profileRel)!.map((e) => e.newText), ['"sourceHost"']);
    const schemaEdits = byFile.get('schema.json')!.map((e) => `${schemaDocument.getText(e.range)} -> ${e.newText}`).sort();
    // The property key and its entry in `required`.
    assert.deepEqual(schemaEdits, ['"sourceAddress" -> "sourceHost"', '"sourceAddress" -> "sourceHost"']);
    const pythonEdits = byFile.get(path.join('src', 'plugin_runner.py'))!;
    assert.deepEqual(
      pythonEdits.map((e) => `${e.range.start.line}:${e.range.start.character} ${runnerDocument.getText(e.range)} -> ${e.newText}`).sort(),
      [rangeOf(runnerDocument, 'source_address', 1), rangeOf(runnerDocument, 'source_address', 2)]
        .map((r) => `${r.start.line}:${r.start.character} source_address -> source_host`)
        .sort(),
    );

    // Applied, the plugin stays consistent: no delphix error in either file.
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(schemaDocument.getText().includes('"sourceHost": {'));
    assert.equal(runnerDocument.getText().split('source_host').length - 1, 2);
    const pythonAfter = await analysedDiagnostics(runnerDocument, PYTHON_SENTINEL);
    assert.deepEqual(pythonAfter.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);
    const schemaAfter = await analysedDiagnostics(schemaDocument, JSON_SENTINEL);
    assert.deepEqual(schemaAfter.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);
  });

  test('after renaming sourceAddress to sourceHost, the sync profile still fits the schema (and a sync still works)', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const profileUri = workspaceFile('.delphix', 'sync', 'local.json');
    const profileBefore = fs.readFileSync(profileUri.fsPath, 'utf8');
    const schemaDocument = (await openEditor(schema())).document;
    const key = schemaKeyRange(schemaDocument, 'linkedSourceDefinition', 'sourceAddress');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', schema(), key.start.translate(0, 2), 'sourceHost');
    assert.ok(edit);
    try {
      assert.ok(await vscode.workspace.applyEdit(edit));
      // The whole plugin (sync profiles included) is analysed once the schema is.
      await analysedDiagnostics(schemaDocument, JSON_SENTINEL);
      const profileErrors = delphixErrors(profileUri);
      const touched = edit.entries().map(([uri]) => path.relative(workspaceRoot().fsPath, uri.fsPath)).sort();
      assert.deepEqual(
        profileErrors.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`),
        [],
        `the rename edited only ${touched.join(', ')}; the sync profile .delphix/sync/local.json now has errors`,
      );
    } finally {
      const profileDocument = vscode.workspace.textDocuments.find((d) => d.uri.toString() === profileUri.toString());
      if (profileDocument) await restoreAndSave(profileDocument, profileBefore);
      else fs.writeFileSync(profileUri.fsPath, profileBefore);
    }
  });

  test('completion after staged_source.parameters. offers exactly the generated names', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const document = (await openEditor(runner())).document;
    // A new line in linked_mount_specification(staged_source, repository), typed up to the dot.
    const line = positionOf(document, 'mount_location = staged_source.parameters.mount_location').line;
    const typed = '    probe = staged_source.parameters.';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(line + 1, 0), `${typed}\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const at = new vscode.Position(line + 1, typed.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at, '.');
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    // Snippets and words of the file come from VS Code itself; the rest is the language server's.
    const names = (list?.items ?? [])
      .filter((i) => i.kind !== vscode.CompletionItemKind.Snippet && i.kind !== vscode.CompletionItemKind.Text)
      .map(label)
      .sort();
    assert.deepEqual(names, ['mount_location', 'source_address', 'username']);
    const username = list.items.find((i) => label(i) === 'username')!;
    const doc = typeof username.documentation === 'string' ? username.documentation : username.documentation?.value ?? '';
    assert.match(`${username.detail ?? ''}\n${doc}`, /Username on Source Host|username/);
  });

  test('code lenses "Run sync" and "Debug sync" stand above @plugin.linked.pre_snapshot(), and Run sync syncs', async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const document = (await openEditor(runner())).document;
    let lenses: vscode.CodeLens[] = [];
    await waitFor(
      'the sync code lenses',
      async () => {
        lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10)) ?? []).filter((l) =>
          l.command?.command.startsWith('delphix.'),
        );
        return lenses.length > 0;
      },
      { describe: () => JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title])) },
    );
    const lineOf = (text: string) => positionOf(document, text).line;
    const args = JSON.stringify([workspaceRoot().fsPath]);
    const describe = (l: vscode.CodeLens, line = l.range.start.line) => `${line} ${l.command?.title} ${l.command?.command} ${JSON.stringify(l.command?.arguments)}`;
    const decorators = ['@plugin.linked.mount_specification()', '@plugin.linked.pre_snapshot()', '@plugin.linked.post_snapshot()'];
    const expected = decorators.flatMap((decorator) => [
      `${lineOf(decorator)} $(sync) Run sync (simulated) delphix.syncDSource ${args}`,
      `${lineOf(decorator)} $(debug-alt) Debug sync delphix.debugSync ${args}`,
    ]);
    // Two lenses per linked operation of a sync, whichever line of the operation they sit on...
    const operationOf = (line: number) => decorators.map(lineOf).find((d) => line === d || line === d + 1);
    assert.deepEqual(lenses.map((l) => describe(l, operationOf(l.range.start.line) ?? -1)).sort(), expected.slice().sort());

    // ...and clicking "Run sync" runs the command with the lens's arguments.
    const run = lenses.find((l) => l.command?.command === 'delphix.syncDSource')!;
    const report = await vscode.commands.executeCommand<SyncReport>(run.command!.command, ...(run.command!.arguments ?? []));
    assert.equal(report?.ok, true, `the sync of the lens failed: ${JSON.stringify(report?.error)}`);
    assert.equal(report.profile, 'local', 'the only profile is used without asking');

    // A lens shows above the line it is on: on the `def` line it would split the decorator from its function.
    assert.deepEqual(
      lenses.map((l) => describe(l)).sort(),
      expected.slice().sort(),
      `lenses at (0-based) lines ${lenses.map((l) => l.range.start.line).join(', ')}; decorators at ${decorators.map(lineOf).join(', ')}`,
    );
  });
});

suite('messages in the Problems view (issue 18)', () => {
  test("a typo in required: one plain, short finding in schema.json, with its explanation and rule link, none in the sync profile", async function () {
    const ext = await serverOrSkip(this);
    await waitForPlugin(ext, workspaceRoot());
    const profileUri = workspaceFile('.delphix', 'sync', 'local.json');
    const schemaDocument = (await openEditor(schema())).document;
    const before = schemaDocument.getText();
    try {
      const typo = before.replace('"required": ["sourceAddress", "username", "mountLocation"]', '"required": ["sourceAddress", "usernme", "mountLocation"]');
      assert.notEqual(typo, before, 'the example lists username as required');
      await restoreAndSave(schemaDocument, typo);
      const diagnostics = await analysedDiagnostics(schemaDocument, JSON_SENTINEL);
      const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((d) => d.message), ["'usernme' is not a property of linkedSourceDefinition; did you mean 'username'?"]);
      const [d] = errors;
      assert.equal(codeOf(d), 'schema.required.unknown');
      const code = d.code as { value: string; target: vscode.Uri };
      assert.match(code.target.toString(), /\/docs\/rules\.md#schema\.required\.unknown$/);
      assert.equal(d.relatedInformation?.length, 1);
      assert.match(d.relatedInformation![0].message, /^'required' of linkedSourceDefinition lists a name that is not one of its properties/);
      assert.ok(!d.relatedInformation![0].message.includes(d.message), 'the explanation does not repeat the message');
      // The profile the author never touched stays clean.
      assert.deepEqual(delphixErrors(profileUri).map((x) => x.message), []);
    } finally {
      await restoreAndSave(schemaDocument, before);
    }
  });
});
