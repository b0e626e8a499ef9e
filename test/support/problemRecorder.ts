// Preloaded (`node --require`) into a test run, it appends every problem the schema, config and profile
// analyses return to the file named by PROBLEM_RECORD, one JSON line each: the message test then reads
// what the whole unit suite produced, every rule as its fixtures trigger it.
import * as fs from 'fs';
import * as path from 'path';
import type { Problem } from '../../core/types';

const out = process.env.PROBLEM_RECORD;
const core = path.resolve(__dirname, '..', '..', 'core');

function record(problems: Problem[] | undefined): void {
  if (!out || !problems) return;
  const lines = problems.map((p) => JSON.stringify({ code: p.code, message: p.message, detail: p.detail, related: p.related?.map((r) => r.message) }));
  if (lines.length > 0) fs.appendFileSync(out, lines.join('\n') + '\n');
}

function wrap(module: string, name: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require(path.join(core, module)) as Record<string, (...args: unknown[]) => { problems?: Problem[] }>;
  const original = m[name];
  m[name] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    record(result?.problems);
    return result;
  };
}

wrap('schema/analyzeSchema', 'analyzeSchema');
wrap('config/analyzeConfig', 'analyzeConfig');
wrap('sync/profile', 'checkProfileText');
