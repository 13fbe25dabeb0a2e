// The REPL's machine, driven directly: each line shows what it changed, definitions persist,
// nothing breaks the session, and .undo puts registers, flags, memory and the VMM back.
import { describe, expect, it } from "vitest";
import { memoryFileSystem } from "../../src/front/files.js";
import { assemble } from "../../src/front/index.js";
import { ReplSession, rewrites, type LineResult } from "../../src/repl/session.js";

const asm = (text: string) => assemble([{ name: "t.asm", text }]).program;

function session(files: Record<string, string> = {}, options: { vms?: number; maxSteps?: number } = {}) {
  const s = new ReplSession({ fs: memoryFileSystem(files), ...options });
  const emitted: string[] = [];
  s.emit = (kind, text) => emitted.push(`${kind}: ${text.trimEnd()}`);
  const problems = s.start(Object.keys(files).filter((f) => f.startsWith("load")));
  return { s, emitted, problems };
}

function ok(r: LineResult): LineResult {
  if (r.status !== "ok") throw new Error(`expected ok, got ${r.status}: ${[...r.diagnostics.map((d) => d.message), ...r.notes].join("; ")}`);
  return r;
}

const reg = (r: LineResult, name: string) => r.changes?.registers.find((x) => x.name === name);

const CALLBACK = [
  "RefData  dd 11111111h",
  "RefData2 dd 22222222h",
  "Event    dd 0",
  [
    "BeginProc EventCallback",
    "\tmov\tdword ptr [Event], 0",
    "\tmov\teax, [edx]",
    "\tmov\tecx, [ebx.CB_VMID]",
    '\tTrace_Out "callback: VM #ECX, reference data #EAX"',
    "\tret",
    "EndProc EventCallback",
  ].join("\n"),
];

