// The fuzz engine: feeds mutated plugin files to the core (in a worker thread, see coreWorker.ts) and to
// the real language server over LSP, and keeps the figures: inputs tried, crashes, hangs, the slowest
// answer, the peak memory of the server and of the fuzzer. Every input is derived from (seed, number),
// so a finding is reproduced with `--seed S --replay N`.

import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { URI } from 'vscode-uri';
import { SDK_VERSIONS } from '../../core/sdk/versions';
import { LineIndex } from '../../core/text';
import { LspTestClient } from '../support/lspClient';
import type { BuildInputMessage, BuildResultMessage } from './buildWorker';
import type { CoreInputMessage, CoreResultMessage } from './coreWorker';
import { mb, processMemory } from './memory';
import { makeInput, type FileKind, type FuzzInput } from './mutators';
import { Rng } from './rng';
import { createWorkspace, restoreFile, type FuzzPlugin, type FuzzWorkspace } from './workspace';

export type FuzzTarget = 'core' | 'lsp' | 'build';

export interface FuzzOptions {
  seed: number;
  /** Time budget of the whole run, in seconds (split between the targets). */
  seconds: number;
  /** Most inputs per target (default: as many as the time allows). */
  iterations?: number;
  targets: FuzzTarget[];
  /** Bound on one input's analysis in the core (fileChanged + analyze). */
  maxAnalysisMs: number;
  /** Bound on one LSP answer, and on one editor feature call in the core. */
  maxAnswerMs: number;
  /** Bound on one build (the check, then the core build without the SDK runtime). */
  maxBuildMs: number;
  /** After this long without an answer the worker / server is declared hung and replaced. */
  hangMs: number;
  maxServerRssMb: number;
  maxFuzzerRssMb: number;
  /** Count caught internal errors ("Plugin Studio could not finish ...") as failures. */
  failOnInternal: boolean;
  /** Run only input number N (reproduce a finding). */
  replay?: number;
  /** Write the text of every input with a finding here. */
  saveDir?: string;
  log?: (line: string) => void;
  /** Log every input with its timing. */
  verbose?: boolean;
}

export const DEFAULT_OPTIONS: FuzzOptions = {
  seed: 1,
  seconds: 60,
  targets: ['core', 'lsp', 'build'],
  maxAnalysisMs: 5000,
  maxAnswerMs: 5000,
  maxBuildMs: 20000,
  hangMs: 30000,
  maxServerRssMb: 1536,
  maxFuzzerRssMb: 4096,
  failOnInternal: true,
};

export interface Finding {
  target: FuzzTarget;
  n: number;
  what: 'crash' | 'hang' | 'bound' | 'internal' | 'output' | 'limits';
  input: string;
  detail: string;
}

export interface TargetFigures {
  inputs: number;
  /** Feature calls (core) or LSP requests (server). */
  requests: number;
  crashes: number;
  hangs: number;
  internal: number;
  /** Slowest analysis of one input (core) / slowest answer to a request (server), ms. */
  slowestMs: number;
  slowestInput: string;
  /** Slowest editor feature call (core only), ms. */
  slowestFeatureMs: number;
  /** Restarts of the worker / server after a crash or hang. */
  restarts: number;
  seconds: number;
}

export interface BuildFigures extends TargetFigures {
  /** Exit 0: an artifact was written. */
  built: number;
  /** Exit 1 because the check found errors. */
  refusedByCheck: number;
  /** The check passed, the build failed (a compile error, ...): a refusal with the build's message. */
  failedAfterCheck: number;
  /** The core build run on every input, whatever the check said: artifacts it made. */
  coreBuilt: number;
  /** Printed lines with a raw control or bidi character, or a stack trace. */
  unsafeLines: number;
  largestArtifactBytes: number;
}

export interface FuzzReport {
  seed: number;
  seconds: number;
  core?: TargetFigures;
  lsp?: TargetFigures;
  build?: BuildFigures;
  serverPeakRssMb: number;
  /** The input being sent or answered when the server's peak RSS was reached (where to look for memory). */
  serverPeakInput?: string;
  fuzzerPeakRssMb: number;
  findings: Finding[];
  ok: boolean;
  hazards: string[];
}

