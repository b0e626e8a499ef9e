// What a simulated run reports, built from the runner's event stream, and its plain-text form for the
// CLI and the output channel. Errors read as the engine shows them: message, action, output.

import type { Problem } from '../types';
import type { DiscoveryRecord, VdbView } from '../lifecycle/objects';
import { WORKFLOWS, type WorkflowName } from '../lifecycle/workflows';

export type SyncWorkflow = WorkflowName;
/** policy: a scheduled sync (no snapshot parameters); sync / resync: a manual one with parameters. */
export type SyncMode = 'policy' | 'sync' | 'resync';

export interface PreflightCheck {
  id: string;
  ok: boolean;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Where the cause is, when it is a finding in a file (the first error of schema.json, plugin_config.yml). */
  at?: { file: string; line: number; character: number };
}

export interface StepRecord {
  name: string;
  /** `operation`: plugin code; `step`: the simulated engine's own work (import, mount, snapshot). */
  kind: 'operation' | 'step';
  status: 'running' | 'ok' | 'failed' | 'timeout' | 'cancelled';
  durationMs?: number;
}

export interface CommandRecord {
  kind: string;
  operation?: string;
  environment?: string;
  host: string;
  command: string;
  exitCode: number | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  stdoutCut: number;
  stderrCut: number;
  rsyncStats?: Record<string, number>;
}

export interface RunError {
  kind: string;
  step: string;
  message: string;
  /** What the user should do; the engine's default when the plugin gave none. */
  action: string;
  /** The plugin's output, or the stack trace when it gave none (as the engine shows it). */
  output: string;
  actionGiven?: boolean;
  outputGiven?: boolean;
  traceback?: string;
}

export interface SnapshotStats {
  files: number;
  bytes: number;
  added: number;
  changed: number;
  deleted: number;
  unchanged: number;
  copiedBytes: number;
  addedPaths?: string[];
  changedPaths?: string[];
  deletedPaths?: string[];
}

export interface SyncReport {
  ok: boolean;
  workflow: SyncWorkflow;
  mode: SyncMode;
  profile: string;
  pluginRoot: string;
  sandbox?: string;
  startedAt: string;
  durationMs: number;
  preflight: PreflightCheck[];
  /** Problems of the profile (with ranges into the profile file). */
  problems: Problem[];
  steps: StepRecord[];
  commands: CommandRecord[];
  mounts: { requested: string; path: string; mapped: boolean; environment: string }[];
  logs: { level: string; message: string; operation?: string; source?: string }[];
  notes: string[];
  error?: RunError;
  snapshot?: { id: number; path: string; metadataFile: string; stats: SnapshotStats; definition: unknown };
  previousSnapshot?: { id: number; path: string };
  /** linked.status() or virtual.status() result. */
  status?: string;
  /** The VDB a VDB workflow acted on, as it is after the run. */
  objectName?: string;
  vdb?: VdbView;
  /** How a VDB's data was made from a snapshot (reflink or copy). */
  clone?: { mode: string; description: string; from: string; to: string; files: number; bytes: number; durationMs: number };
  discovery?: DiscoveryRecord;
  snapshotParameters?: unknown;
  output: { stdout: string; stderr: string; stdoutCut: number; stderrCut: number };
  cancelled?: boolean;
  timedOut?: boolean;
  logFile?: string;
  reportFile?: string;
}

export function emptyReport(fields: Pick<SyncReport, 'workflow' | 'mode' | 'profile' | 'pluginRoot'>): SyncReport {
  return {
    ok: false,
    ...fields,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    preflight: [],
    problems: [],
    steps: [],
    commands: [],
    mounts: [],
    logs: [],
    notes: [],
    output: { stdout: '', stderr: '', stdoutCut: 0, stderrCut: 0 },
  };
}

