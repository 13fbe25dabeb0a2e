// A file that uses what vmm.inc defines without including it (vmm-facts §6.1).
import type { SourceSpan } from "../../ir/types.js";
import { isVxdMacro } from "../../front/vxd-macros.js";
import type { Rule } from "../types.js";
import { classifyFrontDiagnostics } from "./front-diagnostics.js";
import { w95 } from "./uri.js";

export const missingVmmInclude: Rule = {
  meta: {
    id: "missing-vmm-include",
    code: "L0118",
    severity: "error",
    summary: "a file uses vmm.inc's macros or symbols without `include vmm.inc`",
    explanation:
      "Every VxD source starts with `.386p` and `include vmm.inc`, which defines the VMM's macros (VMMcall, " +
      "BeginProc, Declare_Virtual_Device, the segment macros …), the message and service names, the flags and the " +
      "structures. vmmasm knows them anyway, but MASM does not: without the include the file does not assemble. " +
      "Lint reports the first use in a file that never includes vmm.inc (and not every undefined name after it).",
    source: "W30VDAG §17.1.3; W95DDK:S22F6",
    helpUri: w95("S22F6"),
    bad: "\t.386p\n\tmov\teax, Create_VM",
    good: "\t.386p\n\tinclude vmm.inc\n\tmov\teax, Create_VM",
  },
  check({ program: p, report }) {
    const firstUse = new Map<string, { span: SourceSpan; what: string }>();
    const note = (file: string, span: SourceSpan, what: string): void => {
      const old = firstUse.get(file);
      if (!old || span.line < old.span.line || (span.line === old.span.line && span.column < old.span.column)) firstUse.set(file, { span, what });
    };
    for (const c of classifyFrontDiagnostics(p)) if (c.kind === "missing-vmm-include" && c.unit) note(c.unit.file, c.diag.span!, `\`${c.name}\``);
    const serviceMacros = p.scan.serviceMacros;
    for (let k = 0; k < serviceMacros.length; k++) {
      const i = serviceMacros[k]!;
      const item = p.items[i]!;
      if (item.unit.includesVmm) continue;
      note(item.unit.file, item.span, `\`${item.mnemonic === "vmmcall" ? "VMMcall" : item.mnemonic === "vmmjmp" ? "VMMjmp" : item.mnemonic === "vxdjmp" ? "VxDjmp" : "VxDcall"}\``);
    }
    // The DDK macros themselves (segment macros, BeginProc …) are vmm.inc's too: the first one written.
    for (const u of p.front.units) {
      if (u.includesVmm) continue;
      const lines = (p.ir.sources.get(u.file) ?? "").split(/\r\n|\r|\n/);
      for (let n = 0; n < lines.length; n++) {
        const m = /^(\s*(?:[\w@$?]+::?\s*)?)([A-Za-z_][\w]*)/.exec(lines[n]!);
        if (!m || !isVxdMacro(m[2]!.toUpperCase())) continue;
        const column = m[1]!.length + 1;
        note(u.file, { file: u.file, line: n + 1, column, endLine: n + 1, endColumn: column + m[2]!.length }, `\`${m[2]}\``);
        break;
      }
    }
    for (const d of p.front.devices) if (!d.unit.includesVmm) note(d.unit.file, d.span, "`Declare_Virtual_Device`");
    for (const b of p.dispatches) if (!b.unit.includesVmm) note(b.unit.file, b.span, "`Begin_Control_Dispatch`");
    for (const [file, use] of firstUse) {
      report({
        span: use.span,
        message: `${use.what} comes from vmm.inc, but ${file} does not include it`,
        help: "add `include vmm.inc` after `.386p` at the top of the file",
      });
    }
  },
};
