import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildManifest, canonicalMigrationId } from '../../../core/build/manifest';
import { standardizeBuildNumber } from '../../../core/build/pluginConfig';
import { dumpPyJson, parsePyJson, PyNumber, PyObject, readPyJson } from '../../../core/pythonJson';
import { MANIFEST_KEYS } from '../../../core/sdk/operations';
import { createBuildCommand } from '../../../cli/commands/build';
import { command as generate } from '../../../cli/commands/generate';
import type { CliIO } from '../../../cli/io';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'build');

describe('buildManifest', () => {
  it('writes every key in dvp order, booleans, and sorted canonical platform migration ids', () => {
    const m = buildManifest([
      { operationId: 'virtual.initialize' },
      { operationId: 'plugin.linked.status()' },
      { operationId: 'upgrade.repository', migrationId: '10.0.0' },
      { operationId: 'upgrade.snapshot', migrationId: '2.01', migrationType: 'PLATFORM' },
      { operationId: 'upgrade.linked_source', migrationId: '9', migrationType: 'PLATFORM' },
      { operationId: 'upgrade.virtual_source', migrationId: '3.1', migrationType: 'LUA' },
      { operationId: 'upgrade.source_config', migrationId: 'x.y' },
      { operationId: 'nonsense.op' },
    ]);
    assert.deepEqual(Object.keys(m), ['type', ...MANIFEST_KEYS, 'migrationIdList']);
    assert.equal(m.type, 'PluginManifest');
    assert.equal(m.hasInitialize, true);
    assert.equal(m.hasLinkedStatus, true);
    assert.equal(m.hasVirtualStatus, false);
    assert.deepEqual(m.migrationIdList, ['2.1', '9', '10']);
  });

  it('canonicalises migration ids and build numbers as dvp does', () => {
    assert.equal(canonicalMigrationId('2019.10.01'), '2019.10.1');
    assert.equal(canonicalMigrationId('1.2.0'), '1.2');
    assert.equal(canonicalMigrationId('0.0'), undefined);
    assert.equal(canonicalMigrationId('1.a'), undefined);
    assert.equal(standardizeBuildNumber('0.1.0'), '0.1');
    assert.equal(standardizeBuildNumber('1.0.0'), '1');
    assert.equal(standardizeBuildNumber('1.0.01.0'), '1.0.1');
    assert.equal(standardizeBuildNumber('01.002.0'), '1.2');
  });
});

describe('Python JSON', () => {
  it('keeps float literals and dumps like json.dumps(indent=4)', () => {
    const v = parsePyJson('{"a": 1.0, "b": 1, "c": [], "d": {}, "e": "é\\u2028😀", "f": [1e20, 0.5, 1e-7]}');
    assert.ok(v instanceof PyObject);
    assert.ok(v.get('a') instanceof PyNumber);
    assert.equal(
      dumpPyJson(v, { indent: 4 }),
      '{\n    "a": 1.0,\n    "b": 1,\n    "c": [],\n    "d": {},\n    "e": "\\u00e9\\u2028\\ud83d\\ude00",\n    "f": [\n        1e+20,\n        0.5,\n        1e-07\n    ]\n}',
    );
  });

  it('reports the position of a JSON error as Python does', () => {
    const r = readPyJson('{\n  "a": 1,\n}');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.message, 'Expecting property name enclosed in double quotes: line 3 column 1 (char 12)');
    assert.deepEqual([r.error.line, r.error.column, r.error.offset], [3, 1, 12]);
  });
});

function fakeIO(cwd: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: process.env, out: (t) => stdout.push(t), err: (t) => stderr.push(t), signal: new AbortController().signal, stdout, stderr };
}

describe('CLI build / generate', () => {
  it('prints the check problems as file:line:col severity message and builds nothing on errors', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-build-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'direct'), root, { recursive: true });
      const cmd = createBuildCommand({
        validate: async (r) => [
          { file: path.join(r, 'schema.json'), range: { start: { line: 1, character: 4 }, end: { line: 1, character: 9 } }, severity: 'error', code: 'schema.x', message: 'broken', dvp: true },
          { file: path.join(r, 'plugin_config.yml'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, severity: 'warning', code: 'config.y', message: 'odd', dvp: false },
        ],
        findOperations: async () => [],
      });
      const io = fakeIO(root);
      assert.equal(await cmd.run(['--no-sdk-runtime'], io), 1);
      assert.deepEqual(io.stdout, ['plugin_config.yml:1:1 warning odd [config.y]\nschema.json:2:5 error broken [schema.x]']);
      assert.deepEqual(io.stderr, ['error: the plugin has 1 error and 1 warning; nothing was built.']);
      assert.equal(fs.existsSync(path.join(root, 'artifact.json')), false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('builds with progress, the artifact path, size and time; warnings do not block', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-build-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'direct'), root, { recursive: true });
      const cmd = createBuildCommand({ validate: async () => [], findOperations: async () => [{ operationId: 'virtual.configure' }] });
      const io = fakeIO(root);
      assert.equal(await cmd.run(['--no-sdk-runtime', '--output', 'x/a.json'], io), 0);
      assert.ok(io.stdout.includes('- Generating the definitions'));
      const artifactLine = io.stdout.find((l) => l.startsWith('Artifact: '));
      assert.match(artifactLine ?? '', new RegExp(`^Artifact: ${path.join(root, 'x', 'a.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+\\.\\d KiB\\)$`));
      assert.match(io.stdout[io.stdout.length - 1], /^Built in \d+\.\ds, but NOT uploadable \(see the warnings above\)\.$/);
      assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'x', 'a.json'), 'utf8')).manifest.hasVirtualConfigure, true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('generate (and build -g) refresh only srcDir/generated', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-gen-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'direct'), root, { recursive: true });
      fs.mkdirSync(path.join(root, 'code', 'generated', 'definitions'), { recursive: true });
      fs.writeFileSync(path.join(root, 'code', 'generated', 'definitions', 'stale.py'), 'x = 1\n');
      const io = fakeIO(root);
      assert.equal(await generate.run([], io), 0);
      assert.deepEqual(io.stdout, ['Generated 10 files in code/generated.']);
      assert.equal(fs.existsSync(path.join(root, 'code', 'generated', 'definitions', 'stale.py')), false);
      assert.deepEqual(fs.readdirSync(path.join(root, 'code')).sort(), ['generated', 'main.py']);
      assert.equal(await createBuildCommand().run(['-g'], io), 0);
      assert.equal(fs.existsSync(path.join(root, 'artifact.json')), false);
      await assert.rejects(createBuildCommand().run(['-g', '--output', 'a.json'], io), /--generate-only and --output cannot be used together/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
