// SHELL_SYSMODAL_Message and SHELL_Message: the box the user would see, the simulated answer (the
// default button), the callback at event time, and each way of calling them wrongly.
import { describe, expect, it } from "vitest";
import { toTraceEvents } from "../../src/run/trace-events.js";
import { SHELL_MESSAGE_CONSTANTS } from "../../src/vmm/tables/constants.js";
import { run } from "../helpers/assemble.js";

const program = (...l: string[]): string => ["include vmm.inc", "include shell.inc", ...l].join("\n") + "\n";
const id = (name: string): number => SHELL_MESSAGE_CONSTANTS.find((c) => c.name === name)!.value;
const STRINGS = ['Text db "Disk full.", 13, 10, "Go on?", 0', 'Cap db "MYDEV", 0', "Empty db 0"];

/** Top-level code that shows a system-modal box with `flags`, then returns. */
function sysModal(flags: string, caption = "OFFSET32 Cap"): string {
  return program(
    "VMMcall Get_Sys_VM_Handle",
    "mov esi, 5555h",
    "mov edx, 6666h",
    `mov eax, ${flags}`,
    "mov ecx, OFFSET32 Text",
    `mov edi, ${caption}`,
    "VxDcall SHELL_SYSMODAL_Message",
    "ret",
    ...STRINGS,
  );
}

describe("SHELL_SYSMODAL_Message", () => {
  it.each([
    ["MB_OK", "[OK]", "IDOK"],
    ["MB_OKCANCEL OR MB_DEFBUTTON2", "[OK] [Cancel]", "IDCANCEL"],
    ["MB_ABORTRETRYIGNORE OR MB_DEFBUTTON2", "[Abort] [Retry] [Ignore]", "IDRETRY"],
    ["MB_YESNOCANCEL OR MB_DEFBUTTON3", "[Yes] [No] [Cancel]", "IDCANCEL"],
    ["MB_YESNO", "[Yes] [No]", "IDYES"],
    ["MB_YESNO OR MB_DEFBUTTON2 OR MB_ICONEXCLAMATION", "[Yes] [No]", "IDNO"],
    ["MB_RETRYCANCEL OR MB_DEFBUTTON2", "[Retry] [Cancel]", "IDCANCEL"],
  ])("answers %s with its default button", (flags, buttons, answer) => {
    const r = run(sysModal(`${flags} OR MB_SYSTEMMODAL`));
    expect(r.status).toBe("ok");
    expect(r.output).toBe(`SHELL system-modal message box for VM 1 — MYDEV: Disk full. Go on? ${buttons} → ${answer}\n`);
    expect(r.registers.eax).toBe(id(answer));
    // It uses EAX and the flags only.
    expect(r.registers).toMatchObject({ esi: 0x5555, edx: 0x6666, ebx: r.currentVm, ecx: r.cpu.program.symbols.get("TEXT")!.value });
  });

  it("names the standard caption (EDI = 0) and an empty one", () => {
    expect(run(sysModal("MB_OK OR MB_SYSTEMMODAL", "0")).output).toContain("for VM 1 — (standard caption): Disk full.");
    expect(run(sysModal("MB_OK OR MB_SYSTEMMODAL", "OFFSET32 Empty")).output).toContain("for VM 1 — (no caption): Disk full.");
  });

  it("puts the box on the --trace vmm timeline and the SHELL lane of --trace-out", () => {
    const r = run(sysModal("MB_OK OR MB_SYSTEMMODAL"));
    const entry = r.timeline.find((t) => t.kind === "service" && t.text.startsWith("SHELL system-modal message box"));
    expect(entry).toMatchObject({ vm: 1, device: "SHELL" });
    const trace = toTraceEvents(r.timeline);
    const lane = trace.traceEvents.find((e) => e.ph === "M" && e.args?.["name"] === "SHELL")!.tid;
    expect(trace.traceEvents.some((e) => e.cat === "service" && e.tid === lane && e.name === entry!.text)).toBe(true);
  });

  it("stops without MB_SYSTEMMODAL, which it requires", () => {
    const r = run(sysModal("MB_OK"));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-message-box" });
    expect(r.diagnostics[0]!.message).toContain("without MB_SYSTEMMODAL");
    expect(r.diagnostics[0]!.span?.line).toBe(9);
    expect(r.output).toBe("");
  });

  it("reports the missing MB_SYSTEMMODAL and still shows the box with --on-violation report", () => {
    const r = run(sysModal("MB_OK"), { onViolation: "report" });
    expect(r.status).toBe("violation");
    expect(r.diagnostics.map((d) => d.name)).toEqual(["bad-message-box"]);
    expect(r.registers.eax).toBe(id("IDOK"));
    expect(r.output).toContain("[OK] → IDOK");
  });
});

