// Lexing: text → tokens (scanner.ts), then keywords re-typed.
import type { IToken, TokenType } from "chevrotain";
import { scan, type ScanResult } from "./scanner.js";
import { Colon, DoubleColon, Identifier, KEYWORDS, NewLine } from "./tokens.js";

export type LexResult = ScanResult;

export function lex(source: string): LexResult {
  const result = scan(source);
  retypeKeywords(result.tokens);
  return result;
}

const LONGEST_KEYWORD = Math.max(...[...KEYWORDS.keys()].map((k) => k.length));

/** Spellings already looked up (operands repeat: eax, esi, OFFSET32 …); bounded for files of many names. */
const spellings = new Map<string, TokenType | null>();

function keywordOf(image: string): TokenType | null {
  let k = spellings.get(image);
  if (k === undefined) {
    // No keyword has an underscore; names like Mod1_Msg would fill the memo and never be keywords.
    if (image.includes("_")) return null;
    k = KEYWORDS.get(image.toUpperCase()) ?? null;
    if (spellings.size < 8192) spellings.set(image, k);
  }
  return k;
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
    if (!head && t.image.length <= LONGEST_KEYWORD) {
      const k = keywordOf(t.image);
      if (k !== null) {
        t.tokenType = k;
        t.tokenTypeIdx = k.tokenTypeIdx!;
      }
    }
    head = false;
  }
}
