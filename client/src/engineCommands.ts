// "Delphix: Upload Plugin" and "Delphix: Download Plugin Logs" over the core engine client: progress
// through session, token, upload and job, cancellation, and every failure explained. The password comes
// from SecretStorage and is never written to the output.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { checkUploadable, downloadPluginLogs, uploadArtifact, type EngineProgress } from '../../core/engine/client';
import { readUploadArtifact, type UploadArtifact } from '../../core/engine/artifact';
import { EngineError } from '../../core/engine/errors';
import type { PluginInfo } from '../../protocol/messages';
import { buildPlugin } from './build';
import type { EngineProfiles } from './engineProfiles';
import { abortOn } from './plugins';
import { readSettings, REQUEST_TIMEOUT_SETTING } from './settings';
import type { PluginStatus } from './statusBar';

export interface UploadArgs {
  /** Skip the question and wait (true) or not (false) for the engine's job. */
  wait?: boolean;
  /** The engine profile name (skips the picker). */
  profile?: string;
}

/** An artifact is stale when any file of the plugin changed after it was written. */
export function artifactIsStale(plugin: PluginInfo, artifact: string): boolean {
  let built: number;
  try {
    built = fs.statSync(artifact).mtimeMs;
  } catch {
    return true;
  }
  const newer = (f: string): boolean => {
    try {
      const st = fs.statSync(f);
      if (st.isFile()) return st.mtimeMs > built;
      if (!st.isDirectory()) return false;
      return fs.readdirSync(f).some((n) => n !== '__pycache__' && n !== 'generated' && newer(path.join(f, n)));
    } catch {
      return false;
    }
  };
  return [plugin.configFile, plugin.schemaFile, plugin.srcDir].some((f) => !!f && newer(f));
}

function progressLine(output: vscode.OutputChannel, progress: vscode.Progress<{ message?: string; increment?: number }>) {
  let lastPct = -1;
  return (p: EngineProgress) => {
    let message = p.message;
    if (p.bytes !== undefined && p.total) {
      const pct = Math.floor((100 * p.bytes) / p.total);
      if (pct === lastPct) return;
      lastPct = pct;
      message = `${p.message} ${pct}%`;
    } else output.appendLine(`  ${p.warning ? 'warning: ' : ''}${p.message}`);
    progress.report({ message });
    if (p.warning) void vscode.window.showWarningMessage(p.message);
  };
}

async function engineFailure(e: unknown, profiles: EngineProfiles, profile: { name: string }, output: vscode.OutputChannel, what: string): Promise<string> {
  if (e instanceof EngineError) {
    // A rejected password must be asked for again next time, not retried forever.
    if (e.kind === 'auth') await profiles.forgetPassword(profile as never);
    output.appendLine(`  ${what} failed: ${e.message}`);
    return e.kind === 'cancelled' ? `${what} cancelled.` : `${what} failed: ${e.message}`;
  }
  output.appendLine(`  ${what} failed: ${(e as Error).message}`);
  return `${what} failed: ${(e as Error).message}`;
}

export const REBUILD_WITH_RUNTIME = 'Rebuild with the SDK runtime and upload';

/**
 * The refusal of an artifact without the SDK runtime, with a button that rebuilds it with the runtime
 * (whatever delphix.build.includeSdkRuntime says) and uploads again. Not awaited: the command's outcome
 * is the refusal.
 */
function offerRebuild(message: string, plugin: PluginInfo, profiles: EngineProfiles, output: vscode.OutputChannel, status: PluginStatus, args: UploadArgs): void {
  void vscode.window.showErrorMessage(message, REBUILD_WITH_RUNTIME, 'Show Output').then(async (a) => {
    if (a === 'Show Output') output.show(true);
    if (a !== REBUILD_WITH_RUNTIME) return;
    const built = await buildPlugin(plugin, output, status, { quiet: true, includeSdkRuntime: true });
    if (!built.ok || !built.uploadable) {
      void vscode.window.showErrorMessage(`Rebuild with the SDK runtime failed: ${built.message}`, 'Show Output').then((b) => b && output.show(true));
      return;
    }
    await uploadPlugin(plugin, profiles, output, status, args);
  });
}

