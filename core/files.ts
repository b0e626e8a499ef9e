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
  /**
   * The size of a file in bytes (of the buffer, for an open document), or undefined when unknown.
   * Optional: readers that have it refuse a file over its limit before reading a byte of it.
   */
  size?(file: string): number | undefined;
}

/** Files larger than this are not read into the analysis (they degrade to a clear diagnostic). */
export const MAX_ANALYSED_FILE_BYTES = 8 * 1024 * 1024;

/**
 * plugin_config.yml is re-read on every analysis pass and YAML parses at about 1 MB/s, so its limit is
 * lower: a real one is a few hundred bytes.
 */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

/**
 * No plugin file is read past this size by anything (the analysis, the build, the language server):
 * the per-file limits are far lower, and this one keeps a stray disk image in srcDir from being read
 * into memory to be refused afterwards. Callers that want to say "too large" stat first (`size`).
 */
export const MAX_READ_FILE_BYTES = 64 * 1024 * 1024;

/** `12 MB`, `300 KB`: sizes in messages about limits. */
export function formatByteSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** The one message for a plugin file over its limit: check, build, generate and the editor all say this. */
export function tooLargeMessage(file: string, size: number, limit: number): string {
  // A sync profile is read by the sync only; the config and the schema by the build and the sync.
  const readers = path.basename(path.dirname(file)) === 'sync' && file.endsWith('.json') ? 'the sync refuses' : 'the build and the sync refuse';
  return `This file is too large to check (${formatByteSize(size)}; the limit is ${formatByteSize(limit)}), so it was not checked, and ${readers} it too. A plugin's ${path.basename(file)} is normally a few kilobytes: check that this is the file you meant.`;
}

/** The per-file size limit for the plugin files the analysis and the build read whole. */
export function sizeLimitFor(file: string): number {
  return /\.ya?ml$/i.test(file) ? MAX_CONFIG_FILE_BYTES : MAX_ANALYSED_FILE_BYTES;
}

export type BoundedRead =
  | { ok: true; text: string }
  | { ok: false; reason: 'tooLarge'; size: number; limit: number; message: string }
  | { ok: false; reason: 'unreadable'; message: string };

/**
 * Reads a file from disk only if it is within `limit` bytes, checked with a stat before anything is
 * read (and again on what was read, in case the file grew in between).
 */
export function readTextWithin(file: string, limit: number): BoundedRead {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { ok: false, reason: 'unreadable', message: 'it is not a file' };
    if (st.size > limit) return { ok: false, reason: 'tooLarge', size: st.size, limit, message: tooLargeMessage(file, st.size, limit) };
    const fd = fs.openSync(file, 'r');
    try {
      // Sized by the stat, grown (up to one byte past the limit) only if the file grows while read.
      let buf = Buffer.alloc(Math.min(limit, st.size) + 1);
      let n = 0;
      for (;;) {
        const r = fs.readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
        if (n === buf.length) {
          if (buf.length > limit) break;
          const bigger = Buffer.alloc(Math.min(limit + 1, buf.length * 2));
          buf.copy(bigger, 0, 0, n);
          buf = bigger;
        }
      }
      if (n > limit) return { ok: false, reason: 'tooLarge', size: n, limit, message: tooLargeMessage(file, n, limit) };
      return { ok: true, text: buf.toString('utf8', 0, n) };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: (e as Error).message };
  }
}

/** Through a FileSource: the text, or the size when it is over `limit` (known from `size` when the source has it). */
export function readSourceWithin(files: FileSource, file: string, limit: number): { text: string } | { tooLarge: number } | undefined {
  const size = files.size?.(file);
  if (size !== undefined && size > limit) return { tooLarge: size };
  const text = files.readText(file);
  if (text === undefined) return undefined;
  // Without a size (or for a file that grew), the text itself decides; its UTF-8 length is at least its length.
  if (text.length > limit) return { tooLarge: text.length };
  if (size === undefined && text.length * 3 > limit) {
    const bytes = Buffer.byteLength(text);
    if (bytes > limit) return { tooLarge: bytes };
  }
  return { text };
}

export class DiskFiles implements FileSource {
  readText(file: string): string | undefined {
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_READ_FILE_BYTES) return undefined;
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

  size(file: string): number | undefined {
    try {
      const st = fs.statSync(file);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
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

  size(file: string): number | undefined {
    const b = this.buffers.get(path.resolve(file));
    return b ? Buffer.byteLength(b.text) : this.base.size?.(file);
  }
}
