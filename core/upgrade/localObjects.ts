// The local engine's kept objects as saved objects for `upgrade`: per sync profile, the profile's
// repository, source config, linked source parameters and VDB parameters, the dSource's snapshots'
// definitions, each VDB's parameters, source config and snapshots, and the last discovery's results.
// Reading never writes. `applyUpgraded` writes the migrated values back, all of them or none: the
// caller passes only a run where every object upgraded to a valid object.

import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { loadObjects, saveObjects, vdbSnapshotLayout, type ObjectsFile } from '../lifecycle/objects';
import { listProfiles, profileFile } from '../sync/profile';
import { acquireRunLock, describeHeldLock, type RunLock } from '../sync/runLock';
import { listSnapshots, sandboxLayout, type SandboxLayout } from '../sync/sandbox';
import type { MigrationKind } from './definitions';
import type { SavedObject } from './objects';
import type { ObjectOutcome } from './runUpgrade';

/** Where a kept object lives, so its migrated value can be written back. */
export type KeptLocation =
  | { at: 'profile'; profile: string; key: 'repository' | 'sourceConfig' | 'linkedSource' | 'virtualSource' }
  | { at: 'snapshot'; profile: string; file: string }
  | { at: 'vdb'; profile: string; vdb: string; field: 'parameters' | 'sourceConfig' | 'snapshotDefinition' }
  | { at: 'discovery'; profile: string; repository: number; sourceConfig?: number };

export interface KeptObject extends SavedObject {
  location: KeptLocation;
}

export interface KeptObjects {
  objects: KeptObject[];
  /** Profiles whose file could not be read or parsed (their sandbox objects are still collected). */
  problems: string[];
}

const PROFILE_KINDS: { key: 'repository' | 'sourceConfig' | 'linkedSource' | 'virtualSource'; kind: MigrationKind; what: string }[] = [
  { key: 'repository', kind: 'repository', what: 'repository' },
  { key: 'sourceConfig', kind: 'source_config', what: 'sourceConfig' },
  { key: 'linkedSource', kind: 'linked_source', what: 'linkedSource parameters' },
  { key: 'virtualSource', kind: 'virtual_source', what: 'virtualSource (the parameters new VDBs get)' },
];

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readProfileDoc(file: string): { doc?: Record<string, unknown>; text?: string; error?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `${file} cannot be read: ${(e as Error).message}` };
  }
  const errors: ParseError[] = [];
  const doc = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !isDict(doc)) return { error: `${file} is not a JSON object; its profile values are left out.` };
  return { doc, text };
}

/** The kept objects of every profile of the plugin, in a stable order. Reads only. */
export function collectKeptObjects(pluginRoot: string): KeptObjects {
  const objects: KeptObject[] = [];
  const problems: string[] = [];
  const counts = new Map<MigrationKind, number>();
  const add = (kind: MigrationKind, label: string, value: unknown, location: KeptLocation): void => {
    if (!isDict(value)) return;
    const index = counts.get(kind) ?? 0;
    counts.set(kind, index + 1);
    objects.push({ kind, index, label, value: structuredClone(value), location });
  };
  for (const profile of listProfiles(pluginRoot)) {
    const p = `profile "${profile}"`;
    const read = readProfileDoc(profileFile(pluginRoot, profile));
    if (read.error) problems.push(read.error);
    for (const s of PROFILE_KINDS) add(s.kind, `${p}: ${s.what}`, read.doc?.[s.key], { at: 'profile', profile, key: s.key });
    const layout = sandboxLayout(pluginRoot, profile);
    for (const snap of listSnapshots(layout)) add('snapshot', `${p}: dSource snapshot ${snap.id}`, snap.metadata?.snapshotDefinition, { at: 'snapshot', profile, file: snap.metadataFile });
    const kept = loadObjects(layout);
    kept.discovery?.repositories.forEach((r, i) => {
      add('repository', `${p}: discovered repository ${i + 1}`, r.repository, { at: 'discovery', profile, repository: i });
      r.sourceConfigs.forEach((c, j) => add('source_config', `${p}: discovered source config ${i + 1}.${j + 1}`, c, { at: 'discovery', profile, repository: i, sourceConfig: j }));
    });
    for (const v of Object.values(kept.vdbs).sort((a, b) => a.name.localeCompare(b.name))) {
      const vp = `${p}: VDB "${v.name}"`;
      add('virtual_source', `${vp} virtualSource`, v.parameters, { at: 'vdb', profile, vdb: v.name, field: 'parameters' });
      add('source_config', `${vp} sourceConfig`, v.sourceConfig, { at: 'vdb', profile, vdb: v.name, field: 'sourceConfig' });
      // The origin snapshot's definition is a copy configure/reconfigure receive; empty for an empty VDB.
      if (isDict(v.snapshotDefinition) && Object.keys(v.snapshotDefinition).length > 0) {
        add('snapshot', `${vp} origin snapshot`, v.snapshotDefinition, { at: 'vdb', profile, vdb: v.name, field: 'snapshotDefinition' });
      }
      for (const snap of listSnapshots(vdbSnapshotLayout(layout, v.name))) {
        add('snapshot', `${vp} snapshot ${snap.id}`, snap.metadata?.snapshotDefinition, { at: 'snapshot', profile, file: snap.metadataFile });
      }
    }
  }
  return { objects, problems };
}

