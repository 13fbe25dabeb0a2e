// The DDK's VxD macros, built in: VMMcall/VxDcall and their jmp forms, Declare_Virtual_Device,
// the control-dispatch macros, BeginProc/EndProc, the segment macros, Trace_Out/Debug_Out,
// Fatal_Error, Assert_VM_Handle, SaveReg/RestoreReg. Where the DDK macro expands to plain
// instructions, the expansion is written here as MASM text and assembled like a user macro.
import { diag } from "../diagnostics/diagnostic.js";
import { Op, type SourceSpan } from "../ir/types.js";
import { ALL_SERVICES, serviceByName, VMM_SERVICES } from "../vmm/tables/services.js";
import type { Assembler } from "./assembler.js";
import type { Expr, Statement } from "./ast.js";
import { fail } from "./evaluate.js";
import type { SourceLine } from "./lines.js";
import { splitArguments, stripAngles } from "./macros.js";

type Command = Extract<Statement, { kind: "command" }>;

/** The `extra` of a VXDCALL/VXDJMP whose service is not known (an error was reported there). */
export const UNKNOWN_SERVICE_ID = -1;

const SEGMENT_MACRO = /^VXD_([A-Z0-9_]+?)_(SEG|ENDS)$/;
const CALLS = new Set(["VMMCALL", "VMMJMP", "VXDCALL", "VXDJMP"]);
const OTHERS = new Set([
  "DECLARE_VIRTUAL_DEVICE", "BEGIN_CONTROL_DISPATCH", "CONTROL_DISPATCH", "END_CONTROL_DISPATCH", "BEGINPROC", "ENDPROC",
  "TRACE_OUT", "DEBUG_OUT", "FATAL_ERROR", "ASSERT_VM_HANDLE", "SAVEREG", "RESTOREREG", "PUSH_CLIENT_STATE", "POP_CLIENT_STATE",
]);
/** BeginProc options that name the segment the procedure goes in. */
const SEGMENT_OPTIONS = new Set(["LOCKED", "PAGEABLE", "INIT", "STATIC", "DEBUG_ONLY", "LOCKABLE", "INT21", "SYSEXIT", "RARE", "W16", "W32", "VMCREATE", "VMDESTROY", "THCREATE", "THDESTROY", "VMSUSPEND", "VMRESUME", "PNP", "DOSVM"]);
const PROC_OPTIONS = new Set(["PUBLIC", "LOCAL", "HIGH_FREQ", "SERVICE", "ASYNC_SERVICE", "HOOK_PROC", "NO_LOG", "NO_PROFILE", "NO_TEST_CLD", "TEST_BLOCK", "TEST_REENTER", "NEVER_REENTER", "NOT_SWAPPING", "NO_PROLOG", "ESP", "PCALL", "SCALL", "FASTCALL", "CCALL", "ICALL", "W32SVC"]);

export function isVxdMacro(head: string): boolean {
  return CALLS.has(head) || OTHERS.has(head) || SEGMENT_MACRO.test(head);
}

