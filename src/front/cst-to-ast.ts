// CST → AST for one line. Knows the shape of the parser's rules, nothing about meaning.
import type { CstNode, IToken } from "chevrotain";
import type { SourceSpan } from "../ir/types.js";
import type { Expr, Label, ParsedLine, Statement } from "./ast.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parseMasmNumber } from "./numbers.js";

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

  tokenSpan(t: IToken): SourceSpan {
    return {
      file: this.file,
      line: t.startLine ?? 1,
      column: t.startColumn ?? 1,
      endLine: t.endLine ?? t.startLine ?? 1,
      endColumn: (t.endColumn ?? t.startColumn ?? 1) + 1,
    };
  }

  join(a: SourceSpan, b: SourceSpan): SourceSpan {
    return { file: a.file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
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
      span: this.join(nameSpan, this.lastSpan(operands) ?? this.tokenSpan(directiveTok)),
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
      span: this.join(nameSpan, this.lastSpan(operands) ?? typeSpan),
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
      span: this.join(headSpan, this.lastSpan(operands) ?? headSpan),
    };
  }

  private lastSpan(operands: readonly (Expr | null)[]): SourceSpan | undefined {
    for (let i = operands.length - 1; i >= 0; i--) {
      const o = operands[i];
      if (o) return o.span;
    }
    return undefined;
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
    return { k: "dup", count: e, items: this.operandList(list), span: this.join(e.span, this.tokenSpan(rparen)) };
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
      acc = { k: "binary", op: ops[i]!.image.toUpperCase(), left: acc, right, span: this.join(acc.span, right.span) };
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
      return { k: "unary", op: "NOT", arg, span: this.join(this.tokenSpan(not), arg.span) };
    }
    return this.chain(node(c, "relExpr")!, (x) => this.chain(x, (y) => this.chain(y, (z) => this.unaryExpr(z))));
  }

  private unaryExpr(n: CstNode): Expr {
    const c = kids(n);
    const prefix = tok(c, "prefix");
    if (prefix) {
      const arg = this.unaryExpr(node(c, "unaryExpr")!);
      return { k: "unary", op: prefix.image.toUpperCase(), arg, span: this.join(this.tokenSpan(prefix), arg.span) };
    }
    return this.ptrExpr(node(c, "ptrExpr")!);
  }

  private ptrExpr(n: CstNode): Expr {
    const c = kids(n);
    const base = this.postfixExpr(node(c, "postfixExpr")!);
    const target = node(c, "unaryExpr");
    if (!target) return base;
    const arg = this.unaryExpr(target);
    return { k: "ptr", type: base, arg, span: this.join(base.span, arg.span) };
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
        make: (left) => ({ k: "index", left, inner: this.expression(inner), span: this.join(left.span, this.tokenSpan(rb)) }),
      });
    });
    for (const d of (c["DotName"] ?? []) as IToken[]) {
      parts.push({
        offset: d.startOffset,
        make: (left) => ({ k: "field", left, field: d.image.slice(1), span: this.join(left.span, this.tokenSpan(d)) }),
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
          return { k: "seg", seg: left, arg, span: this.join(left.span, arg.span) };
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
      const span = this.tokenSpan(num);
      const value = parseMasmNumber(num.image);
      if (value !== null) return { k: "num", value, span };
      this.errors.push(diag("bad-number", span, `\`${num.image}\` is not a number`));
      return { k: "bad", span };
    }
    const str = tok(c, "StringLit");
    if (str) return { k: "str", value: unquote(str.image), span: this.tokenSpan(str) };
    const id = tok(c, "Identifier") ?? tok(c, "DataKeyword");
    if (id) return { k: "name", name: id.image, span: this.tokenSpan(id) };
    const text = tok(c, "AngleText");
    if (text) return { k: "text", value: text.image.slice(1, -1), span: this.tokenSpan(text) };
    const paren = node(c, "paren");
    if (paren) return this.expression(paren);
    const lb = tok(c, "LBracket")!;
    const rb = tok(c, "RBracket")!;
    return { k: "index", left: null, inner: this.expression(node(c, "bracket")!), span: this.join(this.tokenSpan(lb), this.tokenSpan(rb)) };
  }
}

export function unquote(image: string): string {
  const q = image[0]!;
  return image.slice(1, -1).split(q + q).join(q);
}
