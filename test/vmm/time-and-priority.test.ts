// The clock, time-outs, priority events, the critical section and scenarios.
import { describe, expect, it } from "vitest";
import { emptyScenario, parseScenario } from "../../src/run/scenario.js";
import { toTraceEvents } from "../../src/run/trace-events.js";
import { run } from "../helpers/assemble.js";

const program = (...l: string[]): string => ["include vmm.inc", ...l].join("\n") + "\n";

function scenario(...lines: string[]) {
  const s = emptyScenario();
  const { diagnostics } = parseScenario(lines.join("\n"), "test.scenario", s);
  expect(diagnostics).toEqual([]);
  return s;
}

describe("time-outs", () => {
  it("fires a global time-out on time with EBX = current VM, ECX = lateness, EDX = reference data", () => {
    const r = run(
      program(
        "mov eax, 25",
        "mov edx, 1234h",
        "mov esi, OFFSET32 Cb",
        "VMMcall Set_Global_Time_Out",
        "mov [Handle], esi",
        "ret",
        "Cb PROC",
        "mov eax, [ebx.CB_VMID]",
        "mov edi, eax",
        "VMMcall Get_System_Time",
        'Trace_Out "t=#EAX VM=#EDI late=#ECX ref=#EDX"',
        "ret",
        "Cb ENDP",
        "Handle dd 0",
      ),
    );
    expect(r.output).toBe("t=00000019 VM=00000001 late=00000000 ref=00001234\n");
    expect(r.readDword(r.cpu.program.symbols.get("HANDLE")!.value)).not.toBe(0);
    expect(r.pendingTimeOuts).toEqual([]);
  });

  it("runs a VM time-out in its VM after a task switch, and cancels one", () => {
    const r = run(
      program(
        "VMMcall Get_Sys_VM_Handle",
        "VMMcall Get_Next_VM_Handle",
        "mov eax, 10",
        "mov esi, OFFSET32 InVm",
        "VMMcall Set_VM_Time_Out",
        "mov eax, 20",
        "mov esi, OFFSET32 Never",
        "VMMcall Set_Global_Time_Out",
        "VMMcall Cancel_Time_Out",
        "ret",
        "InVm PROC",
        "mov ecx, [ebx.CB_VMID]",
        'Trace_Out "in VM #ECX"',
        "ret",
        "InVm ENDP",
        "Never PROC",
        'Trace_Out "cancelled, must not run"',
        "ret",
        "Never ENDP",
      ),
      { vms: 1 },
    );
    expect(r.output).toBe("in VM 00000002\n");
    expect(r.timeline.some((t) => t.kind === "switch" && t.time === 10)).toBe(true);
  });

  it("runs an async time-out at interrupt time, where Call_VM_Event schedules", () => {
    const r = run(
      program(
        "mov eax, 5",
        "mov esi, OFFSET32 Async",
        "VMMcall Set_Async_Time_Out",
        "ret",
        "Async PROC",
        "VMMcall Get_VMM_Reenter_Count",
        'Trace_Out "reenter=#ECX"',
        "VMMcall Get_Cur_VM_Handle",
        "mov esi, OFFSET32 Later",
        "VMMcall Call_VM_Event",
        'Trace_Out "ESI=#ESI"',
        "ret",
        "Async ENDP",
        "Later PROC",
        'Trace_Out "event ran"',
        "ret",
        "Later ENDP",
      ),
    );
    const lines = r.output.trim().split("\n");
    expect(lines[0]).toBe("reenter=00000001");
    expect(lines[1]).toMatch(/^ESI=(?!00000000)[0-9A-F]{8}$/);
    expect(lines[2]).toBe("event ran");
  });

  it("stops a service that is not asynchronous at interrupt time", () => {
    const r = run(program("mov eax, 5", "mov esi, OFFSET32 Async", "VMMcall Set_Async_Time_Out", "ret", "Async PROC", "VMMcall Get_Crit_Section_Status", "ret", "Async ENDP"));
    expect(r.status).toBe("violation");
    expect(r.diagnostics[0]).toMatchObject({ name: "non-async-at-interrupt-time" });
    expect(r.diagnostics[0]!.span?.line).toBe(7);
    expect(r.diagnostics[0]!.message).toContain("Get_Crit_Section_Status");
  });

  it("lets the clock run as long as the scenario says", () => {
    const r = run(program("mov eax, 1000", "mov esi, OFFSET32 Late", "VMMcall Set_Global_Time_Out", "ret", "Late PROC", 'Trace_Out "late"', "ret", "Late ENDP"), { scenario: scenario("run 500") });
    expect(r.output).toBe("");
    expect(r.time).toBe(500);
    expect(r.pendingTimeOuts).toHaveLength(1);
    expect(r.pendingTimeOuts[0]!.due).toBe(1000);
  });
});

