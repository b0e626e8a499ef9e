import assert from 'node:assert/strict';
import * as fs from 'fs';
import { describe, test } from 'node:test';
import { applyEdits, fixture, load, posOf, r } from './helpers';

describe('python language features over schema names', () => {
  test('hover on a generated attribute and on a generated class import', async () => {
    const l = await load(fixture('flows'));
    const f = l.src('plugin_runner.py');
    const t = fs.readFileSync(f, 'utf8');
    assert.deepEqual(l.analyzer.hover(f, posOf(t, 'install_path', 2)), {
      range: r(16, 33, 16, 45),
      markdown:
        '**install_path**: schema property `installPath` of `RepositoryDefinition`\n\nType: `string` (Python `str`), required  \nPretty name: Install Path  \nIn schema.json: `repositoryDefinition.installPath`\n\nWhere the database software lives',
    });
    assert.deepEqual(l.analyzer.hover(f, posOf(t, 'LinkedSourceDefinitionConfigSettings,', 3)), {
      range: r(3, 4, 3, 40),
      markdown: '**class LinkedSourceDefinitionConfigSettings**: generated from `linkedSourceDefinition.configSettings` in schema.json\n\n- `deep_value`: `int`\n- `inner`: `LinkedSourceDefinitionConfigSettingsInner`',
    });
    assert.equal(l.analyzer.hover(f, posOf(t, 'print', 1)), undefined);
    // An unknown name has no schema property to describe.
    assert.equal(l.analyzer.hover(f, posOf(t, 'mount_locaton', 1)), undefined);
  });

  test('go to definition lands on the schema key, also for nested properties and keyword arguments', async () => {
    const l = await load(fixture('flows'));
    const f = l.src('plugin_runner.py');
    const t = fs.readFileSync(f, 'utf8');
    assert.deepEqual(l.analyzer.definition(f, posOf(t, 'install_path', 2)), [{ file: l.project.schemaFile, range: r(5, 13, 5, 24) }]);
    assert.deepEqual(l.analyzer.definition(f, posOf(t, 'deep_value', 2)), [{ file: l.project.schemaFile, range: r(36, 21, 36, 30) }]);
    assert.deepEqual(l.analyzer.definition(f, posOf(t, 'item_name', 1)), [{ file: l.project.schemaFile, range: r(42, 62, 42, 70) }]);
    // Migration dicts use schema keys; the key string leads to the same property.
    assert.deepEqual(l.analyzer.definition(f, posOf(t, '"installPath"', 2)), [{ file: l.project.schemaFile, range: r(5, 13, 5, 24) }]);
    assert.deepEqual(l.analyzer.definition(f, posOf(t, 'RepositoryDefinition,', 2)), [{ file: l.project.schemaFile, range: r(1, 5, 1, 25) }]);
    assert.deepEqual(l.analyzer.definition(f, posOf(t, 'print', 2)), []);
  });

  test('references from a schema key (and from its required entry) reach every module', async () => {
    const l = await load(fixture('flows'));
    const schema = fs.readFileSync(l.project.schemaFile, 'utf8');
    const expected = [
      { file: l.project.schemaFile, range: r(31, 13, 31, 26) },
      { file: l.src('helpers.py'), range: r(11, 18, 11, 32) },
      { file: l.src('pkg/tools.py'), range: r(4, 38, 4, 52) },
    ];
    assert.deepEqual(l.analyzer.references(l.project.schemaFile, posOf(schema, '"mountLocation"', 3, 2)), expected);
    assert.deepEqual(l.analyzer.references(l.project.schemaFile, posOf(schema, '"mountLocation"', 3, 1)), expected);
    assert.deepEqual(l.analyzer.references(l.src('helpers.py'), { line: 11, character: 20 }, false), expected.slice(1));
  });

  test('rename from Python keeps the key style and renames schema key, required, identityFields and all uses', async () => {
    const l = await load(fixture('flows'));
    const f = l.src('plugin_runner.py');
    const t = fs.readFileSync(f, 'utf8');
    assert.deepEqual(l.analyzer.prepareRename(f, posOf(t, 'install_path', 2)), { range: r(16, 33, 16, 45), placeholder: 'install_path' });
    const result = l.analyzer.rename(f, posOf(t, 'install_path', 2), 'home_path');
    assert.ok('edits' in result);
    const s = l.project.schemaFile;
    assert.deepEqual(result.edits, [
      { file: s, range: r(5, 12, 5, 25), newText: '"homePath"' },
      { file: s, range: r(3, 21, 3, 34), newText: '"homePath"' },
      { file: s, range: r(9, 27, 9, 40), newText: '"homePath"' },
      { file: f, range: r(16, 33, 16, 45), newText: 'home_path' },
      { file: f, range: r(21, 78, 21, 90), newText: 'home_path' },
      { file: f, range: r(76, 20, 76, 31), newText: 'homePath' },
    ]);
    // Applying the edits and re-analysing leaves no new problem behind.
    const texts = applyEdits(new Map(), result.edits);
    const before = l.analyzer.diagnostics(f).length;
    for (const [file, text] of texts) l.files.set(file, text, 2);
    l.analyzer.setProject({ ...l.project, schemaText: texts.get(s)!, model: (await import('../../../core/model')).buildModel(JSON.parse(texts.get(s)!)) });
    l.analyzer.update(f, texts.get(f));
    assert.equal(l.analyzer.diagnostics(f).length, before);
    assert.deepEqual(l.analyzer.definition(f, posOf(texts.get(f)!, 'home_path', 2)), [{ file: s, range: r(5, 13, 5, 21) }]);
  });

  test('rename from schema.json changes the Python name by codegen rules; bad renames explain why', async () => {
    const l = await load(fixture('flows'));
    const s = l.project.schemaFile;
    const schema = fs.readFileSync(s, 'utf8');
    const f = l.src('plugin_runner.py');
    const t = fs.readFileSync(f, 'utf8');
    const result = l.analyzer.rename(s, posOf(schema, '"installPath"', 3), 'homeURL');
    assert.ok('edits' in result);
    assert.deepEqual(result.edits.slice(3).map((e) => e.newText), ['home_url', 'home_url', 'homeURL']);
    assert.deepEqual(l.analyzer.prepareRename(s, posOf(schema, '"installPath"', 3, 1)), { range: r(5, 13, 5, 24), placeholder: 'installPath' });
    assert.deepEqual(l.analyzer.rename(f, posOf(t, 'install_path', 2), 'name'), {
      error: 'RepositoryDefinition already has `name` (Python `name`); renaming would make two properties with one name.',
    });
    assert.deepEqual(l.analyzer.rename(f, posOf(t, 'install_path', 2), 'home-path'), { error: '`home-path` is not a valid Python identifier.' });
    assert.deepEqual(l.analyzer.rename(f, posOf(t, 'install_path', 2), 'Home'), {
      error: 'No schema key converts to `Home` (codegen\'s snake_case conversion cannot produce it); choose another name.',
    });
    assert.deepEqual(l.analyzer.rename(s, posOf(schema, '"installPath"', 3), 'async'), {
      error: '`async` cannot be used: it converts to `async`, a Python keyword, so the generated module does not import (SyntaxError).',
    });
    assert.deepEqual(l.analyzer.prepareRename(f, posOf(t, 'print', 2)), {
      error: '`print` is not a name generated from schema.json; only generated attributes, constructor keywords and migration keys can be renamed together with the schema.',
    });
    assert.deepEqual(l.analyzer.prepareRename(f, posOf(t, 'mount_locaton', 2)), {
      error: '`mount_locaton` is not a property of LinkedSourceDefinition, so there is nothing in schema.json to rename.',
    });
    assert.deepEqual(l.analyzer.prepareRename(f, posOf(t, 'RepositoryDefinition,', 2)), {
      error: 'RepositoryDefinition is a generated class name; rename the definition in schema.json instead.',
    });
  });

  test('completion of generated and SDK attributes, constructor keywords, migration keys and operations', async () => {
    const l = await load(fixture('flows'));
    const f = l.src('plugin_runner.py');
    const t0 = fs.readFileSync(f, 'utf8');
    const complete = (after: string, insert: string) => {
      const i = t0.indexOf(after) + after.length;
      const t = t0.slice(0, i) + insert + t0.slice(i);
      l.analyzer.update(f, t);
      return l.analyzer.completions(f, posOf(t, insert, insert.length));
    };
    const labels = (items: { label: string }[]) => items.map((i) => i.label);
    const anchor = '    params = staged_source.parameters\n';

    const params = complete(anchor, '    x = staged_source.parameters.');
    assert.deepEqual(labels(params), ['mount_location', 'source_address', 'config_settings', 'items_list', 'tags']);
    assert.deepEqual(params[0], {
      label: 'mount_location',
      kind: 'property',
      detail: 'str (required) · LinkedSourceDefinition.mountLocation',
      documentation:
        '**mount_location**: schema property `mountLocation` of `LinkedSourceDefinition`\n\nType: `string (format unixpath)` (Python `str`), required  \nPretty name: Mount Location  \nIn schema.json: `linkedSourceDefinition.mountLocation`\n\nWhere to mount on the staging host',
      insertText: 'mount_location',
      range: r(27, 33, 27, 33),
      sortText: '0mount_location',
    });
    assert.deepEqual(labels(complete(anchor, '    x = params.config_settings.')), ['deep_value', 'inner']);
    assert.deepEqual(labels(complete(anchor, '    x = params.config_settings.inner.fl')), ['flag']);
    const sdk = complete(anchor, '    x = staged_source.');
    assert.deepEqual(labels(sdk), ['guid', 'source_connection', 'parameters', 'mount', 'staged_connection', 'mounts']);
    assert.equal(sdk[2].detail, 'StagedSource.parameters: LinkedSourceDefinition');
    assert.equal(sdk[5].detail, 'StagedSource.mounts: List[Mount]');
    const env = complete(anchor, '    x = staged_source.staged_connection.environment.ho');
    assert.deepEqual(labels(env), ['name', 'reference', 'host']);
    assert.deepEqual(env[0].range, r(27, 52, 27, 54));
    assert.deepEqual(labels(complete(anchor, '    x = repository.')), ['install_path', 'name']);
    const kw = complete(anchor, '    x = RepositoryDefinition(install_path="/opt", ');
    assert.deepEqual(kw.map((i) => [i.label, i.insertText]), [['name=', 'name=']]);
    assert.deepEqual(labels(complete(anchor, '    x = LinkedSourceDefinitionItemsList(')), ['item_name=']);
    const keys = complete('    old_repository["installPath"] = old_repository.pop("install_path", "/opt")\n', '    x = old_repository["');
    assert.deepEqual(keys.map((i) => [i.label, i.kind]), [['installPath', 'value'], ['name', 'value']]);
    assert.deepEqual(labels(complete('@plugin.linked.status()\n', '@plugin.linked.')), ['pre_snapshot', 'post_snapshot', 'start_staging', 'stop_staging', 'status', 'worker', 'mount_specification', 'source_size']);
    assert.deepEqual(complete(anchor, '    x = os.'), []);
  });
});
