// Starts the language server (dist/server.js) as a Node child process over IPC. The client restarts a
// crashed server (vscode-languageclient's default error handler restarts up to 4 times in 3 minutes)
// and we say so in the output channel.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';
import { InternalErrorNotification, type InternalErrorParams } from '../../protocol/messages';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  let restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/plugin_config.yml' },
      { scheme: 'file', pattern: '**/*.json' },
      { scheme: 'file', language: 'python' },
    ],
    synchronize: {
      configurationSection: 'delphix',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/{plugin_config.yml,*.json,*.py}'),
        // Creations only, of anything: a plugin folder copied or unzipped in one go may be reported as
        // the folder alone, whose name matches no pattern above. The server rediscovers on it.
        vscode.workspace.createFileSystemWatcher('**/*', false, true, true),
      ],
    },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const now = Date.now();
        restarts = [...restarts.filter((t) => now - t < 180_000), now];
        if (restarts.length > 4) {
          output.appendLine('The Delphix language server crashed 5 times in 3 minutes and will not be restarted. Run "Delphix: Restart Language Server" after fixing the cause shown above.');
          void vscode.window.showErrorMessage('The Delphix language server keeps crashing; it was stopped. See the Delphix output for details.', 'Show Output').then((a) => a && output.show());
          return { action: CloseAction.DoNotRestart };
        }
        output.appendLine(`The Delphix language server stopped unexpectedly; restarting it (${restarts.length} of 4).`);
        void vscode.window.showWarningMessage('The Delphix language server crashed and was restarted.');
        return { action: CloseAction.Restart };
      },
    },
  };
  const client = new LanguageClient('delphix', 'Delphix Plugin Studio', serverOptions, clientOptions);
  client.onNotification(InternalErrorNotification, (p: InternalErrorParams) => {
    output.appendLine(`Internal error in the "${p.rule}" analysis: ${p.message}. The other checks still run. Please report this.`);
  });
  return client;
}