describe("Get_VM_Exec_Time", () => {
  it("gives the age of the VM in EBX, and refuses a handle that is not a VM", () => {
    const src = program("mov eax, 30", "mov esi, OFFSET32 Cb", "VMMcall Set_Global_Time_Out", "ret", "Cb PROC", "VMMcall Get_VM_Exec_Time", 'Trace_Out "#EAX"', "mov ebx, 12345678h", "VMMcall Get_VM_Exec_Time", "ret", "Cb ENDP");
    const r = run(src);
    expect(r.output).toBe("0000001E\n");
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-vm-handle" });
  });
});

describe("priority events", () => {
  const ask = (boost: string, flags: string, timeout = "0") => ["VMMcall Get_Sys_VM_Handle", "VMMcall Get_Next_VM_Handle", `mov eax, ${boost}`, `mov ecx, ${flags}`, `mov edi, ${timeout}`, "mov esi, OFFSET32 Cb", "VMMcall Call_Priority_VM_Event"];

  it("boosts the VM while the event waits and un-boosts after it ran", () => {
    const r = run(program(...ask("High_Pri_Device_Boost", "0"), "ret", "Cb PROC", "mov ecx, [ebx.CB_VMID]", 'Trace_Out "ran in VM #ECX"', "ret", "Cb ENDP"), { vms: 1 });
    expect(r.output).toBe("ran in VM 00000002\n");
    const prio = r.timeline.filter((t) => t.text.startsWith("VM 2 priority"));
    expect(prio.map((t) => t.text)).toEqual([
      "VM 2 priority +00001000h = 00001000h (Call_Priority_VM_Event boost)",
      "VM 2 priority -00001000h = 00000000h (un-boost after the event)",
    ]);
  });

  it("keeps the boost with PEF_Dont_Unboost, so the boosted VM runs next", () => {
    const r = run(program(...ask("High_Pri_Device_Boost", "PEF_Dont_Unboost"), "ret", "Cb PROC", "ret", "Cb ENDP"), { vms: 1 });
    expect(r.vms.find((v) => v.id === 2)).toBeDefined();
    expect(r.timeline.filter((t) => t.kind === "switch").map((t) => t.text)).toEqual(["task switch: VM 1 → VM 2", "task switch: VM 2 → VM 1"]);
  });

  it("waits for the VM to enable interrupts, and times out with CF = 1 in the current VM", () => {
    // At 10 ms a time-out asks for the event; VM 2 disabled its interrupts at 5 ms.
    const src = program(
      "mov eax, 10",
      "mov esi, OFFSET32 Ask",
      "VMMcall Set_Global_Time_Out",
      "ret",
      "Ask PROC",
      ...ask("0", "PEF_Wait_For_STI OR PEF_Time_Out", "30"),
      "ret",
      "Ask ENDP",
      "Cb PROC",
      "setc al",
      "mov ecx, [ebx.CB_VMID]",
      "mov edi, eax",
      "VMMcall Get_System_Time",
      'Trace_Out "CF=#DI VM=#ECX t=#EAX"',
      "ret",
      "Cb ENDP",
    );
    const timedOut = run(src, { vms: 1, scenario: scenario("at 5 cli vm 2") });
    expect(timedOut.output).toBe("CF=0001 VM=00000001 t=00000028\n");
    const ran = run(src, { vms: 1, scenario: scenario("at 5 cli vm 2", "at 20 sti vm 2") });
    expect(ran.output).toBe("CF=0000 VM=00000002 t=00000014\n");
    const atOnce = run(src, { vms: 1 });
    expect(atOnce.output).toBe("CF=0000 VM=00000002 t=0000000A\n");
  });

  it("refuses PEF_Thread_Event and a boost out of range", () => {
    const thread = run(program(...ask("0", "PEF_Thread_Event"), "ret", "Cb PROC", "ret", "Cb ENDP"), { vms: 1 });
    expect(thread.diagnostics[0]).toMatchObject({ name: "bad-event-flags" });
    const wild = run(program(...ask("7FFFFFFFh", "0"), "ret", "Cb PROC", "ret", "Cb ENDP"), { vms: 1 });
    expect(wild.diagnostics[0]!.message).toContain("boost");
  });

  it("names a priority event cancelled with Cancel_VM_Event", () => {
    const r = run(program(...ask("0", "PEF_Always_Sched"), "VMMcall Cancel_VM_Event", "ret", "Cb PROC", "ret", "Cb ENDP"), { vms: 1 });
    expect(r.diagnostics[0]).toMatchObject({ name: "bad-event-handle" });
    expect(r.diagnostics[0]!.message).toContain("Cancel_Priority_VM_Event");
  });
});