export interface PlannedInput {
  n: number;
  plugin: FuzzPlugin;
  file: string;
  kind: FileKind;
  input: FuzzInput;
  offsets: number[];
  sdkVersion?: string;
  label: string;
}

const KIND_WEIGHTS: Record<FileKind, number> = { schema: 4, config: 3, python: 4, profile: 1 };

/** Input `n` of the run: which file, what text, which positions to ask about. */
export function plan(ws: FuzzWorkspace, seed: number, n: number): PlannedInput {
  const rng = Rng.forInput(seed, n);
  const plugin = rng.chance(0.5) ? ws.plugins[0] : rng.pick(ws.plugins);
  const kinds = [...new Set(plugin.files.map((f) => f.kind))];
  const kind = rng.weighted(kinds.map((k) => [KIND_WEIGHTS[k], k] as const));
  const file = rng.pick(plugin.files.filter((f) => f.kind === kind)).file;
  const base = ws.originals.get(file)!.toString('utf8');
  const input = makeInput(rng, kind, base, ws.corpus);
  const offsets = Array.from({ length: rng.range(2, 6) }, () => (rng.chance(0.15) ? input.text.length : rng.int(input.text.length + 1)));
  const sdkVersion = rng.chance(0.15) ? rng.pick(SDK_VERSIONS).version : undefined;
  const rel = path.relative(ws.dir, file);
  return { n, plugin, file, kind, input, offsets, sdkVersion, label: `#${n} ${rel}: ${input.label}${sdkVersion ? ` (sdk ${sdkVersion})` : ''}` };
}

function emptyFigures(): TargetFigures {
  return { inputs: 0, requests: 0, crashes: 0, hangs: 0, internal: 0, slowestMs: 0, slowestInput: '', slowestFeatureMs: 0, restarts: 0, seconds: 0 };
}

const firstLine = (s: string) => s.split('\n').slice(0, 3).join(' | ').slice(0, 400);

// ------------------------------------------------------------------------------------------ core

/** A worker thread that runs one input at a time: the core (coreWorker.js) or the build (buildWorker.js). */
class WorkerTarget<In, Out> {
  private worker?: Worker;
  private waiting?: (m: Out | { died: string }) => void;

  constructor(
    private readonly dir: string,
    private readonly script = 'coreWorker.js',
  ) {}

  async start(): Promise<void> {
    const worker = new Worker(path.join(__dirname, this.script), { resourceLimits: { maxOldGenerationSizeMb: 3072 } });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type: string; error?: string }) => {
        if (m.type === 'loaded') worker.postMessage({ type: 'init', dir: this.dir });
        else if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') reject(new Error(m.error));
        else if (m.type === 'result') this.waiting?.(m as unknown as Out);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    worker.on('error', (e) => this.waiting?.({ died: `worker error: ${(e as Error)?.stack ?? e}` }));
    worker.on('exit', (code) => this.waiting?.({ died: `worker exited with code ${code}` }));
  }

  /** Run one input; undefined when it did not finish within `timeoutMs` (the worker is then replaced). */
  async run(msg: In, timeoutMs: number): Promise<Out | { died: string } | undefined> {
    const worker = this.worker!;
    const answer = new Promise<Out | { died: string }>((resolve) => (this.waiting = resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    worker.postMessage(msg);
    const r = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    this.waiting = undefined;
    return r;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.removeAllListeners('exit');
      w.removeAllListeners('error');
      await w.terminate();
    }
  }
}