export function handleVxdMacro(asm: Assembler, head: string, s: Command, line: SourceLine, file: string): void {
  if (CALLS.has(head)) return serviceCall(asm, head, s, line);
  const seg = head.startsWith("VXD_") ? SEGMENT_MACRO.exec(head) : null;
  if (seg) {
    const name = `VXD_${seg[1]}`;
    if (seg[2] === "SEG") asm.openSegment(name, s.span);
    else asm.closeSegment(name, s.span);
    return;
  }
  switch (head) {
    case "DECLARE_VIRTUAL_DEVICE":
      return declareDevice(asm, s);
    case "BEGIN_CONTROL_DISPATCH":
      return beginDispatch(asm, s);
    case "CONTROL_DISPATCH":
      return controlDispatch(asm, s);
    case "END_CONTROL_DISPATCH":
      return endDispatch(asm, s);
    case "BEGINPROC":
      return beginProc(asm, s);
    case "ENDPROC": {
      const name = nameOf(s.operands[0]);
      const open = asm.procStack[asm.procStack.length - 1];
      asm.endProc(name, s.span);
      if (open && (open as { openedSegment?: boolean }).openedSegment) asm.segments.pop();
      return;
    }
    case "TRACE_OUT":
    case "DEBUG_OUT": {
      const msg = s.operands[0];
      if (!msg || msg.k !== "str") fail(diag("bad-declaration", s.span, `${s.head} takes a quoted message, e.g. ${s.head} "EAX = #EAX"`));
      asm.emitSynthetic(Op.TRACE_OUT, head === "DEBUG_OUT" ? 1 : 0, msg.value, s.span, s.head.toLowerCase());
      return;
    }
    case "FATAL_ERROR": {
      const [msg, flags] = rawArgs(line, s);
      const lines = ["pushad", msg ? `mov esi, OFFSET32 ${msg}` : "xor esi, esi"];
      if (msg) lines.push(flags ? `mov eax, ${flags}` : "xor eax, eax");
      lines.push("VMMcall Fatal_Error_Handler");
      asm.expand(lines.join("\n"), s.span, "Fatal_Error");
      return;
    }
    case "ASSERT_VM_HANDLE": {
      const [reg] = rawArgs(line, s);
      if (!reg) fail(diag("bad-declaration", s.span, "Assert_VM_Handle needs the register that holds the VM handle"));
      const body = reg.toUpperCase() === "EBX" ? ["pushfd", "VMMcall Debug_Test_Valid_Handle", "popfd"] : ["pushfd", "push ebx", `mov ebx, ${reg}`, "VMMcall Debug_Test_Valid_Handle", "pop ebx", "popfd"];
      asm.expand(body.join("\n"), s.span, "Assert_VM_Handle");
      return;
    }
    // As vmm.inc: the client registers saved in SIZE Client_Reg_Struc bytes of stack. An argument
    // (vmm.inc lets a caller say EDI or ESI may be trashed) is accepted; both registers are kept anyway.
    case "PUSH_CLIENT_STATE":
      asm.expand(["sub esp, SIZE Client_Reg_Struc", "push edi", "lea edi, [esp+4]", "VMMcall Save_Client_State", "pop edi"].join("\n"), s.span, "Push_Client_State");
      return;
    case "POP_CLIENT_STATE":
      asm.expand(["push esi", "lea esi, [esp+4]", "VMMcall Restore_Client_State", "pop esi", "add esp, SIZE Client_Reg_Struc"].join("\n"), s.span, "Pop_Client_State");
      return;
    case "SAVEREG":
    case "RESTOREREG": {
      const regs = splitArguments(stripAngles(rawArgs(line, s).join(","))).filter((r) => r !== "");
      const ordered = head === "SAVEREG" ? regs : [...regs].reverse();
      asm.expand(ordered.map((r) => `${head === "SAVEREG" ? "push" : "pop"} ${r}`).join("\n"), s.span, s.head);
      return;
    }
  }
}

/** Operands as written (for macros that splice them into text). */
function rawArgs(line: SourceLine, s: Command): string[] {
  return splitArguments(line.text.slice(s.headSpan.endColumn - 1));
}

function nameOf(e: Expr | null | undefined): string | null {
  return e && e.k === "name" ? e.name : null;
}

function serviceCall(asm: Assembler, head: string, s: Command, line: SourceLine): void {
  const target = s.operands[0];
  const name = nameOf(target);
  if (!target || !name) fail(diag("bad-declaration", s.span, `${s.head} needs a service name, e.g. ${s.head} Get_Cur_VM_Handle`));
  const service = serviceByName(name);
  const jump = head.endsWith("JMP");
  const vmm = head.startsWith("VMM");
  if (!service || (vmm && service.device !== "VMM")) {
    const hint = service ? undefined : asm.hint(name, (vmm ? VMM_SERVICES : ALL_SERVICES).map((x) => x.name));
    asm.report(
      diag("unknown-service", target.span, service ? `\`${name}\` is a ${service.device} service, not a VMM one` : `\`${name}\` is not ${vmm ? "a VMM service" : "a service of VMM, VPICD, VTD, SHELL or DOSMGR"}`, {
        help: service
          ? `call it with VxDcall ${name} (VMMcall accepts only the VMM's own services, as the DDK's macro does)`
          : hint
            ? `did you mean \`${hint}\`?`
            : vmm
              ? "VMMcall takes the name of a service in the VMM's service table; use VxDcall for another device's services"
              : "the service tables know VMM, VPICD, VTD, SHELL and DOSMGR",
      }),
    );
    // The call is kept (with no service id) so that lint still sees it; the error stops a run.
    asm.emitSynthetic(jump ? Op.VXDJMP : Op.VXDCALL, UNKNOWN_SERVICE_ID, name, s.span, s.head.toLowerCase());
    return;
  }
  // Parameters are operands after the service name (most calls have none: no need to cut the text).
  const params = s.operands.length > 1 ? rawArgs(line, s).slice(1).filter((p) => p !== "") : [];
  if (jump && params.length > 0) fail(diag("bad-declaration", s.span, `${s.head} cannot pass parameters (the DDK's macro refuses them too)`));
  const list = params.length ? splitArguments(stripAngles(params.join(","))).filter((p) => p !== "") : [];
  if (list.length) asm.expand([...list].reverse().map((p) => `push ${p}`).join("\n"), s.span, s.head);
  asm.emitSynthetic(jump ? Op.VXDJMP : Op.VXDCALL, service.id, service.name, s.span, s.head.toLowerCase());
  if (list.length) asm.expand(`add esp, ${list.length * 4}`, s.span, s.head);
}

