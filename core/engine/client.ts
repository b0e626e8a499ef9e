// A Delphix Engine client that speaks the web API exactly as dvp's DelphixClient does (sdk-spec §7),
// and the two things authors do with it: upload an artifact and download the plugin logs.
//
// Where dvp is weak we do better (for the README):
// - HTTPS with certificate verification on by default and a per-profile CA file for self-signed engines
//   (dvp speaks plain HTTP only); `insecure` exists but is always reported as a warning.
// - A connect timeout and an inactivity timeout on every request (dvp waits forever).
// - Cancellation through an AbortSignal at any point, mid-upload and mid-download included.
// - Every failure is an EngineError with a kind and a message that says what to do, never a traceback,
//   and the password is scrubbed from every message, progress line and error.
// - Safe retries: polling and read-only GETs retry transient failures; an expired session during the
//   --wait poll logs in again once. The upload POST is never re-sent.
// - The download goes to a temporary file that is renamed when complete: no partial bundle is left.
// - The --wait poll interval and timeout are options (dvp: 5 s and 60 min, fixed).
import * as fs from 'fs';
import * as path from 'path';
import type { LookupFunction } from 'net';
import { apiVersionAdvice, TOOLS_API_NOTE } from './apiAdvice';
import { ApiVersion, formatApiVersion, readUploadArtifact, type UploadArtifact } from './artifact';
import { EngineError, scrubSecrets } from './errors';
import { defaultPort, engineAddress, EngineProfile, validateProfile } from './profiles';
import {
  bundleBody,
  errorResultOf,
  formatErrorResult,
  isRecord,
  JOB_FAILED_STATES,
  JSON_CONTENT,
  loginBody,
  multipartParts,
  multipartValueProblem,
  OCTET_CONTENT,
  RESOURCES,
  sessionBody,
  TOOLS_ENGINE_API,
  UPLOAD_CONTENT,
} from './protocol';
import { pyObject, PyNumber, PyObject } from '../pythonJson';
import { cancelledError, IncomingResponse, readBody, send, TransportOptions } from './transport';

export type EngineStep = 'session' | 'login' | 'token' | 'upload' | 'job' | 'download';

export interface EngineProgress {
  step: EngineStep;
  message: string;
  /** Bytes sent (upload) or received (download) so far, and the total when known. */
  bytes?: number;
  total?: number;
  /** True for messages the user must see (insecure TLS, job warnings). */
  warning?: boolean;
}

export interface EngineClientOptions {
  profile: EngineProfile;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
  /** Default 15 s. */
  connectTimeoutMs?: number;
  /** Longest silence within one request; default 120 s. */
  requestTimeoutMs?: number;
  /** How the user raises the request timeout, named in the timeout message (CLI option or setting). */
  requestTimeoutHint?: string;
  /** Extra attempts for read-only GETs after a network error or a 5xx; default 2. */
  retries?: number;
  /** Pause before such a retry; default 1 s. */
  retryDelayMs?: number;
  lookup?: LookupFunction;
}

export interface JobEvent {
  timestamp?: string;
  messageCode?: string;
  messageDetails?: string;
  messageAction?: string;
}

export interface UploadResponse {
  /** e.g. `ACTION-12`. */
  action: string | null;
  /** Set when the upload upgrades an installed plugin, e.g. `JOB-7`. */
  job: string | null;
  /** Size of the multipart body sent. */
  bytes: number;
}

export interface WaitResult {
  state: string;
  events: JobEvent[];
}

type Json = Record<string, unknown>;

export class EngineClient {
  readonly profile: EngineProfile;
  /** Warnings the caller must show (certificate verification off). */
  readonly warnings: string[] = [];
  private readonly opts: EngineClientOptions;
  private cookie: string | undefined;
  // Kept only to log in again when the session expires during a long --wait.
  private password: string | undefined;
  private apiVersion: PyObject | undefined;
  private versionOrigin: 'artifact' | 'tools' = 'artifact';
  private ca: Buffer | undefined;
  private warned = false;

  constructor(options: EngineClientOptions) {
    const { profile, problems } = validateProfile(options.profile);
    if (!profile) throw new EngineError('badProfile', problems.map((p) => p.message).join('\n'));
    this.profile = profile;
    this.opts = options;
    if (profile.https && profile.insecure) {
      this.warnings.push(
        `TLS certificate verification is OFF for the engine at ${this.address} (profile '${profile.name}' is marked insecure): ` +
          'anyone on the network path could read the password. Add the engine\'s CA file to the profile instead.',
      );
    }
  }

