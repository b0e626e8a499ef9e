import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { EngineProgress, uploadArtifact, UploadOptions } from '../../../core/engine/client';
import { EngineError } from '../../../core/engine/errors';
import type { EngineProfile } from '../../../core/engine/profiles';
import { TestEngine } from '../../support/testEngine';
import { artifactText, eventually, pythonDumps, removeDir, tempDir, writeArtifact } from '../../support/engineTestKit';

// Distinctive, with characters that JSON and Python escape differently.
const PASSWORD = 'Pw-Zebra"Quartz\\é-9137';

describe('upload through the engine client', () => {
  let engine: TestEngine;
  let dir: string;
  let artifact: string;
  let progress: EngineProgress[];
  const seen: string[] = [];

  const options = (extra: Partial<UploadOptions> = {}): UploadOptions => ({
    profile: engine.profile() as EngineProfile,
    password: PASSWORD,
    artifactPath: artifact,
    pollIntervalMs: 10,
    pollTimeoutMs: 2000,
    requestTimeoutMs: 2000,
    retryDelayMs: 10,
    onProgress: (p) => progress.push(p),
    ...extra,
  });

  const failure = async (o: UploadOptions): Promise<EngineError> => {
    try {
      await uploadArtifact(o);
    } catch (e) {
      assert.ok(e instanceof EngineError, `not an EngineError: ${e}`);
      seen.push(e.message, e.stack ?? '', e.details ?? '', e.action ?? '', ...(e.jobMessages ?? []));
      return e;
    }
    assert.fail('the upload succeeded');
  };

  before(async () => {
    engine = await TestEngine.start({ password: PASSWORD });
  });
  after(async () => {
    await engine.close();
    // Nothing the client said, in any test of this suite, carries the password.
    for (const text of seen) assert.ok(!text.includes(PASSWORD) && !text.includes('Zebra'), `password leaked in: ${text}`);
  });
  beforeEach(() => {
    dir = tempDir();
    artifact = writeArtifact(dir);
    progress = [];
    engine.faults = {};
    engine.requests.length = 0;
    engine.violations.length = 0;
    engine.events.length = 0;
    engine.uploads.length = 0;
  });
  afterEach(() => {
    seen.push(...progress.map((p) => p.message));
    removeDir(dir);
  });

  it('uploads the artifact exactly as dvp does, without waiting', async () => {
    const r = await uploadArtifact(options());
    assert.deepEqual(engine.violations, []);
    assert.deepEqual(engine.routes(), ['session', 'login', 'token', 'upload']);
    const upload = engine.uploads.at(-1)!;
    assert.equal(upload.fileName, 'artifact.json');
    assert.ok(upload.content.equals(pythonDumps(artifact)), 'the uploaded bytes differ from Python json.dumps');
    assert.equal(r.action, upload.action);
    assert.equal(r.job, null);
    assert.equal(r.upgrade, false);
    assert.equal(r.finalState, undefined);
    assert.equal(r.engineApi, '1.11.16');
    assert.equal(r.pluginName, 'First Plugin');
    assert.equal(r.bytes, engine.requests[3].body.length);
    assert.deepEqual([...new Set(progress.map((p) => p.step))], ['session', 'login', 'token', 'upload']);
    const transfer = progress.filter((p) => p.bytes !== undefined);
    const last = transfer.at(-1)!;
    assert.equal(last.bytes, last.total);
    assert.equal(last.total, r.bytes);
    assert.ok(transfer.every((p, i) => i === 0 || p.bytes! >= transfer[i - 1].bytes!), 'the bytes sent only grow');
    assert.equal(progress.at(-1)!.message, `All ${r.bytes} bytes of artifact.json sent; awaiting the engine's answer.`);
  });

  it('sends the session body with the artifact engineApi and echoes the newest cookie', async () => {
    writeArtifact(dir, artifactText({ engineApi: '{"type": "APIVersion", "major": 1, "minor": 11, "micro": 11}' }));
    const r = await uploadArtifact(options());
    assert.equal(r.engineApi, '1.11.11');
    assert.equal(engine.requests[0].body.toString(), '{"type": "APISession", "version": {"type": "APIVersion", "major": 1, "minor": 11, "micro": 11}}');
    assert.equal(engine.requests[0].rawHeaders.find(([k]) => k.toLowerCase() === 'cookie'), undefined);
    assert.deepEqual(engine.violations, []);
  });

  it('waits for a new plugin through action/<ref> .state', async () => {
    engine.faults.jobStates = ['WAITING', 'RUNNING', 'COMPLETED'];
    const r = await uploadArtifact(options({ wait: true }));
    assert.deepEqual(engine.routes(), ['session', 'login', 'token', 'upload', 'action', 'action', 'action']);
    assert.equal(engine.requests[4].url, `/resources/json/delphix/action/${r.action}`);
    assert.equal(r.finalState, 'COMPLETED');
    assert.deepEqual(
      progress.filter((p) => p.step === 'job').map((p) => p.message),
      [`The engine's action ${r.action} is WAITING.`, `The engine's action ${r.action} is RUNNING.`, `The engine's action ${r.action} is COMPLETED.`],
    );
    assert.deepEqual(engine.violations, []);
  });

  it('waits for an upgrade through action/<ref>/getJob .jobState and reports each event once', async () => {
    engine.faults.upgrade = true;
    engine.faults.jobStates = ['RUNNING', 'RUNNING', 'COMPLETED'];
    engine.faults.jobEvents = [
      { timestamp: '2026-01-01T10:00:00.000Z', messageCode: 'event.toolkit.upgrade.start', messageDetails: 'Upgrading plugin.' },
      { timestamp: '2026-01-01T10:00:01.000Z', messageCode: 'event.toolkit.migrate', messageDetails: 'Migrating 2 objects.', messageAction: 'None needed.' },
    ];
    const r = await uploadArtifact(options({ wait: true }));
    assert.equal(r.upgrade, true);
    assert.equal(r.job, engine.uploads.at(-1)!.job);
    assert.deepEqual(engine.routes().slice(4), ['job', 'job', 'job']);
    assert.equal(engine.requests[4].url, `/resources/json/delphix/action/${r.action}/getJob`);
    assert.equal(r.events.length, 2);
    assert.deepEqual(
      progress.filter((p) => p.step === 'job' && p.message.startsWith('Timestamp')).map((p) => p.message),
      [
        'Timestamp: 2026-01-01T10:00:00.000Z, Code: event.toolkit.upgrade.start\nUpgrading plugin.',
        'Timestamp: 2026-01-01T10:00:01.000Z, Code: event.toolkit.migrate\nMigrating 2 objects.\nNone needed.',
      ],
    );
  });

  it('reports wrong credentials as auth with the engine details', async () => {
    const e = await failure(options({ password: 'wrong-password' }));
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.equal(
      e.message,
      `Login to the engine at 127.0.0.1:${engine.port} as 'admin' failed.\nThe engine refused the login.\nAPI request failed with HTTP Status 401\n` +
        'Details: Invalid username or password.\nAction: Try with a different set of credentials.\n' +
        'Check the user name in the engine profile and the password you gave (stored secret or DELPHIX_ENGINE_PASSWORD).',
    );
    assert.ok(!e.message.includes('wrong-password'));
    assert.deepEqual(engine.routes(), ['session', 'login']);
  });

  it('says which API version the engine refused and which SDKs to use instead', async () => {
    const old = await TestEngine.start({ password: PASSWORD, apiVersions: ['1.11.11'] });
    try {
      const e = await failure(options({ profile: old.profile() as EngineProfile }));
      assert.equal(e.kind, 'apiVersion');
      assert.equal(e.details, 'Invalid API version "1.11.16".');
      assert.equal(
        e.message,
        `The engine at 127.0.0.1:${old.port} does not support the Delphix API version 1.11.16 the session asked for.\n` +
          'The engine refused the session request.\nAPI request failed with HTTP Status 400\nDetails: Invalid API version "1.11.16".\n' +
          'Action: Use an API version supported by this Delphix Engine.\n' +
          'The artifact was built for engine API 1.11.16: SDK 4.0.5, 4.1.0, 5.0.0, 5.0.1 (Delphix Engine 6.0.16.0 or later).\n' +
          'Build the plugin with an SDK whose engine API this engine supports, and upload that artifact:\n' +
          '  - engine API 1.11.11: SDK 4.0.0, 4.0.2 (Delphix Engine 6.0.12.0 or later)\n' +
          '  - engine API 1.11.6: SDK 3.0.0, 3.1.0 (Delphix Engine 6.0.6.0 or later)\n' +
          '  - engine API 1.11.3: SDK 2.1.0 (Delphix Engine 6.0.3.0 or later)\n' +
          '  - engine API 1.11.2: SDK 2.0.0 (Delphix Engine 6.0.2.0 or later)',
      );
      assert.deepEqual(old.routes(), ['session']);
      assert.deepEqual(old.violations, []);
    } finally {
      await old.close();
    }
  });

  it('reports an ErrorResult on upload with its details and action', async () => {
    engine.faults.uploadErrorResult = { status: 400, details: 'The plugin "First Plugin" has an invalid schema.', action: 'Fix the schema and upload again.' };
    const e = await failure(options());
    assert.equal(e.kind, 'errorResult');
    assert.equal(e.status, 400);
    assert.equal(
      e.message,
      'The engine refused the upload of artifact.json.\nAPI request failed with HTTP Status 400\n' +
        'Details: The plugin "First Plugin" has an invalid schema.\nAction: Fix the schema and upload again.',
    );
    assert.equal(e.details, 'The plugin "First Plugin" has an invalid schema.');
    assert.equal(e.action, 'Fix the schema and upload again.');
  });

  it('says when an ErrorResult has no details, dumping the error', async () => {
    engine.faults.uploadErrorResult = { status: 500 };
    const e = await failure(options());
    assert.equal(e.kind, 'errorResult');
    assert.match(e.message, /^The engine refused the upload of artifact.json.\nAPI request failed with HTTP Status 500\nUnable to parse details of error. Dumping full response: \{\n  "type": "APIError",/);
  });

  it('scrubs the password from an engine error that echoes it', async () => {
    engine.faults.uploadErrorResult = { status: 400, details: `Bad request body {"password": "${PASSWORD}"}`, action: `Do not send ${PASSWORD}` };
    const e = await failure(options());
    assert.equal(e.details, 'Bad request body {"password": "********"}');
    assert.equal(e.action, 'Do not send ********');
    assert.ok(!e.message.includes(PASSWORD));
  });

  for (const state of ['FAILED', 'CANCELLED', 'SUSPENDED']) {
    it(`fails when the new plugin's action ends ${state}`, async () => {
      engine.faults.jobStates = ['RUNNING', state];
      engine.faults.actionFailure = { failureDescription: 'The plugin could not be installed.', failureAction: 'Check the plugin.' };
      const e = await failure(options({ wait: true }));
      assert.equal(e.kind, 'jobFailed');
      const action = engine.uploads.at(-1)!.action;
      const extra = state === 'FAILED' ? '\nThe plugin could not be installed.\nCheck the plugin.' : '';
      assert.equal(e.message, `Failed trying to upload plugin artifact.json. The engine's action ${action} ended ${state}.${extra}\nFix what the engine reports, then upload again.`);
    });
  }

  it('fails with the job event messages when an upgrade job fails', async () => {
    engine.faults.upgrade = true;
    engine.faults.jobStates = ['RUNNING', 'FAILED'];
    engine.faults.jobEvents = [
      { timestamp: 't1', messageCode: 'event.upgrade.start', messageDetails: 'Upgrading.' },
      { timestamp: 't2', messageCode: 'exception.upgrade.failed', messageDetails: 'Migration 2.0 raised KeyError.', messageAction: 'Fix the migration.' },
    ];
    const e = await failure(options({ wait: true }));
    assert.equal(e.kind, 'jobFailed');
    assert.deepEqual(e.jobMessages, [
      'Timestamp: t1, Code: event.upgrade.start\nUpgrading.',
      'Timestamp: t2, Code: exception.upgrade.failed\nMigration 2.0 raised KeyError.\nFix the migration.',
    ]);
    assert.match(e.message, /ended FAILED\.\nTimestamp: t1, Code: event.upgrade.start\nUpgrading.\nTimestamp: t2/);
  });

  it('times out when the job never ends', async () => {
    engine.faults.jobStates = ['RUNNING'];
    const start = Date.now();
    const e = await failure(options({ wait: true, pollIntervalMs: 20, pollTimeoutMs: 150 }));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /^Timed out waiting for upload of plugin artifact.json to complete: the engine's action ACTION-\d+ is still RUNNING after 0 s\./);
    assert.ok(Date.now() - start < 1500);
  });

  it('never re-posts an upload that got a 500, and says so plainly', async () => {
    engine.faults.failStatus = { upload: { status: 500, times: 1 } };
    const e = await failure(options());
    assert.equal(e.kind, 'http');
    assert.equal(e.status, 500);
    assert.match(e.message, /^The engine answered the upload of artifact.json with HTTP 500 Internal Server Error. The engine failed internally; try again later or look at the engine's logs.\nResponse:\n<html>/);
    assert.equal(engine.routes().filter((r) => r === 'upload').length, 1);
  });

  it('retries a poll that got a 500', async () => {
    engine.faults.failStatus = { action: { status: 503, times: 1 } };
    const r = await uploadArtifact(options({ wait: true }));
    assert.equal(r.finalState, 'COMPLETED');
    assert.deepEqual(engine.routes().slice(4), ['action', 'action', 'action']);
    assert.ok(progress.some((p) => p.message === 'Retrying the state of action ' + r.action + ' (HTTP 503).'));
  });

  it('gives up on polls after the retries', async () => {
    engine.faults.failStatus = { action: { status: 502, times: 10 } };
    const e = await failure(options({ wait: true, retries: 2 }));
    assert.equal(e.kind, 'http');
    assert.equal(e.status, 502);
    assert.deepEqual(engine.routes().slice(4), ['action', 'action', 'action']);
  });

  it('reports a body that is not JSON', async () => {
    engine.faults.malformedJson = ['token'];
    const e = await failure(options());
    assert.equal(e.kind, 'protocol');
    assert.equal(
      e.message,
      `Received an unexpected error with HTTP Status 200,\nDumping full response:\n{"type": "OKResult", "result": \n(The answer to the upload token request is not JSON: check that 127.0.0.1:${engine.port} is a Delphix Engine.)`,
    );
  });

  it('times out a response slower than the request timeout', async () => {
    engine.faults.delayMs = { login: 1500 };
    const start = Date.now();
    const e = await failure(options({ requestTimeoutMs: 200 }));
    assert.equal(e.kind, 'timeout');
    assert.equal(
      e.message,
      `The engine at 127.0.0.1:${engine.port} did not answer the login within 0.2 s (nothing was sent or received for that long). ` +
        'The engine may be overloaded: try again later, or allow it longer with a larger request timeout.',
    );
    // The caller names its own way to raise it (the CLI option, the extension's setting).
    const named = await failure(options({ requestTimeoutMs: 200, requestTimeoutHint: '--timeout-request SECONDS' }));
    assert.match(named.message, /allow it longer with --timeout-request SECONDS\.$/);
    assert.ok(Date.now() - start < 1000);
  });

  it('reports a connection reset mid-upload without retrying it', async () => {
    writeArtifact(dir, artifactText({ sourceCodeBytes: 3_000_000 }));
    engine.faults.resetUploadAfterBytes = 100_000;
    const e = await failure(options());
    assert.equal(e.kind, 'network');
    const m = new RegExp(
      `^The connection to the engine at 127.0.0.1:${engine.port} broke during the upload of artifact.json, after (\\d+) of (\\d+) bytes had been written to the connection \\(\\w+\\); ` +
        "how much of it the engine received is unknown\\. The upload was not retried, since the engine may have received it: check the engine's plugins, then upload again\\.$",
    ).exec(e.message);
    assert.ok(m, e.message);
    // Written means taken by the socket: never more than the engine could have been sent, and not the whole body.
    assert.ok(Number(m[1]) < Number(m[2]), e.message);
    assert.ok(Number(m[1]) > 0, e.message);
    assert.equal(engine.routes().filter((r) => r === 'upload').length, 1);
    assert.ok(engine.events.some((ev) => ev.startsWith('upload reset after')));
  });

  it('logs in again once when the session expires during the wait', async () => {
    engine.faults.expireSessionAtPoll = 1;
    const r = await uploadArtifact(options({ wait: true }));
    assert.equal(r.finalState, 'COMPLETED');
    assert.deepEqual(engine.routes(), ['session', 'login', 'token', 'upload', 'action', 'session', 'login', 'action', 'action']);
    assert.deepEqual(engine.violations, []);
    // The new session starts clean, without the cookie the engine expired.
    assert.equal(engine.requests[5].rawHeaders.find(([k]) => k === 'Cookie'), undefined);
    assert.ok(progress.some((p) => p.message === 'The engine session expired (HTTP 401); logging in again.'));
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    const e = await failure(options({ profile: { ...(engine.profile() as EngineProfile), port } }));
    assert.equal(e.kind, 'network');
    assert.equal(e.code, 'ECONNREFUSED');
    assert.equal(
      e.message,
      `Cannot connect to the engine at 127.0.0.1:${port}: connection refused. Check the host and port of the engine profile (HTTP default 80) and that the engine is running.`,
    );
  });

  it('reports a host name that does not resolve', async () => {
    const lookup = ((hostname: string, _o: unknown, cb: (e: NodeJS.ErrnoException | null) => void) => {
      cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    }) as unknown as net.LookupFunction;
    const e = await failure(options({ profile: { ...(engine.profile() as EngineProfile), host: 'engine.invalid' }, lookup }));
    assert.equal(e.kind, 'network');
    assert.equal(
      e.message,
      "Cannot find the engine host 'engine.invalid': the name does not resolve (ENOTFOUND). Check the host name in the engine profile, or use the engine's IP address.",
    );
  });

  it('checks the artifact before connecting', async () => {
    const cases: [string, string | undefined, RegExp][] = [
      ['missing.json', undefined, /^Unable to read upload artifact file '.*missing\.json': ENOENT\. Build the plugin first/],
      ['broken.json', '{"type": "Plugin",', /^Upload failed because the upload artifact was not a valid json file\. Verify the file was built using the delphix build command\.\n\(.*broken\.json \(Expecting property name enclosed in double quotes at offset 18\)\.\)$/],
      ['noapi.json', '{"type": "Plugin"}', /^The engineApi field is either missing or malformed\./],
      ['floatapi.json', artifactText({ engineApi: '{"type": "APIVersion", "major": 1.0, "minor": 11, "micro": 16}' }), /^The engineApi field is either missing or malformed\./],
      ['boolapi.json', artifactText({ engineApi: '{"type": "APIVersion", "major": true, "minor": 11, "micro": 16}' }), /^The engineApi field is either missing or malformed\./],
      ['notype.json', artifactText({ engineApi: '{"major": 1, "minor": 11, "micro": 16}' }), /must be of the form:\n\{\n  "type": "APIVersion",\n  "major": 1,\n  "minor": 7,\n  "micro": 0\n\}\nVerify that the artifact/],
      ['list.json', '[1, 2]', /^The engineApi field is either missing or malformed\./],
      ['latin1.json', '{"name": "caf\xe9"}', /not UTF-8 text/],
    ];
    for (const [name, text, expected] of cases) {
      const file = path.join(dir, name);
      if (text !== undefined) fs.writeFileSync(file, name === 'latin1.json' ? Buffer.from(text, 'latin1') : text);
      const e = await failure(options({ artifactPath: file }));
      assert.equal(e.kind, 'badArtifact', name);
      assert.match(e.message, expected, name);
    }
    assert.deepEqual(engine.requests, []);
  });

  it('refuses an artifact file name the upload form cannot carry', async () => {
    const file = writeArtifact(dir, artifactText(), 'my"artifact.json');
    const e = await failure(options({ artifactPath: file }));
    assert.equal(e.kind, 'badArtifact');
    assert.equal(e.message, `The artifact file name 'my"artifact.json' cannot be sent in the upload form: it contains a line break or a double quote. Rename the file (for example to artifact.json).`);
    assert.deepEqual(engine.requests, []);
  });

  it('cancels mid-upload: the engine sees the connection drop and the client says cancelled at once', async () => {
    writeArtifact(dir, artifactText({ sourceCodeBytes: 6_000_000 }));
    engine.faults.stallUploadAfterBytes = 64 * 1024;
    const controller = new AbortController();
    let abortedAt = 0;
    const start = Date.now();
    const e = await failure(
      options({
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          if (p.step === 'upload' && p.bytes! > 0 && !abortedAt) {
            abortedAt = Date.now();
            setTimeout(() => controller.abort(), 50);
          }
        },
      }),
    );
    assert.equal(e.kind, 'cancelled');
    assert.equal(e.message, 'Cancelled.');
    assert.ok(Date.now() - abortedAt < 500, `cancel took ${Date.now() - abortedAt} ms`);
    assert.ok(Date.now() - start < 3000);
    assert.ok(engine.events.some((ev) => ev.startsWith('upload stalled after')));
    engine.resumeStalled();
    assert.ok(await eventually(() => engine.events.some((ev) => ev.startsWith('upload connection dropped'))), engine.events.join('; '));
    assert.equal(engine.uploads.length, 0, 'the engine received a complete upload');
  });

  it('cancels while waiting between polls', async () => {
    engine.faults.jobStates = ['RUNNING'];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const start = Date.now();
    const e = await failure(options({ wait: true, pollIntervalMs: 5000, signal: controller.signal }));
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - start < 1000);
  });

  it('does nothing with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await failure(options({ signal: controller.signal }));
    assert.equal(e.kind, 'cancelled');
    assert.deepEqual(engine.requests, []);
  });

  it('rejects an invalid profile before connecting', async () => {
    const e = await failure(options({ profile: { name: 'x', host: 'http://engine', user: '', https: false } }));
    assert.equal(e.kind, 'badProfile');
    assert.equal(
      e.message,
      "Engine profile 'x': The engine host 'http://engine' has a scheme: give only the host name (use the https setting for HTTPS).\nEngine profile 'x' needs the engine user to log in as.",
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
