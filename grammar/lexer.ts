// Lexing: text → tokens, with the DOS end-of-file byte honoured and keywords re-typed.
import { Lexer, type ILexingError, type IToken } from "chevrotain";
import { Colon, DoubleColon, Identifier, KEYWORDS, NewLine, lexedTokens } from "./tokens.js";

const lexer = new Lexer(lexedTokens, { positionTracking: "full", ensureOptimizations: false });

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly errors: ILexingError[];
  /** The text actually lexed: everything before a DOS end-of-file byte (1Ah). */
  readonly text: string;
}

export function lex(source: string): LexResult {
  const eof = source.indexOf("\x1a");
  const text = eof >= 0 ? source.slice(0, eof) : source;
  const result = lexer.tokenize(text);
  retypeKeywords(result.tokens);
  return { tokens: result.tokens, comments: result.groups["comments"] ?? [], errors: result.errors, text };
}

/** Gives reserved words their keyword type, except a statement's first word (after an optional
 *  `label:`), which MASM reads as a mnemonic, directive or macro name. */
export function retypeKeywords(tokens: IToken[]): void {
  let head = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === NewLine) {
      head = true;
      continue;
    }
    if (t.tokenType !== Identifier) {
      head = false;
      continue;
    }
    const next = tokens[i + 1];
    if (head && next !== undefined && (next.tokenType === Colon || next.tokenType === DoubleColon)) {
      // a label: the word after its colon is the head
      i++;
      continue;
    }
    if (!head) {
      const k = KEYWORDS.get(t.image.toUpperCase());
      if (k !== undefined) {
        t.tokenType = k;
        t.tokenTypeIdx = k.tokenTypeIdx!;
      }
    }
    head = false;
  }
}
