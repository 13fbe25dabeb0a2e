// The scanner: text → tokens of the types in tokens.ts, in the shape Chevrotain's parser reads.
// Written by hand rather than built with Chevrotain's Lexer because it is several times faster
// to start and to run, and because two things MASM needs are not regular: a MACRO/REPT body is
// kept as raw text up to its ENDM, and a DOS end-of-file byte (1Ah) ends the source.
import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

export interface ScanError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly length: number;
  readonly message: string;
}

export interface ScanResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly errors: ScanError[];
  /** The text scanned: everything before a DOS end-of-file byte. */
  readonly text: string;
}

const BLOCK_OPENERS = new Set(["REPT", "IRP", "IRPC", "REPEAT", "FOR", "FORC", "WHILE"]);



const PUNCT: Record<string, TokenType> = {
  ",": T.Comma,
  "[": T.LBracket,
  "]": T.RBracket,
  "(": T.LParen,
  ")": T.RParen,
  "+": T.Plus,
  "-": T.Minus,
  "*": T.Star,
  "/": T.Slash,
  "=": T.Equals,
  "&": T.Ampersand,
  "!": T.Bang,
  "%": T.Percent,
  "\\": T.Backslash,
};

/** PUNCT by character code. */
const PUNCT_BY_CODE: (TokenType | undefined)[] = Array.from({ length: 128 }, (_, c) => PUNCT[String.fromCharCode(c)]);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64 || c === 36 || c === 63;
}

/** [\w@$?] */
function isIdentChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 64 || c === 36 || c === 63;
}

/** [0-9A-Za-z_] */
function isNumberChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** [ \t\f\v] */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11;
}

/** Offset of the next CR or LF from `i` (or the end). */
function lineEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    i++;
  }
  return n;
}

/** End of a quoted string starting at `start` (a doubled quote stands for one), or -1 if the line ends
 *  first. As the regular expression /'(?:[^'\r\n]|'')*'/ does, a doubled quote with no close after it
 *  may still end the string at its first half (`'it''s''` is `'it''s'` then `'`). */
function stringEnd(text: string, start: number, quote: number): number {
  const n = text.length;
  let fallback = -1;
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        fallback = i + 1;
        i++;
        continue;
      }
      return i + 1;
    }
    if (c === 10 || c === 13) return fallback;
  }
  return fallback;
}

/** End of `<text>` (one level of nested brackets), or -1. */
function angleEnd(text: string, start: number): number {
  const n = text.length;
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 62 /* > */) return i + 1;
    if (c === 10 || c === 13) return -1;
    if (c === 60 /* < */) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 60 || d === 62 || d === 10 || d === 13) break;
        j++;
      }
      if (text.charCodeAt(j) !== 62) return -1;
      i = j;
    }
  }
  return -1;
}

/** End of `.name` or `.123abc`, or -1. */
function dotNameEnd(text: string, start: number): number {
  const n = text.length;
  const c = text.charCodeAt(start + 1);
  let i = start + 2;
  if (isIdentStart(c)) while (i < n && isIdentChar(text.charCodeAt(i))) i++;
  else if (c >= 48 && c <= 57) while (i < n && isNumberChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 95) i++;
  else return -1;
  return i;
}

/**
 * A token of one line. A class of its own rather than an object literal: Chevrotain makes its own
 * tokens as literals of the same shape with NaN positions, and sharing their hidden class would make
 * V8 box every position of every token (and of every span made from one) as a heap number. Its end
 * is worked out from its image (hundreds of thousands of tokens are made and dropped per file).
 */
class Token implements IToken {
  // Declared and assigned in the constructor rather than class fields, which V8 defines one by one
  // before the constructor runs (a call each in optimised code; this is made for every word).
  declare readonly image: string;
  declare readonly startOffset: number;
  declare readonly startLine: number;
  declare readonly startColumn: number;
  declare tokenType: TokenType;
  declare tokenTypeIdx: number;

  constructor(image: string, startOffset: number, startLine: number, startColumn: number, tokenType: TokenType) {
    this.image = image;
    this.startOffset = startOffset;
    this.startLine = startLine;
    this.startColumn = startColumn;
    this.tokenType = tokenType;
    this.tokenTypeIdx = tokenType.tokenTypeIdx!;
  }

  get endOffset(): number {
    return this.startOffset + this.image.length - 1;
  }

  get endLine(): number {
    return this.startLine;
  }

