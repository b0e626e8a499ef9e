import * as fs from 'fs';
import { plural } from '../../core/text';
import * as path from 'path';
import type { CliCommand } from '../io';
import { parseArgs, UsageError } from '../io';
import { DiskFiles } from '../../core/files';
import { checkPlugins } from '../../core/analysis/checkPlugin';
import { CONFIG_FILE_NAME, discoverPlugins } from '../../core/analysis/discovery';
import { BaselineStore, upgradeChecks } from '../../core/upgrade/analysisHook';
import { formatCoverageLine, formatJson, formatSarif, formatText, summarize, type CoverageReport } from '../../core/report/formatProblems';
import { SDK_VERSIONS } from '../../core/sdk/versions';
import { TOOL_VERSION } from '../version';
import { timings } from '../../core/timings';

export const command: CliCommand = {
  name: 'check',
  summary: 'Check plugin_config.yml, schema.json and the Python code as `dvp build` would, and more',
  usage: `check [DIR] [--format text|json|sarif] [--sdk VERSION] [--output FILE] [--baseline ARTIFACT|GIT-REF]

  DIR        a plugin folder (with plugin_config.yml) or a folder holding several plugins (default: .)
  --format   text (default): one line per problem, file:line:col severity message [rule]
             json: a summary, the problems and, per plugin, the Python cross-check's coverage
             (reads verified, and each read on the inputs it could not trace, with the reason); sarif: SARIF 2.1.0 for code-scanning dashboards
  --sdk      the Delphix SDK version whose rules apply (default ${SDK_VERSIONS[0].version}; one of ${SDK_VERSIONS.map((s) => s.version).join(', ')})
  --output   write the report to FILE instead of standard output
  --baseline the released version to check an upgrade against: its artifact .json, or a git ref of the
             plugin's repository (tag, branch, commit). Reports schema changes no newer data migration
             covers, a buildNumber not above the baseline's and released migrations that are gone

Exit code: 0 when there is no error (warnings allowed), 1 when there are errors, 2 on a usage mistake.`,
  async run(args, io) {
    const a = parseArgs(args, { options: ['--format', '--sdk', '--output', '--baseline'] });
    if (a.positionals.length > 1) throw new UsageError('give at most one folder');
    const format = a.options.get('--format')?.[0] ?? 'text';
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format "${format}": use text, json or sarif`);
    const sdk = a.options.get('--sdk')?.[0];
    if (sdk && !SDK_VERSIONS.some((s) => s.version === sdk)) throw new UsageError(`unknown SDK version "${sdk}": use one of ${SDK_VERSIONS.map((s) => s.version).join(', ')}`);
    const dir = path.resolve(io.cwd, a.positionals[0] ?? '.');
    const files = new DiskFiles();
    if (files.stat(dir) !== 'dir') {
      io.err(`${dir} is not a folder. Give the folder that holds plugin_config.yml.`);
      return 1;
    }
    const baseline = a.options.get('--baseline')?.[0];
    let extraChecks;
    if (baseline !== undefined) {
      // Loaded before the analysis, so the guard runs on the first pass; a relative artifact path is the caller's.
      const store = new BaselineStore(baseline, undefined, io.cwd);
      const roots = files.stat(path.join(dir, CONFIG_FILE_NAME)) === 'file' ? [dir] : discoverPlugins([dir], files);
      for (const root of roots) {
        const r = await store.load(root);
        if (!r.ok) {
          io.err(r.error);
          return 1;
        }
      }
      extraChecks = upgradeChecks(store);
    }
    const { plugins, problems, coverage } = await checkPlugins(dir, { sdkVersion: sdk, files, report: (m) => io.err(m), extraChecks });
    const coverageReports: CoverageReport[] = [...coverage].map(([plugin, c]) => ({ plugin, ...c }));
    if (plugins.length === 0) {
      io.err(`No ${CONFIG_FILE_NAME} found in ${dir} or its subfolders. Run this in a plugin folder, or create a plugin with "Delphix: New Plugin".`);
      return 1;
    }
    const report = timings.span('report', () =>
      format === 'json' ? formatJson(problems, io.cwd, coverageReports) : format === 'sarif' ? formatSarif(problems, io.cwd, TOOL_VERSION) : formatText(problems, io.cwd),
    );
    const s = summarize(problems);
    const output = a.options.get('--output')?.[0];
    if (output) {
      fs.writeFileSync(path.resolve(io.cwd, output), report + '\n');
    } else if (report) io.out(report);
    if (format === 'text' || output) {
      for (const c of coverageReports) io.err(formatCoverageLine(c, io.cwd));
      io.err(`${plugins.length} plugin${plugins.length === 1 ? '' : 's'} checked: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}.`);
    }
    return s.errors > 0 ? 1 : 0;
  },
};
