// Each DDK rule the runtime enforces: a program that breaks it and one that keeps it.
import { describe, expect, it } from "vitest";
import { emptyScenario, parseScenario } from "../../src/run/scenario.js";
import { asm, errors, run } from "../helpers/assemble.js";

/** A device whose handler for `message` runs `body` (then answers CF = 0); other messages: CF = 0. */
function device(message: string, body: string[], name = "RULES"): string {
  return [
    "include vmm.inc",
    `Declare_Virtual_Device ${name}, 1, 0, ${name}_Control, Undefined_Device_ID, Undefined_Init_Order`,
    `BeginProc ${name}_Control`,
    `cmp eax, ${message}`,
    "jne other",
    ...body,
    "other: clc",
    "ret",
    `EndProc ${name}_Control`,
  ].join("\n");
}

describe("who may send which message (vmm-facts §1.3, §7 rule 5)", () => {
  it.each([
    ["Power_Event", "VPOWERD"],
    ["End_PM_App", "DOSMGR"],
    ["Destroy_VM", "SHELL"],
    ["Destroy_VM2", "the VMM"],
    ["Sys_VM_Terminate", "the VMM"],
  ])("a device sending %s is stopped (only %s sends it)", (message, who) => {
    const r = run(device("Init_Complete", [`mov eax, ${message}`, "VMMcall Get_Sys_VM_Handle", "VMMcall System_Control"]));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]!.name).toBe("illegal-system-control-send");
    expect(r.diagnostics[0]!.message).toContain(who === "the VMM" ? "only the VMM sends" : `only ${who} may send`);
  });

  it("keeps Set_Device_Focus from inside a Destroy_VM handler", () => {
    const r = run(device("Destroy_VM", ["mov eax, Set_Device_Focus", "VMMcall Get_Sys_VM_Handle", "xor edx, edx", "xor esi, esi", "VMMcall System_Control", 'Trace_Out "focus back to the System VM"']), { vms: 1 });
    expect(r.status).toBe("ok");
    expect(r.output).toBe("focus back to the System VM\n");
  });

  it("sends a private message to one device with Directed_Sys_Control", () => {
    const src = [
      "include vmm.inc",
      "Declare_Virtual_Device ONE, 1, 0, One_Control",
      "Declare_Virtual_Device TWO, 1, 0, Two_Control",
      "BeginProc One_Control",
      "cmp eax, Init_Complete",
      "jne @F",
      "mov eax, 70000010h",
      "mov ecx, OFFSET32 TWO_DDB",
      "VMMcall Directed_Sys_Control",
      "@@: clc",
      "ret",
      "EndProc One_Control",
      "BeginProc Two_Control",
      "cmp eax, 70000010h",
      "jne @F",
      'Trace_Out "TWO got the private message"',
      "@@: clc",
      "ret",
      "EndProc Two_Control",
    ].join("\n");
    const r = run(src);
    expect(r.output).toBe("TWO got the private message\n");
  });
});

describe("interrupts during critical init (§7 rule 7)", () => {
  it("stops a Sys_Critical_Init handler that enables interrupts", () => {
    const r = run(device("Sys_Critical_Init", ["sti"]));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "interrupts-enabled" });
    expect(r.diagnostics[0]!.message).toContain("Sys_Critical_Init");
  });

  it("keeps one that leaves them disabled, and one that enables them in Device_Init", () => {
    expect(run(device("Sys_Critical_Init", ["pushfd", "pop eax"])).status).toBe("ok");
    expect(run(device("Device_Init", ["sti"])).status).toBe("ok");
  });

  it("enters VM_Critical_Init with interrupts disabled and VM_Init with them enabled", () => {
    const src = [
      "include vmm.inc",
      "Declare_Virtual_Device IFCHK, 1, 0, IfChk_Control",
      "BeginProc IfChk_Control",
      "cmp eax, VM_Critical_Init",
      "je show",
      "cmp eax, VM_Init",
      "jne done",
      "show: pushfd",
      "pop ecx",
      "shr ecx, 9",
      "and ecx, 1",
      'Trace_Out "message #AL IF=#CL"',
      "done: clc",
      "ret",
      "EndProc IfChk_Control",
    ].join("\n");
    expect(run(src, { vms: 1 }).output).toBe("message 08 IF=00\nmessage 09 IF=01\n");
  });
});

describe("simulated interrupts (§7 rule 6)", () => {
  it("stops Simulate_Int during VM_Critical_Init", () => {
    const r = run(device("VM_Critical_Init", ["mov eax, 21h", "VMMcall Simulate_Int"]), { vms: 1 });
    expect(r.diagnostics[0]).toMatchObject({ name: "simulate-int-forbidden" });
  });

  it("lets Device_Init ask for it (where the simulation does not model it)", () => {
    const r = run(device("Device_Init", ["VMMcall Exec_Int"]));
    expect(r.diagnostics[0]).toMatchObject({ name: "service-not-simulated" });
  });
});

