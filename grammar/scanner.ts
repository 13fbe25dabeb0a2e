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

const RE = {
  space: /[ \t\f\v]+/y,
  comment: /;[^\r\n]*/y,
  string: /'(?:[^'\r\n]|'')*'|"(?:[^"\r\n]|"")*"/y,
  unterminated: /['"][^\r\n]*/y,
  angle: /<(?:[^<>\r\n]|<[^<>\r\n]*>)*>/y,
  number: /[0-9][0-9A-Za-z_]*/y,
  percentOut: /%out\b[^\r\n]*/iy,
  dotName: /\.(?:[A-Za-z_@$?][\w@$?]*|[0-9][0-9A-Za-z]*)/y,
  ident: /[A-Za-z_@$?][\w@$?]*/y,
};

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

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64 || c === 36 || c === 63;
}

export function scan(source: string): ScanResult {
  const eof = source.indexOf("\x1a");
  const text = eof >= 0 ? source.slice(0, eof) : source;
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: ScanError[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let lineFirstToken = 0;

  const make = (type: TokenType, start: number, end: number, endLine = line, endLineStart = lineStart): IToken => ({
    image: text.slice(start, end),
    startOffset: start,
    endOffset: end - 1,
    startLine: line,
    startColumn: start - lineStart + 1,
    endLine,
    endColumn: end - 1 - endLineStart + 1,
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx!,
  });

  const match = (re: RegExp): number => {
    re.lastIndex = pos;
    return re.test(text) ? re.lastIndex : -1;
  };

  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    // A line break ends the statement; after a MACRO/REPT/IRP header the body follows raw.
    if (c === 10 || c === 13) {
      const end = c === 13 && text.charCodeAt(pos + 1) === 10 ? pos + 2 : pos + 1;
      tokens.push(make(T.NewLine, pos, end));
      const header = isBlockHeader(tokens, lineFirstToken, tokens.length - 1);
      pos = end;
      line++;
      lineStart = pos;
      lineFirstToken = tokens.length;
      if (header) {
        const bodyEnd = blockBodyEnd(text, pos);
        if (bodyEnd > pos) {
          const startLine = line;
          const startLineStart = lineStart;
          const body = text.slice(pos, bodyEnd);
          let nl = 0;
          let last = -1;
          for (let i = 0; i < body.length; i++) {
            const ch = body.charCodeAt(i);
            if (ch === 10 || (ch === 13 && body.charCodeAt(i + 1) !== 10)) {
              nl++;
              last = i;
            }
          }
          const endLine = startLine + nl - (last === body.length - 1 ? 1 : 0);
          const tok = make(T.BlockBody, pos, bodyEnd, endLine, startLineStart);
          tokens.push(tok);
          line += nl;
          pos = bodyEnd;
          lineStart = last >= 0 ? startLineStart + last + 1 : lineStart;
          lineFirstToken = tokens.length;
        }
      }
      continue;
    }
    let end: number;
    if ((end = match(RE.space)) > 0) {
      pos = end;
      continue;
    }
    if (c === 59 /* ; */) {
      end = match(RE.comment);
      comments.push(make(T.Comment, pos, end));
      pos = end;
      continue;
    }
    let type: TokenType | undefined;
    if (c === 39 || c === 34) {
      end = match(RE.string);
      type = T.StringLit;
      if (end < 0) {
        end = match(RE.unterminated);
        type = T.UnterminatedString;
      }
    } else if (c === 60 /* < */ && (end = match(RE.angle)) > 0) type = T.AngleText;
    else if (c >= 48 && c <= 57) {
      end = match(RE.number);
      type = T.NumberLit;
    } else if (isIdentStart(c)) {
      end = match(RE.ident);
      type = T.Identifier;
    } else if (c === 46 /* . */ && (end = match(RE.dotName)) > 0) type = T.DotName;
    else if (c === 37 /* % */ && (end = match(RE.percentOut)) > 0) type = T.PercentOut;
    else if (c === 58 /* : */) {
      const dbl = text.charCodeAt(pos + 1) === 58;
      end = pos + (dbl ? 2 : 1);
      type = dbl ? T.DoubleColon : T.Colon;
    } else {
      type = PUNCT[text[pos]!];
      end = pos + 1;
    }
    if (!type) {
      errors.push({ offset: pos, line, column: pos - lineStart + 1, length: 1, message: `unexpected character ${JSON.stringify(text[pos])}` });
      pos++;
      continue;
    }
    tokens.push(make(type, pos, end));
    pos = end;
  }
  return { tokens, comments, errors, text };
}

/** Is the line tokens[from..to) a `Name MACRO …` or `REPT/IRP/IRPC …` header? */
function isBlockHeader(tokens: IToken[], from: number, to: number): boolean {
  if (to <= from) return false;
  const first = tokens[from]!;
  if (first.tokenType !== T.Identifier) return false;
  if (BLOCK_OPENERS.has(first.image.toUpperCase())) return true;
  const second = tokens[from + 1];
  return second !== undefined && from + 1 < to && second.tokenType === T.Identifier && second.image.toUpperCase() === "MACRO";
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