describe("a line at a time", () => {
  it("starts in the System VM with vmm.inc known and one more VM", () => {
    const { s, problems } = session();
    expect(problems).toEqual([]);
    expect(s.vmm.currentVm).toBe(s.vmm.sysVm);
    expect(s.vmm.vms.map((v) => v.id)).toEqual([1, 2]);
    const r = ok(s.submit("VMMcall Get_Cur_VM_Handle"));
    expect(reg(r, "ebx")).toEqual({ name: "ebx", before: 0, after: s.vmm.sysVm.handle >>> 0 });
    expect(r.changes?.registers).toHaveLength(1);
  });

  it("shows registers old → new, flags and memory written, and nothing else", () => {
    const { s } = session();
    ok(s.submit("x dd 5"));
    const r = ok(s.submit("mov eax, [x]\nadd eax, 0FFFFFFFBh\nmov [x], eax"));
    expect(r.changes?.registers).toEqual([]);
    expect(r.changes?.flags.map((f) => `${f.name}${f.before}${f.after}`).sort()).toEqual(["AF01", "CF01", "PF01", "ZF01"]);
    expect(r.changes?.memory).toEqual([{ address: 0x400000, before: [5, 0, 0, 0], after: [0, 0, 0, 0] }]);
    const nop = ok(s.submit("nop"));
    expect(nop.changes).toEqual({ registers: [], flags: [], memory: [], pending: { before: 0, after: 0 }, vm: { before: 1, after: 1 } });
  });

  it("keeps definitions: equates, data, procedures, macros and strucs", () => {
    const { s } = session();
    ok(s.submit("COUNT equ 3"));
    ok(s.submit("Pair STRUC\nLo dd ?\nHi dd ?\nPair ENDS"));
    ok(s.submit("p Pair <7, 9>"));
    ok(s.submit("Twice MACRO r\n add r, r\nENDM"));
    ok(s.submit("Sum PROC\n mov eax, [p.Lo]\n add eax, [p.Hi]\n Twice eax\n ret\nSum ENDP"));
    const r = ok(s.submit("mov ecx, COUNT\ncall Sum"));
    expect(reg(r, "eax")?.after).toBe(32);
    expect(reg(r, "ecx")?.after).toBe(3);
    // The return address the call pushed is below ESP again: not shown as memory written.
    expect(r.changes?.memory).toEqual([]);
    const pushed = ok(s.submit("push 12345678h")).changes?.memory;
    expect(pushed?.map((m) => [m.address, m.after])).toEqual([[0xffeff8, [0x78, 0x56, 0x34, 0x12]]]);
    expect(s.symbolNames()).toEqual(expect.arrayContaining(["COUNT", "Pair", "p", "Twice", "Sum"]));
  });

  it("runs a loop whose label was typed on a line of its own, jumping back into earlier lines", () => {
    const { s } = session();
    ok(s.submit("mov ecx, 5"));
    ok(s.submit("again:\ninc eax"));
    const r = ok(s.submit("loop again"));
    expect(reg(r, "eax")?.after).toBe(5);
    expect(reg(r, "ecx")?.after).toBe(0);
  });

  it("does not run a procedure that is only being defined", () => {
    const { s } = session();
    const r = ok(s.submit("Boom PROC\n mov eax, [0]\n ret\nBoom ENDP"));
    expect(r.changes?.registers).toEqual([]);
  });

  it("treats a top-level ret as a return to the VMM: pending events run, the next line goes on", () => {
    const { s, emitted } = session();
    for (const l of CALLBACK) ok(s.submit(l));
    ok(s.submit("VMMcall Get_Cur_VM_Handle"));
    ok(s.submit("VMMcall Get_Next_VM_Handle"));
    ok(s.submit("mov esi, OFFSET32 EventCallback\nmov edx, OFFSET32 RefData2"));
    const sched = ok(s.submit("VMMcall Call_VM_Event"));
    expect(sched.changes?.pending).toEqual({ before: 0, after: 1 });
    expect(reg(sched, "esi")?.after).not.toBe(0);
    expect(emitted.some((e) => /scheduled/.test(e))).toBe(true);
    const ret = ok(s.submit("ret"));
    expect(ret.notes.join()).toMatch(/returned to the VMM/);
    expect(ret.changes?.pending).toEqual({ before: 1, after: 0 });
    expect(ret.changes?.vm).toEqual({ before: 1, after: 2 });
    expect(emitted.join("\n")).toMatch(/output: callback: VM 00000002, reference data 22222222/);
    expect(reg(ok(s.submit("mov eax, 1")), "eax")?.after).toBe(1);
  });
});