  get address(): string {
    return engineAddress(this.profile);
  }

  /**
   * Starts a session with the given API version and logs in (dvp's login). `origin` says where the
   * version comes from, for the advice when the engine refuses it.
   */
  async login(apiVersion: ApiVersion | PyObject, password: string, origin: 'artifact' | 'tools' = 'artifact'): Promise<void> {
    this.password = password;
    this.versionOrigin = origin;
    this.apiVersion = apiVersion instanceof PyObject ? apiVersion : apiVersionObject(apiVersion);
    await this.guard(() => this.startSession());
  }

  async requestUploadToken(): Promise<string> {
    return this.guard(async () => {
      this.progress({ step: 'token', message: 'Requesting an upload token.' });
      const r = await this.post(RESOURCES.uploadToken, 'the upload token request');
      const token = isRecord(r.result) ? r.result.token : undefined;
      if (typeof token !== 'string' || !token) throw unexpectedShape('requestUploadToken', 'result.token', r);
      return token;
    });
  }

  /** Posts the multipart upload once; it is never retried. `artifactJson` is dvp's `json.dumps` of the artifact. */
  async upload(fileName: string, artifactJson: string, token: string): Promise<UploadResponse> {
    return this.guard(async () => {
      const tokenProblem = multipartValueProblem(token);
      if (tokenProblem) throw new EngineError('protocol', `The engine's upload token cannot be sent in the upload form: ${tokenProblem}.`);
      const parts = multipartParts(token, fileName, artifactJson);
      let last = -1;
      const r = await this.post(RESOURCES.upload, `the upload of ${fileName}`, parts, UPLOAD_CONTENT, (sent, total) => {
        // A line per 5% keeps the output readable for artifacts of many megabytes.
        const step = Math.floor((sent / total) * 20);
        if (step === last && sent !== total) return;
        last = step;
        this.progress({ step: 'upload', message: `Uploading ${fileName}`, bytes: sent, total });
        if (sent === total) {
          this.progress({ step: 'upload', message: `All ${total} bytes of ${fileName} sent; awaiting the engine's answer.` });
        }
      });
      return {
        action: typeof r.action === 'string' ? r.action : null,
        job: typeof r.job === 'string' ? r.job : null,
        bytes: parts.reduce((n, b) => n + b.length, 0),
      };
    });
  }

  /**
   * Polls until the upload is done (dvp's --wait): a new plugin through `action/<ref>` `.state`, an
   * upgrade through `action/<ref>/getJob` `.jobState`, logging each new job event once.
   */
  async waitForUpload(
    name: string,
    upload: Pick<UploadResponse, 'action' | 'job'>,
    timing: { intervalMs?: number; timeoutMs?: number } = {},
  ): Promise<WaitResult> {
    return this.guard(async () => {
      const intervalMs = timing.intervalMs ?? 5000;
      const timeoutMs = timing.timeoutMs ?? 3600 * 1000;
      const action = upload.action;
      if (!action) throw new EngineError('protocol', `The engine's answer to the upload of ${name} names no action to wait for.`);
      const what = upload.job ? `job ${upload.job}` : `action ${action}`;
      const start = Date.now();
      const seen = new Set<string>();
      const events: JobEvent[] = [];
      let lastState = '';
      for (;;) {
        await sleep(intervalMs, this.opts.signal);
        const resource = upload.job ? RESOURCES.actionJob(action) : RESOURCES.action(action);
        const r = await this.get(resource, `the state of ${what}`, { relogin: true, step: 'job' });
        const result = isRecord(r.result) ? r.result : undefined;
        const state = result?.[upload.job ? 'jobState' : 'state'];
        if (typeof state !== 'string') throw unexpectedShape(resource, upload.job ? 'result.jobState' : 'result.state', r);
        if (upload.job) {
          for (const ev of Array.isArray(result?.events) ? result!.events : []) {
            if (!isRecord(ev)) continue;
            const event: JobEvent = {
              timestamp: str(ev.timestamp),
              messageCode: str(ev.messageCode),
              messageDetails: str(ev.messageDetails),
              messageAction: str(ev.messageAction),
            };
            const key = `${event.timestamp}\u0000${event.messageCode}`;
            if (seen.has(key)) continue;
            seen.add(key);
            events.push(event);
            this.progress({ step: 'job', message: formatEvent(event) });
          }
        }
        if (state !== lastState) {
          this.progress({ step: 'job', message: `The engine's ${what} is ${state}.` });
          lastState = state;
        }
        if (state === 'COMPLETED') return { state, events };
        if (JOB_FAILED_STATES.includes(state)) {
          const messages = events.map(formatEvent);
          for (const k of ['failureDescription', 'failureAction'] as const) {
            if (typeof result?.[k] === 'string' && result[k]) messages.push(result[k] as string);
          }
          throw new EngineError(
            'jobFailed',
            `Failed trying to upload plugin ${name}. The engine's ${what} ended ${state}.` +
              (messages.length ? `\n${messages.join('\n')}` : '') +
              '\nFix what the engine reports, then upload again.',
            { jobMessages: messages },
          );
        }
        if (Date.now() - start > timeoutMs) {
          throw new EngineError(
            'timeout',
            `Timed out waiting for upload of plugin ${name} to complete: the engine's ${what} is still ${state} after ${Math.round(timeoutMs / 1000)} s. ` +
              'It may still finish: check the engine\'s jobs, or wait longer with a larger timeout.',
          );
        }
      }
    });
  }

