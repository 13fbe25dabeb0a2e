import { describe, expect, it } from "vitest";
import { Op, Reg } from "../../src/ir/types.js";
import type { Operand } from "../../src/ir/types.js";
import { Asm, al, ax, bx, cl, dword, eax, ebx, flagString, imm, runAsm, word } from "./ir-builder.js";

// flags: C P A Z S O ("-" = clear). Where the manual leaves a flag undefined the expected value is
// the machine's documented choice (the same as QEMU's).
interface Row {
  asm: string;
  op: number;
  a: Operand;
  count: number;
  v: number;
  cf?: boolean;
  want: number;
  flags: string;
  flagsBefore?: number;
}

const rows: Row[] = [
  { asm: "shl eax, 1", op: Op.SHL, a: eax, count: 1, v: 0x80000001, want: 0x00000002, flags: "C----O" },
  { asm: "shl eax, 0 changes nothing", op: Op.SHL, a: eax, count: 0, v: 0x80000001, want: 0x80000001, flags: "CPAZSO", flagsBefore: 0x8d5 },
  { asm: "shl eax, 32 is a count of 0", op: Op.SHL, a: eax, count: 32, v: 0x1234, want: 0x1234, flags: "-P-Z--", flagsBefore: 0x44 },
  { asm: "shl eax, 31", op: Op.SHL, a: eax, count: 31, v: 3, want: 0x80000000, flags: "CP--S-" },
  { asm: "shl al, 8 (count = width)", op: Op.SHL, a: al, count: 8, v: 0x81, want: 0, flags: "CP-Z-O" },
  { asm: "shl al, 9 (count > width)", op: Op.SHL, a: al, count: 9, v: 0xff, want: 0, flags: "-P-Z--" },
  { asm: "shl ax, 4", op: Op.SHL, a: ax, count: 4, v: 0x1234, want: 0x2340, flags: "C----O" },
  { asm: "shr eax, 1", op: Op.SHR, a: eax, count: 1, v: 0x80000001, want: 0x40000000, flags: "CP---O" },
  { asm: "shr eax, 31", op: Op.SHR, a: eax, count: 31, v: 0xc0000000, want: 1, flags: "C-----" },
  { asm: "shr ax, 16 (count = width)", op: Op.SHR, a: ax, count: 16, v: 0x8000, want: 0, flags: "CP-Z--" },
  { asm: "shr al, 1 of 1", op: Op.SHR, a: al, count: 1, v: 1, want: 0, flags: "CP-Z--" },
  { asm: "sar al, 1", op: Op.SAR, a: al, count: 1, v: 0x81, want: 0xc0, flags: "CP--S-" },
  { asm: "sar eax, 31", op: Op.SAR, a: eax, count: 31, v: 0x80000000, want: 0xffffffff, flags: "-P--S-" },
  { asm: "sar al, 9 (count > width)", op: Op.SAR, a: al, count: 9, v: 0x80, want: 0xff, flags: "CP--S-" },
  { asm: "sar ax, 4", op: Op.SAR, a: ax, count: 4, v: 0x7ff8, want: 0x07ff, flags: "CP----" },
  { asm: "rol al, 1", op: Op.ROL, a: al, count: 1, v: 0x81, want: 0x03, flags: "C----O" },
  { asm: "rol eax, 4 keeps SZAP", op: Op.ROL, a: eax, count: 4, v: 0x12345678, want: 0x23456781, flags: "CPAZSO", flagsBefore: 0xd5 },
  { asm: "rol ax, 16 (rotates nothing, still sets CF)", op: Op.ROL, a: ax, count: 16, v: 0x8001, want: 0x8001, flags: "C-----" },
  { asm: "ror eax, 1", op: Op.ROR, a: eax, count: 1, v: 1, want: 0x80000000, flags: "C----O" },
  { asm: "ror al, 3", op: Op.ROR, a: al, count: 3, v: 0xc1, want: 0x38, flags: "------" },
  { asm: "ror eax, 0 changes nothing", op: Op.ROR, a: eax, count: 0, v: 5, want: 5, flags: "C-----", flagsBefore: 1 },
  { asm: "rcl al, 1 (CF clear)", op: Op.RCL, a: al, count: 1, v: 0x80, want: 0, flags: "C----O" },
  { asm: "rcl eax, 1 (CF set)", op: Op.RCL, a: eax, count: 1, v: 0, cf: true, want: 1, flags: "------" },
  { asm: "rcl al, 9 rotates 9 bits: nothing", op: Op.RCL, a: al, count: 9, v: 0x5a, cf: true, want: 0x5a, flags: "C-----" },
  { asm: "rcl ax, 17 rotates 17 bits: nothing", op: Op.RCL, a: ax, count: 17, v: 0x1234, want: 0x1234, flags: "------" },
  { asm: "rcl eax, 31", op: Op.RCL, a: eax, count: 31, v: 1, want: 0x80000000, flags: "-----O" },
  { asm: "rcl al, 8 (CF set)", op: Op.RCL, a: al, count: 8, v: 0x01, cf: true, want: 0x80, flags: "C----O" },
  { asm: "rcr al, 1 (CF set)", op: Op.RCR, a: al, count: 1, v: 0x01, cf: true, want: 0x80, flags: "C----O" },
  { asm: "rcr eax, 1 (CF clear)", op: Op.RCR, a: eax, count: 1, v: 0x80000001, want: 0x40000000, flags: "C----O" },
  { asm: "rcr ax, 2 (CF set)", op: Op.RCR, a: ax, count: 2, v: 0x0003, cf: true, want: 0xc000, flags: "C----O" },
];

describe("shifts and rotates: results and flags", () => {
  for (const row of rows) {
    it(row.asm, () => {
      const flags = (row.flagsBefore ?? 0) | (row.cf ? 1 : 0);
      const cpu = runAsm(new Asm().i(row.op, row.a, imm(row.count)), { eax: row.v, eflags: flags });
      const width = row.a === al ? 0xff : row.a === ax ? 0xffff : 0xffffffff;
      expect((cpu.regs[Reg.EAX]! & width) >>> 0).toBe(row.want);
      expect(flagString(cpu)).toBe(row.flags);
    });
  }

  it("takes the count from CL, masked to 5 bits", () => {
    const cpu = runAsm(new Asm().i(Op.SHL, ebx, cl), { ebx: 1, ecx: 0x21 });
    expect(cpu.regs[Reg.EBX]).toBe(2);
  });

  it("keeps the upper bits of 8/16-bit registers", () => {
    const cpu = runAsm(new Asm().i(Op.SHR, bx, imm(4)), { ebx: 0xabcd1234 });
    expect(cpu.regs[Reg.EBX]! >>> 0).toBe(0xabcd0123);
  });

  it("shifts memory operands", () => {
    const a = new Asm();
    a.data = { base: 0x400000, bytes: new Uint8Array([0x01, 0x80, 0, 0, 0xff, 0xff, 0xff, 0x7f]) };
    a.i(Op.ROL, word(-1, 0x400000), imm(1)).i(Op.SAR, dword(-1, 0x400004), imm(30));
    const cpu = runAsm(a);
    expect(cpu.memory.read16(0x400000)).toBe(0x0003);
    expect(cpu.memory.read32(0x400004)).toBe(1);
    expect(cpu.getFlag("cf")).toBe(true);
  });
});
