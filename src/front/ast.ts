// The syntax tree of one statement, built by parse-line.ts (or from the parser's CST by cst-to-ast.ts).
import type { SourceSpan } from "../ir/types.js";
import type { Expr } from "./expr.js";

export type { Expr };

export interface Label {
  readonly name: string;
  readonly global: boolean;
  readonly span: SourceSpan;
}

export type Statement =
  | {
      readonly kind: "command";
      readonly head: string;
      readonly headSpan: SourceSpan;
      readonly operands: readonly (Expr | null)[];
      readonly span: SourceSpan;
    }
  | {
      readonly kind: "named";
      readonly name: string;
      readonly nameSpan: SourceSpan;
      /** Upper case: "=", "DB" … "DWORD", "PROC", "ENDP", "STRUC", "ENDS", "LABEL", "SEGMENT". */
      readonly directive: string;
      readonly operands: readonly (Expr | null)[];
      readonly span: SourceSpan;
    }
  | {
      readonly kind: "strucInstance";
      readonly name: string;
      readonly nameSpan: SourceSpan;
      readonly type: string;
      readonly typeSpan: SourceSpan;
      readonly operands: readonly (Expr | null)[];
      readonly span: SourceSpan;
    };

/** A statement's span: from the start of `first` to the end of its last operand, or to
 *  (endLine, endColumn) when it has none. */
export function statementSpan(first: SourceSpan, operands: readonly (Expr | null)[], endLine: number, endColumn: number): SourceSpan {
  for (let i = operands.length - 1; i >= 0; i--) {
    const o = operands[i];
    if (o) return { file: first.file, line: first.line, column: first.column, endLine: o.line, endColumn: o.endColumn };
  }
  return { file: first.file, line: first.line, column: first.column, endLine, endColumn };
}

export interface ParsedLine {
  readonly label: Label | null;
  readonly statement: Statement | null;
}
