// "Delphix: Build Plugin" and "Delphix: Generate Definitions": the core build with a cancellable
// progress notification, the steps in the Delphix output, and the artifact one click away.
import * as path from 'path';
import * as vscode from 'vscode';
import { buildArtifact } from '../../core/build/artifact';
import { generatePluginDefinitions } from '../../core/build/generateOnly';
import { checkPlugins } from '../../core/analysis/checkPlugin';
import { summarize } from '../../core/report/formatProblems';
import type { PluginInfo } from '../../protocol/messages';
import { plural } from '../../core/text';
import { abortOn, saveDirty } from './plugins';
import { saveBeforeRun, showFailure, showSuccess } from './runGate';
import { readSettings } from './settings';
import type { PluginStatus } from './statusBar';

export interface BuildOutcome {
  ok: boolean;
  artifactPath?: string;
  uploadable?: boolean;
  /** The artifact left out the SDK runtime (one reason it is not uploadable). */
  withoutSdkRuntime?: boolean;
  message: string;
  /** The first error that stopped the build (zero-based line). */
  location?: { file: string; line: number; character: number };
}

export async function buildPlugin(
  plugin: PluginInfo,
  output: vscode.OutputChannel,
  status: PluginStatus,
  opts: { quiet?: boolean; /** Overrides delphix.build.includeSdkRuntime (a rebuild for upload). */ includeSdkRuntime?: boolean } = {},
): Promise<BuildOutcome> {
  if (!(await saveBeforeRun(plugin, 'building'))) return { ok: false, message: 'Build cancelled: the plugin has unsaved files.' };
  const settings = readSettings(vscode.Uri.file(plugin.root));
  const name = plugin.name ?? path.basename(plugin.root);
  const started = Date.now();
  output.appendLine(`\n[${new Date().toLocaleTimeString()}] Building ${name} (${plugin.root})`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Delphix: building ${name}`, cancellable: true },
    async (progress, token): Promise<BuildOutcome> => {
      const signal = abortOn(token);
      progress.report({ message: 'checking the plugin' });
      const check = await checkPlugins(plugin.root, { sdkVersion: settings.sdkVersion, report: (m) => output.appendLine(m) });
      const counts = summarize(check.problems);
      if (counts.errors > 0) {
        const first = check.problems.find((p) => p.severity === 'error')!;
        return {
          ok: false,
          message: `Build stopped by ${plural(counts.errors, 'error')}: ${path.basename(first.file)}:${first.range.start.line + 1}: ${first.message}`,
          location: { file: first.file, line: first.range.start.line, character: first.range.start.character },
        };
      }
      const operations = check.operations.get(plugin.root) ?? [];
      const result = await buildArtifact(
        { pluginRoot: plugin.root, operations },
        {
          sdkVersion: settings.sdkVersion,
          python: settings.python,
          includeSdkRuntime: opts.includeSdkRuntime ?? settings.build.includeSdkRuntime,
          pip: settings.build.pip,
          cacheDir: settings.build.runtimeCacheDir,
          signal,
          onProgress: (step) => {
            output.appendLine(`  - ${step}`);
            progress.report({ message: step });
          },
        },
      );
      for (const w of result.warnings) output.appendLine(`  warning: ${w}`);
      if (!result.ok) {
        for (const e of result.errors) output.appendLine(`  error: ${e}`);
        return { ok: false, message: result.cancelled ? 'Build cancelled; nothing was written.' : `Build failed: ${result.errors[0] ?? 'see the Delphix output'}` };
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const size = `${((result.size ?? 0) / 1024).toFixed(0)} KiB`;
      output.appendLine(`  Artifact: ${result.artifactPath} (${size}) in ${secs} s${result.uploadable ? '' : ' — NOT uploadable, see the warnings above'}`);
      return {
        ok: true,
        artifactPath: result.artifactPath,
        uploadable: result.uploadable,
        withoutSdkRuntime: result.runtime === 'skipped',
        message: `Built ${path.basename(result.artifactPath!)} (${size}) in ${secs} s${result.uploadable ? '.' : ', but it cannot be uploaded: ' + (result.warnings[0] ?? '')}`,
      };
    },
  );
  status.setLastResult(plugin.root, 'build', outcome.ok);
  output.appendLine(`  ${outcome.message}`);
  if (!opts.quiet) {
    if (outcome.ok && outcome.uploadable) {
      showSuccess(plugin, outcome.message, () => output.show(true));
    } else if (outcome.ok) {
      void vscode.window.showWarningMessage(outcome.message, 'Reveal Artifact', 'Show Output').then((a) => {
        if (a === 'Reveal Artifact') void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outcome.artifactPath!));
        if (a === 'Show Output') output.show(true);
      });
    } else {
      void showFailure({ text: outcome.message, location: outcome.location, problems: Boolean(outcome.location) }, () => output.show(true), 'Show Output');
    }
  }
  return outcome;
}

export async function generateDefinitions(plugin: PluginInfo, output: vscode.OutputChannel, opts: { quiet?: boolean } = {}): Promise<boolean> {
  await saveDirty(plugin);
  const r = await generatePluginDefinitions(plugin.root);
  for (const w of r.warnings) output.appendLine(`  warning: ${w}`);
  if (!r.ok) {
    for (const e of r.errors) output.appendLine(`  error: ${e}`);
    if (!opts.quiet) void vscode.window.showErrorMessage(`Generate Definitions failed: ${r.errors[0] ?? 'see the Delphix output'}`, 'Show Output').then((a) => a && output.show(true));
    return false;
  }
  const where = path.join(r.srcDir!, 'generated');
  output.appendLine(`Generated ${r.written.length} files in ${where}.`);
  if (!opts.quiet) void vscode.window.showInformationMessage(`Generated the definitions in ${path.relative(plugin.root, where)} (${r.written.length} files).`);
  return true;
}
