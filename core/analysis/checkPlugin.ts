// A one-shot check of a plugin folder (or of every plugin under a folder) from disk: what the CLI's
// `check` prints and what the build runs before it writes anything.
import * as path from 'path';
import { DiskFiles, type FileSource } from '../files';
import type { Problem } from '../types';
import { CONFIG_FILE_NAME } from './discovery';
import { createPythonSideFactory, PythonPluginSide } from './pythonSide';
import type { ManifestOperation } from '../build/manifest';
import { WorkspaceAnalyzer } from './workspaceAnalyzer';
import type { Coverage } from '../python/analyzer';
import type { ExtraChecks } from '../upgrade/analysisHook';
import { timings } from '../timings';

export interface CheckResult {
  plugins: string[];
  problems: Problem[];
  /** The operations each plugin implements, from the same parse (the build's manifest needs them). */
  operations: Map<string, ManifestOperation[]>;
  /** Per plugin root: attribute reads on generated/SDK values checked, and reads on the inputs not followed. */
  coverage: Map<string, Coverage>;
}

export async function checkPlugins(
  dir: string,
  options: { sdkVersion?: string; files?: FileSource; report?: (message: string) => void; extraChecks?: ExtraChecks } = {},
): Promise<CheckResult> {
  const files = options.files ?? new DiskFiles();
  const report = options.report ?? (() => undefined);
  const factory = await timings.spanAsync('python side set-up', () => createPythonSideFactory(files, report));
  const ws = new WorkspaceAnalyzer(files, { sdkVersion: options.sdkVersion, extraChecks: options.extraChecks }, factory, (rule, e) =>
    report(`Internal error in the "${rule}" analysis (the other checks still ran): ${(e as Error)?.stack ?? e}`),
  );
  const root = path.resolve(dir);
  if (files.stat(path.join(root, CONFIG_FILE_NAME)) === 'file') ws.addPlugin(root);
  else ws.setFolders([root]);
  const problems = timings.span('analysis (all rules)', () => [...ws.analyzeAll().values()].flat());
  const operations = new Map<string, ManifestOperation[]>();
  const coverage = new Map<string, Coverage>();
  timings.span('operations (for the manifest)', () => {
    for (const p of ws.all()) {
      const side = p.python instanceof PythonPluginSide ? p.python : undefined;
      const c = side?.coverage();
      if (c) coverage.set(p.root, c);
      operations.set(p.root, (side?.operations() ?? []).map((o) => ({ operationId: o.id, migrationId: o.migrationId, migrationType: o.migrationType })));
    }
  });
  return { plugins: ws.all().map((p) => p.root), problems, operations, coverage };
}
