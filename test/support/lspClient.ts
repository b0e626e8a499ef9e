// A minimal LSP client for protocol tests: starts the real bundled server (dist/server.js) as a child
// process and speaks JSON-RPC to it over stdio, as an editor would.
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { URI } from 'vscode-uri';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity?: number; code?: string | number; source?: string; message: string; data?: unknown }[];
}

export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly proc: ChildProcess;
  readonly diagnostics = new Map<string, PublishedDiagnostics['diagnostics']>();
  private waiters: (() => void)[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  stderr = '';
  private versions = new Map<string, number>();

  constructor(options: { settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}) {
    this.proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    this.proc.stderr!.on('data', (d) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => options.settings ?? {}));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async initialize(folder: string): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: URI.file(folder).toString(),
      workspaceFolders: [{ uri: URI.file(folder).toString(), name: path.basename(folder) }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true }, completion: { completionItem: { snippetSupport: true } }, rename: { prepareSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Wait until `predicate` holds, re-checking after every message from the server; fails after `ms`. */
  async waitFor<T>(what: string, predicate: () => T | undefined | false, ms = 10000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = predicate();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  diagnosticsFor(file: string): PublishedDiagnostics['diagnostics'] | undefined {
    return this.diagnostics.get(URI.file(file).toString());
  }

  open(file: string, text: string, languageId = 'plaintext'): void {
    this.versions.set(file, 1);
    this.notify('textDocument/didOpen', { textDocument: { uri: URI.file(file).toString(), languageId, version: 1, text } });
  }

  change(file: string, text: string): void {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    this.notify('textDocument/didChange', { textDocument: { uri: URI.file(file).toString(), version }, contentChanges: [{ text }] });
  }

  close(file: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri: URI.file(file).toString() } });
  }

  watchedFilesChanged(changes: { file: string; type: 1 | 2 | 3 }[]): void {
    this.notify('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: URI.file(c.file).toString(), type: c.type })) });
  }

  /** Fire a notification; a server that is already gone is not an error of the test. */
  private notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params).catch(() => undefined);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** The server's process id (for memory figures from /proc). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** How the server process ended ("exit code 1", "signal SIGKILL"), or undefined while it runs. */
  get exitStatus(): string | undefined {
    if (this.proc.exitCode !== null) return `exit code ${this.proc.exitCode}`;
    if (this.proc.signalCode !== null) return `signal ${this.proc.signalCode}`;
    return undefined;
  }

  get exited(): boolean {
    return this.proc.exitCode !== null;
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      /* the server may already be gone */
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(resolve, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.connection.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

export const fileUri = (file: string) => URI.file(file).toString();