function declareDevice(asm: Assembler, s: Command): void {
  const name = nameOf(s.operands[0]);
  if (!name) fail(diag("bad-declaration", s.span, "Declare_Virtual_Device needs the device name first", { help: "Declare_Virtual_Device Name, Major, Minor, Ctrl_Proc, Device_Num, Init_Order, V86_Proc, PM_Proc, Reference_Data" }));
  if (name.length > 8) fail(diag("bad-declaration", s.operands[0]!.span, `device name \`${name}\` is longer than 8 characters`));
  if (s.operands.length < 4 || !s.operands[3]) fail(diag("bad-declaration", s.span, "Declare_Virtual_Device needs at least Name, Major_Ver, Minor_Ver and Ctrl_Proc"));
  if (s.operands.length > 9) fail(diag("bad-declaration", s.span, "Declare_Virtual_Device takes at most 9 parameters"));
  const ddb = asm.reserveData(0x50, 4);
  const struc = asm.unit.symbols.get("VxD_Desc_Block");
  asm.setSymbol({ kind: "data", name: `${name}_DDB`, address: ddb, size: struc?.kind === "struc" ? struc.info.size : 0x50, count: 1, struc: struc?.kind === "struc" ? struc.info : null, span: s.span });
  asm.devices.push({ name, operands: asm.located(s.operands), ddbAddress: ddb, span: asm.spanOf(s.span), unit: asm.unit });
}

function beginDispatch(asm: Assembler, s: Command): void {
  const name = nameOf(s.operands[0]);
  if (!name) fail(diag("bad-declaration", s.span, "Begin_Control_Dispatch needs the device name"));
  if (asm.controlDispatch) fail(diag("unbalanced-block", s.span, "Begin_Control_Dispatch inside another one"));
  asm.openSegment("_LTEXT", s.span);
  asm.beginProc(`${name}_Control`, s.span, ["LOCKED", ...s.operands.slice(1).map((o) => nameOf(o)?.toUpperCase() ?? "")].filter((o) => o !== ""), "LOCKED");
  asm.controlDispatch = { name, entries: [], span: asm.spanOf(s.span) };
}

function controlDispatch(asm: Assembler, s: Command): void {
  const [msgExpr, handlerExpr] = s.operands;
  const handler = nameOf(handlerExpr);
  if (!msgExpr || !handler) fail(diag("bad-declaration", s.span, "Control_Dispatch takes a message and a procedure: Control_Dispatch Sys_Critical_Init, MyDev_Init"));
  if (s.operands.length > 2) fail(diag("bad-declaration", s.operands[2]?.span ?? s.span, "the C-handler form of Control_Dispatch (callc, <args>) is not supported"));
  const block = asm.controlDispatch;
  const message = asm.evaluator().constant(msgExpr) >>> 0;
  if (!block) {
    asm.expand(`cmp eax, ${message}\njz ${handler}`, s.span, "Control_Dispatch");
    return;
  }
  const dup = block.entries.find((e) => e.message === message);
  if (dup) fail(diag("bad-declaration", s.span, "this message is already dispatched", { related: [{ span: dup.span, message: "dispatched here" }] }));
  block.entries.push({ message, handler, span: asm.spanOf(s.span), conditional: asm.insideConditional });
}