  /** The reference of the plugin's toolkit: `identifier` equal to the plugin id, not replicated (namespace null). */
  async findToolkit(pluginId: string, pluginName: string): Promise<string> {
    return this.guard(async () => {
      this.progress({ step: 'download', message: `Looking for plugin ${pluginName} on the engine.` });
      const r = await this.get(RESOURCES.toolkits, 'the list of plugins', { relogin: false, step: 'download' });
      if (!Array.isArray(r.result)) throw unexpectedShape(RESOURCES.toolkits, 'result[]', r);
      const found = r.result.find((t) => isRecord(t) && t.identifier === pluginId && t.namespace == null);
      const ref = isRecord(found) ? found.reference : undefined;
      if (typeof ref === 'string' && ref) return ref;
      throw new EngineError(
        'notFound',
        `Cannot find plugin ${pluginName} (id ${pluginId}) on Delphix Engine ${this.address}. Upload your plugin and try again.`,
      );
    });
  }

  /** Asks the engine to bundle the plugin's logs; returns the download token. */
  async generateLogBundle(toolkitRef: string): Promise<string> {
    return this.guard(async () => {
      this.progress({ step: 'download', message: `Asking the engine to bundle the logs of ${toolkitRef}.` });
      const r = await this.post(RESOURCES.generateBundle, 'the log bundle request', [Buffer.from(bundleBody(toolkitRef), 'latin1')]);
      const token = typeof r.result === 'string' ? r.result.trim() : '';
      if (!token) throw unexpectedShape(RESOURCES.generateBundle, 'result (the download token)', r);
      return token;
    });
  }

