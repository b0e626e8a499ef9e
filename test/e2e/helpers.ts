// Shared helpers for the end-to-end suites. Everything here waits by polling against a deadline:
// VS Code does its work asynchronously (activation, language server start, diagnostics), and a fixed
// sleep is either too short on a slow CI machine or wastes time on a fast one.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';

export const EXTENSION_ID = 'delphix-plugin-studio.delphix-plugin-studio';
export const DIAGNOSTIC_SOURCE = 'delphix';

/** Deadlines are stretched on slow machines with E2E_TIMEOUT_SCALE (e.g. 3). */
const SCALE = Number(process.env.E2E_TIMEOUT_SCALE) > 0 ? Number(process.env.E2E_TIMEOUT_SCALE) : 1;

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined/false/null, and returns that value.
 * On the deadline it throws, naming what was awaited and the last thing the probe saw (`describe`).
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions & { describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = (options.timeoutMs ?? 20_000) * SCALE;
  const intervalMs = options.intervalMs ?? 100;
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - started >= timeoutMs) {
      const seen = options.describe ? `; last seen: ${options.describe()}` : '';
      const failed = lastError ? `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${seen}${failed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(
    ext,
    `extension ${EXTENSION_ID} is not loaded; present: ${vscode.extensions.all
      .map((e) => e.id)
      .filter((id) => !id.startsWith('vscode.'))
      .join(', ')}`,
  );
  return ext;
}

/** Waits for the extension to activate by itself (its activation events), without forcing it. */
export async function activatedExtension(timeoutMs = 30_000): Promise<vscode.Extension<unknown>> {
  const ext = extension();
  await waitFor('the extension to activate', () => ext.isActive, { timeoutMs });
  return ext;
}

/** The file the extension's language server is bundled to; present once the server is built. */
export function serverBundle(ext: vscode.Extension<unknown>): string {
  return path.join(ext.extensionPath, 'dist', 'server.js');
}

export function hasServerBundle(ext: vscode.Extension<unknown>): boolean {
  return fs.existsSync(serverBundle(ext));
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

export function workspaceFile(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

export function contributedCommands(ext: vscode.Extension<unknown>): ContributedCommand[] {
  const contributes = (ext.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes;
  return contributes?.commands ?? [];
}

export function delphixDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return `no diagnostics on ${path.basename(uri.fsPath)}`;
  return all
    .map(
      (d) =>
        `[${d.source ?? '?'} ${vscode.DiagnosticSeverity[d.severity]} ${d.range.start.line + 1}:${d.range.start.character + 1}] ${d.message}`,
    )
    .join(' | ');
}

/** Replaces the whole text of an open document, as typing would (the change is not saved). */
export async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  edit.replace(document.uri, whole, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not edit ${document.uri.fsPath}`);
}

/** Puts a document back to `text` and saves it, so later tests see the file as it was on disk. */
export async function restoreAndSave(document: vscode.TextDocument, text: string): Promise<void> {
  if (document.getText() !== text) await replaceText(document, text);
  if (document.isDirty) assert.ok(await document.save(), `could not save ${document.uri.fsPath}`);
}

/** The extension's public API (what activate() returns), checked so a change in its shape fails clearly. */
export interface StudioApi {
  plugins(): Promise<PluginInfo[]>;
}

export function studioApi(ext: vscode.Extension<unknown>): StudioApi {
  const api = ext.exports as Partial<StudioApi> | undefined;
  assert.equal(typeof api?.plugins, 'function', 'the extension exports plugins()');
  return api as StudioApi;
}

/** Waits until the language server reports a plugin whose root is `root`, and returns it. */
export async function waitForPlugin(ext: vscode.Extension<unknown>, root: vscode.Uri): Promise<PluginInfo> {
  const api = studioApi(ext);
  let seen: PluginInfo[] = [];
  return waitFor(
    `the language server to report the plugin in ${root.fsPath}`,
    async () => {
      seen = await api.plugins();
      return seen.find((p) => p.root === root.fsPath);
    },
    { describe: () => JSON.stringify(seen) },
  );
}
