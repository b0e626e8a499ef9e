// The security review as a test: no code of the extension, the CLI or the simulated runtime starts a
// process through a shell, so no user-controlled value can be interpolated into a command line. (The
// one deliberate `bash -c` is the simulated `libs.run_bash`, which runs the plugin's own command
// string exactly as the engine does; its `variables` are passed as environment variables.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '__pycache__') out.push(...files(p, ext));
    } else if (ext.test(e.name)) out.push(p);
  }
  return out;
}

test('TypeScript: child processes are spawned with argument arrays, never through a shell', () => {
  const offenders: string[] = [];
  for (const f of ['core', 'cli', 'server', 'client'].flatMap((d) => files(path.join(ROOT, d), /\.ts$/))) {
    const text = fs.readFileSync(f, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (/shell\s*:\s*true|\bexecSync\s*\(|child_process['"]\)\.exec\b|\bimport\s*\{[^}]*\bexec\b[^}]*\}\s*from\s*['"]child_process/.test(line)) offenders.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test('Python runtime: no shell=True, os.system or os.popen; bash -c only in the run_bash implementation', () => {
  const offenders: string[] = [];
  for (const f of files(path.join(ROOT, 'runtime'), /\.py$/)) {
    const text = fs.readFileSync(f, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (/shell\s*=\s*True|os\.system\s*\(|os\.popen\s*\(/.test(line)) offenders.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