describe("nothing kills the session", () => {
  it("reports a syntax error and keeps nothing of the line", () => {
    const { s } = session();
    ok(s.submit("mov eax, 1"));
    const r = s.submit("mov eax, (2");
    expect(r.status).toBe("source-error");
    expect(r.diagnostics[0]?.name).toBe("syntax-error");
    expect(r.diagnostics[0]?.span?.line).toBe(4);
    expect(r.sources?.get("repl")).toContain("mov eax, (2");
    expect(s.source()).not.toContain("mov eax, (2");
    expect(s.cpu.regs[0]).toBe(1);
  });

  it("undoes a line that faults, with what it wrote", () => {
    const { s } = session();
    ok(s.submit("x dd 1"));
    const r = s.submit("mov eax, 7\nmov [x], eax\npush eax\nmov ebx, [0]");
    expect(r.status).toBe("fault");
    expect(r.diagnostics[0]?.name).toBe("null-pointer");
    expect(r.notes.join()).toMatch(/back as it was/);
    expect(s.cpu.regs[0]).toBe(0);
    expect(s.cpu.memory.read32(0x400000)).toBe(1);
    expect(s.cpu.regs[4]! >>> 0).toBe((s.cpu.stackTop - 4) >>> 0);
    expect(s.source()).not.toContain("mov eax, 7");
  });

  it("undoes a VMM rule break, VMM state included", () => {
    const { s } = session();
    ok(s.submit("Cb PROC\n ret\nCb ENDP"));
    ok(s.submit("VMMcall Get_Cur_VM_Handle\nVMMcall Get_Next_VM_Handle\nmov esi, OFFSET32 Cb"));
    const r = s.submit("VMMcall Schedule_VM_Event\nmov ebx, 12345h\nVMMcall Call_VM_Event");
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]?.name).toBe("bad-vm-handle");
    expect(s.inspect(() => s.vmm.events.pending().length)).toBe(0);
  });

  it("stops a runaway loop at the step bound", () => {
    const { s } = session({}, { maxSteps: 10_000 });
    const r = s.submit("spin: jmp spin");
    expect(r.status).toBe("fault");
    expect(r.diagnostics[0]?.name).toBe("step-limit");
    expect(ok(s.submit("mov eax, 2")).changes?.registers).toHaveLength(1);
  });

  it("stops a line when asked to (Ctrl-C)", () => {
    const { s } = session();
    let polls = 0;
    s.interrupted = () => ++polls > 3;
    const r = s.submit("spin: jmp spin");
    expect(r.status).toBe("interrupted");
    expect(r.diagnostics[0]?.name).toBe("interrupted");
    s.interrupted = () => false;
    ok(s.submit("nop"));
  });

  it("keeps earlier branches of conditional assembly as they were (one pass)", () => {
    const { s } = session();
    ok(s.submit("IFDEF LATER\n mov eax, 1\nENDIF"));
    ok(s.submit("mov ebx, 2"));
    ok(s.submit("LATER equ 1"));
    expect(ok(s.submit("IFDEF LATER\n mov eax, 1\nENDIF")).changes?.registers[0]?.after).toBe(1);
  });

  it("would refuse a line that moves code or data assembled before it", () => {
    const a = asm("mov eax, 1\nx dd 1\nmov ebx, 2\n");
    expect(rewrites(a, asm("mov eax, 1\nx dd 1\nmov ebx, 2\nmov ecx, 3\n"), 2)).toBeNull();
    expect(rewrites(a, asm("nop\nmov eax, 1\nx dd 1\nmov ebx, 2\n"), 2)?.line).toBe(1);
    expect(rewrites(a, asm("y dd 0\nmov eax, 1\nx dd 1\nmov ebx, 2\n"), 2)).not.toBeNull();
  });

  it("ignores END, which would end the session's source", () => {
    const { s } = session();
    const r = s.submit("end");
    expect(r.notes.join()).toMatch(/END ends a source file/);
    expect(ok(s.submit("mov eax, 3")).changes?.registers[0]?.after).toBe(3);
  });

  it("ignores blank lines and comments", () => {
    const { s } = session();
    expect(s.submit("   ").status).toBe("empty");
    expect(s.submit("; a comment").status).toBe("empty");
  });
});

describe(".undo", () => {
  it("steps back one line at a time: registers, flags, memory, source", () => {
    const { s } = session();
    ok(s.submit("x dd 1"));
    ok(s.submit("mov eax, 5\nstc"));
    ok(s.submit("mov [x], eax\nclc\nmov ebx, 9"));
    expect(s.undo()).toMatch(/mov \[x\], eax/);
    expect(s.cpu.memory.read32(0x400000)).toBe(1);
    expect(s.cpu.getFlag("cf")).toBe(true);
    expect(s.cpu.regs[3]).toBe(0);
    expect(s.undo()).toMatch(/mov eax, 5/);
    expect(s.cpu.regs[0]).toBe(0);
    expect(s.undo()).toBe("x dd 1");
    expect(s.submit("mov eax, [x]").status).toBe("source-error");
    expect(s.undo()).toBeNull();
  });

  it("puts back the event queue, the current VM and the VMM's memory", () => {
    const { s } = session();
    for (const l of CALLBACK) ok(s.submit(l));
    ok(s.submit("VMMcall Get_Cur_VM_Handle\nVMMcall Get_Next_VM_Handle\nmov esi, OFFSET32 EventCallback\nmov edx, OFFSET32 RefData2"));
    ok(s.submit("VMMcall Call_VM_Event"));
    ok(s.submit("ret"));
    expect(s.vmm.currentVm.id).toBe(2);
    expect(s.undo()).toBe("ret");
    expect(s.vmm.currentVm.id).toBe(1);
    expect(s.inspect(() => s.vmm.events.pending().length)).toBe(1);
    // The event runs again, the same way, when the VMM is returned to again.
    const again = ok(s.runEvents());
    expect(again.changes?.pending).toEqual({ before: 1, after: 0 });
    expect(s.undo()).toBe(".events run");
    expect(s.undo()).toBe("VMMcall Call_VM_Event");
    expect(s.inspect(() => s.vmm.events.pending().length)).toBe(0);
  });

  it("undoes a time-out and the time that passed", () => {
    const { s } = session();
    ok(s.submit("Fired dd 0\nTick PROC\n inc dword ptr [Fired]\n ret\nTick ENDP"));
    ok(s.submit("mov eax, 50\nmov esi, OFFSET32 Tick\nVMMcall Set_Global_Time_Out"));
    const wait = ok(s.runEvents(100));
    expect(wait.changes?.memory.some((m) => m.address === 0x400000)).toBe(true);
    expect(s.vmm.clock.now).toBe(100);
    expect(s.undo()).toBe(".wait 100");
    expect(s.vmm.clock.now).toBe(0);
    expect(s.cpu.memory.read32(0x400000)).toBe(0);
    ok(s.submit("VMMcall Cancel_Time_Out"));
    ok(s.runEvents(100));
    expect(s.cpu.memory.read32(0x400000)).toBe(0);
  });
});

