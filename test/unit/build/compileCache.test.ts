// The compiled output kept by content: an unchanged plugin is not compiled again, a changed one is, a
// damaged cache entry is dropped, and two builds at once share the cache safely. Real python3.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as yauzl from 'yauzl';
import { buildArtifact, type BuildOptions } from '../../../core/build/artifact';

/** The zip's files and contents (entry dates aside), each .pyc without its source-mtime field. */
function contents(base64: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(base64, 'base64'), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            let b = Buffer.concat(chunks);
            if (entry.fileName.endsWith('.pyc')) b = Buffer.concat([b.subarray(0, 8), b.subarray(12)]);
            out.push(`${entry.fileName} ${b.toString('base64')}`);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out.sort().join('\n')));
      zip.readEntry();
    });
  });
}

const EXAMPLE = path.join(__dirname, '..', '..', '..', '..', 'examples', 'first-plugin');

let tmp: string;

function copyExample(): string {
  const dest = fs.mkdtempSync(path.join(tmp, 'plugin-'));
  fs.cpSync(EXAMPLE, dest, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) && !f.endsWith('artifact.json') });
  return dest;
}

async function build(root: string, cacheDir: string, extra: Partial<BuildOptions> = {}) {
  const steps: string[] = [];
  const r = await buildArtifact(
    { pluginRoot: root, operations: [] },
    { includeSdkRuntime: false, compileCacheDir: cacheDir, outputFile: path.join(root, `artifact-${steps.length}-${Math.random()}.json`), onProgress: (s) => steps.push(s), ...extra },
  );
  assert.ok(r.ok, r.errors.join('\n'));
  const artifact = JSON.parse(fs.readFileSync(r.artifactPath!, 'utf8')) as { sourceCode: string };
  return { steps, sourceCode: await contents(artifact.sourceCode), compiled: steps.some((s) => s.startsWith('Compiling with Python')), reused: steps.some((s) => s.startsWith('Reused the compiled files')) };
}

describe('compile cache', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reuses the output of an identical build, giving the same artifact contents, and compiles again after an edit', async () => {
    const cache = path.join(tmp, 'cache-a');
    const root = copyExample();
    const first = await build(root, cache);
    assert.ok(first.compiled && !first.reused);
    const second = await build(root, cache);
    assert.ok(second.reused && !second.compiled, second.steps.join('\n'));
    assert.equal(second.sourceCode, first.sourceCode);
    const entry = path.join(root, 'src', 'plugin_runner.py');
    fs.appendFileSync(entry, '\nEDITED = 1\n');
    const third = await build(root, cache);
    assert.ok(third.compiled && !third.reused);
    assert.notEqual(third.sourceCode, first.sourceCode);
    // false: no cache at all.
    const off = await build(root, false as unknown as string);
    assert.ok(off.compiled);
  });

  it('drops a damaged entry and compiles', async () => {
    const cache = path.join(tmp, 'cache-b');
    const root = copyExample();
    const first = await build(root, cache);
    const [entry] = fs.readdirSync(cache);
    const out = path.join(cache, entry, 'out');
    // Remove the stored files but keep the list: the copy fails half-way.
    fs.rmSync(out, { recursive: true, force: true });
    const again = await build(root, cache);
    assert.ok(again.compiled, again.steps.join('\n'));
    assert.equal(again.sourceCode, first.sourceCode);
    const next = await build(root, cache);
    assert.ok(next.reused);
  });

  it('two builds at once with an empty cache both succeed and leave one complete entry', async () => {
    const cache = path.join(tmp, 'cache-c');
    const a = copyExample();
    const b = copyExample();
    const [ra, rb] = await Promise.all([build(a, cache), build(b, cache)]);
    assert.equal(ra.sourceCode, rb.sourceCode);
    const entries = fs.readdirSync(cache);
    assert.equal(entries.length, 1, entries.join(', '));
    assert.ok(fs.existsSync(path.join(cache, entries[0], 'files.json')));
    assert.ok((await build(a, cache)).reused);
  });
});
