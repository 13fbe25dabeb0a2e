// CST → AST for one line. Knows the shape of the parser's rules, nothing about meaning.
import type { CstNode, IToken } from "chevrotain";
import type { SourceSpan } from "../ir/types.js";
import { statementSpan, type Label, type ParsedLine, type Statement } from "./ast.js";
import { BadExpr, BinaryExpr, DupExpr, FieldExpr, IndexExpr, NameExpr, NumExpr, PtrExpr, SegExpr, StrExpr, TextExpr, UnaryExpr, type Expr } from "./expr.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parseMasmNumber } from "./numbers.js";
import { endColumn, endLine, startColumn, startLine, tokenSpan } from "./token-place.js";

type Children = Record<string, (CstNode | IToken)[] | undefined>;

function kids(node: CstNode): Children {
  return node.children as Children;
}
function tok(c: Children, key: string, i = 0): IToken | undefined {
  return c[key]?.[i] as IToken | undefined;
}
function node(c: Children, key: string, i = 0): CstNode | undefined {
  return c[key]?.[i] as CstNode | undefined;
}
function nodes(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}

export class AstBuilder {
  readonly errors: Diagnostic[] = [];
  constructor(private readonly file: string) {}

  private tokenSpan(t: IToken): SourceSpan {
    return tokenSpan(t, this.file);
  }

  line(cst: CstNode): ParsedLine {
    const c = kids(cst);
    const labelNode = node(c, "label");
    const stmtNode = node(c, "statement");
    return { label: labelNode ? this.label(labelNode) : null, statement: stmtNode ? this.statement(stmtNode) : null };
  }

  private label(n: CstNode): Label {
    const c = kids(n);
    const id = tok(c, "Identifier")!;
    return { name: id.image, global: tok(c, "DoubleColon") !== undefined, span: this.tokenSpan(id) };
  }

  private statement(n: CstNode): Statement {
    const c = kids(n);
    const named = node(c, "namedDirective");
    if (named) return this.named(named);
    const inst = node(c, "strucInstance");
    if (inst) return this.strucInstance(inst);
    return this.command(node(c, "command")!);
  }

  private named(n: CstNode): Statement {
    const c = kids(n);
    const name = tok(c, "name")!;
    const directiveTok =
      tok(c, "Equals") ??
      tok(c, "DataKeyword") ??
      tok(c, "KwProc") ??
      tok(c, "KwEndp") ??
      tok(c, "KwStruc") ??
      tok(c, "KwEnds") ??
      tok(c, "KwLabel") ??
      tok(c, "KwSegment")!;
    const exprNode = node(c, "expression");
    const listNode = node(c, "operandList");
    const operands = exprNode ? [this.expression(exprNode)] : listNode ? this.operandList(listNode) : [];
    const nameSpan = this.tokenSpan(name);
    return {
      kind: "named",
      name: name.image,
      nameSpan,
      directive: directiveTok.image.toUpperCase(),
      operands,
      span: statementSpan(nameSpan, operands, endLine(directiveTok), endColumn(directiveTok)),
    };
  }

  private strucInstance(n: CstNode): Statement {
    const c = kids(n);
    const name = tok(c, "name")!;
    const type = tok(c, "type")!;
    const operands = this.operandList(node(c, "operandList")!);
    const nameSpan = this.tokenSpan(name);
    const typeSpan = this.tokenSpan(type);
    return {
      kind: "strucInstance",
      name: name.image,
      nameSpan,
      type: type.image,
      typeSpan,
      operands,
      span: statementSpan(nameSpan, operands, typeSpan.endLine, typeSpan.endColumn),
    };
  }

  private command(n: CstNode): Statement {
    const c = kids(n);
    const head = tok(c, "head")!;
    const listNode = node(c, "operandList");
    const operands = listNode ? this.operandList(listNode) : [];
    const headSpan = this.tokenSpan(head);
    return {
      kind: "command",
      head: head.image,
      headSpan,
      operands,
      span: statementSpan(headSpan, operands, headSpan.endLine, headSpan.endColumn),
    };
  }

  /** Operands in order; an empty position between commas is null. */
  operandList(n: CstNode): (Expr | null)[] {
    const c = kids(n);
    const ops = nodes(c, "operand");
    const commas = ((c["Comma"] ?? []) as IToken[]).concat((c["Comma2"] ?? []) as IToken[]);
    if (commas.length === 0) return ops.map((o) => this.operand(o));
    // Place each operand in the gap between commas by offset.
    const bounds = commas.map((t) => t.startOffset).sort((a, b) => a - b);
    const result: (Expr | null)[] = new Array(bounds.length + 1).fill(null);
    // Operands come in source order, so the search goes on from the last one's gap (not from the
    // first gap each time, which made a line of n operands cost n² steps).
    let slot = 0;
    for (const o of ops) {
      const start = o.location?.startOffset ?? 0;
      while (slot < bounds.length && bounds[slot]! < start) slot++;
      result[slot] = this.operand(o);
    }
    return result;
  }

