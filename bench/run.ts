// `npm run bench`: prints the speed figures the issues ask for. Figures, not pass/fail: speed goals live
// here, not in timed tests. Run one section with `npm run bench -- <section>`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync, spawnSync } from 'child_process';
import { DiskFiles } from '../core/files';
import { WorkspaceAnalyzer } from '../core/analysis/workspaceAnalyzer';
import { createPythonSideFactory } from '../core/analysis/pythonSide';
import { LspTestClient, REPO_ROOT } from '../test/support/lspClient';
import { writeBigPlugin } from './generate';
import { ms, percentile, summary, time } from './stats';
import { figure, figures } from './figures';
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

/** One CLI run as a new process, with its timing breakdown (DELPHIX_TIMINGS=json). */
function cliRun(args: string[]): { wallMs: number; cpuMs: number; breakdown?: { phases: unknown[]; totalWallMs: number; totalCpuMs: number } } {
  const r = timedProcess([path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { DELPHIX_TIMINGS: 'json' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"delphixTimings"'));
  if (!line) throw new Error(`no timings from "${args.join(' ')}": ${r.stderr}`);
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, breakdown: JSON.parse(line).delphixTimings };
}

// GNU time reports the CPU time of the whole process tree (python3 children included); without it,
// the CPU time is the node process's own, which it prints at exit.
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function timedProcess(args: string[], env: Record<string, string> = {}): { wallMs: number; cpuMs: number; stdout: string; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', 'TREE_CPU %U %S', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env } })
    : spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const stderr = r.stderr ?? '';
  const m = /^TREE_CPU ([\d.]+) ([\d.]+)$/m.exec(stderr);
  let cpuMs = m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
  if (!m) {
    const own = /"totalCpuMs":([\d.]+)/.exec(stderr) ?? /^CPU ([\d.]+)$/m.exec(stderr);
    cpuMs = own ? Number(own[1]) : NaN;
  }
  return { wallMs, cpuMs, stdout: r.stdout ?? '', stderr };
}

/** A bare node start, measured the same way. */
function bareNode(): { wallMs: number; cpuMs: number } {
  return timedProcess(['-e', "process.on('exit', () => { const c = process.cpuUsage(); process.stderr.write(`CPU ${(c.user + c.system) / 1000}\\n`); })"]);
}

const median = (v: number[]) => percentile(v, 50);

/** Runs of a CLI command beside bare node starts, interleaved so both see the same machine load. */
function cliAgainstNode(args: string[], runs = 5) {
  const cli: ReturnType<typeof cliRun>[] = [];
  const node: ReturnType<typeof bareNode>[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(bareNode());
    cli.push(cliRun(args));
  }
  const best = cli.reduce((a, b) => (a.cpuMs <= b.cpuMs ? a : b));
  return {
    cliWall: median(cli.map((c) => c.wallMs)),
    cliCpu: median(cli.map((c) => c.cpuMs)),
    nodeWall: median(node.map((c) => c.wallMs)),
    nodeCpu: median(node.map((c) => c.cpuMs)),
    breakdown: best.breakdown,
  };
}

function printBreakdown(b: { phases: { phase: string; wallMs: number | null; cpuMs: number | null }[] } | undefined): void {
  if (!b) return;
  for (const p of b.phases) console.log(`    ${p.phase.padEnd(46)} ${p.wallMs === null ? '' : p.wallMs.toFixed(1).padStart(8)} ${p.cpuMs === null ? '' : p.cpuMs.toFixed(1).padStart(8)}`);
}

async function analysisCold(): Promise<void> {
  console.log('\n## Analysis of a plugin, cold');
  const cpu0 = process.cpuUsage();
  const [, inProcess] = await time(async () => {
    const files = new DiskFiles();
    const ws = new WorkspaceAnalyzer(files, {}, await createPythonSideFactory(files, () => undefined));
    ws.addPlugin(EXAMPLE);
    return ws.analyzeAll();
  });
  const cpu = process.cpuUsage(cpu0);
  figure({ section: 'analysis', name: 'full analysis in process, example plugin (parser load included)', value: (cpu.user + cpu.system) / 1000, unit: 'ms', goal: 40, how: `CPU time; wall ${ms(inProcess)}` });
  const r = cliAgainstNode(['check', EXAMPLE]);
  figure({
    section: 'analysis',
    name: '"check" of the example plugin as a new process, against a bare node start',
    value: r.cliCpu / r.nodeCpu,
    unit: 'x',
    goal: 2,
    how: `CPU time ratio (GNU time, whole process tree), median of 5: ${ms(r.cliCpu)} / ${ms(r.nodeCpu)}; wall ${ms(r.cliWall)} / ${ms(r.nodeWall)} = ${(r.cliWall / r.nodeWall).toFixed(2)}x`,
    detail: r.breakdown,
  });
  console.log('  breakdown of the cheapest run (ms, wall / cpu):');
  printBreakdown(r.breakdown as never);
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
    const cpu: number[] = [];
    for (let i = 0; i < 40; i++) {
      const broken = i % 2 === 0;
      const c0 = processCpuMs(client.pid);
      const t0 = process.hrtime.bigint();
      client.change(schemaFile, broken ? bad : good);
      await client.waitFor('diagnostics after edit', () => {
        const d = client.diagnosticsFor(schemaFile) ?? [];
        return broken === d.some((x) => x.severity === 1) || undefined;
      }, 30000);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c1 = processCpuMs(client.pid);
      if (c0 !== undefined && c1 !== undefined) cpu.push(c1 - c0);
    }
    // Edits here come one at a time, after a pause: the server analyses them without a debounce delay.
    console.log(`latency: ${summary(samples)} (wall clock; no debounce for an edit after a pause)`);
    figure({ section: 'schema', name: 'schema.json edit to diagnostics, 2,000-property schema, over LSP, p95', value: percentile(samples, 95), unit: 'ms', goal: 50, how: 'wall clock, debounce included' });
    if (cpu.length > 0) {
      console.log(`server CPU per edit: ${summary(cpu)} (/proc utime+stime of the server, 10 ms ticks)`);
      figure({ section: 'schema', name: 'schema.json edit to diagnostics, 2,000-property schema, server CPU per edit, p95', value: percentile(cpu, 95), unit: 'ms', goal: 50, how: 'CPU time of the server process (the figure that does not depend on the load); no debounce delay for an edit after a pause' });
    }
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
  const r = cliAgainstNode(['build', path.join(WORK, 'build-example'), '--no-sdk-runtime']);
  figure({
    section: 'build',
    name: '"build --no-sdk-runtime" of the example as a new process, against a bare node start',
    value: r.cliCpu / r.nodeCpu,
    unit: 'x',
    goal: 4,
    how: `CPU time ratio (python3 children included when /usr/bin/time is there), median of 5: ${ms(r.cliCpu)} / ${ms(r.nodeCpu)}; wall ${ms(r.cliWall)} / ${ms(r.nodeWall)} = ${(r.cliWall / r.nodeWall).toFixed(2)}x`,
    detail: r.breakdown,
  });
  console.log('  breakdown of the cheapest run (ms, wall / cpu):');
  printBreakdown(r.breakdown as never);
}

/** A copy of the example plugin whose sample-source/ holds 10,000 small files in 100 folders. */
function examplePlugin10k(name: string): { dir: string; source: string } {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.delphix${path.sep}sandbox`) });
  const source = path.join(dir, 'sample-source');
  fs.rmSync(source, { recursive: true, force: true });
  for (let d = 0; d < 100; d++) {
    const sub = path.join(source, `dir${d}`);
    fs.mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(sub, `file${f}.txt`), `directory ${d} file ${f}\n`.repeat(4));
  }
  return { dir, source };
}

async function sync(): Promise<void> {
  console.log('\n## Simulated sync of a 10,000-file tree against plain rsync of the same tree');
  const { dir, source } = examplePlugin10k('sync-10k');
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
  // The goal is on the sync's own work beside the plugin's copy (itself about one plain rsync): total/plain - 1.
  figure({ section: 'sync', name: 'simulated sync of a 10,000-file tree: own work beside the plugin\'s copy', value: (tSync / tPlain - 1) * 100, unit: '%', goal: 30, how: `wall clock: sync ${ms(tSync)} = ${(tSync / tPlain).toFixed(2)}x plain rsync -r ${ms(tPlain)}` });
  figure({ section: 'sync', name: 'second sync, nothing changed: own work beside the plugin\'s copy', value: (tIncr / tPlain - 1) * 100, unit: '%', goal: 30, how: `wall clock: ${ms(tIncr)} = ${(tIncr / tPlain).toFixed(2)}x plain rsync -r` });
}

async function vdb(): Promise<void> {
  console.log('\n## Provisioning a VDB from a 10,000-file snapshot against cp -a --reflink=auto of the same tree (goal: within 1.3x), and a refresh');
  const { dir } = examplePlugin10k('vdb-10k');
  const synced = await runSync({ pluginRoot: dir, profile: 'local' });
  if (!synced.ok || !synced.snapshot) throw new Error(`the sync before provisioning failed: ${synced.error?.message ?? 'see the report'}`);
  const data = path.join(synced.snapshot.path, 'data');
  const tree = path.join(data, fs.readdirSync(data)[0]);
  // Each copy goes to a fresh folder, removed only at the end: a deletion just before a timed copy would
  // slow it down (writeback), and the VDBs are fresh folders too.
  const targets: string[] = [];
  const cp = async () => {
    const target = path.join(WORK, `plain-cp-target-${targets.length}`);
    fs.rmSync(target, { recursive: true, force: true });
    targets.push(target);
    return time(() => execFileSync('cp', ['-a', '--reflink=auto', tree, target]));
  };
  const provision = async (name: string) => {
    const [report, t] = await time(() => runSync({ pluginRoot: dir, profile: 'local', workflow: 'provision', vdb: name }));
    if (!report.ok) throw new Error(`provision failed: ${report.error?.message ?? 'see the report'}`);
    return [report, t] as const;
  };
  // Warm both once (page cache, python's imports), then take the median of three.
  await cp();
  await provision('warm');
  const cps: number[] = [];
  const provisions: number[] = [];
  let last;
  for (let i = 0; i < 3; i++) {
    cps.push((await cp())[1]);
    const [report, t] = await provision(`v${i}`);
    provisions.push(t);
    last = report;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [tCp, tProvision] = [median(cps), median(provisions)];
  const clone = last!.clone!;
  figure({
    section: 'vdb',
    name: 'provision a VDB from a 10,000-file snapshot, against cp -a --reflink=auto of the same tree',
    value: tProvision / tCp,
    unit: 'x',
    goal: 1.3,
    how: `wall clock, medians of 3, in process as the editor runs it: provision ${ms(tProvision)} (its clone ${ms(clone.durationMs)} as ${clone.mode}) / cp ${ms(tCp)}`,
  });
  // A refresh of each VDB (the same snapshot: a refresh replaces the data whatever changed), each after a cp.
  const cps2: number[] = [];
  const refreshes: number[] = [];
  let lastRefresh;
  for (let i = 0; i < 3; i++) {
    cps2.push((await cp())[1]);
    const [refresh, t] = await time(() => runSync({ pluginRoot: dir, profile: 'local', workflow: 'refresh', vdb: `v${i}` }));
    if (!refresh.ok) throw new Error(`refresh failed: ${refresh.error?.message ?? 'see the report'}`);
    refreshes.push(t);
    lastRefresh = refresh;
    // The replaced data is freed in the background; let that finish before the next timed copy.
    const vdbFolder = path.dirname(refresh.vdb!.dataDir);
    while (fs.readdirSync(vdbFolder).some((n) => n.startsWith('.trash-'))) await new Promise((r) => setTimeout(r, 50));
  }
  for (const t of targets) fs.rmSync(t, { recursive: true, force: true });
  const tRefresh = median(refreshes);
  figure({
    section: 'vdb',
    name: 'refresh of that VDB, against cp -a --reflink=auto of the tree',
    value: tRefresh / median(cps2),
    unit: 'x',
    how: `wall clock, medians of 3: refresh ${ms(tRefresh)} / cp ${ms(median(cps2))}; steps of the last: ${lastRefresh!.steps.map((s) => `${s.name} ${s.durationMs ?? '-'} ms`).join(', ')}`,
  });
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

async function memory(): Promise<void> {
  console.log('\n## Language server memory under the fuzzer (seed 1, 60 s of LSP inputs)');
  const { runFuzz } = await import('../test/fuzz/fuzz');
  const report = await runFuzz({ seed: 1, seconds: 60, targets: ['lsp'], maxServerRssMb: Number.MAX_SAFE_INTEGER, maxFuzzerRssMb: Number.MAX_SAFE_INTEGER });
  figure({ section: 'memory', name: 'language server peak RSS under the fuzzer', value: report.serverPeakRssMb, unit: 'MB', goal: 300, how: `VmHWM of the server process, ${report.lsp?.inputs ?? 0} inputs${report.serverPeakInput ? `, peak reached during ${report.serverPeakInput}` : ''} (npm run fuzz for the full run)` });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const SECTIONS: Record<string, () => Promise<void>> = { analysis: analysisCold, schema: schemaLatency, python: pythonScale, styles: () => stylesScale(60), build, sync, upgrade, memory, vdb };

(async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const only = args.filter((a) => a !== '--json');
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
  if (json) {
    const out = path.join(REPO_ROOT, 'bench', '.work', 'results.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const doc = { date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadAverage: os.loadavg(), figures };
    fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
    console.log(`\nfigures written to ${out}`);
  }
})();

/** CPU time (user + system) of a process so far, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
