// The guard inside the live analysis (language server) and `check --baseline` (CLI): a baseline is
// loaded once per plugin and setting, in the background; until it is there the guard is silent, and a
// baseline that cannot be loaded becomes one warning in plugin_config.yml.

import * as path from 'path';
import type { ConfigAnalysis } from '../config/analyzeConfig';
import type { FileSource } from '../files';
import type { ImplementedOperation } from '../python/pluginOperations';
import type { SchemaAnalysis } from '../schema/analyzeSchema';
import type { Problem } from '../types';
import { loadBaseline, type BaselineResult } from './baseline';
import { runGuard } from './guard';

export interface ExtraCheckContext {
  root: string;
  config: ConfigAnalysis;
  schema?: SchemaAnalysis;
  /** The Python side, when the code was analysed in this pass (undefined: the code is unknown). */
  python?: unknown;
  files: FileSource;
}

export type ExtraChecks = (ctx: ExtraCheckContext) => Problem[];

export class BaselineStore {
  private readonly loaded = new Map<string, { spec: string; result?: BaselineResult; loading?: Promise<BaselineResult> }>();

  /** `spec`: the setting's value now; `base`: where a relative artifact path is taken from (default the plugin root). */
  constructor(
    private spec: string | undefined,
    private readonly onLoaded: (root: string) => void = () => undefined,
    private readonly base?: string,
  ) {}

  get configured(): boolean {
    return !!this.spec?.trim();
  }

  setSpec(spec: string | undefined): void {
    if (spec === this.spec) return;
    this.spec = spec;
    this.loaded.clear();
  }

  /** Forget what was loaded (a git ref may have moved), so the next analysis loads it again. */
  refresh(): void {
    this.loaded.clear();
  }

  /** The baseline if it is loaded; otherwise starts loading it and answers undefined. */
  peek(root: string): BaselineResult | undefined {
    const spec = this.spec?.trim();
    if (!spec) return undefined;
    const entry = this.loaded.get(root);
    if (entry && entry.spec === spec) return entry.result;
    void this.load(root);
    return undefined;
  }

  load(root: string): Promise<BaselineResult> {
    const spec = this.spec?.trim() ?? '';
    const entry = this.loaded.get(root);
    if (entry?.spec === spec && entry.loading) return entry.loading;
    const loading = loadBaseline(spec, root, this.base ?? root).catch((e): BaselineResult => ({ ok: false, error: `The baseline could not be loaded: ${(e as Error).message}` }));
    const fresh: { spec: string; result?: BaselineResult; loading?: Promise<BaselineResult> } = { spec, loading };
    this.loaded.set(root, fresh);
    void loading.then((r) => {
      if (this.loaded.get(root) !== fresh) return;
      fresh.result = r;
      this.onLoaded(root);
    });
    return loading;
  }
}

function operationsOf(python: unknown): ImplementedOperation[] | undefined {
  const side = python as { operations?: () => ImplementedOperation[] } | undefined;
  return typeof side?.operations === 'function' ? side.operations() : undefined;
}

/** The guard as an extra check of the plugin analysis. */
export function upgradeChecks(store: BaselineStore, now?: () => Date): ExtraChecks {
  return (ctx) => {
    const result = store.peek(ctx.root);
    if (!result) return [];
    if (!result.ok) {
      return [{ file: ctx.config.file, range: ctx.config.config.ranges.buildNumber?.key ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning', code: 'upgrade.baseline', dvp: false, message: `${result.error} The upgrade checks are off until it loads.` }];
    }
    const schema = ctx.schema;
    if (!schema?.syntaxOk || !schema.value) return [];
    const c = ctx.config.config;
    let entry: { file: string; pluginName: string } | undefined;
    const [moduleName, pluginName] = (c.entryPoint ?? '').split(':');
    if (moduleName && pluginName && c.srcDirPath) {
      const base = path.join(c.srcDirPath, ...moduleName.split('.'));
      const file = ctx.files.stat(base + '.py') === 'file' ? base + '.py' : path.join(base, '__init__.py');
      entry = { file, pluginName };
    }
    return runGuard({
      baseline: result.baseline,
      schema: { file: schema.file, value: schema.value, root: schema.root, lines: schema.lines },
      config: { file: ctx.config.file, buildNumber: c.buildNumber, buildNumberRange: c.ranges.buildNumber?.value },
      operations: operationsOf(ctx.python),
      entry,
      readText: (f) => ctx.files.readText(f),
      now: now?.(),
    }).problems;
  };
}
