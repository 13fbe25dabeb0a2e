import { describe, expect, it } from "vitest";
import { Cond, Layout, Op, Reg } from "../../src/ir/types.js";
import { Cpu, MachineFault, Memory } from "../../src/machine/index.js";
import type { MachineHost } from "../../src/machine/index.js";
import { Asm, cx, dword, eax, ebx, ecx, edx, esi, flagString, imm, runAsm } from "./ir-builder.js";

const CODE = Layout.CODE_BASE;

function faultOf(fn: () => unknown): MachineFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof MachineFault) return e;
    throw e;
  }
  throw new Error("expected a MachineFault");
}

/** A host that records calls and runs a callback for each. */
function host(on: Partial<MachineHost> = {}): MachineHost & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    vxdcall(cpu, id, at) {
      log.push(`vxdcall ${id.toString(16)} @${at}`);
      on.vxdcall?.(cpu, id, at);
    },
    traceOut(cpu, text, at) {
      log.push(`trace ${text} @${at}`);
      on.traceOut?.(cpu, text, at);
    },
    interrupt(cpu, v, at) {
      log.push(`int ${v.toString(16)} @${at}`);
      on.interrupt?.(cpu, v, at);
    },
  };
}

describe("conditional jumps", () => {
  // condition → expected outcome from each flag combination (EFLAGS bits CF=1 PF=4 ZF=40 SF=80 OF=800)
  const holds: Record<number, (f: number) => boolean> = {
    [Cond.O]: (f) => (f & 0x800) !== 0,
    [Cond.NO]: (f) => (f & 0x800) === 0,
    [Cond.B]: (f) => (f & 1) !== 0,
    [Cond.AE]: (f) => (f & 1) === 0,
    [Cond.E]: (f) => (f & 0x40) !== 0,
    [Cond.NE]: (f) => (f & 0x40) === 0,
    [Cond.BE]: (f) => (f & 0x41) !== 0,
    [Cond.A]: (f) => (f & 0x41) === 0,
    [Cond.S]: (f) => (f & 0x80) !== 0,
    [Cond.NS]: (f) => (f & 0x80) === 0,
    [Cond.P]: (f) => (f & 4) !== 0,
    [Cond.NP]: (f) => (f & 4) === 0,
    [Cond.L]: (f) => ((f >> 7) & 1) !== ((f >> 11) & 1),
    [Cond.GE]: (f) => ((f >> 7) & 1) === ((f >> 11) & 1),
    [Cond.LE]: (f) => (f & 0x40) !== 0 || ((f >> 7) & 1) !== ((f >> 11) & 1),
    [Cond.G]: (f) => (f & 0x40) === 0 && ((f >> 7) & 1) === ((f >> 11) & 1),
  };
  const combos = [0, 1, 4, 0x40, 0x41, 0x80, 0x800, 0x880, 0x8c0, 0x845, 0xc5];

  for (let cc = 0; cc < 16; cc++) {
    it(`jcc ${cc}, setcc and cmovcc agree with the flags (materialised)`, () => {
      for (const f of combos) {
        const a = new Asm()
          .jmp(Op.JCC, "yes", { extra: cc })
          .i(Op.MOV, eax, imm(0))
          .jmp(Op.JMP, "done")
          .label("yes")
          .i(Op.MOV, eax, imm(1))
          .label("done")
          .i(Op.SETCC, { kind: "reg", reg: Reg.EBX, size: 1, high: false }, null, null, { extra: cc })
          .i(Op.CMOVCC, ecx, edx, null, { extra: cc });
        const cpu = runAsm(a, { eflags: f, ebx: 0xffffff00, ecx: 5, edx: 9 });
        const want = holds[cc]!(f);
        expect(cpu.regs[Reg.EAX], `cc ${cc} flags ${f.toString(16)}`).toBe(want ? 1 : 0);
        expect(cpu.regs[Reg.EBX]! >>> 0).toBe(want ? 0xffffff01 : 0xffffff00);
        expect(cpu.regs[Reg.ECX]).toBe(want ? 9 : 5);
      }
    });
  }

  it("evaluates every condition from lazy flags after cmp", () => {
    const values = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 0x80, 100];
    const memory = new Memory(0x800000);
    for (const x of values)
      for (const y of values)
        for (let cc = 0; cc < 16; cc++) {
          const a = new Asm().i(Op.CMP, eax, ebx).i(Op.SETCC, { kind: "reg", reg: Reg.ECX, size: 1, high: false }, null, null, { extra: cc }).i(Op.PUSHFD).i(Op.POP, edx);
          const cpu = runAsm(a, { eax: x, ebx: y }, { memory, stackTop: 0x700000 });
          const flags = cpu.regs[Reg.EDX]!;
          expect(cpu.regs[Reg.ECX], `cmp ${x}, ${y} cc ${cc}`).toBe(holds[cc]!(flags) ? 1 : 0);
          const ux = x >>> 0,
            uy = y >>> 0;
          if (cc === Cond.B) expect(cpu.regs[Reg.ECX]).toBe(ux < uy ? 1 : 0);
          if (cc === Cond.L) expect(cpu.regs[Reg.ECX]).toBe(x < y ? 1 : 0);
          if (cc === Cond.G) expect(cpu.regs[Reg.ECX]).toBe(x > y ? 1 : 0);
          if (cc === Cond.A) expect(cpu.regs[Reg.ECX]).toBe(ux > uy ? 1 : 0);
        }
  });

  it("jecxz, loop, loopz, loopnz", () => {
    const count = new Asm().i(Op.MOV, ecx, imm(5)).label("l").i(Op.INC, eax).jmp(Op.LOOP, "l");
    const cpu = runAsm(count, { eflags: 0x8d5 });
    expect(cpu.regs[Reg.EAX]).toBe(5);
    expect(cpu.regs[Reg.ECX]).toBe(0);
    expect(cpu.getFlag("cf")).toBe(true); // loop leaves the flags alone (inc kept CF)

    const z = new Asm().label("l").i(Op.INC, ebx).i(Op.CMP, ebx, imm(3)).jmp(Op.LOOPNZ, "l");
    const zc = runAsm(z, { ecx: 10 });
    expect(zc.regs[Reg.EBX]).toBe(3);
    expect(zc.regs[Reg.ECX]).toBe(7);

    const e = new Asm().label("l").i(Op.INC, ebx).i(Op.CMP, eax, imm(0)).jmp(Op.LOOPZ, "l");
    const ec = runAsm(e, { ecx: 4 });
    expect(ec.regs[Reg.EBX]).toBe(4);

    const j = new Asm().jmp(Op.JECXZ, "skip").i(Op.MOV, eax, imm(1)).label("skip");
    expect(runAsm(j, { ecx: 0 }).regs[Reg.EAX]).toBe(0);
    expect(runAsm(j, { ecx: 0x10000 }).regs[Reg.EAX]).toBe(1);

    // with size 2 the counter is CX
    const jcx = new Asm().jmp(Op.JECXZ, "skip", { size: 2 }).i(Op.MOV, eax, imm(1)).label("skip");
    expect(runAsm(jcx, { ecx: 0x10000 }).regs[Reg.EAX]).toBe(0);
    const lcx = new Asm().label("l").i(Op.INC, eax).jmp(Op.LOOP, "l", { size: 2 });
    const lc = runAsm(lcx, { ecx: 0x50002 });
    expect(lc.regs[Reg.EAX]).toBe(2);
    expect(lc.regs[Reg.ECX]).toBe(0x50000);
    void cx;
  });
});

