// A `; vmmasm-disable-…` comment that suppressed nothing (checked by the engine, see suppressions.ts).
import type { Rule } from "../types.js";

export const unusedSuppression: Rule = {
  meta: {
    id: "unused-suppression",
    code: "L0191",
    severity: "warning",
    summary: "a vmmasm-disable comment that suppresses nothing",
    explanation:
      "`; vmmasm-disable-next-line <id>` suppresses a finding of rule <id> on the next line, `; vmmasm-disable-line " +
      "<id>` one on its own line (several ids may be separated by commas; text after `--` is a reason). A " +
      "suppression that matches no finding - the code was fixed, the rule id is misspelt - hides nothing but " +
      "still says something is wrong there, so lint reports it.",
    source: "vmmasm",
    helpUri: "",
    bad: "\t; vmmasm-disable-next-line ecx-through-system-kontrol\n\tmov\tecx, 1",
    good: "\t; vmmasm-disable-next-line ecx-through-system-control -- shown on purpose\n\tmov\tecx, 1",
  },
  check() {
    // The engine reports these after matching suppressions with findings.
  },
};
