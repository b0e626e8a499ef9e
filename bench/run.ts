// `npm run bench`: prints the speed figures the issues ask for. Figures, not pass/fail: speed goals live
// here, not in timed tests. Run one section with `npm run bench -- <section>`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { DiskFiles } from '../core/files';
import { WorkspaceAnalyzer } from '../core/analysis/workspaceAnalyzer';
import { createPythonSideFactory } from '../core/analysis/pythonSide';
import { LspTestClient, REPO_ROOT } from '../test/support/lspClient';
import { writeBigPlugin } from './generate';
import { ms, summary, time } from './stats';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'first-plugin');
const WORK = path.join(os.tmpdir(), 'delphix-bench');

async function analysisCold(): Promise<void> {
  console.log('\n## Analysis of a plugin, cold');
  const [, inProcess] = await time(async () => {
    const files = new DiskFiles();
    const ws = new WorkspaceAnalyzer(files, {}, await createPythonSideFactory(files, () => undefined));
    ws.addPlugin(EXAMPLE);
    return ws.analyzeAll();
  });
  console.log(`example plugin, in process (parser load + config + schema + Python): ${ms(inProcess)}`);
  const [, cli] = await time(() => {
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'check', EXAMPLE], { stdio: 'pipe' });
    } catch {
      /* exit code 1 on problems is fine for timing */
    }
  });
  console.log(`example plugin, CLI "check" as a new process: ${ms(cli)}`);
}

async function schemaLatency(): Promise<void> {
  console.log('\n## didChange of schema.json to its diagnostics, 2,000-property schema, over LSP');
  const dir = path.join(WORK, 'schema-2000');
  writeBigPlugin(dir, { modules: 1, properties: 2000 });
  const schemaFile = path.join(dir, 'schema.json');
  const good = fs.readFileSync(schemaFile, 'utf8');
  // A meta-schema error that appears and disappears, so every edit changes the published diagnostics.
  const bad = good.replace('"type": "boolean"', '"type": "bool"');
  const client = new LspTestClient();
  try {
    await client.initialize(dir);
    client.open(schemaFile, good, 'json');
    await client.waitFor('first diagnostics', () => client.diagnosticsFor(schemaFile), 30000);
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const broken = i % 2 === 0;
      const t0 = process.hrtime.bigint();
      client.change(schemaFile, broken ? bad : good);
      await client.waitFor('diagnostics after edit', () => {
        const d = client.diagnosticsFor(schemaFile) ?? [];
        return broken === d.some((x) => x.severity === 1) || undefined;
      }, 30000);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    console.log(`latency: ${summary(samples)} (includes the server's 25 ms debounce)`);
  } finally {
    await client.dispose();
  }
}

async function pythonScale(): Promise<void> {
  console.log('\n## Cross-check of a plugin with 300 Python modules');
  const dir = path.join(WORK, 'modules-300');
  writeBigPlugin(dir, { modules: 300, properties: 50 });
  const files = new DiskFiles();
  const factory = await createPythonSideFactory(files, () => undefined);
  const ws = new WorkspaceAnalyzer(files, {}, factory);
  const plugin = ws.addPlugin(dir);
  const [first, full] = await time(() => plugin.analyze());
  const count = [...first.problems.values()].flat().length;
  console.log(`full cross-check, cold: ${ms(full)} (${count} problems)`);
  const edited = path.join(dir, 'src', 'helpers', 'step7.py');
  const original = fs.readFileSync(edited, 'utf8');
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    fs.writeFileSync(edited, original + `\n# edit ${i}\n`);
    const [, t] = await time(() => {
      ws.fileChanged(edited);
      return plugin.analyze();
    });
    samples.push(t);
  }
  fs.writeFileSync(edited, original);
  console.log(`re-check after editing one module: ${summary(samples)}`);
}

const SECTIONS: Record<string, () => Promise<void>> = { analysis: analysisCold, schema: schemaLatency, python: pythonScale };

(async () => {
  const only = process.argv.slice(2);
  console.log(`# Delphix Plugin Studio benchmarks (${os.cpus().length} cores, node ${process.version})`);
  for (const [name, fn] of Object.entries(SECTIONS)) {
    if (only.length && !only.includes(name)) continue;
    try {
      await fn();
    } catch (e) {
      console.log(`section ${name} failed: ${(e as Error).message}`);
      process.exitCode = 1;
    }
  }
})();
