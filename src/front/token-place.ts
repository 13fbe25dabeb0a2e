// Where a token lies, as the AST records it (a token without a position counts as at line 1, column 1).
import type { IToken } from "chevrotain";
import type { SourceSpan } from "../ir/types.js";

export function startLine(t: IToken): number {
  return t.startLine ?? 1;
}

export function startColumn(t: IToken): number {
  return t.startColumn ?? 1;
}

export function endLine(t: IToken): number {
  return t.endLine ?? startLine(t);
}

/** One past the token's last column. */
export function endColumn(t: IToken): number {
  return (t.endColumn ?? t.startColumn ?? 1) + 1;
}

export function tokenSpan(t: IToken, file: string): SourceSpan {
  return { file, line: startLine(t), column: startColumn(t), endLine: endLine(t), endColumn: endColumn(t) };
}
