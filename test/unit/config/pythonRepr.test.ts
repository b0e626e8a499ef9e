import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { PyFloat, pythonRepr } from '../../../core/config/pythonRepr';
import { pythonFloatRepr } from '../../../core/config/yaml11Scalars';

describe('pythonFloatRepr', () => {
  const values = [0, -0, 1, -1, 1.5, 0.1, 1e16, 9999999999999998, 1e-4, 1e-5, 1.5e-7, -2.5e-10, 123456789.123456789, 5e-324, 1.7976931348623157e308, 1e22, Infinity, -Infinity, NaN];

  it("prints every float as Python's repr does, -0.0 included", () => {
    const script = 'import json,sys; sys.stdout.write(json.dumps([repr(float(x)) for x in json.loads(sys.stdin.read())]))';
    // JSON has no -0, inf or nan: send them as strings float() reads.
    const input = JSON.stringify(values.map((v) => (Object.is(v, -0) ? '-0.0' : Number.isFinite(v) ? v : String(v))));
    const expected = JSON.parse(execFileSync('python3', ['-c', script], { input, timeout: 30_000 }).toString()) as string[];
    assert.deepEqual(values.map(pythonFloatRepr), expected);
    assert.equal(pythonFloatRepr(-0), '-0.0');
  });

  it('is what pythonRepr prints for a float value', () => {
    assert.equal(pythonRepr([new PyFloat(-0), -0.5, new PyFloat(1)]), '[-0.0, -0.5, 1.0]');
  });
});
