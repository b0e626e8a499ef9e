// The CLI's entry (dist/cli.js): runs the CLI bundle (dist/cli-main.js) from V8's code cache. Compiling
// the bundle's functions to bytecode was most of a `check`'s own CPU time; with the cache a run starts
// from the bytecode an earlier run of the same command produced. The cache lives in the user's cache
// folder, one file per command and bundle version; it is written once (atomically, so two runs at once
// are safe), and V8 rejects a cache that does not match the bundle or the node version, after which it
// is rewritten. DELPHIX_CODE_CACHE=0 turns it off; any trouble with it just means running without it.
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

/** FNV-1a over the bundle's text: loading node's crypto module would cost more than the hash. */
function fingerprint(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

function cacheFile(source: string): string | undefined {
  if (process.env.DELPHIX_CODE_CACHE === '0') return undefined;
  // The command decides which functions run, so each command keeps the bytecode of its own run.
  const command = /^[a-z-]+$/.test(process.argv[2] ?? '') ? process.argv[2].replace(/-/g, '') : 'other';
  // V8 checks only the source's length against a cache, so the name carries a hash of the text.
  const key = `${process.version}-${process.arch}-${fingerprint(source)}`.replace(/[^\w.-]/g, '_');
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
    // Caches of other bundles or node versions would only pile up.
    const keep = path.basename(file).replace(/[a-z]+\.bin$/, '');
    for (const other of fs.readdirSync(path.dirname(file))) {
      if (other.startsWith('cli-') && !other.startsWith(keep) && !other.endsWith('.tmp')) fs.rmSync(path.join(path.dirname(file), other), { force: true });
    }
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
