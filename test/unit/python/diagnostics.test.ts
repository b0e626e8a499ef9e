import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brief, fixture, load, r } from './helpers';

describe('python cross-check diagnostics', () => {
  test('flows: mistakes are found through aliases, helpers in other modules, nested classes and migration dicts', async () => {
    const l = await load(fixture('flows'));
    const all = l.analyzer.allDiagnostics();
    assert.deepEqual(brief(l.analyzer.diagnostics(l.src('plugin_runner.py'))), [
      "python.attribute.unknown error 27:22-27:35 LinkedSourceDefinition has no attribute `mount_locaton`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `mount_location`?",
      "python.attribute.unknown error 36:49-36:54 LinkedSourceDefinitionConfigSettingsInner has no attribute `flagg`: no property of linkedSourceDefinition.configSettings.inner in schema.json converts to it, so this raises AttributeError. Did you mean `flag`?",
      "python.attribute.unknown error 61:78-61:90 SnapshotDefinition has no attribute `snapshot_tme`: no property of snapshotDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `snapshot_time`?",
      "python.migrationKey.unknown warning 76:56-76:68 'install_path' is the Python attribute name; upgrade migrations receive and return dicts keyed by the schema's property names, here 'installPath'.",
    ]);
    // helpers.copy_data(staged_source, ...) types `source`; describe(source.parameters) types `params`.
    assert.deepEqual(brief(l.analyzer.diagnostics(l.src('helpers.py'))), [
      "python.attribute.unknown error 4:32-4:45 LinkedSourceDefinition has no attribute `source_adress`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `source_address`?",
      "python.attribute.unknown error 11:42-11:55 LinkedSourceDefinition has no attribute `sorce_address`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `source_address`?",
    ]);
    // `from pkg import tools` then tools.log_params(staged_source.parameters).
    assert.deepEqual(brief(l.analyzer.diagnostics(l.src('pkg/tools.py'))), [
      "python.attribute.unknown error 4:61-4:74 LinkedSourceDefinition has no attribute `mountLocation`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `mount_location`?",
    ]);
    assert.deepEqual(all.get(l.src('pkg/formatting.py')), []);
    assert.deepEqual(all.get(l.src('pkg/__init__.py')), []);
    assert.equal(all.has(l.src('generated/definitions/__init__.py')), false);
    for (const ps of all.values()) for (const p of ps) assert.equal(p.dvp, false);
  });

  test('flows: quick fixes replace the name (preferred) and add the property to schema.json', async () => {
    const l = await load(fixture('flows'));
    const [p] = l.analyzer.diagnostics(l.src('plugin_runner.py'));
    assert.deepEqual(p.data?.fixes, [
      { title: 'Change to `mount_location`', preferred: true, edits: [{ file: l.src('plugin_runner.py'), range: r(27, 22, 27, 35), newText: 'mount_location' }] },
      {
        title: 'Add property `mountLocaton` to linkedSourceDefinition in schema.json',
        edits: [{ file: l.project.schemaFile, range: r(44, 70, 44, 70), newText: ',\n            "mountLocaton": { "type": "string" }' }],
      },
    ]);
    const key = l.analyzer.diagnostics(l.src('plugin_runner.py'))[3];
    assert.deepEqual(key.data?.fixes, [{ title: "Change to 'installPath'", preferred: true, edits: [{ file: l.src('plugin_runner.py'), range: r(76, 56, 76, 68), newText: 'installPath' }] }]);
  });

  test('operations: the checks dvp build makes and the runtime return and migration-id checks', async () => {
    const l = await load(fixture('operations'));
    const problems = l.analyzer.diagnostics(l.src('plugin_runner.py'));
    assert.deepEqual(brief(problems), [
      "python.import.unknown error 1:56-1:77 cannot import name 'RepositoryDefinitions' from generated.definitions: the schema gives no class of that name, so importing this module raises ImportError. Did you mean `RepositoryDefinition`?",
      "python.operation.missing warning 3:0-3:17 Implementation missing for required method virtual.reconfigure(). The Plugin Operation 'Virtual Source Reconfigure' will fail when executed.",
      "python.operation.missing warning 3:0-3:17 Implementation missing for required method virtual.post_snapshot(). The Plugin Operation 'Virtual Source Post Snapshot' will fail when executed.",
      "python.operation.missing warning 3:0-3:17 Implementation missing for required method virtual.mount_specification(). The Plugin Operation 'Virtual Source Mount Specification' will fail when executed.",
      "python.operation.returns error 8:11-8:52 discovery.repository() must return a list of RepositoryDefinition, but this returns a RepositoryDefinition: the SDK raises IncorrectReturnTypeError when the engine runs the operation.",
      "python.operation.returns error 13:11-13:54 discovery.source_config() must return a list of SourceConfigDefinition, but this returns a list holding a RepositoryDefinition: the SDK raises IncorrectReturnTypeError when the engine runs the operation.",
      "python.operation.argumentCount error 17:14-17:29 Number of arguments do not match in method mount_spec. Expected: ['staged_source', 'repository'], Found: ['staged_source']. The engine calls mount_spec with keyword arguments named staged_source, repository.",
      "python.operation.returns error 18:11-18:101 linked.mount_specification() must return a MountSpecification, but this returns a Mount: the SDK raises IncorrectReturnTypeError when the engine runs the operation.",
      "python.sdkAttribute.unknown error 18:76-18:85 StagedSource has no attribute `paramters`, so this raises AttributeError. Did you mean `parameters`?",
      "python.operation.argumentNames error 22:10-22:45 Named argument mismatch in method status. Expected: ['staged_source', 'repository', 'source_config'], Found: ['staged', 'repository', 'source_config']. The engine calls status with keyword arguments named staged_source, repository, source_config.",
      "python.operation.returns error 23:11-23:19 linked.status() must return a Status (Status.ACTIVE or Status.INACTIVE), but this returns a str: the SDK raises IncorrectReturnTypeError when the engine runs the operation.",
      "python.operation.returns error 28:11-28:13 linked.post_snapshot() must return a SnapshotDefinition, but this returns a dict: the SDK raises IncorrectReturnTypeError when the engine runs the operation.",
      "python.operation.duplicate error 31:1-31:28 An implementation for linked.post_snapshot() operation has already been defined (by post_snapshot): importing the module raises OperationAlreadyDefinedError, so `dvp build` fails.",
      "python.operation.noParentheses error 36:0-36:21 The decorator needs parentheses: @\u2026linked.worker(). Without them the SDK calls linked.worker() with the function as its argument and importing the module raises TypeError, so `dvp build` fails.",
      "python.sdkAttribute.unknown error 38:30-38:39 Mount has no attribute `mount_pth`, so this raises AttributeError. Did you mean `mount_path`?",
      "python.operation.unknown error 41:15-41:26 `presnapshot` is not an operation of plugin.linked: importing the module raises AttributeError, so `dvp build` fails. Did you mean `pre_snapshot`? Operations of linked: pre_snapshot, post_snapshot, start_staging, stop_staging, status, worker, mount_specification, source_size.",
      "python.operation.returns error 47:4-47:13 virtual.configure() must return a SourceConfigDefinition, but this returns None (it has no return statement): the SDK raises IncorrectReturnTypeError when the engine runs the operation.",
      "python.constructor.missingRequired error 48:4-48:24 The required parameter 'install_path' must not be 'None'. RepositoryDefinition() raises GeneratedClassesError here: property `installPath` is required in repositoryDefinition. Pass the value, or validate=False to build the object without the check.",
      "python.constructor.missingRequired error 52:4-52:24 The required parameter 'install_path' must not be 'None'. RepositoryDefinition() raises GeneratedClassesError here: property `installPath` is required in repositoryDefinition. Pass the value, or validate=False to build the object without the check.",
      "python.keyword.unknown error 53:25-53:36 `instal_path` is not a parameter of RepositoryDefinition(): no property of repositoryDefinition in schema.json converts to it, so the call raises TypeError. Did you mean `install_path`?",
      "python.migration.duplicate error 61:25-61:33 The migration id '01.0.0' used in the function 'upgrade_b' has the same canonical form '1' as another migration.",
      "python.migration.zero error 66:30-66:35 The migration id '0.0' used in the function 'upgrade_c' cannot be used because a 0 migration id is not allowed.",
      "python.migration.format error 71:30-71:35 The migration id 'abc' used in the function 'upgrade_d' does not follow the correct format '^\\d+(\\.\\d+)*$'.",
      "python.migration.notString error 76:31-76:32 The migration id '5' used in the function 'upgrade_e' should be a string.",
      "python.operation.returns error 78:11-78:15 upgrade.virtual_source() must return a dict, but this returns None: the SDK raises IncorrectUpgradeObjectTypeError when the engine runs the operation.",
    ]);
    const dvp = (code: string) => problems.find((p) => p.code === code)!.dvp;
    assert.equal(dvp('python.operation.missing'), true);
    assert.equal(dvp('python.operation.argumentCount'), true);
    assert.equal(dvp('python.operation.argumentNames'), true);
    assert.equal(dvp('python.operation.duplicate'), true);
    assert.equal(dvp('python.operation.returns'), false);
    assert.equal(dvp('python.constructor.missingRequired'), false);
    const dup = problems.find((p) => p.code === 'python.operation.duplicate')!;
    assert.deepEqual(dup.related, [{ file: l.src('plugin_runner.py'), range: r(26, 1, 26, 28), message: 'linked.post_snapshot() first implemented by post_snapshot' }]);
    const parens = problems.find((p) => p.code === 'python.operation.noParentheses')!;
    assert.deepEqual(parens.data?.fixes, [{ title: 'Add parentheses', preferred: true, edits: [{ file: l.src('plugin_runner.py'), range: r(36, 21, 36, 21), newText: '()' }] }]);
    const migration = problems.find((p) => p.code === 'python.migration.duplicate')!;
    assert.deepEqual(migration.related, [{ file: l.src('plugin_runner.py'), range: r(56, 27, 56, 32), message: 'migration 1.0 of upgrade_a' }]);
  });

  test('direct: operations of the other plugin type and DirectSource attributes', async () => {
    const l = await load(fixture('direct'));
    assert.deepEqual(brief(l.analyzer.diagnostics(l.src('main.py'))), [
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method discovery.repository(). The Plugin Operation 'Repository Discovery' will fail when executed.",
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method discovery.source_config(). The Plugin Operation 'Source Config Discovery' will fail when executed.",
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method linked.post_snapshot(). The Plugin Operation 'Linked Source Post Snapshot' will fail when executed.",
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method virtual.configure(). The Plugin Operation 'Virtual Source Configure' will fail when executed.",
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method virtual.reconfigure(). The Plugin Operation 'Virtual Source Reconfigure' will fail when executed.",
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method virtual.post_snapshot(). The Plugin Operation 'Virtual Source Post Snapshot' will fail when executed.",
      "python.operation.missing warning 3:0-3:24 Implementation missing for required method virtual.mount_specification(). The Plugin Operation 'Virtual Source Mount Specification' will fail when executed.",
      "python.sdkAttribute.unknown error 9:25-9:30 DirectSource has no attribute `mount`, so this raises AttributeError.",
      "python.operation.wrongPluginType error 12:1-12:41 linked.mount_specification() does not exist for DIRECT plugins (pluginType in plugin_config.yml). `dvp build` does not report it clearly: the import check fails on it and the plugin is built without its operations manifest.",
    ]);
  });

  test('clean: dynamic access, untypeable and reassigned names, list elements and self-set attributes are not flagged', async () => {
    const l = await load(fixture('clean'));
    const problems = l.analyzer.diagnostics(l.src('plugin_runner.py'));
    assert.deepEqual(brief(problems.filter((p) => p.code !== 'python.operation.missing')), [
      // shared() receives a LinkedSourceDefinition and a SourceConfigDefinition: the value may be either,
      // and the name is absent from both, so the read raises AttributeError whichever it holds.
      "python.attribute.unknown error 45:17-45:49 LinkedSourceDefinition has no attribute `not_checked_because_types_differ`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. (The value may also be a SourceConfigDefinition: none has it.)",
      "python.attribute.unknown information 49:22-49:33 RepositoryDefinition has no attribute `instal_path`: no property of repositoryDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `install_path`? (assumed from the name `repository`: its value could not be followed here, so this may be a false alarm)",
      "python.attribute.unknown warning 53:11-53:21 LinkedSourceDefinition has no attribute `mount_path`: no property of linkedSourceDefinition in schema.json converts to it, so the value set here is lost (to_dict() and the engine never see it).",
    ]);
    assert.equal(problems.filter((p) => p.code === 'python.operation.missing').length, 8);
  });
});

