import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { dumpPyJson, parsePyJson } from '../../../core/pythonJson';
import { multipartParts, UPLOAD_BOUNDARY, UPLOAD_CONTENT } from '../../../core/engine/protocol';

/** Python's own `json.dumps(json.loads(text))` for each text, or null where Python refuses it (one process for all). */
function python(texts: string[]): (string | null)[] {
  const script =
    'import json,sys\n' +
    'out = []\n' +
    'for t in json.loads(sys.stdin.read()):\n' +
    '    try: out.append(json.dumps(json.loads(t)))\n' +
    '    except ValueError: out.append(None)\n' +
    'sys.stdout.write(json.dumps(out))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), stdio: ['pipe', 'pipe', 'pipe'] }).toString('latin1'));
}

describe('Python-compatible JSON for the upload body', () => {
  const samples = [
    '{"b": 1, "10": 2, "a": 3, "2": 4, "b": 5}',
    '[1.0, 1e16, 1E15, 0.0001, 0.00001, 123456789.123456789, -0.0, 0, -0, 1e308, 1e400, -1e400, 5e-324, 2.5e-5]',
    '[123456789012345678901234567890, -9007199254740993]',
    '"caf\\u00e9 \\ud83d\\ude00 \\u007f \\/ \\b\\f\\n\\r\\t é 😀 \\u0000"',
    '{"nested": {"list": [], "obj": {}, "t": true, "f": false, "n": null}}',
    '[NaN, Infinity, -Infinity]',
    ' \n\t{ "spaces" :[ 1 ,2 ] } \r\n',
  ];
  const bad = ['{"a": 1,}', '[01]', '"tab\there"', '{a: 1}', '[1] x', '', '"\\x"', '[.5]', '[1.]'];
  const expected = python([...samples, ...bad]);

  for (const [i, text] of samples.entries()) {
    it(`dumps ${text.trim().slice(0, 40)} as Python does`, () => {
      assert.equal(dumpPyJson(parsePyJson(text)), expected[i]);
    });
  }

  it('rejects what Python rejects', () => {
    for (const [i, text] of bad.entries()) {
      assert.equal(expected[samples.length + i], null, text);
      assert.throws(() => parsePyJson(text), Error, text);
    }
  });

  it('builds the multipart body byte for byte as dvp does', () => {
    const [head, body, tail] = multipartParts('TOKEN-1', 'artifact.json', '{"a": 1}');
    assert.equal(UPLOAD_CONTENT, 'multipart/form-data; boundary=----------boundary------');
    assert.equal(
      Buffer.concat([head, body, tail]).toString('latin1'),
      `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="token"\r\n\r\nTOKEN-1\r\n` +
        `--${UPLOAD_BOUNDARY}\r\nContent-Disposition:form-data; name="file"; filename="artifact.json"\r\nContent-Type: application/octet-stream\r\n\r\n` +
        `{"a": 1}\r\n--${UPLOAD_BOUNDARY}--\r\n`,
    );
  });
});
