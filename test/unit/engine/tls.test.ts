import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EngineProgress, uploadArtifact, UploadOptions } from '../../../core/engine/client';
import { EngineError } from '../../../core/engine/errors';
import type { EngineProfile } from '../../../core/engine/profiles';
import { TestEngine } from '../../support/testEngine';
import { Certificates, makeCertificates, pythonDumps, removeDir, tempDir, writeArtifact } from '../../support/engineTestKit';

const PASSWORD = 'Tls-Pw-Narwhal-0412';

describe('HTTPS to the engine', () => {
  let certs: Certificates;
  let engine: TestEngine;
  let selfSigned: TestEngine;
  let plain: TestEngine;
  let dir: string;
  let artifact: string;

  before(async () => {
    certs = makeCertificates();
    engine = await TestEngine.start({ password: PASSWORD, tls: { key: certs.serverKey, cert: certs.serverCert } });
    selfSigned = await TestEngine.start({ password: PASSWORD, tls: { key: certs.selfSignedKey, cert: certs.selfSignedCert } });
    plain = await TestEngine.start({ password: PASSWORD });
    dir = tempDir();
    artifact = writeArtifact(dir);
  });
  after(async () => {
    await Promise.all([engine.close(), selfSigned.close(), plain.close()]);
    removeDir(certs.dir);
    removeDir(dir);
  });

  const options = (profile: Record<string, unknown>, extra: Partial<UploadOptions> = {}): UploadOptions => ({
    profile: profile as unknown as EngineProfile,
    password: PASSWORD,
    artifactPath: artifact,
    requestTimeoutMs: 3000,
    connectTimeoutMs: 3000,
    ...extra,
  });

  const failure = async (o: UploadOptions): Promise<EngineError> => {
    try {
      await uploadArtifact(o);
    } catch (e) {
      assert.ok(e instanceof EngineError, `not an EngineError: ${e}`);
      assert.ok(!e.message.includes(PASSWORD));
      return e;
    }
    assert.fail('the upload succeeded');
  };

  it('uploads over HTTPS when the profile names the CA file', async () => {
    const r = await uploadArtifact(options(engine.profile({ caFile: certs.caFile })));
    assert.equal(r.warnings.length, 0);
    assert.deepEqual(engine.violations, []);
    assert.deepEqual(engine.routes(), ['session', 'login', 'token', 'upload']);
    assert.ok(engine.uploads[0].content.equals(pythonDumps(artifact)));
  });

  it('refuses a certificate from an unknown CA and says to add the CA file', async () => {
    const e = await failure(options(engine.profile()));
    assert.equal(e.kind, 'tls');
    assert.equal(e.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(
      e.message,
      `The certificate of the engine at 127.0.0.1:${engine.port} is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate). ` +
        "If the engine uses a self-signed certificate or a private CA, add the engine's CA file to the profile (caFile, or --ca-file).",
    );
  });

  it('refuses a self-signed certificate the same way', async () => {
    const e = await failure(options(selfSigned.profile()));
    assert.equal(e.kind, 'tls');
    assert.equal(e.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(e.message, /add the engine's CA file to the profile/);
    assert.deepEqual(selfSigned.requests, []);
  });

  it('connects without verification only when told, and says so loudly', async () => {
    const progress: EngineProgress[] = [];
    const r = await uploadArtifact(options(selfSigned.profile({ insecure: true }), { onProgress: (p) => progress.push(p) }));
    const warning =
      `TLS certificate verification is OFF for the engine at 127.0.0.1:${selfSigned.port} (profile 'test engine' is marked insecure): ` +
      "anyone on the network path could read the password. Add the engine's CA file to the profile instead.";
    assert.deepEqual(r.warnings, [warning]);
    assert.deepEqual(progress[0], { step: 'session', message: `WARNING: ${warning}`, warning: true });
    assert.deepEqual(selfSigned.violations, []);
  });

  it('says when the engine does not speak HTTPS on the port', async () => {
    const e = await failure(options(plain.profile({ https: true })));
    assert.equal(e.kind, 'tls');
    assert.match(
      e.message,
      new RegExp(`^The TLS handshake with the engine at 127\\.0\\.0\\.1:${plain.port} failed \\(.+\\)\\. The engine may not speak HTTPS on port ${plain.port}: check the port, or turn https off in the profile\\.$`),
    );
  });

  it('reports a CA file that cannot be read or holds no certificate', async () => {
    const missing = path.join(dir, 'missing.pem');
    let e = await failure(options(engine.profile({ caFile: missing })));
    assert.equal(e.kind, 'badProfile');
    assert.equal(e.message, `Cannot read the CA file '${missing}' of engine profile 'test engine' (ENOENT). Fix the path in the profile.`);
    const notPem = path.join(dir, 'key.pem');
    fs.writeFileSync(notPem, certs.serverKey);
    e = await failure(options(engine.profile({ caFile: notPem })));
    assert.equal(e.kind, 'badProfile');
    assert.match(e.message, /holds no PEM certificate/);
  });
});
