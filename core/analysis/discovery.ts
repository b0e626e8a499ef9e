import * as path from 'path';
import type { FileSource } from '../files';

export const CONFIG_FILE_NAME = 'plugin_config.yml';

/** Folders that never hold an author's plugin: dependencies, build output, our own sandboxes. */
const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'build', 'dist', 'out', '.dvp-gen-output', '.delphix', 'generated',
  '__pycache__', '.venv', 'venv', '.tox', '.vscode-test', '.mypy_cache', '.pytest_cache',
]);

/** A folder name discovery never descends into (dependencies, build output, hidden folders). */
export function isSkippedDirName(name: string): boolean {
  return SKIPPED_DIRS.has(name) || (name.startsWith('.') && name !== '.');
}

/** Whether `file` lies in a folder discovery skips, below one of `roots`. */
export function isInSkippedDir(file: string, roots: string[]): boolean {
  const root = roots.find((r) => file.startsWith(r + path.sep));
  if (!root) return true;
  return path.relative(root, path.dirname(file)).split(path.sep).some((seg) => seg !== '' && isSkippedDirName(seg)) || isSkippedDirName(path.basename(file));
}

/**
 * Every folder under `roots` that holds a plugin_config.yml, i.e. every plugin of a workspace. Bounded in
 * depth and count so a huge or looping tree (symlinks) cannot stall the server.
 */
export function discoverPlugins(roots: string[], files: FileSource, limits = { maxDepth: 8, maxDirs: 20000 }): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  let visited = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > limits.maxDepth || visited >= limits.maxDirs) return;
    const key = path.resolve(dir);
    // Keyed by the real path so that a symbolic link back up the tree is not walked again.
    const real = files.realpath?.(key) ?? key;
    if (seen.has(real)) return;
    seen.add(real);
    visited++;
    const names = files.list(dir);
    if (names.includes(CONFIG_FILE_NAME) && files.stat(path.join(dir, CONFIG_FILE_NAME)) === 'file') found.push(key);
    for (const name of names.sort()) {
      if (isSkippedDirName(name)) continue;
      const child = path.join(dir, name);
      if (files.stat(child) === 'dir') walk(child, depth + 1);
    }
  };
  for (const r of roots) walk(r, 0);
  return found;
}