describe('python undefined names (the flake8 F821 check dvp build runs)', () => {
  test('names bound nowhere are errors; class bodies, globals, match captures and NameError guards are understood', async () => {
    const l = await load(fixture('names'));
    const problems = l.analyzer.diagnostics(l.src('plugin_runner.py')).filter((p) => p.code !== 'python.operation.missing');
    assert.deepEqual(brief(problems), [
      "python.undefinedName error 11:51-11:77 undefined name 'undefined_in_comprehension' (flake8 F821): `dvp build` fails on it, and running this line raises NameError.",
      "python.undefinedName error 18:15-18:22 undefined name 'DEFAULT' (flake8 F821): `dvp build` fails on it, and running this line raises NameError.",
      "python.undefinedName error 33:11-33:17 undefined name 'Stauts' (flake8 F821): `dvp build` fails on it, and running this line raises NameError.",
    ]);
    assert.ok(problems.every((p) => p.dvp));
  });
});

describe('python operations listing and entry point', () => {
  test('implemented operations carry function, place and migration ids (for the build manifest)', async () => {
    const l = await load(fixture('operations'));
    const ops = l.analyzer.operations();
    const f = l.src('plugin_runner.py');
    assert.deepEqual(ops.find((o) => o.id === 'linked.mount_specification'), { id: 'linked.mount_specification', functionName: 'mount_spec', file: f, range: r(17, 4, 17, 14) });
    assert.deepEqual(
      ops.filter((o) => o.id.startsWith('upgrade.')).map((o) => [o.id, o.functionName, o.migrationId, o.migrationType]),
      [
        ['upgrade.repository', 'upgrade_a', '1.0', 'PLATFORM'],
        ['upgrade.snapshot', 'upgrade_b', '01.0.0', 'PLATFORM'],
        ['upgrade.source_config', 'upgrade_c', '0.0', 'PLATFORM'],
        ['upgrade.linked_source', 'upgrade_d', 'abc', 'PLATFORM'],
        ['upgrade.virtual_source', 'upgrade_e', '5', 'PLATFORM'],
      ],
    );
    // `linked.presnapshot` is no operation; both post_snapshot decorations are listed as dvp imports them.
    assert.equal(ops.some((o) => o.id === 'linked.presnapshot'), false);
    assert.equal(ops.filter((o) => o.id === 'linked.post_snapshot').length, 2);
    assert.deepEqual(l.analyzer.entryPoint(), { ok: true, moduleFile: f });
  });

  test('an entry point naming nothing is explained as dvp build would', async () => {
    const l = await load(fixture('operations'));
    l.analyzer.setProject({ ...l.project, entryPoint: 'plugin_runner:my_plugin' });
    assert.deepEqual(l.analyzer.entryPoint(), {
      ok: false,
      moduleFile: l.src('plugin_runner.py'),
      message: "Entry point 'plugin_runner:my_plugin' does not exist. 'my_plugin' is not a symbol in module 'plugin_runner'.",
    });
    l.analyzer.setProject({ ...l.project, entryPoint: 'runner:plugin' });
    assert.equal(l.analyzer.entryPoint().ok, false);
    // Without an entry plugin the operations are still typed, but no missing-operation warning has a place.
    assert.equal(l.analyzer.diagnostics(l.src('plugin_runner.py')).some((p) => p.code === 'python.operation.missing'), false);
    assert.equal(l.analyzer.diagnostics(l.src('plugin_runner.py')).some((p) => p.code === 'python.sdkAttribute.unknown'), true);
  });
});

describe('python flow through return values and closures', () => {
  test('a helper in a package returns staged_source.parameters; a nested function reads the enclosing argument', async () => {
    const l = await load(fixture('returns'));
    const problems = l.analyzer.diagnostics(l.src('plugin_runner.py')).filter((p) => p.code !== 'python.operation.missing');
    assert.deepEqual(brief(problems), [
      'python.attribute.unknown error 9:12-9:25 LinkedSourceDefinition has no attribute `mount_locaton`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `mount_location`?',
      'python.attribute.unknown error 12:40-12:53 LinkedSourceDefinition has no attribute `source_adress`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `source_address`?',
    ]);
    assert.deepEqual(l.analyzer.diagnostics(l.src('util/params.py')), []);
  });
});