describe("SHELL_Message", () => {
  const queue = (...before: string[]): string =>
    program(
      ...before,
      "VMMcall Get_Sys_VM_Handle",
      "mov eax, MB_YESNO OR MB_DEFBUTTON2",
      "mov ecx, OFFSET32 Text",
      "mov edi, OFFSET32 Cap",
      "mov esi, OFFSET32 Answer",
      "mov edx, 0ABCDh",
      "VxDcall SHELL_Message",
      "mov [Handle], eax",
      'Trace_Out "queued"',
      "ret",
      "Answer PROC",
      "mov [GotEax], eax",
      "mov [GotEdx], edx",
      "mov [GotEbx], ebx",
      'Trace_Out "callback"',
      "ret",
      "Answer ENDP",
      "Handle dd 0",
      "GotEax dd 0",
      "GotEdx dd 0",
      "GotEbx dd 0",
      ...STRINGS,
    );

  it("returns CF clear and a message handle, then shows the box and calls back at event time", () => {
    const r = run(queue("stc"));
    expect(r.status).toBe("ok");
    expect(r.flags.cf).toBe(0);
    const symbols = r.cpu.program.symbols;
    const handle = r.readDword(symbols.get("HANDLE")!.value);
    expect(handle).not.toBe(0);
    expect(r.registers.eax).toBe(handle);
    expect(r.output.split("\n")).toEqual(["queued", "SHELL message box for VM 1 — MYDEV: Disk full. Go on? [Yes] [No] → IDNO", "callback", ""]);
    expect(r.readDword(symbols.get("GOTEAX")!.value)).toBe(id("IDNO"));
    expect(r.readDword(symbols.get("GOTEDX")!.value)).toBe(0xabcd);
    expect(r.pendingEvents).toEqual([]);
    const texts = r.timeline.map((t) => t.text);
    const queued = texts.findIndex((t) => t === `SHELL_Message: message box ${hex(handle)}h for VM 1 queued → Answer`);
    const ran = texts.findIndex((t) => t === `run shell-message event ${hex(handle)}h → Answer in VM 1`);
    expect(queued).toBeGreaterThanOrEqual(0);
    expect(ran).toBeGreaterThan(queued);
    expect(texts[ran + 1]).toMatch(/^SHELL message box for VM 1 — MYDEV/);
  });

  it("queues behind events scheduled before it, and ahead of those scheduled after", () => {
    const r = run(
      program(
        "mov esi, OFFSET32 First",
        "VMMcall Schedule_Global_Event",
        "VMMcall Get_Sys_VM_Handle",
        "mov eax, MB_OK",
        "mov ecx, OFFSET32 Text",
        "xor edi, edi",
        "mov esi, OFFSET32 Answer",
        "VxDcall SHELL_Message",
        "mov esi, OFFSET32 Last",
        "VMMcall Schedule_Global_Event",
        "ret",
        'First PROC\nTrace_Out "first event"\nret\nFirst ENDP',
        'Answer PROC\nTrace_Out "answer #EAX"\nret\nAnswer ENDP',
        'Last PROC\nTrace_Out "last event"\nret\nLast ENDP',
        ...STRINGS,
      ),
    );
    expect(r.output.split("\n")).toEqual(["first event", "SHELL message box for VM 1 — (standard caption): Disk full. Go on? [OK] → IDOK", "answer 00000001", "last event", ""]);
  });

  it("calls back in the VM current at event time, whatever VM the box was for", () => {
    // The box is for VM 2 (the last VM created); the event runs in the System VM.
    const r = run(queue("VMMcall Get_Sys_VM_Handle", "VMMcall Get_Next_VM_Handle", "push ebx").replace("VMMcall Get_Sys_VM_Handle\nmov eax, MB_YESNO", "pop ebx\nmov eax, MB_YESNO"), { vms: 1 });
    expect(r.status).toBe("ok");
    expect(r.output).toContain("SHELL message box for VM 2 — MYDEV");
    const sysVm = r.vms.find((v) => v.id === 1)!.handle;
    expect(r.readDword(r.cpu.program.symbols.get("GOTEBX")!.value)).toBe(sysVm);
  });

  it("shows a box without a callback when ESI = 0", () => {
    const r = run(queue().replace("mov esi, OFFSET32 Answer", "xor esi, esi"));
    expect(r.status).toBe("ok");
    expect(r.output.split("\n")).toEqual(["queued", "SHELL message box for VM 1 — MYDEV: Disk full. Go on? [Yes] [No] → IDNO", ""]);
    expect(r.timeline.some((t) => /^run shell-message event [0-9A-F]{8}h → no callback in VM 1$/.test(t.text))).toBe(true);
  });

  it("checks the callback's register contract like an event callback's, at the line that queued it", () => {
    const r = run(queue().replace("Answer PROC", "Answer PROC\nstd"));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "callback-contract" });
    expect(r.diagnostics[0]!.message).toContain("event callback Answer");
    expect(r.diagnostics[0]!.span?.line).toBe(9);
  });

  it("refuses a callback that is not code", () => {
    const r = run(queue().replace("mov esi, OFFSET32 Answer", "mov esi, OFFSET32 Handle"));
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-jump" });
    expect(r.diagnostics[0]!.span?.line).toBe(9);
  });

  it("has a handle no Cancel service takes", () => {
    const r = run(queue().replace('Trace_Out "queued"', "mov esi, eax\nVMMcall Cancel_Global_Event"));
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-event-handle" });
    expect(r.diagnostics[0]!.message).toContain("created by SHELL_Message; no service cancels it");
  });
});