async function fuzzCore(ws: FuzzWorkspace, o: FuzzOptions, deadline: number, report: FuzzReport, numbers: Iterable<number>): Promise<TargetFigures> {
  const fig = emptyFigures();
  const started = Date.now();
  const target = new WorkerTarget<CoreInputMessage, CoreResultMessage>(ws.dir);
  await target.start();
  try {
    for (const n of numbers) {
      if (Date.now() >= deadline) break;
      const p = plan(ws, o.seed, n);
      const original = p.input.bytes ? ws.originals.get(p.file) : undefined;
      const msg: CoreInputMessage = { type: 'input', n, file: p.file, kind: p.kind, text: p.input.text, bytes: p.input.bytes, original, sdkVersion: p.sdkVersion, offsets: p.offsets };
      // A hang is cut short at the end of the budget, so the run always stops in time.
      const timeout = Math.max(2000, Math.min(o.hangMs, deadline - Date.now()));
      const t0 = Date.now();
      const r = await target.run(msg, timeout);
      fig.inputs++;
      const find = (what: Finding['what'], detail: string) => {
        report.findings.push({ target: 'core', n, what, input: p.label, detail });
        save(o, 'core', p);
        o.log?.(`core ${what}: ${p.label}: ${firstLine(detail)}`);
      };
      if (r === undefined) {
        const ms = Date.now() - t0;
        fig.hangs++;
        if (ms > fig.slowestMs) [fig.slowestMs, fig.slowestInput] = [ms, p.label];
        find('hang', `no answer after ${ms} ms`);
        if (p.input.bytes) restoreFile(ws, p.file);
        fig.restarts++;
        await target.restart();
        continue;
      }
      if ('died' in r) {
        fig.crashes++;
        find('crash', r.died);
        if (p.input.bytes) restoreFile(ws, p.file);
        fig.restarts++;
        await target.restart();
        continue;
      }
      if (o.verbose) o.log?.(`core ${p.label}: analysis ${Math.round(r.analysisMs)} ms, features ${Math.round(r.featureMs)} ms, ${r.problems} problems (${Date.now() - t0} ms in all)`);
      fig.requests += r.featureCalls;
      if (r.analysisMs > fig.slowestMs) [fig.slowestMs, fig.slowestInput] = [Math.round(r.analysisMs), p.label];
      fig.slowestFeatureMs = Math.max(fig.slowestFeatureMs, Math.round(r.featureMs));
      if (r.thrown) {
        fig.crashes++;
        find('crash', `exception out of the core API: ${r.thrown}`);
      }
      if (r.internal.length > 0) {
        fig.internal += r.internal.length;
        find('internal', r.internal.join('\n'));
      }
      if (r.analysisMs > o.maxAnalysisMs) find('bound', `analysis took ${Math.round(r.analysisMs)} ms (bound ${o.maxAnalysisMs} ms)`);
      if (r.featureMs > o.maxAnswerMs) find('bound', `a feature call took ${Math.round(r.featureMs)} ms (bound ${o.maxAnswerMs} ms)`);
      trackFuzzerMemory(report);
    }
  } finally {
    await target.stop();
  }
  fig.seconds = (Date.now() - started) / 1000;
  return fig;
}

// ----------------------------------------------------------------------------------------- build

