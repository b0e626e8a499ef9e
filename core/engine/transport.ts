// One HTTP(S) exchange with the engine over node:http / node:https, with what dvp's `requests` calls
// lack: certificate checks against a profile's CA, a connect timeout, an inactivity timeout, cancellation
// at any moment (also mid-upload and mid-download), and failures turned into EngineErrors that say what to do.
import * as http from 'http';
import * as https from 'https';
import type { LookupFunction } from 'net';
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
}

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  resource: string;
  headers: Record<string, string>;
  /** Sent in order, in chunks, honouring back-pressure; Content-Length is set from their sizes. */
  body?: Buffer[];
  onBodyProgress?(sent: number, total: number): void;
  /** What the request is for, e.g. "the upload of artifact.json" (messages). */
  purpose: string;
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
    const failure = (err: unknown): EngineError =>
      ours ?? mapNetworkError(err, t, r.purpose, r.body ? { sent, total } : undefined);

    req.setTimeout(t.requestTimeoutMs, () =>
      kill(
        new EngineError(
          'timeout',
          `The engine at ${t.address} did not answer ${r.purpose} within ${seconds(t.requestTimeoutMs)}. The engine may be overloaded; try again later, or raise the request timeout.`,
        ),
      ),
    );
    req.on('socket', (socket) => {
      socket.once(t.https ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(failure(err));
    });
    req.on('close', cleanup);
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      if (settled) return;
      settled = true;
      resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, stream: res, failure });
    });

    const writeBody = async () => {
      for (const part of r.body ?? []) {
        for (let off = 0; off < part.length; off += CHUNK) {
          if (ours || req.destroyed) return;
          const chunk = part.subarray(off, off + CHUNK);
          const ok = req.write(chunk);
          sent += chunk.length;
          r.onBodyProgress?.(sent, total);
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
): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const text = e?.message ?? String(err);
  const at = `the engine at ${t.address}`;
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
      return new EngineError(
        'network',
        `The connection to ${at} broke during ${purpose} (${upload.sent} of ${upload.total} bytes sent, ${code || text}). The upload was not retried, since the engine may have received it: check the engine's plugins, then upload again.`,
        { code },
      );
    }
    return new EngineError('network', `The connection to ${at} broke during ${purpose} (${code || text}). Try again; if it keeps happening, check the engine's health.`, { code });
  }
  return new EngineError('network', `The request for ${purpose} to ${at} failed: ${text}${code ? ` (${code})` : ''}.`, { code: code || undefined });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
