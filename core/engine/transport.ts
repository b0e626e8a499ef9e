// One HTTP(S) exchange with the engine over node:http / node:https, with what dvp's `requests` calls
// lack: certificate checks against a profile's CA, a connect timeout, an inactivity timeout, cancellation
// at any moment (also mid-upload and mid-download), and failures turned into EngineErrors that say what to do.
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import type { LookupFunction } from 'net';
import * as tls from 'tls';
import { EngineError } from './errors';
import { RESOURCE_ROOT } from './protocol';

export interface TransportOptions {
  https: boolean;
  host: string;
  port: number;
  /** `host:port` for messages. */
  address: string;
  ca?: Buffer;
  insecure?: boolean;
  connectTimeoutMs: number;
  /** Longest silence (no bytes either way) once connected. */
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** Replaces DNS resolution (tests exercise resolution failures without a DNS server). */
  lookup?: LookupFunction;
  /** How the user raises requestTimeoutMs, for the timeout message (e.g. "--timeout-request SECONDS"). */
  requestTimeoutHint?: string;
}

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  resource: string;
  headers: Record<string, string>;
  /** Sent in order, in chunks, honouring back-pressure; Content-Length is set from their sizes. */
  body?: Buffer[];
  /** Body bytes written to the connection so far (counted when the socket took them, not when queued). */
  onBodyProgress?(sent: number, total: number): void;
  /** What the request is for, e.g. "the upload of artifact.json" (messages). */
  purpose: string;
  /** The artifact upload, which is never re-sent: its failures say how much of the body had been written. */
  uploadOnce?: boolean;
}

export interface IncomingResponse {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  stream: http.IncomingMessage;
  /** The error to report when the stream fails: ours (timeout, cancel) or a mapped network error. */
  failure(err: unknown): EngineError;
}

const CHUNK = 64 * 1024;

export function cancelledError(): EngineError {
  return new EngineError('cancelled', 'Cancelled.');
}

export function send(t: TransportOptions, r: OutgoingRequest): Promise<IncomingResponse> {
  return new Promise((resolve, reject) => {
    if (t.signal?.aborted) return reject(cancelledError());
    const total = (r.body ?? []).reduce((n, b) => n + b.length, 0);
    const headers = { ...r.headers };
    if (r.method === 'POST') headers['Content-Length'] = String(total);
    let ours: EngineError | undefined;
    let sent = 0;
    let settled = false;
    const options: https.RequestOptions = {
      host: t.host,
      port: t.port,
      method: r.method,
      path: RESOURCE_ROOT + r.resource,
      headers,
      agent: false,
      lookup: t.lookup,
    };
    if (t.https) {
      options.ca = t.ca;
      options.rejectUnauthorized = !t.insecure;
    }
    const req = (t.https ? https : http).request(options);
    const kill = (e: EngineError) => {
      ours ??= e;
      req.destroy(e);
    };
    const connectTimer = setTimeout(
      () =>
        kill(
          new EngineError(
            'timeout',
            `Could not connect to the engine at ${t.address} within ${seconds(t.connectTimeoutMs)}. Check the host and port of the engine profile, and that the engine is up and reachable from here.`,
          ),
        ),
      t.connectTimeoutMs,
    );
    const onAbort = () => kill(cancelledError());
    t.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(connectTimer);
      t.signal?.removeEventListener('abort', onAbort);
    };
    let answered = false;
    const failure = (err: unknown, tlsPort = false): EngineError =>
      ours ?? mapNetworkError(err, t, r.purpose, r.uploadOnce ? { sent, total } : undefined, { answered, tlsPort });

    req.setTimeout(t.requestTimeoutMs, () => {
      const upload = r.uploadOnce
        ? sent < total
          ? ` The engine stopped taking the upload after ${sent} of ${total} bytes had been written to the connection; it was not retried.`
          : ` All ${total} bytes had been written to the connection; the upload was not retried, since the engine may still install it: check the engine's plugins before uploading again.`
        : '';
      kill(
        new EngineError(
          'timeout',
          `The engine at ${t.address} did not answer ${r.purpose} within ${seconds(t.requestTimeoutMs)} (nothing was sent or received for that long).${upload} ` +
            `The engine may be overloaded: try again later, or allow it longer with ${t.requestTimeoutHint ?? 'a larger request timeout'}.`,
        ),
      );
    });
    req.on('socket', (socket) => {
      socket.once(t.https ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      cleanup();
      // Plain HTTP to a TLS port: the server drops the connection or answers with a TLS alert. Asking the
      // port for a TLS handshake tells that apart from a real network failure.
      if (!ours && !t.https && !answered && looksLikeTlsRefusal(err)) {
        void probeTls(t).then((tlsPort) => reject(failure(err, tlsPort)));
        return;
      }
      reject(failure(err));
    });
    req.on('close', cleanup);
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      answered = true;
      if (settled) return;
      settled = true;
      resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, stream: res, failure });
    });

    const writeBody = async () => {
      for (const part of r.body ?? []) {
        for (let off = 0; off < part.length; off += CHUNK) {
          if (ours || req.destroyed) return;
          const chunk = part.subarray(off, off + CHUNK);
          // Counted when the socket has taken the chunk (the write callback), not when it is queued.
          const ok = req.write(chunk, (err) => {
            if (err || ours) return;
            sent += chunk.length;
            r.onBodyProgress?.(sent, total);
          });
          if (!ok) await new Promise<void>((done) => {
            const finish = () => {
              req.off('drain', finish);
              req.off('close', finish);
              done();
            };
            req.on('drain', finish);
            req.on('close', finish);
          });
        }
      }
      if (!ours && !req.destroyed) req.end();
    };
    void writeBody();
  });
}