describe("call and ret", () => {
  it("call pushes the next instruction's code address; ret returns to it", () => {
    const a = new Asm().jmp(Op.CALL, "f").i(Op.MOV, ebx, imm(2)).i(Op.HALT).label("f").i(Op.MOV, eax, dword(Reg.ESP, 0)).i(Op.RET);
    const cpu = new Cpu(a.build());
    cpu.run(0);
    expect(cpu.regs[Reg.EAX]! >>> 0).toBe(CODE + 1);
    expect(cpu.regs[Reg.EBX]).toBe(2);
    expect(cpu.regs[Reg.ESP]).toBe(cpu.stackTop);
    expect(cpu.eip).toBe(3); // after the HALT
  });

  it("ret n drops n bytes of arguments", () => {
    const a = new Asm()
      .i(Op.PUSH, imm(7))
      .i(Op.PUSH, imm(8))
      .jmp(Op.CALL, "f")
      .i(Op.HALT)
      .label("f")
      .i(Op.MOV, eax, dword(Reg.ESP, 4))
      .i(Op.ADD, eax, dword(Reg.ESP, 8))
      .i(Op.RET, null, null, null, { extra: 8 });
    const cpu = new Cpu(a.build());
    cpu.run(0);
    expect(cpu.regs[Reg.EAX]).toBe(15);
    expect(cpu.regs[Reg.ESP]).toBe(cpu.stackTop);
  });

  it("jumps and calls through a table of code addresses in memory", () => {
    const a = new Asm();
    const table = Layout.DATA_BASE;
    a.i(Op.JMP_INDIRECT, dword(-1, table, Reg.ECX, 4)) // 0
      .i(Op.HALT) // 1
      .label("one")
      .i(Op.MOV, eax, imm(1)) // 2
      .i(Op.MOV, edx, imm(table + 8))
      .i(Op.CALL_INDIRECT, dword(Reg.EDX, 0))
      .i(Op.HALT)
      .label("two")
      .i(Op.MOV, ebx, imm(2))
      .i(Op.RET);
    const bytes = new Uint8Array(12);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, CODE + 1, true);
    view.setUint32(4, CODE + 2, true);
    view.setUint32(8, CODE + 6, true);
    a.data = { base: table, bytes };
    const cpu = new Cpu(a.build());
    cpu.regs[Reg.ECX] = 1;
    cpu.run(0);
    expect(cpu.regs[Reg.EAX]).toBe(1);
    expect(cpu.regs[Reg.EBX]).toBe(2);
    expect(cpu.eip).toBe(6);
    // through a register
    const r = new Asm().i(Op.JMP_INDIRECT, esi).i(Op.MOV, eax, imm(9)).i(Op.HALT);
    expect(runAsm(r, { esi: CODE + 2 }).regs[Reg.EAX]).toBe(0);
  });

  it("a bad jump names the address in hex", () => {
    const f = faultOf(() => runAsm(new Asm().i(Op.NOP).i(Op.JMP_INDIRECT, eax), { eax: 0x401000 }));
    expect(f.kind).toBe("bad-jump");
    expect(f.message).toContain("00401000h");
    expect(f.address).toBe(0x401000);
    expect(f.instrIndex).toBe(1);
  });

  it("ret to something that is not a code address is a bad jump, with ESP unchanged", () => {
    const a = new Asm().i(Op.PUSH, imm(0x12345678)).i(Op.RET);
    const cpu = new Cpu(a.build());
    const f = faultOf(() => cpu.run(0));
    expect(f.kind).toBe("bad-jump");
    expect(f.message).toContain("12345678h");
    expect(cpu.regs[Reg.ESP]).toBe(cpu.stackTop - 4);
    expect(cpu.eip).toBe(1);
    // one past the last instruction is not an instruction either
    const past = faultOf(() => runAsm(new Asm().i(Op.PUSH, imm(CODE + 3)).i(Op.RET))); // 2 is the HALT
    expect(past.kind).toBe("bad-jump");
  });

  it("running off the end of the program faults", () => {
    const cpu = new Cpu(new Asm().i(Op.NOP).build());
    const f = faultOf(() => cpu.run(0));
    expect(f.kind).toBe("bad-jump");
    expect(f.instrIndex).toBe(1);
  });

  it("a direct jump to a missing instruction faults when executed", () => {
    const a = new Asm().i(Op.MOV, eax, imm(1)).jmp(Op.JMP, 99);
    const f = faultOf(() => runAsm(a));
    expect(f.kind).toBe("bad-jump");
    expect(f.instrIndex).toBe(1);
  });

  it("codeAddress and indexOfCodeAddress", () => {
    const cpu = new Cpu(new Asm().i(Op.NOP).i(Op.HALT).build());
    expect(cpu.codeAddress(1)).toBe(CODE + 1);
    expect(cpu.indexOfCodeAddress(CODE + 1)).toBe(1);
    expect(cpu.indexOfCodeAddress(CODE + 2)).toBe(-1);
    expect(cpu.indexOfCodeAddress(CODE - 1)).toBe(-1);
    expect(cpu.indexOfCodeAddress(0)).toBe(-1);
  });
});

