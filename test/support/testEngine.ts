// A small Delphix Engine stand-in on 127.0.0.1 that speaks the upload and download-logs protocol of
// sdk-spec §7 and CHECKS every request against it: paths, methods, the exact `Content-type` header,
// the Cookie (exactly the newest Set-Cookie it issued), the bodies and the multipart form byte for
// byte. A request that breaks the protocol is answered with an ErrorResult and recorded in
// `violations`, so tests assert `violations` is empty. Faults can be switched on per test.
import * as crypto from 'crypto';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';

export const BOUNDARY = '----------boundary------';

export type Route = 'session' | 'login' | 'token' | 'upload' | 'action' | 'job' | 'toolkits' | 'bundle' | 'download';

export interface RecordedRequest {
  method: string;
  url: string;
  route?: Route;
  /** Header names exactly as sent, with their values. */
  rawHeaders: [string, string][];
  body: Buffer;
}

export interface Toolkit {
  type?: string;
  reference: string;
  identifier: string;
  name?: string;
  namespace: string | null;
  [key: string]: unknown;
}

export interface EngineJobEvent {
  timestamp: string;
  messageCode: string;
  messageDetails?: string;
  messageAction?: string;
}

export interface EngineFaults {
  /** Answer the upload with this ErrorResult. */
  uploadErrorResult?: { status: number; details?: string; action?: string };
  /** Answer uploads with a job (an upgrade of an installed plugin). */
  upgrade?: boolean;
  /** The state reported at each poll; the last one repeats. Default RUNNING then COMPLETED. */
  jobStates?: string[];
  /** Job events; at poll n the first n are reported (upgrades only). */
  jobEvents?: EngineJobEvent[];
  /** Extra fields of a failed action (new plugin), e.g. failureDescription. */
  actionFailure?: Record<string, string>;
  /** Answer the route with this status and a non-JSON body, `times` times. */
  failStatus?: Partial<Record<Route, { status: number; times: number }>>;
  /** Answer the route with HTTP 200 and a body that is not JSON. */
  malformedJson?: Route[];
  /** Wait this long before answering the route. */
  delayMs?: Partial<Record<Route, number>>;
  /** Reset the connection when a request of the route has arrived, without answering. */
  resetRoutes?: Route[];
  /** Reset the connection once this many upload body bytes arrived. */
  resetUploadAfterBytes?: number;
  /** Stop reading the upload body once this many bytes arrived. */
  stallUploadAfterBytes?: number;
  /** At this poll (1-based) answer 401 once and forget the session, as an expired session does. */
  expireSessionAtPoll?: number;
  /** Reset the connection after sending this many bytes of the log bundle. */
  resetDownloadAfterBytes?: number;
  /** The bundle token, padded as the engine may send it (the client strips it). */
  bundleTokenText?: string;
}

export interface TestEngineOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  user?: string;
  password?: string;
  /** API versions the session accepts. */
  apiVersions?: string[];
  toolkits?: Toolkit[];
  logBundle?: Buffer;
}

interface Session {
  cookie: string;
  user?: string;
}

export class TestEngine {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  /** Notable things the engine saw: dropped uploads, resets, re-logins. */
  readonly events: string[] = [];
  /** Every artifact received in full, as the exact bytes of the file part. */
  readonly uploads: { token: string; fileName: string; content: Buffer; action: string; job: string | null }[] = [];
  faults: EngineFaults = {};
  toolkits: Toolkit[];
  logBundle: Buffer;
  readonly user: string;
  readonly password: string;
  readonly apiVersions: string[];

  private readonly sessions = new Map<string, Session>();
  private readonly retiredCookies = new Set<string>();
  private readonly expiredCookies = new Set<string>();
  private readonly uploadTokens = new Set<string>();
  private readonly bundleTokens = new Map<string, string>();
  private readonly polls = new Map<string, number>();
  /** Plugin of each upload, installed as a toolkit when its action completes. */
  private readonly pending = new Map<string, { pluginId?: string; name?: string }>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stalled = new Set<http.IncomingMessage>();
  private counter = 0;

