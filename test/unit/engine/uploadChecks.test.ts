// What upload refuses before contacting an engine (an artifact without the SDK runtime, a sourceCode
// that is missing or not a zip) and the messages of failures that used to mislead (a reset session
// request, plain HTTP to a TLS port, byte counts, the request timeout).
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { buildArtifact } from '../../../core/build/artifact';
import { findImplementedOperations } from '../../../core/build/findOperations';
import { readUploadArtifact } from '../../../core/engine/artifact';
import { BUILD_NOTE_PREFIX, formatBuildNote, inspectSourceCode } from '../../../core/engine/artifactSource';
import { EngineProgress, uploadArtifact, UploadOptions } from '../../../core/engine/client';
import { EngineError } from '../../../core/engine/errors';
import type { EngineProfile } from '../../../core/engine/profiles';
import { command as upload } from '../../../cli/commands/upload';
import { TestEngine } from '../../support/testEngine';
import { artifactText, captureIO, makeCertificates, removeDir, sourceZip, tempDir, writeArtifact, zipOf } from '../../support/engineTestKit';
import { writeSdkWheelhouse } from '../build/wheelhouse';

const PASSWORD = 'Checks-Pw-Marmot-5521';
const EXAMPLE = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'first-plugin');

async function refusal(o: UploadOptions): Promise<EngineError> {
  try {
    await uploadArtifact(o);
  } catch (e) {
    assert.ok(e instanceof EngineError, `not an EngineError: ${e}`);
    return e;
  }
  assert.fail('the upload succeeded');
}

describe('the sourceCode of an artifact', () => {
  it('lists the entries of a zip and reads the build note, decoding only its end', () => {
    const note = formatBuildNote({ sdkRuntime: false, python: '3.11.7', enginePython: '3.11', sdk: '5.0.1' });
    const r = inspectSourceCode(sourceZip({ sdkRuntime: false, comment: note }).toString('base64'));
    assert.ok(r.ok);
    assert.deepEqual(r.entries, ['plugin_runner.pyc', 'resources/filler.bin']);
    assert.deepEqual(r.note, { sdkRuntime: false, python: '3.11.7', enginePython: '3.11', sdk: '5.0.1' });
    assert.equal(r.hasSdkRuntime, false);
  });

  it('recognises the SDK runtime by its files when there is no note (dvp, older builds)', () => {
    const withRuntime = inspectSourceCode(sourceZip().toString('base64'));
    assert.ok(withRuntime.ok && withRuntime.hasSdkRuntime && withRuntime.note === undefined);
    const without = inspectSourceCode(sourceZip({ sdkRuntime: false }).toString('base64'));
    assert.ok(without.ok && !without.hasSdkRuntime);
  });

  it('believes a note that says the runtime was left out, whatever the files', () => {
    const r = inspectSourceCode(sourceZip({ comment: formatBuildNote({ sdkRuntime: false }) }).toString('base64'));
    assert.ok(r.ok && !r.hasSdkRuntime);
  });

  it('reads every offset of the base64 text right (entries at any alignment, a comment of any length)', () => {
    for (let pad = 0; pad < 7; pad++) {
      const zip = zipOf({ ['x'.repeat(pad + 1)]: Buffer.alloc(pad * 7 + 1, 1), 'dlpx/virtualization/platform/__init__.pyc': Buffer.from('p') }, 'c'.repeat(pad));
      const r = inspectSourceCode(zip.toString('base64'));
      assert.ok(r.ok, `pad ${pad}: ${!r.ok && r.problem}`);
      assert.deepEqual(r.entries, ['x'.repeat(pad + 1), 'dlpx/virtualization/platform/__init__.pyc']);
      assert.ok(r.hasSdkRuntime);
    }
  });

  it('says what is wrong with a sourceCode that is not a zip', () => {
    const zip = sourceZip();
    const cases: [string, RegExp][] = [
      ['', /^sourceCode is empty$/],
      ['not base64!', /^sourceCode is not base64 text$/],
      [Buffer.alloc(300, 7).toString('base64'), /^sourceCode is not a zip archive \(no end-of-central-directory record\)$/],
      [zip.subarray(0, zip.length - 30).toString('base64'), /^sourceCode is not a zip archive \(no end-of-central-directory record\)$/],
      [Buffer.concat([Buffer.alloc(4), zip.subarray(4)]).toString('base64'), /^sourceCode is not a zip archive \(no local file header at the start\)$/],
      [zip.subarray(60).toString('base64'), /^sourceCode is not a zip archive \((the central directory lies outside the archive|central directory entry 1 of \d+ is damaged)\)$/],
    ];
    for (const [text, expected] of cases) {
      const r = inspectSourceCode(text);
      assert.ok(!r.ok, `accepted: ${text.slice(0, 40)}`);
      assert.match(r.problem, expected);
    }
  });
});