describe("step limit", () => {
  it("stops an endless loop at maxSteps", () => {
    const a = new Asm().label("l").i(Op.INC, eax).jmp(Op.JMP, "l");
    const cpu = new Cpu(a.build(), { maxSteps: 1001 });
    const f = faultOf(() => cpu.run(0));
    expect(f.kind).toBe("step-limit");
    expect(cpu.steps).toBe(1001);
    expect(cpu.regs[Reg.EAX]).toBe(501);
    expect(f.instrIndex).toBe(1);
    expect(cpu.eip).toBe(1);
  });

  it("allows exactly maxSteps instructions", () => {
    const a = new Asm().i(Op.NOP).i(Op.NOP).i(Op.HALT);
    const cpu = new Cpu(a.build(), { maxSteps: 3 });
    cpu.run(0);
    expect(cpu.steps).toBe(3);
    const cpu2 = new Cpu(a.build(), { maxSteps: 2 });
    expect(faultOf(() => cpu2.run(0)).kind).toBe("step-limit");
  });

  it("counts each repetition of a REP string instruction", () => {
    const a = new Asm().i(Op.STOS, null, null, null, { size: 1, extra: 1 }).i(Op.HALT);
    const cpu = new Cpu(a.build(), { maxSteps: 100 });
    cpu.regs[Reg.EDI] = Layout.DATA_BASE;
    cpu.regs[Reg.ECX] = 10;
    cpu.run(0);
    expect(cpu.steps).toBe(11);
    // stopped in the middle, the instruction can be resumed
    const cpu2 = new Cpu(a.build(), { maxSteps: 4 });
    cpu2.regs[Reg.EDI] = Layout.DATA_BASE;
    cpu2.regs[Reg.ECX] = 10;
    expect(faultOf(() => cpu2.run(0)).kind).toBe("step-limit");
    expect(cpu2.regs[Reg.ECX]).toBe(6);
    expect(cpu2.eip).toBe(0);
    cpu2.maxSteps = 100;
    cpu2.run(cpu2.eip);
    expect(cpu2.regs[Reg.ECX]).toBe(0);
    expect(cpu2.regs[Reg.EDI]).toBe(Layout.DATA_BASE + 10);
  });
});

