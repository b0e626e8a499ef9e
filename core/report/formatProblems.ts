// Problem output for terminals and tools: the `file:line:col severity message` lines authors gate CI on,
// JSON for scripts, and SARIF 2.1.0 for code-scanning dashboards.

import * as path from 'path';
import { visibleText } from '../text';
import type { Problem, Range, Severity } from '../types';
import type { HiddenCounts } from './capFindings';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity] ||
      a.message.localeCompare(b.message),
  );
}

function rel(cwd: string, file: string): string {
  const r = path.relative(cwd, file);
  return r.startsWith('..') || path.isAbsolute(r) ? file : r;
}

/**
 * JSON.stringify escapes C0 controls but passes DEL, C1 controls and bidi overrides through; inside a
 * JSON string they may be written as \u escapes, and outside strings JSON has none, so this is safe.
 */
function jsonVisible(json: string): string {
  return json.replace(/[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line per problem, one-based line and column, as compilers print them. */
export function formatText(problems: Problem[], cwd: string): string {
  return sortProblems(problems)
    .map((p) => visibleText(`${rel(cwd, p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.message.replace(/\n/g, ' ')} [${p.code}]`))
    .join('\n');
}

/** Totals; a summary of findings left out of the list (capFindings) counts what it stands for. */
export function summarize(problems: Problem[]): { errors: number; warnings: number; other: number } {
  let errors = 0;
  let warnings = 0;
  let other = 0;
  for (const p of problems) {
    const hidden = p.data?.hidden as HiddenCounts | undefined;
    if (hidden && typeof hidden.errors === 'number') {
      errors += hidden.errors;
      warnings += hidden.warnings;
      other += hidden.other;
    } else if (p.severity === 'error') errors++;
    else if (p.severity === 'warning') warnings++;
    else other++;
  }
  return { errors, warnings, other };
}

/** What the Python cross-check verified in one plugin, and the reads on its inputs it could not follow. */
export interface CoverageReport {
  plugin: string;
  verified: number;
  untraced: { file: string; range: Range; reason: string }[];
}

/** One line per plugin: how much of the plugin's use of its inputs was checked. */
export function formatCoverageLine(c: CoverageReport, cwd: string): string {
  const name = rel(cwd, c.plugin) || '.';
  const untraced =
    c.untraced.length === 0
      ? 'none on the operations\' inputs left untraced'
      : `${c.untraced.length} on the operations' inputs could not be traced and were not checked (--format json lists each with its reason)`;
  return `${name}: ${c.verified} attribute read${c.verified === 1 ? '' : 's'} on schema and SDK objects verified, ${untraced}.`;
}

export function formatJson(problems: Problem[], cwd: string, coverage?: CoverageReport[]): string {
  return jsonVisible(JSON.stringify(
    {
      summary: summarize(problems),
      ...(coverage
        ? {
            coverage: coverage.map((c) => ({
              plugin: rel(cwd, c.plugin) || '.',
              verified: c.verified,
              untraced: c.untraced.map((u) => ({ file: rel(cwd, u.file), line: u.range.start.line + 1, column: u.range.start.character + 1, reason: u.reason })),
            })),
          }
        : {}),
      problems: sortProblems(problems).map((p) => ({
        file: rel(cwd, p.file),
        line: p.range.start.line + 1,
        column: p.range.start.character + 1,
        endLine: p.range.end.line + 1,
        endColumn: p.range.end.character + 1,
        severity: p.severity,
        code: p.code,
        message: p.message,
        reportedByDvp: p.dvp,
        ...(p.data?.hidden ? { hidden: p.data.hidden } : {}),
      })),
    },
    null,
    2,
  ));
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(problems: Problem[], cwd: string, toolVersion: string): string {
  const sorted = sortProblems(problems);
  const ruleIds = [...new Set(sorted.map((p) => p.code))].sort();
  const toUri = (file: string) => rel(cwd, file).split(path.sep).map(encodeURIComponent).join('/');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Delphix Plugin Studio',
            version: toolVersion,
            informationUri: 'https://github.com/delphix/virtualization-sdk',
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: id } })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: 'file://' + cwd.split(path.sep).map(encodeURIComponent).join('/') + '/' } },
        results: sorted.map((p) => ({
          ruleId: p.code,
          ruleIndex: ruleIds.indexOf(p.code),
          level: SARIF_LEVEL[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(p.file), uriBaseId: 'SRCROOT' },
                region: {
                  startLine: p.range.start.line + 1,
                  startColumn: p.range.start.character + 1,
                  endLine: p.range.end.line + 1,
                  endColumn: p.range.end.character + 1,
                },
              },
            },
          ],
          properties: { reportedByDvp: p.dvp },
        })),
      },
    ],
  };
  return jsonVisible(JSON.stringify(sarif, null, 2));
}
