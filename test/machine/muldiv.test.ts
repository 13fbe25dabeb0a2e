import { describe, expect, it } from "vitest";
import { Op, Reg } from "../../src/ir/types.js";
import { Cpu, MachineFault } from "../../src/machine/index.js";
import { Asm, ax, bl, bx, cl, eax, ebx, ecx, flagString, imm, runAsm } from "./ir-builder.js";
import type { Init } from "./ir-builder.js";

const u = (x: number) => x >>> 0;

function run(build: (a: Asm) => Asm, init: Init) {
  return runAsm(build(new Asm()), init);
}

function divFault(build: (a: Asm) => Asm, init: Init): MachineFault {
  try {
    run(build, init);
  } catch (e) {
    if (e instanceof MachineFault) return e;
    throw e;
  }
  throw new Error("no fault");
}

describe("mul and imul", () => {
  it("mul r32: EDX:EAX, CF = OF = (EDX != 0)", () => {
    const cpu = run((a) => a.i(Op.MUL, ebx), { eax: 0x80000001, ebx: 3 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x80000003);
    expect(cpu.regs[Reg.EDX]).toBe(1);
    // SF ZF PF AF undefined: SZP from EAX, AF = 0 (as QEMU)
    expect(flagString(cpu)).toBe("CP--SO");
  });

  it("mul r32 with the largest operands", () => {
    const cpu = run((a) => a.i(Op.MUL, ebx), { eax: -1, ebx: -1 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(1);
    expect(u(cpu.regs[Reg.EDX]!)).toBe(0xfffffffe);
    expect(cpu.getFlag("cf")).toBe(true);
  });

  it("mul r32 without overflow clears CF and OF", () => {
    const cpu = run((a) => a.i(Op.MUL, ecx), { eax: 0x10000, ecx: 0xffff, edx: 77, eflags: 0x801 });
    expect(cpu.regs[Reg.EAX]).toBe(0xffff0000 | 0);
    expect(cpu.regs[Reg.EDX]).toBe(0);
    expect(cpu.getFlag("cf")).toBe(false);
    expect(cpu.getFlag("of")).toBe(false);
  });

  it("mul r8: AX = AL * r8", () => {
    const cpu = run((a) => a.i(Op.MUL, bl), { eax: 0x12345680, ebx: 2 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x12340100);
    expect(cpu.getFlag("cf")).toBe(true);
  });

  it("mul r16: DX:AX = AX * r16, upper halves kept", () => {
    const cpu = run((a) => a.i(Op.MUL, bx), { eax: 0xaaaa8000, ebx: 4, edx: 0xbbbbbbbb });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0xaaaa0000);
    expect(u(cpu.regs[Reg.EDX]!)).toBe(0xbbbb0002);
  });

  it("imul r32 (one operand): signed EDX:EAX", () => {
    const cpu = run((a) => a.i(Op.IMUL1, ebx), { eax: -2, ebx: 3 });
    expect(cpu.regs[Reg.EAX]).toBe(-6);
    expect(cpu.regs[Reg.EDX]).toBe(-1);
    expect(cpu.getFlag("cf")).toBe(false); // the high half is only the sign
    const big = run((a) => a.i(Op.IMUL1, ebx), { eax: 0x80000000, ebx: 0x80000000 });
    expect(big.regs[Reg.EAX]).toBe(0);
    expect(big.regs[Reg.EDX]).toBe(0x40000000);
    expect(big.getFlag("cf")).toBe(true);
    expect(big.getFlag("of")).toBe(true);
  });

  it("imul r8: AX = AL * r8 signed", () => {
    const cpu = run((a) => a.i(Op.IMUL1, cl), { eax: 0x80, ecx: 0x7f });
    expect(cpu.regs[Reg.EAX]! & 0xffff).toBe(0xc080); // -128 * 127 = -16256
    expect(cpu.getFlag("of")).toBe(true);
    const small = run((a) => a.i(Op.IMUL1, cl), { eax: 0xff, ecx: 0x7f });
    expect(small.regs[Reg.EAX]! & 0xffff).toBe(0xff81); // -1 * 127 fits in AL
    expect(small.getFlag("cf")).toBe(false);
  });

  it("imul r32, r/m32 (two operands): truncation sets CF and OF", () => {
    const cpu = run((a) => a.i(Op.IMUL2, eax, ebx), { eax: 0x10000, ebx: 0x10000 });
    expect(cpu.regs[Reg.EAX]).toBe(0);
    expect(flagString(cpu)).toBe("CP-Z-O");
    const fits = run((a) => a.i(Op.IMUL2, eax, ebx), { eax: -0x8000, ebx: 0x10000 });
    expect(fits.regs[Reg.EAX]).toBe(-0x80000000);
    expect(fits.getFlag("of")).toBe(false);
  });

  it("imul r16, r/m16, imm (three operands)", () => {
    const cpu = run((a) => a.i(Op.IMUL3, ax, bx, imm(0x100)), { eax: 0x12345678, ebx: 0x0080 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x12348000); // 128*256 = 32768 does not fit in 16 signed bits
    expect(cpu.getFlag("cf")).toBe(true);
    const ok = run((a) => a.i(Op.IMUL3, eax, ebx, imm(-3)), { ebx: 5 });
    expect(ok.regs[Reg.EAX]).toBe(-15);
    expect(ok.getFlag("cf")).toBe(false);
  });
});

describe("div and idiv", () => {
  it("div r32: EDX:EAX / r32", () => {
    const cpu = run((a) => a.i(Op.DIV, ebx), { edx: 1, eax: 6, ebx: 3 }); // 0x100000006 / 3
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x55555557);
    expect(cpu.regs[Reg.EDX]).toBe(1);
  });

  it("div r32 with the largest quotient", () => {
    const cpu = run((a) => a.i(Op.DIV, ebx), { edx: 0xfffffffe, eax: -1, ebx: -1 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0xffffffff);
    expect(u(cpu.regs[Reg.EDX]!)).toBe(0xfffffffe);
  });

  it("div leaves the flags unchanged (they are undefined)", () => {
    const cpu = run((a) => a.i(Op.DIV, ebx), { eax: 7, ebx: 2, eflags: 0x8d5 });
    expect(cpu.regs[Reg.EAX]).toBe(3);
    expect(cpu.regs[Reg.EDX]).toBe(1);
    expect(flagString(cpu)).toBe("CPAZSO");
  });

  it("idiv r32: quotient rounds toward zero, remainder has the dividend's sign", () => {
    const cpu = run((a) => a.i(Op.CDQ).i(Op.IDIV, ebx), { eax: -7, ebx: 2 });
    expect(cpu.regs[Reg.EAX]).toBe(-3);
    expect(cpu.regs[Reg.EDX]).toBe(-1);
    const neg = run((a) => a.i(Op.CDQ).i(Op.IDIV, ebx), { eax: 7, ebx: -2 });
    expect(neg.regs[Reg.EAX]).toBe(-3);
    expect(neg.regs[Reg.EDX]).toBe(1);
    const min = run((a) => a.i(Op.CDQ).i(Op.IDIV, ebx), { eax: -0x80000000, ebx: 1 });
    expect(min.regs[Reg.EAX]).toBe(-0x80000000);
  });

  it("div r8 and idiv r8: AL = quotient, AH = remainder", () => {
    const cpu = run((a) => a.i(Op.DIV, bl), { eax: 0xffff03e8, ebx: 7 }); // 1000 / 7
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0xffff068e);
    const s = run((a) => a.i(Op.IDIV, bl), { eax: 0xff9c, ebx: 0x07 }); // -100 / 7
    expect(s.regs[Reg.EAX]! & 0xffff).toBe(0xfef2); // AL = -14, AH = -2
  });

  it("div r16 and idiv r16: AX = quotient, DX = remainder", () => {
    const cpu = run((a) => a.i(Op.DIV, bx), { edx: 0x11110001, eax: 0x22220000, ebx: 2 }); // 0x10000 / 2
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x22228000);
    expect(u(cpu.regs[Reg.EDX]!)).toBe(0x11110000);
    const s = run((a) => a.i(Op.IDIV, bx), { edx: 0xffff, eax: 0xfffe, ebx: 0xffff }); // -2 / -1
    expect(s.regs[Reg.EAX]! & 0xffff).toBe(2);
    expect(s.regs[Reg.EDX]! & 0xffff).toBe(0);
  });

  const faults: [string, (a: Asm) => Asm, Init][] = [
    ["div by zero", (a) => a.i(Op.DIV, ebx), { eax: 1, ebx: 0 }],
    ["div quotient too large", (a) => a.i(Op.DIV, ebx), { edx: 3, eax: 0, ebx: 3 }],
    ["div r8 quotient too large", (a) => a.i(Op.DIV, bl), { eax: 0x100, ebx: 1 }],
    ["div r16 quotient too large", (a) => a.i(Op.DIV, bx), { edx: 1, eax: 0, ebx: 1 }],
    ["idiv by zero", (a) => a.i(Op.IDIV, ecx), { eax: 5 }],
    ["idiv 80000000h / -1", (a) => a.i(Op.CDQ).i(Op.IDIV, ebx), { eax: 0x80000000, ebx: -1 }],
    ["idiv r8 -128 / -1", (a) => a.i(Op.IDIV, bl), { eax: 0xff80, ebx: 0xff }],
    ["idiv r16 quotient 32768", (a) => a.i(Op.IDIV, bx), { edx: 0, eax: 0x8000, ebx: 1 }],
  ];
  for (const [name, build, init] of faults) {
    it(`faults: ${name}, registers unchanged`, () => {
      const f = divFault(build, init);
      expect(f.kind).toBe("divide");
      expect(f.instrIndex).toBeGreaterThanOrEqual(0);
    });
  }

  it("leaves the registers as they were on a divide error", () => {
    const a = new Asm().i(Op.DIV, ebx).i(Op.HALT);
    const cpu = new Cpu(a.build());
    cpu.regs[Reg.EAX] = 0x1234;
    cpu.regs[Reg.EDX] = 0x5678;
    expect(() => cpu.run(0)).toThrow(MachineFault);
    expect(cpu.regs[Reg.EAX]).toBe(0x1234);
    expect(cpu.regs[Reg.EDX]).toBe(0x5678);
    expect(cpu.eip).toBe(0);
  });
});

describe("cdq cwde cbw cwd", () => {
  it("sign-extend the accumulator", () => {
    expect(run((a) => a.i(Op.CDQ), { eax: -5, edx: 7 }).regs[Reg.EDX]).toBe(-1);
    expect(run((a) => a.i(Op.CDQ), { eax: 5, edx: 7 }).regs[Reg.EDX]).toBe(0);
    expect(run((a) => a.i(Op.CWDE), { eax: 0x12348000 }).regs[Reg.EAX]).toBe(0xffff8000 | 0);
    expect(u(run((a) => a.i(Op.CBW), { eax: 0x12345680 }).regs[Reg.EAX]!)).toBe(0x1234ff80);
    expect(u(run((a) => a.i(Op.CBW), { eax: 0x1234567f }).regs[Reg.EAX]!)).toBe(0x1234007f);
    const cwd = run((a) => a.i(Op.CWD), { eax: 0x8000, edx: 0x12345678 });
    expect(u(cwd.regs[Reg.EDX]!)).toBe(0x1234ffff);
  });
});
