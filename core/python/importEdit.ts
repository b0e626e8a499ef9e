// The edit that adds `import <module>` to a Python file, where an author would put it: among the plain
// imports in alphabetical order, after them, or before the first statement (after the docstring and
// `from __future__` imports). Shared by every quick fix that needs an import.
import type { TextEdit } from '../types';
import type { LineIndex } from '../text';
import type { SyntaxNode } from './parser';

function named(node: SyntaxNode | null | undefined): SyntaxNode[] {
  return node ? (node.namedChildren.filter(Boolean) as SyntaxNode[]) : [];
}

function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

function importedName(statement: SyntaxNode): string {
  const first = named(statement)[0];
  const name = first?.type === 'aliased_import' ? field(first, 'name') : first;
  return name?.text ?? '';
}

/** The edit adding `import <module>`, or undefined when the file already imports it under its own name. */
export function addImportEdit(file: string, text: string, root: SyntaxNode, lines: LineIndex, module: string): TextEdit | undefined {
  const top = named(root);
  const plainImports = top.filter((s) => s.type === 'import_statement');
  for (const s of plainImports) {
    for (const n of named(s)) {
      const name = n.type === 'aliased_import' ? field(n, 'name') : n;
      if (name?.text === module && (n.type !== 'aliased_import' || field(n, 'alias')?.text === module)) return undefined;
    }
  }
  let line: number;
  const before = plainImports.find((s) => importedName(s) > module);
  if (before) line = lines.positionAt(before.startIndex).line;
  else if (plainImports.length > 0) line = lines.positionAt(plainImports[plainImports.length - 1].endIndex).line + 1;
  else {
    const first = top.find(
      (s) =>
        s.type !== 'comment' &&
        !(s.type === 'expression_statement' && named(s)[0]?.type === 'string') &&
        !(s.type === 'future_import_statement'),
    );
    line = first ? lines.positionAt(first.startIndex).line : lines.lineCount;
  }
  const pos = { line, character: 0 };
  const atEnd = line >= lines.lineCount || (line === lines.lineCount - 1 && lines.lineText(line) === '' && !text.endsWith('\n'));
  return { file, range: { start: pos, end: pos }, newText: atEnd && text.length > 0 && !text.endsWith('\n') ? `\nimport ${module}\n` : `import ${module}\n` };
}
