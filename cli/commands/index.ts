// The table of CLI subcommands, in the order `help` lists them. Each lives in its own module.
import type { CliCommand } from '../io';
import { command as check } from './check';

export const COMMANDS: CliCommand[] = [check];
