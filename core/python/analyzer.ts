// The one object the language server (and the CLI / build) talks to for the Python side of a plugin:
// set the project, feed file changes, ask for problems and editor features.

import * as path from 'path';
import type { AssistItem } from '../assist';
import type { FileSource } from '../files';
import type { Position, Problem } from '../types';
import { completions, definition, hover, prepareRename, references, rename, type HoverResult, type Location, type PrepareRenameResult, type RenameResult } from './features';
import { loadPythonParser, type ParseCache, type ParsedFile, type PythonParser } from './parser';
import { PluginPythonIndex, type AnalysisStats, type Coverage, type EntryPointStatus, type PythonProject } from './pluginIndex';
import type { ImplementedOperation } from './pluginOperations';

export type { AnalysisStats, Coverage, EntryPointStatus, PythonProject } from './pluginIndex';
export type { ImplementedOperation } from './pluginOperations';
export type { HoverResult, Location, PrepareRenameResult, RenameResult } from './features';

export class PythonAnalyzer {
  private readonly index: PluginPythonIndex;

  private constructor(private readonly parses: ParseCache, files: FileSource) {
    this.index = new PluginPythonIndex(files, parses);
  }

  /** Loads the Python grammar (once per process) and makes an analyzer reading through `files`. */
  static async create(files: FileSource): Promise<PythonAnalyzer> {
    const parser = await loadPythonParser();
    return new PythonAnalyzer(parser.newCache(), files);
  }

  /** An analyzer over an already loaded parser (the workspace creates one per plugin synchronously). */
  static fromParser(parser: PythonParser, files: FileSource): PythonAnalyzer {
    return new PythonAnalyzer(parser.newCache(), files);
  }

  /** Set or replace the plugin (config, schema text and its model); re-reads sources when srcDir changes. */
  setProject(project: PythonProject): void {
    this.index.setProject({ ...project, root: path.resolve(project.root), srcDir: path.resolve(project.srcDir), schemaFile: path.resolve(project.schemaFile) });
  }

  get project(): PythonProject | undefined {
    return this.index.current;
  }

  /** A Python file was opened, edited or saved; `text` overrides the FileSource when given. */
  update(file: string, text?: string): void {
    this.index.update(file, text);
  }

  remove(file: string): void {
    this.index.remove(file);
  }

  /** Whether `file` is one of the plugin's analysed sources (under srcDir, outside generated/). */
  owns(file: string): boolean {
    return this.index.isPluginSource(path.resolve(file));
  }

  /** Problems of one Python file. */
  diagnostics(file: string): Problem[] {
    file = path.resolve(file);
    return this.guard(() => this.index.problems(file), () => [this.failure(file)]);
  }

  /** Problems of every Python file of the plugin (files without problems map to []). */
  allDiagnostics(): Map<string, Problem[]> {
    return this.guard(
      () => this.index.problemsByFile(),
      () => new Map(this.index.allModules().map((m) => [m.file, [this.failure(m.file)]])),
    );
  }

  hover(file: string, pos: Position): HoverResult | undefined {
    return this.guard(() => hover(this.index, path.resolve(file), pos), () => undefined);
  }

  definition(file: string, pos: Position): Location[] {
    return this.guard(() => definition(this.index, path.resolve(file), pos), () => []);
  }

  /** Works from a Python use or from a property key in schema.json. */
  references(file: string, pos: Position, includeDeclaration = true): Location[] {
    return this.guard(() => references(this.index, path.resolve(file), pos, includeDeclaration), () => []);
  }

  prepareRename(file: string, pos: Position): PrepareRenameResult {
    return this.guard(() => prepareRename(this.index, path.resolve(file), pos), (e) => ({ error: `Rename is unavailable: the Python analysis failed (${e}).` }));
  }

  /** From schema.json `newName` is the new key; from Python it is the new snake_case name. */
  rename(file: string, pos: Position, newName: string): RenameResult {
    return this.guard(() => rename(this.index, path.resolve(file), pos, newName), (e) => ({ error: `Rename is unavailable: the Python analysis failed (${e}).` }));
  }

  completions(file: string, pos: Position): AssistItem[] {
    return this.guard(() => completions(this.index, path.resolve(file), pos), () => []);
  }

  /** The cached parse of a plugin source (present after the file was analysed). */
  parsed(file: string): ParsedFile | undefined {
    return this.parses.get(path.resolve(file));
  }

  /** The operations the entry point's plugin object implements (for the build manifest). */
  operations(): ImplementedOperation[] {
    return this.index.operations();
  }

  /** Whether plugin_config.yml's entryPoint names a Plugin() object (for a diagnostic on the config). */
  entryPoint(): EntryPointStatus {
    return this.index.entryPointStatus();
  }

  private lastError: string | undefined;

  // A bug in the analysis must not take the language server down: the feature degrades and says why.
  private guard<T>(run: () => T, fallback: (error: string) => T): T {
    try {
      return run();
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      return fallback(this.lastError);
    }
  }

  private failure(file: string): Problem {
    return {
      file,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 'warning',
      code: 'python.analysisFailed',
      dvp: false,
      message: `The Python cross-check stopped with an internal error (${this.lastError}); schema names in this file are not checked. Please report it with the file.`,
    };
  }

  /** Attribute reads on values of generated and SDK classes that were checked, and those from the inputs that could not be followed. */
  coverage(): Coverage {
    return this.guard(() => this.index.coverage(), () => ({ verified: 0, untraced: [] }));
  }

  /** What the last analysis run did: functions, analyses computed, cached analyses reused, milliseconds. */
  lastRunStats(): AnalysisStats {
    return this.index.lastRunStats();
  }

  dispose(): void {
    this.parses.clear();
  }
}

/** One-shot listing of the implemented operations (the build uses it without keeping an analyzer). */
export async function listImplementedOperations(files: FileSource, project: PythonProject): Promise<ImplementedOperation[]> {
  const analyzer = await PythonAnalyzer.create(files);
  try {
    analyzer.setProject(project);
    return analyzer.operations();
  } finally {
    analyzer.dispose();
  }
}
