// What an artifact's `sourceCode` holds, read without decoding the whole of it: the base64 text is
// checked, then only the zip's tail (end of central directory) and its central directory are decoded.
// An artifact of tens of megabytes is inspected in a few milliseconds, before anything goes to an engine.
//
// The build records how it was made in the zip's archive comment (BUILD_NOTE_PREFIX + JSON), which the
// engine ignores; artifacts made by dvp, or by older versions of this tool, have no note, so the SDK
// runtime is also recognised by its files (`dlpx/virtualization/platform/...`).

/** The zip archive comment the build writes; what follows the prefix is JSON (BuildNote). */
export const BUILD_NOTE_PREFIX = 'delphix-plugin-studio build ';

export interface BuildNote {
  /** False when the build left out the SDK runtime (`--no-sdk-runtime`). */
  sdkRuntime: boolean;
  /** The Python version that compiled the `.pyc` files, e.g. `3.11.4`. */
  python?: string;
  /** The Python version the engine runs for the SDK the artifact was built for, e.g. `3.11`. */
  enginePython?: string;
  sdk?: string;
}

export function formatBuildNote(note: BuildNote): string {
  return BUILD_NOTE_PREFIX + JSON.stringify(note);
}

/** The folder the engine imports `from dlpx.virtualization.platform import Plugin` from. */
export const RUNTIME_MARKER_DIR = 'dlpx/virtualization/platform/';

export type SourceInspection =
  | { ok: true; entries: string[]; note?: BuildNote; hasSdkRuntime: boolean }
  | { ok: false; problem: string };

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/** The bytes [start, end) of the data the base64 text encodes, decoding only the 4-character groups around them. */
function decodeRange(b64: string, dataLength: number, start: number, end: number): Buffer {
  start = Math.max(0, start);
  end = Math.min(dataLength, end);
  if (end <= start) return Buffer.alloc(0);
  const firstGroup = Math.floor(start / 3);
  const lastGroup = Math.ceil(end / 3);
  const bytes = Buffer.from(b64.slice(firstGroup * 4, lastGroup * 4), 'base64');
  const skip = start - firstGroup * 3;
  return bytes.subarray(skip, skip + (end - start));
}

/** Checks that `sourceCode` is base64 of a zip and lists the zip's entries. */
export function inspectSourceCode(b64: string): SourceInspection {
  if (b64.length === 0) return { ok: false, problem: 'sourceCode is empty' };
  // Python's base64 (the engine's) rejects anything but the alphabet and final padding.
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { ok: false, problem: 'sourceCode is not base64 text' };
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const size = (b64.length / 4) * 3 - padding;
  const notZip = (why: string): SourceInspection => ({ ok: false, problem: `sourceCode is not a zip archive (${why})` });
  if (size < EOCD_MIN) return notZip(`${size} bytes`);

  const tailStart = Math.max(0, size - EOCD_MIN - MAX_COMMENT);
  const tail = decodeRange(b64, size, tailStart, size);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG && i + EOCD_MIN + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return notZip('no end-of-central-directory record');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  const comment = tail.subarray(eocd + EOCD_MIN, eocd + EOCD_MIN + tail.readUInt16LE(eocd + 20)).toString('latin1');
  const note = parseNote(comment);
  const eocdAt = tailStart + eocd;
  // Zip64 (over 65,535 entries or 4 GB): the real figures are elsewhere; the note and the local header
  // signature are all we check then.
  const zip64 = count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  if (!zip64 && cdOffset + cdSize > eocdAt) return notZip('the central directory lies outside the archive');
  if (count > 0 && decodeRange(b64, size, 0, 4).readUInt32LE(0) !== LOCAL_SIG) return notZip('no local file header at the start');
  if (zip64) return { ok: true, entries: [], note, hasSdkRuntime: note?.sdkRuntime ?? true };

  const cd = decodeRange(b64, size, cdOffset, cdOffset + cdSize);
  const entries: string[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CDH_SIG) return notZip(`central directory entry ${n + 1} of ${count} is damaged`);
    const nameLength = cd.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    if (next > cd.length) return notZip(`central directory entry ${n + 1} of ${count} is damaged`);
    entries.push(cd.subarray(at + 46, at + 46 + nameLength).toString('utf8').replace(/\\/g, '/'));
    at = next;
  }
  const filesHaveRuntime = entries.some((e) => e.startsWith(RUNTIME_MARKER_DIR));
  return { ok: true, entries, note, hasSdkRuntime: note ? note.sdkRuntime && filesHaveRuntime : filesHaveRuntime };
}

function parseNote(comment: string): BuildNote | undefined {
  if (!comment.startsWith(BUILD_NOTE_PREFIX)) return undefined;
  try {
    const v = JSON.parse(comment.slice(BUILD_NOTE_PREFIX.length)) as Partial<BuildNote>;
    if (typeof v.sdkRuntime !== 'boolean') return undefined;
    return {
      sdkRuntime: v.sdkRuntime,
      python: typeof v.python === 'string' ? v.python : undefined,
      enginePython: typeof v.enginePython === 'string' ? v.enginePython : undefined,
      sdk: typeof v.sdk === 'string' ? v.sdk : undefined,
    };
  } catch {
    return undefined;
  }
}
