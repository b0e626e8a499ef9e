import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { standardizeBuildNumber } from '../../../core/config/analyzeConfig';
import { buildNumberProblem, isValidBuildNumber } from '../../../core/config/buildNumber';
import { analyze, withLine } from './helpers';

describe('buildNumber', () => {
  it('standardizes as dvp build does', () => {
    const table: [string, string][] = [
      ['0.1.0', '0.1'],
      ['1.0.0', '1'],
      ['1.0.01.0', '1.0.1'],
      ['01.002.0', '1.2'],
      ['1', '1'],
      ['01', '1'],
      ['00.10', '0.10'],
      ['1.2.3.4.5', '1.2.3.4.5'],
      ['5.3.0.0', '5.3'],
      ['0.0.7', '0.0.7'],
      ['123456789012345678901234567890.0', '123456789012345678901234567890'],
    ];
    for (const [input, expected] of table) assert.equal(standardizeBuildNumber(input), expected, input);
  });

  it('leaves a string that is not dotted digits unchanged instead of throwing', () => {
    for (const s of ['', 'abc', '1.a', '1..2', '.1']) assert.equal(standardizeBuildNumber(s), s);
  });

  it('accepts and rejects exactly what the SDK pattern does', () => {
    for (const s of ['1', '01', '0.1.0', '00.10', '1.2.3.4.5', '10', '0.0.1']) assert.equal(isValidBuildNumber(s), true, s);
    for (const s of ['0', '0.0', '1.', '.1', '1..2', '1.a', '', ' 1', '1 ', '-1', '+1']) assert.equal(isValidBuildNumber(s), false, s);
  });

  it('says why a build number is invalid', () => {
    assert.equal(buildNumberProblem('1.2'), undefined);
    assert.equal(buildNumberProblem(''), 'it is empty');
    assert.equal(buildNumberProblem('0.00'), 'it needs at least one non-zero digit');
    assert.equal(buildNumberProblem('1..2'), 'it has an empty component (a leading, trailing or doubled dot)');
    assert.equal(buildNumberProblem('1 2'), 'it may hold only digits and dots, not a space');
  });

  it('puts the standardized form in the config', () => {
    assert.equal(analyze(withLine('buildNumber', 'buildNumber: 01.002.0')).config.standardizedBuildNumber, '1.2');
    assert.equal(analyze(withLine('buildNumber', 'buildNumber: "1.0"')).config.standardizedBuildNumber, '1');
  });
});
