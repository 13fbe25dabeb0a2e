// The simulated VMM's first slice: VM handles, events, System_Control, debug output, faults.
import { describe, expect, it } from "vitest";
import { assemble } from "../../src/front/index.js";
import { runProgram } from "../../src/run/run-program.js";
import { VMCB_ID } from "../../src/vmm/tables/structures.js";
import { hex, run } from "../helpers/assemble.js";

const lines = (...l: string[]): string => ["include vmm.inc", ...l].join("\n") + "\n";

describe("VM handle services", () => {
  it("returns real control blocks with the VMCB signature and a client register pointer", () => {
    const r = run(lines("VMMcall Get_Sys_VM_Handle", "mov eax, [ebx.CB_Signature]", "mov ecx, [ebx.CB_VMID]", "mov edx, [ebx.CB_Client_Pointer]", "ret"));
    expect(r.registers.eax).toBe(VMCB_ID >>> 0);
    expect(r.registers.ecx).toBe(1);
    // EBP at entry to top-level code is the System VM's Client_Reg_Struc.
    expect(r.registers.edx).toBe(r.registers.ebp);
  });

  it("walks the VM list circularly with Get_Next_VM_Handle", () => {
    const r = run(lines("VMMcall Get_Sys_VM_Handle", "mov esi, ebx", "VMMcall Get_Next_VM_Handle", "mov ecx, [ebx.CB_VMID]", "VMMcall Get_Next_VM_Handle", "VMMcall Get_Next_VM_Handle", "cmp ebx, esi", "sete al", "ret"), { vms: 2 });
    expect(r.registers.ecx).toBe(2);
    expect(r.registers.eax & 0xff).toBe(1);
  });

  it("tests and validates handles with ZF and CF, changing nothing else", () => {
    const r = run(
      lines(
        "mov eax, 11111111h",
        "mov ecx, 22222222h",
        "VMMcall Get_Cur_VM_Handle",
        "VMMcall Test_Sys_VM_Handle",
        "setz dl",
        "VMMcall Validate_VM_Handle",
        "setc dh",
        "mov ebx, 12345678h",
        "VMMcall Validate_VM_Handle",
        "setc ch",
        "ret",
      ),
    );
    expect(r.registers.edx & 0xffff).toBe(0x0001);
    expect((r.registers.ecx >>> 8) & 0xff).toBe(1);
    expect(r.registers.eax).toBe(0x11111111);
  });

  it("reports version 4.00 in AX with CF clear", () => {
    const r = run(lines("stc", "VMMcall Get_VMM_Version", "ret"));
    expect(r.registers.eax & 0xffff).toBe(0x0400);
    expect(r.flags.cf).toBe(0);
  });
});