describe('what the build records', { timeout: 180_000 }, () => {
  let tmp: string;
  before(() => {
    tmp = tempDir('upload-checks-build-');
  });
  after(() => removeDir(tmp));

  const copy = (name: string) => {
    const dir = path.join(tmp, name);
    fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
    return dir;
  };

  it('an artifact built without the SDK runtime says so, and is recognised as such', async () => {
    const dir = copy('no-runtime');
    const r = await buildArtifact({ pluginRoot: dir, operations: await findImplementedOperations(dir) }, { includeSdkRuntime: false });
    assert.equal(r.ok, true, r.errors.join('\n'));
    const a = readUploadArtifact(r.artifactPath!);
    assert.equal(a.hasSdkRuntime, false);
    assert.equal(a.buildNote?.sdkRuntime, false);
    assert.equal(a.buildNote?.python, r.pythonVersion);
    assert.equal(a.buildNote?.enginePython, '3.11');
  });

  it('an artifact built with the SDK runtime is recognised as complete', async () => {
    const dir = copy('with-runtime');
    const wheels = path.join(tmp, 'wheels');
    await writeSdkWheelhouse(wheels);
    const r = await buildArtifact(
      { pluginRoot: dir, operations: await findImplementedOperations(dir) },
      { pip: { noIndex: true, findLinks: [wheels] }, cacheDir: path.join(tmp, 'cache') },
    );
    assert.equal(r.ok, true, r.errors.join('\n'));
    const a = readUploadArtifact(r.artifactPath!);
    assert.equal(a.hasSdkRuntime, true);
    assert.equal(a.buildNote?.sdkRuntime, true);
    const text = fs.readFileSync(r.artifactPath!, 'utf8');
    const zip = Buffer.from(JSON.parse(text).sourceCode as string, 'base64');
    assert.ok(zip.includes(Buffer.from(BUILD_NOTE_PREFIX)), 'the note is in the zip, not in the JSON the engine reads');
    assert.ok(!Object.keys(JSON.parse(text)).some((k) => /studio|note/i.test(k)));
  });
});