async function fuzzBuild(ws: FuzzWorkspace, o: FuzzOptions, deadline: number, report: FuzzReport, numbers: Iterable<number>): Promise<BuildFigures> {
  const fig: BuildFigures = { ...emptyFigures(), built: 0, refusedByCheck: 0, failedAfterCheck: 0, coreBuilt: 0, unsafeLines: 0, largestArtifactBytes: 0 };
  const started = Date.now();
  const target = new WorkerTarget<BuildInputMessage, BuildResultMessage>(ws.dir, 'buildWorker.js');
  await target.start();
  try {
    for (const n of numbers) {
      if (Date.now() >= deadline) break;
      const p = plan(ws, o.seed, n);
      const root = p.plugin.root;
      const msg: BuildInputMessage = { type: 'input', n, root, file: p.file, text: p.input.text, bytes: p.input.bytes, original: ws.originals.get(p.file)! };
      const timeout = Math.max(2000, Math.min(o.hangMs, deadline - Date.now()));
      const t0 = Date.now();
      const r = await target.run(msg, timeout);
      fig.inputs++;
      const find = (what: Finding['what'], detail: string) => {
        report.findings.push({ target: 'build', n, what, input: p.label, detail });
        save(o, 'build', p);
        o.log?.(`build ${what}: ${p.label}: ${firstLine(detail)}`);
      };
      if (r === undefined || 'died' in r) {
        if (r === undefined) {
          fig.hangs++;
          find('hang', `no answer after ${Date.now() - t0} ms`);
        } else {
          fig.crashes++;
          find('crash', r.died);
        }
        restoreFile(ws, p.file);
        fig.restarts++;
        await target.restart();
        continue;
      }
      if (o.verbose) o.log?.(`build ${p.label}: exit ${r.code} in ${Math.round(r.ms)} ms${r.artifactBytes ? `, artifact ${r.artifactBytes} bytes` : ''}`);
      fig.requests++;
      if (r.ms > fig.slowestMs) [fig.slowestMs, fig.slowestInput] = [Math.round(r.ms), p.label];
      if (r.thrown) {
        fig.crashes++;
        find('crash', `exception out of the check or the build: ${r.thrown}`);
      } else if (r.code === 0) fig.built++;
      else if (r.checkPassedBuildFailed) fig.failedAfterCheck++;
      else fig.refusedByCheck++;
      if (r.coreBuilt) {
        fig.coreBuilt++;
        fig.largestArtifactBytes = Math.max(fig.largestArtifactBytes, r.artifactBytes ?? 0);
      }
      if (r.limitsDisagree) find('limits', r.limitsDisagree);
      if (r.unsafe.length > 0) {
        fig.unsafeLines += r.unsafe.length;
        find('output', `printed ${r.unsafe.length} line(s) with a raw control character or a stack trace: ${r.unsafe.slice(0, 3).join(' | ')}`);
      }
      if (r.ms > o.maxBuildMs) find('bound', `the build took ${Math.round(r.ms)} ms (bound ${o.maxBuildMs} ms)`);
      trackFuzzerMemory(report);
    }
  } finally {
    await target.stop();
  }
  fig.seconds = (Date.now() - started) / 1000;
  return fig;
}

// ------------------------------------------------------------------------------------------- LSP

const LANGUAGE: Record<FileKind, string> = { schema: 'json', profile: 'json', config: 'yaml', python: 'python' };

class LspTarget {
  client!: LspTestClient;
  private readonly opened = new Set<string>();
  private sampler?: NodeJS.Timeout;
  /** The label of the input in flight, for the peak-RSS figure. */
  current = '';

  constructor(private readonly ws: FuzzWorkspace, private readonly report: FuzzReport) {}

  async start(): Promise<void> {
    this.client = new LspTestClient();
    this.opened.clear();
    await this.client.initialize(this.ws.dir);
    await this.client.waitFor(
      'the plugins to be analysed',
      () => this.client.notifications.some((n) => n.method === 'delphix/pluginsChanged' && (n.params as { plugins: unknown[] }).plugins.length > 0),
      30000,
    );
    this.sampler = setInterval(() => this.sample(), 100);
  }

  sample(): void {
    const pid = this.client.pid;
    const m = pid ? processMemory(pid) : undefined;
    if (m && mb(m.peak) > this.report.serverPeakRssMb) {
      this.report.serverPeakRssMb = mb(m.peak);
      this.report.serverPeakInput = this.current || undefined;
    }
  }

  /** Internal errors the server reported since the last call (notifications and error log lines). */
  takeInternalErrors(): string[] {
    const out: string[] = [];
    const list = this.client.notifications;
    for (const n of list) {
      if (n.method === 'delphix/internalError') out.push(`delphix/internalError ${JSON.stringify(n.params).slice(0, 600)}`);
      if (n.method === 'window/logMessage' && (n.params as { type: number }).type === 1) out.push(`log: ${(n.params as { message: string }).message.slice(0, 600)}`);
    }
    // The client keeps every notification; drop them so a long run does not grow the fuzzer's memory.
    list.length = 0;
    return out;
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    this.sample();
    await this.client.dispose();
  }