  /**
   * Streams the bundle into a temporary file next to `file` and renames it when complete, so a failure
   * or a cancel never leaves a partial bundle. Returns the number of bytes written.
   */
  async downloadLogBundle(token: string, file: string): Promise<number> {
    return this.guard(async () => {
      const res = await this.send('GET', RESOURCES.download(token), 'the log bundle download', OCTET_CONTENT);
      if (res.status !== 200) throw await this.httpFailure(res, 'the log bundle download');
      const total = Number(res.headers['content-length']) || undefined;
      const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.part`);
      let handle: fs.promises.FileHandle | undefined;
      let bytes = 0;
      try {
        try {
          handle = await fs.promises.open(tmp, 'wx');
        } catch (e) {
          res.stream.destroy();
          throw ioError(e, path.dirname(file));
        }
        let lastReport = 0;
        try {
          for await (const chunk of res.stream) {
            await handle.write(chunk as Buffer);
            bytes += (chunk as Buffer).length;
            if (bytes - lastReport >= 256 * 1024) {
              lastReport = bytes;
              this.progress({ step: 'download', message: 'Downloading the log bundle', bytes, total });
            }
          }
        } catch (e) {
          throw e instanceof EngineError ? e : isFsError(e) ? ioError(e, path.dirname(file)) : res.failure(e);
        }
        if (!res.stream.complete) throw res.failure(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        await handle.close();
        handle = undefined;
        await fs.promises.rename(tmp, file);
        this.progress({ step: 'download', message: 'Downloaded the log bundle', bytes, total: total ?? bytes });
        return bytes;
      } finally {
        await handle?.close().catch(() => undefined);
        await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      }
    });
  }

  // --- the protocol ---

  /** Shown once per client, before anything goes over the wire. */
  private emitWarnings(): void {
    if (this.warned) return;
    this.warned = true;
    for (const w of this.warnings) this.progress({ step: 'session', message: `WARNING: ${w}`, warning: true });
  }

  private async startSession(): Promise<void> {
    this.emitWarnings();
    const version = this.apiVersion!;
    const v = describeVersion(version);
    this.progress({ step: 'session', message: `Starting a session with the engine at ${this.address} (API ${v}).` });
    this.cookie = undefined;
    try {
      await this.post(RESOURCES.session, 'the session request', [Buffer.from(sessionBody(version), 'latin1')]);
    } catch (e) {
      if (e instanceof EngineError && e.kind === 'errorResult' && /version/i.test(`${e.details} ${e.message}`)) {
        throw new EngineError(
          'apiVersion',
          `The engine at ${this.address} does not support the Delphix API version ${v} the session asked for.\n${e.message}\n${this.versionOrigin === 'tools' ? TOOLS_API_NOTE : apiVersionAdvice(v)}`,
          { status: e.status, details: e.details, action: e.action },
        );
      }
      throw e;
    }
    this.progress({ step: 'login', message: `Logging in as '${this.profile.user}'.` });
    try {
      await this.post(RESOURCES.login, 'the login', [Buffer.from(loginBody(this.profile.user, this.password ?? ''), 'latin1')]);
    } catch (e) {
      const refused =
        e instanceof EngineError && (e.kind === 'errorResult' || (e.kind === 'http' && (e.status === 401 || e.status === 403)));
      if (!refused) throw e;
      throw new EngineError(
        'auth',
        `Login to the engine at ${this.address} as '${this.profile.user}' failed.\n${e.message}\n` +
          'Check the user name in the engine profile and the password you gave (stored secret or DELPHIX_ENGINE_PASSWORD).',
        { status: e.status, details: e.details, action: e.action },
      );
    }
  }

  /** dvp's __post: success is HTTP 200 with an OKResult or DataResult. */
  private async post(
    resource: string,
    purpose: string,
    body: Buffer[] = [],
    contentType = JSON_CONTENT,
    onBodyProgress?: (sent: number, total: number) => void,
  ): Promise<Json> {
    const res = await this.send('POST', resource, purpose, contentType, body, onBodyProgress);
    const text = (await readBody(res)).toString('utf8');
    const json = parseJson(text);
    if (json === undefined) throw nonJson(res, text, purpose, this.address);
    if (res.status === 200 && isRecord(json) && (json.type === 'OKResult' || json.type === 'DataResult')) return json;
    throw errorFromJson(res.status, json, purpose);
  }

  /** dvp's __get (anything but 200 fails), plus safe retries and one re-login on an expired session. */
  private async get(resource: string, purpose: string, o: { relogin: boolean; step: EngineStep }): Promise<Json> {
    const retries = this.opts.retries ?? 2;
    let attempt = 0;
    let reloggedIn = false;
    for (;;) {
      try {
        const res = await this.send('GET', resource, purpose, JSON_CONTENT);
        const text = (await readBody(res)).toString('utf8');
        if ((res.status === 401 || res.status === 403) && o.relogin && !reloggedIn && this.apiVersion) {
          reloggedIn = true;
          this.progress({ step: 'login', message: `The engine session expired (HTTP ${res.status}); logging in again.` });
          await this.startSession();
          continue;
        }
        if (res.status >= 500 && attempt < retries) throw new RetryableStatus(res.status);
        const json = parseJson(text);
        if (res.status === 200 && isRecord(json)) return json;
        if (json === undefined) throw nonJson(res, text, purpose, this.address);
        throw errorFromJson(res.status, json, purpose);
      } catch (e) {
        const transient = e instanceof RetryableStatus || (e instanceof EngineError && (e.kind === 'network' || e.kind === 'timeout'));
        if (!transient || attempt >= retries) throw e;
        attempt++;
        this.progress({ step: o.step, message: `Retrying ${purpose} (${describeTransient(e)}).` });
        await sleep(this.opts.retryDelayMs ?? 1000, this.opts.signal);
      }
    }
  }

  private async send(
    method: 'GET' | 'POST',
    resource: string,
    purpose: string,
    contentType: string,
    body?: Buffer[],
    onBodyProgress?: (sent: number, total: number) => void,
  ): Promise<IncomingResponse> {
    this.emitWarnings();
    // Exactly dvp's headers: `Content-type` with a lowercase t, and the raw Set-Cookie echoed back.
    const headers: Record<string, string> = { 'Content-type': contentType };
    if (this.cookie !== undefined) headers.Cookie = this.cookie;
    // Only the artifact upload reports body progress; it is also the one request never re-sent.
    const res = await send(this.transport(), { method, resource, headers, body, onBodyProgress, purpose, uploadOnce: onBodyProgress !== undefined });
    const setCookie = res.headers['set-cookie'];
    // requests joins repeated Set-Cookie headers with ", "; the engine reads the first cookie of that.
    if (setCookie && setCookie.length) this.cookie = setCookie.join(', ');
    return res;
  }

  private transport(): TransportOptions {
    const p = this.profile;
    if (p.https && p.caFile && !this.ca) this.ca = readCaFile(p);
    return {
      https: p.https,
      host: p.host,
      port: defaultPort(p),
      address: this.address,
      ca: this.ca,
      insecure: p.insecure,
      connectTimeoutMs: this.opts.connectTimeoutMs ?? 15_000,
      requestTimeoutMs: this.opts.requestTimeoutMs ?? 120_000,
      requestTimeoutHint: this.opts.requestTimeoutHint,
      signal: this.opts.signal,
      lookup: this.opts.lookup,
    };
  }

  private async httpFailure(res: IncomingResponse, purpose: string): Promise<EngineError> {
    const text = (await readBody(res, 64 * 1024)).toString('utf8');
    const json = parseJson(text);
    return json === undefined ? nonJson(res, text, purpose, this.address) : errorFromJson(res.status, json, purpose);
  }

  private progress(p: EngineProgress): void {
    const secrets = this.password ? [this.password] : [];
    try {
      this.opts.onProgress?.({ ...p, message: scrubSecrets(p.message, secrets) });
    } catch {
      // A failing progress display must not break the upload.
    }
  }

  /** Every public method runs here: errors become EngineErrors and never carry the password. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      if (this.opts.signal?.aborted) throw cancelledError();
      return await fn();
    } catch (e) {
      let err: EngineError;
      if (e instanceof EngineError) err = e;
      else if (this.opts.signal?.aborted) err = cancelledError();
      else err = new EngineError('network', `Unexpected failure talking to the engine at ${this.address}: ${(e as Error)?.message ?? String(e)}`);
      throw err.scrubbed(this.password ? [this.password] : []);
    }
  }
}

class RetryableStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function describeTransient(e: unknown): string {
  return e instanceof RetryableStatus ? `HTTP ${e.status}` : e instanceof EngineError ? (e.code ?? e.kind) : 'error';
}

function apiVersionObject(v: ApiVersion): PyObject {
  return pyObject([
    ['type', 'APIVersion'],
    ['major', new PyNumber(String(v.major))],
    ['minor', new PyNumber(String(v.minor))],
    ['micro', new PyNumber(String(v.micro))],
  ]);
}

function describeVersion(v: PyObject): string {
  const part = (k: string) => {
    const n = v.get(k);
    return n instanceof PyNumber ? n.text : '?';
  };
  return `${part('major')}.${part('minor')}.${part('micro')}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function dump(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}\n... (${text.length - 2000} more characters)` : text;
}

function nonJson(res: IncomingResponse, text: string, purpose: string, address: string): EngineError {
  if (res.status !== 200) {
    const hint =
      res.status === 404
        ? ` Check that ${address} is a Delphix Engine and that the port is its web port.`
        : res.status >= 500
          ? ' The engine failed internally; try again later or look at the engine\'s logs.'
          : '';
    return new EngineError(
      'http',
      `The engine answered ${purpose} with HTTP ${res.status} ${res.statusMessage}.${hint}\nResponse:\n${dump(text)}`,
      { status: res.status },
    );
  }
  return new EngineError(
    'protocol',
    `Received an unexpected error with HTTP Status ${res.status},\nDumping full response:\n${dump(text)}\n` +
      `(The answer to ${purpose} is not JSON: check that ${address} is a Delphix Engine.)`,
    { status: res.status },
  );
}

function errorFromJson(status: number, json: unknown, purpose: string): EngineError {
  const er = errorResultOf(json);
  if (er) {
    return new EngineError('errorResult', `The engine refused ${purpose}.\n${formatErrorResult(status, er)}`, {
      status,
      details: er.details,
      action: er.action,
    });
  }
  if (status !== 200) {
    return new EngineError('http', `The engine answered ${purpose} with HTTP ${status}:\n${dump(JSON.stringify(json, null, 2))}`, { status });
  }
  return new EngineError(
    'protocol',
    `Received an unexpected error with HTTP Status ${status},\nDumping full response:\n${dump(JSON.stringify(json, null, 2))}`,
    { status },
  );
}

function unexpectedShape(resource: string, field: string, json: unknown): EngineError {
  return new EngineError(
    'protocol',
    `The engine's answer to ${resource} has no ${field}. Dumping full response:\n${dump(JSON.stringify(json, null, 2))}`,
  );
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v);
}

function formatEvent(e: JobEvent): string {
  return [`Timestamp: ${e.timestamp}, Code: ${e.messageCode}`, e.messageDetails, e.messageAction].filter((s) => s).join('\n');
}

function readCaFile(p: EngineProfile): Buffer {
  let ca: Buffer;
  try {
    ca = fs.readFileSync(p.caFile!);
  } catch (e) {
    throw new EngineError(
      'badProfile',
      `Cannot read the CA file '${p.caFile}' of engine profile '${p.name}' (${(e as NodeJS.ErrnoException).code}). Fix the path in the profile.`,
    );
  }
  if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
    throw new EngineError(
      'badProfile',
      `The CA file '${p.caFile}' of engine profile '${p.name}' holds no PEM certificate (-----BEGIN CERTIFICATE-----). Export the engine's CA certificate in PEM format.`,
    );
  }
  return ca;
}

