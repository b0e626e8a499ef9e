import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, schemaText } from './helpers';

/** A linked source definition with `n` properties of the usual kinds, a few nested. */
function bigSchema(n: number): string {
  return schemaText((s) => {
    const props: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = `setting${i}Value`;
      switch (i % 4) {
        case 0:
          props[key] = { type: 'string', format: 'unixpath', prettyName: `Setting ${i}`, description: 'A path on the staging host' };
          break;
        case 1:
          props[key] = { type: 'integer', minimum: 0, maximum: 65535, default: 8 };
          break;
        case 2:
          props[key] = { type: 'boolean', default: false, prettyName: `Flag ${i}` };
          break;
        default:
          props[key] = { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' } } };
      }
    }
    s.linkedSourceDefinition.properties = props;
    s.linkedSourceDefinition.required = Object.keys(props).slice(0, 200);
    s.linkedSourceDefinition.ordering = Object.keys(props);
  });
}

/** The best of three runs after a warm-up: the steady state the language server sees on each keystroke. */
function bestTime(text: string): { ms: number; problems: number } {
  analyze(text);
  let best = Infinity;
  let problems = 0;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    problems = analyze(text).problems.length;
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: best, problems };
}

describe('schema.json analysis speed', () => {
  it('analyses a 2,000-property schema in well under half a second', () => {
    const text = bigSchema(2000);
    const { ms, problems } = bestTime(text);
    assert.equal(problems, 0);
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
  });

  it('stays fast on the recovery path (a 2,000-property schema with a missing brace)', () => {
    const text = bigSchema(2000).replace(/("setting1001Value": \{[^}]*"default": 8)\n\s*\}/, '$1');
    const { ms, problems } = bestTime(text);
    assert.equal(problems, 1);
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
  });
});