/** Reads a whole (small) response body; bodies past the limit are cut, since they are only for messages or JSON. */
export async function readBody(res: IncomingResponse, limit = 32 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.stream) {
      const b = chunk as Buffer;
      if (size < limit) chunks.push(b);
      size += b.length;
    }
  } catch (err) {
    throw res.failure(err);
  }
  if (!res.stream.complete) throw res.failure(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  return Buffer.concat(chunks);
}

const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Turns a Node socket/TLS/DNS error into an EngineError that tells the author what to change. */
export function mapNetworkError(
  err: unknown,
  t: Pick<TransportOptions, 'address' | 'host' | 'https' | 'port'>,
  purpose: string,
  upload?: { sent: number; total: number },
  seen: { answered?: boolean; tlsPort?: boolean } = {},
): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const text = e?.message ?? String(err);
  const at = `the engine at ${t.address}`;
  if (!t.https && (seen.tlsPort || tlsRecord((err as { rawPacket?: unknown })?.rawPacket))) {
    return new EngineError(
      'tls',
      `The engine at ${t.address} speaks HTTPS on port ${t.port}, but ${purpose} was sent in plain HTTP (${code || text}). ` +
        'Connect with HTTPS: add --https (with --ca-file FILE for a self-signed engine), or turn https on in the engine profile.',
      { code: code || undefined },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new EngineError(
      'network',
      `Cannot connect to ${at}: connection refused. Check the host and port of the engine profile (${t.https ? 'HTTPS default 443' : 'HTTP default 80'}) and that the engine is running.`,
      { code },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new EngineError(
      'network',
      `Cannot find the engine host '${t.host}': the name does not resolve (${code}). Check the host name in the engine profile, or use the engine's IP address.`,
      { code },
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new EngineError('network', `Cannot reach ${at} (${code}). Check the network connection (VPN) to the engine.`, { code });
  }
  if (code === 'ETIMEDOUT') {
    return new EngineError('timeout', `Connecting to ${at} timed out. Check the host, the port and the network path to the engine.`, { code });
  }
  if (UNTRUSTED_CERT_CODES.has(code)) {
    return new EngineError(
      'tls',
      `The certificate of ${at} is not trusted (${code}: ${text}). If the engine uses a self-signed certificate or a private CA, add the engine's CA file to the profile (caFile, or --ca-file).`,
      { code },
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new EngineError('tls', `The certificate of ${at} is not valid now (${code}). Renew the engine's certificate, or check this machine's clock.`, { code });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new EngineError(
      'tls',
      `The certificate of ${at} is not issued for '${t.host}' (${text}). Use the host name the certificate names in the profile.`,
      { code },
    );
  }
  if (t.https && (code === 'EPROTO' || code.startsWith('ERR_SSL_') || /wrong version number|packet length too long/i.test(text))) {
    return new EngineError(
      'tls',
      `The TLS handshake with ${at} failed (${code || text}). The engine may not speak HTTPS on port ${t.port}: check the port, or turn https off in the profile.`,
      { code },
    );
  }
  if (code.startsWith('HPE_')) {
    return new EngineError(
      'protocol',
      `${at} did not answer in HTTP (${code}).${t.https ? '' : ' If the engine only accepts HTTPS on this port, turn https on in the profile.'}`,
      { code },
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|aborted/i.test(text)) {
    if (upload) {
      const progress =
        upload.sent < upload.total
          ? `after ${upload.sent} of ${upload.total} bytes had been written to the connection`
          : `after all ${upload.total} bytes had been written to the connection, while awaiting the engine's answer`;
      return new EngineError(
        'network',
        `The connection to ${at} broke during ${purpose}, ${progress} (${code || text}); how much of it the engine received is unknown. ` +
          "The upload was not retried, since the engine may have received it: check the engine's plugins, then upload again.",
        { code },
      );
    }
    const when = seen.answered ? 'while reading its answer' : 'before the engine answered';
    return new EngineError(
      'network',
      `The connection to ${at} broke during ${purpose}, ${when} (${code || text}). Try again; if it keeps happening, check the engine's health` +
        `${t.https ? '' : ' and whether it accepts only HTTPS on this port (--https)'}.`,
      { code },
    );
  }
  return new EngineError('network', `The request for ${purpose} to ${at} failed: ${text}${code ? ` (${code})` : ''}.`, { code: code || undefined });
}

/** The first bytes of a TLS record (alert or handshake, TLS 1.0-1.3): what a TLS server answers to plain HTTP. */
function tlsRecord(raw: unknown): boolean {
  return Buffer.isBuffer(raw) && raw.length >= 2 && (raw[0] === 0x15 || raw[0] === 0x16) && raw[1] === 0x03;
}

function looksLikeTlsRefusal(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  return code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('HPE_') || /socket hang up/i.test(e?.message ?? '');
}

/** Whether the port completes a TLS handshake (certificate not checked: only the protocol matters here). */
export function probeTls(t: Pick<TransportOptions, 'host' | 'port' | 'lookup'>, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const socket = tls.connect({ host: t.host, port: t.port, rejectUnauthorized: false, lookup: t.lookup, servername: net.isIP(t.host) ? undefined : t.host });
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('secureConnect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