describe("the critical section", () => {
  it("boosts its owner and runs Call_When_Not_Critical callbacks when it is released", () => {
    const r = run(
      program(
        "VMMcall Begin_Critical_Section",
        "VMMcall Begin_Critical_Section",
        "mov esi, OFFSET32 Free",
        "VMMcall Call_When_Not_Critical",
        'Trace_Out "claimed twice"',
        "VMMcall End_Critical_Section",
        'Trace_Out "released once"',
        "VMMcall End_Critical_Section",
        "ret",
        "Free PROC",
        'Trace_Out "free now"',
        "ret",
        "Free ENDP",
      ),
    );
    expect(r.output).toBe("claimed twice\nreleased once\nfree now\n");
  });

  it("reports End_Critical_Section without a claim", () => {
    const r = run(program("VMMcall End_Critical_Section", "ret"));
    expect(r.diagnostics[0]).toMatchObject({ name: "critical-section" });
  });
});

describe("scenarios", () => {
  it("reads every kind of line and reports the ones it cannot, with the line", () => {
    const s = emptyScenario();
    const { diagnostics } = parseScenario(
      ["vms 2", "run 300 # comment", "at 10 irq 5", "at 20 focus vm 2 device VDD", "at 30 close vm 2 force", "at 40 send Begin_Message_Mode vm 2 esi=1", "at 50 sti vm 3", "at 60 fly vm 2", "at x irq 1"].join("\n"),
      "s.scenario",
      s,
    );
    expect(s.vms).toBe(2);
    expect(s.until).toBe(300);
    expect(s.actions.map((a) => a.action.kind)).toEqual(["irq", "focus", "close-vm", "send", "set-if"]);
    expect(s.actions[1]!.action).toMatchObject({ kind: "focus", vm: 2, deviceId: 0x0a });
    expect(diagnostics.map((d) => d.span?.line)).toEqual([8, 9]);
  });

  it("sends Set_Device_Focus, VM_Suspend and VM_Resume as the shell", () => {
    const r = run(
      program(
        "Declare_Virtual_Device WATCH, 1, 0, Watch_Control",
        "BeginProc Watch_Control",
        "cmp eax, Set_Device_Focus",
        "je @F",
        "cmp eax, VM_Suspend",
        "je @F",
        "cmp eax, VM_Resume",
        "jne done",
        "@@: mov ecx, [ebx.CB_VMID]",
        'Trace_Out "#AL for VM #CL"',
        "done: clc",
        "ret",
        "EndProc Watch_Control",
      ),
      { vms: 1, scenario: scenario("at 5 focus vm 2", "at 6 suspend vm 2", "at 7 resume vm 2") },
    );
    expect(r.output).toBe("0F for VM 02\n0D for VM 02\n0E for VM 02\n");
  });

  it("refuses an action on a VM that does not exist, at the scenario's line", () => {
    const r = run(program("ret"), { scenario: scenario("at 5 exit vm 7") });
    expect(r.diagnostics[0]!.message).toContain("there is no VM 7");
    expect(r.diagnostics[0]!.span).toMatchObject({ file: "test.scenario", line: 1 });
  });
});

describe("--trace-out", () => {
  it("writes Chrome trace events with one lane per VM and per device", () => {
    const r = run(program("VMMcall Get_Sys_VM_Handle", "VMMcall Get_Next_VM_Handle", "mov esi, OFFSET32 Cb", "VMMcall Call_VM_Event", "ret", "Cb PROC", "ret", "Cb ENDP"), { vms: 1 });
    const doc = toTraceEvents(r.timeline);
    expect(doc.displayTimeUnit).toBe("ms");
    const threads = doc.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => e.args!["name"]);
    expect(threads).toContain("VM 2");
    expect(threads).toContain("SHELL");
    const instants = doc.traceEvents.filter((e) => e.ph === "i");
    expect(instants.length).toBe(r.timeline.length);
    for (const e of instants) {
      expect(typeof e.ts).toBe("number");
      expect(e.pid).toBe(1);
      expect(e.tid).toBeGreaterThan(0);
    }
    // Timestamps never go backwards.
    expect(instants.every((e, i) => i === 0 || e.ts >= instants[i - 1]!.ts)).toBe(true);
  });
});