function isFsError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.syscall === 'string' && ['write', 'open', 'close', 'rename'].includes((e as NodeJS.ErrnoException).syscall!);
}

function ioError(e: unknown, dir: string): EngineError {
  const code = (e as NodeJS.ErrnoException).code;
  return new EngineError('io', `Cannot write the log bundle into ${dir} (${code}). Choose a directory you can write to, with free space.`, { code });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// --- what the commands call ---

export interface CommonEngineOptions {
  profile: EngineProfile;
  /** Handed in by the caller (secret storage, environment, prompt); never stored. */
  password: string;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  requestTimeoutHint?: string;
  retries?: number;
  retryDelayMs?: number;
  lookup?: LookupFunction;
}

export interface UploadOptions extends CommonEngineOptions {
  artifactPath: string;
  /** Wait for the engine to finish installing the plugin (dvp --wait). */
  wait?: boolean;
  /** Default 5000 (dvp). */
  pollIntervalMs?: number;
  /** Default one hour (dvp). */
  pollTimeoutMs?: number;
  /** Send an artifact built without the SDK runtime (for test engines); refused otherwise. */
  allowNoSdkRuntime?: boolean;
  /** The artifact already read (readUploadArtifact) from artifactPath, so it is not read twice. */
  artifact?: UploadArtifact;
}

/** Refuses an artifact the engine could not run (no SDK runtime), unless asked to send it anyway. */
export function checkUploadable(artifact: UploadArtifact, allowNoSdkRuntime = false): void {
  if (!artifact.hasSdkRuntime && !allowNoSdkRuntime) throw new EngineError('noSdkRuntime', noSdkRuntimeMessage(artifact.file));
}

/** Why an artifact without the SDK runtime is refused, and how to make one that is not. */
export function noSdkRuntimeMessage(file: string): string {
  return (
    `${file} was built without the SDK runtime (build --no-sdk-runtime, or the setting delphix.build.includeSdkRuntime off): ` +
    'its code lacks the dlpx.virtualization packages (dvp-platform, dvp-libs, dvp-common) that the engine imports the plugin with, ' +
    'so the engine could not load the plugin and every operation would fail. It was not uploaded.\n' +
    'Rebuild it with the runtime: `build` without --no-sdk-runtime (offline: --find-links WHEELHOUSE), or "Delphix: Build Plugin" ' +
    'with delphix.build.includeSdkRuntime on; then upload again.'
  );
}

export interface UploadResult {
  engine: string;
  artifactPath: string;
  fileName: string;
  pluginName?: string;
  pluginId?: string;
  /** The artifact's engine API, used for the session. */
  engineApi: string;
  /** Bytes of the multipart body sent. */
  bytes: number;
  action: string | null;
  job: string | null;
  /** True when the engine answered with a job: the upload upgrades an installed plugin. */
  upgrade: boolean;
  /** `COMPLETED` after a wait; undefined without --wait. */
  finalState?: string;
  events: JobEvent[];
  warnings: string[];
}

/** dvp upload: check the artifact, log in with its engineApi, upload it, and optionally wait for the job. */
export async function uploadArtifact(o: UploadOptions): Promise<UploadResult> {
  const artifact = o.artifact ?? readUploadArtifact(o.artifactPath);
  const nameProblem = multipartValueProblem(artifact.fileName);
  if (nameProblem) {
    throw new EngineError(
      'badArtifact',
      `The artifact file name '${artifact.fileName}' cannot be sent in the upload form: ${nameProblem}. Rename the file (for example to artifact.json).`,
    );
  }
  checkUploadable(artifact, o.allowNoSdkRuntime);
  const client = new EngineClient(o);
  if (!artifact.hasSdkRuntime) {
    client.warnings.push(`${artifact.fileName} has no SDK runtime (sent as asked): the engine will not be able to load the plugin.`);
  }
  const note = artifact.buildNote;
  if (note?.python && note.enginePython && !note.python.startsWith(`${note.enginePython}.`)) {
    client.warnings.push(
      `${artifact.fileName} was compiled by Python ${note.python}, but the engine runs SDK ${note.sdk ?? ''} plugins on Python ${note.enginePython}: ` +
        'it cannot load .pyc files of another version. Rebuild with Python ' + note.enginePython + ' (--python, or the setting delphix.python).',
    );
  }
  await client.login(artifact.engineApiValue, o.password);
  const token = await client.requestUploadToken();
  const upload = await client.upload(artifact.fileName, artifact.body, token);
  const result: UploadResult = {
    engine: client.address,
    artifactPath: artifact.file,
    fileName: artifact.fileName,
    pluginName: artifact.pluginName,
    pluginId: artifact.pluginId,
    engineApi: formatApiVersion(artifact.engineApi),
    bytes: upload.bytes,
    action: upload.action,
    job: upload.job,
    upgrade: upload.job !== null,
    events: [],
    warnings: client.warnings,
  };
  if (o.wait) {
    const waited = await client.waitForUpload(artifact.fileName, upload, { intervalMs: o.pollIntervalMs, timeoutMs: o.pollTimeoutMs });
    result.finalState = waited.state;
    result.events = waited.events;
  }
  return result;
}

export interface DownloadLogsOptions extends CommonEngineOptions {
  /** The plugin config's `id` (the toolkit's identifier on the engine). */
  pluginId: string;
  /** The plugin config's `name` (file name and messages). */
  pluginName: string;
  /** Where the bundle goes; must exist and be writable. */
  directory: string;
}

export interface DownloadLogsResult {
  engine: string;
  toolkit: string;
  token: string;
  file: string;
  bytes: number;
  warnings: string[];
}

/** dvp download-logs: log in with the tools' API version, find the toolkit, generate and save the bundle. */
export async function downloadPluginLogs(o: DownloadLogsOptions): Promise<DownloadLogsResult> {
  const directory = path.resolve(o.directory);
  try {
    if (!fs.statSync(directory).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    fs.accessSync(directory, fs.constants.W_OK);
  } catch (e) {
    throw new EngineError(
      'io',
      `The download directory ${directory} ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not a writable directory'}. Choose an existing directory you can write to.`,
      { code: (e as NodeJS.ErrnoException).code },
    );
  }
  const client = new EngineClient(o);
  await client.login(TOOLS_ENGINE_API, o.password, 'tools');
  const toolkit = await client.findToolkit(o.pluginId, o.pluginName);
  const token = await client.generateLogBundle(toolkit);
  const file = path.join(directory, `dlpx-plugin-logs-${safeFileNamePart(o.pluginName)}-${safeFileNamePart(token)}.tar.gz`);
  const bytes = await client.downloadLogBundle(token, file);
  return { engine: client.address, toolkit, token, file, bytes, warnings: client.warnings };
}

/** dvp writes the name as is; we replace what no file system accepts (separators, Windows' reserved characters). */
export function safeFileNamePart(s: string): string {
  return s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
}
