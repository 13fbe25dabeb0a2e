// Source text → lines of tokens (the parser and the front end work one line at a time). Lines are
// read as a stream: each is scanned when the assembler asks for it, so the tokens of a line are
// garbage as soon as it is assembled (a whole file's tokens at once made the collector work hard).
import type { IToken } from "chevrotain";
import { retypeKeywords } from "../../grammar/lexer.js";
import { Scanner, type ScanError } from "../../grammar/scanner.js";
import { BlockBody, NewLine, UnterminatedString } from "../../grammar/tokens.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";

export interface SourceLine {
  readonly tokens: IToken[];
  /** 1-based line number in its file. */
  readonly line: number;
  /** The raw text of the line. */
  readonly text: string;
  /** For a MACRO/REPT/IRP/IRPC header: the raw body text that follows it (up to ENDM). */
  body: IToken | null;
  /** The body ran to the end of the text without its ENDM. */
  bodyUnclosed?: boolean;
}

export interface SplitResult {
  readonly lines: SourceLine[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
  readonly text: string;
}

/** A line whose text is cut from the source only when someone reads it. */
class Line implements SourceLine {
  // Declared and assigned in the constructor: class fields are defined one by one before it runs.
  declare readonly tokens: IToken[];
  declare readonly line: number;
  declare body: IToken | null;
  declare bodyUnclosed?: boolean;
  declare private readonly source: string;
  declare private readonly start: number;

  constructor(tokens: IToken[], line: number, source: string, start: number) {
    this.tokens = tokens;
    this.line = line;
    this.body = null;
    this.source = source;
    this.start = start;
  }

  get text(): string {
    const s = this.source;
    let end = this.start;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    return s.slice(this.start, end);
  }
}

/**
 * The lines of a text, one at a time. Diagnostics (bad characters, unterminated strings) collect in
 * `diagnostics` as the lines they belong to are read; comments in `comments`.
 */
export class LineStream implements Iterable<SourceLine> {
  readonly diagnostics: Diagnostic[] = [];
  readonly comments: IToken[];
  readonly text: string;
  private readonly scanner: Scanner;
  private errorsSeen = 0;
  private last: Line | null = null;
  /** The last line with tokens was dropped (so a block body after it belongs to nothing). */
  private lastDropped = false;
  /** A dropped MACRO/REPT header's body was skipped: its closing ENDM goes too. */
  private skipEndm = false;
  private done = false;

  constructor(
    source: string,
    private readonly file: string,
    keepComment: ((text: string) => boolean) | null = null,
  ) {
    this.scanner = new Scanner(source, keepComment, true);
    this.comments = this.scanner.comments;
    this.text = this.scanner.text;
  }

  *[Symbol.iterator](): Iterator<SourceLine> {
    for (let line = this.next(); line; line = this.next()) yield line;
  }

  /** Reads what is left, for its diagnostics and comments. */
  drain(): void {
    while (this.next());
  }

  /** The next line to assemble, or null at the end. */
  next(): SourceLine | null {
    if (this.done) return null;
    // A new array for each line rather than one kept for all: storing a new token into an array that
    // has lived long is a call to the collector's write barrier, one per token.
    let current: IToken[] = [];
    let dropLine = false;
    for (;;) {
      const t = this.scanner.next();
      if (t === null || t.tokenType === NewLine || t.tokenType === BlockBody) {
        // A line with a lexical error gets one diagnostic, for its first error, and is not
        // assembled (as a line with an unterminated string is not): the rest would only add errors.
        const count = current.length;
        const lineNo = count ? current[0]!.startLine ?? 1 : -1;
        if (this.scanner.errors.length > this.errorsSeen && this.newErrors(lineNo) && count) dropLine = true;
        const out = this.flush(current, dropLine);
        if (count) current = [];
        dropLine = false;
        if (t === null) {
          this.done = true;
          return out;
        }
        // A MACRO/REPT header's body belongs to it before anyone reads the header.
        const body = t.tokenType === BlockBody ? t : this.scanner.takePendingBody();
        if (body) {
          if (this.lastDropped) this.skipEndm = true;
          else if (this.last) {
            this.last.body = body;
            if ((body.endOffset ?? 0) >= this.text.length - 1) this.last.bodyUnclosed = true;
          }
        }
        if (out) return out;
        continue;
      }
      if (t.tokenType === UnterminatedString) {
        const line = t.startLine ?? 1;
        const column = t.startColumn ?? 1;
        dropLine = true;
        // A bad character before it on the line is the one error reported for the line.
        if (this.scanner.errors.length > this.errorsSeen && this.scanner.errors[this.scanner.errors.length - 1]!.line === line) continue;
        this.diagnostics.push(
          diag("unterminated-string", { file: this.file, line, column, endLine: line, endColumn: (t.endColumn ?? column) + 1 }, "this string has no closing quote", {
            help: `end it with ${t.image[0]} on the same line`,
          }),
        );
        continue;
      }
      current.push(t);
    }
  }

  /** Reports the scanner's new errors (the first of each line); whether one is on line `lineNo`. */
  private newErrors(lineNo: number): boolean {
    const errors: ScanError[] = this.scanner.errors;
    let onLine = false;
    let lastLine = this.errorsSeen > 0 ? errors[this.errorsSeen - 1]!.line : -1;
    for (; this.errorsSeen < errors.length; this.errorsSeen++) {
      const e = errors[this.errorsSeen]!;
      if (e.line === lineNo) onLine = true;
      if (e.line === lastLine) continue;
      lastLine = e.line;
      const ch = this.text.charAt(e.offset);
      const shown = ch.charCodeAt(0) < 32 || ch.charCodeAt(0) > 126 ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}` : ch;
      this.diagnostics.push(
        diag("bad-character", { file: this.file, line: e.line, column: e.column, endLine: e.line, endColumn: e.column + Math.max(1, e.length) }, `unexpected character \`${shown}\``, {
          help: "MASM source is plain ASCII; a character like this belongs inside a string or a comment",
        }),
      );
    }
    return onLine;
  }

  private flush(tokens: IToken[], dropLine: boolean): Line | null {
    if (dropLine) {
      this.lastDropped = true;
      return null;
    }
    if (tokens.length === 0) return null;
    this.lastDropped = false;
    if (this.skipEndm) {
      this.skipEndm = false;
      if (tokens[0]!.image.toUpperCase() === "ENDM") return null;
    }
    retypeKeywords(tokens);
    const first = tokens[0]!;
    const line = new Line(tokens, first.startLine ?? 1, this.text, (first.startOffset ?? 0) - ((first.startColumn ?? 1) - 1));
    this.last = line;
    return line;
  }
}

/** The lines of a file; of its comments only the `; vmmasm-…` directives (lint's suppressions) are kept. */
export function streamLines(source: string, file: string): LineStream {
  return new LineStream(source, file, isDirectiveComment);
}

function isDirectiveComment(text: string): boolean {
  return text.includes("vmmasm-");
}

/** All the lines of a text at once (for short texts: expansions, expressions). */
export function splitLines(source: string, file: string): SplitResult {
  const stream = new LineStream(source, file);
  const lines = [...stream];
  return { lines, comments: stream.comments, diagnostics: stream.diagnostics, text: stream.text };
}
