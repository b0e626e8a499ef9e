// Replaces `<srcDir>/generated/` with freshly generated definitions. The new package is written into a
// hidden folder beside it and swapped in with renames, so an editor or a running plugin never sees a
// half-written package, and a failure leaves the previous one in place. Nothing else in srcDir is touched.

import * as fs from 'fs';
import * as path from 'path';
import { generateDefinitions } from './generateDefinitions';

export interface WriteResult {
  /** Absolute paths of the files written. Empty when nothing was written. */
  written: string[];
  /** Why codegen or the write did not happen, or what is wrong in what it produced. */
  problems?: string[];
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function writeGeneratedDefinitions(srcDirPath: string, schema: unknown): Promise<WriteResult> {
  const srcDir = path.resolve(srcDirPath);
  try {
    if (!(await fs.promises.stat(srcDir)).isDirectory()) return { written: [], problems: [`${srcDir} is not a directory.`] };
  } catch {
    return { written: [], problems: [`The source directory ${srcDir} does not exist.`] };
  }
  const result = generateDefinitions(schema);
  if (result.files.length === 0) return { written: [], problems: result.problems ?? ['Code generation produced nothing.'] };

  const target = path.join(srcDir, 'generated');
  const suffix = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const staging = path.join(srcDir, `.generated-new-${suffix}`);
  const retired = path.join(srcDir, `.generated-old-${suffix}`);
  const written: string[] = [];
  try {
    for (const f of result.files) {
      const rel = f.path.replace(/^generated\//, '');
      const file = path.join(staging, ...rel.split('/'));
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(file, f.content, 'utf8');
      written.push(path.join(target, ...rel.split('/')));
    }
    let hadOld = false;
    try {
      await fs.promises.rename(target, retired);
      hadOld = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    try {
      await fs.promises.rename(staging, target);
    } catch (e) {
      if (hadOld) await fs.promises.rename(retired, target).catch(() => undefined);
      throw e;
    }
    if (hadOld) await fs.promises.rm(retired, { recursive: true, force: true });
  } catch (e) {
    await fs.promises.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    return { written: [], problems: [...(result.problems ?? []), `Could not write ${target}: ${errorText(e)}`] };
  }
  return result.problems ? { written, problems: result.problems } : { written };
}
