// The Delphix Plugin Studio language server: a thin adapter from LSP to the core analysis.
// Editor buffers are layered over the disk, so unsaved edits count and files that are not open are
// read from disk; every change re-analyses only the plugin(s) it affects.

import {
  CodeAction,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  FileChangeType,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'path';
import { DiskFiles, OverlayFiles } from '../../core/files';
import { WorkspaceAnalyzer } from '../../core/analysis/workspaceAnalyzer';
import { isInSkippedDir } from '../../core/analysis/discovery';
import type { PluginAnalyzer } from '../../core/analysis/pluginAnalyzer';
import { createPythonSideFactory, type PythonLanguageFeatures } from '../../core/analysis/pythonSide';
import type { PythonSideFactory } from '../../core/analysis/workspaceAnalyzer';
import { configCompletions, configHover } from '../../core/config/configAssist';
import { schemaCompletions, schemaHover } from '../../core/schema/schemaAssist';
import { profileCompletions } from '../../core/sync/profileAssist';
import type { Fix, Problem } from '../../core/types';
import { summarize } from '../../core/report/formatProblems';
import { fixAllEdits } from '../../core/fixAll';
import { LineIndex } from '../../core/text';
import { BaselineStore, upgradeChecks } from '../../core/upgrade/analysisHook';
import { pathToUri, toCompletionItem, toDiagnostic, toWorkspaceEdit, uriToPath } from './convert';
import {
  InternalErrorNotification,
  PluginsChangedNotification,
  PluginsRequest,
  RediscoverRequest,
  type PluginInfo,
  type ServerSettings,
} from '../../protocol/messages';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const files = new OverlayFiles(new DiskFiles());
const reportedRules = new Set<string>();

function reportInternalError(rule: string, error: unknown): void {
  const message = (error as Error)?.stack ?? String(error);
  connection.console.error(`[${rule}] ${message}`);
  // One notification per rule: a rule that fails on every keystroke must not flood the author.
  if (!reportedRules.has(rule)) {
    reportedRules.add(rule);
    connection.sendNotification(InternalErrorNotification, { rule, message: (error as Error)?.message ?? String(error) });
  }
}

let pythonFactory: PythonSideFactory = () => undefined;
let workspace = new WorkspaceAnalyzer(files, {}, (root) => pythonFactory(root), reportInternalError);
let folders: string[] = [];
let settings: ServerSettings = {};
let hasConfigurationCapability = false;
// The upgrade guard's baselines load in the background; the plugin is re-analysed when its baseline is there.
const baselines = new BaselineStore(undefined, (root) => {
  const p = workspace.get(root);
  if (p) schedule([p]);
});
const analysisOptions = () => ({ sdkVersion: settings.sdkVersion, extraChecks: upgradeChecks(baselines) });
const published = new Map<string, Set<string>>(); // plugin root -> files with diagnostics
const lastProblems = new Map<string, Problem[]>(); // file -> what was last published for it (for fix-all)
const pending = new Set<PluginAnalyzer>();
let timer: NodeJS.Timeout | undefined;
let ready: Promise<void> = Promise.resolve();

connection.onInitialize((params): InitializeResult => {
  folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
  if (folders.length === 0 && params.rootUri) folders = [uriToPath(params.rootUri)];
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', '"', ':', ' ', '(', ',', '-'] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'Delphix Plugin Studio' },
  };
});

connection.onInitialized(async () => {
  if (hasConfigurationCapability) {
    connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  }
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
    folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri))];
    workspace.setFolders(folders);
    scheduleAll();
  });
  ready = (async () => {
    pythonFactory = await createPythonSideFactory(files, (m) => connection.console.warn(m));
    settings = await readSettings();
    baselines.setSpec(settings.upgradeBaseline);
    workspace = new WorkspaceAnalyzer(files, analysisOptions(), (root) => pythonFactory(root), reportInternalError);
    workspace.setFolders(folders);
  })();
  await ready;
  scheduleAll();
});

async function readSettings(): Promise<ServerSettings> {
  if (!hasConfigurationCapability) return {};
  try {
    const s = (await connection.workspace.getConfiguration({ section: 'delphix' })) as ServerSettings | null;
    return { sdkVersion: s?.sdkVersion || undefined, upgradeBaseline: (s as { upgrade?: { baseline?: string } } | null)?.upgrade?.baseline || undefined };
  } catch {
    return {};
  }
}

