// OFFSET where the DDK asks for OFFSET32 (vmm-facts §6.1, §7 rule 26).
import type { Expr } from "../../front/ast.js";
import type { SourceSpan } from "../../ir/types.js";
import type { Rule } from "../types.js";
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
    const visit = (e: Expr | null): void => {
      if (!e) return;
      switch (e.k) {
        case "unary":
          if (e.op === "OFFSET") spans.push(e.span);
          return visit(e.arg);
        case "binary":
          visit(e.left);
          return visit(e.right);
        case "index":
          visit(e.left);
          return visit(e.inner);
        case "field":
        case "ptr":
          return visit(e.k === "field" ? e.left : e.arg);
        case "seg":
          return visit(e.arg);
        case "dup":
          return e.items.forEach(visit);
        default:
          return;
      }
    };
    for (const item of p.items) if (item.origin.length === 0 && item.segment !== "REAL_INIT") item.operands.forEach(visit);
    for (const d of p.front.data) d.operands.forEach(visit);
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