/** What `upgrade` says when there are no kept objects. */
export function noKeptObjectsMessage(pluginRoot: string): string {
  return listProfiles(pluginRoot).length === 0
    ? `The local engine keeps no objects for ${pluginRoot} (no sync profiles). Sync and provision under the installed version first ("sync", "provision"), or pass --objects FILE.`
    : `The local engine keeps no objects for ${pluginRoot} yet. Sync and provision under the installed version first ("sync", "provision"), or pass --objects FILE.`;
}

export type ApplyResult = { ok: true; written: string[] } | { ok: false; error: string };

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Writes the migrated values of a run where every kept object upgraded to a valid object. Every
 * profile touched is locked first (no workflow runs meanwhile); when one is busy nothing is written.
 */
export function applyUpgraded(pluginRoot: string, outcomes: ObjectOutcome[], command = 'upgrade --apply'): ApplyResult {
  const failed = outcomes.filter((o) => !o.ok || !o.output);
  if (failed.length > 0) return { ok: false, error: `Nothing was written: ${failed.length} object${failed.length === 1 ? '' : 's'} did not upgrade to a valid object.` };
  if (outcomes.some((o) => !(o.object as KeptObject).location)) return { ok: false, error: 'Nothing was written: only kept objects can be written back.' };
  // Only what the migrations changed is written: an unchanged value keeps its file and its layout.
  const items = outcomes
    .filter((o) => JSON.stringify(o.output) !== JSON.stringify(o.object.value))
    .map((o) => ({ location: (o.object as KeptObject).location, label: o.object.label, kind: o.object.kind, value: o.output! }));
  if (items.length === 0) return { ok: true, written: [] };
  const profiles = [...new Set(items.map((i) => i.location.profile))].sort();
  const locks: RunLock[] = [];
  try {
    for (const profile of profiles) {
      const layout = sandboxLayout(pluginRoot, profile);
      fs.mkdirSync(layout.run, { recursive: true });
      const taken = acquireRunLock(layout.run, command);
      if ('held' in taken) return { ok: false, error: `Nothing was written: ${describeHeldLock(profile, taken)}` };
      locks.push(taken.lock);
    }
    // Everything is computed before anything is written, so a bad file stops the apply whole.
    const writes: { file: string; text: string; what: string[]; layout?: SandboxLayout }[] = [];
    for (const profile of profiles) {
      const mine = items.filter((i) => i.location.profile === profile);
      const layout = sandboxLayout(pluginRoot, profile);
      const pItems = mine.filter((i) => i.location.at === 'profile');
      if (pItems.length > 0) {
        const file = profileFile(pluginRoot, profile);
        const read = readProfileDoc(file);
        if (read.error) return { ok: false, error: `Nothing was written: ${read.error}` };
        let text = read.text!;
        for (const i of pItems) {
          const key = (i.location as Extract<KeptLocation, { at: 'profile' }>).key;
          text = applyEdits(text, modify(text, [key], i.value, { formattingOptions: formattingOf(text) }));
        }
        writes.push({ file, text, what: pItems.map((i) => i.label) });
      }
      const vItems = mine.filter((i) => i.location.at === 'vdb' || i.location.at === 'discovery');
      if (vItems.length > 0) {
        const kept = loadObjects(layout);
        for (const i of vItems) {
          const l = i.location;
          if (l.at === 'vdb') {
            const rec = kept.vdbs[l.vdb];
            if (!rec) return { ok: false, error: `Nothing was written: VDB "${l.vdb}" of profile "${profile}" is gone.` };
            (rec as unknown as Record<string, unknown>)[l.field] = i.value;
          } else if (l.at === 'discovery') {
            const r = kept.discovery?.repositories[l.repository];
            if (!r) return { ok: false, error: `Nothing was written: the discovery of profile "${profile}" changed meanwhile.` };
            if (l.sourceConfig === undefined) r.repository = i.value;
            else r.sourceConfigs[l.sourceConfig] = i.value;
          }
        }
        writes.push({ file: path.join(layout.root, 'objects.json'), text: JSON.stringify(kept), what: vItems.map((i) => i.label), layout });
      }
      for (const i of mine.filter((x) => x.location.at === 'snapshot')) {
        const file = (i.location as Extract<KeptLocation, { at: 'snapshot' }>).file;
        let meta: Record<string, unknown>;
        try {
          meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        } catch (e) {
          return { ok: false, error: `Nothing was written: ${file} cannot be read: ${(e as Error).message}` };
        }
        meta.snapshotDefinition = i.value;
        writes.push({ file, text: JSON.stringify(meta, null, 2), what: [i.label] });
      }
    }
    const written: string[] = [];
    for (const w of writes) {
      if (w.layout) saveObjects(w.layout, JSON.parse(w.text) as ObjectsFile);
      else writeAtomic(w.file, w.text);
      written.push(`${w.file}: ${w.what.join(', ')}`);
    }
    return { ok: true, written };
  } finally {
    for (const l of locks) l.release();
  }
}

function formattingOf(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}
