// Strict JSON parsing for schema.json. `dvp` reads the file with Python's json module, so comments,
// trailing commas, single quotes and the like are errors. A valid file goes through jsonc-parser's
// parseTree unchanged; a broken one is re-parsed here on jsonc-parser's scanner with a recovery that
// reads the author's indentation: a key that sits left of (or at) the indentation of the line that
// opened an object cannot belong to it, so the object is missing its `}` right after its last value.
// That puts the error where the brace is missing (the SDK tutorial's truncated snippet) instead of
// one error at the end of the file, and keeps the tree shaped the way the author meant it.

import {
  createScanner,
  JSONScanner,
  Node,
  ParseError,
  ParseErrorCode,
  parseTree,
  printParseErrorCode,
  ScanError,
  SyntaxKind,
} from 'jsonc-parser';
import { quoteSnippet } from '../text';

export interface OffsetEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface SyntaxIssue {
  /** Stable rule id, `schema.syntax.*`. */
  code: string;
  /** The jsonc-parser error kind the issue corresponds to (its name via printParseErrorCode). */
  parseError: ParseErrorCode;
  offset: number;
  length: number;
  message: string;
  /** False for text Python's json module reads although it is not JSON (NaN, Infinity). */
  dvp: boolean;
  fixes?: { title: string; edits: OffsetEdit[]; preferred?: boolean }[];
}

export interface ParsedJson {
  root: Node | undefined;
  issues: SyntaxIssue[];
}

export { printParseErrorCode };

/** Parse `text` as strict JSON: a tree (best effort when broken) and the syntax problems, one per place. */
export function parseStrictJson(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length === 0 && root !== undefined && text.charCodeAt(0) !== 0xfeff) return { root, issues: [] };
  return new RecoveringParser(text).parse();
}

type MutableNode = {
  type: Node['type'];
  value?: unknown;
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: MutableNode;
  children?: MutableNode[];
};

interface Closer {
  char: '}' | ']';
  owner: string;
  openOffset: number;
}

/** One place where text is missing: closers (innermost first) and/or a comma. */
interface Gap {
  offset: number;
  closers: Closer[];
  comma: boolean;
  /** What the missing separator would separate from (`the property \`username\``). */
  previous?: string;
  /** What follows the gap (`the property \`mountLocation\``, `the end of the file`). */
  next: string;
  inArray: boolean;
  /** The list the missing comma belongs in, when `inArray`. */
  arrayOwner?: string;
}

/** An object or list being read: what the shared steps of both need to know and keep. */
interface Container {
  kind: '{' | '[';
  /** How messages name it (`the list \`x\``, the object's owner). */
  name: string;
  node: MutableNode;
  openOffset: number;
  openIndent: number;
  /** Where the last member ends (or the opener, before any). */
  lastEnd: number;
  needComma: boolean;
  /** A comma read after the last member and not yet followed by another. */
  pendingComma?: number;
  /** The column of the first member that starts a line. */
  memberColumn?: number;
  /** The last member is broken (no value, unterminated string): a comma after it is welcome, none is demanded. */
  lastIncomplete: boolean;
}

interface ContainerResult {
  node: MutableNode;
  /** A property without a value: its error already covers what follows, so no comma is demanded after it. */
  incomplete?: boolean;
  /** The container was closed by recovery, and the last token it consumed was a comma meant for its parent. */
  danglingComma: boolean;
}

const MAX_DEPTH = 400;

