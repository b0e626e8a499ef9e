// Loads tree-sitter's Python grammar once per process and keeps one parse tree per file version, so
// the cross-check, hover and completion of an unchanged file never parse it again. Tree-sitter
// recovers from syntax errors (ERROR / MISSING nodes), so a half-typed file is still checked in the
// parts that parse.

import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, type Node, type ParseState, type Tree } from 'web-tree-sitter';
import { timings } from '../timings';

export type SyntaxNode = Node;

export interface ParsedFile {
  file: string;
  version: string;
  text: string;
  tree: Tree;
  root: SyntaxNode;
}

/** The bundle (dist/) first, then the installed packages: the server runs from either place. */
function locateWasm(fileName: string, packagePath: string): string {
  const beside = path.join(__dirname, fileName);
  if (fs.existsSync(beside)) return beside;
  try {
    return require.resolve(packagePath);
  } catch {
    throw new Error(
      `Cannot find ${fileName} (looked beside ${__dirname} and in node_modules/${packagePath}). ` +
        'Reinstall the extension, or run `npm install` in a development checkout.',
    );
  }
}

/**
 * Longest one parse may take. Tree-sitter's error recovery can take seconds on binary garbage followed
 * by a lot of code (a 1.7 MB file took 5 s), and the parse runs on the language server's thread.
 */
export const MAX_PARSE_MS = 1500;

/** The parse of a file was given up after MAX_PARSE_MS. */
export class ParseTimeoutError extends Error {}

export class PythonParser {
  constructor(private readonly parser: Parser) {}

  parseText(text: string): Tree {
    const deadline = performance.now() + MAX_PARSE_MS;
    // The callback cancels the parse by returning true (the typings say void).
    const progressCallback = (() => performance.now() > deadline) as unknown as (state: ParseState) => void;
    const tree = this.parser.parse(text, null, { progressCallback });
    if (!tree) {
      // A cancelled parse would otherwise resume on the next call.
      this.parser.reset();
      if (performance.now() > deadline) throw new ParseTimeoutError(`parsing took more than ${MAX_PARSE_MS} ms`);
      throw new Error('tree-sitter returned no tree');
    }
    return tree;
  }

  /** A tree cache of its own for one analysis (trees are freed by the cache that made them). */
  newCache(): ParseCache {
    return new ParseCache(this);
  }
}

export class ParseCache {
  private readonly files = new Map<string, ParsedFile>();

  constructor(private readonly parser: PythonParser) {}

  /** The tree of `text`, reused while the file's version and text are unchanged. */
  parse(file: string, text: string, version: string): ParsedFile {
    const cached = this.files.get(file);
    if (cached && cached.version === version && cached.text === text) return cached;
    const tree = this.parser.parseText(text);
    cached?.tree.delete();
    const parsed: ParsedFile = { file, version, text, tree, root: tree.rootNode };
    this.files.set(file, parsed);
    return parsed;
  }

  get(file: string): ParsedFile | undefined {
    return this.files.get(file);
  }

  /** Forget a file that is gone; frees its tree. */
  forget(file: string): void {
    const cached = this.files.get(file);
    if (!cached) return;
    cached.tree.delete();
    this.files.delete(file);
  }

  clear(): void {
    for (const f of [...this.files.keys()]) this.forget(f);
  }
}

let loading: Promise<PythonParser> | undefined;

/** The shared parser; the wasm runtime and grammar are loaded on the first call only. */
export function loadPythonParser(): Promise<PythonParser> {
  loading ??= timings.spanAsync('parser load (tree-sitter wasm)', async () => {
    const runtime = locateWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    // Bytes rather than paths: web-tree-sitter reads a path with a dynamic import(), which a CLI run
    // from V8's code cache (cli/launch.ts) cannot serve without an experimental flag.
    await Parser.init({ locateFile: () => runtime, wasmBinary: fs.readFileSync(runtime) } as Parameters<typeof Parser.init>[0]);
    const language = await Language.load(fs.readFileSync(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm')));
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser);
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
