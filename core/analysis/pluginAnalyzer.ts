// One plugin's analysis: plugin_config.yml, its schema file and its Python code, kept up to date
// incrementally. Each part is recomputed only when one of its inputs changed version, and a rule that
// throws is contained here: its failure becomes one diagnostic and the other parts still report.

import type { Node as JsonNode } from 'jsonc-parser';
import * as path from 'path';
import type { FileSource } from '../files';
import { MAX_ANALYSED_FILE_BYTES, MAX_CONFIG_FILE_BYTES, readSourceWithin, tooLargeMessage } from '../files';
import { capFindings, countHidden } from '../report/capFindings';
import { visibleText } from '../text';
import type { Problem } from '../types';
import { ZERO_RANGE } from '../types';
import { analyzeConfig, type ConfigAnalysis } from '../config/analyzeConfig';
import { analyzeSchema, type SchemaAnalysis } from '../schema/analyzeSchema';
import type { GeneratedModel } from '../model';
import { CONFIG_FILE_NAME } from './discovery';
import { checkProfileText, PROFILE_DIR } from '../sync/profile';
import { sandboxLayout } from '../sync/sandbox';
import type { ExtraChecks } from '../upgrade/analysisHook';
import { timings } from '../timings';

export interface AnalysisOptions {
  /** The SDK whose rules apply (default: the current SDK). */
  sdkVersion?: string;
  /** Checks run after the others on the finished analyses (the upgrade guard plugs in here). */
  extraChecks?: ExtraChecks;
}

/** The Python side plugs in here; it is optional so config/schema checks work without the parser. */
export interface PythonSide {
  setProject(project: PythonProject): void;
  /** Problems per Python file (absolute paths), recomputed incrementally. */
  diagnostics(): Map<string, Problem[]>;
  /** Tell the analysis that a file under srcDir changed (or was created/deleted). */
  fileChanged(file: string): void;
  dispose?(): void;
}

export interface PythonProject {
  root: string;
  srcDir: string;
  entryPoint?: string;
  pluginType?: 'STAGED' | 'DIRECT';
  schemaFile?: string;
  schemaText?: string;
  /** The parse tree of `schemaText` when it parsed without errors. */
  schemaRoot?: JsonNode;
  model: GeneratedModel;
  sdkVersion?: string;
}

export interface PluginSnapshot {
  root: string;
  configFile: string;
  config?: ConfigAnalysis;
  schema?: SchemaAnalysis;
  /** The last schema model that parsed, so a half-typed schema does not flood the code with errors. */
  model?: GeneratedModel;
  problems: Map<string, Problem[]>;
}

export type InternalErrorReporter = (rule: string, error: unknown) => void;

export class PluginAnalyzer {
  readonly configFile: string;
  private config?: { version: string; analysis: ConfigAnalysis };
  private schema?: { file: string; version: string; analysis: SchemaAnalysis };
  private goodModel?: GeneratedModel;
  private pythonKey = '';