describe("the host", () => {
  it("without a host, a VMM call faults", () => {
    const f = faultOf(() => runAsm(new Asm().i(Op.VXDCALL, null, null, null, { extra: 0x10001 })));
    expect(f.kind).toBe("host");
    expect(f.message).toContain("no VMM");
    expect(f.instrIndex).toBe(0);
  });

  it("vxdcall gets the unsigned service id and the instruction index; the host may set registers", () => {
    const h = host({
      vxdcall(cpu) {
        cpu.setReg(Reg.EAX, 4, 42);
        cpu.setFlag("cf", true);
      },
    });
    const a = new Asm().i(Op.NOP).i(Op.VXDCALL, null, null, null, { extra: 0x80010002 | 0 }).i(Op.ADC, ebx, imm(0));
    const cpu = runAsm(a, {}, { host: h });
    expect(h.log).toEqual(["vxdcall 80010002 @1"]);
    expect(cpu.regs[Reg.EAX]).toBe(42);
    expect(cpu.regs[Reg.EBX]).toBe(1);
  });

  it("vxdjmp calls the service and then returns", () => {
    const h = host();
    const a = new Asm().jmp(Op.CALL, "f").i(Op.MOV, eax, imm(1)).i(Op.HALT).label("f").i(Op.VXDJMP, null, null, null, { extra: 7 }).i(Op.MOV, eax, imm(2));
    const cpu = new Cpu(a.build(), { host: h });
    cpu.run(0);
    expect(cpu.regs[Reg.EAX]).toBe(1);
    expect(h.log).toEqual(["vxdcall 7 @3"]);
  });

  it("int hands the vector to the host", () => {
    const h = host();
    runAsm(new Asm().i(Op.INT, null, null, null, { extra: 0x21 }), {}, { host: h });
    expect(h.log).toEqual(["int 21 @0"]);
  });

  it("Trace_Out sees the registers as they are and cannot change them or the flags", () => {
    const seen: number[] = [];
    const h = host({
      traceOut(cpu, text) {
        seen.push(...cpu.regs, cpu.getEflags());
        expect(text).toBe("hello #EAX");
        cpu.regs.fill(0);
        cpu.setEflags(0);
        cpu.memory.write32(Layout.DATA_BASE, 5); // memory is the host's to change
      },
    });
    const a = new Asm().i(Op.SUB, eax, imm(1)).i(Op.TRACE_OUT, null, null, null, { text: "hello #EAX" }).i(Op.SETCC, { kind: "reg", reg: Reg.EBX, size: 1, high: false }, null, null, { extra: Cond.B });
    const cpu = runAsm(a, { eax: 0, ecx: 3, esi: 9 }, { host: h });
    const sp = cpu.stackTop;
    expect(seen).toEqual([-1, 3, 0, 0, sp, 0, 9, 0, 0x97]);
    expect(Array.from(cpu.regs)).toEqual([-1, 3, 0, 1, sp, 0, 9, 0]);
    expect(flagString(cpu)).toBe("CPA-S-");
    expect(cpu.memory.read32(Layout.DATA_BASE)).toBe(5);
  });

  it("halt ends the run; run can start anywhere", () => {
    const a = new Asm().i(Op.MOV, eax, imm(1)).i(Op.HALT).i(Op.MOV, eax, imm(2)).i(Op.HALT);
    const cpu = new Cpu(a.build());
    cpu.run(2);
    expect(cpu.regs[Reg.EAX]).toBe(2);
    expect(cpu.eip).toBe(4);
    expect(faultOf(() => cpu.run(4)).kind).toBe("bad-jump");
    expect(faultOf(() => cpu.run(-1)).kind).toBe("bad-jump");
  });

  it("trap faults with its text", () => {
    const f = faultOf(() => runAsm(new Asm().i(Op.NOP).i(Op.TRAP, null, null, null, { text: "undefined symbol FOO" })));
    expect(f.kind).toBe("trap");
    expect(f.message).toBe("undefined symbol FOO");
    expect(f.instrIndex).toBe(1);
  });
});

