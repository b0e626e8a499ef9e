// The operations a plugin implements, read from its parsed Python code (no import of the plugin), for
// the build's manifest.
import * as fs from 'fs';
import { DiskFiles, type FileSource } from '../files';
import { buildModel } from '../model';
import { listImplementedOperations } from '../python/analyzer';
import type { ManifestOperation } from './manifest';
import { loadBuildConfig } from './pluginConfig';

export async function findImplementedOperations(root: string, files: FileSource = new DiskFiles()): Promise<ManifestOperation[]> {
  const loaded = loadBuildConfig(root);
  if (!loaded.ok) return [];
  const c = loaded.value;
  const schemaText = fs.readFileSync(c.schemaFile, 'utf8');
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return [];
  }
  const ops = await listImplementedOperations(files, {
    root,
    srcDir: c.srcDir,
    entryPoint: c.entryPoint,
    pluginType: c.pluginType,
    schemaFile: c.schemaFile,
    schemaText,
    model: buildModel(schema),
  });
  return ops.map((o) => ({ operationId: o.id, migrationId: o.migrationId, migrationType: o.migrationType }));
}
