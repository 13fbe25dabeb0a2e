// A name that nothing defines (the front end's finding, kept where it is not the sign of something else).
import type { Rule } from "../types.js";
import { classifyFrontDiagnostics } from "./front-diagnostics.js";
import { w95 } from "./uri.js";

export const undefinedSymbol: Rule = {
  meta: {
    id: "undefined-symbol",
    code: "L0121",
    severity: "error",
    summary: "a symbol that is not defined anywhere",
    explanation:
      "The name is used but never defined - as a label, a procedure, a variable, an equate, a structure field - " +
      "by this file, a file it includes, vmm.inc or a file linted with it. A name vmm.inc would define in a file " +
      "that does not include it is reported by missing-vmm-include instead; in a file where something could not " +
      "be read (an unknown macro, a missing include) undefined names are only noted (unresolved).",
    source: "MASM; W30VDAG §17.1.3",
    helpUri: w95("S22F6"),
    bad: "\tmov\tebx, [Cur_VM]\t; never defined",
    good: "Cur_VM\tdd\t0\n\t...\n\tmov\tebx, [Cur_VM]",
  },
  check({ program: p, report }) {
    for (const c of classifyFrontDiagnostics(p)) {
      if (c.kind !== "undefined-symbol") continue;
      report({ span: c.diag.span, message: c.diag.message, ...(c.diag.help ? { help: c.diag.help } : {}) });
    }
  },
};
