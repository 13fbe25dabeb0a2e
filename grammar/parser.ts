// The statement grammar: one source line at a time.
//
//   line          := label? statement?
//   label         := Identifier (":" | "::")
//   statement     := namedDirective | strucInstance | command
//   namedDirective:= Identifier ("=" expr | dataKw dataList | PROC list? | ENDP | STRUC | ENDS | LABEL expr | SEGMENT list?)
//   strucInstance := Identifier Identifier dataList          (a variable of a STRUC type: `x Foo <>`)
//   command       := (Identifier | DotName) operandList?     (instruction, directive or macro)
//   operandList   := operand? ("," operand?)*
//   operand       := expression (DUP "(" operandList ")")?
//
// Expressions follow MASM's precedence, loosest first: OR XOR · AND · NOT · EQ NE LT LE GT GE ·
// + - · * / MOD SHL SHR · unary + - and OFFSET SIZE TYPE SHORT … · PTR · postfix [ ] .field :seg.
// Lines whose text is not made of tokens (EQU, MACRO headers, INCLUDE, %OUT) are taken apart by the
// front end from the raw line; they never reach this parser.
import { CstParser, type CstNode, type IToken } from "chevrotain";
import * as T from "./tokens.js";

export class LineParser extends CstParser {
  constructor(validate = false) {
    // LL(1) with gates where a decision needs more (label, named directive); grammar checks run
    // in the tests (test/front/grammar.test.ts), not at every start.
    super(T.allTokens, { maxLookahead: 1, recoveryEnabled: false, skipValidations: !validate, nodeLocationTracking: "onlyOffset" });
    this.performSelfAnalysis();
  }

  public line = this.RULE("line", () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Colon || this.LA(2).tokenType === T.DoubleColon,
      DEF: () => this.SUBRULE(this.label),
    });
    this.OPTION2(() => this.SUBRULE(this.statement));
  });

  public label = this.RULE("label", () => {
    this.CONSUME(T.Identifier);
    this.OR([{ ALT: () => this.CONSUME(T.Colon) }, { ALT: () => this.CONSUME(T.DoubleColon) }]);
  });

  public statement = this.RULE("statement", () => {
    this.OR([
      {
        GATE: () => isNamedDirectiveWord(this.LA(2)) && this.LA(3).tokenType !== T.KwPtr,
        ALT: () => this.SUBRULE(this.namedDirective),
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => this.LA(2).tokenType === T.Identifier && this.LA(3).tokenType === T.AngleText,
        ALT: () => this.SUBRULE(this.strucInstance),
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.SUBRULE(this.command), IGNORE_AMBIGUITIES: true },
    ]);
  });

  public namedDirective = this.RULE("namedDirective", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.DataKeyword);
          this.SUBRULE(this.operandList);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.KwProc);
          this.OPTION(() => this.SUBRULE2(this.operandList));
        },
      },
      { ALT: () => this.CONSUME(T.KwEndp) },
      {
        ALT: () => {
          this.CONSUME(T.KwStruc);
          this.OPTION2(() => this.SUBRULE3(this.operandList));
        },
      },
      { ALT: () => this.CONSUME(T.KwEnds) },
      {
        ALT: () => {
          this.CONSUME(T.KwLabel);
          this.SUBRULE2(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.KwSegment);
          this.OPTION3(() => this.SUBRULE4(this.operandList));
        },
      },
    ]);
  });

  public strucInstance = this.RULE("strucInstance", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME2(T.Identifier, { LABEL: "type" });
    this.SUBRULE(this.operandList);
  });

  public command = this.RULE("command", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier, { LABEL: "head" }) }, { ALT: () => this.CONSUME(T.DotName, { LABEL: "head" }) }]);
    this.OPTION(() => this.SUBRULE(this.operandList));
  });

  public operandList = this.RULE("operandList", () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.operand);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.OPTION(() => this.SUBRULE2(this.operand));
          });
        },
      },
      {
        ALT: () => {
          this.AT_LEAST_ONE(() => {
            this.CONSUME2(T.Comma);
            this.OPTION2(() => this.SUBRULE3(this.operand));
          });
        },
      },
    ]);
  });

  public operand = this.RULE("operand", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.KwDup);
      this.CONSUME(T.LParen);
      this.SUBRULE(this.operandList);
      this.CONSUME(T.RParen);
    });
  });

  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.KwOr, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(T.KwXor, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.andExpr, { LABEL: "operands" });
    });
  });

  public andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(T.KwAnd, { LABEL: "ops" });
      this.SUBRULE2(this.notExpr, { LABEL: "operands" });
    });
  });

  public notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.KwNot);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.relExpr) },
    ]);
  });

  public relExpr = this.RULE("relExpr", () => {
    this.SUBRULE(this.addExpr, { LABEL: "operands" });
    this.OPTION(() => {
      this.CONSUME(T.RelOperator, { LABEL: "ops" });
      this.SUBRULE2(this.addExpr, { LABEL: "operands" });
    });
  });

  public addExpr = this.RULE("addExpr", () => {
    this.SUBRULE(this.mulExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.mulExpr, { LABEL: "operands" });
    });
  });

  public mulExpr = this.RULE("mulExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.MulOperator, { LABEL: "ops" }) },
      ]);
      this.SUBRULE2(this.unaryExpr, { LABEL: "operands" });
    });
  });

  public unaryExpr = this.RULE("unaryExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Plus, { LABEL: "prefix" }) },
            { ALT: () => this.CONSUME(T.Minus, { LABEL: "prefix" }) },
            { ALT: () => this.CONSUME(T.TypeOperator, { LABEL: "prefix" }) },
          ]);
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.ptrExpr) },
    ]);
  });

  public ptrExpr = this.RULE("ptrExpr", () => {
    this.SUBRULE(this.postfixExpr);
    this.OPTION(() => {
      this.CONSUME(T.KwPtr);
      this.SUBRULE(this.unaryExpr);
    });
  });

  public postfixExpr = this.RULE("postfixExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
        { ALT: () => this.CONSUME(T.DotName) },
        {
          ALT: () => {
            this.CONSUME(T.Colon);
            this.SUBRULE2(this.primary, { LABEL: "segTarget" });
          },
        },
      ]);
    });
  });

  public primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.DataKeyword) },
      { ALT: () => this.CONSUME(T.AngleText) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression, { LABEL: "paren" });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE2(this.expression, { LABEL: "bracket" });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });
}

