// A hand-written recursive-descent parser for one line, building the AST directly: the same
// grammar as grammar/parser.ts (the reference, which the railroad diagrams are drawn from) and the
// same AST as cst-to-ast.ts builds from its CST — a test checks both agree on every line it is
// given. It is several times faster, allocates no CST, and is what the assembler runs first; on any
// line it cannot take (a syntax error, a malformed number) it returns null and the assembler
// asks the Chevrotain parser, whose error reporting it keeps.
import type { IToken, TokenType } from "chevrotain";
import * as T from "../../grammar/tokens.js";
import type { SourceSpan } from "../ir/types.js";
import { statementSpan, type Label, type ParsedLine, type Statement } from "./ast.js";
import { BinaryExpr, DupExpr, FieldExpr, IndexExpr, NameExpr, NumExpr, PtrExpr, SegExpr, StrExpr, TextExpr, UnaryExpr, type Expr } from "./expr.js";
import { parseMasmNumber } from "./numbers.js";
import { sharedRegisterSpelling } from "./registers.js";
import { unquote } from "./cst-to-ast.js";
import { endColumn, endLine, startColumn, startLine, tokenSpan } from "./token-place.js";

/** Token types as a table by tokenTypeIdx (1 = in the set): read for every token of every operand,
 *  where a Set's lookup was a call each time. */
function idxSet(types: readonly TokenType[]): Uint8Array {
  const table = new Uint8Array(Math.max(...types.map((t) => t.tokenTypeIdx!)) + 1);
  for (const t of types) table[t.tokenTypeIdx!] = 1;
  return table;
}

function isIn(table: Uint8Array, k: number): boolean {
  return k >= 0 && table[k] === 1;
}

const inCategory = (category: TokenType): Uint8Array =>
  idxSet([...new Set(T.KEYWORDS.values())].filter((t) => (t.CATEGORIES ?? []).includes(category)).concat(category));

const DATA_KW = inCategory(T.DataKeyword);
const TYPE_OP = inCategory(T.TypeOperator);
const MUL_OP = inCategory(T.MulOperator);
const REL_OP = inCategory(T.RelOperator);
const NAMED_DIRECTIVE = idxSet([T.Equals, T.KwProc, T.KwEndp, T.KwStruc, T.KwEnds, T.KwLabel, T.KwSegment]);

const IDENT = T.Identifier.tokenTypeIdx!;
const DOTNAME = T.DotName.tokenTypeIdx!;
const COLON = T.Colon.tokenTypeIdx!;
const DCOLON = T.DoubleColon.tokenTypeIdx!;
const COMMA = T.Comma.tokenTypeIdx!;
const LBRACKET = T.LBracket.tokenTypeIdx!;
const RBRACKET = T.RBracket.tokenTypeIdx!;
const LPAREN = T.LParen.tokenTypeIdx!;
const RPAREN = T.RParen.tokenTypeIdx!;
const PLUS = T.Plus.tokenTypeIdx!;
const MINUS = T.Minus.tokenTypeIdx!;
const STAR = T.Star.tokenTypeIdx!;
const SLASH = T.Slash.tokenTypeIdx!;
const EQUALS = T.Equals.tokenTypeIdx!;
const NUMBER = T.NumberLit.tokenTypeIdx!;
const STRING = T.StringLit.tokenTypeIdx!;
const ANGLE = T.AngleText.tokenTypeIdx!;
const KW_OR = T.KwOr.tokenTypeIdx!;
const KW_XOR = T.KwXor.tokenTypeIdx!;
const KW_AND = T.KwAnd.tokenTypeIdx!;
const KW_NOT = T.KwNot.tokenTypeIdx!;
const KW_PTR = T.KwPtr.tokenTypeIdx!;
const KW_DUP = T.KwDup.tokenTypeIdx!;
const KW_LABEL = T.KwLabel.tokenTypeIdx!;
const KW_PROC = T.KwProc.tokenTypeIdx!;
const KW_STRUC = T.KwStruc.tokenTypeIdx!;
const KW_SEGMENT = T.KwSegment.tokenTypeIdx!;

/** The operands of every statement without any: such statements (ret, clc, `Name PROC` …) live as
 *  long as the program, and so would an empty array each. */
const NO_OPERANDS: readonly (Expr | null)[] = [];

/** Operator and directive words (OFFSET32, SHORT, dd …) in upper case, remembered by spelling. */
const uppers = new Map<string, string>();

function upperWord(image: string): string {
  let upper = uppers.get(image);
  if (upper === undefined) {
    upper = image.toUpperCase();
    if (uppers.size < 1024) uppers.set(image, upper);
  }
  return upper;
}

/** Thrown (and caught below) where the line does not parse: the Chevrotain parser then reports it. */
const FAIL = new Error("no fast parse");

function startsExpression(k: number): boolean {
  return k === NUMBER || k === STRING || k === IDENT || k === ANGLE || k === LPAREN || k === LBRACKET || k === KW_NOT || k === PLUS || k === MINUS || isIn(TYPE_OP, k) || isIn(DATA_KW, k);
}

