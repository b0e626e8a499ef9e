// "Delphix: Preview Forms": a webview beside schema.json that shows the engine's wizards for its
// definitions. The webview renders (dist/webview/forms.js, no remote resources, strict CSP with a
// nonce); this side follows the document (debounced), validates entered values with the schema's rules
// (ajv runs here: in the webview it would need 'unsafe-eval') and writes "Use these values" into a
// sync profile as an undoable edit.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { getNodeValue, type ParseError, parseTree } from 'jsonc-parser';
import { buildForms, type FormDefinition } from '../../core/forms/formModel';
import { validateForm } from '../../core/forms/formValidation';
import { PROFILE_SECTION_OF, profileSectionEdit } from '../../core/forms/profileValues';
import { DEFAULT_PROFILE, listProfiles, profileFile } from '../../core/sync/profile';

export const PREVIEW_VIEW_TYPE = 'delphix.formsPreview';
const DEBOUNCE_MS = 250;

type FromWebview =
  | { type: 'ready' }
  | { type: 'values'; definition: string; values: unknown; seq: number }
  | { type: 'use'; definition: string; values: unknown };

/** What the test API can see of an open preview. */
export interface PreviewInfo {
  schemaFile: string;
  definitions: string[];
}

export class FormsPreviews implements vscode.Disposable {
  private readonly panels = new Map<string, Preview>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly output: vscode.OutputChannel) {}

  async open(target?: vscode.Uri): Promise<void> {
    const uri = target ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri || !uri.fsPath.endsWith('.json')) {
      void vscode.window.showErrorMessage('Delphix: Preview Forms shows the forms of a plugin\'s schema.json: open the schema file first, then run the command.');
      return;
    }
    const key = uri.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, `Forms: ${path.basename(path.dirname(uri.fsPath))}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    });
    const preview = new Preview(panel, document, this.context, this.output);
    this.panels.set(key, preview);
    panel.onDidDispose(() => {
      this.panels.delete(key);
      preview.dispose();
    });
  }

  info(): PreviewInfo[] {
    return [...this.panels.values()].map((p) => ({ schemaFile: p.document.uri.fsPath, definitions: p.lastForms.map((f) => f.definition) }));
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
  }
}

class Preview implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  lastForms: FormDefinition[] = [];
  private lastSchema: Record<string, unknown> = {};

  constructor(readonly panel: vscode.WebviewPanel, readonly document: vscode.TextDocument, context: vscode.ExtensionContext, private readonly output: vscode.OutputChannel) {
    panel.webview.html = html(panel.webview, context.extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.schedule();
      }),
    );
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sendSchema(), DEBOUNCE_MS);
  }

  private sendSchema(): void {
    this.timer = undefined;
    const errors: ParseError[] = [];
    const root = parseTree(this.document.getText(), errors, { disallowComments: true });
    const value = root ? getNodeValue(root) : undefined;
    if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
      const at = errors.length > 0 ? this.document.positionAt(errors[0].offset) : undefined;
      void this.panel.webview.postMessage({
        type: 'stale',
        message: `schema.json does not parse${at ? ` (line ${at.line + 1})` : ''}: the forms below are from the last version that did.`,
      });
      return;
    }
    this.lastSchema = value as Record<string, unknown>;
    this.lastForms = buildForms(value);
    void this.panel.webview.postMessage({ type: 'schema', forms: this.lastForms, file: this.document.uri.fsPath, profileSections: PROFILE_SECTION_OF });
  }

  private async onMessage(m: FromWebview): Promise<void> {
    try {
      if (m.type === 'ready') this.sendSchema();
      else if (m.type === 'values') {
        const form = this.lastForms.find((f) => f.definition === m.definition);
        if (!form) return;
        const result = validateForm(this.lastSchema[m.definition], form.root, m.values);
        void this.panel.webview.postMessage({ type: 'validation', definition: m.definition, seq: m.seq, ...(result.ok ? { errors: result.errors } : { errors: [], problem: result.message }) });
      } else if (m.type === 'use') await this.useValues(m.definition, m.values);
    } catch (e) {
      this.output.appendLine(`Preview Forms: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`Delphix: the forms preview failed (${e instanceof Error ? e.message : String(e)}); details are in the Delphix output.`);
    }
  }

  private async useValues(definition: string, values: unknown): Promise<void> {
    const form = this.lastForms.find((f) => f.definition === definition);
    const section = PROFILE_SECTION_OF[definition];
    if (!form || !section) return;
    const result = validateForm(this.lastSchema[definition], form.root, values);
    if (!result.ok) {
      void vscode.window.showErrorMessage(`Delphix: the values cannot be checked: ${result.message}.`);
      return;
    }
    if (result.errors.length > 0) {
      const list = result.errors.slice(0, 3).map((e) => `${e.pointer.slice(1).replace(/\//g, '.') || form.title}: ${e.message}`).join('; ');
      void vscode.window.showErrorMessage(`Delphix: fix the form first (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}: ${list}). Nothing was written.`);
      return;
    }
    const pluginRoot = findPluginRoot(this.document.uri.fsPath);
    const names = listProfiles(pluginRoot);
    if (names.length === 0) {
      void vscode.window.showErrorMessage(`Delphix: this plugin has no sync profile yet (${path.join('.delphix', 'sync', `${DEFAULT_PROFILE}.json`)}). Run "Delphix: Sync dSource (simulated)" once to create one, then use the values.`);
      return;
    }
    const name = names.length === 1 ? names[0] : (await vscode.window.showQuickPick(names.map((n) => ({ label: n, description: path.join('.delphix', 'sync', `${n}.json`) })), {
      title: `Use the ${form.title} values in which sync profile?`,
      placeHolder: `The values replace its "${section}"`,
    }))?.label;
    if (!name) return;
    const uri = vscode.Uri.file(profileFile(pluginRoot, name));
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = profileSectionEdit(doc.getText(), definition, result.values);
    if (!edit.ok) {
      void vscode.window.showErrorMessage(`Delphix: cannot write to ${path.basename(uri.fsPath)}: ${edit.message}.`);
      return;
    }
    const we = new vscode.WorkspaceEdit();
    for (const e of edit.edits) we.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
    if (!(await vscode.workspace.applyEdit(we))) {
      void vscode.window.showErrorMessage(`Delphix: VS Code refused the edit to ${uri.fsPath}; nothing was written.`);
      return;
    }
    await doc.save();
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true, preview: false });
    void this.panel.webview.postMessage({ type: 'applied', message: `Written to "${section}" of the sync profile "${name}" (Undo in its editor takes it back).` });
    this.output.appendLine(`Preview Forms: wrote ${section} of ${uri.fsPath}.`);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** The folder of plugin_config.yml above the schema (the plugin root), or the schema's folder. */
function findPluginRoot(schemaFile: string): string {
  let dir = path.dirname(schemaFile);
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'plugin_config.yml'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.dirname(schemaFile);
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = crypto.randomBytes(18).toString('base64url');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'forms.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'forms.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; font-src ${webview.cspSource}; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Delphix forms</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">Reading schema.json…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
