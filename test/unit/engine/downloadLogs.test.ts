import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DownloadLogsOptions, downloadPluginLogs, EngineProgress, safeFileNamePart } from '../../../core/engine/client';
import { EngineError } from '../../../core/engine/errors';
import type { EngineProfile } from '../../../core/engine/profiles';
import { TestEngine } from '../../support/testEngine';
import { listFiles, removeDir, tempDir } from '../../support/engineTestKit';

const PASSWORD = 'Logs-Pw-Wombat-5521!';
const PLUGIN_ID = '7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a';

describe('download-logs through the engine client', () => {
  let engine: TestEngine;
  let dir: string;
  let progress: EngineProgress[];
  const bundle = crypto.randomBytes(700_000);

  const options = (extra: Partial<DownloadLogsOptions> = {}): DownloadLogsOptions => ({
    profile: engine.profile() as EngineProfile,
    password: PASSWORD,
    pluginId: PLUGIN_ID,
    pluginName: 'First Plugin',
    directory: dir,
    requestTimeoutMs: 2000,
    onProgress: (p) => progress.push(p),
    ...extra,
  });

  const failure = async (o: DownloadLogsOptions): Promise<EngineError> => {
    try {
      await downloadPluginLogs(o);
    } catch (e) {
      assert.ok(e instanceof EngineError, `not an EngineError: ${e}`);
      assert.ok(!e.message.includes(PASSWORD) && !(e.stack ?? '').includes(PASSWORD));
      return e;
    }
    assert.fail('the download succeeded');
  };

  before(async () => {
    engine = await TestEngine.start({ password: PASSWORD, logBundle: bundle });
  });
  after(() => engine.close());
  beforeEach(() => {
    dir = tempDir();
    progress = [];
    engine.faults = {};
    engine.requests.length = 0;
    engine.violations.length = 0;
    // A replicated copy (with a namespace) comes first: it must be skipped.
    engine.toolkits = [
      { type: 'Toolkit', reference: 'APPDATA_TOOLKIT-9', identifier: PLUGIN_ID, name: 'First Plugin', namespace: 'NAMESPACE-2' },
      { type: 'Toolkit', reference: 'APPDATA_TOOLKIT-3', identifier: 'another-plugin', name: 'Other', namespace: null },
      { type: 'Toolkit', reference: 'APPDATA_TOOLKIT-4', identifier: PLUGIN_ID, name: 'First Plugin', namespace: null },
    ];
  });
  afterEach(() => {
    for (const p of progress) assert.ok(!p.message.includes(PASSWORD));
    removeDir(dir);
  });

  it('finds the toolkit by identifier with namespace null and saves the bundle', async () => {
    engine.faults.bundleTokenText = ' TOKEN\n';
    const r = await downloadPluginLogs(options());
    assert.deepEqual(engine.violations, []);
    assert.deepEqual(engine.routes(), ['session', 'login', 'toolkits', 'bundle', 'download']);
    assert.equal(engine.requests[0].body.toString(), '{"type": "APISession", "version": {"type": "APIVersion", "major": 1, "minor": 11, "micro": 16}}');
    assert.equal(
      engine.requests[3].body.toString(),
      '{"type": "SupportBundleGenerateParameters", "bundleType": "PLUGIN_LOG", "plugin": "APPDATA_TOOLKIT-4"}',
    );
    assert.equal(r.toolkit, 'APPDATA_TOOLKIT-4');
    assert.match(r.token, /^bundle-\d+-[0-9a-f]{8}$/);
    assert.equal(engine.requests[4].url, `/resources/json/delphix/data/downloadOutputStream?token=${r.token}`);
    assert.equal(r.file, path.join(dir, `dlpx-plugin-logs-First Plugin-${r.token}.tar.gz`));
    assert.ok(fs.readFileSync(r.file).equals(bundle));
    assert.equal(r.bytes, bundle.length);
    assert.deepEqual(listFiles(dir), [path.basename(r.file)]);
    const last = progress.at(-1)!;
    assert.deepEqual([last.step, last.bytes, last.total], ['download', bundle.length, bundle.length]);
  });

  it('says when the plugin is not on the engine', async () => {
    engine.toolkits = engine.toolkits.filter((t) => t.namespace !== null);
    const e = await failure(options());
    assert.equal(e.kind, 'notFound');
    assert.equal(e.message, `Cannot find plugin First Plugin (id ${PLUGIN_ID}) on Delphix Engine 127.0.0.1:${engine.port}. Upload your plugin and try again.`);
    assert.deepEqual(engine.routes(), ['session', 'login', 'toolkits']);
  });

  it('leaves no partial bundle when the connection breaks mid-download', async () => {
    engine.faults.resetDownloadAfterBytes = 100_000;
    const e = await failure(options());
    assert.equal(e.kind, 'network');
    assert.match(e.message, /^The connection to the engine at 127\.0\.0\.1:\d+ broke during the log bundle download/);
    assert.deepEqual(listFiles(dir), []);
  });

  it('leaves no partial bundle when cancelled mid-download', async () => {
    engine.logBundle = crypto.randomBytes(6_000_000);
    const controller = new AbortController();
    const e = await failure(
      options({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 'download' && p.bytes) controller.abort();
        },
      }),
    );
    engine.logBundle = bundle;
    assert.equal(e.kind, 'cancelled');
    assert.deepEqual(listFiles(dir), []);
  });

  it('retries the toolkit list after a 500', async () => {
    engine.faults.failStatus = { toolkits: { status: 500, times: 1 } };
    const r = await downloadPluginLogs(options({ retryDelayMs: 10 }));
    assert.equal(r.toolkit, 'APPDATA_TOOLKIT-4');
    assert.deepEqual(engine.routes(), ['session', 'login', 'toolkits', 'toolkits', 'bundle', 'download']);
  });

  it('refuses a directory that does not exist, before connecting', async () => {
    const missing = path.join(dir, 'nope');
    const e = await failure(options({ directory: missing }));
    assert.equal(e.kind, 'io');
    assert.equal(e.message, `The download directory ${missing} does not exist. Choose an existing directory you can write to.`);
    assert.deepEqual(engine.requests, []);
  });

  it('explains that download-logs needs engine API 1.11.16', async () => {
    const old = await TestEngine.start({ password: PASSWORD, apiVersions: ['1.11.6'] });
    try {
      const e = await failure(options({ profile: old.profile() as EngineProfile }));
      assert.equal(e.kind, 'apiVersion');
      assert.equal(
        e.message,
        `The engine at 127.0.0.1:${old.port} does not support the Delphix API version 1.11.16 the session asked for.\n` +
          'The engine refused the session request.\nAPI request failed with HTTP Status 400\nDetails: Invalid API version "1.11.16".\n' +
          'Action: Use an API version supported by this Delphix Engine.\n' +
          'Downloading plugin logs speaks engine API 1.11.16, as dvp 4.0.5 and later do, whatever SDK built the plugin; it needs Delphix Engine 6.0.16.0 or later.',
      );
    } finally {
      await old.close();
    }
  });

  it('reports wrong credentials', async () => {
    const e = await failure(options({ password: 'not-it' }));
    assert.equal(e.kind, 'auth');
  });

  it('makes names safe as file names', () => {
    assert.equal(safeFileNamePart('a/b\\c:d*e?f"g<h>i|j\u0001k l'), 'a_b_c_d_e_f_g_h_i_j_k l');
  });
});
