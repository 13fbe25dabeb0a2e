// Machine faults and VMM rule breaks → diagnostics at the instruction that caused them, with the
// instruction as written and a short call backtrace.
import type { DiagnosticName } from "../diagnostics/codes.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { IrProgram } from "../ir/types.js";
import type { MachineFault } from "../machine/fault.js";
import type { RuntimeIssue } from "../vmm/runtime/vmm.js";
import { VmmStop } from "../vmm/runtime/stop.js";

const KIND_TO_NAME: Record<string, DiagnosticName> = {
  memory: "memory-fault",
  "null-pointer": "null-pointer",
  divide: "divide-error",
  "stack-overflow": "stack-overflow",
  "stack-underflow": "stack-underflow",
  "bad-jump": "bad-jump",
  "step-limit": "step-limit",
  trap: "trap",
  host: "trap",
};

function procedureOf(program: IrProgram, index: number): string {
  const p = program.procs.find((x) => index >= x.start && index < x.end);
  return p ? p.name : "top-level code";
}

export function backtraceNotes(program: IrProgram, sites: readonly number[]): string[] {
  return sites.slice(0, 8).map((i) => {
    const s = program.spans[i];
    return `called from ${procedureOf(program, i)} at ${s ? `${s.file}:${s.line}` : "?"}`;
  });
}

export function faultDiagnostic(program: IrProgram, f: MachineFault, context: readonly string[] = []): Diagnostic {
  const name: DiagnosticName = f instanceof VmmStop ? f.diagnosticName : KIND_TO_NAME[f.kind] ?? "trap";
  const index = f.instrIndex;
  const instr = program.instrs[index];
  const span = f instanceof VmmStop && f.span ? f.span : (program.spans[index] ?? null);
  const notes: string[] = [];
  if (instr && !(f instanceof VmmStop && f.span)) notes.push(`while executing \`${instr.mnemonic}\` in ${procedureOf(program, index)}`);
  if (f instanceof VmmStop) notes.push(...f.notes);
  notes.push(...backtraceNotes(program, f.backtrace), ...context);
  const help = f instanceof VmmStop ? f.help : undefined;
  return diag(name, span, f.message, { notes, ...(help ? { help } : {}) });
}

export function issueDiagnostic(program: IrProgram, issue: RuntimeIssue): Diagnostic {
  const span = issue.span ?? program.spans[issue.site] ?? null;
  return diag(issue.name, span, issue.message, { notes: issue.notes, ...(issue.help ? { help: issue.help } : {}) });
}
