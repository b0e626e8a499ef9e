// `npm run bench -- styles`: the issue-12 case, a 60-module plugin written in the styles of the
// test/fixtures/python/styles fixtures (bench/stylesPlugin.ts): the full check, cold, per 1,000 lines of
// Python, and the re-check after a keystroke in one helper module. Compare with the `python` section
// (300 modules passing staged_source to functions); the budget: neither figure grows by more
// than a third.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DiskFiles } from '../core/files';
import { WorkspaceAnalyzer } from '../core/analysis/workspaceAnalyzer';
import { createPythonSideFactory } from '../core/analysis/pythonSide';
import { writeStylesPlugin } from './stylesPlugin';
import { ms, summary, time } from './stats';

export async function stylesScale(modules = 60): Promise<void> {
  console.log(`\n## Cross-check of a ${modules}-module plugin in the helper-object styles (issue 12)`);
  const generated = writeStylesPlugin(path.join(os.tmpdir(), 'delphix-bench', `styles-${modules}`), { modules });
  const files = new DiskFiles();
  const factory = await createPythonSideFactory(files, () => undefined);
  const ws = new WorkspaceAnalyzer(files, {}, factory);
  const plugin = ws.addPlugin(generated.dir);
  const [first, full] = await time(() => plugin.analyze());
  const problems = [...first.problems.values()].flat();
  const errors = problems.filter((p) => p.severity === 'error').length;
  console.log(`full cross-check, cold: ${ms(full)} for ${generated.lines} lines = ${ms((full * 1000) / generated.lines)} per 1,000 lines (${errors} errors, ${problems.length} problems)`);
  const original = fs.readFileSync(generated.editTarget, 'utf8');
  const samples: number[] = [];
  try {
    for (let i = 0; i < 30; i++) {
      fs.writeFileSync(generated.editTarget, original + `\n# edit ${i}\n`);
      const [, t] = await time(() => {
        ws.fileChanged(generated.editTarget);
        return plugin.analyze();
      });
      samples.push(t);
    }
  } finally {
    fs.writeFileSync(generated.editTarget, original);
  }
  console.log(`re-check after a keystroke in ${path.basename(generated.editTarget)}: ${summary(samples)}`);
  // Measured on main before issue 12 (c133e0a) on the same generated plugin, 2-core machine under load.
  console.log(`before issue 12 (main c133e0a, same plugin): ${BEFORE.perKLines} per 1,000 lines cold, keystroke p95 ${BEFORE.keystrokeP95}; budget: each within +33%`);
}

const BEFORE = { perKLines: '69.8-93.1 ms', keystrokeP95: '53.9-99.5 ms' };