  constructor(
    readonly root: string,
    private readonly files: FileSource,
    private options: AnalysisOptions = {},
    readonly python?: PythonSide,
    private readonly onInternalError: InternalErrorReporter = () => undefined,
  ) {
    this.configFile = path.join(root, CONFIG_FILE_NAME);
  }

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.config = undefined;
    this.schema = undefined;
    this.pythonKey = '';
  }

  /** Files whose change affects this plugin's config/schema analysis (Python files are the Python side's). */
  get schemaFile(): string | undefined {
    return this.config?.analysis.config.schemaFilePath;
  }

  get srcDir(): string | undefined {
    return this.config?.analysis.config.srcDirPath;
  }

  /** Whether `file` belongs to this plugin: its config, its schema, a sync profile, or a file under its srcDir. */
  owns(file: string): boolean {
    const f = path.resolve(file);
    if (f === this.configFile) return true;
    if (this.isProfile(f)) return true;
    if (this.schemaFile && f === path.resolve(this.schemaFile)) return true;
    const src = this.srcDir;
    return !!src && f.startsWith(path.resolve(src) + path.sep);
  }

  private isProfile(file: string): boolean {
    return path.dirname(file) === path.join(this.root, PROFILE_DIR) && file.endsWith('.json');
  }

  /** The sync profiles' values checked against the plugin's own schema, with ranges in the profile. */
  private analyzeProfiles(schema: SchemaAnalysis | undefined): Problem[] {
    const dir = path.join(this.root, PROFILE_DIR);
    const out: Problem[] = [];
    for (const name of this.files.list(dir)) {
      const file = path.join(dir, name);
      if (!name.endsWith('.json') || this.files.stat(file) !== 'file') continue;
      const read = this.read(file);
      if (!read) continue;
      if ('problems' in read) {
        out.push(...read.problems);
        continue;
      }
      const text = read.text;
      const r = this.guard('sync profile', () =>
        checkProfileText(file, text, { pluginRoot: this.root, sandbox: sandboxLayout(this.root, name.slice(0, -5)).root, pluginSchema: schema?.syntaxOk ? schema.value : undefined }),
      );
      if (r) for (const p of r.problems) out.push(p);
    }
    return out;
  }

  analyze(): PluginSnapshot {
    const problems = new Map<string, Problem[]>();
    const add = (list: Problem[]) => {
      for (const p of list) {
        const arr = problems.get(p.file) ?? [];
        arr.push(p);
        problems.set(p.file, arr);
      }
    };

    const config = this.analyzeConfigFile();
    if (config) add(config.problems);
    const schema = config ? this.analyzeSchemaFile(config) : undefined;
    if (schema) add(schema.problems);
    if (schema?.syntaxOk) this.goodModel = schema.model;
    if (config) add(this.analyzeProfiles(schema));

    let pythonAnalysed = false;
    // Code outside the plugin folder is not cross-checked: dvp build refuses such a srcDir (the config
    // says so), and `srcDir: ../../..` would have the analysis parse every Python file of the disk.
    if (this.python && config?.config.srcDirPath && isInside(this.root, config.config.srcDirPath) && this.goodModel) {
      const c = config.config;
      const key = [c.srcDirPath, c.entryPoint, c.pluginType, this.schema?.version, this.options.sdkVersion].join('\0');
      if (key !== this.pythonKey) {
        this.guard('python.project', () =>
          this.python!.setProject({
            root: this.root,
            srcDir: c.srcDirPath!,
            entryPoint: c.entryPoint,
            pluginType: c.pluginType,
            schemaFile: c.schemaFilePath,
            schemaText: this.schema?.file === c.schemaFilePath ? this.schema?.analysis.lines?.text : undefined,
            schemaRoot: this.schema?.file === c.schemaFilePath && this.schema?.analysis.syntaxOk ? this.schema?.analysis.root : undefined,
            model: this.goodModel!,
            sdkVersion: this.options.sdkVersion,
          }),
        );
        this.pythonKey = key;
      }
      const py = this.guard('python', () => this.python!.diagnostics());
      if (py) for (const list of py.values()) add(list);
      pythonAnalysed = true;
    }
    if (this.options.extraChecks && config) {
      const extra = this.guard('upgrade', () => this.options.extraChecks!({ root: this.root, config, schema, python: pythonAnalysed ? this.python : undefined, files: this.files }));
      if (extra) add(extra);
    }
    for (const [file, list] of problems) {
      const perRule = capFindings(file, list.map(withVisibleText));
      problems.set(file, perRule.length > MAX_PROBLEMS_PER_FILE ? capped(file, perRule) : perRule);
    }
    return { root: this.root, configFile: this.configFile, config, schema, model: this.goodModel, problems };
  }

  /** The current analyses without recomputing anything that is up to date. */
  get configAnalysis(): ConfigAnalysis | undefined {
    return this.config?.analysis;
  }

  get schemaAnalysis(): SchemaAnalysis | undefined {
    return this.schema?.analysis;
  }

  get model(): GeneratedModel | undefined {
    return this.goodModel;
  }

  private analyzeConfigFile(): ConfigAnalysis | undefined {
    // Not cached: the result also depends on whether srcDir, the schema file and the entry module
    // exist, and the analysis of a few lines of YAML costs less than tracking all of that.
    const version = this.files.version(this.configFile) ?? 'missing';
    const read = this.read(this.configFile, MAX_CONFIG_FILE_BYTES);
    if (!read) return undefined;
    const analysis: ConfigAnalysis | undefined =
      'problems' in read
        ? { file: this.configFile, root: this.root, problems: read.problems, config: { ranges: {} } }
        : this.guard('config', () => analyzeConfig(this.configFile, read.text, this.files, { sdkVersion: this.options.sdkVersion }));
    if (!analysis) return undefined;
    this.config = { version, analysis };
    return analysis;
  }

  private analyzeSchemaFile(config: ConfigAnalysis): SchemaAnalysis | undefined {
    const file = config.config.schemaFilePath;
    if (!file) return undefined;
    const version = this.files.version(file) ?? 'missing';
    if (this.schema && this.schema.file === file && this.schema.version === version) return this.schema.analysis;
    const read = this.read(file);
    if (!read) return undefined;
    const analysis: SchemaAnalysis | undefined =
      'problems' in read
        ? { file, problems: read.problems, syntaxOk: false, model: { classes: [], byName: new Map(), byDefinition: new Map() } }
        : this.guard('schema', () => analyzeSchema(file, read.text, { sdkVersion: this.options.sdkVersion }));
    if (!analysis) return undefined;
    this.schema = { file, version, analysis };
    return analysis;
  }

  /**
   * A plugin file's text, or the problem saying it is too large: the size is checked before the file is
   * read. An error, not a warning: a file that could not be checked must not pass CI, and the build
   * refuses it with the same message.
   */
  private read(file: string, limit = MAX_ANALYSED_FILE_BYTES): { text: string } | { problems: Problem[] } | undefined {
    const r = readSourceWithin(this.files, file, limit);
    if (!r || 'text' in r) return r;
    return { problems: [{ file, range: ZERO_RANGE, severity: 'error', code: 'file.tooLarge', message: tooLargeMessage(file, r.tooLarge, limit), dvp: false }] };
  }

  private guard<T>(rule: string, fn: () => T): T | undefined {
    try {
      injectFault(rule);
      return timings.span(`check: ${rule}`, fn);
    } catch (e) {
      this.onInternalError(rule, e);
      return undefined;
    }
  }
}

