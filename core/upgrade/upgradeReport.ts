// The upgrade run as text for the CLI and the output channel: per object, which migrations ran and
// what each changed, then whether the result fits the new schema and, if not, which field and why.
// Values of password fields are masked everywhere.

import * as path from 'path';
import { BY_KIND } from './definitions';
import type { UpgradeRun } from './runUpgrade';
import { passwordFields, shown } from './validateObject';

export function formatUpgradeRun(run: UpgradeRun, baselineLabel: string, cwd: string): string {
  if (run.error) return `Upgrade from ${baselineLabel}: ${run.error}`;
  const lines: string[] = [];
  lines.push(`Upgrade from ${baselineLabel}: migrations the engine would run: ${run.migrationIds.length > 0 ? run.migrationIds.join(', ') : 'none'}.`);
  for (const o of run.outcomes) {
    const d = BY_KIND.get(o.object.kind)!;
    const secrets = passwordFields(run.schema?.[d.definition]);
    lines.push('', `${o.object.label} (${d.noun}): ${o.ok ? 'ok' : 'FAILED'}`);
    for (const f of o.notBaselineValid ?? []) lines.push(`  note: as saved, it does not fit the baseline's ${d.definition}: ${f.field} ${f.message} (the engine only hands migrations valid objects)`);
    if (o.steps.length === 0) lines.push('  no migration covers this object type; it is validated as it was saved');
    for (const s of o.steps) {
      const where = s.file ? ` (${path.relative(cwd, s.file) || s.file}:${s.line})` : '';
      const output = s.output ? s.output.split('\n').map((l) => `    | ${l}`) : [];
      const head = `  ${s.type === 'LUA' ? 'Lua ' : ''}migration ${s.id} ${s.function}${where}`;
      if (s.error) {
        lines.push(`${head}: failed`);
        for (const f of s.error.forbidden) lines.push(`    called libs.${f.function} at ${path.relative(cwd, f.file) || f.file}:${f.line}; only libs.upgrade_password is allowed in migrations`);
        if (s.error.kind === 'NotADict') lines.push(`    it ${s.error.message}: a migration must return the object as a dict`);
        else if (s.error.kind !== 'ForbiddenLibraryCall') lines.push(`    ${s.error.kind}: ${s.error.message}`);
        for (const t of s.error.traceback.trimEnd().split('\n')) if (t) lines.push(`    ${t}`);
        lines.push(...output);
        continue;
      }
      const c = s.changes;
      if (!c || c.replaced) {
        lines.push(`${head}: returned a new object`, ...output);
        continue;
      }
      const parts = [
        ...c.added.map((k) => `added ${k} = ${shown(k, c.after[k], secrets)}`),
        ...c.removed.map((k) => `removed ${k}`),
        ...c.changed.map((k) => `changed ${k}: ${shown(k, c.before[k], secrets)} -> ${shown(k, c.after[k], secrets)}`),
      ];
      lines.push(`${head}: ${parts.length > 0 ? parts.join('; ') : 'no change'}`, ...output);
    }
    if (o.engineMessage) lines.push(`  engine: ${o.engineMessage}`);
    if (o.unusableSchema) lines.push(`  the result cannot be validated: ${o.unusableSchema}`);
    for (const f of o.failures ?? []) lines.push(`  ${f.field} ${f.message} (${d.definition})`);
  }
  const failed = run.outcomes.filter((o) => !o.ok).length;
  lines.push('', `${run.outcomes.length} object${run.outcomes.length === 1 ? '' : 's'} upgraded: ${run.outcomes.length - failed} valid, ${failed} failed.`);
  return lines.join('\n');
}