export async function uploadPlugin(plugin: PluginInfo, profiles: EngineProfiles, output: vscode.OutputChannel, status: PluginStatus, args: UploadArgs = {}): Promise<{ ok: boolean; message: string }> {
  const artifact = path.join(plugin.root, 'artifact.json');
  if (artifactIsStale(plugin, artifact)) {
    output.appendLine(`${fs.existsSync(artifact) ? 'The artifact is older than the plugin\'s files' : 'There is no artifact yet'}: building first.`);
    const built = await buildPlugin(plugin, output, status, { quiet: true });
    if (!built.ok) {
      void vscode.window.showErrorMessage(`Upload stopped: ${built.message}`, 'Show Output').then((a) => a && output.show(true));
      return { ok: false, message: built.message };
    }
    if (!built.uploadable) {
      const msg = `Upload stopped: ${built.message}`;
      if (built.withoutSdkRuntime) offerRebuild(msg, plugin, profiles, output, status, args);
      else void vscode.window.showErrorMessage(msg, 'Show Output').then((a) => a && output.show(true));
      return { ok: false, message: msg };
    }
  }
  // An artifact already there may come from `build --no-sdk-runtime` or a damaged copy: refused before
  // any engine or password is asked for, as the CLI does.
  let parsed: UploadArtifact;
  try {
    parsed = readUploadArtifact(artifact);
    checkUploadable(parsed);
  } catch (e) {
    const msg = `Upload stopped: ${e instanceof Error ? e.message : String(e)}`;
    output.appendLine(msg);
    if (e instanceof EngineError && e.kind === 'noSdkRuntime') offerRebuild(msg, plugin, profiles, output, status, args);
    else void vscode.window.showErrorMessage(msg, 'Show Output').then((a) => a && output.show(true));
    status.setLastResult(plugin.root, 'upload', false);
    return { ok: false, message: msg };
  }
  const profile = await profiles.pick('Upload the plugin to', args.profile);
  if (!profile) return { ok: false, message: 'No engine chosen.' };
  let wait = args.wait;
  if (wait === undefined) {
    const w = await vscode.window.showQuickPick(
      [
        { label: 'Upload and wait until the engine has installed it', wait: true },
        { label: 'Upload only', description: 'the engine installs it in the background', wait: false },
      ],
      { title: `Upload ${plugin.name ?? ''} to ${profile.name}` },
    );
    if (!w) return { ok: false, message: 'Upload cancelled.' };
    wait = w.wait;
  }
  const password = await profiles.password(profile);
  if (password === undefined) return { ok: false, message: 'No password given.' };
  output.appendLine(`\n[${new Date().toLocaleTimeString()}] Uploading ${artifact} to ${profile.name} (${profile.user}@${profile.host})`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Delphix: uploading to ${profile.name}`, cancellable: true },
    async (progress, token) => {
      try {
        const r = await uploadArtifact({
          profile,
          password,
          artifactPath: artifact,
          artifact: parsed,
          wait,
          requestTimeoutMs: readSettings(vscode.Uri.file(plugin.root)).engineRequestTimeoutMs,
          requestTimeoutHint: REQUEST_TIMEOUT_SETTING,
          signal: abortOn(token),
          onProgress: progressLine(output, progress),
        });
        for (const ev of r.events) output.appendLine(`  ${ev.timestamp ?? ''} ${ev.messageCode ?? ''} ${ev.messageDetails ?? ''}`.trimEnd());
        const msg = wait
          ? `Plugin ${r.pluginName ?? ''} was installed on ${profile.name}${r.upgrade ? ' (upgrade)' : ''}.`
          : `Uploaded ${r.fileName} to ${profile.name}; the engine is installing it${r.action ? ` (${r.action})` : ''}.`;
        output.appendLine(`  ${msg}`);
        return { ok: true, message: msg };
      } catch (e) {
        return { ok: false, message: await engineFailure(e, profiles, profile, output, 'Upload') };
      }
    },
  );
  status.setLastResult(plugin.root, 'upload', result.ok);
  if (result.ok) void vscode.window.showInformationMessage(result.message);
  else void vscode.window.showErrorMessage(result.message, 'Show Output').then((a) => a && output.show(true));
  return result;
}

export async function downloadLogs(plugin: PluginInfo, profiles: EngineProfiles, output: vscode.OutputChannel, args: { profile?: string } = {}): Promise<{ ok: boolean; message: string; file?: string }> {
  const profile = await profiles.pick('Download the plugin logs from', args.profile);
  if (!profile) return { ok: false, message: 'No engine chosen.' };
  const password = await profiles.password(profile);
  if (password === undefined) return { ok: false, message: 'No password given.' };
  const directory = path.join(plugin.root, 'logs');
  fs.mkdirSync(directory, { recursive: true });
  output.appendLine(`\n[${new Date().toLocaleTimeString()}] Downloading the logs of ${plugin.name} from ${profile.name}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Delphix: downloading logs from ${profile.name}`, cancellable: true },
    async (progress, token) => {
      try {
        const id = plugin.id;
        if (!id) throw new EngineError('badArtifact', 'plugin_config.yml has no valid id; fix it first (see the Problems view).');
        const r = await downloadPluginLogs({
          profile,
          password,
          pluginId: id,
          pluginName: plugin.name ?? id,
          directory,
          requestTimeoutMs: readSettings(vscode.Uri.file(plugin.root)).engineRequestTimeoutMs,
          requestTimeoutHint: REQUEST_TIMEOUT_SETTING,
          signal: abortOn(token),
          onProgress: progressLine(output, progress),
        });
        output.appendLine(`  Saved ${r.file} (${r.bytes} bytes).`);
        return { ok: true, message: `Saved the plugin logs to ${path.relative(plugin.root, r.file)}.`, file: r.file };
      } catch (e) {
        return { ok: false, message: await engineFailure(e, profiles, profile, output, 'Download of the logs') };
      }
    },
  );
  if (result.ok && result.file) {
    void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(result.file));
    void vscode.window.showInformationMessage(result.message);
  } else if (!result.ok) void vscode.window.showErrorMessage(result.message, 'Show Output').then((a) => a && output.show(true));
  return result;
}