function isValueStart(k: SyntaxKind): boolean {
  return (
    k === SyntaxKind.OpenBraceToken ||
    k === SyntaxKind.OpenBracketToken ||
    k === SyntaxKind.StringLiteral ||
    k === SyntaxKind.NumericLiteral ||
    k === SyntaxKind.TrueKeyword ||
    k === SyntaxKind.FalseKeyword ||
    k === SyntaxKind.NullKeyword
  );
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

class RecoveringParser {
  private readonly sc: JSONScanner;
  private tok: SyntaxKind = SyntaxKind.Unknown;
  private tokOffset = 0;
  private tokEnd = 0;
  private readonly issues: SyntaxIssue[] = [];
  private readonly issueOffsets = new Set<number>();
  private readonly gaps = new Map<number, Gap>();
  private readonly stack: ('{' | '[')[] = [];
  /** How many `{` / `[` lack a closer in the whole text: the budget for indentation-based closing. */
  private braceDeficit: number;
  private bracketDeficit: number;
  /** How many `}` / `]` have no opener: the budget for skipping misaligned closers. */
  private braceSurplus: number;
  private bracketSurplus: number;

  constructor(private readonly text: string) {
    this.sc = createScanner(text, false);
    const counter = createScanner(text, true);
    let open = 0;
    let close = 0;
    let openB = 0;
    let closeB = 0;
    for (let k = counter.scan(); k !== SyntaxKind.EOF; k = counter.scan()) {
      if (k === SyntaxKind.OpenBraceToken) open++;
      else if (k === SyntaxKind.CloseBraceToken) close++;
      else if (k === SyntaxKind.OpenBracketToken) openB++;
      else if (k === SyntaxKind.CloseBracketToken) closeB++;
    }
    this.braceDeficit = Math.max(0, open - close);
    this.braceSurplus = Math.max(0, close - open);
    this.bracketDeficit = Math.max(0, openB - closeB);
    this.bracketSurplus = Math.max(0, closeB - openB);
  }

  parse(): ParsedJson {
    this.advance();
    while (this.tok === SyntaxKind.Unknown && this.tokText() === '\ufeff') {
      this.issue('schema.syntax.bom', ParseErrorCode.InvalidSymbol, this.tokOffset, 1,
        'The file starts with a byte-order mark (BOM), which Python\'s json module (used by dvp) rejects: save schema.json as UTF-8 without BOM.',
        [{ title: 'Remove the byte-order mark', edits: [{ offset: this.tokOffset, length: 1, newText: '' }], preferred: true }]);
      this.advance();
    }
    if (this.tok === SyntaxKind.EOF) {
      this.issue('schema.syntax.empty', ParseErrorCode.ValueExpected, 0, 0,
        'schema.json is empty: it must hold a JSON object with the six definitions (repositoryDefinition, sourceConfigDefinition, virtualSourceDefinition, linkedSourceDefinition, snapshotDefinition, snapshotParametersDefinition).');
      return { root: undefined, issues: this.finish() };
    }
    const root = this.parseValue(undefined, 'the top-level object', 0)?.node;
    if (!root) {
      this.issue('schema.syntax.valueExpected', ParseErrorCode.ValueExpected, this.tokOffset, this.tokEnd - this.tokOffset,
        `Expected a JSON object, found \`${quoteSnippet(this.tokText())}\`: schema.json must start with \`{\`.`);
      this.advance();
    }
    if ((this.tok as SyntaxKind) !== SyntaxKind.EOF) this.trailingContent(root);
    return { root: root as Node | undefined, issues: this.finish() };
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** The string's value; for a broken string, what the author evidently meant (bad escapes kept literally). */
  private stringValue(): string {
    if (this.sc.getTokenError() === ScanError.None) return this.sc.getTokenValue();
    const raw = this.tokText();
    const body = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
    return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (m: string, e: string) => {
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
      return simple[e] ?? m;
    });
  }

  private tokText(): string {
    return this.text.slice(this.tokOffset, this.tokEnd);
  }

  private advance(): void {
    for (;;) {
      const k = this.sc.scan();
      const offset = this.sc.getTokenOffset();
      const end = offset + this.sc.getTokenLength();
      if (k === SyntaxKind.Trivia || k === SyntaxKind.LineBreakTrivia) continue;
      if (k === SyntaxKind.LineCommentTrivia || k === SyntaxKind.BlockCommentTrivia) {
        this.commentIssue(k, offset, end, this.sc.getTokenError() === ScanError.UnexpectedEndOfComment);
        continue;
      }
      this.tok = k;
      this.tokOffset = offset;
      this.tokEnd = end;
      const err = this.sc.getTokenError();
      if (k === SyntaxKind.StringLiteral && err !== ScanError.None) this.stringIssue(err);
      if (k === SyntaxKind.NumericLiteral) this.numberChecks(err);
      return;
    }
  }

  /** A single-quoted string starting at the current token, or null. */
  private singleQuoted(): RegExpExecArray | null {
    if (this.text.charCodeAt(this.tokOffset) !== 39) return null;
    const re = /'((?:[^'\\\r\n]|\\.)*)'/y;
    re.lastIndex = this.tokOffset;
    return re.exec(this.text);
  }

  /** Whether the current token starts a single-quoted string followed by a colon. */
  private singleQuotedKey(): boolean {
    const m = this.singleQuoted();
    return m !== null && /^[ \t]*:/.test(this.text.slice(this.tokOffset + m[0].length, this.tokOffset + m[0].length + 40));
  }

  /** Whether the token after the current one is a colon (the current string is a key). */
  private followedByColon(): boolean {
    const peek = createScanner(this.text, true);
    peek.setPosition(this.tokEnd);
    let k = peek.scan();
    while (k === SyntaxKind.LineCommentTrivia || k === SyntaxKind.BlockCommentTrivia) k = peek.scan();
    return k === SyntaxKind.ColonToken;
  }

  private lineStart(offset: number): number {
    let i = offset;
    while (i > 0) {
      const c = this.text.charCodeAt(i - 1);
      if (c === 10 || c === 13) break;
      i--;
    }
    return i;
  }

  /** Width of the leading whitespace of the line holding `offset`. */
  private indentOf(offset: number): number {
    const start = this.lineStart(offset);
    let i = start;
    while (i < this.text.length && (this.text.charCodeAt(i) === 32 || this.text.charCodeAt(i) === 9)) i++;
    return i - start;
  }

  private indentText(offset: number): string {
    const start = this.lineStart(offset);
    return this.text.slice(start, start + this.indentOf(offset));
  }

  private firstOnLine(offset: number): boolean {
    return this.lineStart(offset) + this.indentOf(offset) === offset;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  private lineOf(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 10) line++;
      else if (c === 13 && this.text.charCodeAt(i + 1) !== 10) line++;
    }
    return line;
  }

  private sameLine(a: number, b: number): boolean {
    for (let i = a; i < b; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || c === 13) return false;
    }
    return true;
  }

  // ---- issues -------------------------------------------------------------------------------

  private issue(code: string, parseError: ParseErrorCode, offset: number, length: number, message: string, fixes?: SyntaxIssue['fixes'], dvp = true): void {
    // One problem per place: the first explanation of a spot is the useful one, later ones are echoes.
    if (this.issueOffsets.has(offset)) return;
    this.issueOffsets.add(offset);
    this.issues.push({ code, parseError, offset, length, message, dvp, fixes });
  }

  private commentIssue(kind: SyntaxKind, offset: number, end: number, unterminated: boolean): void {
    let delStart = offset;
    let delEnd = end;
    // A comment alone on its line goes with its line.
    if (this.firstOnLine(offset)) {
      let j = end;
      while (j < this.text.length && (this.text.charCodeAt(j) === 32 || this.text.charCodeAt(j) === 9)) j++;
      if (j === this.text.length || this.text.charCodeAt(j) === 10 || this.text.charCodeAt(j) === 13) {
        delStart = this.lineStart(offset);
        delEnd = j;
        if (this.text.charCodeAt(delEnd) === 13) delEnd++;
        if (this.text.charCodeAt(delEnd) === 10) delEnd++;
      }
    }
    const what = kind === SyntaxKind.LineCommentTrivia ? 'a `//` comment' : 'a `/* */` comment';
    const message = unterminated
      ? 'Unterminated `/*` comment, and comments are not allowed in schema.json: dvp reads it with Python\'s json module, which rejects them. Remove the comment.'
      : `Comments are not allowed in schema.json (found ${what}): dvp reads it with Python's json module, which rejects them. Remove the comment, or move the text into a \`description\` or \`$comment\` keyword.`;
    this.issue('schema.syntax.comment', ParseErrorCode.InvalidCommentToken, offset, end - offset, message,
      [{ title: 'Remove the comment', edits: [{ offset: delStart, length: delEnd - delStart, newText: '' }], preferred: true }]);
  }

  private stringIssue(err: ScanError): void {
    const raw = this.tokText();
    if (err === ScanError.UnexpectedEndOfString) {
      this.issue('schema.syntax.unterminatedString', ParseErrorCode.UnexpectedEndOfString, this.tokOffset, raw.length,
        'Unterminated string: add the closing `"` (a JSON string cannot span lines; write `\\n` for a line break).',
        [{ title: 'Close the string', edits: [{ offset: this.tokEnd, length: 0, newText: '"' }], preferred: true }]);
      return;
    }
    // The scanner reports the kind, not the spot; find the first offending character ourselves.
    for (let i = 1; i < raw.length - 1; i++) {
      const c = raw.charCodeAt(i);
      if (c === 92 /* \ */) {
        const e = raw[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
            this.issue('schema.syntax.invalidUnicode', ParseErrorCode.InvalidUnicode, this.tokOffset + i, Math.min(6, raw.length - 1 - i),
              'Invalid unicode escape: `\\u` must be followed by exactly four hexadecimal digits (write `\\\\u` for a literal backslash and u).');
            return;
          }
          i += 5;
          continue;
        }
        if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i++;
          continue;
        }
        this.issue('schema.syntax.invalidEscape', ParseErrorCode.InvalidEscapeCharacter, this.tokOffset + i, 2,
          `Invalid escape \`\\${e ?? ''}\` in a string: JSON knows only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX. Write \`\\\\${e ?? ''}\` for a backslash (in a \`pattern\`, \`\\d\` must be written \`\\\\d\`).`,
          [{ title: 'Escape the backslash', edits: [{ offset: this.tokOffset + i, length: 1, newText: '\\\\' }], preferred: true }]);
        return;
      }
      if (c < 0x20) {
        const name = c === 9 ? 'a tab' : `the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
        const replacement = c === 9 ? '\\t' : `\\u${c.toString(16).padStart(4, '0')}`;
        this.issue('schema.syntax.controlCharacter', ParseErrorCode.InvalidCharacter, this.tokOffset + i, 1,
          `A string contains ${name}, which Python's json module (used by dvp) rejects: write \`${replacement}\` instead.`,
          [{ title: `Replace with ${replacement}`, edits: [{ offset: this.tokOffset + i, length: 1, newText: replacement }], preferred: true }]);
        return;
      }
    }
  }

  private numberChecks(err: ScanError): void {
    const raw = this.tokText();
    if (err === ScanError.UnexpectedEndOfNumber) {
      this.issue('schema.syntax.invalidNumber', ParseErrorCode.UnexpectedEndOfNumber, this.tokOffset, raw.length,
        `Incomplete number \`${quoteSnippet(raw)}\`: a digit must follow \`.\`, \`e\` and \`-\`.`);
      return;
    }
    // `0` followed by digits scans as two numbers; JSON (and Python) reject leading zeros.
    if ((raw === '0' || raw === '-0') && /[0-9]/.test(this.text.charAt(this.tokEnd))) {
      const m = /-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
      m.lastIndex = this.tokOffset;
      const found = m.exec(this.text);
      if (found) {
        const full = found[0];
        this.tokEnd = this.tokOffset + full.length;
        this.sc.setPosition(this.tokEnd);
        const fixed = String(Number(full));
        this.issue('schema.syntax.invalidNumber', ParseErrorCode.InvalidNumberFormat, this.tokOffset, full.length,
          `Numbers cannot have leading zeros in JSON: write \`${fixed}\` (or \`"${full}"\` if it is text).`,
          [{ title: `Write ${fixed}`, edits: [{ offset: this.tokOffset, length: full.length, newText: fixed }], preferred: true }]);
      }
    }
  }

  // ---- values -------------------------------------------------------------------------------

  private leaf(type: Node['type'], value: unknown, parent: MutableNode | undefined): MutableNode {
    return { type, value, offset: this.tokOffset, length: this.tokEnd - this.tokOffset, parent };
  }

  private parseValue(parent: MutableNode | undefined, owner: string, depth: number): ContainerResult | undefined {
    switch (this.tok) {
      case SyntaxKind.OpenBraceToken:
        if (depth > MAX_DEPTH) return this.skipDeep(parent);
        return this.parseObject(parent, owner, depth);
      case SyntaxKind.OpenBracketToken:
        if (depth > MAX_DEPTH) return this.skipDeep(parent);
        return this.parseArray(parent, owner, depth);
      case SyntaxKind.StringLiteral: {
        const node = this.leaf('string', this.stringValue(), parent);
        // The comma that follows an unterminated string is usually inside it: do not ask for another.
        const incomplete = this.sc.getTokenError() === ScanError.UnexpectedEndOfString;
        this.advance();
        return { node, danglingComma: false, incomplete };
      }
      case SyntaxKind.NumericLiteral: {
        const node = this.leaf('number', Number(this.tokText()), parent);
        this.advance();
        return { node, danglingComma: false };
      }
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword: {
        const node = this.leaf('boolean', this.tok === SyntaxKind.TrueKeyword, parent);
        this.advance();
        return { node, danglingComma: false };
      }
      case SyntaxKind.NullKeyword: {
        const node = this.leaf('null', null, parent);
        this.advance();
        return { node, danglingComma: false };
      }
      case SyntaxKind.Unknown:
        return this.parseUnknownValue(parent);
      default:
        return undefined;
    }
  }

  /** Text that is not JSON in a value position: explain what the author probably meant. */
  private parseUnknownValue(parent: MutableNode | undefined): ContainerResult {
    const raw = this.tokText();
    const at = this.tokOffset;
    if (raw.startsWith("'")) {
      const m = this.singleQuoted();
      if (m) {
        const inner = m[1].replace(/\\'/g, "'");
        const fixed = JSON.stringify(inner);
        this.issue('schema.syntax.singleQuotes', ParseErrorCode.InvalidSymbol, at, m[0].length,
          `JSON strings need double quotes: write ${fixed}.`,
          [{ title: `Use double quotes: ${fixed}`, edits: [{ offset: at, length: m[0].length, newText: fixed }], preferred: true }]);
        this.tokEnd = at + m[0].length;
        const node: MutableNode = { type: 'string', value: inner, offset: at, length: m[0].length, parent };
        this.sc.setPosition(this.tokEnd);
        this.advance();
        return { node, danglingComma: false };
      }
    }
    const pythonLiterals: Record<string, [string, Node['type'], unknown]> = {
      True: ['true', 'boolean', true],
      False: ['false', 'boolean', false],
      None: ['null', 'null', null],
      TRUE: ['true', 'boolean', true],
      FALSE: ['false', 'boolean', false],
      NULL: ['null', 'null', null],
      undefined: ['null', 'null', null],
    };
    const lit = pythonLiterals[raw];
    if (lit) {
      this.issue('schema.syntax.invalidSymbol', ParseErrorCode.InvalidSymbol, at, raw.length,
        `\`${raw}\` is not JSON: write \`${lit[0]}\` (JSON literals are lowercase \`true\`, \`false\` and \`null\`).`,
        [{ title: `Write ${lit[0]}`, edits: [{ offset: at, length: raw.length, newText: lit[0] }], preferred: true }]);
      const node = this.leaf(lit[1], lit[2], parent);
      this.advance();
      return { node, danglingComma: false };
    }
    if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') {
      this.issue('schema.syntax.nonFinite', ParseErrorCode.InvalidSymbol, at, raw.length,
        `\`${raw}\` is not JSON: Python's json module (used by dvp) reads it, but the engine and other JSON tools reject it. Use a finite number.`,
        undefined, false);
      const node = this.leaf('number', Number(raw), parent);
      this.advance();
      return { node, danglingComma: false };
    }
    const wordy = /^[A-Za-z_$][\w$.\-]*$/.test(raw);
    this.issue('schema.syntax.invalidSymbol', ParseErrorCode.InvalidSymbol, at, raw.length,
      wordy
        ? `\`${quoteSnippet(raw)}\` is not a JSON value: text must be a string in double quotes (\`"${quoteSnippet(raw)}"\`); other values are numbers, \`true\`, \`false\`, \`null\`, objects and arrays.`
        : `\`${quoteSnippet(raw)}\` is not a JSON value: use a string in double quotes, a number, \`true\`, \`false\`, \`null\`, an object or an array.`,
      wordy ? [{ title: `Quote it: "${quoteSnippet(raw)}"`, edits: [{ offset: at, length: raw.length, newText: JSON.stringify(raw) }], preferred: true }] : undefined);
    const node = this.leaf('string', raw, parent);
    this.advance();
    return { node, danglingComma: false };
  }

  private skipDeep(parent: MutableNode | undefined): ContainerResult {
    const start = this.tokOffset;
    this.issue('schema.syntax.tooDeep', ParseErrorCode.InvalidSymbol, start, 1,
      `The JSON is nested more than ${MAX_DEPTH} levels deep here; Python's json module gives up on such input. Flatten the structure.`);
    let depth = 0;
    let end = this.tokEnd;
    do {
      if (this.tok === SyntaxKind.OpenBraceToken || this.tok === SyntaxKind.OpenBracketToken) depth++;
      else if (this.tok === SyntaxKind.CloseBraceToken || this.tok === SyntaxKind.CloseBracketToken) depth--;
      end = this.tokEnd;
      this.advance();
    } while (depth > 0 && this.tok !== SyntaxKind.EOF);
    return { node: { type: 'null', value: null, offset: start, length: end - start, parent }, danglingComma: false };
  }

  // ---- gaps (missing closers and commas) -----------------------------------------------------

  private describeNext(): string {
    switch (this.tok) {
      case SyntaxKind.EOF:
        return 'the end of the file';
      case SyntaxKind.StringLiteral:
        return this.followedByColon() ? `the property \`${quoteSnippet(this.sc.getTokenValue())}\`` : `\`${quoteSnippet(this.tokText())}\``;
      default:
        return `\`${quoteSnippet(this.tokText())}\``;
    }
  }

  private addCloser(at: number, closer: Closer): void {
    let gap = this.gaps.get(at);
    if (!gap) {
      gap = { offset: at, closers: [], comma: false, next: this.describeNext(), inArray: false };
      this.gaps.set(at, gap);
    }
    gap.closers.push(closer);
  }

  private missingComma(at: number, previous: string, inArray: boolean, arrayOwner?: string): void {
    const gap = this.gaps.get(at);
    if (gap) {
      gap.comma = true;
      return;
    }
    this.gaps.set(at, { offset: at, closers: [], comma: true, previous, next: this.describeNext(), inArray, arrayOwner });
  }

  /**
   * Whether the current token, a key or value at the start of its line, sits at or left of the
   * indentation of the line that opened the container, so it cannot be one of its members.
   * Only used while the text really lacks closers of this kind, and never for the outermost value.
   */
  private outdented(openIndent: number, memberColumn: number | undefined, depth: number, kind: '{' | '['): boolean {
    if (depth === 0) return false;
    if ((kind === '{' ? this.braceDeficit : this.bracketDeficit) <= 0) return false;
    if (!this.firstOnLine(this.tokOffset)) return false;
    // A file that does not indent members under their opener gives no signal.
    if (memberColumn !== undefined && memberColumn <= openIndent) return false;
    return this.column(this.tokOffset) <= openIndent;
  }

  /** A closer that does not line up with its opener while the text has closers to spare is a stray one. */
  private strayCloser(openOffset: number, openIndent: number, kind: '{' | '['): boolean {
    if ((kind === '{' ? this.braceSurplus : this.bracketSurplus) <= 0) return false;
    if (this.sameLine(openOffset, this.tokOffset)) return false;
    return this.indentOf(this.tokOffset) !== openIndent;
  }

  private strayCloserIssue(kind: '{' | '['): void {
    const ch = kind === '{' ? '}' : ']';
    const opener = kind === '{' ? '{' : '[';
    if (kind === '{') this.braceSurplus--;
    else this.bracketSurplus--;
    this.issue(kind === '{' ? 'schema.syntax.extraBrace' : 'schema.syntax.extraBracket', ParseErrorCode.InvalidSymbol, this.tokOffset, 1,
      `Unexpected \`${ch}\`: the file has one \`${ch}\` more than \`${opener}\`, and this one does not line up with the \`${opener}\` it would close. Remove it.`,
      [{ title: `Remove the extra ${ch}`, edits: [{ offset: this.tokOffset, length: 1, newText: '' }], preferred: true }]);
  }

  // ---- containers ---------------------------------------------------------------------------

  /** Opens an object or list at the current token; the caller reads its members. */
  private openContainer(kind: '{' | '[', parent: MutableNode | undefined, name: string): Container {
    const openOffset = this.tokOffset;
    const c: Container = {
      kind,
      name,
      node: { type: kind === '{' ? 'object' : 'array', offset: openOffset, length: 1, parent, children: [] },
      openOffset,
      openIndent: this.indentOf(openOffset),
      lastEnd: this.tokEnd,
      needComma: false,
      lastIncomplete: false,
    };
    this.stack.push(kind);
    this.advance();
    return c;
  }

  /** Ends the container where its last member ends, noting the closer the text lacks there. */
  private closeImplicitly(c: Container): ContainerResult {
    this.addCloser(c.lastEnd, { char: c.kind === '{' ? '}' : ']', owner: c.name, openOffset: c.openOffset });
    c.node.length = c.lastEnd - c.openOffset;
    this.stack.pop();
    return { node: c.node, danglingComma: c.pendingComma !== undefined };
  }

  /**
   * The tokens objects and lists treat alike: closers, the end of the file and commas. Returns the
   * finished container, true when the token was consumed, false when it starts (or is) a member.
   */
  private containerPunctuation(c: Container): ContainerResult | boolean {
    const t = this.tok;
    const own = c.kind === '{' ? SyntaxKind.CloseBraceToken : SyntaxKind.CloseBracketToken;
    const other = c.kind === '{' ? SyntaxKind.CloseBracketToken : SyntaxKind.CloseBraceToken;
    const otherKind = c.kind === '{' ? '[' : '{';
    if (t === own) {
      if (this.strayCloser(c.openOffset, c.openIndent, c.kind)) {
        this.strayCloserIssue(c.kind);
        this.advance();
        return true;
      }
      if (c.pendingComma !== undefined) this.trailingComma(c.pendingComma, `the last ${c.kind === '{' ? 'property' : 'item'} of ${c.name}`);
      c.node.length = this.tokEnd - c.openOffset;
      this.stack.pop();
      this.advance();
      return { node: c.node, danglingComma: false };
    }
    if (t === SyntaxKind.EOF) return this.closeImplicitly(c);
    if (t === other) {
      if (this.stack.includes(otherKind)) return this.closeImplicitly(c);
      this.strayCloserIssue(otherKind);
      this.advance();
      return true;
    }
    if (t !== SyntaxKind.CommaToken) return false;
    if (c.lastIncomplete && c.pendingComma === undefined) {
      c.pendingComma = this.tokOffset;
      c.lastIncomplete = false;
    } else if (c.pendingComma !== undefined || !c.needComma) {
      this.issue('schema.syntax.extraComma', c.kind === '{' ? ParseErrorCode.PropertyNameExpected : ParseErrorCode.ValueExpected, this.tokOffset, 1,
        c.node.children!.length === 0 ? `Unexpected comma at the start of ${c.name}: remove it.` : 'Two commas in a row: remove one.',
        [{ title: 'Remove the comma', edits: [{ offset: this.tokOffset, length: 1, newText: '' }], preferred: true }]);
    } else {
      c.pendingComma = this.tokOffset;
      c.needComma = false;
    }
    this.advance();
    return true;
  }

  /**
   * Before a member: the container ends here if the member is outdented past its opener; otherwise
   * the first member on its own line sets the members' column.
   */
  private memberStart(c: Container, depth: number): ContainerResult | undefined {
    if (this.outdented(c.openIndent, c.memberColumn, depth, c.kind)) {
      if (c.kind === '{') this.braceDeficit--;
      else this.bracketDeficit--;
      return this.closeImplicitly(c);
    }
    if (c.memberColumn === undefined && this.firstOnLine(this.tokOffset)) c.memberColumn = this.column(this.tokOffset);
    return undefined;
  }

  /** After a member was read and added to the container's children. */
  private memberParsed(c: Container, member: ContainerResult): void {
    c.lastEnd = member.node.offset + member.node.length;
    c.needComma = !member.danglingComma && !member.incomplete;
    c.lastIncomplete = !!member.incomplete;
    c.pendingComma = member.danglingComma ? this.lastCommaBefore(this.tokOffset) : undefined;
  }

  private parseObject(parent: MutableNode | undefined, owner: string, depth: number): ContainerResult {
    const c = this.openContainer('{', parent, owner);
    let lastName = '';
    for (;;) {
      const punctuation = this.containerPunctuation(c);
      if (punctuation === true) continue;
      if (punctuation !== false) return punctuation;
      const t = this.tok;
      const isKey = t === SyntaxKind.StringLiteral || (t === SyntaxKind.Unknown && (this.followedByColon() || this.singleQuotedKey()));
      if (isKey || isValueStart(t)) {
        const ended = this.memberStart(c, depth);
        if (ended) return ended;
        if (c.needComma) this.missingComma(c.lastEnd, `the property \`${quoteSnippet(lastName)}\``, false);
        if (!isKey) {
          this.issue('schema.syntax.propertyNameExpected', ParseErrorCode.PropertyNameExpected, this.tokOffset, this.tokEnd - this.tokOffset,
            `Expected a property name in double quotes in ${owner}, found \`${quoteSnippet(this.tokText())}\`: every member of an object is \`"name": value\`.`);
          const skipped = this.parseValue(undefined, owner, depth + 1);
          if (!skipped) this.advance();
          else c.lastEnd = skipped.node.offset + skipped.node.length;
          c.needComma = true;
          c.pendingComma = undefined;
          continue;
        }
        const prop = this.parseProperty(c.node, depth);
        c.node.children!.push(prop.node);
        lastName = String(prop.node.children![0].value);
        this.memberParsed(c, prop);
        continue;
      }
      if (t === SyntaxKind.ColonToken) {
        this.issue('schema.syntax.unexpectedColon', ParseErrorCode.PropertyNameExpected, this.tokOffset, 1,
          `Unexpected \`:\` in ${owner}: a colon goes between a property name and its value.`);
        this.advance();
        continue;
      }
      // Unknown text not followed by a colon.
      this.parseUnknownValue(undefined);
    }
  }

  private lastCommaBefore(offset: number): number | undefined {
    for (let i = offset - 1; i >= 0; i--) {
      const c = this.text.charCodeAt(i);
      if (c === 44) return i;
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return undefined;
    }
    return undefined;
  }

  private trailingComma(at: number, what: string): void {
    this.issue('schema.syntax.trailingComma', ParseErrorCode.PropertyNameExpected, at, 1,
      `Trailing comma after ${what}: Python's json module (used by dvp) rejects it. Remove the comma.`,
      [{ title: 'Remove the trailing comma', edits: [{ offset: at, length: 1, newText: '' }], preferred: true }]);
  }

  private parseProperty(object: MutableNode, depth: number): ContainerResult {
    const keyOffset = this.tokOffset;
    const quoted = this.tok === SyntaxKind.StringLiteral;
    let key = quoted ? this.stringValue() : this.tokText();
    const single = quoted ? null : this.singleQuoted();
    let keyEnd = this.tokEnd;
    if (single) {
      key = single[1].replace(/\\'/g, "'");
      keyEnd = keyOffset + single[0].length;
      this.issue('schema.syntax.singleQuotes', ParseErrorCode.PropertyNameExpected, keyOffset, single[0].length,
        `JSON strings need double quotes: write ${JSON.stringify(key)}.`,
        [{ title: `Use double quotes: ${JSON.stringify(key)}`, edits: [{ offset: keyOffset, length: single[0].length, newText: JSON.stringify(key) }], preferred: true }]);
      this.tokEnd = keyEnd;
      this.sc.setPosition(keyEnd);
    }
    const prop: MutableNode = { type: 'property', offset: keyOffset, length: keyEnd - keyOffset, parent: object, children: [] };
    const keyNode: MutableNode = { type: 'string', value: key, offset: keyOffset, length: keyEnd - keyOffset, parent: prop };
    prop.children!.push(keyNode);
    if (!quoted && !single) {
      this.issue('schema.syntax.unquotedKey', ParseErrorCode.PropertyNameExpected, keyOffset, keyEnd - keyOffset,
        `Property names must be strings in double quotes: write ${JSON.stringify(key)}.`,
        [{ title: `Quote it: ${JSON.stringify(key)}`, edits: [{ offset: keyOffset, length: keyEnd - keyOffset, newText: JSON.stringify(key) }], preferred: true }]);
    }
    this.advance();
    let hasColon = false;
    if (this.tok === SyntaxKind.ColonToken) {
      hasColon = true;
      prop.colonOffset = this.tokOffset;
      this.advance();
    }
    const colonEnd = hasColon ? prop.colonOffset! + 1 : keyEnd;
    // A string followed by a colon on a later line is the next key, not this key's value.
    const nextIsKey = this.tok === SyntaxKind.StringLiteral && !this.sameLine(colonEnd, this.tokOffset) && this.followedByColon();
    const valueHere = (isValueStart(this.tok) || this.tok === SyntaxKind.Unknown) && !nextIsKey;
    if (!hasColon) {
      if (valueHere && this.sameLine(keyEnd, this.tokOffset)) {
        this.issue('schema.syntax.colonExpected', ParseErrorCode.ColonExpected, keyEnd, 0,
          `Expected \`:\` after the property name \`${quoteSnippet(key)}\`.`,
          [{ title: 'Insert ":"', edits: [{ offset: keyEnd, length: 0, newText: ':' }], preferred: true }]);
      } else {
        this.issue('schema.syntax.colonExpected', ParseErrorCode.ColonExpected, keyEnd, 0,
          `Expected \`:\` and a value after the property name \`${quoteSnippet(key)}\`.`);
        return { node: prop, danglingComma: false, incomplete: true };
      }
    } else if (!valueHere) {
      this.issue('schema.syntax.valueExpected', ParseErrorCode.ValueExpected, colonEnd, 0,
        `Expected a value for \`${quoteSnippet(key)}\` after \`:\`.`);
      prop.length = colonEnd - keyOffset;
      return { node: prop, danglingComma: false, incomplete: true };
    }
    const value = this.parseValue(prop, `\`${quoteSnippet(key)}\``, depth + 1);
    if (!value) return { node: prop, danglingComma: false };
    prop.children!.push(value.node);
    prop.length = value.node.offset + value.node.length - keyOffset;
    return { node: prop, danglingComma: value.danglingComma, incomplete: value.incomplete };
  }

  private parseArray(parent: MutableNode | undefined, owner: string, depth: number): ContainerResult {
    const listName = owner === 'the top-level object' ? 'the top-level array' : `the list ${owner}`;
    const c = this.openContainer('[', parent, listName);
    for (;;) {
      const punctuation = this.containerPunctuation(c);
      if (punctuation === true) continue;
      if (punctuation !== false) return punctuation;
      const t = this.tok;
      if (t === SyntaxKind.ColonToken) {
        this.issue('schema.syntax.unexpectedColon', ParseErrorCode.ValueExpected, this.tokOffset, 1,
          `Unexpected \`:\` in ${listName}: a list holds values separated by commas.`);
        this.advance();
        continue;
      }
      // A key cannot be an item: the list ended before it.
      if (t === SyntaxKind.StringLiteral && this.followedByColon() && depth > 0 && this.stack.includes('{')) {
        if (this.bracketDeficit > 0) this.bracketDeficit--;
        return this.closeImplicitly(c);
      }
      const ended = this.memberStart(c, depth);
      if (ended) return ended;
      const children = c.node.children!;
      if (c.needComma) {
        const prev = children[children.length - 1];
        this.missingComma(c.lastEnd, `\`${quoteSnippet(this.text.slice(prev.offset, prev.offset + Math.min(prev.length, 41)))}\``, true, listName);
      }
      const item = this.parseValue(c.node, `item ${children.length + 1} of ${owner}`, depth + 1);
      if (!item) {
        // parseValue handles every value start and unknown text, so this is a token no value starts with.
        this.advance();
        continue;
      }
      children.push(item.node);
      this.memberParsed(c, item);
    }
  }

  /** Text after the outermost value: report it once, then read any further members into the root. */
  private trailingContent(root: MutableNode | undefined): void {
    const t = this.tok;
    const firstOffset = this.tokOffset;
    if (t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken) {
      const ch = this.tokText();
      this.issue('schema.syntax.extraBrace', ParseErrorCode.EndOfFileExpected, firstOffset, 1,
        `Unexpected \`${ch}\` after the end of the top-level object: there is one \`${ch}\` too many. Remove it.`,
        [{ title: `Remove the extra ${ch}`, edits: [{ offset: firstOffset, length: 1, newText: '' }], preferred: true }]);
    } else {
      this.issue('schema.syntax.endOfFileExpected', ParseErrorCode.EndOfFileExpected, firstOffset, this.tokEnd - firstOffset,
        'Unexpected text after the end of the top-level object: the file must hold exactly one JSON object. A `}` earlier in the file may close the top-level object too soon.');
    }
    // Best effort for the tree: members that follow an early `}` still belong to the top-level object.
    const members = root && root.type === 'object' ? root.children! : undefined;
    while (this.tok !== SyntaxKind.EOF) {
      if (members && this.tok === SyntaxKind.StringLiteral && this.followedByColon()) {
        const prop = this.parseProperty(root!, 1);
        members.push(prop.node);
        continue;
      }
      if (this.tok === SyntaxKind.OpenBraceToken || this.tok === SyntaxKind.OpenBracketToken) {
        this.parseValue(undefined, 'a value', 1);
        continue;
      }
      this.advance();
    }
  }

  // ---- output -------------------------------------------------------------------------------

  private finish(): SyntaxIssue[] {
    for (const gap of this.gaps.values()) this.gapIssue(gap);
    return this.issues.sort((a, b) => a.offset - b.offset);
  }

  private gapIssue(gap: Gap): void {
    if (gap.closers.length === 0) {
      const message = gap.inArray
        ? `Expected a comma or \`]\` after ${gap.previous} in ${gap.arrayOwner}: add \`,\` before ${gap.next}.`
        : `Expected a comma or closing brace after ${gap.previous}: add \`,\` before ${gap.next}.`;
      this.issue('schema.syntax.commaExpected', ParseErrorCode.CommaExpected, gap.offset, 0, message,
        [{ title: 'Insert ","', edits: [{ offset: gap.offset, length: 0, newText: ',' }], preferred: true }]);
      return;
    }
    const chars = gap.closers.map((c) => c.char).join('');
    const owners = joinNames(gap.closers.map((c) => c.owner));
    const insert = gap.closers.map((c) => `\n${this.indentText(c.openOffset)}${c.char}`).join('') + (gap.comma ? ',' : '');
    const shown = chars + (gap.comma ? ',' : '');
    const one = gap.closers.length === 1;
    let message: string;
    if (gap.next === 'the end of the file') {
      message = one
        ? `Missing \`${chars}\` to close ${owners} (opened on line ${this.lineOf(gap.closers[0].openOffset)}): the file ends before it is closed. Add \`${chars}\` after its last value.`
        : `Missing \`${chars}\` to close ${owners}: the file ends before they are closed. Add \`${chars}\` after the last value.`;
    } else {
      message = one
        ? `Missing \`${chars}\` to close ${owners} (opened on line ${this.lineOf(gap.closers[0].openOffset)}): add \`${shown}\` after its last value, before ${gap.next}.`
        : `Missing \`${chars}\` to close ${owners}: add \`${shown}\` after the last value, before ${gap.next}.`;
    }
    const inner = gap.closers[0].char;
    this.issue(inner === '}' ? 'schema.syntax.closeBraceExpected' : 'schema.syntax.closeBracketExpected',
      inner === '}' ? ParseErrorCode.CloseBraceExpected : ParseErrorCode.CloseBracketExpected,
      gap.offset, 0, message,
      [{ title: `Insert ${shown}`, edits: [{ offset: gap.offset, length: 0, newText: insert }], preferred: true }]);
  }
}
