// The operations a plugin implements, read from its parsed Python code (no import of the plugin), for
// the build's manifest.
import { DiskFiles, type FileSource } from '../files';
import { buildModel } from '../model';
import { listImplementedOperations } from '../python/analyzer';
import { toPlain } from '../pythonJson';
import type { ManifestOperation } from './manifest';
import { loadBuildConfig, loadSchema } from './pluginConfig';

export async function findImplementedOperations(root: string, files: FileSource = new DiskFiles()): Promise<ManifestOperation[]> {
  const loaded = loadBuildConfig(root);
  if (!loaded.ok) return [];
  const c = loaded.value;
  // The build's own reading of the schema: its size and depth limits, no recursion past them.
  const schema = loadSchema(c.schemaFile);
  if (!schema.ok) return [];
  const ops = await listImplementedOperations(files, {
    root,
    srcDir: c.srcDir,
    entryPoint: c.entryPoint,
    pluginType: c.pluginType,
    schemaFile: c.schemaFile,
    schemaText: schema.value.text,
    model: buildModel(toPlain(schema.value.value)),
  });
  return ops.map((o) => ({ operationId: o.id, migrationId: o.migrationId, migrationType: o.migrationType }));
}
