// The wire format of the Delphix Engine web API as dvp's client speaks it (sdk-spec §7.2, §7.3):
// resource paths, request bodies and the multipart upload, byte for byte.
import { dumpPyJson, pyObject, PyObject } from '../pythonJson';

export const RESOURCE_ROOT = '/resources/json/';

export const RESOURCES = {
  session: 'delphix/session',
  login: 'delphix/login',
  uploadToken: 'delphix/toolkit/requestUploadToken',
  upload: 'delphix/data/upload',
  action: (ref: string) => `delphix/action/${encodeURIComponent(ref)}`,
  actionJob: (ref: string) => `delphix/action/${encodeURIComponent(ref)}/getJob`,
  toolkits: 'delphix/toolkit',
  generateBundle: 'delphix/service/support/bundle/generate',
  download: (token: string) => `delphix/data/downloadOutputStream?token=${encodeURIComponent(token)}`,
} as const;

export const JSON_CONTENT = 'application/json';
export const OCTET_CONTENT = 'application/octet-stream';
/** Ten dashes, `boundary`, six dashes: the engine has only ever been sent this one. */
export const UPLOAD_BOUNDARY = '----------boundary------';
export const UPLOAD_CONTENT = `multipart/form-data; boundary=${UPLOAD_BOUNDARY}`;

/** The engine API the tools speak for download-logs: dvp 5.0.1's `engine_api_version`. */
export const TOOLS_ENGINE_API = { major: 1, minor: 11, micro: 16 };

export const JOB_FAILED_STATES = ['FAILED', 'SUSPENDED', 'CANCELLED'];

export function sessionBody(version: PyObject): string {
  return dumpPyJson(pyObject([['type', 'APISession'], ['version', version]]));
}

export function loginBody(user: string, password: string): string {
  return dumpPyJson(pyObject([['type', 'LoginRequest'], ['username', user], ['password', password]]));
}

export function bundleBody(toolkitRef: string): string {
  return dumpPyJson(
    pyObject([['type', 'SupportBundleGenerateParameters'], ['bundleType', 'PLUGIN_LOG'], ['plugin', toolkitRef]]),
  );
}

/**
 * The upload body in three parts (head, artifact, tail) so the artifact is streamed without a copy.
 * Lines are CRLF-joined with a trailing CRLF; the file part has no space after `Content-Disposition:`.
 * Python sends a str body as Latin-1, so head and tail are Latin-1; the artifact is ASCII already.
 */
export function multipartParts(token: string, fileName: string, artifactJson: string): [Buffer, Buffer, Buffer] {
  const head = [
    `--${UPLOAD_BOUNDARY}`,
    'Content-Disposition: form-data; name="token"',
    '',
    token,
    `--${UPLOAD_BOUNDARY}`,
    `Content-Disposition:form-data; name="file"; filename="${fileName}"`,
    'Content-Type: application/octet-stream',
    '',
    '',
  ].join('\r\n');
  const tail = ['', `--${UPLOAD_BOUNDARY}--`, ''].join('\r\n');
  return [Buffer.from(head, 'latin1'), Buffer.from(artifactJson, 'latin1'), Buffer.from(tail, 'latin1')];
}

/** Why a multipart field value cannot be sent as dvp sends it, or undefined when it can. */
export function multipartValueProblem(value: string): string | undefined {
  if (/[\r\n"]/.test(value)) return 'it contains a line break or a double quote';
  if (/[^\x00-\xff]/.test(value)) return 'it contains characters outside Latin-1';
  return undefined;
}

export interface ErrorResultError {
  details?: string;
  action?: string;
  raw: unknown;
}

/** The `error` of an ErrorResult body, or undefined when the body is not one. */
export function errorResultOf(body: unknown): ErrorResultError | undefined {
  if (!isRecord(body) || body.type !== 'ErrorResult') return undefined;
  const error = isRecord(body.error) ? body.error : {};
  return {
    details: typeof error.details === 'string' && error.details ? error.details : undefined,
    action: typeof error.action === 'string' && error.action ? error.action : undefined,
    raw: body.error,
  };
}

/** dvp's text for an ErrorResult: `API request failed with HTTP Status N`, then Details and Action. */
export function formatErrorResult(status: number, error: ErrorResultError): string {
  const details = error.details
    ? `Details: ${error.details}`
    : `Unable to parse details of error. Dumping full response: ${JSON.stringify(error.raw ?? null, null, 2)}`;
  return `API request failed with HTTP Status ${status}\n${details}${error.action ? `\nAction: ${error.action}` : ''}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
