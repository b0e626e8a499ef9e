// The benchmark's 60-module plugin in the issue-12 styles (bench/stylesPlugin.ts) is correct code that
// runs under python3, the analysis stays silent on it, and each read the generator misspells is
// reported at its line with the right suggestion.
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, test } from 'node:test';
import { writeStylesPlugin } from '../../../bench/stylesPlugin';
import type { Problem } from '../../../core/types';
import { load } from './helpers';
import { STYLES } from './styleFixtures';

const errors = (all: Map<string, Problem[]>) => [...all.values()].flat().filter((p) => p.severity === 'error');

describe('issue 12: the generated 60-module styles plugin', () => {
  test('it runs under python3: every operation, no AttributeError', { timeout: 120_000 }, () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'styles-bench-'));
    try {
      const g = writeStylesPlugin(path.join(tmp, 'plugin'), { modules: 60 });
      assert.ok(g.lines > 2500, `${g.lines} lines`);
      const out = execFileSync('python3', [path.join(STYLES, 'run_plugin.py'), g.dir], { encoding: 'utf8' });
      const report = JSON.parse(out) as { operations: string[]; failures: unknown[] };
      assert.deepEqual(report.failures, []);
      assert.ok(report.operations.includes('linked.pre_snapshot') && report.operations.includes('virtual.start'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('the clean plugin gives no error finding', { timeout: 60_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'styles-bench-'));
    try {
      const g = writeStylesPlugin(path.join(tmp, 'plugin'), { modules: 60 });
      const l = await load(g.dir);
      assert.deepEqual(errors(l.analyzer.allDiagnostics()).map((p) => `${path.relative(g.dir, p.file)}:${p.range.start.line + 1} ${p.message}`), []);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('each misspelled read is reported at its line with the right suggestion', { timeout: 60_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'styles-bench-'));
    try {
      const g = writeStylesPlugin(path.join(tmp, 'plugin'), { modules: 60, misspell: true });
      assert.equal(g.misspelled.length, 60);
      const l = await load(g.dir);
      const all = l.analyzer.allDiagnostics();
      const missed = g.misspelled.filter((site) => {
        const here = (all.get(path.join(g.dir, site.file)) ?? []).filter((p) => p.severity === 'error' && p.range.start.line === site.line - 1);
        return !here.some((p) => p.message.includes(`\`${site.name}\``) && p.message.includes(`Did you mean \`${site.didYouMean}\``));
      });
      assert.deepEqual(missed.map((m) => `${m.file}:${m.line} ${m.name}`), []);
      assert.equal(errors(all).length, 60, 'no other error');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
