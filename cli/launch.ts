// The CLI's entry (dist/cli.js): runs the CLI bundle (dist/cli-main.js) from V8's code cache. Compiling
// the bundle's functions to bytecode was most of a `check`'s own CPU time; with the cache a run starts
// from the bytecode an earlier run of the same command produced. The cache lives in the user's cache
// folder, one file per command and bundle version; it is written once (atomically, so two runs at once
// are safe), and V8 rejects a cache that does not match the bundle or the node version, after which it
// is rewritten. DELPHIX_CODE_CACHE=0 turns it off; any trouble with it just means running without it.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import Module from 'module';

const BUNDLE = path.join(__dirname, 'cli-main.js');

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'delphix-plugin-studio', 'code-cache');
}

function cacheFile(source: string): string | undefined {
  if (process.env.DELPHIX_CODE_CACHE === '0') return undefined;
  // The command decides which functions run, so each command keeps the bytecode of its own run.
  const command = /^[a-z-]+$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const key = crypto.createHash('sha256').update(process.version).update(process.arch).update(source).digest('hex').slice(0, 20);
  return path.join(cacheDir(), `cli-${key}-${command}.bin`);
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, script: vm.Script): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
  } catch {
    /* a read-only or full cache folder: the next run compiles again */
  }
}

const source = fs.readFileSync(BUNDLE, 'utf8');
const file = cacheFile(source);
const cachedData = readCache(file);
const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData });
if (file && (!cachedData || script.cachedDataRejected)) {
  // At exit, so the cache holds the bytecode of every function this run compiled, not only the top level.
  process.on('exit', () => writeCache(file, script));
}
const localRequire = Module.createRequire(BUNDLE);
// The bundle runs as this module: `require.main === module` holds in it as when node runs it directly.
script.runInThisContext()(module.exports, Object.assign(localRequire, { main: require.main }), module, BUNDLE, __dirname);
