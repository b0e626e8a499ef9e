// The fuzz workspace: copies of the example plugin and of the fixture plugins in a temporary folder,
// with the files that hurt tree walks and readers put on disk once (binary files under srcDir, symbolic
// link loops under srcDir and at the workspace root, a dangling link, a FIFO). The seed corpus is read
// from the same plugins.

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Corpus, FileKind } from './mutators';
import type { Rng } from './rng';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Plugins the fuzzer edits: the SDK tutorial's plugin first, then fixtures with other shapes. */
const SEED_PLUGINS = [
  'examples/first-plugin',
  'test/fixtures/python/flows',
  'test/fixtures/python/direct',
  'test/fixtures/python/operations',
  'test/fixtures/config/plugin',
];

/** Extra seed texts that are not plugins of their own. */
const EXTRA_SCHEMAS = ['test/fixtures/schema', 'test/fixtures/codegen'];

export interface FuzzPlugin {
  root: string;
  files: { kind: FileKind; file: string }[];
}

export interface FuzzWorkspace {
  dir: string;
  plugins: FuzzPlugin[];
  corpus: Corpus;
  /** Original bytes of every file the fuzzer may change, to restore after an input. */
  originals: Map<string, Buffer>;
  hazards: string[];
  dispose(): void;
}

function copyPlugin(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (s) => !s.includes(`${path.sep}.delphix${path.sep}sandbox`) && !s.includes('__pycache__') });
}

function listFiles(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(full, out, depth + 1);
    else if (e.isFile()) out.push(full);
  }
  return out;
}

export function createWorkspace(rng: Rng): FuzzWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delphix-fuzz-'));
  const plugins: FuzzPlugin[] = [];
  const corpus: Corpus = { schema: [], config: [], python: [], profile: [] };
  const originals = new Map<string, Buffer>();
  const roots: string[] = [];
  for (const rel of SEED_PLUGINS) {
    const src = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(path.join(src, 'plugin_config.yml'))) continue;
    const root = path.join(dir, rel.replace(/[\\/]/g, '_'));
    copyPlugin(src, root);
    roots.push(root);
  }
  const hazards = addHazards(dir, roots[0], rng);
  for (const root of roots) {
    const files: FuzzPlugin['files'] = [];
    for (const f of listFiles(root)) {
      const base = path.basename(f);
      const kind: FileKind | undefined =
        base === 'plugin_config.yml' ? 'config'
        : base === 'schema.json' && path.dirname(f) === root ? 'schema'
        : f.endsWith('.py') ? 'python'
        : f.includes(`${path.sep}.delphix${path.sep}sync${path.sep}`) && f.endsWith('.json') ? 'profile'
        : undefined;
      if (!kind) continue;
      files.push({ kind, file: f });
      corpus[kind].push(fs.readFileSync(f, 'utf8'));
      originals.set(f, fs.readFileSync(f));
    }
    plugins.push({ root, files });
  }
  for (const rel of EXTRA_SCHEMAS) {
    const d = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(d)) continue;
    for (const f of listFiles(d)) if (f.endsWith('.json')) corpus.schema.push(fs.readFileSync(f, 'utf8'));
  }
  return {
    dir,
    plugins,
    corpus,
    originals,
    hazards,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Files that must not stall or crash a tree walk or a reader. Returns what was made. */
function addHazards(dir: string, plugin: string, rng: Rng): string[] {
  const made: string[] = [];
  const src = path.join(plugin, 'src');
  const tryMake = (what: string, make: () => void) => {
    try {
      make();
      made.push(what);
    } catch {
      /* the platform may not allow it (no FIFOs, no symlinks): the other hazards still count */
    }
  };
  const binary = Buffer.alloc(64 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = rng.int(256);
  tryMake('binary .py under srcDir', () => fs.writeFileSync(path.join(src, 'blob.py'), binary));
  tryMake('binary file under srcDir', () => fs.writeFileSync(path.join(src, 'image.png'), binary));
  tryMake('NUL-filled .py under srcDir', () => fs.writeFileSync(path.join(src, 'zeros.py'), Buffer.alloc(100 * 1024)));
  tryMake('symlink loop to . under srcDir', () => fs.symlinkSync('.', path.join(src, 'loop')));
  tryMake('second symlink loop to . under srcDir', () => fs.symlinkSync('.', path.join(src, 'loop2')));
  tryMake('symlink loop to .. under srcDir', () => fs.symlinkSync('..', path.join(src, 'up')));
  tryMake('dangling .py symlink under srcDir', () => fs.symlinkSync('does-not-exist.py', path.join(src, 'dangling.py')));
  tryMake('self-referencing .py symlink under srcDir', () => fs.symlinkSync('self.py', path.join(src, 'self.py')));
  tryMake('FIFO named .py under srcDir', () => execFileSync('mkfifo', [path.join(src, 'pipe.py')], { stdio: 'ignore' }));
  tryMake('sync profile value that backtracking patterns choke on', () => {
    const profile = path.join(plugin, '.delphix', 'sync', 'local.json');
    const value = JSON.parse(fs.readFileSync(profile, 'utf8')) as { linkedSource?: Record<string, unknown> };
    value.linkedSource = { ...value.linkedSource, username: 'a'.repeat(40) + '!' };
    fs.writeFileSync(profile, JSON.stringify(value, null, 2));
  });
  tryMake('symlink loop at the workspace root', () => fs.symlinkSync('.', path.join(dir, 'loop')));
  tryMake('plugin_config.yml that is a directory', () => fs.mkdirSync(path.join(dir, 'weird', 'plugin_config.yml'), { recursive: true }));
  return made;
}

/** Put every fuzzed file back as it was. */
export function restoreFile(ws: FuzzWorkspace, file: string): void {
  const original = ws.originals.get(file);
  if (original) fs.writeFileSync(file, original);
}
