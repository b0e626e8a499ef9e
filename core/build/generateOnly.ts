// `dvp build -g`: only refresh `<srcDir>/generated/` from the schema. Like dvp, problems elsewhere in
// the config do not stop it as long as srcDir and the schema can be read.

import * as path from 'path';
import { writeGeneratedDefinitions } from '../codegen/writeDefinitions';
import { loadPluginPaths, loadSchema } from './pluginConfig';
import { visibleText } from '../text';

export interface GenerateOnlyResult {
  ok: boolean;
  srcDir?: string;
  written: string[];
  /** Codegen remarks (the package is still written). */
  warnings: string[];
  errors: string[];
}

export async function generatePluginDefinitions(pluginRoot: string, configFile?: string): Promise<GenerateOnlyResult> {
  const r = await generate(pluginRoot, configFile);
  // Messages quote file text (YAML errors): no control character leaves raw.
  return { ...r, errors: r.errors.map((e) => visibleText(e, true)), warnings: r.warnings.map((w) => visibleText(w, true)) };
}

async function generate(pluginRoot: string, configFile?: string): Promise<GenerateOnlyResult> {
  const root = path.resolve(pluginRoot);
  const paths = loadPluginPaths(root, configFile ? path.resolve(root, configFile) : undefined);
  if (!paths.ok) return { ok: false, written: [], warnings: [], errors: paths.errors };
  const { srcDir, schemaFile } = paths.value;
  const schema = loadSchema(schemaFile);
  if (!schema.ok) return { ok: false, srcDir, written: [], warnings: [], errors: schema.errors };
  const w = await writeGeneratedDefinitions(srcDir, schema.value.text);
  if (w.written.length === 0) return { ok: false, srcDir, written: [], warnings: [], errors: w.problems ?? ['Code generation produced nothing.'] };
  return { ok: true, srcDir, written: w.written, warnings: w.problems ?? [], errors: [] };
}
