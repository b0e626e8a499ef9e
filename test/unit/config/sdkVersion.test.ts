import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, applyFix, brief, fixes, r, withLine } from './helpers';

describe('plugin_config.yml: language by SDK version', () => {
  it('names the SDKs of an older language value under the current SDK', () => {
    const text = withLine('language', 'language: PYTHON38');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.enum', 'error', r(3, 10, 3, 18)]]);
    assert.equal(
      a.problems[0].message,
      "'PYTHON38' is the language of SDK 4.0.0–4.1.0; SDK 5.0.1 accepts only 'PYTHON311'.",
    );
    assert.equal(a.problems[0].dvp, true);
    assert.equal(a.problems[0].data?.dvpMessage, "'PYTHON38' is not one of ['PYTHON311']");
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Change to PYTHON311', newText: ['PYTHON311'], preferred: true }]);
    assert.deepEqual(analyze(applyFix(text, a.problems[0])).problems, []);
  });

  it('follows the delphix.sdkVersion setting', () => {
    const py38 = withLine('language', 'language: PYTHON38');
    assert.deepEqual(analyze(py38, { sdkVersion: '4.1.0' }).problems, []);
    assert.deepEqual(analyze(py38, { sdkVersion: '4.0.0' }).problems, []);

    const a = analyze(withLine('language', 'language: PYTHON311'), { sdkVersion: '4.0.2' });
    assert.deepEqual(brief(a.problems), [['config.enum', 'error', r(3, 10, 3, 19)]]);
    assert.equal(
      a.problems[0].message,
      "'PYTHON311' is the language of SDK 5.0.0–5.0.1; SDK 4.0.2 accepts only 'PYTHON38'.",
    );
    assert.equal(a.problems[0].data?.dvpMessage, "'PYTHON311' is not one of ['PYTHON38']");

    const b = analyze(withLine('language', 'language: PYTHON38'), { sdkVersion: '3.1.0' });
    assert.equal(b.problems[0].message, "'PYTHON38' is the language of SDK 4.0.0–4.1.0; SDK 3.1.0 accepts only 'PYTHON27'.");
    assert.deepEqual(analyze(withLine('language', 'language: PYTHON27'), { sdkVersion: '2.0.0' }).problems, []);
  });

  it('wants the value in capitals', () => {
    const a = analyze(withLine('language', 'language: python311'));
    assert.equal(a.problems[0].message, "'python311' must be written 'PYTHON311': language values are case-sensitive.");
    const b = analyze(withLine('language', 'language: python38'));
    assert.match(b.problems[0].message, /^'python38' \('PYTHON38'\) is the language of SDK 4\.0\.0–4\.1\.0;/);
  });

  it('says when a value is no SDK language at all', () => {
    const a = analyze(withLine('language', 'language: PYTHON3'));
    assert.equal(
      a.problems[0].message,
      "'PYTHON3' is not the language of any SDK; SDK 5.0.1 accepts only 'PYTHON311'.",
    );
    assert.deepEqual(a.problems[0].data?.expected, 'PYTHON311');
    assert.deepEqual(a.problems[0].data?.sdkVersion, '5.0.1');
  });

  it('uses the stdlib of the SDK Python for the entry-module check', () => {
    // `formatter` left the standard library in Python 3.10: a shadow under 3.8, a plain module under 3.11.
    const text = withLine('entryPoint', 'entryPoint: formatter:plugin');
    const codes = (sdkVersion: string) => analyze(text, { sdkVersion }).problems.map((p) => p.code);
    assert.ok(codes('4.1.0').includes('config.entryModule.shadowsStdlib'));
    assert.ok(!codes('5.0.1').includes('config.entryModule.shadowsStdlib'));
  });
});