describe("callGuest", () => {
  // 0: f: inc eax / ret          (a guest procedure)
  // 2: g: add ebx, 10 / vxdcall 1 / add ebx, 100 / ret   (calls a service that calls back into f)
  // 6: entry: vxdcall 2 / halt
  function prog() {
    return new Asm()
      .label("f")
      .i(Op.INC, eax)
      .i(Op.RET)
      .label("g")
      .i(Op.ADD, ebx, imm(10))
      .i(Op.VXDCALL, null, null, null, { extra: 1 })
      .i(Op.ADD, ebx, imm(100))
      .i(Op.RET)
      .label("entry")
      .i(Op.VXDCALL, null, null, null, { extra: 2 })
      .i(Op.HALT)
      .build();
  }

  it("runs a guest procedure and returns to the host", () => {
    const cpu = new Cpu(prog());
    cpu.eip = 1234;
    cpu.callGuest(cpu.codeAddress(0));
    expect(cpu.regs[Reg.EAX]).toBe(1);
    expect(cpu.regs[Reg.ESP]).toBe(cpu.stackTop);
    expect(cpu.eip).toBe(1234);
  });

  it("nests: the guest calls a service that calls back into the guest", () => {
    const depths: number[] = [];
    const h = host({
      vxdcall(cpu, id) {
        depths.push(cpu.backtrace().length);
        if (id === 2) cpu.callGuest(cpu.codeAddress(2));
        else cpu.callGuest(cpu.codeAddress(0));
      },
    });
    const cpu = new Cpu(prog(), { host: h });
    cpu.run(6);
    expect(cpu.regs[Reg.EAX]).toBe(1);
    expect(cpu.regs[Reg.EBX]).toBe(110);
    expect(cpu.regs[Reg.ESP]).toBe(cpu.stackTop);
    expect(h.log).toEqual(["vxdcall 2 @6", "vxdcall 1 @3"]);
    expect(depths).toEqual([1, 2]);
    expect(cpu.eip).toBe(8);
    expect(cpu.steps).toBe(2 + 4 + 2);
  });

  it("a fault deep inside nested activations keeps the innermost location and backtrace", () => {
    const a = new Asm()
      .label("bad")
      .i(Op.MOV, eax, dword(-1, 0)) // 0: null pointer
      .i(Op.RET)
      .label("mid")
      .jmp(Op.CALL, "bad") // 2
      .i(Op.RET)
      .label("svc")
      .i(Op.VXDCALL, null, null, null, { extra: 9 }) // 4
      .i(Op.RET)
      .label("entry")
      .jmp(Op.CALL, "svc") // 6
      .i(Op.HALT);
    const h = host({ vxdcall: (cpu) => cpu.callGuest(cpu.codeAddress(2)) });
    const cpu = new Cpu(a.build(), { host: h });
    const f = faultOf(() => cpu.run(6));
    expect(f.kind).toBe("null-pointer");
    expect(f.instrIndex).toBe(0);
    expect(f.backtrace).toEqual([2, 4, 6]);
    expect(cpu.backtrace()).toEqual([]);
  });

  it("the backtrace lists active call sites, innermost first", () => {
    const trace: number[][] = [];
    const a = new Asm()
      .jmp(Op.CALL, "f") // 0
      .i(Op.HALT)
      .label("f")
      .jmp(Op.CALL, "g") // 2
      .i(Op.RET)
      .label("g")
      .i(Op.TRACE_OUT, null, null, null, { text: "in g" }) // 4
      .i(Op.RET);
    const h = host({ traceOut: (cpu) => trace.push(cpu.backtrace()) });
    const cpu = new Cpu(a.build(), { host: h });
    cpu.run(0);
    expect(trace).toEqual([[4, 2, 0]]);
    expect(cpu.backtrace()).toEqual([]);
  });

  it("a return that skips frames (add esp / jmp) keeps the call stack consistent", () => {
    const a = new Asm()
      .jmp(Op.CALL, "f") // 0
      .i(Op.TRAP, null, null, null, { text: "here" }) // 1
      .label("f")
      .jmp(Op.CALL, "g") // 2
      .i(Op.HALT)
      .label("g")
      .i(Op.ADD, { kind: "reg", reg: Reg.ESP, size: 4, high: false }, imm(4)) // drop g's return address
      .i(Op.RET); // returns from f to 1
    const f = faultOf(() => new Cpu(a.build()).run(0));
    expect(f.instrIndex).toBe(1);
    expect(f.backtrace).toEqual([]);
  });

  it("callGuest to an address that is not code faults", () => {
    const cpu = new Cpu(prog());
    const f = faultOf(() => cpu.callGuest(0x1234));
    expect(f.kind).toBe("bad-jump");
    expect(cpu.regs[Reg.ESP]).toBe(cpu.stackTop);
  });
});

describe("onStep", () => {
  it("is called before each instruction with its index", () => {
    const seen: [number, number][] = [];
    const a = new Asm().i(Op.MOV, ecx, imm(2)).label("l").i(Op.INC, eax).jmp(Op.LOOP, "l").i(Op.HALT);
    const cpu = new Cpu(a.build(), { onStep: (c, i) => seen.push([i, c.regs[Reg.EAX]!]) });
    cpu.run(0);
    expect(seen).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
    expect(cpu.steps).toBe(6);
  });

  it("still enforces the step limit and reports faults", () => {
    const a = new Asm().label("l").jmp(Op.JMP, "l");
    let n = 0;
    const cpu = new Cpu(a.build(), { maxSteps: 10, onStep: () => n++ });
    expect(faultOf(() => cpu.run(0)).kind).toBe("step-limit");
    expect(n).toBe(10);
    const b = new Cpu(new Asm().i(Op.NOP).i(Op.POP, eax).build(), { onStep: () => {} });
    const f = faultOf(() => b.run(0));
    expect(f.kind).toBe("stack-underflow");
    expect(f.instrIndex).toBe(1);
  });
});
