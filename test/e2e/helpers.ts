// Shared helpers for the end-to-end suites. Everything here waits by polling against a deadline:
// VS Code does its work asynchronously (activation, language server start, diagnostics), and a fixed
// sleep is either too short on a slow CI machine or wastes time on a fast one.
import './outside-vscode-guard';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PluginInfo } from '../../protocol/messages';
import type { EngineProfile } from '../../core/engine/profiles';

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
  setEnginePassword(profile: EngineProfile, password: string): Promise<void>;
}

export function studioApi(ext: vscode.Extension<unknown>): StudioApi {
  const api = ext.exports as Partial<StudioApi> | undefined;
  assert.equal(typeof api?.plugins, 'function', 'the extension exports plugins()');
  assert.equal(typeof api?.setEnginePassword, 'function', 'the extension exports setEnginePassword()');
  return api as StudioApi;
}

/**
 * Waits until the language server reports a plugin whose root is `root` (and, if given, for which
 * `ready` holds: a plugin found a moment ago may not be analysed yet, so it has no name), and returns it.
 */
export async function waitForPlugin(
  ext: vscode.Extension<unknown>,
  root: vscode.Uri,
  ready: (p: PluginInfo) => boolean = () => true,
): Promise<PluginInfo> {
  const api = studioApi(ext);
  let seen: PluginInfo[] = [];
  return waitFor(
    `the language server to report the plugin in ${root.fsPath}`,
    async () => {
      seen = await api.plugins();
      return seen.find((p) => p.root === root.fsPath && ready(p));
    },
    { describe: () => JSON.stringify(seen) },
  );
}

/** Skips the test (pending) when the language server is not built: what it checks cannot exist then. */
export async function serverOrSkip(ctx: Mocha.Context): Promise<vscode.Extension<unknown>> {
  const ext = await activatedExtension();
  if (!hasServerBundle(ext)) {
    console.log(`skipped: ${serverBundle(ext)} does not exist`);
    ctx.skip();
  }
  return ext;
}

/**
 * Sets `delphix.*` settings for the duration of `fn` and puts the previous values back, so a suite also
 * leaves the fixture folder as it was when it runs in place (@vscode/test-cli).
 */
export async function withSettings<T>(
  values: Record<string, unknown>,
  fn: () => Promise<T>,
  target: vscode.ConfigurationTarget = vscode.ConfigurationTarget.WorkspaceFolder,
): Promise<T> {
  const config = () => vscode.workspace.getConfiguration('delphix', workspaceRoot());
  const previous = (key: string) => {
    const seen = config().inspect(key);
    return target === vscode.ConfigurationTarget.WorkspaceFolder ? seen?.workspaceFolderValue : seen?.workspaceValue;
  };
  const before = new Map(Object.keys(values).map((key) => [key, previous(key)]));
  try {
    for (const [key, value] of Object.entries(values)) await config().update(key, value, target);
    return await fn();
  } finally {
    for (const [key, value] of before) await config().update(key, value, target);
  }
}

/** Opens a file in an editor (as clicking it in the Explorer would) and returns its editor. */
export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Offset of the `nth` (1-based) occurrence of `needle` in `text`; fails the test when there is none. */
export function offsetOf(text: string, needle: string, nth = 1, from = 0): number {
  let at = from - 1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" occurs fewer than ${nth} time(s) in the text (from offset ${from})`);
  }
  return at;
}

/** The position `delta` characters into the `nth` occurrence of `needle` in the document. */
export function positionOf(document: vscode.TextDocument, needle: string, nth = 1, delta = 0, from = 0): vscode.Position {
  return document.positionAt(offsetOf(document.getText(), needle, nth, from) + delta);
}

/** The range a `needle` occupies at its `nth` occurrence (after offset `from`). */
export function rangeOf(document: vscode.TextDocument, needle: string, nth = 1, from = 0): vscode.Range {
  const at = offsetOf(document.getText(), needle, nth, from);
  return new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length));
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

