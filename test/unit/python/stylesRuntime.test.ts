// The issue-12 style fixtures are correct code: every operation runs under a real interpreter (python3
// for the Python 3 fixtures, Python 2.7 for the Python 2 ones) against stand-ins of the SDK objects and
// of the generated classes that have exactly the attributes the SDK and the schema give (see
// test/fixtures/python/styles/run_plugin.py), and each injected misspelling of the manifests that the
// run reaches raises AttributeError. So "zero error findings" on the clean fixtures is the right answer,
// and each injection is a real bug the analysis should report.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpreterFor, runFixture, styleFixtures } from './styleFixtures';

describe('issue 12 style fixtures under a real interpreter', () => {
  for (const f of styleFixtures()) {
    const python = interpreterFor(f);
    test(
      `${f.name}: every operation runs clean, and each injected misspelling that runs raises AttributeError`,
      { timeout: 120_000, skip: python ? false : `no Python ${f.python} interpreter found (set PYTHON2 to a python2.7)` },
      () => {
        const report = runFixture(f, python!);
        assert.deepEqual(report.clean.failures, [], 'the unmodified plugin runs clean');
        assert.ok(report.clean.operations.length >= 8, `operations ran: ${report.clean.operations.join(', ')}`);
        let reached = 0;
        for (const inj of f.injections.filter((i) => i.expect === 'error')) {
          const r = report.injections[inj.id];
          assert.ok(r, `${inj.id} was run`);
          assert.ok(!r.executed || r.raisedAttributeError, `${inj.id}: the line ran but raised no AttributeError naming ${inj.name}`);
          if (r.executed) reached++;
        }
        // The operations reach (nearly) every injected line, so the manifest is checked, not assumed.
        assert.ok(reached >= f.injections.filter((i) => i.expect === 'error').length - 2, `only ${reached} injected lines ran`);
      },
    );
  }
});
