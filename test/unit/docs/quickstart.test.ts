// The README's quick-start commands are what a new user types and what CI runs: `.ci/run` must run
// command 2 exactly as the README writes it, and neither command may need sudo to exist.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function quickStartBlock(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1];
  return block.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
}

describe('the README quick start', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quickstart-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has two commands, neither of which needs sudo', () => {
    const commands = quickStartBlock();
    assert.deepEqual(commands, [
      'bash scripts/install-prereqs.sh && npm ci && npm run demo',
      'bash scripts/install-prereqs.sh && npm ci && npm test',
    ]);
    for (const c of commands) assert.doesNotMatch(c, /\bsudo\b/);
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'install-prereqs.sh'), 'utf8');
    assert.match(script, /if \[ "\$\(id -u\)" -ne 0 \]; then/, 'the script elevates itself only when not root');
  });

  it('scripts/quickstart-command.sh prints each command as the README writes it', () => {
    const commands = quickStartBlock();
    for (const n of [1, 2]) {
      assert.equal(execFileSync('bash', [path.join(ROOT, 'scripts', 'quickstart-command.sh'), String(n)], { encoding: 'utf8' }), `${commands[n - 1]}\n`);
    }
  });

  it('.ci/run runs command 2 exactly as written: the install script, then npm ci, then npm test', () => {
    // A copy of what .ci/run reads, with the install script and npm replaced by recorders.
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, '.ci'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(repo, 'README.md'));
    fs.copyFileSync(path.join(ROOT, '.ci', 'run'), path.join(repo, '.ci', 'run'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'quickstart-command.sh'), path.join(repo, 'scripts', 'quickstart-command.sh'));
    const log = path.join(tmp, 'calls.log');
    fs.writeFileSync(path.join(repo, 'scripts', 'install-prereqs.sh'), `echo "install-prereqs $*" >> ${log}\n`);
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> ${log}\n`, { mode: 0o755 });
    const out = execFileSync('bash', [path.join(repo, '.ci', 'run')], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(out.split('\n')[0], `+ ${quickStartBlock()[1]}`);
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), ['install-prereqs ', 'npm ci', 'npm test']);

    // A failing step fails CI.
    fs.writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\nexit 7\n', { mode: 0o755 });
    assert.throws(() => execFileSync('bash', [path.join(repo, '.ci', 'run')], { stdio: 'pipe', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }));
  });
});
