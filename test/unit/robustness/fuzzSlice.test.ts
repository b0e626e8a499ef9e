// A short, fixed-seed slice of the fuzzer (test/fuzz) against the core: the same inputs on every run,
// so a regression shows up as a named input (`node out/test/fuzz/run.js --seed 11 --replay N --target core`).
// The long run is `npm run fuzz`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, formatReport, runFuzz } from '../../fuzz/fuzz';
import { parseArgs } from '../../fuzz/run';
import { makeInput, type Corpus } from '../../fuzz/mutators';
import { Rng } from '../../fuzz/rng';

test('60 fixed-seed inputs through the core: no exception, no hang, every analysis within 5 s', async () => {
  const options = { ...DEFAULT_OPTIONS, seed: 11, seconds: 300, iterations: 60, targets: ['core' as const], hangMs: 15000 };
  const report = await runFuzz(options);
  console.log(formatReport(report, options));
  assert.deepEqual(report.findings, []);
  assert.equal(report.core!.inputs, 60);
  assert.equal(report.core!.crashes, 0);
  assert.equal(report.core!.hangs, 0);
  assert.ok(report.core!.slowestMs <= options.maxAnalysisMs);
  assert.ok(report.ok);
});

test('8 fixed-seed inputs through the build (the check, then the core build without the SDK runtime): no exception, no hang, no raw control character printed', async () => {
  // Seed 372's first 8 inputs hold a binary schema, a 12 MB one and one nested 10,000 deep: before the build
  // applied the check's limits they printed raw control bytes, ran past 30 s and overflowed the stack.
  const options = { ...DEFAULT_OPTIONS, seed: 372, seconds: 90, iterations: 8, targets: ['build' as const], hangMs: 30000, maxBuildMs: 60000 };
  const report = await runFuzz(options);
  console.log(formatReport(report, options));
  assert.deepEqual(report.findings, []);
  const b = report.build!;
  assert.equal(b.inputs, 8);
  assert.equal(b.crashes + b.hangs + b.unsafeLines, 0);
  assert.equal(b.built + b.refusedByCheck + b.failedAfterCheck, 8);
  assert.ok(b.built >= 1, 'at least one input builds: the build really ran');
  assert.ok(b.coreBuilt >= b.built);
  assert.match(formatReport(report, options), /^build: 8 inputs in [\d.]+ s; built \d+, refused by the check \d+, failed after the check \d+; core build alone built \d+; crashes 0, hangs 0, unsafe output lines 0; slowest build \d+ ms/m);
  assert.ok(report.ok);
});

test('inputs are a pure function of (seed, number)', () => {
  const corpus: Corpus = { schema: ['{"a": [1, 2, {"b": "c"}]}'], config: ['id: x\nname: y\n'], python: ['def f(x):\n    return x.y\n'], profile: ['{}'] };
  for (const kind of ['schema', 'config', 'python'] as const) {
    for (let n = 0; n < 20; n++) {
      const a = makeInput(Rng.forInput(3, n), kind, corpus[kind][0], corpus);
      const b = makeInput(Rng.forInput(3, n), kind, corpus[kind][0], corpus);
      assert.equal(a.label, b.label);
      assert.equal(a.text, b.text);
    }
  }
  assert.notEqual(makeInput(Rng.forInput(3, 1), 'schema', corpus.schema[0], corpus).text, makeInput(Rng.forInput(4, 1), 'schema', corpus.schema[0], corpus).text);
});

test('the command line: options, and a clear message for a wrong one', () => {
  const o = parseArgs(['--seed', '7', '--seconds', '12', '--iterations', '30', '--target', 'lsp', '--quiet']);
  assert.equal(o.seed, 7);
  assert.equal(o.seconds, 12);
  assert.equal(o.iterations, 30);
  assert.deepEqual(o.targets, ['lsp']);
  assert.equal(o.log, undefined);
  assert.deepEqual(parseArgs(['--quiet']).targets, ['core', 'lsp', 'build']);
  assert.deepEqual(parseArgs(['--target', 'build', '--max-build-ms', '9000']).targets, ['build']);
  assert.equal(parseArgs(['--max-build-ms', '9000']).maxBuildMs, 9000);
  assert.deepEqual(parseArgs(['--target', 'both']).targets, ['core', 'lsp']);
  assert.throws(() => parseArgs(['--seconds', 'soon']), /^Error: --seconds needs a non-negative number, got "soon"$/);
  assert.throws(() => parseArgs(['--target', 'disk']), /^Error: --target must be core, lsp, build, both \(core and lsp\) or all, got "disk"$/);
  assert.throws(() => parseArgs(['--fast']), /^Error: unknown option "--fast"/);
});
