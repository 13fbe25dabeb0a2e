// Token definitions of vmmasm's MASM dialect. Words are lexed as identifiers; the few reserved
// words the parser must tell apart (EQU, PTR, DUP, the expression operators …) are re-typed by
// `retypeKeywords` after lexing, except in the position of a statement's first word, where MASM
// reads them as mnemonics (`and eax, 1`) or directives.
import { createToken, Lexer, type TokenType } from "chevrotain";

export const NewLine = createToken({ name: "NewLine", pattern: /\r\n|\r|\n/, line_breaks: true });
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /;[^\r\n]*/, group: "comments" });

/** The raw text of a MACRO/REPT/IRP/IRPC body, from the line after the header through the line
 *  before its matching ENDM (the scanner produces it; see scanner.ts). */
export const BlockBody = createToken({ name: "BlockBody", pattern: Lexer.NA, line_breaks: true });

export const StringLit = createToken({ name: "StringLit", pattern: /'(?:[^'\r\n]|'')*'|"(?:[^"\r\n]|"")*"/ });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /['"][^\r\n]*/ });
/** `<text>` literal, one level of nested brackets allowed (`<a, <b, c>>`). */
export const AngleText = createToken({ name: "AngleText", pattern: /<(?:[^<>\r\n]|<[^<>\r\n]*>)*>/ });
/** Numbers are validated (radix suffix, digits) when they are evaluated, so `12G` gets a clear message. */
export const NumberLit = createToken({ name: "NumberLit", pattern: /[0-9][0-9A-Za-z_]*/ });
/** `%OUT text`: the rest of the line is the message. */
export const PercentOut = createToken({ name: "PercentOut", pattern: /%out\b[^\r\n]*/i });
/** `.386p`, `.XLIST`, `.ERRNZ`, and a field selector such as `.Client_EAX`. */
export const DotName = createToken({ name: "DotName", pattern: /\.(?:[A-Za-z_@$?][\w@$?]*|[0-9][0-9A-Za-z]*)/ });
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_@$?][\w@$?]*/ });

export const DoubleColon = createToken({ name: "DoubleColon", pattern: /::/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /]/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
export const Minus = createToken({ name: "Minus", pattern: /-/ });
export const Star = createToken({ name: "Star", pattern: /\*/ });
export const Slash = createToken({ name: "Slash", pattern: /\// });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Ampersand = createToken({ name: "Ampersand", pattern: /&/ });
export const Bang = createToken({ name: "Bang", pattern: /!/ });
export const Percent = createToken({ name: "Percent", pattern: /%/ });
export const Backslash = createToken({ name: "Backslash", pattern: /\\/ });

// Keyword token types (never produced by the lexer directly; see retypeKeywords).
const kw = (name: string, categories: TokenType[] = []): TokenType =>
  createToken({ name, pattern: Lexer.NA, categories });

export const DataKeyword = kw("DataKeyword");
export const TypeOperator = kw("TypeOperator");
export const MulOperator = kw("MulOperator");
export const RelOperator = kw("RelOperator");

export const KwEqu = kw("KwEqu");
export const KwTextequ = kw("KwTextequ");
export const KwProc = kw("KwProc");
export const KwEndp = kw("KwEndp");
export const KwStruc = kw("KwStruc");
export const KwEnds = kw("KwEnds");
export const KwMacro = kw("KwMacro");
export const KwLabel = kw("KwLabel");
export const KwSegment = kw("KwSegment");
export const KwPtr = kw("KwPtr");
export const KwDup = kw("KwDup");
export const KwAnd = kw("KwAnd");
export const KwOr = kw("KwOr");
export const KwXor = kw("KwXor");
export const KwNot = kw("KwNot");
export const KwShort = kw("KwShort", [TypeOperator]);

const DATA_WORDS = ["DB", "DW", "DD", "DF", "DQ", "DT", "BYTE", "WORD", "DWORD", "FWORD", "QWORD", "TBYTE", "SBYTE", "SWORD", "SDWORD"];
const TYPE_OPERATOR_WORDS = ["OFFSET", "OFFSET32", "SEG", "TYPE", "SIZE", "SIZEOF", "LENGTH", "LENGTHOF", "HIGH", "LOW", "HIGHWORD", "LOWWORD", "THIS", "MASK", "WIDTH"];
const MUL_WORDS = ["MOD", "SHL", "SHR"];
const REL_WORDS = ["EQ", "NE", "LT", "LE", "GT", "GE"];

const dataTokens = new Map(DATA_WORDS.map((w) => [w, kw(`Kw${w}`, [DataKeyword])]));
const typeOpTokens = new Map(TYPE_OPERATOR_WORDS.map((w) => [w, kw(`Kw${w}`, [TypeOperator])]));
const mulTokens = new Map(MUL_WORDS.map((w) => [w, kw(`Kw${w}`, [MulOperator])]));
const relTokens = new Map(REL_WORDS.map((w) => [w, kw(`Kw${w}`, [RelOperator])]));

/** Upper-case word → keyword token type, for words in any position but a statement's first word. */
export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ["EQU", KwEqu],
  ["TEXTEQU", KwTextequ],
  ["PROC", KwProc],
  ["ENDP", KwEndp],
  ["STRUC", KwStruc],
  ["STRUCT", KwStruc],
  ["ENDS", KwEnds],
  ["MACRO", KwMacro],
  ["LABEL", KwLabel],
  ["SEGMENT", KwSegment],
  ["PTR", KwPtr],
  ["DUP", KwDup],
  ["AND", KwAnd],
  ["OR", KwOr],
  ["XOR", KwXor],
  ["NOT", KwNot],
  ["SHORT", KwShort],
  ...dataTokens,
  ...typeOpTokens,
  ...mulTokens,
  ...relTokens,
]);

export const lexedTokens: TokenType[] = [
  BlockBody,
  NewLine,
  WhiteSpace,
  Comment,
  StringLit,
  UnterminatedString,
  AngleText,
  NumberLit,
  PercentOut,
  DotName,
  Identifier,
  DoubleColon,
  Colon,
  Comma,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Plus,
  Minus,
  Star,
  Slash,
  Equals,
  Ampersand,
  Bang,
  Percent,
  Backslash,
];

export const keywordTokens: TokenType[] = [
  DataKeyword,
  TypeOperator,
  MulOperator,
  RelOperator,
  ...new Set(KEYWORDS.values()),
];

/** Every token type the parser knows. */
export const allTokens: TokenType[] = [...lexedTokens, ...keywordTokens];
