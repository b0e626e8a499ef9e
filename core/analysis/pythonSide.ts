// Binds the Python cross-check (core/python) to the workspace analysis. Loading the tree-sitter
// parser is asynchronous and can fail (a broken install): then the config and schema checks still run
// and the failure is reported once.

import * as path from 'path';
import type { FileSource } from '../files';
import type { PythonSideFactory } from './workspaceAnalyzer';
import type { PythonProject, PythonSide } from './pluginAnalyzer';
import type { Position, Problem, Range, TextEdit } from '../types';
import type { AssistItem } from '../assist';
import { loadPythonParser, type ParsedFile, type PythonParser } from '../python/parser';
import { findUnquotedShellArguments } from '../sync/shellInjection';
import { PythonAnalyzer, type Coverage } from '../python/analyzer';
import { getSdkVersion } from '../sdk/versions';
import { getLocation } from 'jsonc-parser';
import { LineIndex } from '../text';
import { PROFILE_SECTIONS, renameInProfiles } from '../sync/profile';

export interface Location {
  file: string;
  range: Range;
}

/** What the language server asks the Python side for, beyond diagnostics. */
export interface PythonLanguageFeatures {
  hover(file: string, pos: Position): { markdown: string; range?: Range } | undefined;
  definition(file: string, pos: Position): Location[];
  references(file: string, pos: Position, includeDeclaration: boolean): Location[];
  prepareRename(file: string, pos: Position): { range: Range; placeholder: string } | { error: string } | undefined;
  rename(file: string, pos: Position, newName: string): TextEdit[] | { error: string };
  completions(file: string, pos: Position): AssistItem[];
}

/** One plugin's Python analysis, as the workspace and the server see it. */
export class PythonPluginSide implements PythonSide, PythonLanguageFeatures {
  private readonly analyzer: PythonAnalyzer;
  private active = false;

  constructor(parser: PythonParser, private readonly files: FileSource) {
    this.analyzer = PythonAnalyzer.fromParser(parser, files);
  }

  setProject(p: PythonProject): void {
    // Without an entry point, a plugin type or a readable schema there is nothing to cross-check
    // against; the config and schema diagnostics already say what is missing.
    if (!p.entryPoint || !p.pluginType || !p.schemaFile || p.schemaText === undefined) {
      this.active = false;
      return;
    }
    this.analyzer.setProject({
      root: p.root,
      srcDir: p.srcDir,
      entryPoint: p.entryPoint,
      pluginType: p.pluginType,
      schemaFile: p.schemaFile,
      schemaText: p.schemaText,
      schemaRoot: p.schemaRoot,
      model: p.model,
      multipleStagedMounts: getSdkVersion(p.sdkVersion).multipleStagedMounts,
    });
    this.active = true;
  }

  /** What the cross-check verified and what it could not follow (undefined when the plugin is not analysed). */
  coverage(): Coverage | undefined {
    return this.active ? this.analyzer.coverage() : undefined;
  }

  diagnostics(): Map<string, Problem[]> {
    if (!this.active) return new Map();
    const all = this.analyzer.allDiagnostics();
    const out = new Map<string, Problem[]>();
    for (const [file, list] of all) {
      const parsed = this.analyzer.parsed(file);
      out.set(file, parsed ? [...list, ...this.shellProblems(parsed)] : list);
    }
    return out;
  }

  // The unquoted-shell-argument rule reads the same trees as the cross-check; its result is kept per
  // parse so an unchanged file is not walked again.
  private readonly shellCache = new WeakMap<ParsedFile, Problem[]>();

  private shellProblems(parsed: ParsedFile): Problem[] {
    let problems = this.shellCache.get(parsed);
    if (!problems) {
      problems = findUnquotedShellArguments(parsed.file, parsed.text, parsed.root);
      this.shellCache.set(parsed, problems);
    }
    return problems;
  }

  fileChanged(file: string): void {
    const f = path.resolve(file);
    if (this.files.stat(f) === 'file') this.analyzer.update(f);
    else this.analyzer.remove(f);
  }

  hover(file: string, pos: Position) {
    return this.active ? this.analyzer.hover(file, pos) : undefined;
  }

  definition(file: string, pos: Position): Location[] {
    return this.active ? this.analyzer.definition(file, pos) : [];
  }

  references(file: string, pos: Position, includeDeclaration: boolean): Location[] {
    return this.active ? this.analyzer.references(file, pos, includeDeclaration) : [];
  }

  prepareRename(file: string, pos: Position) {
    return this.active ? this.analyzer.prepareRename(file, pos) : undefined;
  }

  rename(file: string, pos: Position, newName: string): TextEdit[] | { error: string } {
    if (!this.active) return { error: 'The plugin is not analysed yet: fix the errors in plugin_config.yml first.' };
    const r = this.analyzer.rename(file, pos, newName);
    return 'error' in r ? r : [...r.edits, ...this.profileRenames(r.edits)];
  }

  /**
   * A renamed property of a definition is also a key in the sync profiles' value sections
   * (`linkedSource`, `repository`, ...): rename it there too, or the next sync fails validation.
   */
  private profileRenames(edits: TextEdit[]): TextEdit[] {
    const project = this.analyzer.project;
    if (!project) return [];
    const schemaFile = path.resolve(project.schemaFile);
    const lines = new LineIndex(project.schemaText);
    for (const e of edits) {
      if (path.resolve(e.file) !== schemaFile) continue;
      const loc = getLocation(project.schemaText, lines.offsetAt(e.range.start) + 1);
      const [definition, props, oldKey] = loc.path;
      if (!loc.isAtPropertyKey || loc.path.length !== 3 || props !== 'properties' || typeof definition !== 'string' || typeof oldKey !== 'string') continue;
      const section = PROFILE_SECTIONS.find((s) => s.definition === definition)?.key;
      const newKey = e.newText.replace(/^"|"$/g, '');
      if (!section || newKey === oldKey) return [];
      return renameInProfiles(this.files, project.root, section, oldKey, newKey);
    }
    return [];
  }

  completions(file: string, pos: Position): AssistItem[] {
    return this.active ? this.analyzer.completions(file, pos) : [];
  }

  operations() {
    return this.active ? this.analyzer.operations() : [];
  }

  dispose(): void {
    this.analyzer.dispose();
  }
}

export async function createPythonSideFactory(files: FileSource, report: (message: string) => void): Promise<PythonSideFactory> {
  let parser: PythonParser;
  try {
    parser = await loadPythonParser();
  } catch (e) {
    report(
      `The Python parser (tree-sitter) could not be loaded, so the Python code is not cross-checked: ${(e as Error).message}. ` +
        'The plugin_config.yml and schema.json checks still run. Reinstalling the extension (or `npm ci`) usually fixes this.',
    );
    return () => undefined;
  }
  return () => new PythonPluginSide(parser, files);
}
