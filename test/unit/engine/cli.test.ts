import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CliCommand, CliIO } from '../../../cli/io';
import { UsageError } from '../../../cli/io';
import { command as upload } from '../../../cli/commands/upload';
import { command as downloadLogs } from '../../../cli/commands/downloadLogs';
import { TestEngine } from '../../support/testEngine';
import { captureIO, CapturedIO, listFiles, pythonDumps, removeDir, tempDir, writeArtifact } from '../../support/engineTestKit';

const PASSWORD = 'Cli-Pw-Ocelot-7788$';
const PLUGIN_ID = '7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a';

/** What the dispatcher (cli/main.ts) does with a command's outcome: usage mistakes exit 2. */
async function run(cmd: CliCommand, args: string[], io: CliIO): Promise<number> {
  try {
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${cmd.name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

describe('upload and download-logs commands', () => {
  let engine: TestEngine;
  let dir: string;
  let captured: CapturedIO[];
  const printed = () => captured.map((c) => c.all()).join('\n');

  const io = (opts: { env?: NodeJS.ProcessEnv; answer?: string; tty?: boolean } = {}) => {
    const c = captureIO({
      cwd: dir,
      env: { DVP_CONFIG: path.join(dir, 'no-dvp-config'), DELPHIX_ENGINE_PASSWORD: PASSWORD, ...opts.env },
      answer: opts.answer,
      tty: opts.tty,
    });
    captured.push(c);
    return c;
  };
  const engineArgs = () => ['--engine', `127.0.0.1:${engine.port}`, '--user', 'admin'];

  before(async () => {
    engine = await TestEngine.start({ password: PASSWORD });
  });
  after(() => engine.close());
  beforeEach(() => {
    dir = tempDir();
    captured = [];
    engine.faults = {};
    engine.requests.length = 0;
    engine.violations.length = 0;
    writeArtifact(dir);
    fs.writeFileSync(path.join(dir, 'plugin_config.yml'), `id: ${PLUGIN_ID}\nname: First Plugin\nlanguage: PYTHON311\n`);
  });
  afterEach(() => {
    // No output of any command, nor any file written, holds the password.
    assert.ok(!printed().includes(PASSWORD), printed());
    for (const f of listFiles(dir)) assert.ok(!fs.readFileSync(path.join(dir, f)).includes(PASSWORD), f);
    removeDir(dir);
  });

  it('uploads DIR/artifact.json with the password from the environment', async () => {
    const c = io();
    assert.equal(await run(upload, [dir, ...engineArgs()], c.io), 0);
    assert.deepEqual(engine.violations, []);
    assert.deepEqual(engine.routes(), ['session', 'login', 'token', 'upload']);
    assert.ok(engine.uploads.at(-1)!.content.equals(pythonDumps(path.join(dir, 'artifact.json'))));
    const action = engine.uploads.at(-1)!.action;
    assert.match(
      c.out.join('\n'),
      new RegExp(`^Uploaded artifact.json \\(\\d+\\.\\d KiB\\) to 127\\.0\\.0\\.1:${engine.port}: a new plugin, action ${action}\\. The engine installs it in the background; use --wait to wait for it\\.$`),
    );
    assert.deepEqual(c.err.slice(0, 3), [
      `Starting a session with the engine at 127.0.0.1:${engine.port} (API 1.11.16).`,
      "Logging in as 'admin'.",
      'Requesting an upload token.',
    ]);
    assert.match(c.err.at(-2)!, /^Uploading artifact.json: 100% of \d+\.\d KiB$/);
    // Sent is not received: the last line says the engine has yet to answer.
    assert.match(c.err.at(-1)!, /^All \d+ bytes of artifact.json sent; awaiting the engine's answer\.$/);
    assert.deepEqual(c.prompts, []);
  });

  it('waits with --wait and reports success as dvp does', async () => {
    const c = io();
    const code = await run(upload, ['--artifact', path.join(dir, 'artifact.json'), ...engineArgs(), '--wait', '--poll-interval', '0.01', '--timeout', '5'], c.io);
    assert.equal(code, 0, c.err.join('\n'));
    assert.match(c.out.join('\n'), new RegExp(`^Plugin artifact.json was successfully uploaded to 127\\.0\\.0\\.1:${engine.port} \\(a new plugin, action ACTION-\\d+\\)\\.$`));
    assert.deepEqual(engine.routes().slice(4), ['action', 'action']);
  });

  it('fails with exit 1 and the engine message when the job fails', async () => {
    engine.faults.jobStates = ['FAILED'];
    const c = io();
    assert.equal(await run(upload, [...engineArgs(), '--wait', '--poll-interval', '0.01'], c.io), 1);
    assert.match(c.err.at(-1)!, /^Failed trying to upload plugin artifact.json\. The engine's action ACTION-\d+ ended FAILED\.\nFix what the engine reports, then upload again\.$/);
    assert.deepEqual(c.out, []);
  });

  it('rejects --password, without repeating it', async () => {
    for (const args of [['--password', PASSWORD], [`--password=${PASSWORD}`]]) {
      const c = io();
      assert.equal(await run(upload, [...engineArgs(), ...args], c.io), 2);
      assert.equal(
        c.err.join('\n'),
        'upload: a password is not accepted as an argument: other users can read it in the process list, and it stays in the shell history. ' +
          'Set the environment variable DELPHIX_ENGINE_PASSWORD, or leave it unset to be asked for the password.',
      );
      assert.equal(await run(downloadLogs, [...engineArgs(), ...args], io().io), 2);
    }
    assert.deepEqual(engine.requests, []);
  });

  it('asks for the password without echo when the environment has none', async () => {
    const c = io({ env: { DELPHIX_ENGINE_PASSWORD: '' }, answer: PASSWORD });
    assert.equal(await run(upload, engineArgs(), c.io), 0);
    assert.deepEqual(c.prompts, ['Password for admin on 127.0.0.1: ']);
  });

  it('fails clearly without a password and without a terminal', async () => {
    const c = io({ env: { DELPHIX_ENGINE_PASSWORD: '' }, tty: false });
    assert.equal(await run(upload, engineArgs(), c.io), 1);
    assert.deepEqual(c.err, ['No password: set the environment variable DELPHIX_ENGINE_PASSWORD, or run the command in a terminal to be asked for it.']);
    assert.deepEqual(engine.requests, []);
  });

  it('reports wrong credentials with exit 1', async () => {
    const c = io({ env: { DELPHIX_ENGINE_PASSWORD: 'Not-The-Password-31' } });
    assert.equal(await run(upload, engineArgs(), c.io), 1);
    assert.match(c.err.at(-1)!, /^Login to the engine at 127\.0\.0\.1:\d+ as 'admin' failed\.\n/);
    assert.ok(!c.all().includes('Not-The-Password-31'));
  });

  it('takes engine and user from the dvp config file, but never its password', async () => {
    const config = path.join(dir, 'dvp-config');
    fs.writeFileSync(config, `[default]\nengine = 127.0.0.1:${engine.port}\nuser = admin\npassword = ${PASSWORD}\n`);
    const c = io({ env: { DVP_CONFIG: config, DELPHIX_ENGINE_PASSWORD: '' }, answer: PASSWORD });
    assert.equal(await run(upload, [], c.io), 0);
    assert.equal(c.err[0], `note: the password in ${config} is not used: passwords are not read from files. Set DELPHIX_ENGINE_PASSWORD or type it below.`);
    assert.equal(c.prompts.length, 1);
    // The config file itself is the user's; drop it so the no-password-in-files check covers what we wrote.
    fs.rmSync(config);
  });

  it('says which option is missing (exit 2)', async () => {
    let c = io();
    assert.equal(await run(upload, ['--user', 'admin'], c.io), 2);
    assert.equal(c.err[0], `upload: --engine is required (or set engine in the [default] section of ${path.join(dir, 'no-dvp-config')})`);
    c = io();
    assert.equal(await run(upload, ['--engine', 'x', '--timeout', '5'], c.io), 2);
    assert.equal(c.err[0], 'upload: --timeout and --poll-interval apply to --wait only');
    c = io();
    assert.equal(await run(upload, ['-e', 'x', '--engine', 'y', '-u', 'admin'], c.io), 2);
    assert.equal(c.err[0], 'upload: --engine and -e are the same option; give it once');
    c = io();
    assert.equal(await run(upload, ['--engine', 'http://h', '--https', '-u', 'a'], c.io), 2);
    assert.equal(c.err[0], 'upload: http://h says http:// but HTTPS options are given');
  });

  it('reports a missing artifact with exit 1 before connecting', async () => {
    const c = io();
    assert.equal(await run(upload, [...engineArgs(), '-a', 'nope.json'], c.io), 1);
    assert.match(c.err[0], /^Unable to read upload artifact file '.*nope\.json': ENOENT\./);
    assert.deepEqual(engine.requests, []);
  });

  it('downloads the logs into --directory', async () => {
    engine.toolkits = [{ reference: 'APPDATA_TOOLKIT-1', identifier: PLUGIN_ID, name: 'First Plugin', namespace: null }];
    const out = path.join(dir, 'logs');
    fs.mkdirSync(out);
    const c = io();
    assert.equal(await run(downloadLogs, [dir, ...engineArgs(), '--directory', out], c.io), 0, c.err.join('\n'));
    const files = fs.readdirSync(out);
    assert.equal(files.length, 1);
    assert.match(files[0], /^dlpx-plugin-logs-First Plugin-bundle-\d+-[0-9a-f]{8}\.tar\.gz$/);
    assert.ok(fs.readFileSync(path.join(out, files[0])).equals(engine.logBundle));
    assert.deepEqual(c.out, [`Plugin logs were successfully downloaded to ${path.join(out, files[0])} (1000 bytes).`]);
    assert.deepEqual(engine.violations, []);
  });

  it('says when the plugin config cannot name the plugin', async () => {
    fs.writeFileSync(path.join(dir, 'plugin_config.yml'), 'name: First Plugin\nid: 12\n');
    const c = io();
    assert.equal(await run(downloadLogs, engineArgs(), c.io), 1);
    assert.deepEqual(c.err, [`${path.join(dir, 'plugin_config.yml')} needs 'id' as text to find the plugin on the engine.`]);
    assert.deepEqual(engine.requests, []);
  });

  it('reports a plugin the engine does not have with exit 1', async () => {
    engine.toolkits = [];
    const c = io();
    assert.equal(await run(downloadLogs, engineArgs(), c.io), 1);
    assert.equal(c.err.at(-1), `Cannot find plugin First Plugin (id ${PLUGIN_ID}) on Delphix Engine 127.0.0.1:${engine.port}. Upload your plugin and try again.`);
  });

  it('stops on Ctrl-C (the io signal) with exit 1', async () => {
    engine.faults.jobStates = ['RUNNING'];
    const c = io();
    setTimeout(() => c.controller.abort(), 100);
    const start = Date.now();
    assert.equal(await run(upload, [...engineArgs(), '--wait', '--poll-interval', '5'], c.io), 1);
    assert.equal(c.err.at(-1), 'Cancelled.');
    assert.ok(Date.now() - start < 1000);
  });
});
