// Core data to LSP types. The core already speaks zero-based lines and UTF-16 columns, so this is a
// shape change only.
import { URI } from 'vscode-uri';
import {
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Problem, Severity, TextEdit } from '../../core/types';
import type { AssistItem } from '../../core/assist';
import { ruleDocUrl } from '../../core/ruleDocs';

export const DIAGNOSTIC_SOURCE = 'delphix';

export const uriToPath = (uri: string): string => URI.parse(uri).fsPath;
export const pathToUri = (file: string): string => URI.file(file).toString();

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(p: Problem): Diagnostic {
  const href = ruleDocUrl(p.code);
  // The explanation is a related row of the diagnostic: VS Code shows it under the message in the hover and
  // in the Problems view, so the message itself stays one short line.
  const related = [
    ...(p.detail ? [{ location: { uri: pathToUri(p.file), range: p.range }, message: p.detail }] : []),
    ...(p.related ?? []).map((r) => ({ location: { uri: pathToUri(r.file), range: r.range }, message: r.message })),
  ];
  return {
    range: p.range,
    severity: SEVERITY[p.severity],
    code: p.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
    relatedInformation: related.length > 0 ? related : undefined,
    // The fixes travel with the diagnostic so a code action needs no second analysis.
    data: { fixes: p.data?.fixes ?? [], dvp: p.dvp },
  };
}

export function toWorkspaceEdit(edits: TextEdit[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) (changes[pathToUri(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}

const KIND: Record<AssistItem['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  keyword: CompletionItemKind.Keyword,
  class: CompletionItemKind.Class,
  field: CompletionItemKind.Field,
  snippet: CompletionItemKind.Snippet,
};

export function toCompletionItem(a: AssistItem): CompletionItem {
  const item: CompletionItem = {
    label: a.label,
    kind: KIND[a.kind],
    detail: a.detail,
    documentation: a.documentation ? { kind: MarkupKind.Markdown, value: a.documentation } : undefined,
    sortText: a.sortText,
    insertTextFormat: a.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (a.range) item.textEdit = { range: a.range, newText: a.insertText ?? a.label };
  else if (a.insertText) item.insertText = a.insertText;
  return item;
}
