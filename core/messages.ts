// How a finding reads where VS Code shows it. The Problems view and the CLI print diagnostic messages as
// plain text on one line, cut at the view's width: a message leads with the fact and the fix in a few words
// (plain quotes, no Markdown), and the explanation travels separately (`Problem.detail`), shown in the
// hover, the Problems view's related rows and the rule's page (docs/rules.md).

import type { Problem } from './types';

/** The most a message's first sentence may hold, so the point fits in the Problems view. */
export const HEADLINE_LIMIT = 100;

/** Markdown code spans to plain quotes: `x` -> 'x'; a span that already holds a quoted value keeps its quotes. */
export function plainText(text: string): string {
  if (!text.includes('`')) return text;
  return text.replace(/`+([^`]*?)`+/g, (_m, inner: string) => {
    if (/^(['"]).*\1$/s.test(inner) && inner.length >= 2) return inner;
    return `'${inner}'`;
  });
}

/** Offsets of `marks` in `text` outside parentheses and quoted values ('x', "x"). */
function topLevel(text: string, marks: RegExp): number[] {
  const out: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      // A quoted value ends at its quote followed by a non-word character (not an apostrophe in "Python's").
      if (c === quote && !/\w/.test(text[i + 1] ?? '')) quote = undefined;
      continue;
    }
    if ((c === "'" || c === '"') && !/\w/.test(text[i - 1] ?? '')) {
      quote = c;
      continue;
    }
    if (depth === 0 && marks.test(text.slice(i, i + 2))) out.push(i);
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
  }
  return out;
}

/** The part of a message before its first sentence end (a period followed by a space or the end). */
export function firstSentence(message: string): string {
  for (const i of topLevel(message, /^\.(\s|$)/)) {
    if (/\b(e\.g|i\.e|etc)$/.test(message.slice(0, i))) continue;
    return message.slice(0, i);
  }
  // An unbalanced quote or parenthesis (a YAML error about a missing quote) hides every boundary.
  const plain = /\.(\s|$)/.exec(message);
  return plain ? message.slice(0, plain.index) : message;
}

const DID_YOU_MEAN = /\s*[.;:]?\s*(?:Did|did) you mean ('[^']*'|"[^"]*")\?/;

/**
 * Split a long message into a headline (the fact, and the suggestion when there is one) and the rest,
 * the explanation. A short message is kept whole. Explicit headlines (`detail` already set) are left alone.
 */
export function shapeMessage(message: string, detail?: string): { message: string; detail?: string } {
  const text = plainText(message).trim();
  if (detail !== undefined) return { message: text, detail: plainText(detail).trim() || undefined };
  if (text.length < HEADLINE_LIMIT) return { message: text };
  let head = firstSentence(text);
  let rest = text.slice(head.length).replace(/^\.\s*/, '');
  // What dvp build prints explains; it does not lead.
  const dvp = /\s*\(dvp build: ("[^]*?")\)(?=[,;:.]|\s|$)/.exec(head) ?? /\s*\(dvp build: (.*)\)$/s.exec(head);
  if (dvp) {
    head = head.slice(0, dvp.index) + head.slice(dvp.index + dvp[0].length);
    rest = `${rest} dvp build: ${dvp[1]}.`.trim();
  }
  if (head.length >= HEADLINE_LIMIT - 1) {
    // Cut at the first clause (": " or "; "), the fact, and move the explanation after it.
    const cut = topLevel(head, /^[:;] (?!")/)[0];
    if (cut !== undefined && cut > 0) {
      rest = `${capitalize(head.slice(cut + 2))}. ${rest}`.trim();
      head = head.slice(0, cut);
    }
  }
  // Asides in parentheses go to the explanation when the fact is still too long.
  while (head.length >= HEADLINE_LIMIT - 1) {
    const open = topLevel(head, /^\(/).find((i) => head.indexOf(')', i) > i);
    if (open === undefined) break;
    const close = head.indexOf(')', open);
    const inner = head.slice(open + 1, close);
    if (inner.includes('(')) break;
    head = (head.slice(0, open).trimEnd() + head.slice(close + 1)).trim();
    // A one-word aside ("(here)") means nothing away from its sentence.
    if (/\s/.test(inner.trim())) rest = `${capitalize(inner)}. ${rest}`.trim();
  }
  // The suggestion belongs beside the fact, where the author reads it.
  const mean = DID_YOU_MEAN.exec(rest);
  if (mean && !DID_YOU_MEAN.test(head)) {
    rest = (rest.slice(0, mean.index) + (mean.index > 0 ? '.' : '') + rest.slice(mean.index + mean[0].length)).replace(/^\.\s*/, '').trim();
    head = `${head.replace(/[.:;,]$/, '')}; did you mean ${mean[1]}?`;
  } else if (!/[.?!]$/.test(head)) {
    head += '.';
  }
  return { message: head, detail: rest.replace(/\.\.$/, '.') || undefined };
}

/** A label without its Markdown code marks, for a headline: `resync` in `snapshotDefinition` -> resync in snapshotDefinition. */
let lastLabel: { label: string; bare: string } | undefined;
export function bare(label: string): string {
  // One analysis reports thousands of names of the same site: the last label is kept.
  const text = String(label);
  if (lastLabel?.label !== text) lastLabel = { label: text, bare: text.replace(/`/g, '') };
  return lastLabel.bare;
}

function capitalize(s: string): string {
  // Names written in lower case (dvp, plugin_config.yml, a quoted name) stay as they are.
  if (/^(dvp|[a-z_]+\.(yml|json|py)|schema\.json)\b/.test(s)) return s;
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The problem with its message shaped for the Problems view (idempotent). */
export function shapeProblem(p: Problem): Problem {
  // Most messages are already short and plain: nothing to do, and an analysis may report 100,000s of them.
  if (p.message.length < HEADLINE_LIMIT && !p.message.includes('`') && !p.detail?.includes('`') && !p.related) {
    if (p.message !== p.message.trim()) p.message = p.message.trim();
    return p;
  }
  const shaped = shapeMessage(p.message, p.detail);
  p.message = shaped.message;
  if (shaped.detail) p.detail = shaped.detail;
  else delete p.detail;
  if (p.related) for (const r of p.related) r.message = plainText(r.message);
  return p;
}