/** The error as the engine's UI shows a failed operation. */
export function formatError(error: RunError): string {
  const lines = [`${error.step} failed: ${error.message}`];
  if (error.action) lines.push(`Action: ${error.action}`);
  if (error.output) lines.push('Output:', indent(error.output.trimEnd()));
  return lines.join('\n');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A readable summary of a run, for a terminal or an output channel. */
export function formatReport(report: SyncReport): string {
  const out: string[] = [];
  const spec = WORKFLOWS[report.workflow];
  const title =
    report.workflow !== 'sync'
      ? spec?.object === 'vdb'
        ? `${spec.title} of VDB "${report.objectName ?? '?'}"`
        : (spec?.title ?? report.workflow)
      : report.mode === 'policy'
        ? 'policy sync'
        : report.mode;
  out.push(`${title} of ${report.pluginRoot} with profile "${report.profile}": ${report.ok ? 'succeeded' : report.cancelled ? 'cancelled' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(1)} s`);
  const failedChecks = report.preflight.filter((c) => !c.ok || c.severity === 'warning');
  if (failedChecks.length > 0) {
    out.push('Pre-flight:');
    for (const c of failedChecks) out.push(`  ${c.ok ? 'warning' : 'error'}: ${c.message}`);
  }
  for (const p of report.problems) {
    out.push(`  ${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`);
  }
  if (report.steps.length > 0) {
    out.push('Steps:');
    for (const s of report.steps) {
      const time = s.durationMs !== undefined ? ` ${s.durationMs} ms` : '';
      out.push(`  ${s.status === 'ok' ? 'ok    ' : s.status.padEnd(6)} ${s.name}${time}`);
    }
  }
  for (const m of report.mounts) {
    out.push(m.mapped ? `Mount ${m.requested} on ${m.environment} is backed by ${m.path}` : `Mount ${m.path} on ${m.environment}`);
  }
  if (report.commands.length > 0) {
    out.push('Commands:');
    for (const c of report.commands) {
      out.push(`  [${c.kind} on ${c.host}] exit ${c.exitCode ?? '-'} in ${c.durationMs} ms: ${c.command}`);
    }
  }
  for (const l of report.logs) out.push(`  log ${l.level}${l.operation ? ` (${l.operation})` : ''}: ${l.message}`);
  for (const n of report.notes) out.push(`Note: ${n}`);
  if (report.snapshot) {
    const s = report.snapshot.stats;
    out.push(
      `Snapshot ${report.snapshot.id}: ${report.snapshot.path}`,
      `  ${plural(s.files, 'file')}, ${formatBytes(s.bytes)}; since the previous snapshot: ${s.added} added, ${s.changed} changed, ${s.deleted} deleted, ${formatBytes(s.copiedBytes)} copied`,
    );
  }
  if (report.clone) {
    out.push(`Clone: ${plural(report.clone.files, 'file')}, ${formatBytes(report.clone.bytes)} in ${report.clone.durationMs} ms as ${report.clone.description}`, `  from ${report.clone.from}`, `  to   ${report.clone.to}`);
  }
  if (report.discovery) {
    out.push(`Discovered on ${report.discovery.host}: ${plural(report.discovery.repositories.length, 'repository')}`);
    for (const r of report.discovery.repositories) {
      out.push(`  repository ${JSON.stringify(r.repository)}`);
      for (const c of r.sourceConfigs) out.push(`    source config ${JSON.stringify(c)}`);
    }
  }
  if (report.vdb) {
    const v = report.vdb;
    const origin = v.origin.kind === 'empty' ? 'empty storage' : `${v.origin.kind === 'dsource' ? 'dSource' : 'VDB'} snapshot ${v.origin.snapshotId}`;
    out.push(`VDB ${v.name}: ${v.status.toUpperCase()}, from ${origin}, on ${v.host}, data ${v.dataDir}`);
    if (v.sourceConfig) out.push(`  source config ${JSON.stringify(v.sourceConfig)}`);
  }
  if (report.status) out.push(`Status: ${report.status}`);
  if (report.error) out.push(formatError(report.error));
  if (!report.ok && report.previousSnapshot) out.push(`The previous snapshot ${report.previousSnapshot.id} is unchanged: ${report.previousSnapshot.path}`);
  if (report.output.stdoutCut > 0 || report.output.stderrCut > 0) {
    out.push(`The plugin printed more than the simulator keeps: ${formatBytes(report.output.stdoutCut)} of stdout and ${formatBytes(report.output.stderrCut)} of stderr were dropped.`);
  }
  if (report.logFile) out.push(`Event log: ${report.logFile}`);
  return out.join('\n');
}