const NAMED_DIRECTIVE_TYPES = new Set([
  T.Equals.tokenTypeIdx,
  T.KwProc.tokenTypeIdx,
  T.KwEndp.tokenTypeIdx,
  T.KwStruc.tokenTypeIdx,
  T.KwEnds.tokenTypeIdx,
  T.KwLabel.tokenTypeIdx,
  T.KwSegment.tokenTypeIdx,
]);

function isNamedDirectiveWord(t: IToken): boolean {
  if (NAMED_DIRECTIVE_TYPES.has(t.tokenType.tokenTypeIdx)) return true;
  return (t.tokenType.CATEGORIES ?? []).includes(T.DataKeyword);
}

/** Bound on nestingDepth: some 10 % of what the parsers' recursion takes before JavaScript's stack
 *  runs out (about 250 levels of parentheses), leaving room for nested macros and includes. */
export const MAX_NESTING = 640;

const OPENERS = new Set([T.LParen.tokenTypeIdx, T.LBracket.tokenTypeIdx]);
const CLOSERS = new Set([T.RParen.tokenTypeIdx, T.RBracket.tokenTypeIdx]);
const PREFIXES = new Set([T.Plus.tokenTypeIdx, T.Minus.tokenTypeIdx, T.KwNot.tokenTypeIdx, T.KwPtr.tokenTypeIdx]);
const OPERANDS = new Set([T.NumberLit.tokenTypeIdx, T.StringLit.tokenTypeIdx, T.Identifier.tokenTypeIdx, T.AngleText.tokenTypeIdx, T.DotName.tokenTypeIdx]);

/** Would the line make the parsers recurse deeper than MAX_NESTING? Such a line is not given to a
 *  parser (JavaScript's stack overflowing inside Chevrotain leaves it in a bad state). */
export function nestsTooDeep(tokens: readonly IToken[]): boolean {
  // Each token adds at most 10: a short line (nearly every line) cannot come near the bound.
  return tokens.length * 10 > MAX_NESTING && nestingDepth(tokens) > MAX_NESTING;
}

/** How deep a line makes the parsers recurse, roughly: 10 for each open parenthesis or bracket, 1
 *  for each prefix operator still waiting for its operand. */
function nestingDepth(tokens: readonly IToken[]): number {
  const pending: number[] = [0];
  let sum = 0;
  let max = 0;
  for (const t of tokens) {
    const k = t.tokenType.tokenTypeIdx!;
    const cats = t.tokenType.CATEGORIES ?? [];
    if (OPENERS.has(k)) {
      pending.push(0);
      sum += 10;
    } else if (CLOSERS.has(k)) {
      if (pending.length > 1) sum -= 10 + pending.pop()!;
      sum -= pending[pending.length - 1]!;
      pending[pending.length - 1] = 0;
    } else if (PREFIXES.has(k) || cats.includes(T.TypeOperator)) {
      pending[pending.length - 1]!++;
      sum++;
    } else if (OPERANDS.has(k) || cats.includes(T.DataKeyword)) {
      sum -= pending[pending.length - 1]!;
      pending[pending.length - 1] = 0;
    }
    if (sum > max) max = sum;
  }
  return max;
}

let shared: LineParser | undefined;

/** The one parser instance (building one runs Chevrotain's grammar analysis, so it is reused). */
export function lineParser(): LineParser {
  shared ??= new LineParser();
  return shared;
}

/** Drops the shared instance: after JavaScript's stack overflowed inside a parse, Chevrotain's
 *  rule stack may be left half unwound, and the next parse must start from a fresh parser. */
export function discardLineParser(): void {
  shared = undefined;
}

export type { CstNode };