  async kill(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    const pid = this.client.pid;
    try {
      if (pid && !this.client.exitStatus) process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await this.client.dispose();
  }

  /** Send the input as an editor would; disk inputs close the buffer and report a watched-file change. */
  send(p: PlannedInput): void {
    const c = this.client;
    if (p.input.bytes) {
      if (this.opened.delete(p.file)) c.close(p.file);
      fs.writeFileSync(p.file, p.input.bytes);
      c.watchedFilesChanged([{ file: p.file, type: 2 }]);
    } else if (this.opened.has(p.file)) {
      c.change(p.file, p.input.text);
    } else {
      this.opened.add(p.file);
      c.open(p.file, p.input.text, LANGUAGE[p.kind]);
    }
  }

  restore(p: PlannedInput): void {
    if (p.input.bytes) {
      restoreFile(this.ws, p.file);
      this.client.watchedFilesChanged([{ file: p.file, type: 2 }]);
    } else if (this.opened.has(p.file)) {
      this.client.change(p.file, this.ws.originals.get(p.file)!.toString('utf8'));
    }
  }

  /** The requests an editor sends while the author types: completion, hover, definition, ... */
  requests(p: PlannedInput, rng: Rng): { method: string; params: unknown }[] {
    const uri = URI.file(p.file).toString();
    const lines = new LineIndex(p.input.text);
    const out: { method: string; params: unknown }[] = [];
    for (const offset of p.offsets) {
      const position = lines.positionAt(offset);
      const td = { textDocument: { uri }, position };
      const method = rng.weighted([
        [3, 'textDocument/completion'],
        [3, 'textDocument/hover'],
        [2, 'textDocument/definition'],
        [2, 'textDocument/codeAction'],
        [1, 'textDocument/references'],
        [1, 'textDocument/prepareRename'],
        [1, 'textDocument/codeLens'],
        [1, 'delphix/plugins'],
      ] as const);
      if (method === 'textDocument/codeAction') {
        const diags = this.client.diagnosticsFor(p.file) ?? [];
        const picked = diags.filter(() => rng.chance(0.5)).slice(0, 20);
        out.push({ method, params: { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: picked } } });
      } else if (method === 'textDocument/references') out.push({ method, params: { ...td, context: { includeDeclaration: true } } });
      else if (method === 'textDocument/codeLens') out.push({ method, params: { textDocument: { uri } } });
      else if (method === 'delphix/plugins') out.push({ method, params: {} });
      else out.push({ method, params: td });
    }
    return out;
  }
}

