import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getNodeValue, parseTree } from 'jsonc-parser';
import type { SchemaAnalysis } from '../../../core/schema/analyzeSchema';
import { parseStrictJson } from '../../../core/schema/jsonSyntax';
import { analyze, applyFix, at, brief, exampleObject, fixture, rangeOf } from './helpers';

/** getNodeValue builds prototype-less objects; compare as plain JSON. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

/** Small snippets are not whole schemas: look at the syntax problems only. */
const syntaxOnly = (a: SchemaAnalysis) => a.problems.filter((p) => p.code.startsWith('schema.syntax.'));

describe('schema.json syntax: the SDK tutorial snippet', () => {
  it('reports each missing `}` right after the last value of the unclosed property, not at the end of the file', () => {
    const text = fixture('tutorial-truncated.json');
    const a = analyze(text);
    assert.equal(a.syntaxOk, false);
    assert.deepEqual(a.problems.map(brief), [
      {
        code: 'schema.syntax.closeBraceExpected',
        range: at(41, 70),
        severity: 'error',
        dvp: true,
        message: "Missing '}' to close 'sourceAddress' (opened on line 39).",
      },
      {
        code: 'schema.syntax.closeBraceExpected',
        range: at(45, 82),
        severity: 'error',
        dvp: true,
        message: "Missing '}' to close 'username' (opened on line 43).",
      },
      {
        code: 'schema.syntax.closeBraceExpected',
        range: at(50, 91),
        severity: 'error',
        dvp: true,
        message: "Missing '}}}' to close 'mountLocation', 'properties' and 'linkedSourceDefinition'.",
      },
    ]);
    // The places are the ends of the last values of the unclosed objects.
    assert.deepEqual(rangeOf(text, '"IP or FQDN of host from which to copy"').end, at(41, 70).start);
    assert.deepEqual(rangeOf(text, '"Username for making SSH connection to source host"').end, at(45, 82).start);
    assert.equal(a.problems[0].data?.parseError, 'CloseBraceExpected');
  });

  it('keeps the tree shaped as the author meant it, so the rest of the analysis sees the three properties', () => {
    const a = analyze(fixture('tutorial-truncated.json'));
    const linked = (a.value as any).linkedSourceDefinition;
    assert.deepEqual(Object.keys(linked.properties), ['sourceAddress', 'username', 'mountLocation']);
    assert.deepEqual(Object.keys(a.value as object), ['repositoryDefinition', 'sourceConfigDefinition', 'virtualSourceDefinition', 'linkedSourceDefinition', 'snapshotDefinition', 'snapshotParametersDefinition']);
    assert.deepEqual(a.model.byDefinition.get('linkedSourceDefinition')!.properties.map((p) => p.pythonName), ['source_address', 'username', 'mount_location']);
  });

  it('gives fixes that, applied one after the other, produce the example plugin schema', () => {
    let text = fixture('tutorial-truncated.json');
    for (let i = 0; i < 3; i++) {
      const first = analyze(text).problems[0];
      assert.ok(first, `fix ${i}`);
      text = applyFix(text, first);
    }
    const a = analyze(text);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(plain(a.value), exampleObject());
  });

  it('reports only the property braces when the author closed the end of the snippet', () => {
    const a = analyze(fixture('tutorial-unclosed-properties.json'));
    assert.deepEqual(a.problems.map((p) => [p.code, p.range]), [
      ['schema.syntax.closeBraceExpected', at(41, 70)],
      ['schema.syntax.closeBraceExpected', at(45, 82)],
    ]);
    assert.deepEqual(plain(a.value), exampleObject());
  });
});