connection.onDidChangeConfiguration(async () => {
  await ready;
  settings = await readSettings();
  // A changed setting, or the same one saved again (the ref may have moved): the baseline is loaded anew.
  baselines.setSpec(settings.upgradeBaseline);
  baselines.refresh();
  workspace.setOptions(analysisOptions());
  scheduleAll();
});

function scheduleAll(): void {
  for (const p of workspace.all()) pending.add(p);
  flushSoon();
}

function schedule(list: PluginAnalyzer[]): void {
  for (const p of list) pending.add(p);
  flushSoon();
}

// A change after a pause is analysed at once (the author waits for nothing but the analysis). Changes
// closer together than a person types (key repeat, a burst of edits from a command, messages queued while
// an analysis ran) are folded into one analysis after a short delay, not analysed one by one.
const BURST_GAP_MS = 30;
const BURST_DELAY_MS = 25;
let lastScheduled = 0;
let timerIsBurst = false;

function flushSoon(): void {
  const now = Date.now();
  const burst = now - lastScheduled < BURST_GAP_MS;
  lastScheduled = now;
  if (timer && (timerIsBurst || !burst)) return;
  if (timer) clearTimeout(timer);
  timerIsBurst = burst;
  timer = setTimeout(flush, burst ? BURST_DELAY_MS : 0);
}

/** Analyse and publish what is pending now (also before answering a request that reads the results). */
function flush(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const list = [...pending];
  pending.clear();
  for (const p of list) publish(p);
  if (list.length > 0) connection.sendNotification(PluginsChangedNotification, { plugins: pluginInfos() });
}

function publish(plugin: PluginAnalyzer): void {
  let snapshot;
  try {
    snapshot = plugin.analyze();
  } catch (e) {
    reportInternalError('analysis', e);
    return;
  }
  const previous = published.get(plugin.root) ?? new Set<string>();
  const now = new Set<string>();
  for (const file of previous) lastProblems.delete(file);
  for (const [file, problems] of snapshot.problems) {
    now.add(file);
    lastProblems.set(file, problems);
    connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: problems.map(toDiagnostic) });
  }
  for (const file of previous) if (!now.has(file)) connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: [] });
  published.set(plugin.root, now);
  counts.set(plugin.root, countOf(snapshot.problems));
}

const counts = new Map<string, { errors: number; warnings: number }>();
/** The totals the CLI prints, counting the findings a capped rule left out of the list. */
function countOf(problems: Map<string, Problem[]>) {
  const { errors, warnings } = summarize([...problems.values()].flat());
  return { errors, warnings };
}

function pluginInfos(): PluginInfo[] {
  return workspace.all().map((p) => {
    const c = p.configAnalysis?.config;
    const n = counts.get(p.root) ?? { errors: 0, warnings: 0 };
    return { root: p.root, id: c?.id, name: c?.name, pluginType: c?.pluginType, configFile: p.configFile, schemaFile: c?.schemaFilePath, srcDir: c?.srcDirPath, ...n };
  });
}

connection.onRequest(PluginsRequest, async () => {
  await ready;
  // Answer with analysed plugins only: a plugin whose analysis is pending (a settings change, a new
  // folder) would otherwise be listed without its id, name or schema file.
  for (const p of workspace.all()) if (!counts.has(p.root) || !p.configAnalysis) pending.add(p);
  flush();
  return pluginInfos();
});

/** Request from the client after it created files the file watcher may report late or only as a folder. */
connection.onRequest(RediscoverRequest, async () => {
  await ready;
  workspace.rediscover();
  for (const p of workspace.all()) pending.add(p);
  flush();
  return pluginInfos();
});

function onText(doc: TextDocument): void {
  const file = uriToPath(doc.uri);
  files.set(file, doc.getText(), doc.version);
  schedule(workspace.fileChanged(file));
}

documents.onDidOpen((e) => onText(e.document));
documents.onDidChangeContent((e) => onText(e.document));
documents.onDidClose((e) => {
  const file = uriToPath(e.document.uri);
  files.delete(file);
  schedule(workspace.fileChanged(file));
});