  private constructor(
    private readonly server: http.Server,
    readonly https: boolean,
    opts: TestEngineOptions,
  ) {
    this.user = opts.user ?? 'admin';
    this.password = opts.password ?? 'engine-password';
    this.apiVersions = opts.apiVersions ?? ['1.11.16', '1.11.11'];
    this.toolkits = opts.toolkits ?? [];
    this.logBundle = opts.logBundle ?? crypto.randomBytes(1000);
  }

  static async start(opts: TestEngineOptions = {}): Promise<TestEngine> {
    const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }) : http.createServer();
    const engine = new TestEngine(server, !!opts.tls, opts);
    server.on('connection', (s: Socket) => {
      engine.sockets.add(s);
      s.on('close', () => engine.sockets.delete(s));
    });
    server.on('tlsClientError', () => undefined);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => engine.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return engine;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** A profile for this engine (https when started with TLS). */
  profile(extra: Record<string, unknown> = {}) {
    return { name: 'test engine', host: '127.0.0.1', port: this.port, user: this.user, https: this.https, ...extra };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Reads stalled uploads again. A paused socket does not notice that the client went away; reading
   * again drains what the kernel buffered and then shows whether the body ended or the connection dropped.
   */
  resumeStalled(): void {
    for (const req of this.stalled) req.resume();
  }

  routes(): (Route | undefined)[] {
    return this.requests.map((r) => r.route);
  }

  // --- request handling ---

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const rawHeaders: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const record: RecordedRequest = { method: req.method ?? '', url, rawHeaders, body: Buffer.alloc(0) };
    this.requests.push(record);
    const route = routeOf(req.method ?? '', url);
    record.route = route?.route;
    if (!route) {
      this.violation(`unknown request ${req.method} ${url}`);
      req.resume();
      return this.json(res, 404, errorResult('No such resource.', 'Check the URL.'));
    }
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let received = 0;
    let complete = false;
    let stalled = false;
    const isUpload = route.route === 'upload';
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      if (!isUpload) return;
      const f = this.faults;
      if (f.resetUploadAfterBytes !== undefined && received >= f.resetUploadAfterBytes) {
        this.events.push(`upload reset after ${received} bytes`);
        req.socket.resetAndDestroy();
      } else if (f.stallUploadAfterBytes !== undefined && received >= f.stallUploadAfterBytes && !stalled) {
        stalled = true;
        this.events.push(`upload stalled after ${received} bytes`);
        req.pause();
        this.stalled.add(req);
        req.on('close', () => this.stalled.delete(req));
      }
    });
    req.on('end', () => {
      complete = true;
      record.body = Buffer.concat(chunks);
      const delay = this.faults.delayMs?.[route.route];
      const go = () => {
        try {
          this.dispatch(route.route, route.ref, req, res, record);
        } catch (e) {
          this.violation(`test engine failure: ${(e as Error).stack}`);
          this.json(res, 500, errorResult('test engine failure'));
        }
      };
      if (delay) this.later(go, delay);
      else go();
    });
    req.on('close', () => {
      if (!complete && isUpload) this.events.push(`upload connection dropped after ${received} bytes`);
    });
  }

  private dispatch(route: Route, ref: string | undefined, req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest): void {
    const f = this.faults;
    if (f.resetRoutes?.includes(route)) {
      this.events.push(`${route} reset`);
      return void req.socket.resetAndDestroy();
    }
    const fail = f.failStatus?.[route];
    if (fail && fail.times > 0) {
      fail.times--;
      res.writeHead(fail.status, { 'Content-Type': 'text/html' });
      return void res.end(`<html><body><h1>${fail.status} Internal Server Error</h1></body></html>`);
    }
    if (f.malformedJson?.includes(route)) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end('{"type": "OKResult", "result": ');
    }
    const expectedType = route === 'upload' ? `multipart/form-data; boundary=${BOUNDARY}` : route === 'download' ? 'application/octet-stream' : 'application/json';
    const typeProblem = checkContentType(record.rawHeaders, expectedType);
    if (typeProblem) return this.reject(res, typeProblem);
    if (req.method === 'POST') {
      const length = record.rawHeaders.find(([k]) => k.toLowerCase() === 'content-length');
      if (!length || Number(length[1]) !== record.body.length) return this.reject(res, `POST ${route} without an exact Content-Length`);
    } else if (record.body.length > 0) {
      return this.reject(res, `GET ${route} with a body`);
    }
    const cookie = headerValue(record.rawHeaders, 'cookie');

    if (route === 'session') {
      if (cookie !== undefined && !this.sessions.has(cookie) && !this.retiredCookies.has(cookie) && !this.expiredCookies.has(cookie)) {
        return this.reject(res, `session request with a cookie never issued: ${cookie}`);
      }
      const m = /^\{"type": "APISession", "version": \{"type": "APIVersion", "major": (\d+), "minor": (\d+), "micro": (\d+)\}\}$/.exec(record.body.toString('latin1'));
      if (!m) return this.reject(res, `session body not as dvp sends it: ${record.body.toString('latin1')}`);
      if (cookie !== undefined) this.events.push('new session with an old cookie');
      const version = `${m[1]}.${m[2]}.${m[3]}`;
      if (!this.apiVersions.includes(version)) {
        return this.json(res, 400, errorResult(`Invalid API version "${version}".`, 'Use an API version supported by this Delphix Engine.'));
      }
      const newCookie = this.issueCookie();
      this.sessions.set(newCookie, { cookie: newCookie });
      return this.json(res, 200, { type: 'OKResult', status: 'OK', result: { type: 'APISession', version: { type: 'APIVersion', major: +m[1], minor: +m[2], micro: +m[3] } } }, newCookie);
    }

    const session = cookie === undefined ? undefined : this.sessions.get(cookie);
    if (!session) {
      if (cookie !== undefined && this.expiredCookies.has(cookie)) return this.json(res, 401, errorResult('Session expired.', 'Log in again.'));
      return this.reject(res, `${route} request with cookie ${JSON.stringify(cookie)} that is not the newest one issued`, 401);
    }

    if (route === 'login') {
      const expected = `{"type": "LoginRequest", "username": ${pyJsonString(this.user)}, "password": ${pyJsonString(this.password)}}`;
      const body = record.body.toString('latin1');
      const m = /^\{"type": "LoginRequest", "username": ("(?:[^"\\]|\\.)*"), "password": ("(?:[^"\\]|\\.)*")\}$/.exec(body);
      if (!m) return this.reject(res, 'login body not as dvp sends it');
      if (body !== expected) {
        return this.json(res, 401, errorResult('Invalid username or password.', 'Try with a different set of credentials.'));
      }
      // A fresh cookie after login: the client must send the newest one from now on.
      this.sessions.delete(session.cookie);
      this.retiredCookies.add(session.cookie);
      const next = this.issueCookie();
      this.sessions.set(next, { cookie: next, user: this.user });
      return this.json(res, 200, { type: 'OKResult', status: 'OK', result: 'USER-2' }, next);
    }
    if (!session.user) return this.reject(res, `${route} before login`, 401);

    switch (route) {
      case 'token': {
        if (record.body.length !== 0) return this.reject(res, 'requestUploadToken with a body');
        const token = `${Date.now()}-${crypto.randomBytes(6).toString('hex')}`;
        this.uploadTokens.add(token);
        return this.json(res, 200, { type: 'OKResult', status: 'OK', result: { type: 'FileUploadResult', url: '/resources/json/delphix/data/upload', token } });
      }
      case 'upload':
        return this.upload(res, record.body);
      case 'action':
      case 'job':
        return this.poll(route, ref!, res, cookie!);
      case 'toolkits':
        return this.json(res, 200, { type: 'ListResult', status: 'OK', result: this.toolkits, job: null, action: null, total: this.toolkits.length, overflow: false });
      case 'bundle': {
        const m = /^\{"type": "SupportBundleGenerateParameters", "bundleType": "PLUGIN_LOG", "plugin": "([^"\\]*)"\}$/.exec(record.body.toString('latin1'));
        if (!m) return this.reject(res, `bundle body not as dvp sends it: ${record.body.toString('latin1')}`);
        if (!this.toolkits.some((t) => t.reference === m[1])) return this.json(res, 404, errorResult(`No toolkit ${m[1]}.`));
        const token = `bundle-${++this.counter}-${crypto.randomBytes(4).toString('hex')}`;
        this.bundleTokens.set(token, m[1]);
        return this.json(res, 200, { type: 'DataResult', status: 'OK', result: this.faults.bundleTokenText?.replace('TOKEN', token) ?? token });
      }
      case 'download': {
        const token = new URL(record.url, 'http://x').searchParams.get('token') ?? '';
        if (!this.bundleTokens.has(token)) return this.reject(res, `download with unknown token ${token}`);
        this.bundleTokens.delete(token);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(this.logBundle.length) });
        const cut = this.faults.resetDownloadAfterBytes;
        if (cut !== undefined) {
          res.write(this.logBundle.subarray(0, cut), () => this.later(() => res.socket?.resetAndDestroy(), 20));
          return;
        }
        return void res.end(this.logBundle);
      }
    }
  }

  private upload(res: http.ServerResponse, body: Buffer): void {
    const text = body.toString('latin1');
    const tokenHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="token"\r\n\r\n`;
    if (!text.startsWith(tokenHead)) return this.reject(res, 'multipart: token part header not byte-exact');
    const tokenEnd = text.indexOf('\r\n', tokenHead.length);
    const token = text.slice(tokenHead.length, tokenEnd);
    const fileHead = `\r\n--${BOUNDARY}\r\nContent-Disposition:form-data; name="file"; filename="`;
    if (text.slice(tokenEnd, tokenEnd + fileHead.length) !== fileHead) return this.reject(res, 'multipart: file part header not byte-exact');
    const nameStart = tokenEnd + fileHead.length;
    const typeLine = '"\r\nContent-Type: application/octet-stream\r\n\r\n';
    const nameEnd = text.indexOf(typeLine, nameStart);
    if (nameEnd < 0) return this.reject(res, 'multipart: file part content type not byte-exact');
    const tail = `\r\n--${BOUNDARY}--\r\n`;
    if (!text.endsWith(tail)) return this.reject(res, 'multipart: closing boundary not byte-exact');
    const content = body.subarray(nameEnd + typeLine.length, body.length - tail.length);
    if (!this.uploadTokens.delete(token)) return this.reject(res, `upload with an unknown or used token ${token}`);
    if (content.some((b) => b > 0x7e)) return this.reject(res, 'artifact is not ASCII-only json.dumps output');
    let artifact: { pluginId?: string; name?: string };
    try {
      artifact = JSON.parse(content.toString('latin1'));
    } catch {
      return this.reject(res, 'artifact is not JSON');
    }
    if (this.faults.uploadErrorResult) {
      const e = this.faults.uploadErrorResult;
      return this.json(res, e.status, errorResult(e.details, e.action));
    }
    const n = ++this.counter;
    const action = `ACTION-${n}`;
    const job = this.faults.upgrade ? `JOB-${n}` : null;
    this.uploads.push({ token, fileName: text.slice(nameStart, nameEnd), content: Buffer.from(content), action, job });
    this.pending.set(action, { pluginId: artifact.pluginId, name: artifact.name });
    this.json(res, 200, { type: 'OKResult', status: 'OK', result: '', job, action });
  }

  private poll(route: 'action' | 'job', ref: string, res: http.ServerResponse, cookie: string): void {
    const upload = this.uploads.find((u) => u.action === ref);
    if (!upload) return this.json(res, 404, errorResult(`No action ${ref}.`));
    if ((route === 'job') !== (upload.job !== null)) return this.reject(res, `polled ${route} for an upload that ${upload.job ? 'has' : 'has no'} job`);
    const n = (this.polls.get(ref) ?? 0) + 1;
    if (this.faults.expireSessionAtPoll === n && !this.events.includes(`session expired at poll ${n}`)) {
      this.events.push(`session expired at poll ${n}`);
      this.sessions.delete(cookie);
      this.expiredCookies.add(cookie);
      return this.json(res, 401, errorResult('Session expired.', 'Log in again.'));
    }
    this.polls.set(ref, n);
    const states = this.faults.jobStates ?? ['RUNNING', 'COMPLETED'];
    const state = states[Math.min(n, states.length) - 1];
    if (state === 'COMPLETED') {
      const p = this.pending.get(ref);
      if (p?.pluginId && !this.toolkits.some((t) => t.identifier === p.pluginId && t.namespace === null)) {
        this.toolkits.push({ type: 'Toolkit', reference: `APPDATA_TOOLKIT-${++this.counter}`, identifier: p.pluginId, name: p.name, namespace: null });
      }
    }
    if (route === 'job') {
      const events = (this.faults.jobEvents ?? []).slice(0, n).map((e) => ({ type: 'JobEvent', ...e }));
      return this.json(res, 200, { type: 'OKResult', status: 'OK', result: { type: 'Job', reference: upload.job, jobState: state, events } });
    }
    const extra = state === 'FAILED' ? this.faults.actionFailure ?? {} : {};
    this.json(res, 200, { type: 'OKResult', status: 'OK', result: { type: 'Action', reference: ref, title: 'Upload toolkit', state, ...extra } });
  }

  private issueCookie(): string {
    return `JSESSIONID=${crypto.randomBytes(16).toString('hex').toUpperCase()}; Path=/resources; HttpOnly`;
  }

  private reject(res: http.ServerResponse, problem: string, status = 400): void {
    this.violation(problem);
    this.json(res, status, errorResult(`test engine: protocol violation: ${problem}`, 'Fix the client.'));
  }

  private violation(problem: string): void {
    this.violations.push(problem);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, setCookie?: string): void {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
    if (setCookie) headers['Set-Cookie'] = setCookie;
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

function routeOf(method: string, url: string): { route: Route; ref?: string } | undefined {
  const prefix = '/resources/json/delphix/';
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length);
  const post: Record<string, Route> = {
    session: 'session',
    login: 'login',
    'toolkit/requestUploadToken': 'token',
    'data/upload': 'upload',
    'service/support/bundle/generate': 'bundle',
  };
  if (method === 'POST' && post[rest]) return { route: post[rest] };
  if (method !== 'GET') return undefined;
  if (rest === 'toolkit') return { route: 'toolkits' };
  if (/^data\/downloadOutputStream\?token=[^&]+$/.test(rest)) return { route: 'download' };
  let m = /^action\/([A-Z_]+-\d+)\/getJob$/.exec(rest);
  if (m) return { route: 'job', ref: m[1] };
  m = /^action\/([A-Z_]+-\d+)$/.exec(rest);
  if (m) return { route: 'action', ref: m[1] };
  return undefined;
}

