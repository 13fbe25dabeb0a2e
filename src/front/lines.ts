// Source text → lines of tokens (the parser and the front end work one line at a time).
import type { IToken } from "chevrotain";
import { lex } from "../../grammar/lexer.js";
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

export function splitLines(source: string, file: string): SplitResult {
  const { tokens, comments, errors, text } = lex(source);
  const rawLines = text.split(/\r\n|\r|\n/);
  // A line with a lexical error gets one diagnostic, for its first error, and is not assembled
  // (as a line with an unterminated string is not): what is left of it would only add errors.
  const badLines = new Set<number>();
  const firstErrors = errors.filter((e) => !badLines.has(e.line) && badLines.add(e.line));
  const diagnostics: Diagnostic[] = firstErrors.map((e) => {
    const ch = text.charAt(e.offset);
    const shown = ch.charCodeAt(0) < 32 || ch.charCodeAt(0) > 126 ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}` : ch;
    return diag("bad-character", { file, line: e.line, column: e.column, endLine: e.line, endColumn: e.column + Math.max(1, e.length) }, `unexpected character \`${shown}\``, {
      help: "MASM source is plain ASCII; a character like this belongs inside a string or a comment",
    });
  });
  const lines: SourceLine[] = [];
  let current: IToken[] = [];
  let last: SourceLine | null = null;
  let dropLine = false;
  /** The last line with tokens was dropped (so a block body after it belongs to nothing). */
  let lastDropped = false;
  /** A dropped MACRO/REPT header's body was skipped: its closing ENDM goes too. */
  let skipEndm = false;
  const flush = (): void => {
    if (dropLine) {
      dropLine = false;
      lastDropped = true;
      current = [];
      return;
    }
    if (current.length === 0) return;
    lastDropped = false;
    if (skipEndm) {
      skipEndm = false;
      if (current[0]!.image.toUpperCase() === "ENDM") {
        current = [];
        return;
      }
    }
    const line = current[0]!.startLine ?? 1;
    last = { tokens: current, line, text: rawLines[line - 1] ?? "", body: null };
    lines.push(last);
    current = [];
  };
  for (const t of tokens) {
    if (t.tokenType === NewLine) {
      flush();
      continue;
    }
    if (t.tokenType === BlockBody) {
      flush();
      if (lastDropped) skipEndm = true;
      else if (last) (last as SourceLine).body = t;
      continue;
    }
    if (badLines.has(t.startLine ?? 1)) {
      dropLine = true;
      continue;
    }
    if (t.tokenType === UnterminatedString) {
      const line = t.startLine ?? 1;
      const column = t.startColumn ?? 1;
      diagnostics.push(
        diag("unterminated-string", { file, line, column, endLine: line, endColumn: (t.endColumn ?? column) + 1 }, "this string has no closing quote", {
          help: `end it with ${t.image[0]} on the same line`,
        }),
      );
      dropLine = true;
      continue;
    }
    current.push(t);
  }
  flush();
  for (const l of lines) if (l.body && (l.body.endOffset ?? 0) >= text.length - 1) l.bodyUnclosed = true;
  return { lines, comments, diagnostics, text };
}
