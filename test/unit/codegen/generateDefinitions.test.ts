import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateDefinitions } from '../../../core/codegen/generateDefinitions';
import { writeGeneratedDefinitions } from '../../../core/codegen/writeDefinitions';
import { BASE_MODEL_PY, GENERATED_PACKAGE_INIT, UTIL_PY } from '../../../core/codegen/pythonRuntime';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'codegen');
const CASES = fs.readdirSync(FIXTURES).filter((c) => fs.existsSync(path.join(FIXTURES, c, 'schema.json'))).sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('generateDefinitions golden files', () => {
  it('has the cases the brief asks for', () => {
    assert.deepEqual(CASES, ['arrays_of_objects', 'enums', 'every_type', 'flat', 'maps', 'names', 'nested', 'patterns_minmax']);
  });

  for (const c of CASES) {
    it(`${c}: writes exactly the expected modules`, () => {
      const r = generateDefinitions(fs.readFileSync(path.join(FIXTURES, c, 'schema.json'), 'utf8'));
      assert.equal(r.problems, undefined);
      const byPath = new Map(r.files.map((f) => [f.path, f.content]));
      assert.equal(byPath.get('generated/__init__.py'), GENERATED_PACKAGE_INIT);
      assert.equal(byPath.get('generated/util.py'), UTIL_PY);
      assert.equal(byPath.get('generated/definitions/base_model_.py'), BASE_MODEL_PY);
      const expectedDir = path.join(FIXTURES, c, 'expected');
      const expected = fs.readdirSync(expectedDir).sort();
      const actual = r.files.map((f) => f.path).filter((p) => p.startsWith('generated/definitions/') && !p.endsWith('base_model_.py')).map((p) => p.slice('generated/definitions/'.length)).sort();
      assert.deepEqual(actual, expected);
      for (const name of expected) assert.equal(byPath.get(`generated/definitions/${name}`), fs.readFileSync(path.join(expectedDir, name), 'utf8'), `${c}/${name}`);
    });

    it(`${c}: the generated classes behave as the SDK's (python3)`, async () => {
      const src = path.join(tmp, c);
      fs.mkdirSync(src, { recursive: true });
      const w = await writeGeneratedDefinitions(src, fs.readFileSync(path.join(FIXTURES, c, 'schema.json'), 'utf8'));
      assert.equal(w.problems, undefined);
      const out = execFileSync('python3', [path.join(FIXTURES, c, 'check.py')], {
        cwd: src,
        env: { ...process.env, PYTHONPATH: src, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(out, 'OK\n');
    });
  }
});

describe('generateDefinitions problems', () => {
  it('reports quirks that break the generated module, and still writes it as codegen does', () => {
    const r = generateDefinitions({
      linkedSourceDefinition: {
        type: 'object',
        properties: {
          async: { type: 'string' },
          fooBar: { type: 'string' },
          foo_bar: { type: 'string' },
          validate: { type: 'boolean' },
          quote: { type: 'string', default: "it's" },
          blob: { type: 'string', format: 'byte' },
        },
      },
    });
    assert.deepEqual(r.problems, [
      "LinkedSourceDefinition: the property 'async' cannot be used: it converts to `async`, a Python keyword, so the generated module does not import (SyntaxError).",
      "LinkedSourceDefinition: the properties 'fooBar' and 'foo_bar' both become the attribute 'foo_bar' (a duplicate argument: the module does not import).",
      "LinkedSourceDefinition: the property 'validate' becomes 'validate', which clashes with the constructor's own validate argument.",
      "LinkedSourceDefinition: the default of 'quote' contains a quote ('), which codegen writes unescaped (the module does not import).",
      "LinkedSourceDefinition: 'blob' has format byte, which codegen maps to an undefined type ByteArray (NameError when the class is used).",
    ]);
    assert.ok(r.files.some((f) => f.path === 'generated/definitions/linked_source_definition.py'));
  });

  it('fails like codegen on a /-pattern without a closing slash, and on bad input', () => {
    assert.deepEqual(generateDefinitions({ d: { type: 'object', properties: { p: { type: 'string', pattern: '/abc' } } } }), {
      files: [],
      problems: ["Code generation fails on the pattern \"/abc\" of 'p' in `d`: a pattern that starts with '/' is read as /regex/flags and needs a closing '/'."],
    });
    assert.deepEqual(generateDefinitions('{"a": '), { files: [], problems: ['schema.json is not valid JSON (Expecting value: line 1 column 7 (char 6)).'] });
    assert.deepEqual(generateDefinitions([1]), { files: [], problems: ['schema.json must hold a JSON object whose keys are the plugin definitions.'] });
    assert.deepEqual(generateDefinitions({ snapshotDefinition: true }), { files: [], problems: ["The definition 'snapshotDefinition' must be a JSON object (a schema); codegen cannot make a class from true."] });
  });

  it('prints bounds as the schema text wrote them when given the text', () => {
    const text = '{"d": {"type": "object", "properties": {"n": {"type": "number", "minimum": 10.0}}}}';
    const fromValue = generateDefinitions(JSON.parse(text)).files.find((f) => f.path.endsWith('/d.py'))!.content;
    const withText = generateDefinitions(JSON.parse(text), { schemaText: text }).files.find((f) => f.path.endsWith('/d.py'))!.content;
    assert.match(fromValue, /if n is not None and n < 10:/);
    assert.match(withText, /if n is not None and n < 10\.0:/);
  });
});

describe('writeGeneratedDefinitions', () => {
  it('replaces srcDir/generated atomically and touches nothing else', async () => {
    const src = path.join(tmp, 'swap');
    fs.mkdirSync(path.join(src, 'generated', 'definitions'), { recursive: true });
    fs.writeFileSync(path.join(src, 'generated', 'definitions', 'old_class.py'), 'x = 1\n');
    fs.writeFileSync(path.join(src, 'plugin_runner.py'), 'print(1)\n');
    const w = await writeGeneratedDefinitions(src, { snapshotDefinition: { type: 'object', properties: { a: { type: 'string' } } } });
    assert.deepEqual(w.written.map((f) => path.relative(src, f)).sort(), [
      'generated/__init__.py', 'generated/definitions/__init__.py', 'generated/definitions/base_model_.py',
      'generated/definitions/snapshot_definition.py', 'generated/util.py',
    ]);
    assert.deepEqual(fs.readdirSync(src).sort(), ['generated', 'plugin_runner.py']);
    assert.equal(fs.existsSync(path.join(src, 'generated', 'definitions', 'old_class.py')), false);
    assert.equal(fs.readFileSync(path.join(src, 'plugin_runner.py'), 'utf8'), 'print(1)\n');
  });

  it('leaves the previous package when codegen fails', async () => {
    const src = path.join(tmp, 'keep');
    fs.mkdirSync(path.join(src, 'generated'), { recursive: true });
    fs.writeFileSync(path.join(src, 'generated', 'marker.py'), '');
    const w = await writeGeneratedDefinitions(src, '{broken');
    assert.deepEqual(w.written, []);
    assert.equal(w.problems?.length, 1);
    assert.deepEqual(fs.readdirSync(src), ['generated']);
    assert.deepEqual(fs.readdirSync(path.join(src, 'generated')), ['marker.py']);
  });
});