describe("breakpoints and stepping", () => {
  it("stops at a breakpoint inside a callback the VMM calls, steps, continues", () => {
    const { s, emitted } = session();
    for (const l of CALLBACK) ok(s.submit(l));
    const cb = s.program.symbols.get("EVENTCALLBACK")!;
    s.breakpoints.set(cb.value - s.program.codeBase, "EventCallback");
    ok(s.submit("VMMcall Get_Cur_VM_Handle\nmov esi, OFFSET32 EventCallback\nmov edx, OFFSET32 RefData"));
    const stop = s.submit("VMMcall Call_VM_Event");
    expect(stop.status).toBe("stopped");
    expect(stop.stop?.index).toBe(cb.value - s.program.codeBase);
    expect(stop.stop?.backtrace.length).toBeGreaterThan(0);
    expect(s.cpu.regs[2]! >>> 0).toBe(0x400000);
    expect(s.submit("nop").status).toBe("refused");
    const one = s.step();
    expect(one.status).toBe("stopped");
    expect(one.changes?.memory).toEqual([]);
    const two = s.step();
    expect(two.changes?.registers.map((r) => r.name)).toEqual(["eax"]);
    const before = emitted.length;
    const done = s.continue();
    expect(done.status).toBe("ok");
    expect(emitted.slice(before).filter((e) => e.startsWith("vmm:"))).toEqual([]);
    expect(emitted.slice(before).join()).toMatch(/callback: VM 00000001/);
    expect(s.cpu.regs[6]).toBe(0);
    expect(s.undo()).toBe("VMMcall Call_VM_Event");
    expect(s.cpu.regs[6]! >>> 0).toBe(s.program.symbols.get("EVENTCALLBACK")!.value >>> 0);
  });

  it("arms a stop before the next line's first instruction; .undo abandons a stopped line", () => {
    const { s } = session();
    expect(s.step().notes.join()).toMatch(/next line stops/);
    const r = s.submit("mov eax, 1\nmov ebx, 2");
    expect(r.status).toBe("stopped");
    expect(r.stop?.steps).toBe(0);
    expect(s.step().changes?.registers.map((x) => x.name)).toEqual(["eax"]);
    expect(s.undo()).toBe("mov eax, 1\nmov ebx, 2");
    expect(s.stopped).toBeNull();
    expect(s.cpu.regs[0]).toBe(0);
    expect(s.source()).not.toContain("mov ebx, 2");
    expect(s.continue().status).toBe("refused");
  });
});

