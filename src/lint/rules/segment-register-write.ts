// A VxD changes CS, DS, ES or SS (vmm-facts §7 rule 26).
import type { Rule } from "../types.js";
import { K_OPAQUE } from "../values.js";
import { flatAsEntered } from "./support.js";
import { w95 } from "./uri.js";

const FLAT = new Set(["CS", "DS", "ES", "SS"]);

export const segmentRegisterWrite: Rule = {
  meta: {
    id: "segment-register-write",
    code: "L0124",
    severity: "error",
    summary: "32-bit VxD code changes CS, DS, ES or SS",
    explanation:
      "VxDs run in the flat model: CS, DS, ES and SS hold the VMM's flat selectors and must not be changed (FS and " +
      "GS are free). Lint reports a mov or pop into one of them that does not put back the value it had (a push " +
      "followed by a pop of the same register is fine, and so is copying one flat data selector into another, as " +
      "in `push ds / pop es`), except in real-mode initialisation code.",
    source: "W95DDK:S22F5",
    helpUri: w95("S22F5"),
    bad: "\tmov\tax, 28h\n\tmov\tds, ax",
    good: "\tmov\tax, 28h\n\tmov\tfs, ax\t\t; FS and GS are free",
  },
  check({ program: p, report }) {
    const done = new Set<number>();
    const segWrites = p.facts.segWrites;
    for (let k = 0; k < segWrites.length; k++) {
      const w = segWrites[k]!;
      if (!FLAT.has(w.seg) || done.has(w.index) || w.value.k === K_OPAQUE || flatAsEntered(w.value, w.seg)) continue;
      if (p.items[w.index]!.segment === "REAL_INIT") continue;
      done.add(w.index);
      report({
        span: p.span(w.index),
        message: `this changes ${w.seg}, which a VxD must leave as the VMM set it`,
        help: "use the flat selectors as they are; FS and GS may be used for other selectors",
      });
    }
  },
};
