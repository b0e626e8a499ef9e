// `npm run fuzz`: node out/test/fuzz/run.js [--seed N] [--seconds S] [--iterations N] [--target core|lsp|build|both|all]
//   [--replay N] [--save DIR] [--max-analysis-ms MS] [--max-answer-ms MS] [--max-build-ms MS] [--hang-ms MS]
//   [--max-server-rss-mb MB] [--max-fuzzer-rss-mb MB] [--allow-internal] [--quiet] [--verbose]
// Prints the figures at the end and exits 1 when there was a crash, a hang or a bound was exceeded.
// The language server is the bundle in dist/ (run `node esbuild.mjs` first).

import { DEFAULT_OPTIONS, formatReport, runFuzz, type FuzzOptions, type FuzzTarget } from './fuzz';

const USAGE =
  'usage: node out/test/fuzz/run.js [--seed N] [--seconds S] [--iterations N] [--target core|lsp|build|both|all] [--replay N] [--save DIR]\n' +
  '       [--max-analysis-ms MS] [--max-answer-ms MS] [--max-build-ms MS] [--hang-ms MS] [--max-server-rss-mb MB] [--max-fuzzer-rss-mb MB] [--allow-internal] [--quiet] [--verbose]';

export function parseArgs(argv: string[]): FuzzOptions {
  const o: FuzzOptions = { ...DEFAULT_OPTIONS };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
    return n;
  };
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case '--seed': o.seed = Math.floor(num(a, next())); break;
      case '--seconds': o.seconds = num(a, next()); break;
      case '--iterations': o.iterations = Math.floor(num(a, next())); break;
      case '--replay': o.replay = Math.floor(num(a, next())); break;
      case '--target': {
        const t = next();
        if (t !== 'core' && t !== 'lsp' && t !== 'build' && t !== 'both' && t !== 'all') throw new Error(`--target must be core, lsp, build, both (core and lsp) or all, got ${JSON.stringify(t)}`);
        o.targets = t === 'both' ? ['core', 'lsp'] : t === 'all' ? ['core', 'lsp', 'build'] : [t as FuzzTarget];
        break;
      }
      case '--save': o.saveDir = next(); break;
      case '--max-analysis-ms': o.maxAnalysisMs = num(a, next()); break;
      case '--max-answer-ms': o.maxAnswerMs = num(a, next()); break;
      case '--max-build-ms': o.maxBuildMs = num(a, next()); break;
      case '--hang-ms': o.hangMs = num(a, next()); break;
      case '--max-server-rss-mb': o.maxServerRssMb = num(a, next()); break;
      case '--max-fuzzer-rss-mb': o.maxFuzzerRssMb = num(a, next()); break;
      case '--allow-internal': o.failOnInternal = false; break;
      case '--quiet': quiet = true; break;
      case '--verbose': o.verbose = true; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${JSON.stringify(a)}\n${USAGE}`);
    }
  }
  if (!quiet) o.log = (line) => console.log(line);
  return o;
}

async function main(): Promise<number> {
  let o: FuzzOptions;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  console.log(`fuzzing with seed ${o.seed} for at most ${o.seconds} s${o.iterations !== undefined ? ` or ${o.iterations} inputs per target` : ''} (${o.targets.join(' + ')})`);
  const report = await runFuzz(o);
  console.log(formatReport(report, o));
  return report.ok ? 0 : 1;
}

// node --test runs every .js file under out/test/: only fuzz when started as a program.
if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`fuzz: ${(e as Error)?.stack ?? e}`);
      process.exit(1);
    },
  );
}
