// `delphix-plugin-studio`: the CLI over the same core as the extension, for authors' own CI.
import * as readline from 'readline';
import { COMMANDS } from './commands/index';
import type { CliIO } from './io';
import { UsageError } from './io';
import { TOOL_VERSION } from './version';
import { visibleText } from '../core/text';
import { removeLiveWorkDirsSync } from '../core/build/workDir';
import { sampleNow, timings } from '../core/timings';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: delphix-plugin-studio <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "delphix-plugin-studio help <command>" for the options of a command.',
  ].join('\n');
}

function promptSecret(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // Echo nothing while the secret is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    process.stderr.write(question);
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.out(TOOL_VERSION);
    return 0;
  }
  if (name === 'help') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    io.out(cmd ? `Usage: delphix-plugin-studio ${cmd.usage}` : usage());
    return cmd || !rest[0] ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: delphix-plugin-studio ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${cmd.name}: ${e.message}\n\nUsage: delphix-plugin-studio ${cmd.usage}`);
      return 2;
    }
    // Anything else is our bug: say so plainly, with the details for a bug report.
    io.err(`Internal error in "${cmd.name}": ${(e as Error)?.message ?? e}\nPlease report this with the details below.\n${(e as Error)?.stack ?? ''}`);
    return 3;
  }
}

if (require.main === module) {
  // Taken first: everything before it is node's start-up and the loading of this bundle.
  const startedAt = sampleNow();
  const argv = process.argv.slice(2);
  const timingsFlag = argv.indexOf('--timings');
  if (timingsFlag >= 0) argv.splice(timingsFlag, 1);
  const timingsMode = timingsFlag >= 0 ? '1' : process.env.DELPHIX_TIMINGS;
  if (timingsMode && timingsMode !== '0') {
    timings.enabled = true;
    timings.recordStartup(startedAt);
    // On exit, so a run that fails or is interrupted still says where its time went.
    process.on('exit', () => {
      process.stderr.write(timingsMode === 'json' ? `${JSON.stringify({ delphixTimings: timings.json() })}\n` : `${timings.format()}\n`);
    });
  }
  // SIGINT (Ctrl-C), SIGTERM (kill, a CI runner's timeout) and SIGHUP (the terminal closed) all cancel:
  // the command stops what it started (a sync's runner and its commands), cleans up and releases its
  // lock, then exits with 128 + the signal's number. A second signal exits at once.
  const controller = new AbortController();
  // SIGTERM and SIGHUP stop a command as Ctrl-C does, so it cleans up (the build's scratch folder, child
  // processes, a sync's runner and its lock) and then exits with 128 + the signal's number; a second
  // signal exits at once, removing the build's scratch folder on the way out.
  let caughtCode: number | undefined;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(code);
      caughtCode = code;
      controller.abort();
    });
  }
  process.on('exit', removeLiveWorkDirsSync);
  // After SIGHUP the terminal is gone and writes to it fail (EIO, EPIPE): that must not stop the cleanup.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const io: CliIO = {
    cwd: process.cwd(),
    env: process.env,
    // The last line of defence: text from files (a cloned repository's) never reaches the terminal
    // with its control or bidi characters raw.
    out: (t) => process.stdout.write(visibleText(t, true) + '\n'),
    err: (t) => process.stderr.write(visibleText(t, true) + '\n'),
    promptSecret,
    signal: controller.signal,
  };
  main(argv, io).then(
    (code) => {
      process.exitCode = caughtCode ?? code;
    },
    (e) => {
      process.stderr.write(`Internal error: ${e?.stack ?? e}\n`);
      process.exitCode = 3;
    },
  );
}
