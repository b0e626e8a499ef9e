// Engine profiles: where an engine is and how to reach it. A profile never holds a password: the caller
// keeps it in secret storage (VS Code) or the environment (CLI) and hands it to the client per call.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ini from 'ini';

export interface EngineProfile {
  /** The name the author picks for the profile ("lab engine"). */
  name: string;
  /** Host name or IP address, without scheme or port. */
  host: string;
  /** Defaults to 443 with https, 80 without. */
  port?: number;
  user: string;
  /** dvp only speaks HTTP; https is our addition and the better choice. */
  https: boolean;
  /** PEM file of the CA that signed the engine's certificate (self-signed engines). Absolute path. */
  caFile?: string;
  /** Turns certificate verification off. Always reported loudly; prefer `caFile`. */
  insecure?: boolean;
}

export interface ProfileProblem {
  field: keyof EngineProfile | 'password' | 'engine';
  message: string;
}

export function defaultPort(profile: Pick<EngineProfile, 'https' | 'port'>): number {
  return profile.port ?? (profile.https ? 443 : 80);
}

/** `host:port` as shown in messages (IPv6 literals in brackets). */
export function engineAddress(profile: Pick<EngineProfile, 'host' | 'https' | 'port'>): string {
  const host = profile.host.includes(':') ? `[${profile.host}]` : profile.host;
  return `${host}:${defaultPort(profile)}`;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/;

/** Why a host is unusable, or undefined when it is a plausible host name or IP address. */
export function hostProblem(host: string): string | undefined {
  if (host.trim() === '') return 'The engine host is empty: give its host name or IP address.';
  if (/^[a-z]+:\/\//i.test(host)) return `The engine host '${host}' has a scheme: give only the host name (use the https setting for HTTPS).`;
  if (host.includes('/')) return `The engine host '${host}' contains '/': give only the host name or IP address.`;
  if (host.includes(':') ? !IPV6.test(host) : !HOST_NAME.test(host)) {
    return `The engine host '${host}' is not a valid host name or IP address.`;
  }
  return undefined;
}

/**
 * Splits dvp's `--engine` value (`host`, `host:port`, `[v6]:port`) into host and port. A leading
 * `http://` or `https://` is accepted as a convenience and sets https.
 */
export function parseEngineAddress(value: string): { host: string; port?: number; https?: boolean } | { error: string } {
  let rest = value.trim();
  let https: boolean | undefined;
  const scheme = /^(https?):\/\//i.exec(rest);
  if (scheme) {
    https = scheme[1].toLowerCase() === 'https';
    rest = rest.slice(scheme[0].length).replace(/\/+$/, '');
  }
  let host = rest;
  let portText: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':');
  }
  const problem = hostProblem(host);
  if (problem) return { error: problem };
  if (portText === undefined) return { host, https };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    return { error: `The engine port '${portText}' is not a number from 1 to 65535.` };
  }
  return { host, port, https };
}

/** Checks a profile as stored in settings (any shape). Returns the typed profile when there are no problems. */
export function validateProfile(value: unknown): { profile?: EngineProfile; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ field: 'name', message: 'An engine profile must be an object with name, host, user and https.' }] };
  }
  const p = value as Record<string, unknown>;
  const label = typeof p.name === 'string' && p.name.trim() ? `Engine profile '${p.name}'` : 'The engine profile';
  if ('password' in p) {
    problems.push({
      field: 'password',
      message: `${label} holds a password. Profiles are stored in plain settings; remove the password and let the extension keep it in secret storage.`,
    });
  }
  if (typeof p.name !== 'string' || !p.name.trim()) problems.push({ field: 'name', message: 'The engine profile needs a non-empty name.' });
  if (typeof p.host !== 'string') problems.push({ field: 'host', message: `${label} needs a host (host name or IP address of the engine).` });
  else {
    const hp = hostProblem(p.host);
    if (hp) problems.push({ field: 'host', message: `${label}: ${hp}` });
  }
  if (p.port !== undefined && (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535)) {
    problems.push({ field: 'port', message: `${label}: port must be a whole number from 1 to 65535 (or left out for the default).` });
  }
  if (typeof p.user !== 'string' || !p.user.trim()) problems.push({ field: 'user', message: `${label} needs the engine user to log in as.` });
  if (typeof p.https !== 'boolean') problems.push({ field: 'https', message: `${label}: https must be true or false.` });
  if (p.caFile !== undefined) {
    if (typeof p.caFile !== 'string' || !p.caFile.trim()) problems.push({ field: 'caFile', message: `${label}: caFile must be the path of a PEM file.` });
    else if (!path.isAbsolute(p.caFile)) problems.push({ field: 'caFile', message: `${label}: caFile '${p.caFile}' must be an absolute path.` });
    else if (p.https !== true) problems.push({ field: 'caFile', message: `${label}: caFile only applies to HTTPS; turn https on or remove caFile.` });
  }
  if (p.insecure !== undefined) {
    if (typeof p.insecure !== 'boolean') problems.push({ field: 'insecure', message: `${label}: insecure must be true or false.` });
    else if (p.insecure && p.https !== true) problems.push({ field: 'insecure', message: `${label}: insecure only applies to HTTPS; remove it.` });
    else if (p.insecure && p.caFile !== undefined) {
      problems.push({ field: 'insecure', message: `${label}: with a caFile the certificate can be verified; remove insecure.` });
    }
  }
  if (problems.length > 0) return { problems };
  const profile: EngineProfile = { name: p.name as string, host: p.host as string, user: p.user as string, https: p.https as boolean };
  if (p.port !== undefined) profile.port = p.port as number;
  if (p.caFile !== undefined) profile.caFile = p.caFile as string;
  if (p.insecure) profile.insecure = true;
  return { profile, problems };
}