export function delphixErrors(uri: vscode.Uri): vscode.Diagnostic[] {
  return delphixDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

/**
 * Waits until the language server has analysed `document` as it is now, and returns its `delphix`
 * diagnostics then. A clean file publishes nothing, so "no diagnostics" cannot be awaited directly:
 * this appends a line the server must flag (`sentinel`), waits for that problem, removes the line
 * again and waits for the problem to go. Edits reach the server in order, so what it publishes after
 * that is the analysis of the current text.
 */
export async function analysedDiagnostics(
  document: vscode.TextDocument,
  sentinel: { line: string; flagged: (d: vscode.Diagnostic, sentinelLine: number) => boolean },
): Promise<vscode.Diagnostic[]> {
  const uri = document.uri;
  const before = document.getText();
  const tail = before.endsWith('\n') ? '' : '\n';
  const line = document.positionAt(before.length).line + (tail ? 1 : 0);
  const flagged = (d: vscode.Diagnostic) => sentinel.flagged(d, line);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, document.positionAt(before.length), `${tail}${sentinel.line}\n`);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not add the sentinel line to ${uri.fsPath}`);
  try {
    await waitFor(`the language server to flag the sentinel line in ${path.basename(uri.fsPath)}`, () => delphixDiagnostics(uri).some(flagged), {
      describe: () => describeDiagnostics(uri),
    });
  } finally {
    if (document.getText() !== before) {
      const undo = new vscode.WorkspaceEdit();
      undo.delete(uri, new vscode.Range(document.positionAt(before.length), document.positionAt(document.getText().length)));
      assert.ok(await vscode.workspace.applyEdit(undo), `could not remove the sentinel line from ${uri.fsPath}`);
    }
  }
  assert.equal(document.getText(), before, 'the sentinel line was removed exactly');
  await waitFor(`the sentinel problem in ${path.basename(uri.fsPath)} to go`, () => !delphixDiagnostics(uri).some(flagged), {
    describe: () => describeDiagnostics(uri),
  });
  return delphixDiagnostics(uri);
}

/** A Python line every plugin module gets a `delphix` error for (an import generated.definitions lacks). */
export const PYTHON_SENTINEL = {
  line: 'from generated.definitions import E2eSentinelNoSuchClass',
  flagged: (d: vscode.Diagnostic) => d.message.includes('E2eSentinelNoSuchClass'),
};

/** A line after the closing brace of a JSON file: a syntax error on that line. */
export const JSON_SENTINEL = {
  line: '"e2e sentinel"',
  flagged: (d: vscode.Diagnostic, line: number) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === line,
};

/** Removes what a test created, if it did not exist before (so runs in place leave the fixture clean). */
export function removeCreated(file: string, existedBefore: boolean): void {
  if (!existedBefore) fs.rmSync(file, { recursive: true, force: true });
}

/** Waits for a task process to end and returns its exit code. */
export async function runTask(task: vscode.Task, timeoutMs = 30_000): Promise<number | undefined> {
  let ended: vscode.TaskProcessEndEvent | undefined;
  let execution: vscode.TaskExecution | undefined;
  const listener = vscode.tasks.onDidEndTaskProcess((e) => {
    // The execution object may not be known yet when a quick process ends: then match the task itself.
    const same = execution
      ? e.execution === execution
      : e.execution.task.name === task.name && e.execution.task.definition.command === task.definition.command;
    if (same) ended = e;
  });
  try {
    execution = await vscode.tasks.executeTask(task);
    const done = await waitFor(`the task "${task.name}" to end`, () => ended, { timeoutMs });
    return done.exitCode;
  } finally {
    listener.dispose();
  }
}

/**
 * Everything the extension wrote to its "Delphix" output channel, read from the log file VS Code keeps
 * for each channel under the user-data folder (E2E_USER_DATA, set by scripts/run-ext-tests.js).
 * Undefined when that folder is unknown (e.g. under @vscode/test-cli).
 */
export function delphixOutputLog(): string | undefined {
  const userData = process.env.E2E_USER_DATA;
  if (!userData) return undefined;
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) return undefined;
  const files = (fs.readdirSync(logs, { recursive: true }) as string[])
    .map((f) => path.join(logs, f))
    .filter((f) => /output_logging_/.test(f) && /-Delphix\.log$/.test(f));
  return files.length ? files.map((f) => fs.readFileSync(f, 'utf8')).join('\n') : undefined;
}

/** Waits until the Delphix output log holds `needle` and returns the log (undefined if there is no log). */
export async function waitForOutput(needle: string | RegExp): Promise<string | undefined> {
  if (delphixOutputLog() === undefined && !process.env.E2E_USER_DATA) return undefined;
  let seen = '';
  return waitFor(
    `the Delphix output to show ${String(needle)}`,
    () => {
      seen = delphixOutputLog() ?? '';
      return (typeof needle === 'string' ? seen.includes(needle) : needle.test(seen)) ? seen : undefined;
    },
    { describe: () => seen.split('\n').slice(-8).join('\n') },
  );
}