describe("message boxes asked for wrongly", () => {
  const call = (service: string, ...setup: string[]): string =>
    program(
      "VMMcall Get_Sys_VM_Handle",
      "mov eax, MB_OK OR MB_SYSTEMMODAL",
      "mov ecx, OFFSET32 Text",
      "xor edi, edi",
      "xor esi, esi",
      ...setup,
      `VxDcall ${service}`,
      "ret",
      ...STRINGS,
      "Long db 5000 dup ('A'), 0",
    );

  it.each(["SHELL_Message", "SHELL_SYSMODAL_Message"])("%s: stops on each bad argument, at the call", (service) => {
    const cases: [string[], string, RegExp][] = [
      [["mov ebx, 12345678h"], "bad-vm-handle", /12345678h in EBX, which is not the handle of a live VM/],
      [["mov ecx, 0FFFFFFF0h"], "bad-message-box", /FFFFFFF0h in ECX as the message text, which is not an address in memory/],
      [["xor ecx, ecx"], "bad-message-box", /00000000h in ECX as the message text, which is not an address in memory/],
      [["mov edi, 0FFFFFFF0h"], "bad-message-box", /in EDI as the caption, which is not an address/],
      [["mov ecx, OFFSET32 Long"], "bad-message-box", /a string with no terminating zero in its first 4096 bytes/],
      [["mov eax, 7 OR MB_SYSTEMMODAL"], "bad-message-box", /names no message box type \(bits 3-0 are 7\)/],
      [["mov eax, MB_OK OR MB_DEFBUTTON3 OR MB_SYSTEMMODAL"], "bad-message-box", /makes button 3 the default, but a MB_OK box has 1/],
    ];
    for (const [setup, name, message] of cases) {
      const r = run(call(service, ...setup));
      expect(r.status, setup[0]).toBe("violation");
      expect(r.diagnostics[0], setup[0]).toMatchObject({ name });
      expect(r.diagnostics[0]!.message, setup[0]).toMatch(message);
      expect(r.diagnostics[0]!.span?.line, setup[0]).toBe(9);
      expect(r.output, setup[0]).toBe("");
    }
  });

  it.each(["SHELL_Message", "SHELL_SYSMODAL_Message"])("%s is not asynchronous: called at interrupt time it is stopped", (service) => {
    const r = run(
      program(
        "mov eax, 5",
        "mov esi, OFFSET32 Async",
        "VMMcall Set_Async_Time_Out",
        "ret",
        "Async PROC",
        "mov eax, MB_OK OR MB_SYSTEMMODAL",
        "mov ecx, OFFSET32 Text",
        "xor edi, edi",
        "xor esi, esi",
        `VxDcall ${service}`,
        "ret",
        "Async ENDP",
        ...STRINGS,
      ),
    );
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "non-async-at-interrupt-time" });
    expect(r.diagnostics[0]!.message).toContain(service);
    expect(r.diagnostics[0]!.span?.line).toBe(12);
  });
});

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, "0");
}