describe("Call_VM_Event", () => {
  const program = lines(
    "VMMcall Get_Cur_VM_Handle",
    "mov esi, OFFSET32 Callback",
    "mov edx, 1234h",
    "mov edi, 0EEEEh",
    "VMMcall Call_VM_Event",
    "mov [First], esi",
    "VMMcall Get_Next_VM_Handle",
    "mov esi, OFFSET32 Callback",
    "VMMcall Call_VM_Event",
    "mov [Second], esi",
    "ret",
    "BeginProc Callback",
    "  mov ecx, [ebx.CB_VMID]",
    "  Trace_Out \"cb VM=#ECX EDX=#EDX EBP=#EBP\"",
    "  mov eax, 0BADh",
    "  ret",
    "EndProc Callback",
    "First dd -1",
    "Second dd -1",
  );

  it("calls at once for the current VM (ESI = 0) and schedules for another (ESI = handle)", () => {
    const r = run(program, { vms: 1 });
    expect(r.status).toBe("ok");
    const out = r.output.trim().split("\n");
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^cb VM=00000001 EDX=00001234 EBP=/);
    expect(out[1]).toMatch(/^cb VM=00000002 EDX=00001234 EBP=/);
    // EBP in the callback points at that VM's Client_Reg_Struc: different per VM.
    expect(out[0]!.slice(-8)).not.toBe(out[1]!.slice(-8));
    const symbols = r.cpu.program.symbols;
    expect(r.readDword(symbols.get("FIRST")!.value)).toBe(0);
    const handle = r.readDword(symbols.get("SECOND")!.value);
    expect(handle).not.toBe(0);
    expect(handle).not.toBe(0xffffffff);
    // The caller's registers survive an immediate call (only ESI and flags change).
    expect(r.registers.eax).toBe(0);
    expect(r.registers.edi).toBe(0xeeee);
    expect(r.pendingEvents).toHaveLength(0);
    expect(r.timeline.some((t) => t.kind === "switch" && /VM 1 → VM 2/.test(t.text))).toBe(true);
  });

  it("refuses a VM handle that is not a VM", () => {
    const r = run(lines("mov ebx, 400000h", "mov esi, OFFSET32 Cb", "VMMcall Call_VM_Event", "ret", "Cb PROC", "ret", "Cb ENDP"));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-vm-handle" });
    expect(r.diagnostics[0]!.span?.line).toBe(4);
  });

  it("refuses a callback that is not code", () => {
    const r = run(lines("VMMcall Get_Cur_VM_Handle", "mov esi, OFFSET32 Data", "VMMcall Call_VM_Event", "ret", "Data dd 0"));
    expect(r.diagnostics[0]!.name).toBe("bad-jump");
    expect(r.diagnostics[0]!.span?.line).toBe(4);
  });

  it("checks the callback contract: EBP changed and DF left set are named", () => {
    const r = run(lines("VMMcall Get_Cur_VM_Handle", "mov esi, OFFSET32 Bad", "VMMcall Call_VM_Event", "ret", "Bad PROC", "  xor ebp, ebp", "  std", "  ret", "Bad ENDP"));
    expect(r.status).toBe("violation");
    const d = r.diagnostics[0]!;
    expect(d.name).toBe("callback-contract");
    expect(d.message).toContain("Bad");
    expect(d.message).toContain("EBP");
    expect(d.message).toContain("DF");
  });
});

describe("scheduled events and their handles", () => {
  it("runs global and VM events in the order they were scheduled", () => {
    const r = run(
      lines(
        "mov esi, OFFSET32 G",
        "VMMcall Schedule_Global_Event",
        "VMMcall Get_Cur_VM_Handle",
        "mov esi, OFFSET32 V",
        "VMMcall Schedule_VM_Event",
        "Trace_Out \"scheduled\"",
        "ret",
        "G PROC",
        "Trace_Out \"global\"",
        "ret",
        "G ENDP",
        "V PROC",
        "Trace_Out \"vm\"",
        "ret",
        "V ENDP",
      ),
    );
    expect(r.output).toBe("scheduled\nglobal\nvm\n");
  });

  it("cancels a pending event, and 0 is a no-op", () => {
    const r = run(lines("mov esi, OFFSET32 G", "VMMcall Schedule_Global_Event", "VMMcall Cancel_Global_Event", "xor esi, esi", "VMMcall Cancel_Global_Event", "ret", "G PROC", "Trace_Out \"ran\"", "ret", "G ENDP"));
    expect(r.status).toBe("ok");
    expect(r.output).toBe("");
  });

  it("names a cancel with the wrong service", () => {
    const r = run(lines("mov esi, OFFSET32 G", "VMMcall Schedule_Global_Event", "VMMcall Get_Cur_VM_Handle", "VMMcall Cancel_VM_Event", "ret", "G PROC", "ret", "G ENDP"));
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-event-handle" });
    expect(r.diagnostics[0]!.message).toContain("Cancel_Global_Event");
    expect(r.diagnostics[0]!.span?.line).toBe(5);
  });

  it("names a cancel after the event already ran, and goes on when asked to", () => {
    const src = lines(
      "mov esi, OFFSET32 G",
      "VMMcall Call_Global_Event", // runs at once: ESI = 0
      "mov esi, OFFSET32 G",
      "VMMcall Schedule_Global_Event",
      "mov [H], esi",
      "ret",
      "G PROC",
      "mov esi, [H]",
      "VMMcall Cancel_Global_Event", // cancels itself while running: already ran
      "Trace_Out \"after\"",
      "ret",
      "G ENDP",
      "H dd 0",
    );
    const stopped = run(src);
    expect(stopped.diagnostics.map((d) => d.name)).toEqual(["bad-event-handle"]);
    expect(stopped.diagnostics[0]!.message).toContain("already ran");
    const reported = run(src, { onViolation: "report" });
    expect(reported.output).toBe("after\nafter\n");
    expect(reported.status).toBe("violation");
  });
});

