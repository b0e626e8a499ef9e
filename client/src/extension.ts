import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { PluginStatus } from './statusBar';
import { PluginsChangedNotification, PluginsRequest, type PluginInfo } from '../../protocol/messages';

let client: LanguageClient | undefined;

export interface ExtensionApi {
  /** The plugins the language server found (used by the end-to-end tests and other commands). */
  plugins(): Promise<PluginInfo[]>;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const output = vscode.window.createOutputChannel('Delphix');
  context.subscriptions.push(output);
  const status = new PluginStatus(output);
  context.subscriptions.push(status);

  client = createLanguageClient(context, output);
  const update = (plugins: PluginInfo[]) => {
    status.setPlugins(plugins);
    void vscode.commands.executeCommand('setContext', 'delphix.inPluginWorkspace', plugins.length > 0);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('delphix.showOutput', () => output.show()),
    vscode.commands.registerCommand('delphix.restartServer', async () => {
      output.appendLine('Restarting the Delphix language server.');
      await client?.restart();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => status.refresh()),
  );
  try {
    await client.start();
  } catch (e) {
    // Fail loudly: without the server there are no diagnostics, and the author must know why.
    output.appendLine(`The Delphix language server could not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Delphix Plugin Studio: the language server could not start (${(e as Error).message}).`, 'Show Output').then((a) => a && output.show());
    throw e;
  }
  client.onNotification(PluginsChangedNotification, update);
  update(await client.sendRequest<PluginInfo[]>(PluginsRequest));
  return { plugins: async () => (client ? client.sendRequest<PluginInfo[]>(PluginsRequest) : []) };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
