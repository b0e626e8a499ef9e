import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { buildModel } from '../../../core/model';
import { applyEdits, brief, load, rangeOfText, REPO } from './helpers';

const EXAMPLE = path.join(REPO, 'examples/first-plugin');

describe('python cross-check on examples/first-plugin', () => {
  test('the example plugin has no problems and implements its operations', async () => {
    const l = await load(EXAMPLE);
    const all = l.analyzer.allDiagnostics();
    assert.deepEqual([...all.keys()], [l.src('plugin_runner.py')]);
    assert.deepEqual(brief(all.get(l.src('plugin_runner.py'))!), []);
    // Each operation is found at its def line.
    const source = fs.readFileSync(l.src('plugin_runner.py'), 'utf8').split('\n');
    assert.deepEqual(
      l.analyzer.operations().map((o) => `${o.id} ${o.functionName} ${o.range.start.line}`),
      [
        'discovery.repository repository_discovery',
        'discovery.source_config source_config_discovery',
        'linked.mount_specification linked_mount_specification',
        'linked.pre_snapshot copy_data_from_source',
        'linked.post_snapshot linked_post_snapshot',
        'linked.status linked_status',
        'virtual.configure configure',
        'virtual.reconfigure reconfigure',
        'virtual.post_snapshot virtual_post_snapshot',
        'virtual.mount_specification virtual_mount_specification',
      ].map((op) => `${op} ${source.findIndex((line) => line.startsWith(`def ${op.split(' ')[1]}(`))}`),
    );
  });

  const injections: { name: string; from: string; to: string; nth?: number; code: string; bad: string; fix: string }[] = [
    { name: 'misspelt linked parameter', from: 'staged_source.parameters.mount_location', to: 'staged_source.parameters.mount_locaton', code: 'python.attribute.unknown', bad: 'mount_locaton', fix: 'Change to `mount_location`' },
    { name: 'misspelt source config attribute', from: 'source_config.path,', to: 'source_config.pth,', code: 'python.attribute.unknown', bad: 'pth', fix: 'Change to `path`' },
    { name: 'misspelt constructor keyword', from: 'SourceConfigDefinition(path=path', to: 'SourceConfigDefinition(paht=path', code: 'python.keyword.unknown', bad: 'paht', fix: 'Change to `path`' },
    { name: 'misspelt SDK attribute', from: 'virtual_source.parameters.mount_location\n    mount', to: 'virtual_source.paramters.mount_location\n    mount', code: 'python.sdkAttribute.unknown', bad: 'paramters', fix: 'Change to `parameters`' },
    { name: 'schema name used in Python', from: 'staged_source.parameters.source_address,', to: 'staged_source.parameters.sourceAddress,', code: 'python.attribute.unknown', bad: 'sourceAddress', fix: 'Change to `source_address`' },
  ];
  for (const inj of injections) {
    test(`injected mistake is reported where it is and its fix removes it: ${inj.name}`, async () => {
      const l = await load(EXAMPLE);
      const file = l.src('plugin_runner.py');
      const original = fs.readFileSync(file, 'utf8');
      assert.ok(original.includes(inj.from));
      const broken = original.replace(inj.from, inj.to);
      l.analyzer.update(file, broken);
      const problems = l.analyzer.diagnostics(file);
      assert.equal(problems.length, 1, brief(problems).join('\n'));
      const [p] = problems;
      assert.equal(p.code, inj.code);
      assert.equal(p.severity, 'error');
      const at = broken.indexOf(inj.to) + inj.to.indexOf(inj.bad);
      const start = rangeOfText(broken.slice(0, at) + '\u0000' + broken.slice(at + 1), '\u0000').start;
      assert.deepEqual(p.range, { start, end: { line: start.line, character: start.character + inj.bad.length } });
      const fix = p.data?.fixes?.find((f) => f.title === inj.fix);
      assert.ok(fix, `no fix "${inj.fix}" in ${JSON.stringify(p.data?.fixes)}`);
      assert.equal(fix.preferred, true);
      const fixed = applyEdits(new Map([[file, broken]]), fix.edits).get(file)!;
      assert.equal(fixed, original);
      l.analyzer.update(file, fixed);
      assert.deepEqual(l.analyzer.diagnostics(file), []);
    });
  }

  test('the add-property fix edits schema.json so the name the code uses exists', async () => {
    const l = await load(EXAMPLE);
    const file = l.src('plugin_runner.py');
    const broken = fs.readFileSync(file, 'utf8').replace('staged_source.parameters.username', 'staged_source.parameters.user_home');
    l.analyzer.update(file, broken);
    const [p] = l.analyzer.diagnostics(file);
    assert.equal(p.message, 'LinkedSourceDefinition has no attribute `user_home`: no property of linkedSourceDefinition in schema.json converts to it, so this raises AttributeError. Did you mean `username`?');
    const add = p.data!.fixes!.find((f) => f.title.startsWith('Add property'))!;
    assert.equal(add.title, 'Add property `userHome` to linkedSourceDefinition in schema.json');
    const schemaText = applyEdits(new Map(), add.edits).get(l.project.schemaFile)!;
    const schema = JSON.parse(schemaText);
    assert.deepEqual(schema.linkedSourceDefinition.properties.userHome, { type: 'string' });
    l.analyzer.setProject({ ...l.project, schemaText, model: buildModel(schema) });
    assert.deepEqual(l.analyzer.diagnostics(file), []);
  });
});
