// Every message the schema, config and sync-profile rules produce, as the unit suite's fixtures trigger
// them, must fit the Problems view: plain text (VS Code shows no Markdown there), the fact first, and the
// point within the first 100 characters. Every rule has its section in docs/rules.md, which the
// diagnostic's code links to.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { firstSentence, HEADLINE_LIMIT, shapeMessage } from '../../../core/messages';
import { REPOSITORY_URL, RULES_PAGE, ruleDocUrl } from '../../../core/ruleDocs';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const OUT = path.resolve(__dirname, '..', '..', '..');
const SUITES = ['unit/schema/meta.test.js', 'unit/schema/semantic.test.js', 'unit/schema/syntax.test.js', 'unit/config', 'unit/sync/profile.test.js'];

interface Recorded {
  code: string;
  message: string;
  detail?: string;
  related?: string[];
}

/** The codes the rule families use in the source, with `schema.${keyword}.unknown`-style templates expanded. */
function sourceCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/['`]((?:schema|config|sync\.profile)\.[A-Za-z0-9_.]+)['`]/g)) codes.add(m[1]);
      }
    }
  };
  walk(path.join(ROOT, 'core', 'schema'));
  walk(path.join(ROOT, 'core', 'config'));
  walk(path.join(ROOT, 'core', 'sync'));
  for (const kw of ['required', 'ordering']) codes.add(`schema.${kw}.unknown`);
  for (const kw of ['nameField', 'identityFields']) codes.add(`schema.${kw}.missing`);
  return codes;
}

describe('rule messages', () => {
  let recorded: Recorded[] = [];
  before(() => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'messages-')), 'problems.jsonl');
    fs.writeFileSync(file, '');
    try {
      execFileSync(process.execPath, ['--require', path.join(OUT, 'test', 'support', 'problemRecorder.js'), '--test', ...SUITES.map((s) => path.join(OUT, 'test', s))], {
        // Without NODE_TEST_CONTEXT, or the inner runner reports to this one instead of running.
        env: { ...withoutTestContext(process.env), PROBLEM_RECORD: file },
        stdio: 'ignore',
        timeout: 300_000,
      });
    } catch {
      // A failing test elsewhere still recorded its problems; those suites report their own failures.
    }
    recorded = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Recorded);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('are produced for most rules by the fixtures', () => {
    const codes = new Set(recorded.map((r) => r.code));
    assert.ok(codes.size >= 70, `only ${codes.size} rules seen`);
  });

  it('lead with the fact in plain text, the point within 100 characters', () => {
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const r of recorded) {
      if (seen.has(r.message)) continue;
      seen.add(r.message);
      const head = firstSentence(r.message);
      if (r.message.includes('`')) bad.push(`[${r.code}] has a backtick: ${r.message}`);
      if (head.length >= HEADLINE_LIMIT) bad.push(`[${r.code}] ${head.length} characters before the first period: ${r.message}`);
      if (/^(Because|Since|Note|In |Plugin Studio)/.test(r.message) && r.code !== 'schema.internal' && r.code !== 'config.internal') bad.push(`[${r.code}] does not lead with the fact: ${r.message}`);
      if (/^\s|\s$|\n/.test(r.message)) bad.push(`[${r.code}] stray whitespace: ${JSON.stringify(r.message)}`);
      if (r.detail !== undefined && (r.detail.includes('`') || r.detail === r.message || r.detail.startsWith(r.message))) {
        bad.push(`[${r.code}] explanation repeats the message or has backticks: ${r.detail}`);
      }
      for (const m of r.related ?? []) if (m.includes('`')) bad.push(`[${r.code}] related text has a backtick: ${m}`);
    }
    assert.deepEqual(bad, []);
  });

  it('each rule has its section in docs/rules.md, linked by a repository URL', () => {
    const page = fs.readFileSync(path.join(ROOT, RULES_PAGE), 'utf8');
    const anchors = new Set([...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const missing = [...new Set([...sourceCodes(), ...recorded.map((r) => r.code)])].filter((c) => !anchors.has(c));
    assert.deepEqual(missing, []);
    assert.equal(ruleDocUrl('schema.required.unknown'), `${REPOSITORY_URL}/blob/main/docs/rules.md#schema.required.unknown`);
    assert.equal(ruleDocUrl('python.undefinedName'), undefined);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
    assert.equal(pkg.repository.url.replace(/\.git$/, ''), REPOSITORY_URL);
  });
});

describe('shapeMessage', () => {
  it('turns code spans into quotes and keeps a short message whole', () => {
    assert.deepEqual(shapeMessage("`name` is empty."), { message: "'name' is empty." });
    assert.deepEqual(shapeMessage("`'a'` twice"), { message: "'a' twice" });
  });

  it('moves the explanation and what dvp prints out of a long message, and keeps the suggestion', () => {
    const shaped = shapeMessage(
      'Schema file schema.jsn does not exist (dvp build: "The path \'/very/long/path/to/the/plugin/schema.jsn\' does not exist."). Did you mean `schema.json`?',
    );
    assert.equal(shaped.message, "Schema file schema.jsn does not exist; did you mean 'schema.json'?");
    assert.match(shaped.detail!, /^dvp build: "The path/);
  });

  it('is idempotent', () => {
    const once = shapeMessage('`x` '.repeat(40) + ': because. More.');
    assert.deepEqual(shapeMessage(once.message, once.detail), once);
  });
});

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_TEST_CONTEXT;
  return copy;
}