connection.onDidChangeWatchedFiles(async (params) => {
  await ready;
  const affected = new Set<PluginAnalyzer>();
  let rediscover = false;
  for (const change of params.changes) {
    const file = uriToPath(change.uri);
    if (files.has(file)) continue; // the open buffer wins over the disk
    const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
    for (const p of workspace.fileChanged(file, kind)) affected.add(p);
    // A folder created (or copied, or unzipped) in one go may be reported without the files in it;
    // one rediscovery per batch, and none for folders discovery skips (sandboxes, build output).
    if (kind === 'created' && !rediscover && files.stat(file) === 'dir' && !isInSkippedDir(file, folders)) rediscover = true;
    // A deleted folder that held a plugin takes the plugin with it.
    if (kind === 'deleted' && workspace.all().some((p) => p.root === file || p.root.startsWith(file + path.sep))) rediscover = true;
    if (path.basename(file) === 'plugin_config.yml' && kind !== 'changed') for (const p of workspace.all()) affected.add(p);
  }
  if (rediscover) {
    workspace.rediscover();
    for (const p of workspace.all()) affected.add(p);
  }
  schedule([...affected]);
});

/** Which kind of plugin file a document is, and its plugin. */
function classify(uri: string): { file: string; plugin?: PluginAnalyzer; kind: 'config' | 'schema' | 'python' | 'profile' | 'other' } {
  const file = uriToPath(uri);
  for (const p of workspace.all()) {
    if (file === p.configFile) return { file, plugin: p, kind: 'config' };
    if (p.schemaFile && path.resolve(p.schemaFile) === file) return { file, plugin: p, kind: 'schema' };
    if (file.endsWith('.py') && p.owns(file)) return { file, plugin: p, kind: 'python' };
    if (file.endsWith('.json') && p.owns(file)) return { file, plugin: p, kind: 'profile' };
  }
  return { file, kind: 'other' };
}

function pythonFeatures(p: PluginAnalyzer | undefined): PythonLanguageFeatures | undefined {
  const side = p?.python as unknown as Partial<PythonLanguageFeatures> | undefined;
  return side && typeof side.hover === 'function' ? (side as PythonLanguageFeatures) : undefined;
}

/** Run a feature with the analysis up to date; a failing feature answers empty instead of erroring. */
async function feature<T>(name: string, uri: string, empty: T, fn: (c: ReturnType<typeof classify>, text: string) => T): Promise<T> {
  await ready;
  const c = classify(uri);
  if (!c.plugin) return empty;
  try {
    // Only a plugin with an edit not yet analysed needs the analysis first; the rest is up to date.
    if (pending.has(c.plugin)) flush();
    return fn(c, files.readText(c.file) ?? '');
  } catch (e) {
    reportInternalError(name, e);
    return empty;
  }
}

connection.onCompletion((params) =>
  feature('completion', params.textDocument.uri, [], (c, text) => {
    const p = c.plugin!;
    if (c.kind === 'config') return configCompletions(text, params.position, { sdkVersion: settings.sdkVersion }).map(toCompletionItem);
    if (c.kind === 'schema' && p.schemaAnalysis) return schemaCompletions(p.schemaAnalysis, text, new LineIndex(text).offsetAt(params.position)).map(toCompletionItem);
    if (c.kind === 'python') return (pythonFeatures(p)?.completions(c.file, params.position) ?? []).map(toCompletionItem);
    if (c.kind === 'profile') return profileCompletions(text, params.position, p.schemaAnalysis?.value).map(toCompletionItem);
    return [];
  }),
);

connection.onHover((params) =>
  feature('hover', params.textDocument.uri, null, (c, text) => {
    const p = c.plugin!;
    let h: { markdown: string; range?: import('../../core/types').Range } | undefined;
    if (c.kind === 'config') h = configHover(text, params.position, { sdkVersion: settings.sdkVersion });
    else if (c.kind === 'schema' && p.schemaAnalysis) h = schemaHover(p.schemaAnalysis, text, new LineIndex(text).offsetAt(params.position));
    else if (c.kind === 'python') h = pythonFeatures(p)?.hover(c.file, params.position);
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: h.range } : null;
  }),
);

