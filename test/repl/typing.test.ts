// Property: nothing typed at the REPL ends the session or leaves a half-run line behind. Random
// lines (instructions, VMM calls, blocks, junk, every dot-command with good and bad arguments)
// are fed to the REPL's own input handler; it never throws, and a line that fails leaves the
// registers, flags, memory and event queue exactly as they were.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { memoryFileSystem } from "../../src/front/files.js";
import { Repl } from "../../src/repl/repl.js";

const LINES = [
  "mov eax, 1", "add eax, ebx", "push eax", "pop ebx", "ret", "nop", "inc dword ptr [v]", "mov [v], esp",
  "VMMcall Get_Cur_VM_Handle", "VMMcall Get_Next_VM_Handle", "mov esi, OFFSET32 Cb", "VMMcall Call_VM_Event",
  "VMMcall Schedule_VM_Event", "VMMcall Cancel_VM_Event", "VMMcall Schedule_Global_Event", "mov eax, 10\nVMMcall Set_Global_Time_Out",
  "VMMcall System_Control", "mov eax, Create_VM", "VMMcall Fatal_Error_Handler", "VMMcall Simulate_Int", "cli", "sti", "std",
  "mov eax, [0]", "div ecx", "spin: jmp spin", "jmp eax", "call eax", "pop esp", "mov esp, 0", "int 21h",
  "v dd 0", "w dd 1, 2, 3", "K equ 5", "K = 6", "Cb PROC\n ret\nCb ENDP", "Cb2 PROC\n mov ebp, 0\n ret\nCb2 ENDP",
  "again:\ndec ecx", "jnz again", "loop again", "IF 1\n nop\nENDIF", "S STRUC\n f dd ?\nS ENDS", "M MACRO\n nop\nENDM", "M",
  "end", "foo bar", "mov eax,", "mov eax, (1", ")", "'", "db 'unterminated", "\u00e9", "include nothing.inc", "BeginProc",
  ".regs", ".flags", ".mem v", ".mem esp 16", ".mem", ".mem zzz", ".vms", ".devices", ".events", ".events run", ".events x",
  ".wait 5", ".wait", ".step", ".step 2", ".step x", ".continue", ".break Cb", ".break", ".break zzz", ".delete", ".delete Cb",
  ".undo", ".undo", ".trace on", ".trace off", ".trace", ".doc Call_VM_Event", ".doc", ".doc --list", ".doc zzz", ".source",
  ".help", ".load nothing.asm", ".load lib.asm", ".bogus", ".",
];

/** What the machine and the VMM hold, in a form that compares. */
function fingerprint(s: Repl["session"]) {
  const mem = s.cpu.memory.bytes;
  const hash = createHash("sha1").update(mem.subarray(0x100000, 0x500000)).update(mem.subarray(s.cpu.stackLimit, s.cpu.stackTop)).digest("hex");
  return s.inspect(() => ({
    regs: Array.from(s.cpu.regs),
    eflags: s.cpu.getEflags(),
    steps: s.cpu.steps,
    hash,
    timeline: s.vmm.timeline.length,
    output: s.vmm.output,
    vms: s.vmm.vms.map((v) => `${v.id}:${v.state}`),
    current: s.vmm.currentVm.id,
    pending: s.vmm.events.pending().map((e) => e.handle),
    now: s.vmm.clock.now,
    timers: s.vmm.clock.pending().length,
    devices: s.vmm.devices.map((d) => `${d.name}:${d.loaded}`),
    source: s.source(),
  }));
}

function quiet(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}

describe("typing at the REPL", () => {
  it("never ends the session, and a failed line changes nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 25 }), (lines) => {
        const repl = new Repl({ input: process.stdin, output: quiet(), terminal: false, color: false }, { fs: memoryFileSystem({ "lib.asm": "include vmm.inc\nLibVar dd 7\n" }), maxSteps: 20_000 });
        repl.session.start([]);
        const s = repl.session;
        const start = fingerprint(s);
        for (const line of lines) {
          const regs = Int32Array.from(s.cpu.regs);
          const eflags = s.cpu.getEflags();
          const mem = Buffer.from(s.cpu.memory.bytes.subarray(0x100000, 0x400100));
          const pending = s.inspect(() => s.vmm.events.pending().length);
          const stoppedBefore = s.stopped !== null;
          const undo = s.undoDepth;
          let failed = false;
          const show = repl.show.bind(repl);
          repl.show = (r) => {
            failed = ["fault", "violation", "interrupted", "source-error", "refused"].includes(r.status);
            show(r);
          };
          expect(() => repl.handle(line)).not.toThrow();
          repl.show = show;
          if (failed && !stoppedBefore && s.stopped === null && s.undoDepth === undo) {
            expect(Array.from(s.cpu.regs)).toEqual(Array.from(regs));
            expect(s.cpu.getEflags()).toBe(eflags);
            expect(Buffer.compare(Buffer.from(s.cpu.memory.bytes.subarray(0x100000, 0x400100)), mem)).toBe(0);
            expect(s.inspect(() => s.vmm.events.pending().length)).toBe(pending);
          }
        }
        // Whatever happened, the session still takes a line (after Ctrl-C drops a half-typed block).
        if (s.stopped) s.undo();
        repl.cancel();
        s.stepNext = false;
        repl.handle("mov edi, 1234h");
        expect(s.cpu.regs[7]).toBe(0x1234);
        // And undoing every line gets back to the start: the journal misses nothing.
        while (s.undo() !== null);
        expect(fingerprint(s)).toEqual(start);
      }),
      { numRuns: 150, seed: 0x5eed_0501 },
    );
  });
});
