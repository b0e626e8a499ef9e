// The model of the plugin's own classes and objects (issue 12): builders with class methods, dicts with
// constant keys, tuples, lists, module globals set by an operation, dynamic classes, cycles. The fixture
// is correct code; each case injects one misspelling and expects exactly that error.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { fixture, load, posOf } from './helpers';

const MODEL = fixture('model');

const CASES: { file: string; original: string; misspelt: string; suggest: string; flow: string }[] = [
  { file: 'app/builder.py', original: 'self.params.mount_path', misspelt: 'self.params.mount_pth', suggest: 'mount_path', flow: 'classmethod setters returning cls, chained, copied by the constructor' },
  { file: 'app/builder.py', original: 'self.repository.binary_dir', misspelt: 'self.repository.binary_dri', suggest: 'binary_dir', flow: 'class attribute set by a classmethod' },
  { file: 'app/containers.py', original: 'cfg["src"].parameters.mount_path', misspelt: 'cfg["src"].parameters.mount_pth', suggest: 'mount_path', flow: 'dict with constant keys' },
  { file: 'app/containers.py', original: 'cfg.get("repo").install_path', misspelt: 'cfg.get("repo").install_pth', suggest: 'install_path', flow: 'dict.get with a constant key' },
  { file: 'app/containers.py', original: 'cfg["extra"].binary_dir', misspelt: 'cfg["extra"].binary_dri', suggest: 'binary_dir', flow: 'a key set after the literal' },
  { file: 'app/containers.py', original: 'repo.owner_user', misspelt: 'repo.owner_usr', suggest: 'owner_user', flow: 'tuple unpacking' },
  { file: 'app/containers.py', original: 'pair[1].name', misspelt: 'pair[1].nmae', suggest: 'name', flow: 'tuple index' },
  { file: 'app/containers.py', original: 'mount.mount_path', misspelt: 'mount.mount_pth', suggest: 'mount_path', flow: 'a list of SDK objects iterated' },
  { file: 'app/cycles.py', original: 'return params.mount_path', misspelt: 'return params.mount_pth', suggest: 'mount_path', flow: 'mutually recursive helpers' },
  { file: 'app/state.py', original: 'CURRENT.parameters.mount_path', misspelt: 'CURRENT.parameters.mount_pth', suggest: 'mount_path', flow: 'a module global set by an operation' },
];

function errors(all: Map<string, { severity: string; file: string; range: { start: { line: number } }; message: string }[]>) {
  return [...all.values()].flat().filter((p) => p.severity === 'error');
}

describe('issue 12: the model of plugin classes and containers', () => {
  test('correct code gives no error; dynamic classes and computed keys are counted as untraced, with the reason', async () => {
    const l = await load(MODEL);
    assert.deepEqual(errors(l.analyzer.allDiagnostics()).map((p) => `${path.basename(p.file)}:${p.range.start.line + 1} ${p.message}`), []);
    const c = l.analyzer.coverage();
    assert.ok(c.verified >= 15, `verified ${c.verified}`);
    const reasons = c.untraced.map((u) => `${path.relative(l.project.srcDir, u.file)}:${u.range.start.line + 1} ${u.reason}`);
    assert.ok(reasons.includes('app/containers.py:22 a dict read with a key computed at run time'), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.startsWith('app/dynamic.py:26 ') && r.includes('setattr()')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.startsWith('app/dynamic.py:34 ') && r.includes('threading.Thread')), reasons.join('\n'));
  });

  for (const c of CASES) {
    test(`${c.flow}: \`${c.misspelt}\` in ${c.file} is an error suggesting \`${c.suggest}\``, async () => {
      const l = await load(MODEL);
      const file = l.src(c.file);
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(text.split(c.original).length, 2, 'the original occurs once');
      const changed = text.replace(c.original, c.misspelt);
      l.analyzer.update(file, changed);
      const found = errors(l.analyzer.allDiagnostics());
      const name = c.misspelt.split('.').pop()!;
      const at = posOf(changed, c.misspelt, c.misspelt.length - name.length);
      assert.equal(found.length, 1, found.map((p) => p.message).join('\n'));
      assert.equal(found[0].file, file);
      assert.equal(found[0].range.start.line, at.line);
      assert.match(found[0].message, new RegExp(`Did you mean \`${c.suggest}\``));
    });
  }

  test('a class holding an instance of itself and mutually recursive helpers finish in bounded work', async () => {
    const l = await load(MODEL);
    l.analyzer.allDiagnostics();
    const first = l.analyzer.lastRunStats();
    assert.ok(first.analysed <= first.functions * 12, JSON.stringify(first));
    const file = l.src('app/cycles.py');
    l.analyzer.update(file, fs.readFileSync(file, 'utf8') + '\n# edited\n');
    l.analyzer.allDiagnostics();
    const again = l.analyzer.lastRunStats();
    assert.ok(again.analysed < first.analysed, JSON.stringify({ first, again }));
  });

  test('hover on a name read through a builder says how the value was traced', async () => {
    const l = await load(MODEL);
    const file = l.src('app/builder.py');
    const text = fs.readFileSync(file, 'utf8');
    const h = l.analyzer.hover(file, posOf(text, 'mount_path', 2));
    assert.ok(h, 'a hover');
    assert.match(h.markdown, /schema property `mountPath` of `LinkedSourceDefinition`/);
    assert.match(h.markdown, /Traced: `staged_source` → `set_source\(\.\.\.\)` → .*`\.parameters`/);
  });

  test('completion, references and rename reach the sites inside classes and containers', async () => {
    const l = await load(MODEL);
    const builder = l.src('app/builder.py');
    const text = fs.readFileSync(builder, 'utf8');
    const at = posOf(text, 'self.params.mount_path', 'self.params.'.length);
    const items = l.analyzer.completions(builder, at).map((i) => i.label);
    assert.ok(items.includes('mount_path') && items.includes('backup_location'), items.join(','));
    const refs = l.analyzer.references(builder, posOf(text, 'mount_path', 2)).map((r) => `${path.relative(l.root, r.file)}:${r.range.start.line + 1}`);
    for (const site of ['schema.json', 'src/app/builder.py:25', 'src/app/containers.py:4', 'src/app/cycles.py:17', 'src/app/state.py:10']) {
      assert.ok(refs.some((r) => r.startsWith(site)), `${site} in ${refs.join(', ')}`);
    }
    const edits = l.analyzer.rename(builder, posOf(text, 'mount_path', 2), 'mount_dir');
    assert.ok(!('error' in edits), JSON.stringify(edits));
    const files = new Set(edits.edits.map((e) => path.relative(l.root, e.file)));
    for (const f of ['schema.json', 'src/app/builder.py', 'src/app/containers.py', 'src/app/cycles.py', 'src/app/state.py']) assert.ok(files.has(f), `${f} in ${[...files].join(', ')}`);
  });
});