describe("files and devices", () => {
  const device = [
    "include vmm.inc",
    "Declare_Virtual_Device MSGLOG, 1, 0, MSGLOG_Control, Undefined_Device_ID, Undefined_Init_Order",
    "Begin_Control_Dispatch MSGLOG",
    "\tControl_Dispatch Device_Init, Log_Init",
    "End_Control_Dispatch MSGLOG",
    "VxD_LOCKED_CODE_SEG",
    "BeginProc Log_Init",
    '\tTrace_Out "MSGLOG: Device_Init"',
    "\tclc",
    "\tret",
    "EndProc Log_Init",
    "BeginProc Double",
    "\tadd eax, eax",
    "\tret",
    "EndProc Double",
    "VxD_LOCKED_CODE_ENDS",
    "Table dd 1, 2, 3",
    "\tend",
  ].join("\n");

  it("loads the command line's files: their devices boot, their procedures can be called", () => {
    const { s, emitted, problems } = session({ "load.asm": device });
    expect(problems).toEqual([]);
    expect(s.vmm.devices.map((d) => d.name)).toContain("MSGLOG");
    expect(emitted.join()).toMatch(/MSGLOG: Device_Init/);
    const r = ok(s.submit("mov eax, [Table+4]\ncall Double"));
    expect(reg(r, "eax")?.after).toBe(4);
    expect(s.source()).toContain("include load.asm");
  });

  it("loads a file later with .load and initialises its device alone", () => {
    const { s, emitted } = session({ "dev.asm": device });
    ok(s.submit("mov eax, 21"));
    const r = ok(s.load("dev.asm"));
    expect(r.status).toBe("ok");
    expect(emitted.join("\n")).toMatch(/Device_Init EBX=00100000h → 1 device/);
    expect(reg(ok(s.submit("call Double")), "eax")?.after).toBe(42);
    expect(s.undo()).toBe("call Double");
    expect(s.undo()).toBe(".load dev.asm");
    expect(s.vmm.devices.map((d) => d.name)).not.toContain("MSGLOG");
    expect(s.submit("call Double").status).toBe("source-error");
  });

  it("takes a device declared line by line: its init messages go to it alone; .undo unloads it", () => {
    const { s, emitted } = session();
    ok(s.submit("Seen dd 0\nBeginProc My_Init\n inc dword ptr [Seen]\n clc\n ret\nEndProc My_Init"));
    ok(s.submit("Begin_Control_Dispatch MYDEV\nControl_Dispatch Device_Init, My_Init\nControl_Dispatch Sys_VM_Init, My_Init\nEnd_Control_Dispatch MYDEV"));
    ok(s.submit("mov eax, 77h"));
    const r = ok(s.submit("Declare_Virtual_Device MYDEV, 1, 0, MYDEV_Control, Undefined_Device_ID, Undefined_Init_Order"));
    expect(s.cpu.memory.read32(0x400000)).toBe(2);
    expect(r.changes?.registers).toEqual([]);
    expect(emitted.filter((e) => /MYDEV ←/.test(e))).toHaveLength(4);
    expect(s.vmm.devices.map((d) => d.name)).toContain("MYDEV");
    s.undo();
    expect(s.vmm.devices.map((d) => d.name)).not.toContain("MYDEV");
    expect(s.cpu.memory.read32(0x400000)).toBe(0);
  });

  it("starts without a file that does not assemble, and says so", () => {
    const { s, problems } = session({ "load-bad.asm": "include vmm.inc\n\tmov eax, (1\n" });
    expect(problems.map((d) => d.name)).toEqual(["syntax-error", "usage"]);
    expect(problems[1]?.message).toMatch(/not loaded/);
    ok(s.submit("mov eax, 1"));
  });

  it("reports a file it cannot read", () => {
    const { s } = session();
    expect(s.load("nowhere.asm").diagnostics[0]?.name).toBe("file-not-found");
  });

  it("starts again with .reset", () => {
    const { s } = session();
    ok(s.submit("mov eax, 1"));
    expect(s.start()).toEqual([]);
    expect(s.cpu.regs[0]).toBe(0);
    expect(s.undo()).toBeNull();
    expect(s.source()).not.toContain("mov eax, 1");
  });
});