class Parser {
  // Declared and assigned in the constructor: class fields are defined one by one before it runs.
  declare private readonly toks: readonly IToken[];
  declare private readonly file: string;
  declare private pos: number;

  constructor(toks: readonly IToken[], file: string, pos = 0) {
    this.toks = toks;
    this.file = file;
    this.pos = pos;
  }

  atEnd(): boolean {
    return this.pos === this.toks.length;
  }

  // Reads stay inside the array: an out-of-bounds read is a slow path, and the end of a line is read often.
  private kind(offset = 0): number {
    const i = this.pos + offset;
    return i < this.toks.length ? this.toks[i]!.tokenTypeIdx : -1;
  }

  private next(): IToken {
    if (this.pos >= this.toks.length) throw FAIL;
    return this.toks[this.pos++]!;
  }

  private expect(k: number): IToken {
    if (this.kind() !== k) throw FAIL;
    return this.toks[this.pos++]!;
  }

  private span(t: IToken): SourceSpan {
    return tokenSpan(t, this.file);
  }

  private binary(op: IToken, left: Expr, right: Expr): Expr {
    return new BinaryExpr(upperWord(op.image), left, right, left.file, left.line, left.column, right.endColumn);
  }

  line(): ParsedLine {
    let label: Label | null = null;
    const k2 = this.kind(1);
    if (k2 === COLON || k2 === DCOLON) {
      const id = this.expect(IDENT);
      this.pos++;
      label = { name: id.image, global: k2 === DCOLON, span: this.span(id) };
    }
    let statement: Statement | null = null;
    if (this.pos < this.toks.length) statement = this.statement();
    if (this.pos !== this.toks.length) throw FAIL;
    return { label, statement };
  }

  private statement(): Statement {
    const k1 = this.kind();
    const k2 = this.kind(1);
    if (k1 === IDENT && (isIn(NAMED_DIRECTIVE, k2) || isIn(DATA_KW, k2)) && this.kind(2) !== KW_PTR) return this.named();
    if (k1 === IDENT && k2 === IDENT && this.kind(2) === ANGLE) return this.strucInstance();
    if (k1 !== IDENT && k1 !== DOTNAME) throw FAIL;
    const head = this.next();
    const headSpan = this.span(head);
    const k = this.kind();
    const operands = k === COMMA || startsExpression(k) ? this.operandList() : NO_OPERANDS;
    return { kind: "command", head: head.image, headSpan, operands, span: statementSpan(headSpan, operands, headSpan.endLine, headSpan.endColumn) };
  }

  private named(): Statement {
    const name = this.next();
    const dir = this.next();
    const k = dir.tokenTypeIdx;
    let operands: readonly (Expr | null)[] = NO_OPERANDS;
    if (k === EQUALS || k === KW_LABEL) operands = [this.expression()];
    else if (isIn(DATA_KW, k)) operands = this.operandList();
    else if (k === KW_PROC || k === KW_STRUC || k === KW_SEGMENT) {
      const n = this.kind();
      if (n === COMMA || startsExpression(n)) operands = this.operandList();
    }
    const nameSpan = this.span(name);
    return { kind: "named", name: name.image, nameSpan, directive: upperWord(dir.image), operands, span: statementSpan(nameSpan, operands, endLine(dir), endColumn(dir)) };
  }

  private strucInstance(): Statement {
    const name = this.next();
    const type = this.next();
    const operands = this.operandList();
    const nameSpan = this.span(name);
    const typeSpan = this.span(type);
    return { kind: "strucInstance", name: name.image, nameSpan, type: type.image, typeSpan, operands, span: statementSpan(nameSpan, operands, typeSpan.endLine, typeSpan.endColumn) };
  }

  /** Operands in order; an empty position between commas is null. */
  private operandList(): (Expr | null)[] {
    // Arrays of exactly their length: the lists live as long as the program, and one grown by push
    // keeps room for 17 elements.
    const first = this.kind() === COMMA ? null : this.operand();
    if (this.kind() !== COMMA) return [first];
    const second = this.nextOperand();
    if (this.kind() !== COMMA) return [first, second];
    const out: (Expr | null)[] = [first, second];
    while (this.kind() === COMMA) out.push(this.nextOperand());
    return out.slice();
  }

  /** The operand after a comma (null when the position is empty). */
  private nextOperand(): Expr | null {
    this.pos++;
    return startsExpression(this.kind()) ? this.operand() : null;
  }

  private operand(): Expr {
    const e = this.expression();
    if (this.kind() !== KW_DUP) return e;
    this.pos++;
    this.expect(LPAREN);
    const k = this.kind();
    if (k !== COMMA && !startsExpression(k)) throw FAIL;
    const items = this.operandList();
    const rparen = this.expect(RPAREN);
    return new DupExpr(e, items, e.file, e.line, e.column, endColumn(rparen));
  }

