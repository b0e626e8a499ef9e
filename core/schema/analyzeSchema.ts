// The analysis of a plugin's schema.json: strict JSON syntax, the rules `dvp build` applies (our
// meta-schema), the checks Plugin Studio adds, and the generated-class model that hover, completion,
// the Python cross-check and codegen read. The language server runs it on every keystroke, so it
// parses once, validates with a meta-schema compiled once per SDK rule set, and walks the tree once.

import { shapeProblem } from '../messages';
import { getNodeValue, type Node } from 'jsonc-parser';
import { buildModel, type GeneratedModel, type JsonPath } from '../model';
import { getSdkVersion } from '../sdk/versions';
import { LineIndex } from '../text';
import type { Fix, Problem, Range } from '../types';
import type { CheckContext } from './checkContext';
import { nodeAtPath, propertyAtPath } from './jsonTree';
import { parseStrictJson, printParseErrorCode, type SyntaxIssue } from './jsonSyntax';
import { checkMetaSchema } from './metaValidation';
import { checkForms } from './formChecks';
import { checkSemantics } from './semanticChecks';
import { jsonTooDeepAt, tooDeepDetail, tooDeepMessage } from '../jsonDepth';

export interface SchemaAnalysis {
  file: string;
  problems: Problem[];
  /** Parse tree; present even with syntax errors (best effort). */
  root?: Node;
  /** Parsed value (best effort, from the tree). */
  value?: unknown;
  syntaxOk: boolean;
  model: GeneratedModel;
  /** Offsets to positions of the analysed text (absent on analyses built elsewhere, e.g. for a file too large). */
  lines?: LineIndex;
}

export interface SchemaOptions {
  sdkVersion?: string;
}

const EMPTY_MODEL = (): GeneratedModel => ({ classes: [], byName: new Map(), byDefinition: new Map() });

export { MAX_SCHEMA_DEPTH, jsonTooDeepAt } from '../jsonDepth';

/** Analyse the text of a schema.json. Never throws: anything unexpected becomes a problem. */
export function analyzeSchema(file: string, text: string, options: SchemaOptions = {}): SchemaAnalysis {
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const tooDeep = jsonTooDeepAt(text);
  if (tooDeep !== undefined) {
    problems.push({
      file,
      range: lines.range(tooDeep, tooDeep + 1),
      // An error, not a warning: a file that could not be checked must not pass CI, and the build refuses it.
      severity: 'error',
      code: 'schema.tooDeep',
      message: tooDeepMessage(),
      detail: tooDeepDetail(),
      dvp: false,
    });
    return { file, problems: problems.map(shapeProblem), syntaxOk: false, model: EMPTY_MODEL(), lines };
  }
  let root: Node | undefined;
  let value: unknown;
  let syntaxOk = false;
  try {
    const parsed = parseStrictJson(text);
    root = parsed.root;
    syntaxOk = parsed.issues.length === 0;
    for (const issue of parsed.issues) problems.push(syntaxProblem(file, lines, issue));
    value = root ? getNodeValue(root) : undefined;
  } catch (e) {
    problems.push(internalProblem(file, 'parsing', e));
  }
  let model = EMPTY_MODEL();
  try {
    model = buildModel(value);
  } catch (e) {
    problems.push(internalProblem(file, 'the generated-class model', e));
  }
  if (root) {
    const ctx: CheckContext = { file, text, lines, root, value, model, sdk: getSdkVersion(options.sdkVersion), problems };
    for (const [what, check] of [['the dvp rules', checkMetaSchema], ['the schema checks', checkSemantics], ['the forms checks', checkForms]] as const) {
      try {
        check(ctx);
      } catch (e) {
        problems.push(internalProblem(file, what, e));
      }
    }
  }
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  problems.forEach(shapeProblem);
  return { file, problems, root, value, syntaxOk, model, lines };
}

function syntaxProblem(file: string, lines: LineIndex, issue: SyntaxIssue): Problem {
  const fixes: Fix[] | undefined = issue.fixes?.map((f) => ({
    title: f.title,
    edits: f.edits.map((e) => ({ file, range: lines.range(e.offset, e.offset + e.length), newText: e.newText })),
    ...(f.preferred ? { preferred: true } : {}),
  }));
  return {
    file,
    range: lines.range(issue.offset, issue.offset + issue.length),
    severity: 'error',
    code: issue.code,
    message: issue.message,
    dvp: issue.dvp,
    data: { parseError: printParseErrorCode(issue.parseError), ...(fixes && fixes.length > 0 ? { fixes } : {}) },
  };
}

function internalProblem(file: string, what: string, e: unknown): Problem {
  return {
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'warning',
    code: 'schema.internal',
    message: `Plugin Studio could not finish ${what} of this file (${e instanceof Error ? e.message : String(e)}); other results may be incomplete. Please report this.`,
    dvp: false,
  };
}

function linesOf(analysis: SchemaAnalysis): LineIndex | undefined {
  return analysis.lines;
}

/** The range of the key of the property at `path` (e.g. ['linkedSourceDefinition', 'properties', 'mountLocation']). */
export function keyRange(analysis: SchemaAnalysis, path: JsonPath): Range | undefined {
  const lines = linesOf(analysis);
  const prop = propertyAtPath(analysis.root, path);
  const key = prop?.children?.[0];
  if (!lines || !key) return undefined;
  return lines.range(key.offset, key.offset + key.length);
}

/** The range of the value at `path` ([] is the whole document). */
export function valueRange(analysis: SchemaAnalysis, path: JsonPath): Range | undefined {
  const lines = linesOf(analysis);
  const node = nodeAtPath(analysis.root, path);
  if (!lines || !node) return undefined;
  return lines.range(node.offset, node.offset + node.length);
}