  get endColumn(): number {
    return this.startColumn + this.image.length - 1;
  }
}

/** A MACRO/REPT body: a token over several lines. */
class BodyToken implements IToken {
  readonly tokenType: TokenType = T.BlockBody;
  readonly tokenTypeIdx: number = T.BlockBody.tokenTypeIdx!;
  constructor(
    readonly image: string,
    readonly startOffset: number,
    readonly endOffset: number,
    readonly startLine: number,
    readonly startColumn: number,
    readonly endLine: number,
    readonly endColumn: number,
  ) {}
}

export function scan(source: string): ScanResult {
  const scanner = new Scanner(source);
  const tokens: IToken[] = [];
  for (let t = scanner.next(); t !== null; t = scanner.next()) tokens.push(t);
  return { tokens, comments: scanner.comments, errors: scanner.errors, text: scanner.text };
}

/**
 * The scanner as a stream: `next()` gives one token at a time (NewLine and BlockBody included),
 * so that a caller can assemble each line as soon as it is read and its tokens die young.
 * Comments and errors collect in `comments` and `errors` as they are met.
 */
export class Scanner {
  readonly text: string;
  readonly comments: IToken[] = [];
  readonly errors: ScanError[] = [];
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** The first two tokens of the line being scanned (for recognising a MACRO/REPT header at its end). */
  private first: IToken | null = null;
  private second: IToken | null = null;
  private pendingBody: IToken | null = null;

  /**
   * `keepComment`: which comments to collect (all when absent). `sharedNewlines`: every line break is
   * one shared NewLine token (for a reader that only needs to know where lines end).
   */
  constructor(
    source: string,
    private readonly keepComment: ((text: string) => boolean) | null = null,
    private readonly sharedNewlines = false,
  ) {
    const eof = source.indexOf("\x1a");
    this.text = eof >= 0 ? source.slice(0, eof) : source;
    this.hasCR = this.text.indexOf("\r") >= 0;
  }

  /** Whether any line ends in CR: without one, the end of a line is found by the faster indexOf. */
  private readonly hasCR: boolean;

  private lineEndFrom(i: number): number {
    if (this.hasCR) return lineEnd(this.text, i);
    const nl = this.text.indexOf("\n", i);
    return nl < 0 ? this.text.length : nl;
  }

  private make(type: TokenType, start: number, end: number): IToken {
    return new Token(this.text.slice(start, end), start, this.line, start - this.lineStart + 1, type);
  }

  /** The BlockBody that follows the line break just returned, taken out of the stream (or null). */
  takePendingBody(): IToken | null {
    const body = this.pendingBody;
    this.pendingBody = null;
    return body;
  }

  /** The line break at `pos` (its first character is `c`); a MACRO/REPT header's body is read after it. */
  private lineBreak(pos: number, c: number): IToken {
    const text = this.text;
    const end = c === 13 && text.charCodeAt(pos + 1) === 10 ? pos + 2 : pos + 1;
    const newline = this.sharedNewlines ? SHARED_NEWLINE : this.make(T.NewLine, pos, end);
    const header = this.first !== null && isBlockHeader(this.first, this.second);
    this.first = null;
    this.second = null;
    this.pos = end;
    this.line++;
    this.lineStart = end;
    if (header) this.readBody(end);
    return newline;
  }

