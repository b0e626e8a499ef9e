// How deep YAML flow collections (`[...]`, `{...}`) may nest before the YAML library reads them. The
// library recurses per level and, at about 1,000 levels, spends seconds running out of stack before it
// reports a "Maximum call stack size exceeded" error; a plugin_config.yml is flat. One scan, no
// recursion: quoted scalars and comments are skipped; brackets in plain scalars count, which at
// worst finds too deep a file with hundreds of brackets in one line of text.

export const MAX_YAML_FLOW_DEPTH = 256;

/** The flow collections nested deeper than `limit`: where the limit is passed, and the whole outermost collection. */
export interface DeepFlow {
  /** Offset of the first bracket past the limit. */
  at: number;
  /** The outermost collection holding it, from its opening bracket to after its closing one (or the end). */
  start: number;
  end: number;
}

export function yamlFlowTooDeep(text: string, limit = MAX_YAML_FLOW_DEPTH): DeepFlow[] {
  const out: DeepFlow[] = [];
  let depth = 0;
  let outer = -1;
  let at = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
      for (i++; i < text.length; i++) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '[' || c === '{') {
      if (depth === 0) outer = i;
      if (++depth > limit && at < 0) at = i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      if (--depth === 0 && at >= 0) {
        out.push({ at, start: outer, end: i + 1 });
        at = -1;
      }
    }
  }
  if (at >= 0) out.push({ at, start: outer, end: text.length });
  return out;
}

/** The text with each too-deep collection blanked (spaces, line breaks kept) and `~` in its place: offsets stay. */
export function blankDeepFlows(text: string, deep: DeepFlow[]): string {
  let out = '';
  let last = 0;
  for (const d of deep) {
    out += text.slice(last, d.start) + '~' + text.slice(d.start + 1, d.end).replace(/[^\r\n]/g, ' ');
    last = d.end;
  }
  return out + text.slice(last);
}
