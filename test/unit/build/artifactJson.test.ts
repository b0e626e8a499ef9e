import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildArtifact } from '../../../core/build/artifact';
import { parseUploadArtifact } from '../../../core/engine/artifact';

// schema.json with integer-like keys (which a JS object would move first), a repeated key, a 30-digit
// integer, -0 as int and float, floats Python spells its own way, raw and escaped non-ASCII, surrogate
// pairs and a lone surrogate: artifact.json must carry them as dvp's json.dump(indent=4) does.
const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'build', 'pyjson');

function python(script: string, ...args: string[]): string {
  return execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/**
 * The text of `"key": value` at `depth` in an indent=4 dump, dedented to depth 0 and without a trailing
 * comma (so the same value compares equal wherever it sits).
 */
function member(text: string, key: string, depth: number): string {
  const pad = ' '.repeat(4 * depth);
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${pad}"${key}": `));
  assert.notEqual(start, -1, `no "${key}" at depth ${depth}`);
  const first = lines[start].slice(pad.length);
  let end = start;
  if (/[{[]$/.test(first)) {
    const closing = new RegExp(`^${pad}[}\\]],?$`);
    do end++;
    while (end < lines.length && !closing.test(lines[end]));
  }
  return lines
    .slice(start, end + 1)
    .map((l) => l.slice(pad.length))
    .join('\n')
    .replace(/,$/, '');
}

let tmp: string;
let root: string;
let artifactText: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-json-'));
  root = path.join(tmp, 'plugin');
  fs.cpSync(FIXTURE, root, { recursive: true });
  const r = await buildArtifact({ pluginRoot: root, operations: [] }, { includeSdkRuntime: false, updateGeneratedInSource: false });
  assert.deepEqual(r.errors, []);
  assert.equal(r.ok, true);
  artifactText = fs.readFileSync(r.artifactPath!, 'utf8');
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('artifact.json from a schema Python reads its own way', { timeout: 60_000 }, () => {
  it('carries each definition exactly as python3 json.dumps(json.load(schema), indent=4) renders it', () => {
    const schemaFile = path.join(root, 'schema.json');
    const expected = python('import json,sys; print(json.dumps(json.load(open(sys.argv[1])), indent=4))', schemaFile);
    const definition = (name: string) => member(expected, name, 1).replace(/^"[^"]+": /, '');
    const value = (text: string) => text.replace(/^"[^"]+": /, '');

    assert.equal(value(member(artifactText, 'snapshotSchema', 1)), definition('snapshotDefinition'));
    assert.equal(value(member(member(artifactText, 'virtualSourceDefinition', 1), 'parameters', 1)), definition('virtualSourceDefinition'));
    assert.equal(value(member(member(artifactText, 'linkedSourceDefinition', 1), 'parameters', 1)), definition('linkedSourceDefinition'));
    assert.equal(value(member(member(artifactText, 'snapshotParametersDefinition', 1), 'schema', 1)), definition('snapshotParametersDefinition'));

    // Spot checks that the comparison is about what it claims to be.
    assert.match(definition('snapshotDefinition'), /"10": 1\.0,\n {12}"9": 100000\.0,\n {12}"x": 0\.0001,\n {12}"1": 1e-05,/);
    assert.match(definition('virtualSourceDefinition'), /"maximum": 123456789012345678901234567890,\n {12}"minimum": 0\n/);
    assert.match(definition('virtualSourceDefinition'), /"default": 1\.0,\n {12}"maximum": 1e\+16,\n {12}"minimum": -0\.0,\n {12}"multipleOf": 1\.5e-07\n/);
    assert.match(definition('linkedSourceDefinition'), /"caf\\u00e9 \\ud83d\\ude00 \\u65e5\\u672c \\udc00 tab\\t \\"q\\" \\\\ \\u007f \/"/);
  });

  it('pops identityFields and nameField from the definitions as dvp does, keeping the rest in order', () => {
    const script =
      'import json,sys\n' +
      's = json.load(open(sys.argv[1]))\n' +
      'out = {}\n' +
      'for d, p in (("repositoryDefinition", "repository"), ("sourceConfigDefinition", "sourceConfig")):\n' +
      '    r = s[d]\n' +
      '    out[p + "IdentityFields"] = r.pop("identityFields")\n' +
      '    out[p + "NameField"] = r.pop("nameField")\n' +
      '    out[p + "Schema"] = r\n' +
      'print(json.dumps({"discoveryDefinition": out}, indent=4))';
    const expected = python(script, path.join(root, 'schema.json'));
    const discovery = member(artifactText, 'discoveryDefinition', 1);
    for (const key of ['repositoryIdentityFields', 'repositoryNameField', 'repositorySchema', 'sourceConfigIdentityFields', 'sourceConfigNameField', 'sourceConfigSchema']) {
      assert.equal(member(discovery, key, 1), member(member(expected, 'discoveryDefinition', 1), key, 1), key);
    }
    assert.match(member(discovery, 'sourceConfigSchema', 1), /"type": "object",\n {4}"10": "ten",\n {4}"properties": \{[^]*\},\n {4}"1": "one",\n {4}"2": "two"\n\}$/);
  });

  it('is a fixed point of python3 json.dumps(json.load(artifact), indent=4)', () => {
    const again = python('import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), indent=4))', path.join(root, 'artifact.json'));
    assert.equal(artifactText, again);
  });

  it('uploads as the bytes of python3 json.dumps(json.load(artifact))', () => {
    const file = path.join(root, 'artifact.json');
    const body = parseUploadArtifact(fs.readFileSync(file), file).body;
    assert.equal(body, python('import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1]))))', file));
  });
});
