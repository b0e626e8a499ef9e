// All plugins of a workspace. The language server and the CLI both drive the analysis through this
// class: it discovers plugins, routes a changed file to the plugin(s) it affects, and hands back
// problems per file, so a file that is no longer reported can be cleared.

import * as path from 'path';
import type { FileSource } from '../files';
import type { Problem } from '../types';
import { CONFIG_FILE_NAME, discoverPlugins } from './discovery';
import { PluginAnalyzer, type AnalysisOptions, type InternalErrorReporter, type PluginSnapshot, type PythonSide } from './pluginAnalyzer';

export type PythonSideFactory = (root: string) => PythonSide | undefined;

export class WorkspaceAnalyzer {
  private folders: string[] = [];
  private readonly plugins = new Map<string, PluginAnalyzer>();

  constructor(
    private readonly files: FileSource,
    private options: AnalysisOptions = {},
    private readonly pythonFactory: PythonSideFactory = () => undefined,
    private readonly onInternalError: InternalErrorReporter = () => undefined,
  ) {}

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => path.resolve(f));
    this.rediscover();
  }

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    for (const p of this.plugins.values()) p.setOptions(options);
  }

  /** Find plugins again (a plugin_config.yml was created or deleted). */
  rediscover(): void {
    const roots = new Set(discoverPlugins(this.folders, this.files));
    for (const [root, p] of this.plugins) {
      if (!roots.has(root)) {
        p.python?.dispose?.();
        this.plugins.delete(root);
      }
    }
    for (const root of roots) {
      if (!this.plugins.has(root)) {
        this.plugins.set(root, new PluginAnalyzer(root, this.files, this.options, this.pythonFactory(root), this.onInternalError));
      }
    }
  }

  /** Add one plugin by its root folder (the CLI checks a single plugin without discovery). */
  addPlugin(root: string): PluginAnalyzer {
    const r = path.resolve(root);
    let p = this.plugins.get(r);
    if (!p) {
      p = new PluginAnalyzer(r, this.files, this.options, this.pythonFactory(r), this.onInternalError);
      this.plugins.set(r, p);
    }
    return p;
  }

  all(): PluginAnalyzer[] {
    return [...this.plugins.values()];
  }

  get(root: string): PluginAnalyzer | undefined {
    return this.plugins.get(path.resolve(root));
  }

  /** The plugins a file belongs to (normally one; a shared schema file may serve two). */
  pluginsFor(file: string): PluginAnalyzer[] {
    return this.all().filter((p) => p.owns(file));
  }

  /**
   * Note that a file changed on disk or in an editor. Returns the plugins whose analysis it affects;
   * a created or deleted plugin_config.yml re-runs discovery.
   */
  fileChanged(file: string, kind: 'changed' | 'created' | 'deleted' = 'changed'): PluginAnalyzer[] {
    const f = path.resolve(file);
    if (path.basename(f) === CONFIG_FILE_NAME && kind !== 'changed') this.rediscover();
    const affected = this.all().filter((p) => p.owns(f) || path.dirname(f) === p.root);
    for (const p of affected) if (f.endsWith('.py')) p.python?.fileChanged(f);
    return affected;
  }

  analyze(plugin: PluginAnalyzer): PluginSnapshot {
    return plugin.analyze();
  }

  /** Analyse every plugin; problems keyed by file. */
  analyzeAll(): Map<string, Problem[]> {
    const out = new Map<string, Problem[]>();
    for (const p of this.all()) {
      for (const [file, list] of p.analyze().problems) out.set(file, [...(out.get(file) ?? []), ...list]);
    }
    return out;
  }
}
