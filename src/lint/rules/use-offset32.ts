// OFFSET where the DDK asks for OFFSET32 (vmm-facts §6.1, §7 rule 26).
import type { Expr } from "../../front/ast.js";
import type { SourceSpan } from "../../ir/types.js";
import type { Rule } from "../types.js";
import { mayHoldOffset } from "../scan.js";
import { w95 } from "./uri.js";

export const useOffset32: Rule = {
  meta: {
    id: "use-offset32",
    code: "L0125",
    severity: "warning",
    summary: "OFFSET in 32-bit VxD code, where the DDK asks for OFFSET32",
    explanation:
      "vmm.inc defines OFFSET32 as `OFFSET FLAT:`: the address in the flat model. Plain OFFSET is the offset from " +
      "the symbol's segment or group, which in a VxD's segments is not the address the code runs with. The DDK " +
      "says to use OFFSET32 in all 32-bit segments. Lint reports OFFSET written in the source (not inside a macro " +
      "expansion), except in real-mode initialisation code.",
    source: "W30VDAG §17.1.1; W95DDK:S22F5; VMMH95 (OFFSET32)",
    helpUri: w95("S22F5"),
    bad: "\tmov\tesi, OFFSET My_Callback",
    good: "\tmov\tesi, OFFSET32 My_Callback",
  },
  check({ program: p, report }) {
    const spans: SourceSpan[] = [];
    const offsetCandidates = p.scan.mayHoldOffset;
    for (let k = 0; k < offsetCandidates.length; k++) {
      const i = offsetCandidates[k]!;
      const item = p.items[i]!;
      if (item.segment !== "REAL_INIT") collectAllOffsets(item.operands, spans);
    }
    const data = p.front.data;
    for (let i = 0; i < data.length; i++) if (mayHoldOffset(data[i]!.operands)) collectAllOffsets(data[i]!.operands, spans);
    const seen = new Set<string>();
    for (const span of spans) {
      const key = `${span.file}:${span.line}:${span.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({
        span,
        message: "OFFSET gives the offset within the segment; VxD code needs the flat address, OFFSET32",
        help: "write OFFSET32 instead of OFFSET",
      });
    }
  },
};

function collectAllOffsets(operands: readonly (Expr | null)[], spans: SourceSpan[]): void {
  for (let i = 0; i < operands.length; i++) collectOffsets(operands[i] ?? null, spans);
}

/** The spans of the OFFSET operators in an expression, in source order. */
function collectOffsets(e: Expr | null, spans: SourceSpan[]): void {
  if (!e) return;
  // Expressions come in many shapes, so each read of `k` is a slow lookup: read once, and leaves (most) first.
  const { k } = e;
  if (k === "name" || k === "num") return;
  switch (k) {
    case "unary":
      if (e.op === "OFFSET") spans.push(e.span);
      return collectOffsets(e.arg, spans);
    case "binary":
      collectOffsets(e.left, spans);
      return collectOffsets(e.right, spans);
    case "index":
      collectOffsets(e.left, spans);
      return collectOffsets(e.inner, spans);
    case "field":
      return collectOffsets(e.left, spans);
    case "ptr":
    case "seg":
      return collectOffsets(e.arg, spans);
    case "dup":
      for (let i = 0; i < e.items.length; i++) collectOffsets(e.items[i]!, spans);
      return;
    default:
      return;
  }
}