  /** Takes the raw body of a MACRO/REPT/IRP block that starts at `start` out of the stream. */
  private readBody(start: number): void {
    const text = this.text;
    const bodyEnd = blockBodyEnd(text, start);
    if (bodyEnd <= start) return;
    const startLine = this.line;
    const startLineStart = this.lineStart;
    let nl = 0;
    let last = -1;
    for (let i = start; i < bodyEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
        nl++;
        last = i - start;
      }
    }
    const endLine = startLine + nl - (last === bodyEnd - start - 1 ? 1 : 0);
    this.pendingBody = new BodyToken(text.slice(start, bodyEnd), start, bodyEnd - 1, this.line, 1, endLine, bodyEnd - startLineStart);
    this.line += nl;
    this.pos = bodyEnd;
    this.lineStart = last >= 0 ? startLineStart + last + 1 : this.lineStart;
  }

  /** The next token, or null at the end of the text. */
  next(): IToken | null {
    if (this.pendingBody) {
      const body = this.pendingBody;
      this.pendingBody = null;
      return body;
    }
    const text = this.text;
    const n = text.length;
    while (this.pos < n) {
      const pos = this.pos;
      const c = text.charCodeAt(pos);
      // A line break ends the statement; after a MACRO/REPT/IRP header the body follows raw.
      if (c === 10 || c === 13) return this.lineBreak(pos, c);
      let end: number;
      // Character loops rather than regular expressions: the scanner is on every line's path.
      if (c === 32 || c === 9 || c === 12 || c === 11) {
        let p = pos + 1;
        while (p < n && isSpace(text.charCodeAt(p))) p++;
        this.pos = p;
        continue;
      }
      if (c === 59 /* ; */) {
        end = this.lineEndFrom(pos + 1);
        if (this.keepComment === null || this.keepComment(text.slice(pos, end))) this.comments.push(this.make(T.Comment, pos, end));
        this.pos = end;
        continue;
      }
      let type: TokenType | undefined;
      if (c === 39 || c === 34) {
        end = stringEnd(text, pos, c);
        type = T.StringLit;
        if (end < 0) {
          end = lineEnd(text, pos + 1);
          type = T.UnterminatedString;
        }
      } else if (c === 60 /* < */ && (end = angleEnd(text, pos)) > 0) type = T.AngleText;
      else if (c >= 48 && c <= 57) {
        end = pos + 1;
        while (end < n && isNumberChar(text.charCodeAt(end))) end++;
        type = T.NumberLit;
      } else if (isIdentStart(c)) {
        end = pos + 1;
        while (end < n && isIdentChar(text.charCodeAt(end))) end++;
        type = T.Identifier;
      } else if (c === 46 /* . */ && (end = dotNameEnd(text, pos)) > 0) type = T.DotName;
      else if (c === 37 /* % */ && (end = percentOutEnd(text, pos)) > 0) type = T.PercentOut;
      else if (c === 58 /* : */) {
        const dbl = text.charCodeAt(pos + 1) === 58;
        end = pos + (dbl ? 2 : 1);
        type = dbl ? T.DoubleColon : T.Colon;
      } else {
        type = c < 128 ? PUNCT_BY_CODE[c] : undefined;
        end = pos + 1;
      }
      if (!type) {
        this.errors.push({ offset: pos, line: this.line, column: pos - this.lineStart + 1, length: 1, message: `unexpected character ${JSON.stringify(text[pos])}` });
        this.pos = pos + 1;
        continue;
      }
      const tok = this.make(type, pos, end);
      if (this.first === null) this.first = tok;
      else if (this.second === null) this.second = tok;
      this.pos = end;
      return tok;
    }
    return null;
  }
}

/** The line break a Scanner with `sharedNewlines` returns (no position: only its type counts). */
const SHARED_NEWLINE: IToken = new Token("\n", -1, -1, -1, T.NewLine);

const PERCENT_OUT = /%out\b[^\r\n]*/iy;

function percentOutEnd(text: string, pos: number): number {
  PERCENT_OUT.lastIndex = pos;
  return PERCENT_OUT.test(text) ? PERCENT_OUT.lastIndex : -1;
}

/** Is a line whose first two tokens are these a `Name MACRO …` or `REPT/IRP/IRPC …` header? */
function isBlockHeader(first: IToken, second: IToken | null): boolean {
  if (first.tokenType !== T.Identifier) return false;
  // Every opener has at most 6 letters and starts with F, I, R or W: most heads are not looked up at all.
  const c = first.image.charCodeAt(0) | 0x20;
  if (first.image.length <= 6 && (c === 0x66 || c === 0x69 || c === 0x72 || c === 0x77) && BLOCK_OPENERS.has(first.image.toUpperCase())) return true;
  return second !== null && second.tokenType === T.Identifier && second.image.length === 5 && second.image.toUpperCase() === "MACRO";
}

/** Offset of the line holding the ENDM that closes a body starting at `start` (nesting counted),
 *  or the end of the text when there is none. */
function blockBodyEnd(text: string, start: number): number {
  let depth = 1;
  let pos = start;
  while (pos < text.length) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const code = text.slice(pos, eol).replace(/;.*$/, "");
    const words = code.match(/[A-Za-z_@$?.%][\w@$?]*/g) ?? [];
    const first = (words[0] ?? "").toUpperCase();
    const second = (words[1] ?? "").toUpperCase();
    if (first === "ENDM") {
      depth--;
      if (depth === 0) return pos;
    } else if (BLOCK_OPENERS.has(first) || second === "MACRO") {
      depth++;
    }
    pos = eol + 1;
  }
  return text.length;
}
