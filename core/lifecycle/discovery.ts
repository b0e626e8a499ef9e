// Discovery around the runner: what discovery.repository() and discovery.source_config() returned is
// checked as the engine checks it (each object against repositoryDefinition / sourceConfigDefinition,
// the identityFields unique across the results, the nameField present) and kept only when all of it is
// valid; a failed discovery leaves the previous results as they were.

import type { SyncTarget } from '../sync/preflight';
import type { SyncReport } from '../sync/report';
import type { RunState } from '../sync/runnerProcess';
import { checkDefinition, identityOf, type DefinitionName } from './definitions';
import { loadObjects, saveObjects, type DiscoveryRecord } from './objects';

type Found = DiscoveryRecord['repositories'];

export function completeDiscovery(target: SyncTarget, report: SyncReport, state: RunState, succeeded: boolean): void {
  const found = (state.result?.repositories ?? state.facts.repositories) as Found | undefined;
  report.ok = false;
  if (!succeeded || !Array.isArray(found)) {
    if (succeeded) report.error ??= { kind: 'SimulatorError', step: 'discovery', message: 'The runner finished without the discovered objects.', action: '', output: '' };
    return;
  }
  const problems = [
    ...checkAll(target.schema, 'repositoryDefinition', 'discovery.repository()', found.map((r) => r.repository)),
    ...found.flatMap((r, i) => checkAll(target.schema, 'sourceConfigDefinition', `discovery.source_config() of repository ${i + 1}`, r.sourceConfigs)),
  ];
  report.steps.push({ name: 'check discovered objects', kind: 'step', status: problems.length ? 'failed' : 'ok' });
  const host = target.profile.environments.source.type === 'ssh' ? target.profile.environments.source.host : 'local';
  const record: DiscoveryRecord = { environment: 'source', host, at: new Date().toISOString(), repositories: found };
  report.discovery = record;
  if (problems.length > 0) {
    report.error = {
      kind: 'DiscoveryMismatch',
      step: problems[0].step,
      message: `What discovery returned does not match schema.json, so none of it was kept: ${problems.map((p) => p.message).join('; ')}`,
      action: 'Return objects whose values satisfy the definitions of schema.json, with identityFields that differ between objects and the nameField set.',
      output: JSON.stringify(found, null, 2),
    };
    return;
  }
  const objects = loadObjects(target.layout);
  objects.discovery = record;
  saveObjects(target.layout, objects);
  report.ok = true;
}

function checkAll(schema: Record<string, unknown>, definition: DefinitionName, step: string, values: unknown[]): { step: string; message: string }[] {
  const problems: { step: string; message: string }[] = [];
  const what = definition === 'repositoryDefinition' ? 'repository' : 'source config';
  const { identityFields, nameField } = identityOf(schema, definition);
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    const label = `${what} ${i + 1}`;
    const invalid = checkDefinition(schema, definition, value, label);
    if (invalid) problems.push({ step, message: `${label}: ${invalid}` });
    const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (nameField && (obj[nameField] === undefined || obj[nameField] === null || obj[nameField] === '')) {
      problems.push({ step, message: `${label} has no value for "${nameField}", the nameField of ${definition} (the engine shows objects by it)` });
    }
    if (identityFields.length > 0) {
      const key = JSON.stringify(identityFields.map((f) => obj[f] ?? null));
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ step, message: `${label} has the same identityFields (${identityFields.join(', ')}: ${key}) as ${what} ${first + 1}; the engine tells objects apart by them` });
      } else seen.set(key, i);
    }
  });
  return problems;
}
