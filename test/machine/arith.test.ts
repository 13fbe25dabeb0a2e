import { describe, expect, it } from "vitest";
import { Op, Reg } from "../../src/ir/types.js";
import type { Operand } from "../../src/ir/types.js";
import { Asm, ah, al, ax, bh, bl, cx, dh, dl, eax, ebx, ecx, flagString, imm, runAsm } from "./ir-builder.js";
import type { Init } from "./ir-builder.js";

// flags are written C P A Z S O, "-" for a clear flag
const ALL = 0x8d5;

interface Row {
  asm: string;
  op: number;
  a: Operand;
  b?: Operand;
  init: Init;
  want: Partial<Record<"eax" | "ebx" | "ecx" | "edx", number>>;
  flags: string;
}

const rows: Row[] = [
  { asm: "add eax, 1 (FFFFFFFF)", op: Op.ADD, a: eax, b: imm(1), init: { eax: -1 }, want: { eax: 0 }, flags: "CPAZ--" },
  { asm: "add eax, 1 (7FFFFFFF)", op: Op.ADD, a: eax, b: imm(1), init: { eax: 0x7fffffff }, want: { eax: 0x80000000 }, flags: "-PA-SO" },
  { asm: "add eax, ebx (80000000 + 80000000)", op: Op.ADD, a: eax, b: ebx, init: { eax: 0x80000000, ebx: 0x80000000 }, want: { eax: 0 }, flags: "CP-Z-O" },
  { asm: "sub eax, 1 (0)", op: Op.SUB, a: eax, b: imm(1), init: { eax: 0 }, want: { eax: 0xffffffff }, flags: "CPA-S-" },
  { asm: "sub eax, 1 (80000000)", op: Op.SUB, a: eax, b: imm(1), init: { eax: 0x80000000 }, want: { eax: 0x7fffffff }, flags: "-PA--O" },
  { asm: "sub al, 1 (80)", op: Op.SUB, a: al, b: imm(1), init: { eax: 0x12345680 }, want: { eax: 0x1234567f }, flags: "--A--O" },
  { asm: "neg al (80)", op: Op.NEG, a: al, init: { eax: 0x80 }, want: { eax: 0x80 }, flags: "C---SO" },
  { asm: "neg eax (0)", op: Op.NEG, a: eax, init: { eax: 0, eflags: ALL }, want: { eax: 0 }, flags: "-P-Z--" },
  { asm: "neg cx (7F)", op: Op.NEG, a: cx, init: { ecx: 0x7f }, want: { ecx: 0xff81 }, flags: "CPA-S-" },
  { asm: "adc eax, 0 (FFFFFFFF, CF)", op: Op.ADC, a: eax, b: imm(0), init: { eax: -1, eflags: 1 }, want: { eax: 0 }, flags: "CPAZ--" },
  { asm: "adc eax, 0 (FFFFFFFF, no CF)", op: Op.ADC, a: eax, b: imm(0), init: { eax: -1 }, want: { eax: 0xffffffff }, flags: "-P--S-" },
  { asm: "adc al, FF (FF, CF)", op: Op.ADC, a: al, b: imm(0xff), init: { eax: 0xff, eflags: 1 }, want: { eax: 0xff }, flags: "CPA-S-" },
  { asm: "adc eax, 7FFFFFFF (0, CF)", op: Op.ADC, a: eax, b: imm(0x7fffffff), init: { eax: 0, eflags: 1 }, want: { eax: 0x80000000 }, flags: "-PA-SO" },
  { asm: "sbb eax, 0 (0, CF)", op: Op.SBB, a: eax, b: imm(0), init: { eax: 0, eflags: 1 }, want: { eax: 0xffffffff }, flags: "CPA-S-" },
  { asm: "sbb al, FF (0, CF)", op: Op.SBB, a: al, b: imm(0xff), init: { eax: 0, eflags: 1 }, want: { eax: 0 }, flags: "CPAZ--" },
  { asm: "sbb eax, FFFFFFFF (FFFFFFFF, CF)", op: Op.SBB, a: eax, b: imm(-1), init: { eax: -1, eflags: 1 }, want: { eax: 0xffffffff }, flags: "CPA-S-" },
  { asm: "cmp eax, ebx (1, 2)", op: Op.CMP, a: eax, b: ebx, init: { eax: 1, ebx: 2 }, want: { eax: 1, ebx: 2 }, flags: "CPA-S-" },
  { asm: "cmp ax, 8000 (7FFF)", op: Op.CMP, a: ax, b: imm(0x8000), init: { eax: 0x7fff }, want: { eax: 0x7fff }, flags: "CP--SO" },
  { asm: "cmp eax, eax", op: Op.CMP, a: eax, b: eax, init: { eax: 0x1234, eflags: ALL }, want: { eax: 0x1234 }, flags: "-P-Z--" },
  { asm: "inc eax (FFFFFFFF, no CF)", op: Op.INC, a: eax, init: { eax: -1 }, want: { eax: 0 }, flags: "-PAZ--" },
  { asm: "inc eax (FFFFFFFF, CF kept)", op: Op.INC, a: eax, init: { eax: -1, eflags: 1 }, want: { eax: 0 }, flags: "CPAZ--" },
  { asm: "inc ax (7FFF)", op: Op.INC, a: ax, init: { eax: 0xabcd7fff }, want: { eax: 0xabcd8000 }, flags: "-PA-SO" },
  { asm: "dec al (0, CF kept)", op: Op.DEC, a: al, init: { eax: 0x100, eflags: 1 }, want: { eax: 0x1ff }, flags: "CPA-S-" },
  { asm: "dec eax (80000000)", op: Op.DEC, a: eax, init: { eax: 0x80000000 }, want: { eax: 0x7fffffff }, flags: "-PA--O" },
  { asm: "and eax, 0 (all flags set before)", op: Op.AND, a: eax, b: imm(0), init: { eax: -1, eflags: ALL }, want: { eax: 0 }, flags: "-P-Z--" },
  { asm: "or al, 80 (1)", op: Op.OR, a: al, b: imm(0x80), init: { eax: 0xff01, eflags: ALL }, want: { eax: 0xff81 }, flags: "-P--S-" },
  { asm: "xor eax, eax", op: Op.XOR, a: eax, b: eax, init: { eax: 0x5555, eflags: ALL }, want: { eax: 0 }, flags: "-P-Z--" },
  { asm: "test ah, ah (80)", op: Op.TEST, a: ah, b: ah, init: { eax: 0x8000, eflags: ALL }, want: { eax: 0x8000 }, flags: "----S-" },
  { asm: "not eax (flags kept)", op: Op.NOT, a: eax, init: { eax: 0x0f0f0f0f, eflags: ALL }, want: { eax: 0xf0f0f0f0 }, flags: "CPAZSO" },
  { asm: "add ax, 1 (1234FFFF)", op: Op.ADD, a: ax, b: imm(1), init: { eax: 0x1234ffff }, want: { eax: 0x12340000 }, flags: "CPAZ--" },
  { asm: "sub bh, 1 (0)", op: Op.SUB, a: bh, b: imm(1), init: { ebx: 0x12 }, want: { ebx: 0xff12 }, flags: "CPA-S-" },
  { asm: "add dh, dl (7F + 01)", op: Op.ADD, a: dh, b: dl, init: { edx: 0x7f01 }, want: { edx: 0x8001 }, flags: "--A-SO" },
  { asm: "add bl, bh (FF + 01)", op: Op.ADD, a: bl, b: bh, init: { ebx: 0xaabb01ff }, want: { ebx: 0xaabb0100 }, flags: "CPAZ--" },
];

