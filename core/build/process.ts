// Runs a child process for the build (python3, pip), collecting its output, and stopping it when the
// build is cancelled.

import { spawn } from 'child_process';

export interface ProcessResult {
  /** Exit code, or undefined when the process could not start or was killed. */
  code: number | undefined;
  /** stdout and stderr interleaved, as a terminal shows them. */
  output: string;
  /** Why the process could not start (ENOENT for a missing interpreter). */
  startError?: string;
  cancelled: boolean;
}

export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; input?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ code: undefined, output: '', cancelled: true });
      return;
    }
    let output = '';
    let settled = false;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (r: ProcessResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', (e) => finish({ code: undefined, output, startError: e.message, cancelled: false }));
    child.on('close', (code) => finish({ code: code ?? undefined, output, cancelled: options.signal?.aborted ?? false }));
    // A child that exits without reading its input (python3 -c ...) closes the pipe first: the EPIPE
    // that follows is expected, and unhandled it would crash the build with a stack trace.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** The last `n` non-empty lines of a process's output, for error messages. */
export function lastLines(output: string, n: number): string {
  return output.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-n).join('\n');
}