describe("System_Control", () => {
  const devices = (body: string[]): string =>
    lines(
      "Declare_Virtual_Device SENDER, 1, 0, Sender_Control, Undefined_Device_ID, Undefined_Init_Order",
      "Declare_Virtual_Device A_DEV, 1, 0, A_Control, Undefined_Device_ID, 1000h",
      "Declare_Virtual_Device B_DEV, 1, 0, B_Control, Undefined_Device_ID, 2000h",
      "BeginProc A_Control",
      "  cmp eax, 70000000h",
      "  jne @F",
      "  Trace_Out \"A got it: ECX=#ECX ESI=#ESI\"",
      "@@: clc",
      "  ret",
      "EndProc A_Control",
      "BeginProc B_Control",
      "  cmp eax, 70000000h",
      "  jne @F",
      "  Trace_Out \"B got it\"",
      "  stc",
      "  ret",
      "@@: clc",
      "  ret",
      "EndProc B_Control",
      "BeginProc Sender_Control",
      "  cmp eax, Init_Complete",
      "  jne done",
      ...body,
      "done: clc",
      "  ret",
      "EndProc Sender_Control",
    );

  it("broadcasts in init order, passes ESI/EDI/EDX but not ECX, and returns the first CF", () => {
    const r = run(devices(["mov eax, 70000000h", "mov ecx, 0CCCCCCCCh", "mov esi, 5", "mov edx, 7", "VMMcall System_Control", "setc al", "movzx eax, al", "Trace_Out \"CF=#AL ECX=#ECX EDX=#EDX\""]));
    expect(r.status).toBe("ok");
    const out = r.output.trim().split("\n");
    expect(out[0]).toMatch(/^A got it: ECX=(?!CCCCCCCC)[0-9A-F]{8} ESI=00000005$/);
    expect(out[1]).toBe("B got it");
    expect(out[2]).toBe("CF=01 ECX=CCCCCCCC EDX=00000007");
  });

  it("stops a device that sends a message only the VMM sends", () => {
    const r = run(devices(["mov eax, Sys_VM_Terminate", "VMMcall System_Control"]));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "illegal-system-control-send" });
    expect(r.diagnostics[0]!.message).toContain("SENDER");
    expect(r.diagnostics[0]!.notes).toContain("while device SENDER handled Init_Complete");
  });

  it("allows Set_Device_Focus from any device, nested inside another message", () => {
    const r = run(devices(["mov eax, Set_Device_Focus", "VMMcall Get_Sys_VM_Handle", "xor edx, edx", "VMMcall System_Control", "Trace_Out \"focus sent\""]));
    expect(r.status).toBe("ok");
    expect(r.output).toContain("focus sent");
  });

  it("rejects a message outside both ranges", () => {
    const r = run(devices(["mov eax, 1000h", "VMMcall System_Control"]));
    expect(r.diagnostics[0]!.name).toBe("private-message-range");
  });

  it("reports a device failing a message that cannot fail", () => {
    const r = run(lines("Declare_Virtual_Device FAILER, 1, 0, F_Control", "BeginProc F_Control", "cmp eax, System_Exit", "jne @F", "stc", "ret", "@@: clc", "ret", "EndProc F_Control"));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "message-cannot-fail" });
    expect(r.diagnostics[0]!.span?.line).toBe(2);
  });

  it("unloads a device that fails Device_Init: it gets no later messages", () => {
    const r = run(
      lines(
        "Declare_Virtual_Device QUITTER, 1, 0, Q_Control",
        "BeginProc Q_Control",
        "Trace_Out \"Q #EAX\"",
        "cmp eax, Device_Init",
        "jne @F",
        "stc",
        "ret",
        "@@: clc",
        "ret",
        "EndProc Q_Control",
      ),
    );
    expect(r.output).toBe("Q 00000000\nQ 00000001\n");
    expect(r.devices.find((d) => d.name === "QUITTER")!.loaded).toBe(false);
  });

  it("refuses two devices with one name or one device ID", () => {
    const file = (id: string) => ({ name: `${id}.asm`, text: lines(`Declare_Virtual_Device TWIN, 1, 0, C_${id}, 4242h`, `C_${id} PROC`, "clc", "ret", `C_${id} ENDP`) });
    const { program, diagnostics } = assemble([file("one"), file("two")]);
    expect(diagnostics).toHaveLength(0);
    const r = runProgram(program);
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "device-clash" });
    expect(r.diagnostics[0]!.span?.file).toBe("two.asm");
    expect(r.diagnostics[0]!.related?.[0]?.span.file).toBe("one.asm");
  });
});

