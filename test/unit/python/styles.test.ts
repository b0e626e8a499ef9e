// Issue 12: the cross-check must follow the operation's inputs through the code shapes real plugins use
// (controller objects, hierarchies and mixins, builders, values chosen by a flag, containers, inputs
// passed down one level at a time) in Python 3 and Python 2 syntax, stay silent on correct code, and
// finish on recursive and cyclic code. The fixtures and their manifests of injected misspellings are in
// test/fixtures/python/styles/ (see styleFixtures.ts for the manifest's fields); they were written
// independently of the analysis so that they test it honestly; stylesRuntime.test.ts runs them under a
// real interpreter to show that the clean fixtures are correct and every injection is a real bug.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { checkPlugins } from '../../../core/analysis/checkPlugin';
import type { Problem } from '../../../core/types';
import { brief, load } from './helpers';
import { inject, KNOWN_MISSES, styleFixtures } from './styleFixtures';

const TIMEOUT = 20_000;
const fixtures = styleFixtures();
const errorsOf = (all: Map<string, Problem[]>) => [...all.values()].flat().filter((p) => p.severity === 'error');
const where = (p: Problem, root: string) => `${path.relative(root, p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code} ${p.message}`;

describe('issue 12 style fixtures: manifests', () => {
  test('there is a fixture per style in both Python 3 and Python 2 syntax', () => {
    const names = new Set(fixtures.map((f) => f.name));
    for (const style of ['controller', 'hierarchy', 'builder', 'union', 'containers', 'passdown', 'recursion', 'dynamic']) {
      assert.ok(names.has(`${style}-py3`), `${style}-py3`);
      assert.ok(names.has(`${style}-py2`), `${style}-py2`);
    }
  });

  test('every injection names text that is on its line exactly once, and a misspelling in the replacement', () => {
    for (const f of fixtures) {
      for (const inj of f.injections) {
        const { text, line } = inject(f.root, inj);
        assert.ok(text.split('\n')[line].includes(inj.name), `${f.name} ${inj.id}`);
        assert.notEqual(inj.name, inj.didYouMean, `${f.name} ${inj.id}`);
        if (inj.expect === 'error') assert.ok(inj.didYouMean, `${f.name} ${inj.id}: an error case names its suggestion`);
      }
    }
  });
});

for (const f of fixtures) {
  describe(`issue 12 style fixture ${f.name}`, () => {
    // The errors of the unmodified fixture (none, once the analysis is right): an injection may add only
    // its own error, so a precision bug elsewhere fails the clean-fixture tests and not every injection.
    let baseline: Promise<Set<string>> | undefined;
    const cleanErrors = () => (baseline ??= load(f.root).then((l) => new Set(errorsOf(l.analyzer.allDiagnostics()).map((p) => where(p, f.root)))));

    test('the unmodified plugin gives no error finding (Python analysis)', { timeout: TIMEOUT }, async () => {
      const l = await load(f.root);
      const errors = errorsOf(l.analyzer.allDiagnostics());
      assert.deepEqual(errors.map((p) => where(p, f.root)), []);
    });

    test(`the unmodified plugin gives no error finding (whole check, SDK ${f.sdkVersion})`, { timeout: TIMEOUT }, async () => {
      const { problems, plugins } = await checkPlugins(f.root, { sdkVersion: f.sdkVersion });
      assert.deepEqual(plugins, [f.root]);
      const errors = problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors.map((p) => where(p, f.root)), []);
    });

    for (const inj of f.injections) {
      const title =
        inj.expect === 'error'
          ? `${inj.id}: \`${inj.name}\` at ${inj.file}:${inj.line} is an error suggesting \`${inj.didYouMean}\` (${inj.style})`
          : `${inj.id}: \`${inj.name}\` at ${inj.file}:${inj.line} is not an error (${inj.style})`;
      const todo = inj.expect === 'error' ? KNOWN_MISSES[inj.id] : undefined;
      test(title, { timeout: TIMEOUT, ...(todo ? { todo: `known miss: ${todo}` } : {}) }, async () => {
        const l = await load(f.root);
        const { file, text, line, character } = inject(f.root, inj);
        l.analyzer.update(file, text);
        const all = l.analyzer.allDiagnostics();
        const here = (all.get(file) ?? []).filter((p) => p.severity === 'error' && p.range.start.line === line);
        if (inj.expect === 'none') {
          assert.deepEqual(brief(here), [], `no error at ${inj.file}:${inj.line}`);
        } else {
          const hit = here.find((p) => p.message.includes(`\`${inj.name}\``));
          assert.ok(hit, `an error naming \`${inj.name}\` at ${inj.file}:${inj.line}; errors there: ${JSON.stringify(brief(here))}`);
          assert.equal(hit.range.start.character, character, `the finding starts at the misspelled name: ${brief([hit])}`);
          assert.equal(hit.range.end.character - hit.range.start.character, inj.name.length, brief([hit])[0]);
          assert.match(hit.message, new RegExp(`Did you mean \`${inj.didYouMean}\``), hit.message);
        }
        // The injection adds no error anywhere else.
        const before = await cleanErrors();
        const elsewhere = errorsOf(all).filter((p) => (p.file !== file || p.range.start.line !== line) && !before.has(where(p, f.root)));
        assert.deepEqual(elsewhere.map((p) => where(p, f.root)), []);
      });
    }
  });
}

describe('issue 12 style fixtures: recursion and cycles finish', () => {
  for (const f of fixtures.filter((x) => x.name.startsWith('recursion-'))) {
    test(`${f.name}: analysed twice (cold, then after an edit) without hanging`, { timeout: TIMEOUT }, async () => {
      const l = await load(f.root);
      l.analyzer.allDiagnostics();
      const entry = l.src('plugin_runner.py');
      l.analyzer.update(entry, fs.readFileSync(entry, 'utf8') + '\n# edited\n');
      assert.deepEqual(errorsOf(l.analyzer.allDiagnostics()).map((p) => where(p, f.root)), []);
    });
  }
});
