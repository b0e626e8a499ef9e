import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/sync');
export const EXAMPLE = path.join(REPO, 'examples/first-plugin');
export const RUNTIME = path.join(REPO, 'runtime');

export interface TestPlugin {
  root: string;
  /** The source folder the profile points at (filled with a small tree). */
  source: string;
  writeProfile(profile: unknown, name?: string): string;
  cleanup(): void;
}

/** A copy of a plugin folder in a temporary directory, with a small source tree beside it. */
export function copyPlugin(from: string = path.join(FIXTURES, 'plugin')): TestPlugin {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dpstudio-sync-'));
  const root = path.join(base, 'plugin');
  fs.cpSync(from, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  const source = path.join(base, 'source data');
  fs.mkdirSync(path.join(source, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(source, 'a.txt'), 'alpha\n');
  fs.writeFileSync(path.join(source, 'b.txt'), 'bravo bravo\n');
  fs.writeFileSync(path.join(source, 'sub', 'c.txt'), 'charlie\n');
  return {
    root,
    source,
    writeProfile(profile: unknown, name = 'local') {
      const file = path.join(root, '.delphix', 'sync', `${name}.json`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, typeof profile === 'string' ? profile : JSON.stringify(profile, null, 2));
      return file;
    },
    cleanup() {
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A profile for the fixture plugin with a local source. */
export function fixtureProfile(source: string, behaviour = 'mirror', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environments: { staging: { type: 'local' }, source: { type: 'local' } },
    repository: { name: 'test' },
    sourceConfig: { name: 'data', path: source },
    linkedSource: { sourceAddress: 'localhost', username: 'tester', mountLocation: '/mnt/staging/test', behaviour },
    snapshotParameters: { resync: false },
    ...extra,
  };
}

export function pythonExecutable(): string {
  return require('child_process').execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}
