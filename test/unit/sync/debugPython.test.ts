// Which interpreter a debug run uses: the one asked for when it can start debugpy; else one of the same
// Python version (with a warning saying what to run), never one of another version; and when none fits,
// a message with the exact commands.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findDebugPython } from '../../../core/sync/tools';

function canStartDebugpy(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import debugpy.server.cli'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const systemHasDebugpy = fs.existsSync('/usr/bin/python3') && canStartDebugpy('/usr/bin/python3');

describe('the interpreter of a debug run', () => {
  let tmp: string;
  let venv: string;
  let systemVersion: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'debug-python-'));
    // A virtual environment of Debian's python3 without its packages: the same Python version, no debugpy.
    venv = path.join(tmp, 'venv');
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);
    systemVersion = execFileSync('/usr/bin/python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' }).trim();
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A stand-in interpreter that answers the probe as a Python of `version` with debugpy would. */
  const fakePython = (name: string, version: string): string => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, `#!/bin/sh\necho '{"executable": "${file}", "version": "${version}", "debugpy": "1.8.0", "why": null}'\n`, { mode: 0o755 });
    return file;
  };

  it('uses another interpreter of the same Python version, and says what to run to debug with the one asked for', { skip: !systemHasDebugpy && 'Debian python3 without debugpy' }, async () => {
    const asked = path.join(venv, 'bin', 'python3');
    const found = await findDebugPython(asked, process.env, ['/usr/bin/python3']);
    assert.equal(found.python?.path, '/usr/bin/python3');
    assert.match(
      found.warning ?? '',
      new RegExp(
        `^${asked.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: Python ${systemVersion.replace(/\./g, '\\.')} without debugpy: debugging with /usr/bin/python3 \\(Python ${systemVersion.replace(/\./g, '\\.')}, debugpy [^)]+\\) instead\\. ` +
          `To debug with ${asked.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} itself, run: \\S+ -m pip install debugpy$`,
      ),
    );
  });

  it('never uses an interpreter of another Python version, and lists the commands that would fix it', async () => {
    const asked = path.join(venv, 'bin', 'python3');
    const other = fakePython('python3.9', '3.9.18');
    const found = await findDebugPython(asked, process.env, [other]);
    assert.equal(found.python, undefined);
    const exe = execFileSync(asked, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    assert.equal(
      found.message,
      `Debugging the plugin needs debugpy in the interpreter that runs it, and ${asked} cannot start it:\n` +
        `  ${asked}: Python ${systemVersion} without debugpy\n` +
        `  ${other}: Python 3.9.18 with debugpy 1.8.0, not used: another Python version runs the plugin differently\n` +
        'Run one of:\n' +
        `  ${exe} -m pip install debugpy            (from PyPI)\n` +
        `  ${exe} -m pip install --no-index --find-links <folder with a debugpy wheel> debugpy    (offline)\n` +
        'or set the sync profile\'s "python" to an interpreter that has debugpy.',
    );
  });

  it('says when debugpy imports but cannot start (a dependency missing), with the apt package for Debian\'s python3', async () => {
    // A debugpy package whose server cannot start, as Debian's is without python3-pydevd's bytecode.
    const site = execFileSync(path.join(venv, 'bin', 'python3'), ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
    fs.mkdirSync(path.join(site, 'debugpy', 'server'), { recursive: true });
    fs.writeFileSync(path.join(site, 'debugpy', '__init__.py'), '__version__ = "1.6.3"\n');
    fs.writeFileSync(path.join(site, 'debugpy', 'server', '__init__.py'), '');
    fs.writeFileSync(path.join(site, 'debugpy', 'server', 'cli.py'), 'import bytecode_not_installed_here\n');
    try {
      const asked = path.join(venv, 'bin', 'python3');
      const found = await findDebugPython(asked, process.env, []);
      assert.equal(found.python, undefined);
      assert.match(found.message!, /: Python \S+, whose debugpy cannot start \(ModuleNotFoundError: No module named 'bytecode_not_installed_here'\)\n/);
      const apt = await findDebugPython('/nonexistent/python3', { ...process.env, PATH: '/nonexistent' }, ['/usr/bin/python3']);
      if (!apt.python) assert.match(apt.message!, /apt-get install python3-debugpy {4}\(Debian\/Ubuntu, for \/usr\/bin\/python3\)/);
    } finally {
      fs.rmSync(path.join(site, 'debugpy'), { recursive: true, force: true });
    }
  });
});
