// The CLI in-process: check (text, JSON, SARIF, exit codes), init, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../cli/main';
import type { CliIO } from '../../../cli/io';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'first-plugin');

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, env: process.env, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), signal: new AbortController().signal };
  const code = await main(args, io);
  return { code, out, err };
}

function copyExample(to: string): string {
  fs.cpSync(EXAMPLE, to, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  return to;
}

test('check: the example plugin has no problem at all (exit 0, nothing on stdout)', async () => {
  const r = await run(['check', EXAMPLE], ROOT);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), '');
  assert.match(r.err, /1 plugin checked: 0 errors, 0 warnings\./);
});

test("check: the tutorial's own plugin_runner.py (rsync arguments unquoted) gives its two warnings as file:line:col lines (exit 0)", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-tutorial-'));
  try {
    const dir = copyExample(path.join(tmp, 'plugin'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'shell-quoting', 'tutorial_plugin_runner.py'), path.join(dir, 'src', 'plugin_runner.py'));
    const r = await run(['check', 'plugin'], tmp);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/ warning .* \[/, ' [')), [
      'plugin/src/plugin_runner.py:45:45 [python.unquotedShellArgument]',
      'plugin/src/plugin_runner.py:45:60 [python.unquotedShellArgument]',
    ]);
    assert.match(lines[0], / warning 'data_location' goes into a run_bash command unquoted\. Wrap it in shlex\.quote\(\)\. \[/);
    assert.match(r.err, /1 plugin checked: 0 errors, 2 warnings\./);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('check: errors give exit 1, in text, JSON and SARIF', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-check-'));
  try {
    const dir = copyExample(path.join(tmp, 'plugin'));
    const cfg = path.join(dir, 'plugin_config.yml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('pluginType: STAGED', 'pluginType: staged'));
    const text = await run(['check', 'plugin'], tmp);
    assert.equal(text.code, 1);
    const line = text.out.split('\n').find((l) => l.includes('[config.enum]'));
    assert.ok(line, text.out);
    assert.match(line!, /^plugin\/plugin_config\.yml:7:13 error /);

    const json = await run(['check', 'plugin', '--format', 'json'], tmp);
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.out);
    assert.equal(parsed.summary.errors, 1);
    const p = parsed.problems.find((x: { code: string }) => x.code === 'config.enum');
    assert.deepEqual([p.file, p.line, p.column, p.severity, p.reportedByDvp], ['plugin/plugin_config.yml', 7, 13, 'error', true]);

    const sarif = await run(['check', 'plugin', '--format', 'sarif'], tmp);
    assert.equal(sarif.code, 1);
    const s = JSON.parse(sarif.out);
    assert.equal(s.version, '2.1.0');
    const result = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'config.enum');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'plugin/plugin_config.yml', uriBaseId: 'SRCROOT' });
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 7, startColumn: 13, endLine: 7, endColumn: 19 });
    assert.ok(s.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'config.enum'));

    // --output writes the report to a file.
    const out = await run(['check', 'plugin', '--format', 'json', '--output', 'report.json'], tmp);
    assert.equal(out.code, 1);
    assert.equal(JSON.parse(fs.readFileSync(path.join(tmp, 'report.json'), 'utf8')).summary.errors, 1);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('check: a folder with several plugins checks each; a folder with none says so', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-multi-'));
  try {
    copyExample(path.join(tmp, 'a'));
    copyExample(path.join(tmp, 'nested', 'b'));
    const r = await run(['check', '.'], tmp);
    assert.equal(r.code, 0);
    assert.match(r.err, /2 plugins checked/);
    const none = await run(['check', path.join(tmp, 'nested', 'b', 'src')], tmp);
    assert.equal(none.code, 1);
    assert.match(none.err, /No plugin_config\.yml found/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('usage mistakes exit 2 with the usage', async () => {
  const r = await run(['check', '--format', 'xml'], ROOT);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown format "xml"/);
  assert.match(r.err, /Usage: delphix-plugin-studio check/);
  assert.equal((await run(['check', '--sdk', '9.9.9'], ROOT)).code, 2);
  assert.equal((await run(['frobnicate'], ROOT)).code, 2);
  assert.equal((await run(['check', '--nope'], ROOT)).code, 2);
});

test('init makes a plugin that checks clean, with a sync profile, a launch configuration and generated definitions; it refuses to overwrite', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-init-'));
  try {
    for (const type of ['STAGED', 'DIRECT']) {
      const dir = path.join(tmp, type.toLowerCase());
      const r = await run(['init', dir, '--type', type, '--name', `My ${type} plugin`], tmp);
      assert.equal(r.code, 0, r.err);
      for (const f of ['plugin_config.yml', 'schema.json', 'src/plugin_runner.py', '.delphix/sync/local.json', '.vscode/launch.json', 'src/generated/definitions/__init__.py']) {
        assert.ok(fs.existsSync(path.join(dir, f)), `${type}: ${f}`);
      }
      const config = fs.readFileSync(path.join(dir, 'plugin_config.yml'), 'utf8');
      assert.match(config, new RegExp(`^pluginType: ${type}$`, 'm'));
      assert.match(config, /^name: My \w+ plugin$/m);
      const launch = JSON.parse(fs.readFileSync(path.join(dir, '.vscode/launch.json'), 'utf8'));
      assert.equal(launch.configurations[0].type, 'delphix-sync');
      if (type === 'DIRECT') assert.ok(fs.existsSync(path.join(dir, 'sample-source', 'README.txt')), 'a DIRECT plugin gets its source folder');
      const sync = await run(['sync', dir], tmp);
      assert.equal(sync.code, 0, `the first simulated sync of a new ${type} plugin works:\n${sync.out}${sync.err}`);
      const check = await run(['check', dir], tmp);
      assert.equal(check.code, 0, check.out + check.err);
      assert.equal(check.out.trim(), '', 'no problem at all in a new plugin');
      const again = await run(['init', dir, '--type', type], tmp);
      assert.equal(again.code, 1);
      assert.match(again.err, /already exists/);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