/** `~/.dvp/config`, or `$DVP_CONFIG` when set (tests, unusual setups). */
export function dvpConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DVP_CONFIG || path.join(env.HOME || os.homedir(), '.dvp', 'config');
}

export interface DvpDefaults {
  engine?: string;
  user?: string;
  /** Handed back separately so the caller can move it into secret storage; never part of a profile. */
  password?: string;
}

/**
 * The `[default]` section of dvp's CLI config file. dvp reads it with Python's configparser, which
 * keeps `;` and `#` inside values and also accepts `key: value`; the ini package would cut a password
 * at `;` or `#`, so such values are taken from the raw line as configparser would.
 */
export function parseDvpConfig(text: string): DvpDefaults {
  const parsed = ini.parse(text) as Record<string, unknown>;
  const section = parsed.default;
  const raw = rawDefaultSection(text);
  const out: DvpDefaults = {};
  for (const key of ['engine', 'user', 'password'] as const) {
    const fromIni = typeof section === 'object' && section !== null ? (section as Record<string, unknown>)[key] : undefined;
    const rawValue = raw.get(key);
    const value = rawValue !== undefined && /[;#"']/.test(rawValue) ? rawValue : typeof fromIni === 'string' ? fromIni : rawValue;
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function rawDefaultSection(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let inDefault = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (header) {
      inDefault = header[1] === 'default';
      continue;
    }
    if (!inDefault || /^\s*[;#]/.test(line)) continue;
    const kv = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (kv) values.set(kv[1].toLowerCase(), kv[2]);
  }
  return values;
}

export interface DvpConfigImport {
  /** Present when the file names an engine and a user. */
  profile?: EngineProfile;
  password?: string;
  problems: string[];
}

/** Turns dvp's `[default]` engine/user into a profile (HTTP, as dvp connects), the password apart. */
export function importDvpConfig(file: string, profileName = 'dvp default'): DvpConfigImport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      problems: [
        code === 'ENOENT'
          ? `There is no dvp configuration file at ${file}; create a profile by hand instead.`
          : `Cannot read the dvp configuration file ${file} (${code}).`,
      ],
    };
  }
  let defaults: DvpDefaults;
  try {
    defaults = parseDvpConfig(text);
  } catch (e) {
    return { problems: [`Cannot parse the dvp configuration file ${file}: ${(e as Error).message}`] };
  }
  const problems: string[] = [];
  if (!defaults.engine) problems.push(`${file} has no 'engine' in its [default] section.`);
  if (!defaults.user) problems.push(`${file} has no 'user' in its [default] section.`);
  let address: ReturnType<typeof parseEngineAddress> | undefined;
  if (defaults.engine) {
    address = parseEngineAddress(defaults.engine);
    if ('error' in address) problems.push(`${file}: ${address.error}`);
  }
  const result: DvpConfigImport = { password: defaults.password, problems };
  if (problems.length === 0 && address && !('error' in address)) {
    const profile: EngineProfile = { name: profileName, host: address.host, user: defaults.user!, https: address.https ?? false };
    if (address.port !== undefined) profile.port = address.port;
    result.profile = profile;
  }
  return result;
}
