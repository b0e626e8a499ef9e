// With `delphix.build.generateDefinitionsOnSchemaChange` on, regenerate <srcDir>/generated whenever a
// plugin's schema file is saved (or changed on disk) and has no errors, so Pylance and the author's
// own Python tooling always see the current names.
import * as vscode from 'vscode';
import { MAX_ANALYSED_FILE_BYTES, readTextWithin } from '../../core/files';
import { analyzeSchema } from '../../core/schema/analyzeSchema';
import type { PluginInfo } from '../../protocol/messages';
import { generateDefinitions } from './build';
import { readSettings } from './settings';

export function watchSchemas(plugins: () => PluginInfo[], output: vscode.OutputChannel): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const onChange = (uri: vscode.Uri) => {
    const plugin = plugins().find((p) => p.schemaFile === uri.fsPath);
    if (!plugin || !readSettings(vscode.Uri.file(plugin.root)).build.generateOnSchemaChange) return;
    clearTimeout(timers.get(plugin.root));
    timers.set(
      plugin.root,
      setTimeout(async () => {
        // The check's size limit, before reading: a file too large to check is not generated from.
        const read = readTextWithin(uri.fsPath, MAX_ANALYSED_FILE_BYTES);
        if (!read.ok) return;
        const a = analyzeSchema(uri.fsPath, read.text, { sdkVersion: readSettings(uri).sdkVersion });
        if (!a.syntaxOk || a.problems.some((p) => p.severity === 'error')) return; // keep the last good definitions
        output.appendLine(`schema changed: regenerating the definitions of ${plugin.name ?? plugin.root}`);
        await generateDefinitions(plugin, output, { quiet: true });
      }, 300),
    );
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.json', true, false, true);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidChange(onChange),
    vscode.workspace.onDidSaveTextDocument((d) => onChange(d.uri)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
