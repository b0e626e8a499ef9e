import { pythonJsonString } from '../pythonJson';

// One error type for everything that can go wrong between us and a Delphix Engine, so callers (CLI,
// VS Code commands) branch on `kind` and show `message` as is: every message says what to do next.

export type EngineErrorKind =
  /** The engine refused the user name or password (login ErrorResult). */
  | 'auth'
  /** The engine does not speak the API version the session asked for. */
  | 'apiVersion'
  /** The engine answered an ErrorResult (details and action are in the message). */
  | 'errorResult'
  /** An HTTP status the protocol does not expect, without an ErrorResult body. */
  | 'http'
  /** A body that is not JSON or not shaped as the protocol says. */
  | 'protocol'
  /** Connection refused, reset, DNS failure. */
  | 'network'
  /** Certificate or handshake problem. */
  | 'tls'
  /** A request or the job wait took longer than allowed. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** The upload job ended FAILED, CANCELLED or SUSPENDED. */
  | 'jobFailed'
  /** The plugin is not on the engine (download-logs). */
  | 'notFound'
  /** The artifact file is missing, unreadable, not JSON, without a valid engineApi or without a zip of code. */
  | 'badArtifact'
  /** A sound artifact that cannot run on an engine: built without the SDK runtime. */
  | 'noSdkRuntime'
  /** The engine profile is invalid or its CA file cannot be read. */
  | 'badProfile'
  /** A local file could not be written (download target). */
  | 'io';

export interface EngineErrorDetails {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** `error.details` / `error.action` of an ErrorResult. */
  details?: string;
  action?: string;
  /** The Node error code behind a network or TLS failure (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT...). */
  code?: string;
  /** Messages of the upload job's events, oldest first (jobFailed). */
  jobMessages?: string[];
}

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  readonly status?: number;
  readonly details?: string;
  readonly action?: string;
  readonly code?: string;
  readonly jobMessages?: string[];

  constructor(kind: EngineErrorKind, message: string, extra: EngineErrorDetails = {}) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.status = extra.status;
    this.details = extra.details;
    this.action = extra.action;
    this.code = extra.code;
    this.jobMessages = extra.jobMessages;
  }

  /** A copy with every occurrence of the secrets replaced, in the message, the stack and all fields. */
  scrubbed(secrets: readonly string[]): EngineError {
    const s = (text: string | undefined) => (text === undefined ? undefined : scrubSecrets(text, secrets));
    const copy = new EngineError(this.kind, s(this.message)!, {
      status: this.status,
      details: s(this.details),
      action: s(this.action),
      code: this.code,
      jobMessages: this.jobMessages?.map((m) => s(m)!),
    });
    copy.stack = s(this.stack);
    return copy;
  }
}

export const SCRUBBED = '********';

/**
 * Removes secrets from text that may be shown or logged. Besides the raw secret, the forms it takes
 * inside a JSON body (escaped by JSON.stringify and by Python's ASCII-only json.dumps) are removed, since
 * a misbehaving engine may echo the login request back in an error.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), pythonJsonString(secret).slice(1, -1)]);
    for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(SCRUBBED);
  }
  return out;
}