describe('schema.json syntax: other errors', () => {
  const one = (text: string) => {
    const a = analyze(text);
    const syntax = syntaxOnly(a);
    assert.equal(syntax.length, 1, JSON.stringify(syntax.map(brief), null, 1));
    return { a, p: syntax[0] };
  };

  it('a missing comma between two properties', () => {
    const text = '{\n    "a": 1\n    "b": 2\n}';
    const { p } = one(text);
    assert.deepEqual(brief(p), {
      code: 'schema.syntax.commaExpected',
      range: at(1, 10),
      severity: 'error',
      dvp: true,
      message: "Expected a comma or closing brace after the property 'a': add ',' before the property 'b'.",
    });
    assert.equal(applyFix(text, p), '{\n    "a": 1,\n    "b": 2\n}');
  });

  it('a trailing comma (Python rejects it)', () => {
    const text = '{\n    "a": [1, 2,],\n    "b": 2,\n}';
    const a = analyze(text);
    assert.deepEqual(syntaxOnly(a).map(brief), [
      { code: 'schema.syntax.trailingComma', range: { start: { line: 1, character: 14 }, end: { line: 1, character: 15 } }, severity: 'error', dvp: true, message: "Trailing comma after the last item of the list 'a': Python's json module (used by dvp) rejects it." },
      { code: 'schema.syntax.trailingComma', range: { start: { line: 2, character: 10 }, end: { line: 2, character: 11 } }, severity: 'error', dvp: true, message: 'Trailing comma after the last property of the top-level object.' },
    ]);
  });

  it('comments, with a fix that removes a comment line entirely', () => {
    const text = '{\n    // the repository\n    "a": 1 /* one */\n}';
    const a = analyze(text);
    const comments = syntaxOnly(a);
    assert.deepEqual(comments.map((p) => p.range), [rangeOf(text, '// the repository'), rangeOf(text, '/* one */')]);
    assert.equal(comments[0].message, "Comments are not allowed in schema.json (found a '//' comment).");
    assert.equal(applyFix(text, comments[0]), '{\n    "a": 1 /* one */\n}');
    assert.deepEqual(plain(a.value), { a: 1 });
  });

  it('single quotes, unquoted keys, Python literals and leading zeros, each with its fix', () => {
    const text = "{'a': 'x', b: True, \"c\": None, \"d\": 007}";
    const a = analyze(text);
    assert.deepEqual(syntaxOnly(a).map((p) => [p.code, p.message, p.range]), [
      ['schema.syntax.singleQuotes', 'JSON strings need double quotes: write "a".', rangeOf(text, "'a'")],
      ['schema.syntax.singleQuotes', 'JSON strings need double quotes: write "x".', rangeOf(text, "'x'")],
      ['schema.syntax.unquotedKey', 'Property names must be strings in double quotes: write "b".', rangeOf(text, 'b')],
      ['schema.syntax.invalidSymbol', "'True' is not JSON: write 'true' (JSON literals are lowercase 'true', 'false' and 'null').", rangeOf(text, 'True')],
      ['schema.syntax.invalidSymbol', "'None' is not JSON: write 'null' (JSON literals are lowercase 'true', 'false' and 'null').", rangeOf(text, 'None')],
      ['schema.syntax.invalidNumber', `Numbers cannot have leading zeros in JSON: write '7' (or "007" if it is text).`, rangeOf(text, '007')],
    ]);
    assert.deepEqual(plain(a.value), { a: 'x', b: true, c: null, d: 7 });
  });

  it('a Windows path or regex with a single backslash', () => {
    const text = '{"pattern": "^\\d+$"}';
    const { p, a } = one(text);
    assert.deepEqual(brief(p), {
      code: 'schema.syntax.invalidEscape',
      range: rangeOf(text, '\\d'),
      severity: 'error',
      dvp: true,
      message: `Invalid escape '\\d' in a string: JSON knows only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.`,
    });
    assert.equal(applyFix(text, p), '{"pattern": "^\\\\d+$"}');
    assert.deepEqual(plain(a.value), { pattern: '^\\d+$' });
  });

  it('a tab inside a string', () => {
    const text = '{"a": "x\ty"}';
    const { p } = one(text);
    assert.equal(p.code, 'schema.syntax.controlCharacter');
    assert.deepEqual(p.range, rangeOf(text, '\t'));
    assert.equal(applyFix(text, p), '{"a": "x\\ty"}');
  });

  it('an unterminated string', () => {
    const text = '{\n    "a": "x,\n    "b": 1\n}';
    const { p } = one(text);
    assert.deepEqual(brief(p), {
      code: 'schema.syntax.unterminatedString',
      range: rangeOf(text, '"x,'),
      severity: 'error',
      dvp: true,
      message: 'Unterminated string.',
    });
  });

  it('a missing `]` before the next key', () => {
    const text = '{\n    "required": ["a", "b"\n    "properties": {}\n}';
    const { p, a } = one(text);
    assert.deepEqual(brief(p), {
      code: 'schema.syntax.closeBracketExpected',
      range: at(1, 25),
      severity: 'error',
      dvp: true,
      message: "Missing ']' to close the list 'required' (opened on line 2).",
    });
    assert.deepEqual(plain(a.value), { required: ['a', 'b'], properties: {} });
  });

  it('a missing colon and a missing value', () => {
    const text = '{\n    "a" 1,\n    "b": ,\n    "c": 3\n}';
    const a = analyze(text);
    assert.deepEqual(syntaxOnly(a).map((p) => [p.code, p.range, p.message]), [
      ['schema.syntax.colonExpected', at(1, 7), "Expected ':' after the property name 'a'."],
      ['schema.syntax.valueExpected', at(2, 8), "Expected a value for 'b' after ':'."],
    ]);
    assert.deepEqual(plain(a.value), { a: 1, c: 3 });
  });

  it('an extra `}` that would close the top-level object early', () => {
    const text = '{\n    "a": {"x": 1}},\n    "b": 2\n}';
    const { p, a } = one(text);
    assert.deepEqual(brief(p), {
      code: 'schema.syntax.extraBrace',
      range: rangeOf(text, '}', 1),
      severity: 'error',
      dvp: true,
      message: "Unexpected '}'.",
    });
    assert.deepEqual(plain(a.value), { a: { x: 1 }, b: 2 });
  });

  it('the end of the file before the objects are closed', () => {
    const text = '{\n    "a": {\n        "b": 1';
    const { p } = one(text);
    assert.deepEqual(brief(p), {
      code: 'schema.syntax.closeBraceExpected',
      range: at(2, 14),
      severity: 'error',
      dvp: true,
      message: "Missing '}}' to close 'a' and the top-level object: the file ends before they are closed.",
    });
    assert.equal(applyFix(text, p), '{\n    "a": {\n        "b": 1\n    }\n}');
  });

  it('an empty file and a byte-order mark', () => {
    assert.deepEqual(analyze('  \n').problems.map((p) => [p.code, p.range]), [['schema.syntax.empty', at(0, 0)]]);
    assert.equal(analyze('').problems[0].message, 'schema.json is empty.');
    const bom = analyze('\ufeff{}');
    assert.equal(bom.problems[0].code, 'schema.syntax.bom');
    assert.deepEqual(bom.problems[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
  });

  it('text after the top-level object', () => {
    const text = '{"a": 1} {"b": 2}';
    const { p } = one(text);
    assert.equal(p.code, 'schema.syntax.endOfFileExpected');
    assert.deepEqual(p.range, rangeOf(text, '{', 1));
  });
});

describe('schema.json syntax: the recovering parser agrees with jsonc-parser on valid JSON', () => {
  it('builds the same tree as parseTree when an unrelated error forces recovery', () => {
    const valid = JSON.stringify(exampleObject(), null, 2);
    // A trailing comment after the object makes the text invalid without touching the object.
    const r = parseStrictJson(valid + '\n// end');
    assert.equal(r.issues.length, 1);
    const strip = (n: any): any => ({ type: n.type, offset: n.offset, length: n.length, value: n.value, colonOffset: n.colonOffset, children: n.children?.map(strip) });
    assert.deepEqual(strip(r.root), strip(parseTree(valid)));
    assert.deepEqual(plain(getNodeValue(r.root!)), exampleObject());
  });
});