describe('upload refuses what the engine could not run', () => {
  let engine: TestEngine;
  let dir: string;
  let progress: EngineProgress[];

  const options = (extra: Partial<UploadOptions> = {}): UploadOptions => ({
    profile: engine.profile() as EngineProfile,
    password: PASSWORD,
    artifactPath: path.join(dir, 'artifact.json'),
    requestTimeoutMs: 3000,
    onProgress: (p) => progress.push(p),
    ...extra,
  });

  before(async () => {
    engine = await TestEngine.start({ password: PASSWORD });
  });
  after(() => engine.close());
  beforeEach(() => {
    if (dir) removeDir(dir);
    dir = tempDir();
    progress = [];
    engine.faults = {};
    engine.requests.length = 0;
  });

  it('refuses an artifact without the SDK runtime, without contacting the engine', async () => {
    writeArtifact(dir, artifactText({ sdkRuntime: false }));
    const e = await refusal(options());
    assert.equal(e.kind, 'noSdkRuntime');
    assert.match(e.message, /^\S+artifact\.json was built without the SDK runtime \(build --no-sdk-runtime, or the setting delphix\.build\.includeSdkRuntime off\)/);
    assert.match(e.message, /the engine could not load the plugin and every operation would fail\. It was not uploaded\./);
    assert.match(e.message, /Rebuild it with the runtime: `build` without --no-sdk-runtime/);
    assert.deepEqual(engine.requests, []);
  });

  it('sends it when told to (a test engine), with a warning', async () => {
    writeArtifact(dir, artifactText({ sdkRuntime: false }));
    const r = await uploadArtifact(options({ allowNoSdkRuntime: true }));
    assert.deepEqual(engine.routes(), ['session', 'login', 'token', 'upload']);
    assert.deepEqual(r.warnings, ['artifact.json has no SDK runtime (sent as asked): the engine will not be able to load the plugin.']);
    assert.ok(progress.some((p) => p.warning && p.message.includes('has no SDK runtime')));
  });

  it('warns when the note says the code was compiled by another Python than the engine runs', async () => {
    const comment = formatBuildNote({ sdkRuntime: true, python: '3.13.1', enginePython: '3.11', sdk: '5.0.1' });
    writeArtifact(dir, artifactText({ sourceCode: sourceZip({ comment }).toString('base64') }));
    const r = await uploadArtifact(options());
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /compiled by Python 3\.13\.1, but the engine runs SDK 5\.0\.1 plugins on Python 3\.11/);
  });

  it('refuses an artifact whose sourceCode is missing, not a string, not base64 or not a zip', async () => {
    const base = artifactText();
    const cases: [string, RegExp][] = [
      [base.replace(/\s*"sourceCode": "[^"]*",/, ''), /has no sourceCode: the plugin's code is not in it/],
      [base.replace(/"sourceCode": "[^"]*"/, '"sourceCode": 12'), /has a sourceCode that is not a string/],
      [base.replace(/"sourceCode": "[^"]*"/, '"sourceCode": "%%%%"'), /is damaged: sourceCode is not base64 text, so the engine could not unpack/],
      [base.replace(/"sourceCode": "[^"]*"/, `"sourceCode": "${Buffer.alloc(999, 3).toString('base64')}"`), /is damaged: sourceCode is not a zip archive \(no end-of-central-directory record\)/],
    ];
    for (const [text, expected] of cases) {
      writeArtifact(dir, text);
      const e = await refusal(options({ allowNoSdkRuntime: true }));
      assert.equal(e.kind, 'badArtifact');
      assert.match(e.message, expected);
      assert.match(e.message, /Rebuild the artifact \(build, or "Delphix: Build Plugin"\) and upload the new artifact\.json\.$/);
    }
    assert.deepEqual(engine.requests, []);
  });

  it('the CLI refuses before asking for the password, names --allow-no-sdk-runtime, and sends with it', async () => {
    writeArtifact(dir, artifactText({ sdkRuntime: false }));
    const args = [dir, '--engine', `127.0.0.1:${engine.port}`, '--user', 'admin'];
    const refused = captureIO({ cwd: dir, env: { DVP_CONFIG: path.join(dir, 'none') }, answer: PASSWORD });
    assert.equal(await upload.run(args, refused.io), 1);
    assert.deepEqual(refused.prompts, [], 'no password was asked for');
    const text = refused.err.join('\n');
    assert.match(text, /was built without the SDK runtime/);
    assert.match(text, /\nTo send it to a test engine anyway, add --allow-no-sdk-runtime\.$/);
    assert.deepEqual(engine.requests, []);

    const sent = captureIO({ cwd: dir, env: { DVP_CONFIG: path.join(dir, 'none'), DELPHIX_ENGINE_PASSWORD: PASSWORD } });
    assert.equal(await upload.run([...args, '--allow-no-sdk-runtime'], sent.io), 0, sent.err.join('\n'));
    assert.ok(sent.err.some((l) => l.startsWith('WARNING: artifact.json has no SDK runtime')));
    assert.equal(engine.uploads.length > 0, true);
  });
});

describe('engine failures say what failed, where', () => {
  let engine: TestEngine;
  let dir: string;
  before(async () => {
    engine = await TestEngine.start({ password: PASSWORD });
    dir = tempDir();
    writeArtifact(dir);
  });
  after(async () => {
    await engine.close();
    removeDir(dir);
  });
  const options = (profile: Record<string, unknown>, extra: Partial<UploadOptions> = {}): UploadOptions => ({
    profile: profile as unknown as EngineProfile,
    password: PASSWORD,
    artifactPath: path.join(dir, 'artifact.json'),
    requestTimeoutMs: 3000,
    connectTimeoutMs: 3000,
    ...extra,
  });

  it('a reset session request is reported as the session request, not as an upload', async () => {
    engine.faults = { resetRoutes: ['session'] };
    const e = await refusal(options(engine.profile()));
    assert.equal(e.kind, 'network');
    assert.match(e.message, new RegExp(`^The connection to the engine at 127\\.0\\.0\\.1:${engine.port} broke during the session request, before the engine answered \\(ECONNRESET\\)\\.`));
    assert.doesNotMatch(e.message, /upload|plugins/i);
    engine.faults = { resetRoutes: ['token'] };
    const t = await refusal(options(engine.profile()));
    assert.match(t.message, /broke during the upload token request, before the engine answered/);
    assert.doesNotMatch(t.message, /was not retried|check the engine's plugins/);
    engine.faults = {};
  });

  it('plain HTTP to a port that speaks TLS suggests --https', async () => {
    const certs = makeCertificates();
    const tlsEngine = await TestEngine.start({ password: PASSWORD, tls: { key: certs.serverKey, cert: certs.serverCert } });
    try {
      const e = await refusal(options(tlsEngine.profile({ https: false })));
      assert.equal(e.kind, 'tls');
      assert.equal(
        e.message,
        `The engine at 127.0.0.1:${tlsEngine.port} speaks HTTPS on port ${tlsEngine.port}, but the session request was sent in plain HTTP (${e.code}). ` +
          'Connect with HTTPS: add --https (with --ca-file FILE for a self-signed engine), or turn https on in the engine profile.',
      );
      assert.deepEqual(tlsEngine.requests, []);
    } finally {
      await tlsEngine.close();
      removeDir(certs.dir);
    }
  });

  it('a server that answers plain HTTP with a TLS alert is recognised from the bytes', async () => {
    // What some TLS terminators send back: an alert record (0x15 0x03 ...) and nothing else.
    const server = net.createServer((s) => {
      s.once('data', () => s.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const e = await refusal(options({ name: 'alert', host: '127.0.0.1', port, user: 'admin', https: false }));
      assert.equal(e.kind, 'tls');
      assert.match(e.message, new RegExp(`^The engine at 127\\.0\\.0\\.1:${port} speaks HTTPS on port ${port}, but the session request was sent in plain HTTP \\(HPE_`));
      assert.match(e.message, /add --https/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('an upload the engine stops reading times out saying how much of it had been written, not "N of N sent"', async () => {
    writeArtifact(dir, artifactText({ sourceCodeBytes: 8_000_000 }));
    engine.faults = { stallUploadAfterBytes: 64 * 1024 };
    const e = await refusal(options(engine.profile(), { requestTimeoutMs: 500 }));
    engine.resumeStalled();
    engine.faults = {};
    writeArtifact(dir);
    assert.equal(e.kind, 'timeout');
    const m = /The engine stopped taking the upload after (\d+) of (\d+) bytes had been written to the connection; it was not retried\./.exec(e.message);
    assert.ok(m, e.message);
    assert.ok(Number(m[1]) < Number(m[2]), e.message);
    assert.match(e.message, /^The engine at \S+ did not answer the upload of artifact\.json within 0\.5 s/);
  });

  it('--timeout-request sets the request timeout and the timeout message names it', async () => {
    engine.faults = { delayMs: { login: 1500 } };
    const c = captureIO({ cwd: dir, env: { DVP_CONFIG: path.join(dir, 'none'), DELPHIX_ENGINE_PASSWORD: PASSWORD } });
    const start = Date.now();
    const code = await upload.run([dir, '--engine', `127.0.0.1:${engine.port}`, '--user', 'admin', '--timeout-request', '0.3'], c.io);
    assert.equal(code, 1);
    assert.ok(Date.now() - start < 1400, 'the 0.3 s timeout applied');
    assert.match(c.err.at(-1)!, /did not answer the login within 0\.3 s \(nothing was sent or received for that long\)\. The engine may be overloaded: try again later, or allow it longer with --timeout-request SECONDS\.$/);
    const bad = captureIO({ cwd: dir, env: { DVP_CONFIG: path.join(dir, 'none') } });
    await assert.rejects(upload.run([dir, '--engine', 'h', '--user', 'u', '--timeout-request', 'soon'], bad.io), /--timeout-request needs a number of seconds greater than 0, not "soon"/);
    engine.faults = {};
  });
});

