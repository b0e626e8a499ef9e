// The `sourceCode` of the artifact: a ZIP_DEFLATED zip of the build copy holding every file except
// `*.py` (compiled files, resources, dist-info), with relative `/` paths (sdk-spec §6.4).

import * as fs from 'fs';
import * as path from 'path';
import { ZipFile } from 'yazl';

/** Relative paths (`/`-separated, sorted) of the files that go into the zip. */
export function listZipEntries(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.statSync(abs);
      if (st.isDirectory()) walk(abs, r);
      else if (st.isFile() && !name.endsWith('.py')) out.push(r);
    }
  };
  walk(root, '');
  return out;
}

/** `comment`: the archive comment (ASCII), where the build records how it was made. */
export function zipDirectory(root: string, entries: string[], comment?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    try {
      for (const e of entries) zip.addFile(path.join(root, ...e.split('/')), e, { compress: true });
    } catch (err) {
      reject(err);
      return;
    }
    zip.end(comment ? { comment, forceZip64Format: false } : undefined);
  });
}