connection.onDefinition((params) =>
  feature('definition', params.textDocument.uri, [], (c) =>
    (pythonFeatures(c.plugin)?.definition(c.file, params.position) ?? []).map((l) => ({ uri: pathToUri(l.file), range: l.range })),
  ),
);

connection.onReferences((params) =>
  feature('references', params.textDocument.uri, [], (c) =>
    (pythonFeatures(c.plugin)?.references(c.file, params.position, params.context.includeDeclaration) ?? []).map((l) => ({
      uri: pathToUri(l.file),
      range: l.range,
    })),
  ),
);

connection.onPrepareRename(async (params) => {
  const r = await feature('prepareRename', params.textDocument.uri, undefined as ReturnType<PythonLanguageFeatures['prepareRename']>, (c) =>
    pythonFeatures(c.plugin)?.prepareRename(c.file, params.position),
  );
  if (!r) return null;
  if ('error' in r) throw new ResponseError(0, r.error);
  return r;
});

connection.onRenameRequest(async (params) => {
  const r = await feature('rename', params.textDocument.uri, undefined as ReturnType<PythonLanguageFeatures['rename']> | undefined, (c) =>
    pythonFeatures(c.plugin)?.rename(c.file, params.position, params.newName),
  );
  if (!r) return null;
  if ('error' in r) throw new ResponseError(0, r.error);
  return toWorkspaceEdit(r);
});

// "Run sync" / "Debug sync" above the linked operations that a sync runs, so the author can try the
// operation they are writing without leaving it.
const SYNC_LENS_OPERATIONS = new Set(['linked.pre_snapshot', 'linked.post_snapshot', 'linked.mount_specification']);
connection.onCodeLens((params) =>
  feature('codeLens', params.textDocument.uri, [], (c, text) => {
    if (c.kind !== 'python') return [];
    const lines = new LineIndex(text);
    const side = c.plugin!.python as unknown as { operations?: () => { id: string; file: string; range: import('../../core/types').Range }[] } | undefined;
    const ops = side?.operations?.() ?? [];
    return ops
      .filter((o) => o.file === c.file && SYNC_LENS_OPERATIONS.has(o.id))
      .flatMap((o) => {
        // Above the decorators, not between them and the `def`.
        let line = o.range.start.line;
        while (line > 0 && lines.lineText(line - 1).trimStart().startsWith('@')) line--;
        const range = { start: { line, character: 0 }, end: { line, character: 0 } };
        return [
          { range, command: { title: '$(sync) Run sync (simulated)', command: 'delphix.syncDSource', arguments: [c.plugin!.root] } },
          { range, command: { title: '$(debug-alt) Debug sync', command: 'delphix.debugSync', arguments: [c.plugin!.root] } },
        ];
      });
  }),
);

/** Whether the client asked for code actions of `kind` (no filter asks for quick fixes only). */
function wants(only: string[] | undefined, kind: string): boolean {
  if (!only) return kind === CodeActionKind.QuickFix;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

connection.onCodeAction(async (params) => {
  const actions: CodeAction[] = [];
  const only = params.context.only;
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      const fixes = ((d.data as { fixes?: Fix[] } | undefined)?.fixes ?? []) as Fix[];
      for (const f of fixes) {
        actions.push({ title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: f.preferred, edit: toWorkspaceEdit(f.edits) });
      }
    }
  }
  if (wants(only, CodeActionKind.SourceFixAll)) {
    // Every preferred fix of the file at once (editor.codeActionsOnSave "source.fixAll"), from the
    // analysis of the current text, each shared edit (an added import) once.
    await ready;
    const c = classify(params.textDocument.uri);
    if (c.plugin && pending.has(c.plugin)) flush();
    const edits = fixAllEdits(lastProblems.get(c.file) ?? [], c.file);
    if (edits.length > 0) actions.push({ title: 'Fix all Delphix problems', kind: CodeActionKind.SourceFixAll, edit: toWorkspaceEdit(edits) });
  }
  return actions;
});

process.on('uncaughtException', (e) => reportInternalError('uncaught', e));
process.on('unhandledRejection', (e) => reportInternalError('unhandled', e));

documents.listen(connection);
connection.listen();
