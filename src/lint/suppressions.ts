// `; vmmasm-disable-next-line <id>[, <id>…] [-- reason]` and `; vmmasm-disable-line <id>…`: each
// suppresses findings of those rules on one line (all rules when no id is given). A suppression
// that matched nothing is reported (unused-suppression).
import type { CommentToken } from "../front/program.js";
import type { SourceSpan } from "../ir/types.js";

export interface Suppression {
  readonly file: string;
  /** The line whose findings it suppresses. */
  readonly target: number;
  /** Rule ids; empty = every rule. */
  readonly ids: readonly string[];
  readonly span: SourceSpan;
  readonly used: Set<string>;
}

const DIRECTIVE = /^;+\s*vmmasm-disable-(next-line|line)\b(.*)$/i;

export function parseSuppressions(file: string, comments: readonly CommentToken[]): Suppression[] {
  const out: Suppression[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.image);
    if (!m) continue;
    const line = c.startLine ?? 1;
    const column = c.startColumn ?? 1;
    const ids = m[2]!.split("--")[0]!.split(/[\s,]+/).filter((x) => x !== "");
    out.push({
      file,
      target: m[1]!.toLowerCase() === "next-line" ? line + 1 : line,
      ids,
      span: { file, line, column, endLine: line, endColumn: column + c.image.length },
      used: new Set(),
    });
  }
  return out;
}

/** The suppression that hides a finding of `rule` at `span`, if any (and marks it used). */
export function suppressedBy(list: readonly Suppression[], rule: string, span: SourceSpan | null): Suppression | undefined {
  if (!span) return undefined;
  for (const s of list) {
    if (s.file !== span.file || s.target !== span.line) continue;
    if (s.ids.length === 0 || s.ids.includes(rule)) {
      s.used.add(s.ids.length === 0 ? "*" : rule);
      return s;
    }
  }
  return undefined;
}
