// The build side of the fuzzer, in a worker thread (a hang is cut off, an out-of-memory ends the
// worker, not the fuzzer). The build reads the disk, so the mutated file is written there; then the
// CLI's `build --no-sdk-runtime` runs in-process as the CLI runs it (the one-shot check, its problems
// printed, then the core build into a temporary folder), and the file is put back. What the command
// would print is checked for raw control characters and stack traces.

import * as fs from 'fs';
import * as path from 'path';
import { parentPort } from 'worker_threads';
import { checkPlugins } from '../../core/analysis/checkPlugin';
import { buildArtifact } from '../../core/build/artifact';
import { formatText, summarize } from '../../core/report/formatProblems';

export interface BuildInputMessage {
  type: 'input';
  n: number;
  root: string;
  file: string;
  /** The mutated content, as text or as bytes. */
  text: string;
  bytes?: Uint8Array;
  /** Original bytes, put back afterwards. */
  original: Uint8Array;
}

export interface BuildResultMessage {
  type: 'result';
  n: number;
  ms: number;
  /** The CLI's exit code: 0 built, 1 refused (the plugin's errors or a failed build). */
  code: number;
  /** The check passed but the build failed (a compile error, a missing file, ...). */
  checkPassedBuildFailed: boolean;
  /** The core build, run whatever the check said (as the API and the editor may): it made an artifact. */
  coreBuilt: boolean;
  /** The check refused the schema or the config as too large or too deep, yet the core build built it. */
  limitsDisagree?: string;
  artifactBytes?: number;
  /** Lines the command would print that hold a raw control or bidi character, or a stack trace. */
  unsafe: string[];
  /** An exception out of the check or the build: a crash. */
  thrown?: string;
}

const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const STACK = /Maximum call stack|\n\s+at .+:\d+:\d+\)?$/m;

async function run(msg: BuildInputMessage, out: string): Promise<BuildResultMessage> {
  const result: BuildResultMessage = { type: 'result', n: msg.n, ms: 0, code: 1, checkPassedBuildFailed: false, coreBuilt: false, unsafe: [] };
  const printed: string[] = [];
  const t0 = performance.now();
  try {
    fs.writeFileSync(msg.file, msg.bytes ?? msg.text);
    const checked = await checkPlugins(msg.root);
    const problems = checked.problems;
    if (problems.length > 0) printed.push(formatText(problems, msg.root));
    const refused = summarize(problems).errors > 0;
    if (refused) printed.push('error: the plugin has errors; nothing was built.');
    // The core build runs either way: on its own it must apply the same limits and never crash.
    const r = await buildArtifact(
      { pluginRoot: msg.root, operations: checked.operations.get(msg.root) ?? [] },
      { includeSdkRuntime: false, outputFile: path.join(out, 'artifact.json'), updateGeneratedInSource: false },
    );
    for (const w of r.warnings) printed.push(`warning: ${w}`);
    for (const e of r.errors) printed.push(`error: ${e}`);
    result.coreBuilt = r.ok;
    if (r.ok) result.artifactBytes = r.size;
    if (!refused) {
      result.code = r.ok ? 0 : 1;
      result.checkPassedBuildFailed = !r.ok;
    }
    const config = path.join(msg.root, 'plugin_config.yml');
    const limit = problems.find((p) => /^(file\.tooLarge|schema\.tooDeep)$/.test(p.code) && (p.file === config || path.basename(p.file) === 'schema.json'));
    if (limit && r.ok) result.limitsDisagree = `the check said ${limit.code} for ${path.basename(limit.file)}, but the core build made an artifact`;
  } catch (e) {
    result.thrown = (e as Error)?.stack ?? String(e);
  } finally {
    result.ms = performance.now() - t0;
    fs.writeFileSync(msg.file, msg.original);
    fs.rmSync(path.join(out, 'artifact.json'), { force: true });
  }
  for (const text of printed) {
    for (const line of text.split('\n')) if (RAW.test(line) || STACK.test(line)) result.unsafe.push(JSON.stringify(line.slice(0, 300)));
  }
  return result;
}

if (parentPort) {
  const port = parentPort;
  // The artifacts go to a folder inside the fuzz workspace, which the fuzzer removes at the end.
  let out = '';
  let queue = Promise.resolve();
  port.on('message', (msg: BuildInputMessage | { type: 'init'; dir: string }) => {
    if (msg.type === 'init') {
      out = fs.mkdtempSync(path.join(msg.dir, '.build-out-'));
      port.postMessage({ type: 'ready' });
      return;
    }
    queue = queue.then(async () => port.postMessage(await run(msg, out)));
  });
  port.postMessage({ type: 'loaded' });
}