  private operand(n: CstNode): Expr {
    const c = kids(n);
    const e = this.expression(node(c, "expression")!);
    const list = node(c, "operandList");
    if (!list) return e;
    const rparen = tok(c, "RParen")!;
    return new DupExpr(e, this.operandList(list), e.file, e.line, e.column, endColumn(rparen));
  }

  expression(n: CstNode): Expr {
    return this.chain(n, (x) => this.andExpr(x));
  }

  private chain(n: CstNode, sub: (x: CstNode) => Expr): Expr {
    const c = kids(n);
    const operands = nodes(c, "operands");
    const ops = (c["ops"] ?? []) as IToken[];
    let acc = sub(operands[0]!);
    for (let i = 0; i < ops.length; i++) {
      const right = sub(operands[i + 1]!);
      acc = new BinaryExpr(ops[i]!.image.toUpperCase(), acc, right, acc.file, acc.line, acc.column, right.endColumn);
    }
    return acc;
  }

  private andExpr(n: CstNode): Expr {
    return this.chain(n, (x) => this.notExpr(x));
  }

  private notExpr(n: CstNode): Expr {
    const c = kids(n);
    const not = tok(c, "KwNot");
    if (not) {
      const arg = this.notExpr(node(c, "notExpr")!);
      return new UnaryExpr("NOT", arg, this.file, startLine(not), startColumn(not), arg.endColumn);
    }
    return this.chain(node(c, "relExpr")!, (x) => this.chain(x, (y) => this.chain(y, (z) => this.unaryExpr(z))));
  }

  private unaryExpr(n: CstNode): Expr {
    const c = kids(n);
    const prefix = tok(c, "prefix");
    if (prefix) {
      const arg = this.unaryExpr(node(c, "unaryExpr")!);
      return new UnaryExpr(prefix.image.toUpperCase(), arg, this.file, startLine(prefix), startColumn(prefix), arg.endColumn);
    }
    return this.ptrExpr(node(c, "ptrExpr")!);
  }

  private ptrExpr(n: CstNode): Expr {
    const c = kids(n);
    const base = this.postfixExpr(node(c, "postfixExpr")!);
    const target = node(c, "unaryExpr");
    if (!target) return base;
    const arg = this.unaryExpr(target);
    return new PtrExpr(base, arg, base.file, base.line, base.column, arg.endColumn);
  }

  private postfixExpr(n: CstNode): Expr {
    const c = kids(n);
    let acc = this.primary(node(c, "primary")!);
    // Postfix parts in source order.
    type Part = { offset: number; make: (left: Expr) => Expr };
    const parts: Part[] = [];
    const lbs = (c["LBracket"] ?? []) as IToken[];
    const rbs = (c["RBracket"] ?? []) as IToken[];
    const inners = nodes(c, "expression");
    lbs.forEach((lb, i) => {
      const rb = rbs[i]!;
      const inner = inners[i]!;
      parts.push({
        offset: lb.startOffset,
        make: (left) => new IndexExpr(left, this.expression(inner), left.file, left.line, left.column, endColumn(rb)),
      });
    });
    for (const d of (c["DotName"] ?? []) as IToken[]) {
      parts.push({
        offset: d.startOffset,
        make: (left) => new FieldExpr(left, d.image.slice(1), left.file, left.line, left.column, endColumn(d)),
      });
    }
    const colons = (c["Colon"] ?? []) as IToken[];
    const segTargets = nodes(c, "segTarget");
    colons.forEach((col, i) => {
      const target = segTargets[i]!;
      parts.push({
        offset: col.startOffset,
        make: (left) => {
          const arg = this.primary(target);
          return new SegExpr(left, arg, left.file, left.line, left.column, arg.endColumn);
        },
      });
    });
    parts.sort((a, b) => a.offset - b.offset);
    for (const p of parts) acc = p.make(acc);
    return acc;
  }

  private primary(n: CstNode): Expr {
    const c = kids(n);
    const num = tok(c, "NumberLit");
    if (num) {
      const value = parseMasmNumber(num.image);
      if (value !== null) return new NumExpr(value, this.file, startLine(num), startColumn(num), endColumn(num));
      this.errors.push(diag("bad-number", this.tokenSpan(num), `\`${num.image}\` is not a number`));
      return new BadExpr(this.file, startLine(num), startColumn(num), endColumn(num));
    }
    const str = tok(c, "StringLit");
    if (str) return new StrExpr(unquote(str.image), this.file, startLine(str), startColumn(str), endColumn(str));
    const id = tok(c, "Identifier") ?? tok(c, "DataKeyword");
    if (id) return new NameExpr(id.image, this.file, startLine(id), startColumn(id), endColumn(id));
    const text = tok(c, "AngleText");
    if (text) return new TextExpr(text.image.slice(1, -1), this.file, startLine(text), startColumn(text), endColumn(text));
    const paren = node(c, "paren");
    if (paren) return this.expression(paren);
    const lb = tok(c, "LBracket")!;
    const rb = tok(c, "RBracket")!;
    return new IndexExpr(null, this.expression(node(c, "bracket")!), this.file, startLine(lb), startColumn(lb), endColumn(rb));
  }
}

export function unquote(image: string): string {
  const q = image[0]!;
  return image.slice(1, -1).split(q + q).join(q);
}
