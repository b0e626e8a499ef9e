// How deep JSON may nest before anything here parses it. The parsers (ours, jsonc-parser) and the
// checks recurse once per level, so 10,000 nested brackets would overflow the call stack; a plugin
// schema or sync profile is a few levels deep, and Python's json module (which dvp build reads the
// schema with) gives up at about 1,000 levels. One scan, no recursion, runs before any parser.

/** Deepest nesting of arrays and objects that is analysed, built or synced. */
export const MAX_SCHEMA_DEPTH = 512;

/** The offset of the first `[` or `{` nested deeper than `limit` (strings skipped), or undefined. */
export function jsonTooDeepAt(text: string, limit = MAX_SCHEMA_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string; an unterminated one ends at the line end, as the parser recovers.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** The one message for a file nested too deeply: check, build, generate, sync and the editor all say this. */
export function tooDeepMessage(limit = MAX_SCHEMA_DEPTH, kind: 'schema' | 'profile' = 'schema'): string {
  return `Nested more than ${limit} levels deep here, too deep to check; ${kind === 'profile' ? 'the sync refuses it' : 'the build and the sync refuse it'} too.`;
}

/** Why a too-deep file matters, for the finding's explanation. */
export function tooDeepDetail(kind: 'schema' | 'profile' = 'schema'): string {
  if (kind === 'profile') return 'A sync profile is normally a few levels deep: check that this is the file you meant.';
  return "A plugin schema is normally a few levels deep, and dvp build's JSON reader gives up at about 1,000 levels: check that this is the file you meant.";
}