describe("add sub adc sbb cmp inc dec neg and or xor test not: results and every flag", () => {
  for (const row of rows) {
    it(row.asm, () => {
      const cpu = runAsm(new Asm().i(row.op, row.a, row.b ?? null), row.init);
      for (const [name, v] of Object.entries(row.want)) {
        const r = { eax: Reg.EAX, ebx: Reg.EBX, ecx: Reg.ECX, edx: Reg.EDX }[name as "eax"];
        expect(cpu.regs[r]! >>> 0, name).toBe(v >>> 0);
      }
      expect(flagString(cpu)).toBe(row.flags);
    });
  }

  it("reads the flags of an earlier instruction after a flag-free one", () => {
    // sub sets CF; mov and not leave it; adc then consumes it
    const a = new Asm().i(Op.SUB, eax, imm(1)).i(Op.MOV, ebx, imm(10)).i(Op.NOT, ebx).i(Op.ADC, ebx, imm(0));
    const cpu = runAsm(a, { eax: 0 });
    expect(cpu.regs[Reg.EBX]).toBe(~10 + 1);
  });

  it("keeps CF through inc/dec chains", () => {
    const a = new Asm().i(Op.STC).i(Op.INC, eax).i(Op.DEC, ebx).i(Op.INC, al).i(Op.ADC, ebx, imm(0));
    const cpu = runAsm(a, { eax: 0, ebx: 5 });
    expect(cpu.regs[Reg.EBX]).toBe(5);
    expect(cpu.getFlag("cf")).toBe(false);
  });
});

describe("8-bit high registers", () => {
  it("read and write AH CH DH BH without touching other bits", () => {
    const a = new Asm()
      .i(Op.MOV, ah, imm(0x12))
      .i(Op.MOV, bh, al)
      .i(Op.XCHG, ah, bl)
      .i(Op.MOVZX, ecx, bh);
    const cpu = runAsm(a, { eax: 0xaabbccdd, ebx: 0x11223344, ecx: -1 });
    expect(cpu.regs[Reg.EAX]! >>> 0).toBe(0xaabb44dd);
    expect(cpu.regs[Reg.EBX]! >>> 0).toBe(0x1122dd12);
    expect(cpu.regs[Reg.ECX]).toBe(0xdd);
  });

  it("getReg and setReg use the same views", async () => {
    const { Cpu } = await import("../../src/machine/index.js");
    const cpu = new Cpu(new Asm().build());
    cpu.regs[Reg.EDX] = 0x11223344;
    expect(cpu.getReg(Reg.EDX, 1, true)).toBe(0x33);
    expect(cpu.getReg(Reg.EDX, 1)).toBe(0x44);
    expect(cpu.getReg(Reg.EDX, 2)).toBe(0x3344);
    expect(cpu.getReg(Reg.EDX, 4)).toBe(0x11223344);
    cpu.setReg(Reg.EDX, 1, 0x1ff, true);
    expect(cpu.getReg(Reg.EDX, 4)).toBe(0x1122ff44);
    cpu.setReg(Reg.EDX, 2, 0xabcd);
    expect(cpu.getReg(Reg.EDX, 4)).toBe(0x1122abcd);
    cpu.setReg(Reg.EDX, 4, 0xfedcba98);
    expect(cpu.getReg(Reg.EDX, 4)).toBe(0xfedcba98);
    expect(cpu.regs[Reg.EDX]).toBe(0xfedcba98 | 0);
  });
});
