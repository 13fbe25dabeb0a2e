// Out_Debug_String with register placeholders, called without pushfd and pushad first (vmm-facts §7 rule 28).
import { Op } from "../../ir/types.js";
import { firstPlaceholder } from "../../vmm/runtime/debug-output.js";
import type { LintProgram } from "../program.js";
import type { Rule } from "../types.js";
import { isConstVal, ESI } from "./support.js";
import { vdag } from "./uri.js";

export const debugStringRegsUnsaved: Rule = {
  meta: {
    id: "debug-string-regs-unsaved",
    code: "L0130",
    severity: "warning",
    summary: "Out_Debug_String prints register placeholders (#EAX, ?ESI …) without pushfd and pushad before the call",
    explanation:
      "Out_Debug_String replaces `#REG` with a register's value and `?REG` with the label nearest to it, and it " +
      "takes those values from a pushad frame (and the flags from a pushfd) that the caller must have pushed " +
      "just before the call; without them it prints whatever is on the stack. Trace_Out and Debug_Out do this " +
      "themselves. Lint reports a VMMcall Out_Debug_String written by hand whose string (ESI, known) has a " +
      "placeholder when the procedure has no pushfd or no pushad before the call. It does not check that " +
      "nothing was pushed in between.",
    source: "VDAG31 Out_Debug_String",
    helpUri: vdag("Out_Debug_String"),
    bad: "\tmov\tesi, OFFSET32 Msg\t\t; Msg db \"handle #EBX\", 0\n\tVMMcall Out_Debug_String",
    good: "\tpushfd\n\tpushad\n\tmov\tesi, OFFSET32 Msg\t\t; Msg db \"handle #EBX\", 0\n\tVMMcall Out_Debug_String\n\tpopad\n\tpopfd",
  },
  check({ program: p, report }) {
    const done = new Set<number>();
    const calls = p.serviceCalls.of("Out_Debug_String");
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      if (done.has(c.index) || !c.service || p.items[c.index]!.origin.length) continue;
      const esi = c.regs[ESI];
      if (!isConstVal(esi)) continue;
      const placeholder = firstPlaceholder(asciiz(p, esi.n));
      if (!placeholder) continue;
      const missing = (["pushfd", "pushad"] as const).filter((m) => !pushedBefore(p, c.index, m === "pushfd" ? Op.PUSHFD : Op.PUSHAD));
      done.add(c.index);
      if (!missing.length) continue;
      report({
        span: p.span(c.index),
        message: `Out_Debug_String prints \`${placeholder}\` but no ${missing.join(" or ")} comes before this call`,
        help: "push the flags and the registers first (pushfd, pushad) and pop them after, or use Trace_Out, which does it",
      });
    }
  },
};

/** The zero-terminated string at a data address (up to 512 bytes), or "" outside the data image. */
function asciiz(p: LintProgram, addr: number): string {
  const { base, bytes } = p.ir.data;
  let off = (addr >>> 0) - base;
  if (off < 0 || off >= bytes.length) return "";
  let text = "";
  for (const end = Math.min(bytes.length, off + 512); off < end && bytes[off] !== 0; off++) text += String.fromCharCode(bytes[off]!);
  return text;
}

function pushedBefore(p: LintProgram, index: number, op: Op): boolean {
  const proc = p.procAt(index);
  for (let i = proc?.start ?? index; i < index; i++) if (p.instrs[i]!.op === op) return true;
  return false;
}
