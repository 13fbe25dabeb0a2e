// The engine under the rules: procedures and their CFGs, the call graph with the procedures handed
// to the VMM as callbacks, constant propagation, and lint going on past what it cannot read.
import { describe, expect, it } from "vitest";
import { Op } from "../../src/ir/types.js";
import { lint } from "../../src/lint/lint.js";
import type { LintProgram } from "../../src/lint/program.js";
import { K_CONST, K_SYM } from "../../src/lint/values.js";

function program(text: string): LintProgram {
  return lint([{ name: "t.asm", text: `\t.386p\n\tinclude vmm.inc\n\tinclude vpicd.inc\n${text}` }]).program;
}

const procNamed = (p: LintProgram, name: string) => p.procs.find((x) => x.name === name)!;

describe("procedures and control-flow graphs", () => {
  it("splits a procedure into basic blocks with their successors", () => {
    const p = program(`BeginProc Loop_It
\tmov\tecx, 4
@@:\tdec\tecx
\tjnz\t@B
\tcmp\teax, 1
\tje\tshort Done
\tinc\teax
Done:\tret
EndProc Loop_It
`);
    const g = p.cfg(procNamed(p, "Loop_It"));
    expect(g.blocks.map((b) => [b.end - b.start, b.succ, b.exits])).toEqual([
      [1, [1], false],
      [2, [1, 2], false],
      [2, [4, 3], false],
      [1, [4], false],
      [1, [], true],
    ]);
  });

  it("counts top-level code as a procedure of its own", () => {
    const p = program("\tmov\teax, 1\n\tret\n");
    expect(p.procs.filter((x) => x.topLevel).map((x) => x.name)).toEqual(["top-level code of t.asm"]);
  });
});

