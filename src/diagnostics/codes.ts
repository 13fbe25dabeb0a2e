// Every diagnostic vmmasm can emit: a stable code and name, a default severity, a short summary
// and a longer explanation. Codes are grouped by stage: 01xx lexing, 02xx parsing, 03xx the front
// end (symbols, includes, macros, conditional assembly), 05xx lowering to the IR, 06xx machine
// faults, 07xx the simulated VMM, 08xx usage, 09xx the REPL.
import type { Severity } from "./diagnostic.js";

export interface CodeEntry {
  readonly code: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly explanation: string;
  readonly help?: string;
}

function entry(code: string, severity: Severity, summary: string, explanation: string, help?: string): CodeEntry {
  return help === undefined ? { code, severity, summary, explanation } : { code, severity, summary, explanation, help };
}

export const DIAGNOSTIC_CODES = {
  "bad-character": entry("E0101", "error", "a character that cannot start a token", "The lexer met a character that MASM does not allow here (outside a string or comment)."),
  "unterminated-string": entry("E0102", "error", "a string without its closing quote", "Strings run to a matching quote on the same line; write a doubled quote to put one inside."),
  "bad-number": entry("E0103", "error", "a malformed number", "MASM numbers start with a digit and may end in a radix letter: h (hex), b (binary), o or q (octal), d or t (decimal). A hex number must start with a digit, e.g. 0FFh."),
  "syntax-error": entry("E0201", "error", "a line that does not parse", "The line does not match any statement form: [label:] mnemonic/directive/macro [operands] [; comment]."),
  "undefined-symbol": entry("E0301", "error", "a symbol that is not defined", "The name is used but never defined as a label, a data item, an equate, a structure field or by vmm.inc."),
  "duplicate-symbol": entry("E0302", "error", "a symbol defined twice", "Labels, data names, EQU numbers and procedures may be defined only once (use `=` for a redefinable number)."),
  "unknown-instruction": entry("E0303", "error", "an unknown mnemonic, directive or macro", "The first word of the statement is not an instruction the machine supports, a directive, a built-in VxD macro or a macro defined in the source."),
  "bad-expression": entry("E0304", "error", "an expression that cannot be evaluated", "A constant expression was needed here (for example in EQU, IF or DUP), or the expression divides by zero or mixes things that do not combine."),
  "include-not-found": entry("E0305", "error", "an include file that cannot be found", "Include files are searched beside the including file, then in each -I directory. `vmm.inc` is built in.", "add the directory that holds it with -I <dir>"),
  "include-recursive": entry("E0306", "error", "a file that includes itself", "A file included itself, directly or through other files."),
  "unbalanced-block": entry("E0307", "error", "a block that is not closed or not opened", "IF/ENDIF, PROC/ENDP, BeginProc/EndProc, STRUC/ENDS, MACRO/ENDM and segment macros must pair up."),
  "macro-error": entry("E0308", "error", "a macro used wrongly", "A macro invocation has the wrong arguments, or a macro expands too deeply (recursion is bounded)."),
  "user-error": entry("E0309", "error", "an assembly-time check failed", "A .ERR, .ERRE, .ERRNZ, .ERRDEF or .ERRNDEF directive in the source fired."),
  "ignored-directive": entry("W0310", "warning", "a directive vmmasm accepts but does not act on", "The directive is valid MASM but has no meaning in the simulation, so it is skipped."),
  "out-message": entry("N0311", "note", "a %OUT message", "The source printed a message at assembly time with %OUT or ECHO."),
  "bad-declaration": entry("E0312", "error", "a malformed VxD declaration", "Declare_Virtual_Device, the control-dispatch macros or BeginProc were given arguments they do not accept."),
  "bad-operand": entry("E0501", "error", "an operand the instruction does not take", "The operands do not form a valid x86 instruction: wrong count, an immediate destination, two memory operands, or a register of the wrong kind."),
  "operand-size": entry("E0502", "error", "operand sizes that do not match or cannot be known", "Both operands must have the same size; a memory operand with an immediate needs `byte ptr`, `word ptr` or `dword ptr` unless the symbol has a type."),
  "bad-jump-target": entry("E0503", "error", "a jump to something that is not code", "Direct jumps, calls and loops need a code label (a label on an instruction, a PROC or BeginProc)."),
  "value-truncated": entry("W0504", "warning", "a constant that does not fit its operand", "The value is wider than the operand; the machine keeps its low bits, as MASM would warn."),
  "memory-fault": entry("E0601", "error", "an access outside simulated memory", "The instruction read or wrote an address that is not inside the simulated memory."),
  "null-pointer": entry("E0602", "error", "an access to the first page", "Addresses below 1000h are never mapped, so a null or nearly-null pointer faults here."),
  "divide-error": entry("E0603", "error", "division by zero or quotient overflow", "DIV and IDIV raise a divide error (#DE) when the divisor is 0 or the quotient does not fit in the destination."),
  "stack-overflow": entry("E0604", "error", "the stack grew past its limit", "ESP went below the bottom of the simulated stack; usually runaway recursion or a push loop."),
  "stack-underflow": entry("E0605", "error", "a pop above the top of the stack", "ESP went above the top of the simulated stack: more pops or rets than pushes or calls."),
  "bad-jump": entry("E0606", "error", "control went to an address with no instruction", "A ret, an indirect jump or an indirect call went to an address that is not an instruction: usually an unbalanced stack before ret."),
  "step-limit": entry("E0607", "error", "the run reached its step bound", "The program executed more instructions than --max-steps allows; it may loop forever.", "raise the bound with --max-steps N if the program is meant to run that long"),
  "trap": entry("E0608", "error", "the program stopped on purpose", "An instruction that cannot run was reached (for example an unsupported form kept so the rest could run)."),
  "service-not-simulated": entry("E0701", "error", "a VMM service the simulation does not model yet", "The service is in the VMM service table, but calling it is not simulated, so the run stops there."),
  "unknown-service": entry("E0702", "error", "a call of a service no device provides", "VMMcall/VxDcall named a service id that is neither in the VMM table nor provided by a loaded device."),
  "illegal-system-control-send": entry("E0703", "error", "a device sent a System_Control message it may not send", "Devices may send only Set_Device_Focus (any device), Create_VM and Destroy_VM (the shell), End_PM_App (the MS-DOS manager), Power_Event (VPOWERD) and private messages 70000000h-7FFFFFFFh."),
  "private-message-range": entry("E0704", "error", "a message number outside both ranges", "System_Control messages are either VMM messages (0 to MAX_SYSTEM_CONTROL) or private ones in 70000000h-7FFFFFFFh."),
  "fatal-error": entry("E0705", "error", "the program called Fatal_Error_Handler", "Fatal_Error (Fatal_Error_Handler) ends Windows; the simulation stops and prints the message."),
  "bad-vm-handle": entry("E0706", "error", "a VM handle that is not a live VM", "The value given as a VM handle does not point to the control block of a VM that exists."),
  "bad-event-handle": entry("E0707", "error", "an event handle used wrongly", "The handle was not returned by the matching Schedule/Call service, was cancelled with the wrong Cancel service, or its event already ran or was cancelled."),
  "callback-contract": entry("E0708", "error", "a callback broke the DDK's register contract", "Event callbacks may change EAX, EBX, ECX, EDX, ESI and EDI only; they must return with EBP and ESP as on entry, DF clear and interrupts enabled."),
  "device-clash": entry("E0709", "error", "two devices with the same name or ID", "Each loaded device needs its own name, and its own device ID unless it is Undefined_Device_ID."),
  "nothing-to-run": entry("E0710", "warning", "a source with no code to run", "The file has no top-level instructions and declares no device, so nothing runs."),
  "message-cannot-fail": entry("E0711", "error", "a device failed a message that cannot fail", "The DDK says this System_Control message must return with CF clear."),
  "non-async-at-interrupt-time": entry("E0712", "error", "a service that is not asynchronous called at interrupt time", "Hardware-interrupt procedures, asynchronous time-out callbacks and other code running while the VMM is re-entered may call only asynchronous services (the service tables mark them); everything else must wait for an event."),
  "would-block": entry("E0713", "error", "device code that would block", "The call would make the caller wait (for the critical section held by another VM, say); the simulation runs device code without threads of its own and cannot block it."),
  "critical-section": entry("E0714", "error", "the critical section used wrongly", "Begin_Critical_Section and End_Critical_Section must pair up."),
  "bad-event-flags": entry("E0715", "error", "a priority event asked for with arguments it may not have", "Call_Priority_VM_Event and Call_Restricted_Event take a boost in EAX that keeps the VM's priority in range and PEF_* flags in ECX that go together (vmm-facts §4.2, §4.4, §7 rule 21)."),
  "interrupts-enabled": entry("E0716", "error", "a handler enabled interrupts where the DDK forbids it", "Sys_Critical_Init, VM_Critical_Init, Sys_Critical_Exit and Crit_Reboot_Notify run with interrupts disabled, and their handlers must not execute STI (vmm-facts §7 rule 7)."),
  "simulate-int-forbidden": entry("E0717", "error", "Simulate_Int or Exec_Int during a message that forbids them", "Interrupts may not be simulated while handling Sys_Critical_Init, VM_Critical_Init, VM_Not_Executeable, Destroy_VM, System_Exit, Sys_Critical_Exit and the other messages §7 rule 6 lists."),
  "bad-message-box": entry("E0718", "error", "a SHELL message box asked for with arguments it may not have", "SHELL_Message and SHELL_SYSMODAL_Message take MB_* flags in EAX naming a box type and one of its buttons as the default, the text in ECX and the caption in EDI (or 0) as zero-terminated strings in memory; SHELL_SYSMODAL_Message needs MB_SYSTEMMODAL."),
  "usage": entry("E0801", "error", "a command line that cannot be used", "An option or argument is missing or malformed; see --help."),
  "file-not-found": entry("E0802", "error", "a source file that cannot be read", "The file named on the command line does not exist or cannot be read."),
  "interrupted": entry("E0901", "error", "a REPL line stopped with Ctrl-C", "The line ran until Ctrl-C stopped it; the REPL put the machine back as it was before the line."),
  "repl-rewrites-code": entry("E0902", "error", "a REPL line that changes code assembled before it", "The REPL re-assembles its session with each line and needs every earlier instruction and data item to stay where it was; a line that would move them cannot be added (start again with .reset)."),
} as const satisfies Record<string, CodeEntry>;

export type DiagnosticName = keyof typeof DIAGNOSTIC_CODES;