  expression(): Expr {
    // Most operands are one token (a register, a name, a number) before a comma, a closing bracket
    // or the end of the line: no operator can follow, so the levels below would only pass it up.
    const after = this.kind(1);
    if (after === COMMA || after === -1 || after === RBRACKET || after === RPAREN) return this.primary();
    let acc = this.andExpr();
    for (let k = this.kind(); k === KW_OR || k === KW_XOR; k = this.kind()) {
      const op = this.next();
      const right = this.andExpr();
      acc = this.binary(op, acc, right);
    }
    return acc;
  }

  private andExpr(): Expr {
    let acc = this.notExpr();
    while (this.kind() === KW_AND) {
      const op = this.next();
      const right = this.notExpr();
      acc = this.binary(op, acc, right);
    }
    return acc;
  }

  private notExpr(): Expr {
    if (this.kind() === KW_NOT) {
      const not = this.next();
      const arg = this.notExpr();
      return new UnaryExpr("NOT", arg, this.file, startLine(not), startColumn(not), arg.endColumn);
    }
    let acc = this.addExpr();
    if (isIn(REL_OP, this.kind())) {
      const op = this.next();
      const right = this.addExpr();
      acc = this.binary(op, acc, right);
    }
    return acc;
  }

  private addExpr(): Expr {
    let acc = this.mulExpr();
    for (let k = this.kind(); k === PLUS || k === MINUS; k = this.kind()) {
      const op = this.next();
      const right = this.mulExpr();
      acc = this.binary(op, acc, right);
    }
    return acc;
  }

  private mulExpr(): Expr {
    let acc = this.unaryExpr();
    for (let k = this.kind(); k === STAR || k === SLASH || isIn(MUL_OP, k); k = this.kind()) {
      const op = this.next();
      const right = this.unaryExpr();
      acc = this.binary(op, acc, right);
    }
    return acc;
  }

  private unaryExpr(): Expr {
    const k = this.kind();
    if (k === PLUS || k === MINUS || isIn(TYPE_OP, k)) {
      const prefix = this.next();
      const arg = this.unaryExpr();
      return new UnaryExpr(upperWord(prefix.image), arg, this.file, startLine(prefix), startColumn(prefix), arg.endColumn);
    }
    const base = this.postfixExpr();
    if (this.kind() !== KW_PTR) return base;
    this.pos++;
    const arg = this.unaryExpr();
    return new PtrExpr(base, arg, base.file, base.line, base.column, arg.endColumn);
  }

  private postfixExpr(): Expr {
    let acc = this.primary();
    for (;;) {
      const k = this.kind();
      if (k === LBRACKET) {
        this.pos++;
        const inner = this.expression();
        const rb = this.expect(RBRACKET);
        acc = new IndexExpr(acc, inner, acc.file, acc.line, acc.column, endColumn(rb));
      } else if (k === DOTNAME) {
        const d = this.next();
        acc = new FieldExpr(acc, d.image.slice(1), acc.file, acc.line, acc.column, endColumn(d));
      } else if (k === COLON) {
        this.pos++;
        const arg = this.primary();
        acc = new SegExpr(acc, arg, acc.file, acc.line, acc.column, arg.endColumn);
      } else return acc;
    }
  }

  private primary(): Expr {
    const t = this.next();
    const k = t.tokenTypeIdx;
    if (k === NUMBER) {
      const value = parseMasmNumber(t.image);
      if (value === null) throw FAIL;
      return new NumExpr(value, this.file, startLine(t), startColumn(t), endColumn(t));
    }
    if (k === STRING) return new StrExpr(unquote(t.image), this.file, startLine(t), startColumn(t), endColumn(t));
    if (k === IDENT || isIn(DATA_KW, k)) return new NameExpr(sharedRegisterSpelling(t.image), this.file, startLine(t), startColumn(t), endColumn(t));
    if (k === ANGLE) return new TextExpr(t.image.slice(1, -1), this.file, startLine(t), startColumn(t), endColumn(t));
    if (k === LPAREN) {
      const e = this.expression();
      this.expect(RPAREN);
      return e;
    }
    if (k === LBRACKET) {
      const inner = this.expression();
      const rb = this.expect(RBRACKET);
      return new IndexExpr(null, inner, this.file, startLine(t), startColumn(t), endColumn(rb));
    }
    throw FAIL;
  }
}

/** The expression that tokens[from…] make up exactly (an EQU's value), or null if they do not make one. */
export function parseExpressionTokens(tokens: readonly IToken[], from: number, file: string): Expr | null {
  if (from >= tokens.length) return null;
  try {
    const parser = new Parser(tokens, file, from);
    const e = parser.expression();
    return parser.atEnd() ? e : null;
  } catch (e) {
    if (e === FAIL) return null;
    throw e;
  }
}

/** The AST of one line of tokens, or null if the line does not parse (or has a malformed number). */
export function parseLine(tokens: readonly IToken[], file: string): ParsedLine | null {
  try {
    return new Parser(tokens, file).line();
  } catch (e) {
    if (e === FAIL) return null;
    throw e;
  }
}
