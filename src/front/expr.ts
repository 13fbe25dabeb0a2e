// Expression nodes: the operands of a statement and their parts.
import type { SourceSpan } from "../ir/types.js";

/** Where an expression lies. An expression is on one line, so its place is four small numbers on
 *  the node itself; `span` is made only when asked for (every operand of every statement is a
 *  node, and a span object each was much of what the collector had to move).
 *  Fields are declared and assigned in the constructors rather than initialised as class fields:
 *  V8 runs class field initialisers as a separate function, which cost more than the spans saved. */
abstract class Placed {
  declare readonly file: string;
  declare readonly line: number;
  declare readonly column: number;
  /** One past the last column. */
  declare readonly endColumn: number;

  constructor(file: string, line: number, column: number, endColumn: number) {
    this.file = file;
    this.line = line;
    this.column = column;
    this.endColumn = endColumn;
  }

  get span(): SourceSpan {
    return { file: this.file, line: this.line, column: this.column, endLine: this.line, endColumn: this.endColumn };
  }
}

export class NumExpr extends Placed {
  declare readonly k: "num";
  declare readonly value: number;

  constructor(value: number, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "num";
    this.value = value;
  }
}

export class StrExpr extends Placed {
  declare readonly k: "str";
  declare readonly value: string;

  constructor(value: string, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "str";
    this.value = value;
  }
}

export class NameExpr extends Placed {
  declare readonly k: "name";
  declare readonly name: string;

  constructor(name: string, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "name";
    this.name = name;
  }
}

/** `<text>` */
export class TextExpr extends Placed {
  declare readonly k: "text";
  declare readonly value: string;

  constructor(value: string, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "text";
    this.value = value;
  }
}

export class UnaryExpr extends Placed {
  declare readonly k: "unary";
  declare readonly op: string;
  declare readonly arg: Expr;

  constructor(op: string, arg: Expr, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "unary";
    this.op = op;
    this.arg = arg;
  }
}

export class BinaryExpr extends Placed {
  declare readonly k: "binary";
  declare readonly op: string;
  declare readonly left: Expr;
  declare readonly right: Expr;

  constructor(op: string, left: Expr, right: Expr, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "binary";
    this.op = op;
    this.left = left;
    this.right = right;
  }
}

/** `left[inner]` (left is null for a bare `[inner]`): memory reference, address = left + inner. */
export class IndexExpr extends Placed {
  declare readonly k: "index";
  declare readonly left: Expr | null;
  declare readonly inner: Expr;

  constructor(left: Expr | null, inner: Expr, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "index";
    this.left = left;
    this.inner = inner;
  }
}

/** `left.Field` */
export class FieldExpr extends Placed {
  declare readonly k: "field";
  declare readonly left: Expr;
  declare readonly field: string;

  constructor(left: Expr, field: string, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "field";
    this.left = left;
    this.field = field;
  }
}

/** `type PTR arg` */
export class PtrExpr extends Placed {
  declare readonly k: "ptr";
  declare readonly type: Expr;
  declare readonly arg: Expr;

  constructor(type: Expr, arg: Expr, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "ptr";
    this.type = type;
    this.arg = arg;
  }
}

/** `seg:arg` */
export class SegExpr extends Placed {
  declare readonly k: "seg";
  declare readonly seg: Expr;
  declare readonly arg: Expr;

  constructor(seg: Expr, arg: Expr, file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "seg";
    this.seg = seg;
    this.arg = arg;
  }
}

/** `count DUP (items)`; items may hold null for empty positions. */
export class DupExpr extends Placed {
  declare readonly k: "dup";
  declare readonly count: Expr;
  declare readonly items: readonly (Expr | null)[];

  constructor(count: Expr, items: readonly (Expr | null)[], file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "dup";
    this.count = count;
    this.items = items;
  }
}

/** A malformed number (the fallback parser's; the fast one refuses the line). */
export class BadExpr extends Placed {
  declare readonly k: "bad";

  constructor(file: string, line: number, column: number, endColumn: number) {
    super(file, line, column, endColumn);
    this.k = "bad";
  }
}

export type Expr = NumExpr | StrExpr | NameExpr | TextExpr | UnaryExpr | BinaryExpr | IndexExpr | FieldExpr | PtrExpr | SegExpr | DupExpr | BadExpr;
