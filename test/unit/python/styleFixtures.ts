// The style fixtures of issue 12 (test/fixtures/python/styles/<name>/): plugins written the way shipped
// plugins carry their inputs (controller classes, hierarchies and mixins, builders, values chosen by a
// flag, containers, inputs passed down one level at a time, recursion), each in Python 3 and Python 2
// syntax, with a manifest (injections.json) of misspellings to inject at known lines.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { FIXTURES } from './helpers';

export const STYLES = path.join(FIXTURES, 'styles');

export interface Injection {
  id: string;
  /** Which flow the misspelled read sits in (for the report of a failing case). */
  style: string;
  /** Relative to the fixture's root. */
  file: string;
  /** 1-based line of `original` in the unmodified file (it occurs once in the file). */
  line: number;
  original: string;
  replacement: string;
  /** The misspelled name as it appears in `replacement`; the finding starts where it starts. */
  name: string;
  /** The name the message must suggest (`Did you mean \`x\`?`); null when no finding is expected. */
  didYouMean: string | null;
  /** The rule expected today (informational: the implementer may report it under another code). */
  code: string;
  /** `error`: an error at this line; `none`: no error at this line (e.g. a name one union member has). */
  expect: 'error' | 'none';
  note?: string;
}

export interface StyleFixture {
  name: string;
  root: string;
  python: 2 | 3;
  /** The SDK version whose language the plugin declares (PYTHON27 plugins need a 3.x SDK). */
  sdkVersion: string;
  injections: Injection[];
}

export function styleFixtures(): StyleFixture[] {
  return fs
    .readdirSync(STYLES)
    .filter((n) => fs.existsSync(path.join(STYLES, n, 'plugin_config.yml')))
    .sort()
    .map((name) => {
      const root = path.join(STYLES, name);
      const config = parseYaml(fs.readFileSync(path.join(root, 'plugin_config.yml'), 'utf8')) as { language?: string };
      const manifestFile = path.join(root, 'injections.json');
      const manifest = fs.existsSync(manifestFile) ? (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { injections: Injection[] }) : { injections: [] };
      const sdkVersion = config.language === 'PYTHON27' ? '3.1.0' : config.language === 'PYTHON38' ? '4.1.0' : '5.0.1';
      return { name, root, python: config.language === 'PYTHON27' ? 2 : 3, sdkVersion, injections: manifest.injections };
    });
}

/** The file's text with the injection applied, and the 0-based line and column where the misspelled name starts. */
export function inject(root: string, inj: Injection): { file: string; text: string; line: number; character: number } {
  const file = path.join(root, inj.file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const at = lines[inj.line - 1];
  if (at === undefined || at.split(inj.original).length !== 2) {
    throw new Error(`${inj.id}: ${JSON.stringify(inj.original)} is not once on line ${inj.line} of ${inj.file} (the fixture changed; run manifest_tool.py lines)`);
  }
  const start = at.indexOf(inj.original);
  lines[inj.line - 1] = at.slice(0, start) + inj.replacement + at.slice(start + inj.original.length);
  return { file, text: lines.join('\n'), line: inj.line - 1, character: start + inj.replacement.indexOf(inj.name) };
}

/** An interpreter for the fixture's Python (python3; for Python 2 fixtures $PYTHON2, python2.7 or a pyenv 2.7), or undefined. */
export function interpreterFor(f: StyleFixture): string | undefined {
  const works = (exe: string) => {
    try {
      const out = execFileSync(exe, ['-c', 'import sys; sys.stdout.write(str(sys.version_info[0]))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return out.trim() === String(f.python);
    } catch {
      return false;
    }
  };
  const candidates = f.python === 3 ? ['python3'] : [process.env.PYTHON2, 'python2.7', 'python2', ...pyenv27()];
  return candidates.find((c): c is string => !!c && works(c));
}

function pyenv27(): string[] {
  const root = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  try {
    return fs
      .readdirSync(path.join(root, 'versions'))
      .filter((v) => v.startsWith('2.7'))
      .map((v) => path.join(root, 'versions', v, 'bin', 'python2.7'));
  } catch {
    return [];
  }
}

export interface RuntimeReport {
  clean: { operations: string[]; failures: { operation: string; error: string }[] };
  injections: Record<string, { executed: boolean; raisedAttributeError: boolean }>;
}

/** Run every operation of the fixture under a real interpreter (run_plugin.py), clean and with each injection. */
export function runFixture(f: StyleFixture, python: string): RuntimeReport {
  const out = execFileSync(python, [path.join(STYLES, 'run_plugin.py'), f.root, '--injections'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as RuntimeReport;
}

/**
 * Injections the analysis does not find yet, each with why; their tests are marked todo (reported, not
 * failed) until the model follows these flows. Remove an entry when its test passes.
 */
export const KNOWN_MISSES: Record<string, string> = {
  'vdb-snapshot': 'a snapshot copied through a builder\'s class attributes is assumed from its name, not followed',
  'runner-built-vdb': 'the built object\'s attribute holds None on one path through the builder, so no class is certain',
  'mutual-classes': 'two classes holding instances of each other: the cycle is cut before the attribute is typed',
  'mutual-classes-2': 'two classes holding instances of each other: the cycle is cut before the attribute is typed',
};

/** Sites found by the name they were assumed from, not by following the builder: listed as untraced. */
export const KNOWN_UNTRACED: Record<string, string> = {
  'vdb-mangled': 'a snapshot copied through a builder\'s class attributes is assumed from its name, not followed',
};
