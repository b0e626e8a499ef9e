// The core side of the fuzzer, in a worker thread so that an input that hangs the analysis can be
// stopped from outside (the worker is terminated and replaced) and one that exhausts memory ends the
// worker, not the fuzzer. It drives WorkspaceAnalyzer over an OverlayFiles exactly as the language
// server does: buffer in, fileChanged, analyze, then completion/hover/definition/... at given offsets.

import * as fs from 'fs';
import * as path from 'path';
import { parentPort } from 'worker_threads';
import { DiskFiles, OverlayFiles } from '../../core/files';
import { WorkspaceAnalyzer } from '../../core/analysis/workspaceAnalyzer';
import type { PluginAnalyzer } from '../../core/analysis/pluginAnalyzer';
import { createPythonSideFactory, type PythonLanguageFeatures } from '../../core/analysis/pythonSide';
import { configCompletions, configHover } from '../../core/config/configAssist';
import { schemaCompletions, schemaHover } from '../../core/schema/schemaAssist';
import { LineIndex } from '../../core/text';
import type { Problem } from '../../core/types';
import type { FileKind } from './mutators';

export interface CoreInitMessage {
  type: 'init';
  dir: string;
}

export interface CoreInputMessage {
  type: 'input';
  n: number;
  file: string;
  kind: FileKind;
  text: string;
  /** Write these bytes to disk instead of setting an editor buffer. */
  bytes?: Uint8Array;
  /** Original bytes to put back on disk afterwards (disk inputs). */
  original?: Uint8Array;
  sdkVersion?: string;
  offsets: number[];
}

export interface CoreResultMessage {
  type: 'result';
  n: number;
  /** fileChanged + analyze of the changed input. */
  analysisMs: number;
  /** The slowest editor feature call. */
  featureMs: number;
  featureCalls: number;
  problems: number;
  /** Problems that say the analysis itself failed, and rules reported through onInternalError. */
  internal: string[];
  /** An exception that came out of the core's public API: a crash. */
  thrown?: string;
}

const INTERNAL_CODES = /(^|\.)internal$|^python\.analysisFailed$/;

async function main(): Promise<void> {
  const port = parentPort!;
  const files = new OverlayFiles(new DiskFiles());
  const factory = await createPythonSideFactory(files, () => undefined);
  const reported: string[] = [];
  let ws = new WorkspaceAnalyzer(files, {}, factory, (rule, e) => reported.push(`${rule}: ${(e as Error)?.stack ?? e}`));
  let version = 1;
  let sdk: string | undefined;

  const analyzeFor = (file: string, affected: PluginAnalyzer[]): Problem[] => {
    const targets = affected.length > 0 ? affected : ws.all().filter((p) => file.startsWith(p.root + path.sep));
    const out: Problem[] = [];
    for (const p of targets) for (const list of p.analyze().problems.values()) for (const x of list) out.push(x);
    return out;
  };

  port.on('message', (msg: CoreInitMessage | CoreInputMessage) => {
    if (msg.type === 'init') {
      ws = new WorkspaceAnalyzer(files, {}, factory, (rule, e) => reported.push(`${rule}: ${(e as Error)?.stack ?? e}`));
      ws.setFolders([msg.dir]);
      ws.analyzeAll();
      reported.length = 0;
      port.postMessage({ type: 'ready', plugins: ws.all().length });
      return;
    }
    const result: CoreResultMessage = { type: 'result', n: msg.n, analysisMs: 0, featureMs: 0, featureCalls: 0, problems: 0, internal: [] };
    const file = msg.file;
    try {
      if (msg.sdkVersion !== sdk) {
        sdk = msg.sdkVersion;
        ws.setOptions({ sdkVersion: sdk });
      }
      const started = performance.now();
      if (msg.bytes) {
        files.delete(file);
        fs.writeFileSync(file, msg.bytes);
      } else {
        files.set(file, msg.text, ++version);
      }
      const problems = analyzeFor(file, ws.fileChanged(file));
      result.analysisMs = performance.now() - started;
      result.problems = problems.length;
      for (const p of problems) if (INTERNAL_CODES.test(p.code)) result.internal.push(`${p.code}: ${p.message}`);

      const text = files.readText(file) ?? '';
      const lines = new LineIndex(text);
      const plugin = ws.all().find((p) => file.startsWith(p.root + path.sep));
      for (const offset of msg.offsets) {
        const pos = lines.positionAt(Math.min(offset, text.length));
        const t = performance.now();
        let calls = 0;
        if (plugin) {
          if (msg.kind === 'config' && file === plugin.configFile) {
            configCompletions(text, pos, { sdkVersion: sdk });
            configHover(text, pos, { sdkVersion: sdk });
            calls += 2;
          } else if (msg.kind === 'schema' && plugin.schemaAnalysis) {
            schemaCompletions(plugin.schemaAnalysis, text, Math.min(offset, text.length));
            schemaHover(plugin.schemaAnalysis, text, Math.min(offset, text.length));
            calls += 2;
          } else if (msg.kind === 'python') {
            const py = plugin.python as unknown as Partial<PythonLanguageFeatures> | undefined;
            if (py && typeof py.hover === 'function') {
              const f = py as PythonLanguageFeatures;
              f.hover(file, pos);
              f.completions(file, pos);
              f.definition(file, pos);
              f.references(file, pos, true);
              const pr = f.prepareRename(file, pos);
              if (pr && !('error' in pr) && offset % 3 === 0) f.rename(file, pos, 'renamed_by_fuzz');
              calls += 5;
            }
          }
        }
        result.featureCalls += calls;
        result.featureMs = Math.max(result.featureMs, performance.now() - t);
      }
    } catch (e) {
      result.thrown = (e as Error)?.stack ?? String(e);
    }
    // Put the file back, through the same path an editor's undo or a revert on disk takes.
    try {
      if (msg.bytes && msg.original) fs.writeFileSync(file, msg.original);
      files.delete(file);
      analyzeFor(file, ws.fileChanged(file));
    } catch (e) {
      result.thrown ??= `while restoring the file: ${(e as Error)?.stack ?? e}`;
    }
    result.internal.push(...reported.splice(0));
    port.postMessage(result);
  });
  port.postMessage({ type: 'loaded' });
}

if (parentPort) main().catch((e) => {
  parentPort?.postMessage({ type: 'fatal', error: (e as Error)?.stack ?? String(e) });
});
