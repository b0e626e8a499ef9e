import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { dumpPyJson, fromPlain, parsePyJson, PyNumber, PyObject, readPyJson, toPlain } from '../../../core/pythonJson';

/**
 * For each text, Python's `json.dumps(json.loads(text), indent=4)`, or `str(err)` of the
 * JSONDecodeError it raises (one python3 process for all).
 */
function python(texts: string[]): { out?: string; error?: string }[] {
  const script =
    'import json,sys\n' +
    'out = []\n' +
    'for t in json.loads(sys.stdin.read()):\n' +
    '    try: out.append({"out": json.dumps(json.loads(t), indent=4)})\n' +
    '    except ValueError as e: out.append({"error": str(e)})\n' +
    'sys.stdout.write(json.dumps(out))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), timeout: 30_000 }).toString('latin1'));
}

describe('Python JSON with indent=4 (artifact.json)', () => {
  const samples = [
    '{"b": 1, "10": 2, "a": 3, "2": 4, "b": 5, "-1": 6, "01": 7}',
    '[1.0, 1e16, 1E15, 0.0001, 0.00001, 1.5e-7, 123456789.123456789, -0.0, 0, -0, 1e308, 1e400, -1e400, 5e-324]',
    '[123456789012345678901234567890, -9007199254740993]',
    '"caf\\u00e9 \\ud83d\\ude00 \\udc00 \\u007f \\/ \\b\\f\\n\\r\\t é 😀 日本 \\u0000"',
    '{"nested": {"list": [], "obj": {}, "deep": [[{}], [[]], {"a": [1, {"b": null}]}], "t": true, "f": false}}',
    '[NaN, Infinity, -Infinity]',
    '[]',
    '{}',
    '"plain"',
  ];
  const expected = python(samples);
  for (const [i, text] of samples.entries()) {
    it(`dumps ${text.slice(0, 40)} as Python does`, () => {
      assert.equal(dumpPyJson(parsePyJson(text), { indent: 4 }), expected[i].out);
    });
  }
});

describe('Python JSON errors', () => {
  const bad = [
    '{"a": 1,}', '[01]', '"tab\there"', '{a: 1}', '[1] x', '', '  ', '"\\x"', '[.5]', '[1.]', '{"type": "Plugin",',
    '"abc', '"abc\\', '[1', '[', '{"a"', '{', '[1,]', '-', '[-]', '"\\u12"', '"\\u1234', '"\\u12g4"', '\ufeff{}',
    '{\n  "é😀": 1,\n  "b" 2}', '{"a": 1 "b": 2}', '[1 2]', '{"a":}', 'nul', '[NaN, -Inf]', '"😀😀\n"', '{"a":1}}', '1e', '-01', '[1,\n\n   ,2]',
  ];
  const expected = python(bad);

  it("gives str() of Python's JSONDecodeError, positions in code points", () => {
    for (const [i, text] of bad.entries()) {
      const r = readPyJson(text);
      assert.equal(r.ok, false, JSON.stringify(text));
      if (!r.ok) assert.equal(r.error.message, expected[i].error, JSON.stringify(text));
    }
  });

  it('throws from parsePyJson and keeps the JavaScript offset', () => {
    assert.throws(() => parsePyJson('{"😀": }'), (e: Error & { offset?: number; char?: number }) => e.offset === 7 && e.char === 6);
  });
});

describe('Plain values', () => {
  it('toPlain gives JSON.parse-like data, optionally keeping float literals', () => {
    const v = parsePyJson('{"b": [1, 2.5, 1.0], "10": null, "s": "x"}');
    assert.deepEqual(toPlain(v), { '10': null, b: [1, 2.5, 1], s: 'x' });
    const kept = toPlain(v, { keepFloats: true }) as { b: unknown[] };
    assert.equal(kept.b[0], 1);
    assert.ok(kept.b[1] instanceof PyNumber && kept.b[1].text === '2.5');
    assert.ok(kept.b[2] instanceof PyNumber && kept.b[2].text === '1.0');
  });

  it('fromPlain keeps key order, drops undefined, makes ints of integral numbers and passes PyValues through', () => {
    const inner = parsePyJson('{"10": 1.0}');
    const v = fromPlain({ z: 1, a: 0.5, u: undefined, n: null, l: [true, 'x', -0, 1e21], p: inner });
    assert.ok(v instanceof PyObject);
    assert.equal(v.get('p'), inner);
    assert.equal(dumpPyJson(v), '{"z": 1, "a": 0.5, "n": null, "l": [true, "x", -0.0, 1000000000000000000000], "p": {"10": 1.0}}');
  });
});
