// Lint once over a small device while the CLI's start-up snapshot is built (src/cli/snapshot-entry.ts):
// the rule registry, the tables lint derives from the fact tables and the code of the analysis
// are then in the snapshot instead of being built and compiled at every `vmmasm lint`.
import { lint } from "./lint.js";
import { RULES } from "./registry.js";
import { formatJson, formatPretty, formatSarif } from "./format.js";

const SAMPLE = `\t.386p
\tinclude vmm.inc
\tinclude vpicd.inc
MSG\tequ\tBEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + 1
Declare_Virtual_Device WARM, 1, 0, WARM_Control, Undefined_Device_ID, Undefined_Init_Order
VxD_LOCKED_DATA_SEG
Desc\tVPICD_IRQ_Descriptor <5, 0, OFFSET32 Warm_Hw_Int>
hEvent\tdd\t0
VxD_LOCKED_DATA_ENDS
Begin_Control_Dispatch WARM
\tControl_Dispatch Device_Init, Warm_Init
\tControl_Dispatch Destroy_VM, Warm_Destroy
End_Control_Dispatch WARM
VxD_LOCKED_CODE_SEG
BeginProc Warm_Init
\tmov\tedi, OFFSET32 Desc
\tVxDcall VPICD_Virtualize_IRQ
\tjc\tshort @F
\tmov\teax, High_Pri_Device_Boost
\tmov\tecx, PEF_Wait_For_STI OR PEF_Time_Out
\tmov\tesi, OFFSET32 Warm_Event
\tVMMcall Call_Priority_VM_Event
\tmov\t[hEvent], esi
\tmov\teax, MSG
\tVMMcall System_Control
\tjc\tshort @F
@@:\tclc
\tret
EndProc Warm_Init
BeginProc Warm_Destroy
\txor\tesi, esi
\txchg\tesi, [hEvent]
\tVMMcall Cancel_Priority_VM_Event
\tpush\tds
\tpop\tes
\tclc
\tret
EndProc Warm_Destroy
BeginProc Warm_Event
\tmov\t[hEvent], 0
\tjc\tshort @F
\tmov\teax, 100
\tmov\tesi, OFFSET32 Warm_Time_Out
\tVMMcall Set_Async_Time_Out
@@:\tret
EndProc Warm_Event
BeginProc Warm_Time_Out
\tret
EndProc Warm_Time_Out
BeginProc Warm_Hw_Int
\tVxDcall VPICD_Phys_EOI
\tclc
\tret
EndProc Warm_Hw_Int
VxD_LOCKED_CODE_ENDS
\tend
`;

export function warmUpLint(): void {
  const r = lint([{ name: "warm-up.asm", text: SAMPLE }]);
  formatPretty(r.findings, (f) => r.sources.get(f), false, { files: 1, lines: 1, suppressed: 0 });
  formatJson(r.findings);
  formatSarif(r.findings, {}, "/");
  void RULES.length;
}
