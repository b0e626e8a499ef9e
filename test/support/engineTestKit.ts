// Helpers for the engine tests: temporary folders, artifacts (and what real Python's json.dumps makes of
// them), a self-signed CA and server certificate made with openssl, and a captured CLI io.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CliIO } from '../../cli/io';

export function tempDir(prefix = 'engine-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Artifact text as dvp build writes it (indent 4), with what a lossy JSON round trip would change:
 * floats written as `1.0` and `1e16`, integer-like keys after others, an integer beyond 2^53,
 * non-ASCII text, control characters and a repeated key.
 */
export function artifactText(
  opts: { engineApi?: string; sourceCodeBytes?: number; pluginId?: string; name?: string; sourceCode?: string; sdkRuntime?: boolean } = {},
): string {
  const engineApi = opts.engineApi ?? '{"type": "APIVersion", "major": 1, "minor": 11, "micro": 16}';
  const source = opts.sourceCode ?? sourceZip({ bytes: opts.sourceCodeBytes ?? 300, sdkRuntime: opts.sdkRuntime ?? true }).toString('base64');
  return `{
    "type": "Plugin",
    "pluginId": ${JSON.stringify(opts.pluginId ?? '7cf830f2-82f3-4d5d-a63c-7bbe5b4c3e8a')},
    "name": ${JSON.stringify(opts.name ?? 'First Plugin')},
    "defaultLocale": "en-us",
    "language": "PYTHON311",
    "hostTypes": ["UNIX"],
    "entryPoint": "plugin_runner:plugin",
    "buildNumber": "0.1",
    "buildApi": {"type": "APIVersion", "major": 1, "minor": 9, "micro": 0},
    "engineApi": ${engineApi},
    "rootSquashEnabled": true,
    "sourceCode": "${source}",
    "virtualSourceDefinition": {"type": "PluginVirtualSourceDefinition", "parameters": {
        "type": "object", "properties": {"port": {"type": "integer", "maximum": 65535.0, "minimum": 1e0},
        "ratio": {"type": "number", "default": 0.00001, "multipleOf": 1E16, "exclusiveMaximum": 123456789012345678901234567890},
        "label": {"type": "string", "default": "caf\\u00e9 \\ud83d\\ude00 tab\\t \\u007f \\/ é"}}}},
    "manifest": {"b": 1, "10": 2, "a": -0.0, "2": [1.5, -2.50, 3e-7, 1.0e+2], "b": 3},
    "extendedStartStopHooks": false
}
`;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip (stored entries), written by hand so tests can make any shape synchronously. */
export function zipOf(files: Record<string, Buffer>, comment = ''): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n, data);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(n.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, n);
    offset += 30 + n.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const c = Buffer.from(comment, 'latin1');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(files).length, 8);
  eocd.writeUInt16LE(Object.keys(files).length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(c.length, 20);
  return Buffer.concat([...locals, cdBytes, eocd, c]);
}

/** The zipped code of an artifact: the plugin's entry point, `bytes` of filler, and the SDK runtime unless told not to. */
export function sourceZip(opts: { bytes?: number; sdkRuntime?: boolean; comment?: string } = {}): Buffer {
  const files: Record<string, Buffer> = {
    'plugin_runner.pyc': Buffer.from('compiled plugin'),
    'resources/filler.bin': Buffer.alloc(opts.bytes ?? 300, 7),
  };
  if (opts.sdkRuntime !== false) {
    for (const pkg of ['platform', 'libs', 'common']) files[`dlpx/virtualization/${pkg}/__init__.pyc`] = Buffer.from(`dvp-${pkg}`);
  }
  return zipOf(files, opts.comment);
}

export function writeArtifact(dir: string, text = artifactText(), name = 'artifact.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** What `json.dumps(json.load(open(file, 'rb')))` gives in real Python: dvp's upload body. */
export function pythonDumps(file: string): Buffer {
  return execFileSync('python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1], "rb"))))', file], { maxBuffer: 512 * 1024 * 1024 });
}

export interface Certificates {
  dir: string;
  caFile: string;
  serverKey: string;
  serverCert: string;
  /** A certificate signed by nobody (for the untrusted case without any CA). */
  selfSignedKey: string;
  selfSignedCert: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with openssl. */
export function makeCertificates(): Certificates {
  const dir = tempDir('engine-tls-');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Plugin Studio Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  run('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    serverKey: read('server.key'),
    serverCert: read('server.pem'),
    selfSignedKey: read('self.key'),
    selfSignedCert: read('self.pem'),
  };
}

export interface CapturedIO {
  io: CliIO;
  out: string[];
  err: string[];
  prompts: string[];
  controller: AbortController;
  /** Everything printed, for "the password never appears" checks. */
  all(): string;
}

export function captureIO(opts: { cwd: string; env?: NodeJS.ProcessEnv; answer?: string | undefined; tty?: boolean }): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const controller = new AbortController();
  const io: CliIO = {
    cwd: opts.cwd,
    env: opts.env ?? {},
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    signal: controller.signal,
  };
  if (opts.tty !== false) {
    io.promptSecret = async (q) => {
      prompts.push(q);
      return opts.answer;
    };
  }
  return { io, out, err, prompts, controller, all: () => [...out, ...err, ...prompts].join('\n') };
}

/** Polls a condition (for events the server sees after the client gave up), bounded in time. */
export async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

/** Every file under dir (relative paths), to check that nothing unexpected was written. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
