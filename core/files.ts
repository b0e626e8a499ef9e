import * as fs from 'fs';
import * as path from 'path';

/**
 * Where the analysis reads files from. The language server layers the editor's unsaved buffers over
 * the disk; the CLI and the build read the disk only. Paths are absolute.
 */
export interface FileSource {
  /** The text of a file, or undefined when it does not exist or cannot be read as a file. */
  readText(file: string): string | undefined;
  stat(file: string): 'file' | 'dir' | undefined;
  /** Names of the entries of a directory (not recursive), or [] when it is not a directory. */
  list(dir: string): string[];
  /** A number that changes whenever the content of `file` may have changed (for caches). */
  version(file: string): string | undefined;
  /**
   * The path with symbolic links resolved (the path itself when it cannot be resolved), so that tree
   * walks can recognise a folder they have already seen through a link. Optional: without it, walks
   * rely on their depth and count limits alone.
   */
  realpath?(file: string): string;
}

/** Files larger than this are not read into the analysis (they degrade to a clear diagnostic). */
export const MAX_ANALYSED_FILE_BYTES = 8 * 1024 * 1024;

/**
 * plugin_config.yml is re-read on every analysis pass and YAML parses at about 1 MB/s, so its limit is
 * lower: a real one is a few hundred bytes.
 */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

export class DiskFiles implements FileSource {
  readText(file: string): string | undefined {
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  stat(file: string): 'file' | 'dir' | undefined {
    try {
      const st = fs.statSync(file);
      return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  }

  version(file: string): string | undefined {
    try {
      const st = fs.statSync(file);
      return `${st.mtimeMs}:${st.size}`;
    } catch {
      return undefined;
    }
  }

  realpath(file: string): string {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  }
}

/** Unsaved editor buffers over another source: an open document wins over the disk. */
export class OverlayFiles implements FileSource {
  private readonly buffers = new Map<string, { text: string; version: number }>();

  constructor(private readonly base: FileSource = new DiskFiles()) {}

  set(file: string, text: string, version: number): void {
    this.buffers.set(path.resolve(file), { text, version });
  }

  delete(file: string): void {
    this.buffers.delete(path.resolve(file));
  }

  has(file: string): boolean {
    return this.buffers.has(path.resolve(file));
  }

  readText(file: string): string | undefined {
    return this.buffers.get(path.resolve(file))?.text ?? this.base.readText(file);
  }

  stat(file: string): 'file' | 'dir' | undefined {
    return this.buffers.has(path.resolve(file)) ? 'file' : this.base.stat(file);
  }

  list(dir: string): string[] {
    const names = new Set(this.base.list(dir));
    const abs = path.resolve(dir);
    for (const f of this.buffers.keys()) if (path.dirname(f) === abs) names.add(path.basename(f));
    return [...names];
  }

  version(file: string): string | undefined {
    const b = this.buffers.get(path.resolve(file));
    return b ? `buffer:${b.version}` : this.base.version(file);
  }

  realpath(file: string): string {
    return this.base.realpath ? this.base.realpath(file) : path.resolve(file);
  }
}
