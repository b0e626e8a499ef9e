import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as yauzl from 'yauzl';
import { buildArtifact, type BuildOptions } from '../../../core/build/artifact';
import type { ManifestOperation } from '../../../core/build/manifest';
import { writeSdkWheelhouse } from './wheelhouse';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'build');

let tmp: string;
let wheelhouse: string;
let sharedCache: string;

function copyFixture(name: string): string {
  const dest = fs.mkdtempSync(path.join(tmp, `${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dest, { recursive: true });
  return dest;
}

function options(extra: Partial<BuildOptions> = {}): BuildOptions {
  return { pip: { noIndex: true, findLinks: [wheelhouse] }, cacheDir: sharedCache, ...extra };
}

function zipEntries(base64: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(base64, 'base64'), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => p.split(path.sep).join('/'));
}

const STAGED_OPS: ManifestOperation[] = [
  { operationId: 'discovery.repository' },
  { operationId: 'discovery.source_config' },
  { operationId: 'linked.pre_snapshot' },
  { operationId: 'linked.post_snapshot' },
  { operationId: 'linked.mount_specification' },
  { operationId: 'virtual.configure' },
  { operationId: 'upgrade.repository', migrationId: '2019.10.01', migrationType: 'PLATFORM' },
  { operationId: 'upgrade.snapshot', migrationId: '2.0', migrationType: 'PLATFORM' },
  { operationId: 'upgrade.source_config', migrationId: '1.0', migrationType: 'LUA' },
];

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
  wheelhouse = path.join(tmp, 'wheels');
  await writeSdkWheelhouse(wheelhouse);
  sharedCache = path.join(tmp, 'cache');
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('buildArtifact', { timeout: 180_000 }, () => {
  it('builds a STAGED artifact with dvp keys, order, values and source zip', async () => {
    const root = copyFixture('staged');
    const r = await buildArtifact({ pluginRoot: root, operations: STAGED_OPS }, options());
    assert.deepEqual(r.errors, []);
    assert.equal(r.ok, true);
    assert.equal(r.uploadable, true);
    assert.equal(r.pythonVersion?.startsWith('3.11.'), true);
    const file = path.join(root, 'artifact.json');
    assert.equal(r.artifactPath, file);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(r.size, Buffer.byteLength(text));
    // Byte for byte what Python's json.dump(indent=4) writes (ASCII only, floats kept as 1.0).
    const pythonDump = execFileSync('python3', ['-c', 'import json,sys; t=open(sys.argv[1]).read(); sys.stdout.write(json.dumps(json.loads(t), indent=4))', file], { encoding: 'utf8' });
    assert.equal(text, pythonDump);
    assert.match(text, /"prettyName": "Name \\u2013 \\u00fcn\\u00efcode"/);
    assert.match(text, /"maximum": 65535\.0/);
    assert.match(text, /"default": 1\.0/);
    assert.match(text, /"name": "Staged Caf\\u00e9"/);

    const a = JSON.parse(text);
    assert.deepEqual(Object.keys(a), [
      'type', 'pluginId', 'name', 'defaultLocale', 'language', 'hostTypes', 'entryPoint', 'buildNumber', 'buildApi',
      'engineApi', 'rootSquashEnabled', 'sourceCode', 'virtualSourceDefinition', 'linkedSourceDefinition',
      'discoveryDefinition', 'snapshotSchema', 'snapshotParametersDefinition', 'manifest', 'externalVersion',
      'extendedStartStopHooks',
    ]);
    assert.equal(a.type, 'Plugin');
    assert.equal(a.pluginId, '7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a');
    assert.equal(a.name, 'Staged Café');
    assert.equal(a.defaultLocale, 'en-us');
    assert.equal(a.language, 'PYTHON311');
    assert.deepEqual(a.hostTypes, ['UNIX']);
    assert.equal(a.entryPoint, 'plugin_runner:plugin');
    assert.equal(a.buildNumber, '1.2');
    assert.deepEqual(a.buildApi, { type: 'APIVersion', major: 1, minor: 9, micro: 0 });
    assert.deepEqual(a.engineApi, { type: 'APIVersion', major: 1, minor: 11, micro: 16 });
    assert.equal(a.rootSquashEnabled, true);
    assert.deepEqual(a.virtualSourceDefinition, {
      type: 'PluginVirtualSourceDefinition',
      parameters: { type: 'object', properties: { mountLocation: { type: 'string', format: 'unixpath' } } },
    });
    assert.equal(a.linkedSourceDefinition.type, 'PluginLinkedStagedSourceDefinition');
    assert.deepEqual(a.linkedSourceDefinition.parameters.properties.credentials, { $ref: 'https://delphix.com/platform/api#/definitions/credentialsSupplier' });
    assert.deepEqual(Object.keys(a.discoveryDefinition), [
      'type', 'manualSourceConfigDiscovery', 'repositoryIdentityFields', 'repositoryNameField', 'repositorySchema',
      'sourceConfigIdentityFields', 'sourceConfigNameField', 'sourceConfigSchema',
    ]);
    assert.equal(a.discoveryDefinition.manualSourceConfigDiscovery, true);
    assert.deepEqual(a.discoveryDefinition.repositoryIdentityFields, ['name']);
    assert.equal(a.discoveryDefinition.repositoryNameField, 'name');
    assert.deepEqual(a.discoveryDefinition.repositorySchema, { type: 'object', properties: { name: { type: 'string', prettyName: 'Name – ünïcode' } } });
    assert.deepEqual(Object.keys(a.discoveryDefinition.sourceConfigSchema), ['type', 'required', 'properties']);
    assert.deepEqual(a.snapshotSchema, { type: 'object', properties: {} });
    assert.deepEqual(a.snapshotParametersDefinition, {
      type: 'PluginSnapshotParametersDefinition',
      schema: { type: 'object', properties: { resync: { type: 'boolean', default: false } } },
    });
    assert.deepEqual(a.manifest, {
      type: 'PluginManifest',
      hasRepositoryDiscovery: true, hasSourceConfigDiscovery: true, hasLinkedPreSnapshot: true, hasLinkedPostSnapshot: true,
      hasLinkedStartStaging: false, hasLinkedStopStaging: false, hasLinkedStatus: false, hasLinkedWorker: false,
      hasLinkedMountSpecification: true, hasLinkedSourceSize: false, hasVirtualConfigure: true, hasVirtualUnconfigure: false,
      hasVirtualReconfigure: false, hasVirtualCleanup: false, hasVirtualStart: false, hasVirtualStop: false,
      hasVirtualPreSnapshot: false, hasVirtualPostSnapshot: false, hasVirtualMountSpecification: false,
      hasVirtualStatus: false, hasInitialize: false, hasVirtualSourceSize: false,
      migrationIdList: ['2', '2019.10.1'],
    });
    assert.equal(a.externalVersion, '2.0');
    assert.equal(a.extendedStartStopHooks, false);

    const zip = await zipEntries(a.sourceCode);
    const names = [...zip.keys()];
    assert.deepEqual(names.filter((n) => n.endsWith('.py')), []);
    for (const n of [
      'plugin_runner.pyc', '__pycache__/plugin_runner.cpython-311.pyc', 'helpers/__init__.pyc', 'helpers/util.pyc',
      'helpers/__pycache__/util.cpython-311.pyc', 'helpers/template.txt', 'generated/__init__.pyc', 'generated/util.pyc',
      'generated/definitions/__init__.pyc', 'generated/definitions/base_model_.pyc',
      'generated/definitions/linked_source_definition.pyc', 'generated/definitions/__pycache__/repository_definition.cpython-311.pyc',
      'dlpx/virtualization/platform/__init__.pyc', 'dlpx/virtualization/libs/__init__.pyc', 'dlpx/virtualization/common/__init__.pyc',
      'dlpx/virtualization/api/__init__.pyc', 'dlpx/virtualization/platform/__pycache__/__init__.cpython-311.pyc',
      'google/__pycache__/__init__.cpython-311.pyc', 'google/protobuf/__pycache__/json_format.cpython-311.pyc',
      'dvp_platform-5.0.1.dist-info/METADATA', 'protobuf-3.20.3.dist-info/RECORD',
    ]) {
      assert.ok(zip.has(n), `${n} in the zip`);
    }
    assert.equal(zip.get('helpers/template.txt')!.toString(), 'some resource\n');
    assert.equal(names.some((n) => n.startsWith('/') || n.startsWith('./') || n.includes('\\')), false);
    assert.deepEqual(r.sourceFiles, names.slice().sort());
    assert.equal(names.some((n) => n.includes('.delphix-sdk-runtime')), false);

    // The author's tree: generated/ refreshed, no compiled files.
    const src = walk(path.join(root, 'src'));
    assert.deepEqual(src.filter((p) => p.endsWith('.pyc') || p.includes('__pycache__')), []);
    assert.ok(src.includes('generated/definitions/linked_source_definition.py'));
    // The cached runtime carries dvp's post-steps.
    const cached = fs.readdirSync(sharedCache).filter((d) => !d.startsWith('.'));
    assert.equal(cached.length, 1);
    const entry = path.join(sharedCache, cached[0]);
    assert.equal(fs.readFileSync(path.join(entry, 'google', '__init__.py'), 'utf8'), '');
    const jsonFormat = fs.readFileSync(path.join(entry, 'google', 'protobuf', 'json_format.py'), 'utf8');
    assert.equal(jsonFormat.includes('_UNPAIRED_SURROGATE_PATTERN'), false);
    assert.equal(jsonFormat.includes('def parse_text(value):\n  return value'), true);
  });

  it('builds a DIRECT artifact with the optional config keys where dvp puts them', async () => {
    const root = copyFixture('direct');
    const out = path.join(root, 'out', 'plugin.json');
    const r = await buildArtifact({ pluginRoot: root, operations: [{ operationId: 'linked.post_snapshot' }] }, options({ outputFile: out }));
    assert.deepEqual(r.errors, []);
    assert.equal(r.artifactPath, out);
    assert.equal(fs.existsSync(path.join(root, 'artifact.json')), false);
    const a = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(Object.keys(a).slice(-4), ['manifest', 'luaName', 'extendedStartStopHooks', 'minimumLuaVersion']);
    assert.equal('externalVersion' in a, false);
    assert.equal(a.defaultLocale, 'fr');
    assert.deepEqual(a.hostTypes, ['WINDOWS']);
    assert.equal(a.buildNumber, '3');
    assert.equal(a.rootSquashEnabled, false);
    assert.equal(a.linkedSourceDefinition.type, 'PluginLinkedDirectSourceDefinition');
    assert.deepEqual(a.linkedSourceDefinition.parameters, { type: 'object', properties: {} });
    assert.equal(a.discoveryDefinition.manualSourceConfigDiscovery, false);
    assert.deepEqual(a.discoveryDefinition.sourceConfigSchema, { type: 'object', properties: { name: { type: 'string' } } });
    assert.deepEqual(a.snapshotSchema, { type: 'object' });
    assert.equal(a.luaName, 'my_lua');
    assert.equal(a.extendedStartStopHooks, true);
    assert.equal(a.minimumLuaVersion, '1.2');
    assert.equal(a.manifest.hasLinkedPostSnapshot, true);
    assert.deepEqual(a.manifest.migrationIdList, []);
    const zip = await zipEntries(a.sourceCode);
    assert.ok(zip.has('main.pyc'));
    assert.ok(zip.has('generated/definitions/virtual_source_definition.pyc'));
  });

  it('installs the SDK runtime once and reuses the cache on the next build', async () => {
    const root = copyFixture('direct');
    const counter = path.join(tmp, 'pip-runs');
    const wrapper = path.join(tmp, 'python-counting');
    fs.writeFileSync(wrapper, '#!/bin/sh\ncase " $* " in *" -m pip "*) echo run >> "$PIP_RUNS_FILE";; esac\nexec python3 "$@"\n', { mode: 0o755 });
    const cacheDir = path.join(tmp, 'cache-reuse');
    const env = { ...process.env, PIP_RUNS_FILE: counter };
    const first = await buildArtifact({ pluginRoot: root, operations: [] }, options({ cacheDir, python: wrapper, env }));
    assert.deepEqual(first.errors, []);
    assert.equal(first.runtime, 'installed');
    assert.equal(fs.readFileSync(counter, 'utf8'), 'run\n');
    const second = await buildArtifact({ pluginRoot: root, operations: [] }, options({ cacheDir, python: wrapper, env }));
    assert.deepEqual(second.errors, []);
    assert.equal(second.runtime, 'cached');
    assert.equal(fs.readFileSync(counter, 'utf8'), 'run\n');
    const zip = await zipEntries(JSON.parse(fs.readFileSync(path.join(root, 'artifact.json'), 'utf8')).sourceCode);
    assert.ok(zip.has('dlpx/virtualization/platform/__init__.pyc'));
  });

  it('fails with pip\'s last lines and the settings to fix when pip cannot get the runtime, leaving the old artifact', async () => {
    const root = copyFixture('staged');
    const previous = path.join(root, 'artifact.json');
    fs.writeFileSync(previous, '{"previous": true}\n');
    const before = fs.statSync(previous).mtimeMs;
    const empty = fs.mkdtempSync(path.join(tmp, 'no-wheels-'));
    const r = await buildArtifact(
      { pluginRoot: root, operations: [] },
      { pip: { noIndex: true, findLinks: [empty] }, cacheDir: path.join(tmp, 'cache-fail') },
    );
    assert.equal(r.ok, false);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /^pip could not install the SDK runtime \(dvp-common==5\.0\.1, dvp-libs==5\.0\.1, dvp-platform==5\.0\.1\)/);
    assert.match(r.errors[0], /No matching distribution found for dvp-common==5\.0\.1/);
    assert.match(r.errors[0], /delphix\.build\.pip\.findLinks \(CLI --find-links DIR\)/);
    assert.match(r.errors[0], /delphix\.build\.pip\.indexUrl \(CLI --index-url URL\)/);
    assert.equal(fs.readFileSync(previous, 'utf8'), '{"previous": true}\n');
    assert.equal(fs.statSync(previous).mtimeMs, before);
    assert.deepEqual(fs.readdirSync(root).filter((n) => n.includes('artifact')), ['artifact.json']);
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'cache-fail')), []);
  });

  it('writes nothing when the check reports an error', async () => {
    const root = copyFixture('staged');
    const validate = async (r: string) => [
      { file: path.join(r, 'schema.json'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 'error' as const, code: 'x', message: 'bad', dvp: true },
    ];
    const r = await buildArtifact({ pluginRoot: root, operations: [] }, options({ validate }));
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors, ['The plugin has 1 error; fix it to build.']);
    assert.equal(r.problems.length, 1);
    assert.equal(fs.existsSync(path.join(root, 'artifact.json')), false);
    assert.equal(fs.existsSync(path.join(root, 'src', 'generated')), false);
  });

  it('writes nothing when the code does not compile', async () => {
    const root = copyFixture('staged');
    fs.writeFileSync(path.join(root, 'src', 'helpers', 'broken.py'), 'def broken(:\n');
    const r = await buildArtifact({ pluginRoot: root, operations: [] }, options({ includeSdkRuntime: false }));
    assert.equal(r.ok, false);
    assert.match(r.errors[0], /^Failed to compile source code in the directory /);
    assert.match(r.errors[0], /broken\.py/);
    assert.equal(fs.existsSync(path.join(root, 'artifact.json')), false);
  });

  it('flags a build without the SDK runtime as not uploadable', async () => {
    const root = copyFixture('direct');
    const r = await buildArtifact({ pluginRoot: root, operations: [] }, { includeSdkRuntime: false, cacheDir: path.join(tmp, 'unused') });
    assert.equal(r.ok, true);
    assert.equal(r.uploadable, false);
    assert.equal(r.runtime, 'skipped');
    assert.match(r.warnings.join('\n'), /Built without the SDK runtime .* cannot run on an engine/);
    assert.equal(fs.existsSync(path.join(tmp, 'unused')), false);
    assert.equal(r.sourceFiles!.some((f) => f.startsWith('dlpx/')), false);
  });

  it('stops when cancelled', async () => {
    const root = copyFixture('direct');
    const ac = new AbortController();
    ac.abort();
    const r = await buildArtifact({ pluginRoot: root, operations: [] }, options({ signal: ac.signal }));
    assert.equal(r.ok, false);
    assert.equal(r.cancelled, true);
    assert.equal(fs.existsSync(path.join(root, 'artifact.json')), false);
  });

  it('reports config problems clearly', async () => {
    const root = copyFixture('direct');
    fs.writeFileSync(path.join(root, 'plugin_config.yml'), fs.readFileSync(path.join(root, 'plugin_config.yml'), 'utf8').replace('srcDir: code', 'srcDir: missing').replace('buildNumber: "3"', 'buildNumber: 3'));
    const r = await buildArtifact({ pluginRoot: root, operations: [] }, options());
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors, [
      `${path.join(root, 'plugin_config.yml')}: 'buildNumber' must be a string (quote it in YAML), not 3.`,
      `The path '${path.join(root, 'missing')}' does not exist.`,
    ]);
  });
});