async function fuzzLsp(ws: FuzzWorkspace, o: FuzzOptions, deadline: number, report: FuzzReport, numbers: Iterable<number>): Promise<TargetFigures> {
  const fig = emptyFigures();
  const started = Date.now();
  const target = new LspTarget(ws, report);
  await target.start();
  try {
    for (const n of numbers) {
      if (Date.now() >= deadline) break;
      const p = plan(ws, o.seed, n);
      const rng = Rng.forInput(o.seed ^ 0x5bd1e995, n);
      target.current = p.label;
      fig.inputs++;
      const find = (what: Finding['what'], detail: string) => {
        report.findings.push({ target: 'lsp', n, what, input: p.label, detail });
        save(o, 'lsp', p);
        o.log?.(`lsp ${what}: ${p.label}: ${firstLine(detail)}`);
      };
      target.send(p);
      const reqs = target.requests(p, rng);
      const timeout = Math.max(2000, Math.min(o.hangMs, deadline - Date.now()));
      const answers = await Promise.all(
        reqs.map(async (r) => {
          const t0 = Date.now();
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([
            target.client.request(r.method, r.params).then(
              () => 'ok' as const,
              (e: { code?: number; message?: string }) => (e?.code === -32603 || e?.code === undefined ? `error: ${e?.message ?? e}` : ('ok' as const)),
            ),
            new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout))),
          ]);
          clearTimeout(timer);
          return { method: r.method, outcome, ms: Date.now() - t0 };
        }),
      );
      if (o.verbose) o.log?.(`lsp ${p.label}: ${answers.map((a) => `${a.method.replace('textDocument/', '')} ${a.outcome} ${a.ms} ms`).join(', ')}`);
      fig.requests += answers.length;
      for (const a of answers) {
        if (a.ms > fig.slowestMs && a.outcome !== 'timeout') [fig.slowestMs, fig.slowestInput] = [a.ms, `${p.label} (${a.method})`];
      }
      const exit = target.client.exitStatus;
      const unanswered = answers.filter((a) => a.outcome === 'timeout');
      if (exit) {
        fig.crashes++;
        find('crash', `the server exited (${exit}); stderr: ${target.client.stderr.slice(-2000)}`);
      } else if (unanswered.length > 0) {
        fig.hangs++;
        find('hang', `no answer to ${unanswered.map((a) => a.method).join(', ')} after ${timeout} ms`);
      }
      for (const a of answers) {
        if (a.outcome !== 'ok' && a.outcome !== 'timeout') {
          fig.internal++;
          find('internal', `${a.method} answered with an internal error: ${a.outcome}`);
        }
        if (a.outcome === 'ok' && a.ms > o.maxAnswerMs) find('bound', `${a.method} answered after ${a.ms} ms (bound ${o.maxAnswerMs} ms)`);
      }
      if (exit || unanswered.length > 0) {
        if (p.input.bytes) restoreFile(ws, p.file);
        fig.restarts++;
        await target.kill();
        if (Date.now() >= deadline) break;
        await target.start();
        continue;
      }
      const internal = target.takeInternalErrors();
      if (internal.length > 0) {
        fig.internal += internal.length;
        find('internal', internal.join('\n'));
      }
      target.restore(p);
      trackFuzzerMemory(report);
    }
    // Everything sent must still be answered: the server is alive and answers at the end.
    if (!target.client.exitStatus) {
      const t0 = Date.now();
      const wait = Math.min(o.hangMs, Math.max(o.maxAnswerMs, 2000));
      await Promise.race([target.client.request('delphix/plugins', {}), new Promise((r) => setTimeout(r, wait))]);
      if (Date.now() - t0 >= wait) {
        fig.hangs++;
        report.findings.push({ target: 'lsp', n: -1, what: 'hang', input: 'final check', detail: 'the server did not answer delphix/plugins at the end of the run' });
      }
    }
  } finally {
    if (target.client.exitStatus) await target.client.dispose();
    else await target.stop();
  }
  fig.seconds = (Date.now() - started) / 1000;
  return fig;
}

// ------------------------------------------------------------------------------------------ run

function trackFuzzerMemory(report: FuzzReport): void {
  const m = processMemory('self');
  if (m) report.fuzzerPeakRssMb = Math.max(report.fuzzerPeakRssMb, mb(m.peak));
}

function save(o: FuzzOptions, target: FuzzTarget, p: PlannedInput): void {
  if (!o.saveDir) return;
  fs.mkdirSync(o.saveDir, { recursive: true });
  const name = `${target}-seed${o.seed}-input${p.n}-${path.basename(p.file)}`;
  fs.writeFileSync(path.join(o.saveDir, name), p.input.bytes ?? p.input.text);
}

function* counter(limit: number | undefined, only?: number): Generator<number> {
  if (only !== undefined) {
    yield only;
    return;
  }
  for (let n = 0; limit === undefined || n < limit; n++) yield n;
}

/** Run the fuzzer with the given options; resolves with the figures (never throws for a finding). */
export async function runFuzz(options: Partial<FuzzOptions> = {}): Promise<FuzzReport> {
  const o: FuzzOptions = { ...DEFAULT_OPTIONS, ...options };
  const started = Date.now();
  const end = started + o.seconds * 1000;
  const ws = createWorkspace(new Rng(o.seed));
  const report: FuzzReport = { seed: o.seed, seconds: 0, serverPeakRssMb: 0, fuzzerPeakRssMb: 0, findings: [], ok: false, hazards: ws.hazards };
  try {
    for (let i = 0; i < o.targets.length; i++) {
      const t = o.targets[i];
      // Each target gets an equal share of what is left, so a slow start of one does not starve the other.
      const deadline = Date.now() + (end - Date.now()) / (o.targets.length - i);
      const numbers = counter(o.iterations, o.replay);
      if (t === 'core') report.core = await fuzzCore(ws, o, deadline, report, numbers);
      else if (t === 'build') report.build = await fuzzBuild(ws, o, deadline, report, numbers);
      else report.lsp = await fuzzLsp(ws, o, deadline, report, numbers);
    }
  } finally {
    ws.dispose();
  }
  trackFuzzerMemory(report);
  report.seconds = (Date.now() - started) / 1000;
  if (report.serverPeakRssMb > o.maxServerRssMb) {
    report.findings.push({ target: 'lsp', n: -1, what: 'bound', input: 'whole run', detail: `server peak RSS ${report.serverPeakRssMb} MB (bound ${o.maxServerRssMb} MB)` });
  }
  if (report.fuzzerPeakRssMb > o.maxFuzzerRssMb) {
    report.findings.push({ target: 'core', n: -1, what: 'bound', input: 'whole run', detail: `fuzzer peak RSS ${report.fuzzerPeakRssMb} MB (bound ${o.maxFuzzerRssMb} MB)` });
  }
  report.ok = report.findings.every((f) => f.what === 'internal' && !o.failOnInternal);
  return report;
}

