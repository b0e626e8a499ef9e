// The dSource's sync around the runner: its new snapshot is committed (renamed into place) only when the
// whole sync succeeded and the definition linked.post_snapshot() returned matches snapshotDefinition;
// otherwise the half-written snapshot is removed and the previous one stays as it was.

import * as fs from 'fs';
import * as path from 'path';
import type { SyncTarget } from '../sync/preflight';
import type { SnapshotStats, SyncReport } from '../sync/report';
import { simulatorError, type RunState } from '../sync/runnerProcess';
import { commitSnapshot, pendingSnapshotDir } from '../sync/sandbox';
import { checkDefinition } from './definitions';

export function completeDsourceSync(target: SyncTarget, id: number | undefined, report: SyncReport, state: RunState, succeeded: boolean): void {
  const pending = id !== undefined ? pendingSnapshotDir(target.layout, id) : undefined;
  if (succeeded && state.pending && id !== undefined && state.pending.id === id) {
    const definition = state.pending.metadata.snapshotDefinition;
    const invalid = checkDefinition(target.schema, 'snapshotDefinition', definition, 'the snapshot');
    if (invalid) {
      report.error = {
        kind: 'SnapshotDefinitionMismatch',
        step: 'linked.post_snapshot()',
        message: `The snapshot definition linked.post_snapshot() returned does not match snapshotDefinition of schema.json: ${invalid}`,
        action: 'Return a SnapshotDefinition whose values satisfy snapshotDefinition in schema.json.',
        output: JSON.stringify(definition, null, 2),
      };
    } else {
      const dir = commitSnapshot(target.layout, id);
      report.snapshot = {
        id,
        path: dir,
        metadataFile: path.join(dir, 'snapshot.json'),
        stats: (state.pending.metadata.stats ?? {}) as SnapshotStats,
        definition,
      };
      report.ok = true;
      return;
    }
  } else if (succeeded) {
    report.error = simulatorError('snapshot', 'The runner finished without handing over a snapshot.');
  }
  report.ok = false;
  if (pending) fs.rmSync(pending, { recursive: true, force: true });
}
