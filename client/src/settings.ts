// Typed access to the `delphix.*` settings, read per plugin folder (resource scope), never cached
// globally: the author may give each workspace folder its own values.
import * as vscode from 'vscode';
import type { PipSettings } from '../../core/build/sdkRuntime';

export interface StudioSettings {
  sdkVersion?: string;
  python: string;
  build: {
    includeSdkRuntime: boolean;
    generateOnSchemaChange: boolean;
    pip: PipSettings;
    runtimeCacheDir?: string;
  };
  /** delphix.engine.requestTimeout, in milliseconds. */
  engineRequestTimeoutMs: number;
}

/** Named by the message of an engine request that timed out. */
export const REQUEST_TIMEOUT_SETTING = 'the setting delphix.engine.requestTimeout';

function seconds(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

export function readSettings(resource?: vscode.Uri): StudioSettings {
  const c = vscode.workspace.getConfiguration('delphix', resource);
  const str = (k: string) => {
    const v = c.get<string>(k);
    return v && v.trim() ? v.trim() : undefined;
  };
  const list = (k: string) => (c.get<string[]>(k) ?? []).filter((s) => typeof s === 'string' && s.trim()).map((s) => s.trim());
  return {
    sdkVersion: str('sdkVersion'),
    python: str('python') ?? 'python3',
    build: {
      includeSdkRuntime: c.get<boolean>('build.includeSdkRuntime', true),
      generateOnSchemaChange: c.get<boolean>('build.generateDefinitionsOnSchemaChange', false),
      pip: {
        indexUrl: str('build.pip.indexUrl'),
        extraIndexUrls: list('build.pip.extraIndexUrls'),
        findLinks: list('build.pip.findLinks'),
        noIndex: c.get<boolean>('build.pip.noIndex', false) || undefined,
      },
      runtimeCacheDir: str('build.sdkRuntimeCacheDir'),
    },
    engineRequestTimeoutMs: seconds(c.get<number>('engine.requestTimeout'), 120) * 1000,
  };
}