/** The figures as the fuzzer prints them at the end. */
export function formatReport(r: FuzzReport, o: FuzzOptions): string {
  const lines: string[] = [];
  lines.push(`fuzz: seed ${r.seed}, ${r.seconds.toFixed(1)} s (budget ${o.seconds} s)`);
  if (r.core) {
    const c = r.core;
    lines.push(
      `core: ${c.inputs} inputs in ${c.seconds.toFixed(1)} s, ${c.requests} feature calls; crashes ${c.crashes}, hangs ${c.hangs}, internal errors ${c.internal}; ` +
        `slowest analysis ${c.slowestMs} ms (${c.slowestInput || '-'}), slowest feature call ${c.slowestFeatureMs} ms`,
    );
  }
  if (r.lsp) {
    const l = r.lsp;
    lines.push(
      `lsp:  ${l.inputs} inputs in ${l.seconds.toFixed(1)} s, ${l.requests} requests; server exits ${l.crashes}, unanswered ${l.hangs}, internal errors ${l.internal}, restarts ${l.restarts}; ` +
        `slowest answer ${l.slowestMs} ms (${l.slowestInput || '-'})`,
    );
  }
  if (r.build) {
    const b = r.build;
    lines.push(
      `build: ${b.inputs} inputs in ${b.seconds.toFixed(1)} s; built ${b.built}, refused by the check ${b.refusedByCheck}, failed after the check ${b.failedAfterCheck}; core build alone built ${b.coreBuilt}; ` +
        `crashes ${b.crashes}, hangs ${b.hangs}, unsafe output lines ${b.unsafeLines}; slowest build ${b.slowestMs} ms (${b.slowestInput || '-'}), largest artifact ${Math.round(b.largestArtifactBytes / 1024)} KB`,
    );
  }
  lines.push(`memory: server peak RSS ${r.serverPeakRssMb} MB${r.serverPeakInput ? ` (reached during ${r.serverPeakInput})` : ''} (bound ${o.maxServerRssMb}), fuzzer peak RSS ${r.fuzzerPeakRssMb} MB (bound ${o.maxFuzzerRssMb})`);
  lines.push(`bounds: analysis ≤ ${o.maxAnalysisMs} ms, answer ≤ ${o.maxAnswerMs} ms, build ≤ ${o.maxBuildMs} ms, hang after ${o.hangMs} ms`);
  lines.push(`hazards on disk: ${r.hazards.join('; ')}`);
  if (r.findings.length === 0) lines.push('findings: none');
  else {
    lines.push(`findings (${r.findings.length}):`);
    for (const f of r.findings.slice(0, 50)) lines.push(`  [${f.target} ${f.what}] ${f.input}: ${firstLine(f.detail)}`);
    if (r.findings.length > 50) lines.push(`  ... and ${r.findings.length - 50} more`);
    const first = r.findings.find((f) => f.n >= 0);
    if (first) lines.push(`reproduce: node out/test/fuzz/run.js --seed ${r.seed} --replay ${first.n} --target ${first.target}`);
  }
  lines.push(r.ok ? 'RESULT: OK' : 'RESULT: FAILED');
  return lines.join('\n');
}
