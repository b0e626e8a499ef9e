import * as fs from 'fs';
import { plural } from '../../core/text';
import * as path from 'path';
import type { CliCommand, CliIO } from '../io';
import { parseArgs, UsageError } from '../io';
import { buildArtifact } from '../../core/build/artifact';
import { generatePluginDefinitions } from '../../core/build/generateOnly';
import type { ManifestOperation } from '../../core/build/manifest';
import { findImplementedOperations } from '../../core/build/findOperations';
import { formatText, summarize } from '../../core/report/formatProblems';
import { SDK_VERSIONS } from '../../core/sdk/versions';
import type { Problem } from '../../core/types';
import { timings } from '../../core/timings';

export interface BuildCommandDeps {
  /** The plugin check run before building; errors stop the build. */
  validate?: (root: string) => Promise<Problem[]>;
  /** The operations the plugin implements (for the manifest). */
  findOperations?: (root: string) => Promise<ManifestOperation[]>;
}

/** The implemented operations, from the static analysis of the plugin's Python code. */
export const analyseOperations = findImplementedOperations;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function pluginRoot(io: CliIO, positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError('give at most one plugin folder');
  return path.resolve(io.cwd, positionals[0] ?? '.');
}

/** `generate` and `build -g`: refresh <srcDir>/generated only. */
export async function runGenerate(root: string, io: CliIO): Promise<number> {
  const r = await generatePluginDefinitions(root);
  for (const w of r.warnings) io.err(`warning: ${w}`);
  if (!r.ok) {
    for (const e of r.errors) io.err(`error: ${e}`);
    return 1;
  }
  io.out(`Generated ${r.written.length} files in ${path.relative(io.cwd, path.join(r.srcDir!, 'generated')) || path.join(r.srcDir!, 'generated')}.`);
  return 0;
}

export function createBuildCommand(deps: BuildCommandDeps = {}): CliCommand {
  return {
    name: 'build',
    summary: 'Build the upload artifact (the equivalent of `dvp build`, no Java needed)',
    usage: `build [DIR] [--generate-only|-g] [--output FILE] [--find-links DIR] [--index-url URL] [--no-sdk-runtime] [--sdk VERSION]

  DIR               the plugin folder, holding plugin_config.yml (default: .)
  -g, --generate-only   only regenerate <srcDir>/generated (as dvp build -g)
  --output FILE     where to write the artifact (default: DIR/artifact.json)
  --find-links DIR  a folder (or URL) of wheels for pip: dvp-common, dvp-libs, dvp-platform and their
                    dependencies (repeatable)
  --index-url URL   the package index pip uses instead of its configured one
  --extra-index-url URL  another package index (repeatable)
  --no-index        use only --find-links, never an index
  --no-sdk-runtime  leave out the SDK runtime: a fast build for local checks, NOT uploadable
  --sdk VERSION     the Delphix SDK version (default ${SDK_VERSIONS[0].version})
  --python PATH     the interpreter that compiles the plugin (default python3; the engine runs 3.11)

The SDK runtime is installed with pip once per SDK version and pip options, and cached under
~/.cache/delphix-plugin-studio/sdk-runtime. Unlike dvp, the build compiles a copy of srcDir in a
temporary folder: no .pyc files appear in your sources.
Exit code: 0 on success, 1 when the plugin has errors or the build fails, 2 on a usage mistake.`,
    async run(args, io) {
      const a = parseArgs(args, {
        flags: ['--generate-only', '-g', '--no-sdk-runtime', '--no-index'],
        options: ['--output', '--index-url', '--sdk', '--python'],
        repeatable: ['--find-links', '--extra-index-url'],
      });
      const root = pluginRoot(io, a.positionals);
      const generateOnly = a.flags.has('--generate-only') || a.flags.has('-g');
      if (generateOnly && a.options.has('--output')) throw new UsageError('--generate-only and --output cannot be used together');
      const sdk = a.options.get('--sdk')?.[0];
      if (sdk && !SDK_VERSIONS.some((s) => s.version === sdk)) throw new UsageError(`unknown SDK version "${sdk}": use one of ${SDK_VERSIONS.map((s) => s.version).join(', ')}`);
      if (!fs.existsSync(path.join(root, 'plugin_config.yml'))) {
        io.err(`error: no plugin_config.yml in ${root}. Run this in a plugin folder or give the folder as DIR.`);
        return 1;
      }
      if (generateOnly) return runGenerate(root, io);

      const started = Date.now();
      const validate = deps.validate ?? (async () => []);
      const problems = await timings.spanAsync('build: check (analysis)', () => validate(root));
      if (problems.length > 0) io.out(formatText(problems, io.cwd));
      const counts = summarize(problems);
      if (counts.errors > 0) {
        io.err(`error: the plugin has ${plural(counts.errors, 'error')} and ${plural(counts.warnings, 'warning')}; nothing was built.`);
        return 1;
      }
      let operations: ManifestOperation[];
      try {
        operations = await (deps.findOperations ?? analyseOperations)(root);
      } catch (e) {
        io.err(`error: could not analyse the plugin's Python code: ${(e as Error).message}`);
        return 1;
      }
      const result = await buildArtifact(
        { pluginRoot: root, operations },
        {
          outputFile: a.options.get('--output')?.[0] ? path.resolve(io.cwd, a.options.get('--output')![0]) : undefined,
          sdkVersion: sdk,
          python: a.options.get('--python')?.[0],
          includeSdkRuntime: !a.flags.has('--no-sdk-runtime'),
          pip: {
            indexUrl: a.options.get('--index-url')?.[0],
            extraIndexUrls: a.options.get('--extra-index-url'),
            findLinks: a.options.get('--find-links')?.map((f) => (/^[a-z]+:\/\//i.test(f) ? f : path.resolve(io.cwd, f))),
            noIndex: a.flags.has('--no-index') || undefined,
          },
          cacheDir: io.env.DELPHIX_SDK_RUNTIME_CACHE || undefined,
          env: io.env,
          signal: io.signal,
          onProgress: (step) => {
            timings.mark(`build: ${step.replace(/ \/.*$/, '')}`);
            io.out(`- ${step}`);
          },
        },
      );
      timings.mark(undefined);
      for (const w of result.warnings) io.err(`warning: ${w}`);
      if (!result.ok) {
        for (const e of result.errors) io.err(`error: ${e}`);
        io.err(result.cancelled ? 'Build cancelled; nothing was written.' : 'BUILD FAILED; nothing was written.');
        return 1;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.out(`Artifact: ${result.artifactPath} (${formatSize(result.size ?? 0)})`);
      io.out(result.uploadable ? `Built in ${seconds}s.` : `Built in ${seconds}s, but NOT uploadable (see the warnings above).`);
      return 0;
    },
  };
}

export const command: CliCommand = createBuildCommand();
