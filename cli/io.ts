// What a CLI subcommand gets from the process, so tests can run subcommands in-process with captured
// output and a fake environment.

export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** Ask the user a question on the terminal without echo (passwords); undefined when there is no TTY. */
  promptSecret?(question: string): Promise<string | undefined>;
  /** Aborted on SIGINT, SIGTERM or SIGHUP. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Usage text shown by `help <name>` and on bad arguments. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** Parses `--flag`, `--key value`, `--key=value` and positionals; unknown flags are usage errors. */
export function parseArgs(
  args: string[],
  spec: { flags?: string[]; options?: string[]; repeatable?: string[] },
): { flags: Set<string>; options: Map<string, string[]>; positionals: string[] } {
  const flags = new Set<string>();
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const known = new Set([...(spec.flags ?? []), ...(spec.options ?? []), ...(spec.repeatable ?? [])]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!known.has(name)) throw new UsageError(`unknown option ${name}`);
    if (spec.flags?.includes(name)) {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    const list = options.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable?.includes(name)) throw new UsageError(`${name} given twice`);
    list.push(value);
    options.set(name, list);
  }
  return { flags, options, positionals };
}
