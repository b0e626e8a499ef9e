// What `upload` and `download-logs` share: the engine options, the defaults from dvp's ~/.dvp/config,
// the password (environment or hidden prompt, never an argument), progress output and error reporting.
// This module is not a subcommand (it exports no `command`).
import * as fs from 'fs';
import * as path from 'path';
import type { CliIO } from '../io';
import { parseArgs, UsageError } from '../io';
import type { EngineProgress } from '../../core/engine/client';
import { EngineError, scrubSecrets } from '../../core/engine/errors';
import { dvpConfigPath, EngineProfile, parseDvpConfig, parseEngineAddress, validateProfile } from '../../core/engine/profiles';

export const PASSWORD_ENV = 'DELPHIX_ENGINE_PASSWORD';

export const ENGINE_USAGE = `  --engine HOST[:PORT]  the Delphix Engine (default: engine in ~/.dvp/config [default]); also -e
                        http(s)://HOST[:PORT] sets --https accordingly
  --user USER           the engine user (default: user in ~/.dvp/config [default]); also -u
  --https               connect with HTTPS, verifying the engine's certificate (dvp speaks plain HTTP)
  --ca-file FILE        PEM file of the CA that signed the engine's certificate (self-signed engines)
  --insecure            HTTPS without certificate verification (reported as a warning; prefer --ca-file)
  --timeout-request SECONDS  how long one request may go without any data either way before it
                        fails (default 120)

  The password is read from the environment variable ${PASSWORD_ENV}, or asked for without echo.
  It is never accepted as an argument. The config file is $DVP_CONFIG when set.`;

export const ENGINE_FLAGS = ['--https', '--insecure'];
export const ENGINE_OPTIONS = ['--engine', '-e', '--user', '-u', '--ca-file', '--timeout-request'];

/** Named by the message of a request that timed out. */
export const REQUEST_TIMEOUT_HINT = '--timeout-request SECONDS';

/** A number of seconds (> 0) given to `name`, in milliseconds; undefined when not given. */
export function secondsOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new UsageError(`${name} needs a number of seconds greater than 0, not "${value}"`);
  return n * 1000;
}

/** Rejects `--password` before anything else looks at the arguments, without repeating its value. */
export function rejectPasswordArgument(args: string[]): void {
  if (args.some((a) => a === '--password' || a.startsWith('--password=') || a === '-p')) {
    throw new UsageError(
      `a password is not accepted as an argument: other users can read it in the process list, and it stays in the shell history. ` +
        `Set the environment variable ${PASSWORD_ENV}, or leave it unset to be asked for the password.`,
    );
  }
}

export function parseEngineArgs(args: string[], spec: { flags?: string[]; options?: string[] }) {
  rejectPasswordArgument(args);
  return parseArgs(args, { flags: [...ENGINE_FLAGS, ...(spec.flags ?? [])], options: [...ENGINE_OPTIONS, ...(spec.options ?? [])] });
}

type Parsed = ReturnType<typeof parseArgs>;

/** The value of an option given under either of its names (dvp's short and long forms). */
export function option(a: Parsed, ...names: string[]): string | undefined {
  const given = names.filter((n) => a.options.has(n));
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} are the same option; give it once`);
  return given.length ? a.options.get(given[0])![0] : undefined;
}

export interface EngineTarget {
  profile: EngineProfile;
  /** A password found in ~/.dvp/config: not used, but worth a note. */
  configHasPassword: boolean;
  /** --timeout-request, in milliseconds. */
  requestTimeoutMs?: number;
}

/** Builds the profile from the options and the [default] section of dvp's config file. */
export function engineTarget(a: Parsed, io: CliIO): EngineTarget {
  const configFile = dvpConfigPath(io.env);
  let defaults: ReturnType<typeof parseDvpConfig> = {};
  try {
    defaults = parseDvpConfig(fs.readFileSync(configFile, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') io.err(`warning: cannot read ${configFile} (${(e as Error).message}); ignoring it.`);
  }
  const engine = option(a, '--engine', '-e') ?? defaults.engine;
  const user = option(a, '--user', '-u') ?? defaults.user;
  if (!engine) throw new UsageError(`--engine is required (or set engine in the [default] section of ${configFile})`);
  if (!user) throw new UsageError(`--user is required (or set user in the [default] section of ${configFile})`);
  const address = parseEngineAddress(engine);
  if ('error' in address) throw new UsageError(address.error);
  const caFile = option(a, '--ca-file');
  const https = a.flags.has('--https') || address.https === true || caFile !== undefined || a.flags.has('--insecure');
  if (address.https === false && https) throw new UsageError(`${engine} says http:// but HTTPS options are given`);
  const candidate: Record<string, unknown> = { name: engine, host: address.host, user, https };
  if (address.port !== undefined) candidate.port = address.port;
  if (caFile !== undefined) candidate.caFile = path.resolve(io.cwd, caFile);
  if (a.flags.has('--insecure')) candidate.insecure = true;
  const { profile, problems } = validateProfile(candidate);
  if (!profile) throw new UsageError(problems.map((p) => p.message).join('\n'));
  return { profile, configHasPassword: defaults.password !== undefined, requestTimeoutMs: secondsOption(option(a, '--timeout-request'), '--timeout-request') };
}

/** The password from the environment or a hidden prompt; undefined (after saying why) when there is none. */
export async function obtainPassword(target: EngineTarget, io: CliIO): Promise<string | undefined> {
  const fromEnv = io.env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  if (target.configHasPassword) {
    io.err(`note: the password in ${dvpConfigPath(io.env)} is not used: passwords are not read from files. Set ${PASSWORD_ENV} or type it below.`);
  }
  const typed = await io.promptSecret?.(`Password for ${target.profile.user} on ${target.profile.host}: `);
  if (typed === undefined) {
    io.err(`No password: set the environment variable ${PASSWORD_ENV}, or run the command in a terminal to be asked for it.`);
    return undefined;
  }
  if (typed === '') {
    io.err('The password is empty. Run the command again and type the engine password.');
    return undefined;
  }
  return typed;
}

/** Progress lines on stderr (stdout carries the result); transfers are shown in whole percents. */
export function progressPrinter(io: CliIO): (p: EngineProgress) => void {
  return (p) => {
    if (p.warning) io.err(p.message);
    else if (p.bytes !== undefined && p.total) io.err(`${p.message}: ${Math.floor((p.bytes / p.total) * 100)}% of ${formatBytes(p.total)}`);
    else io.err(p.message);
  };
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Prints a failure (password scrubbed, whatever threw) and returns the exit code. */
export function reportFailure(e: unknown, password: string | undefined, io: CliIO): number {
  if (e instanceof UsageError) throw e;
  const secrets = password ? [password] : [];
  const message =
    e instanceof EngineError ? e.message : `Unexpected failure: ${(e as Error)?.stack ?? String(e)}`;
  io.err(scrubSecrets(message, secrets));
  return 1;
}