describe("the call graph", () => {
  it("has calls, tail jumps, the DDB's control procedure, dispatch entries and callbacks", () => {
    const p = program(`Declare_Virtual_Device CG, 1, 0, CG_Control, Undefined_Device_ID, Undefined_Init_Order
VxD_LOCKED_DATA_SEG
Desc\tVPICD_IRQ_Descriptor <5, 0, OFFSET32 CG_Hw_Int>
VxD_LOCKED_DATA_ENDS
Begin_Control_Dispatch CG
\tControl_Dispatch Device_Init, CG_Init
End_Control_Dispatch CG
VxD_LOCKED_CODE_SEG
BeginProc CG_Init
\tcall\tCG_Helper
\tmov\tesi, OFFSET32 CG_Event
\tVMMcall Schedule_Global_Event
\tmov\teax, 10
\tmov\tesi, OFFSET32 CG_Late
\tVMMcall Set_Async_Time_Out
\tjmp\tCG_Tail
EndProc CG_Init
BeginProc CG_Helper
\tret
EndProc CG_Helper
BeginProc CG_Tail
\tclc
\tret
EndProc CG_Tail
BeginProc CG_Event
\tret
EndProc CG_Event
BeginProc CG_Late
\tret
EndProc CG_Late
BeginProc CG_Hw_Int
\tclc
\tret
EndProc CG_Hw_Int
VxD_LOCKED_CODE_ENDS
`);
    const name = (i: number) => (i < 0 ? "VMM" : p.procs[i]!.name);
    const edges = p.callGraph().map((e) => `${name(e.from)} -${e.kind}-> ${name(e.to)}${e.kind === "callback" ? ` (${e.via})` : ""}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        "VMM -control-> CG_Control",
        "CG_Control -dispatch-> CG_Init",
        "CG_Init -call-> CG_Helper",
        "CG_Init -tail-jump-> CG_Tail",
        "CG_Init -callback-> CG_Event (Schedule_Global_Event)",
        "CG_Init -callback-> CG_Late (Set_Async_Time_Out)",
      ]),
    );
    const kinds = p.facts.ctxs.filter((c) => c.kind !== "message").map((c) => `${c.kind} ${p.procAt(c.root)!.name}${c.interruptTime ? " (interrupt time)" : ""}`);
    expect(kinds).toEqual(expect.arrayContaining(["hw-int CG_Hw_Int (interrupt time)", "event CG_Event", "async-time-out CG_Late (interrupt time)"]));
  });
});

describe("constant propagation", () => {
  /** EAX, ECX … at the first System_Control call. */
  function atSend(body: string) {
    const p = program(`BeginProc Send\n${body}\n\tVMMcall System_Control\n\tret\nEndProc Send\n`);
    const call = p.facts.serviceCalls.find((c) => c.name === "System_Control")!;
    return call.regs.map((v) => (v.k === K_CONST ? v.n : v.k === K_SYM ? `${v.base}${v.off ? `+${v.off}` : ""}` : "?"));
  }

  it("follows mov, equates, register copies, xor r,r and simple arithmetic", () => {
    expect(atSend("MSG equ Create_VM + 1\n\tmov\tebx, MSG\n\tmov\teax, ebx")[0]).toBe(8);
    expect(atSend("\txor\teax, eax\n\tadd\teax, Destroy_VM\n\tinc\teax\n\tshl\teax, 1")[0]).toBe(26);
    expect(atSend("\tmov\tedx, 5\n\tpush\tedx\n\tpop\teax\n\tsub\teax, 2")[0]).toBe(3);
    expect(atSend("\tmov\tal, 7\n\tmov\tah, 1")[0]).toBe("?");
    expect(atSend("\txor\teax, eax\n\tmov\tal, 7\n\tmov\tah, 1")[0]).toBe(0x107);
    expect(atSend("\tlea\teax, [ebx+8]")[0]).toBe("EBX+8");
  });

  it("decides branches it can, and learns from the others", () => {
    expect(atSend("\tmov\teax, 1\n\tcmp\teax, 1\n\tje\t@F\n\tmov\teax, 99\n@@:")[0]).toBe(1);
    expect(atSend("\tcmp\teax, Create_VM\n\tjne\t@F\n\tmov\tecx, eax\n@@:")[1]).toBe("?");
    expect(atSend("\tcmp\teax, Create_VM\n\tjne\tshort Out\n\tmov\tedx, eax\n\tmov\teax, edx\n\tVMMcall System_Control\nOut:")[0]).toBe(7); // Create_VM, learnt from the jne
  });

  it("runs the control procedure once per message, with EAX holding it", () => {
    const p = program(`Declare_Virtual_Device ONE, 1, 0, ONE_Control, Undefined_Device_ID, Undefined_Init_Order
BeginProc ONE_Control
\tcmp\teax, Device_Init
\tjne\tshort Skip
\tsti
Skip:\tclc
\tret
EndProc ONE_Control
`);
    const sti = p.facts.notable.filter((f) => p.instrs[f.index]!.op === Op.STI).map((f) => f.ctx.message);
    expect(sti).toEqual([1]);
  });
});

describe("what lint cannot read", () => {
  it("notes an unknown macro and a missing include once each, and checks the rest", () => {
    const r = lint([{ name: "u.asm", text: "\tinclude vmm.inc\n\tinclude nowhere.inc\n\tMy_Macro 1\n\tMy_Macro 2\n\tmov\teax, Create_VM\n\tVMMcall System_Control\n\tret\n" }]);
    expect(r.findings.map((f) => `${f.name}:${f.span?.line}`)).toEqual(["unresolved:2", "unresolved:3", "illegal-system-control-send:6"]);
    expect(r.findings[1]!.message).toContain("(2 places)");
  });
});

describe("the service calls by name", () => {
  it("gives the calls of the services asked for, in the order the analysis recorded them", () => {
    const p = program(`Declare_Virtual_Device SI, 1, 0, SI_Control, Undefined_Device_ID, Undefined_Init_Order
VxD_LOCKED_CODE_SEG
BeginProc SI_Control
\tVMMcall Get_Cur_VM_Handle
\tmov\teax, 70000001h
\tVMMcall System_Control
\tVMMcall Get_System_Time
\tVxDcall Directed_Sys_Control
\tVMMcall System_Control
\tclc
\tret
EndProc SI_Control
VxD_LOCKED_CODE_ENDS
`);
    const all = p.facts.serviceCalls;
    const sends = p.serviceCalls.of("System_Control", "Directed_Sys_Control");
    expect(sends.length).toBeGreaterThan(0);
    expect(sends).toEqual(all.filter((c) => c.name === "System_Control" || c.name === "Directed_Sys_Control"));
    expect(new Set(sends.map((c) => c.name))).toEqual(new Set(["System_Control", "Directed_Sys_Control"]));
    expect(p.serviceCalls.where((name) => name.startsWith("Get_"))).toEqual(all.filter((c) => c.name.startsWith("Get_")));
    expect(p.serviceCalls.of("Not_A_Service")).toEqual([]);
  });
});

describe("the returns of the roots by kind", () => {
  it("gives the returns that leave a root itself, in the order the analysis recorded them", () => {
    const p = program(`Declare_Virtual_Device RR, 1, 0, RR_Control, Undefined_Device_ID, Undefined_Init_Order
VxD_LOCKED_CODE_SEG
BeginProc RR_Control
\tcall\tRR_Helper
\tmov\tesi, OFFSET32 RR_Event
\tVMMcall Schedule_Global_Event
\tclc
\tret
EndProc RR_Control
BeginProc RR_Helper
\tret
EndProc RR_Helper
BeginProc RR_Event
\tret
EndProc RR_Event
VxD_LOCKED_CODE_ENDS
`);
    const returns = p.facts.returns;
    const messages = p.rootReturns.of("message");
    expect(messages.length).toBeGreaterThan(1);
    expect(messages).toEqual(returns.filter((r) => r.ctx.kind === "message"));
    expect(messages.every((r) => p.procAt(r.index)!.name === "RR_Control")).toBe(true);
    expect(p.rootReturns.of("event", "message")).toEqual(returns.filter((r) => r.ctx.kind === "event" || r.ctx.kind === "message"));
    // RR_Helper's return leaves a procedure the root called, not the root.
    expect(returns.some((r) => p.procAt(r.index)!.name === "RR_Helper")).toBe(false);
    expect(p.rootReturns.of("event").map((r) => p.procAt(r.index)!.name)).toEqual(["RR_Event"]);
  });
});