function checkContentType(raw: [string, string][], expected: string): string | undefined {
  const all = raw.filter(([k]) => k.toLowerCase() === 'content-type');
  if (all.length !== 1) return `expected exactly one Content-type header, got ${all.length}`;
  if (all[0][0] !== 'Content-type') return `header name '${all[0][0]}' is not dvp's 'Content-type'`;
  if (all[0][1] !== expected) return `Content-type '${all[0][1]}' is not '${expected}'`;
  return undefined;
}

function headerValue(raw: [string, string][], name: string): string | undefined {
  const all = raw.filter(([k]) => k.toLowerCase() === name);
  return all.length === 1 ? all[0][1] : all.length > 1 ? all.map(([, v]) => v).join('; ') : undefined;
}

function errorResult(details?: string, action?: string) {
  return { type: 'ErrorResult', status: 'ERROR', error: { type: 'APIError', details, action, id: 'exception.test', commandOutput: null, diagnoses: [] } };
}

/** A string as Python's json.dumps writes it (ASCII only), written apart from the code under test. */
export function pyJsonString(s: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  return (
    '"' +
    [...s]
      .map((ch) => {
        if (named[ch]) return named[ch];
        const units = ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)];
        return units.length === 1 && units[0] >= 0x20 && units[0] <= 0x7e ? ch : units.map((u) => '\\u' + u.toString(16).padStart(4, '0')).join('');
      })
      .join('') +
    '"'
  );
}