/**
 * Most problems reported for one file. A broken 3 MB file can have 100,000 of them: sent to the
 * editor, that is one message of tens of megabytes, and nobody reads past the first screen.
 */
export const MAX_PROBLEMS_PER_FILE = 1000;

function capped(file: string, list: Problem[]): Problem[] {
  const sorted = [...list].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const kept = sorted.slice(0, MAX_PROBLEMS_PER_FILE);
  const hidden = countHidden(sorted.slice(MAX_PROBLEMS_PER_FILE));
  const errors = hidden.errors;
  kept.push({
    file,
    range: ZERO_RANGE,
    severity: errors > 0 ? 'error' : 'warning',
    code: 'file.tooManyProblems',
    message: `This file has ${list.length} problems; only the first ${MAX_PROBLEMS_PER_FILE} are shown (${errors} of the others are errors). Fix these first: most of the rest usually follow from them.`,
    dvp: false,
    data: { hidden },
  });
  return kept;
}

/** Messages quote file text; whatever a rule let through, no control or bidi character leaves here raw. */
function withVisibleText(p: Problem): Problem {
  const message = visibleText(p.message, true);
  const related = p.related?.some((r) => visibleText(r.message, true) !== r.message) ? p.related.map((r) => ({ ...r, message: visibleText(r.message, true) })) : p.related;
  return message === p.message && related === p.related ? p : { ...p, message, related };
}

function isInside(root: string, dir: string): boolean {
  const rel = path.relative(root, dir);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * TEST-ONLY fault injection: with DELPHIX_STUDIO_FAULT_INJECT set to a comma-separated list of rule names
 * (`config`, `schema`, `python.project`, `python`, `sync profile`), those rules throw, so the robustness
 * tests can check in a real server process that a failing rule is logged, reported once, and does not
 * stop the other rules. Unset (always, outside tests) it does nothing.
 */
function injectFault(rule: string): void {
  const spec = process.env.DELPHIX_STUDIO_FAULT_INJECT;
  if (spec && spec.split(',').some((r) => r.trim() === rule)) {
    throw new Error(`fault injected into the "${rule}" rule by DELPHIX_STUDIO_FAULT_INJECT (a test-only setting)`);
  }
}