describe("debug output and stops", () => {
  it("formats #REG by width and ?REG as the nearest label, preserving every register and flag", () => {
    const r = run(lines("mov eax, 89ABCDEFh", "mov esi, OFFSET32 Msg + 2", "stc", "Trace_Out \"#EAX #AX #AL #AH ?ESI\"", "setc bl", "ret", "Msg db 'hello', 0"));
    expect(r.output).toBe("89ABCDEF CDEF EF CD Msg+2\n");
    expect(r.registers.eax).toBe(0x89abcdef);
    expect(r.registers.ebx & 0xff).toBe(1);
  });

  it("prints an ASCIIZ string with Out_Debug_String", () => {
    const r = run(lines("mov esi, OFFSET32 Msg", "VMMcall Out_Debug_String", "ret", "Msg db 'line one', 13, 10, 0"));
    expect(r.output).toBe("line one\n");
  });

  it("stops at Fatal_Error with its message", () => {
    const r = run(lines("Fatal_Error OFFSET32 Msg", "ret", "Msg db 'out of widgets', 0"));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "fatal-error", message: "Fatal_Error: out of widgets" });
  });

  it("stops at a service that is not simulated, naming it", () => {
    const r = run(lines("VMMcall Simulate_Int", "ret"));
    expect(r.diagnostics[0]).toMatchObject({ name: "service-not-simulated" });
    expect(r.diagnostics[0]!.message).toContain("Simulate_Int");
  });

  it("stops a runaway loop at the step bound", () => {
    const r = run(lines("top: jmp top"), { maxSteps: 5000 });
    expect(r.status).toBe("fault");
    expect(r.diagnostics[0]).toMatchObject({ name: "step-limit" });
    expect(r.steps).toBe(5000);
  });

  it("gives a divide error with the line and a backtrace", () => {
    const r = run(lines("call Divide", "ret", "Divide PROC", "xor ecx, ecx", "div ecx", "ret", "Divide ENDP"));
    const d = r.diagnostics[0]!;
    expect(d.name).toBe("divide-error");
    expect(d.span?.line).toBe(6);
    expect(d.notes?.join("\n")).toContain("called from top-level code at test.asm:2");
  });

  it("refuses a memory size that cannot hold the program, saying what it needs, and runs in the smallest that can", () => {
    const program = assemble([{ name: "small.asm", text: lines("mov eax, [Value]", "ret", "Value dd 1234h") }]).program;
    const needed = 0x400000 + program.data.bytes.length + 0x2000;
    for (const size of [0x1000, 0x100000, needed - 1, -5, 1.5]) {
      expect(() => runProgram(program, { memorySize: size })).toThrow(new RangeError(`memorySize ${size} cannot hold this program: it needs a whole number of bytes from ${needed} (the data image ends at ${hex(0x400000 + program.data.bytes.length)}h, and a stack goes above it) to 4 GiB`));
    }
    const r = runProgram(program, { memorySize: needed });
    expect(r.status).toBe("ok");
    expect(r.registers.eax).toBe(0x1234);
  });

  it("keeps handles in the hex the tools print", () => {
    expect(hex(0x1234)).toBe("00001234");
  });
});