function endDispatch(asm: Assembler, s: Command): void {
  const block = asm.controlDispatch;
  if (!block) fail(diag("unbalanced-block", s.span, "End_Control_Dispatch without Begin_Control_Dispatch"));
  const name = nameOf(s.operands[0]);
  if (name && name.toUpperCase() !== block.name.toUpperCase()) {
    asm.report(diag("bad-declaration", s.span, `End_Control_Dispatch names \`${name}\` but the open block is \`${block.name}\``));
  }
  asm.controlDispatch = null;
  const form = dispatchForm(block.entries);
  asm.dispatches.push({ name: block.name, proc: `${block.name}_Control`, entries: block.entries, low: form.low, jumpTable: form.jumpTable, span: block.span, unit: asm.unit });
  // Labels numbered by the block's place in this assembly: the same source always gets the same names.
  asm.expand(dispatchCode(block.entries, asm.dispatches.length), s.span, "End_Control_Dispatch");
  asm.endProc(null, s.span);
  asm.segments.pop();
}

/** Widest message range End_Control_Dispatch builds a jump table for; wider ones compare instead. */
const MAX_TABLE = 4096;

function dispatchForm(entries: readonly { message: number }[]): { low: number; jumpTable: boolean } {
  if (entries.length === 0) return { low: 0, jumpTable: false };
  let low = entries[0]!.message;
  let high = low;
  for (const e of entries) {
    low = Math.min(low, e.message);
    high = Math.max(high, e.message);
  }
  return { low, jumpTable: entries.length > 1 && high - low + 1 <= MAX_TABLE };
}

/** The code End_Control_Dispatch expands to (vmm-facts §6.3). */
function dispatchCode(entries: readonly { message: number; handler: string }[], id: number): string {
  if (entries.length === 0) return "clc\nret";
  const sorted = [...entries].sort((a, b) => a.message - b.message);
  const low = sorted[0]!.message;
  const high = sorted[sorted.length - 1]!.message;
  if (sorted.length === 1) return `cmp eax, ${hex(low)}\njz ${sorted[0]!.handler}\nclc\nret`;
  const ignore = `??cd_ignore_${id}`;
  const table = `??cd_table_${id}`;
  const count = high - low + 1;
  if (count > MAX_TABLE) {
    // A jump table this wide would be absurd; the DDK macro would build it anyway. Compare instead.
    return [...sorted.map((e) => `cmp eax, ${hex(e.message)}\njz ${e.handler}`), "clc", "ret"].join("\n");
  }
  const byValue = new Map(sorted.map((e) => [e.message, e.handler]));
  const rows: string[] = [];
  for (let v = low; v <= high; v++) rows.push(`dd OFFSET32 ${byValue.get(v) ?? ignore}`);
  return [
    ...(low > 0 ? [`sub eax, ${hex(low)}`] : []),
    `cmp eax, ${hex(count)}`,
    `jae ${ignore}`,
    `jmp dword ptr [eax*4 + ${table}]`,
    `${ignore}:`,
    "clc",
    "ret",
    `${table}:`,
    ...rows,
  ].join("\n");
}

function hex(n: number): string {
  return `0${(n >>> 0).toString(16).toUpperCase()}h`;
}

function beginProc(asm: Assembler, s: Command): void {
  const name = nameOf(s.operands[0]);
  if (!name) fail(diag("bad-declaration", s.span, "BeginProc needs a procedure name"));
  const options: string[] = [];
  let segment = "";
  for (const o of s.operands.slice(1)) {
    const opt = nameOf(o)?.toUpperCase();
    if (!opt) continue;
    if (SEGMENT_OPTIONS.has(opt)) {
      if (segment) fail(diag("bad-declaration", o!.span, "BeginProc takes at most one segment option"));
      segment = opt;
    } else if (!PROC_OPTIONS.has(opt)) {
      fail(diag("bad-declaration", o!.span, `\`${opt}\` is not a BeginProc option`, { help: `the options are ${[...PROC_OPTIONS, ...SEGMENT_OPTIONS].join(", ")}` }));
    }
    options.push(opt);
  }
  if (s.operands.length > 8) fail(diag("bad-declaration", s.span, "BeginProc takes at most 7 options"));
  if (segment) asm.openSegment(`VXD_${segment}_CODE`, s.span);
  asm.beginProc(name, s.span, options, segment || asm.currentSegmentClass());
  if (segment) (asm.procStack[asm.procStack.length - 1] as { openedSegment?: boolean }).openedSegment = true;
}

export type { SourceSpan };
