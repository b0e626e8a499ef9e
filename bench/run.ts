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
import { buildArtifact } from '../core/build/artifact';
import { findImplementedOperations } from '../core/build/findOperations';
import { runSync } from '../core/sync';
import { stylesScale } from './stylesBench';
import type { Baseline } from '../core/upgrade/baseline';
import type { SavedObject } from '../core/upgrade/objects';
import { runUpgrade } from '../core/upgrade/runUpgrade';
import { diffDefinition } from '../core/upgrade/schemaDiff';

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
    await client.waitFor('the first analysis', () => client.notifications.some((n) => n.method === 'delphix/pluginsChanged') || undefined, 30000);
    client.open(schemaFile, good, 'json');
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

async function build(): Promise<void> {
  console.log('\n## Build (core build without the SDK runtime: codegen, compile, zip, artifact)');
  for (const [label, dir, make] of [
    ['example plugin', path.join(WORK, 'build-example'), (d: string) => fs.cpSync(EXAMPLE, d, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) })],
    ['300-module plugin', path.join(WORK, 'build-300'), (d: string) => writeBigPlugin(d, { modules: 300, properties: 50 })],
  ] as const) {
    fs.rmSync(dir, { recursive: true, force: true });
    make(dir);
    const operations = await findImplementedOperations(dir);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [r, t] = await time(() => buildArtifact({ pluginRoot: dir, operations }, { includeSdkRuntime: false }));
      if (!r.ok) throw new Error(`build of ${label} failed: ${r.errors.join('; ')}`);
      samples.push(t);
    }
    console.log(`${label}: ${summary(samples)}`);
  }
  const [, cli] = await time(() => execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'build', path.join(WORK, 'build-example'), '--no-sdk-runtime'], { stdio: 'pipe' }));
  console.log(`example plugin, CLI "build --no-sdk-runtime" as a new process (check + operations + build): ${ms(cli)}`);
}

async function sync(): Promise<void> {
  console.log('\n## Simulated sync of a 10,000-file tree against plain rsync of the same tree');
  const dir = path.join(WORK, 'sync-10k');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  const source = path.join(dir, 'sample-source');
  fs.rmSync(source, { recursive: true, force: true });
  for (let d = 0; d < 100; d++) {
    const sub = path.join(source, `dir${d}`);
    fs.mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(sub, `file${f}.txt`), `directory ${d} file ${f}\n`.repeat(4));
  }
  const [plain, tPlain] = await time(() => {
    const target = path.join(WORK, 'plain-rsync-target');
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target);
    execFileSync('rsync', ['-r', source, target]);
    return target;
  });
  fs.rmSync(plain, { recursive: true, force: true });
  const [report, tSync] = await time(() => runSync({ pluginRoot: dir, profile: 'local', mode: 'resync' }));
  if (!report.ok) throw new Error(`simulated sync failed: ${report.error?.message ?? 'see the report'}`);
  const [again, tIncr] = await time(() => runSync({ pluginRoot: dir, profile: 'local', mode: 'sync' }));
  if (!again.ok) throw new Error(`incremental sync failed: ${again.error?.message}`);
  console.log(`plain rsync -r of the tree: ${ms(tPlain)}`);
  console.log(`simulated sync (mount spec, rsync in pre_snapshot, hard-link snapshot, post_snapshot): ${ms(tSync)} = ${(tSync / tPlain).toFixed(2)}x plain rsync`);
  console.log(`second sync, nothing changed: ${ms(tIncr)} = ${(tIncr / tPlain).toFixed(2)}x plain rsync`);
}

async function upgrade(): Promise<void> {
  console.log('\n## Upgrade guard and migrations');
  const definition = (prefix: string, n: number) => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) properties[`${prefix}${i}`] = { type: 'string', maxLength: 10 + (i % 50) };
    return { type: 'object', properties, required: Object.keys(properties).slice(0, n / 2) };
  };
  const before = definition('old', 2000);
  const after = definition('new', 2000);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) samples.push((await time(() => diffDefinition('repositoryDefinition', before, after)))[1]);
  console.log(`schema diff, 2,000 properties all renamed (runs on every schema edit when a baseline is set): ${summary(samples)} (goal: median < 100 ms)`);

  const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'upgrade');
  const dir = path.join(WORK, 'upgrade');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(fixtures, 'v2-migrated'), dir, { recursive: true });
  const baseline: Baseline = { label: 'bench', kind: 'artifact', buildNumber: '1', migrationIds: ['2024.1.15'], schemas: JSON.parse(fs.readFileSync(path.join(fixtures, 'v1', 'schema.json'), 'utf8')) };
  const objects: SavedObject[] = Array.from({ length: 1000 }, (_, i) => ({ kind: 'linked_source', index: i, label: `linkedSource[${i}]`, value: { mode: 'legacy', mountPath: `/mnt/${i}` } }));
  const [run, elapsed] = await time(() => runUpgrade({ pluginRoot: dir, baseline, objects }));
  console.log(`upgrade of 1,000 linked sources (python3 start, migrations, validation): ${ms(elapsed)}, ${run.ok ? 'all valid' : 'FAILED'} (goal: < 3 s)`);
}

const SECTIONS: Record<string, () => Promise<void>> = { analysis: analysisCold, schema: schemaLatency, python: pythonScale, styles: () => stylesScale(60), build, sync, upgrade };

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