describe("a hardware-interrupt procedure (§7 rules 12, 14)", () => {
  const irqDevice = (body: string[]) =>
    [
      "include vmm.inc",
      "include vpicd.inc",
      "Declare_Virtual_Device HWDEV, 1, 0, Hw_Control",
      "Desc VPICD_IRQ_Descriptor <3, 0, OFFSET32 Hw_Int>",
      "BeginProc Hw_Control",
      "cmp eax, Device_Init",
      "jne @F",
      "mov edi, OFFSET32 Desc",
      "VxDcall VPICD_Virtualize_IRQ",
      "@@: clc",
      "ret",
      "EndProc Hw_Control",
      "BeginProc Hw_Int",
      ...body,
      "clc",
      "ret",
      "EndProc Hw_Int",
    ].join("\n");
  const irqAt5 = (): ReturnType<typeof emptyScenario> => {
    const s = emptyScenario();
    parseScenario("at 5 irq 3", "t", s);
    return s;
  };

  it("stops a non-asynchronous service called from it", () => {
    const r = run(irqDevice(["VMMcall Get_Next_VM_Handle"]), { scenario: irqAt5() });
    expect(r.diagnostics[0]).toMatchObject({ name: "non-async-at-interrupt-time" });
    expect(r.diagnostics[0]!.notes).toContain("at hardware-interrupt time");
  });

  it("stops one that changes EDI", () => {
    const r = run(irqDevice(["mov edi, 12345678h"]), { scenario: irqAt5() });
    expect(r.diagnostics[0]).toMatchObject({ name: "callback-contract" });
    expect(r.diagnostics[0]!.message).toContain("EDI");
  });

  it("keeps one that uses only asynchronous services and the registers it may change", () => {
    const r = run(irqDevice(["VxDcall VPICD_Phys_EOI", "VMMcall Get_Cur_VM_Handle", "mov esi, OFFSET32 Hw_Int", "xor edx, edx"]), { scenario: irqAt5() });
    expect(r.status).toBe("ok");
  });

  it("refuses a second device on an IRQ that cannot be shared", () => {
    const src = irqDevice([]).replace("VxDcall VPICD_Virtualize_IRQ", "VxDcall VPICD_Virtualize_IRQ\nmov edi, OFFSET32 Desc\nVxDcall VPICD_Virtualize_IRQ\nsetc bl\nTrace_Out \"second: CF=#BL\"");
    expect(run(src).output).toBe("second: CF=01\n");
  });
});

describe("VMMcall and VxDcall", () => {
  it("refuses VMMcall of another device's service at assembly", () => {
    const e = errors(asm("include vmm.inc\ninclude vpicd.inc\nVMMcall VPICD_Phys_EOI\n").diagnostics);
    expect(e[0]).toMatchObject({ name: "unknown-service" });
    expect(e[0]!.message).toContain("VPICD service");
    expect(e[0]!.help).toContain("VxDcall");
  });
});

describe("event handles and the critical section (§4.2, §7 rule 20)", () => {
  it("names a VM event cancelled with another VM's handle", () => {
    const r = run(
      ["include vmm.inc", "VMMcall Get_Sys_VM_Handle", "VMMcall Get_Next_VM_Handle", "mov esi, OFFSET32 Cb", "VMMcall Schedule_VM_Event", "VMMcall Get_Sys_VM_Handle", "VMMcall Cancel_VM_Event", "ret", "Cb PROC", "ret", "Cb ENDP"].join("\n"),
      { vms: 1 },
    );
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-event-handle" });
    expect(r.diagnostics[0]!.message).toContain("scheduled for VM");
  });

  it("stops a claim of the critical section another VM holds (the caller would block)", () => {
    const src = [
      "include vmm.inc",
      "VMMcall Begin_Critical_Section", // the System VM owns it
      "VMMcall Get_Next_VM_Handle",
      "mov esi, OFFSET32 InVm2",
      "VMMcall Schedule_VM_Event",
      "ret",
      "InVm2 PROC",
      "VMMcall Begin_Critical_Section",
      "ret",
      "InVm2 ENDP",
    ].join("\n");
    const r = run(src.replace("VMMcall Get_Next_VM_Handle", "VMMcall Get_Sys_VM_Handle\nVMMcall Get_Next_VM_Handle"), { vms: 1 });
    expect(r.diagnostics[0]).toMatchObject({ name: "would-block" });
    expect(r.diagnostics[0]!.span?.line).toBe(9);
  });
});
