// The syntax tree of one statement, built from the parser's CST by cst-to-ast.ts.
import type { SourceSpan } from "../ir/types.js";

export type Expr =
  | { readonly k: "num"; readonly value: number; readonly span: SourceSpan }
  | { readonly k: "str"; readonly value: string; readonly span: SourceSpan }
  | { readonly k: "name"; readonly name: string; readonly span: SourceSpan }
  | { readonly k: "text"; readonly value: string; readonly span: SourceSpan }
  | { readonly k: "unary"; readonly op: string; readonly arg: Expr; readonly span: SourceSpan }
  | { readonly k: "binary"; readonly op: string; readonly left: Expr; readonly right: Expr; readonly span: SourceSpan }
  /** `left[inner]` (left is null for a bare `[inner]`): memory reference, address = left + inner. */
  | { readonly k: "index"; readonly left: Expr | null; readonly inner: Expr; readonly span: SourceSpan }
  /** `left.Field` */
  | { readonly k: "field"; readonly left: Expr; readonly field: string; readonly span: SourceSpan }
  /** `type PTR arg` */
  | { readonly k: "ptr"; readonly type: Expr; readonly arg: Expr; readonly span: SourceSpan }
  /** `seg:arg` */
  | { readonly k: "seg"; readonly seg: Expr; readonly arg: Expr; readonly span: SourceSpan }
  /** `count DUP (items)`; items may hold null for empty positions. */
  | { readonly k: "dup"; readonly count: Expr; readonly items: readonly (Expr | null)[]; readonly span: SourceSpan }
  | { readonly k: "bad"; readonly span: SourceSpan };

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

export interface ParsedLine {
  readonly label: Label | null;
  readonly statement: Statement | null;
}
