// The `manifest` of the upload artifact: which operations the plugin implements and its data
// migration ids, as `dvp build` writes them after importing the plugin (sdk-spec §4.5, §4.8). The
// implemented operations come from the static Python analysis.

import { MANIFEST_KEYS, OPERATIONS_BY_ID } from '../sdk/operations';

export interface ManifestOperation {
  /** `linked.pre_snapshot` (a `plugin.` prefix and trailing `()` are tolerated). */
  operationId: string;
  migrationId?: string;
  migrationType?: 'PLATFORM' | 'LUA';
}

/** A platform migration id in its canonical form (`01.2.0` -> `1.2`), or undefined if it is not one. */
export function canonicalMigrationId(id: string): string | undefined {
  if (!/^\d+(\.\d+)*$/.test(id)) return undefined;
  const parts = id.split('.').map((p) => String(Number(p)));
  while (parts.length > 0 && parts[parts.length - 1] === '0') parts.pop();
  return parts.length > 0 ? parts.join('.') : undefined;
}

function compareIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function normalizeId(id: string): string {
  return id.trim().replace(/^plugin\./, '').replace(/\(\)$/, '');
}

/** The manifest object, keys in dvp's order: `type`, one boolean per operation, `migrationIdList`. */
export function buildManifest(ops: ManifestOperation[]): Record<string, unknown> {
  const implemented = new Set<string>();
  const migrationIds = new Set<string>();
  for (const op of ops) {
    const id = normalizeId(op.operationId);
    const spec = OPERATIONS_BY_ID.get(id);
    if (spec?.manifestKey) implemented.add(spec.manifestKey);
    if (spec?.group === 'upgrade' && (op.migrationType ?? 'PLATFORM') === 'PLATFORM' && op.migrationId !== undefined) {
      const canonical = canonicalMigrationId(op.migrationId);
      if (canonical) migrationIds.add(canonical);
    }
  }
  const manifest: Record<string, unknown> = { type: 'PluginManifest' };
  for (const key of MANIFEST_KEYS) manifest[key] = implemented.has(key);
  manifest.migrationIdList = [...migrationIds].sort(compareIds);
  return manifest;
}
