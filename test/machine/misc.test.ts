import { describe, expect, it } from "vitest";
import { Layout, Op, Reg, Rep } from "../../src/ir/types.js";
import { Asm, ah, al, ax, bx, byte, cl, dword, eax, ebx, ecx, edx, flagString, imm, runAsm, word } from "./ir-builder.js";

const D = Layout.DATA_BASE;
const u = (x: number) => x >>> 0;

function withData(bytes: number[]): Asm {
  const a = new Asm();
  a.data = { base: D, bytes: new Uint8Array(bytes) };
  return a;
}

describe("mov movzx movsx lea xchg bswap", () => {
  it("movzx and movsx from 8 and 16 bits", () => {
    const a = withData([0x80, 0xff, 0x7f])
      .i(Op.MOVZX, eax, byte(-1, D))
      .i(Op.MOVSX, ebx, byte(-1, D))
      .i(Op.MOVSX, ecx, word(-1, D))
      .i(Op.MOVSX, dx_(), ah)
      .i(Op.MOVZX, { kind: "reg", reg: Reg.ESI, size: 4, high: false }, word(-1, D + 1));
    const cpu = runAsm(a, { edx: 0x12345678 });
    expect(cpu.regs[Reg.EAX]).toBe(0x80);
    expect(cpu.regs[Reg.EBX]).toBe(-128);
    expect(cpu.regs[Reg.ECX]).toBe(0xffffff80 | 0);
    expect(u(cpu.regs[Reg.EDX]!)).toBe(0x12340000); // movsx dx, ah with AH = 0
    expect(cpu.regs[Reg.ESI]).toBe(0x7fff);
  });

  it("lea computes without touching memory or flags, wrapping at 32 bits", () => {
    const a = new Asm().i(Op.LEA, eax, { kind: "mem", size: 4, base: Reg.EBX, index: Reg.ECX, scale: 8, disp: -3 }).i(Op.LEA, ax, dword(Reg.EBX, 0x10000));
    const cpu = runAsm(a, { ebx: -16, ecx: 4, eflags: 0x8d5 });
    expect(cpu.regs[Reg.EAX]).toBe((0xfff0 & 0xffff) | 0x0000);
    expect(flagString(cpu)).toBe("CPAZSO");
    const b = runAsm(new Asm().i(Op.LEA, eax, dword(Reg.EBX, 0, Reg.ECX, 2)), { ebx: 0x7fffffff, ecx: 0x40000001 });
    expect(u(b.regs[Reg.EAX]!)).toBe(0x00000001);
  });

  it("xchg registers, high bytes and memory", () => {
    const a = withData([1, 2, 3, 4]).i(Op.XCHG, eax, ebx).i(Op.XCHG, al, ah).i(Op.XCHG, ecx, dword(-1, D));
    const cpu = runAsm(a, { eax: 0x1111, ebx: 0x2233, ecx: 9 });
    expect(cpu.regs[Reg.EAX]).toBe(0x3322);
    expect(cpu.regs[Reg.EBX]).toBe(0x1111);
    expect(cpu.regs[Reg.ECX]).toBe(0x04030201);
    expect(cpu.memory.read32(D)).toBe(9);
  });

  it("xchg through a register used in its own address", () => {
    const a = withData([0, 0, 0, 0]).i(Op.XCHG, dword(Reg.EAX, 0), eax);
    const cpu = runAsm(a, { eax: D });
    expect(cpu.regs[Reg.EAX]).toBe(0);
    expect(cpu.memory.read32(D)).toBe(D);
  });

  it("bswap", () => {
    expect(u(runAsm(new Asm().i(Op.BSWAP, edx), { edx: 0x12345680 }).regs[Reg.EDX]!)).toBe(0x80563412);
  });
});

function dx_() {
  return { kind: "reg", reg: Reg.EDX, size: 2, high: false } as const;
}

describe("bt bts btr btc", () => {
  it("register base: offset modulo the width, CF = the bit", () => {
    const cpu = runAsm(new Asm().i(Op.BT, eax, imm(33)).i(Op.SETCC, cl, null, null, { extra: 2 }), { eax: 2, ecx: 0xff00 });
    expect(cpu.regs[Reg.ECX]).toBe(0xff01);
    const s = runAsm(new Asm().i(Op.BTS, ax, ecx), { eax: 0, ecx: 0x1f });
    expect(s.regs[Reg.EAX]).toBe(0x8000);
    expect(s.getFlag("cf")).toBe(false);
    const r = runAsm(new Asm().i(Op.BTR, eax, imm(31)), { eax: -1 });
    expect(r.regs[Reg.EAX]).toBe(0x7fffffff);
    expect(r.getFlag("cf")).toBe(true);
    const c = runAsm(new Asm().i(Op.BTC, ebx, ecx).i(Op.BTC, ebx, ecx), { ebx: 5, ecx: 1 });
    expect(c.regs[Reg.EBX]).toBe(5);
    expect(c.getFlag("cf")).toBe(true);
  });

  it("only CF changes (ZF is unaffected; OF SF AF PF are left as they were)", () => {
    const cpu = runAsm(new Asm().i(Op.BT, eax, imm(0)), { eax: 1, eflags: 0x8d4 });
    expect(flagString(cpu)).toBe("CPAZSO");
  });

  it("memory base with an immediate offset: offset modulo the width", () => {
    const a = withData([0, 0, 0, 0, 0, 0, 0, 0]).i(Op.BTS, dword(-1, D), imm(35)).i(Op.BTS, word(-1, D + 4), imm(17));
    const cpu = runAsm(a);
    expect(cpu.memory.read32(D)).toBe(8);
    expect(cpu.memory.read32(D + 4)).toBe(2);
  });

  it("memory base with a register offset: a bit string, also at negative offsets", () => {
    const a = withData(new Array(16).fill(0)).i(Op.BTS, dword(-1, D + 8), ecx).i(Op.BTS, dword(-1, D + 8), edx).i(Op.BT, word(-1, D + 8), ebx);
    const cpu = runAsm(a, { ecx: 35, edx: -1, ebx: 0xffdb }); // bit 35 = byte 12 bit 3; bit -1 = byte 7 bit 7; bx = -37
    expect(Array.from(cpu.memory.readBytes(D, 16))).toEqual([0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 8, 0, 0, 0]);
    expect(cpu.getFlag("cf")).toBe(false);
    const hit = runAsm(withData(new Array(16).fill(0)).i(Op.BTS, byte_(D + 3), imm(3)).i(Op.BT, word(-1, D + 8), ebx), { ebx: 0xffdb });
    expect(hit.getFlag("cf")).toBe(true); // -37 from D+8 = byte D+3, bit 3
  });
});

function byte_(addr: number) {
  return byte(-1, addr);
}

describe("bsf bsr", () => {
  it("find the lowest and highest set bit; ZF = (source is 0)", () => {
    const cpu = runAsm(new Asm().i(Op.BSF, eax, ebx).i(Op.BSR, ecx, ebx), { ebx: 0x00f0_1000 });
    expect(cpu.regs[Reg.EAX]).toBe(12);
    expect(cpu.regs[Reg.ECX]).toBe(23);
    expect(cpu.getFlag("zf")).toBe(false);
    const top = runAsm(new Asm().i(Op.BSR, eax, ebx).i(Op.BSF, ecx, ebx), { ebx: 0x80000000 });
    expect(top.regs[Reg.EAX]).toBe(31);
    expect(top.regs[Reg.ECX]).toBe(31);
  });

  it("a zero source sets ZF and leaves the destination unchanged", () => {
    const cpu = runAsm(new Asm().i(Op.BSF, eax, ecx).i(Op.BSR, ax, bx), { eax: 0x12345678, ebx: 0xffff0000, ecx: 0 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x12345678);
    expect(cpu.getFlag("zf")).toBe(true);
  });

  it("16-bit forms look at 16 bits", () => {
    const cpu = runAsm(new Asm().i(Op.BSR, ax, bx), { eax: 0xaaaa0000, ebx: 0x00010100 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0xaaaa0008);
  });
});

describe("shld shrd", () => {
  it("shld r32, r32, imm", () => {
    const cpu = runAsm(new Asm().i(Op.SHLD, eax, ebx, imm(8)), { eax: 0x12345678, ebx: 0x9abcdef0 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x3456789a);
    expect(cpu.regs[Reg.EBX]! >>> 0).toBe(0x9abcdef0);
    expect(cpu.getFlag("cf")).toBe(false);
  });

  it("shrd r32, r32, cl and its flags", () => {
    const cpu = runAsm(new Asm().i(Op.SHRD, eax, ebx, cl), { eax: 0x00000081, ebx: 0x00000001, ecx: 1 });
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0x80000040);
    expect(flagString(cpu)).toBe("C---SO"); // last bit out = 1; sign changed
  });

  it("a count of 0 changes nothing", () => {
    const cpu = runAsm(new Asm().i(Op.SHLD, eax, ebx, imm(32)), { eax: 5, ebx: -1, eflags: 0x8d5 });
    expect(cpu.regs[Reg.EAX]).toBe(5);
    expect(flagString(cpu)).toBe("CPAZSO");
  });

  it("16-bit counts above 16 shift the string dest:src:dest (QEMU's choice)", () => {
    const l = runAsm(new Asm().i(Op.SHLD, ax, bx, imm(20)), { eax: 0x1234, ebx: 0xabcd });
    expect(l.regs[Reg.EAX]).toBe(0xbcd1);
    expect(flagString(l)).toBe("-P--SO");
    const r = runAsm(new Asm().i(Op.SHRD, ax, bx, imm(20)), { eax: 0x1234, ebx: 0xabcd });
    expect(r.regs[Reg.EAX]).toBe(0x4abc);
    expect(flagString(r)).toBe("C----O");
  });

  it("works on memory", () => {
    const a = withData([0x78, 0x56, 0x34, 0x12]).i(Op.SHRD, dword(-1, D), ebx, imm(16));
    const cpu = runAsm(a, { ebx: 0xbeef });
    expect(u(cpu.memory.read32(D))).toBe(0xbeef1234);
  });
});

describe("xadd cmpxchg", () => {
  it("xadd exchanges and adds, with add's flags", () => {
    const cpu = runAsm(new Asm().i(Op.XADD, eax, ebx), { eax: -1, ebx: 1 });
    expect(cpu.regs[Reg.EAX]).toBe(0);
    expect(cpu.regs[Reg.EBX]).toBe(-1);
    expect(flagString(cpu)).toBe("CPAZ--");
    const m = runAsm(withData([5, 0, 0, 0]).i(Op.XADD, dword(-1, D), ecx), { ecx: 3 });
    expect(m.memory.read32(D)).toBe(8);
    expect(m.regs[Reg.ECX]).toBe(5);
    const same = runAsm(new Asm().i(Op.XADD, eax, eax), { eax: 3 });
    expect(same.regs[Reg.EAX]).toBe(6);
  });

  it("cmpxchg stores the source when the accumulator matches", () => {
    const cpu = runAsm(withData([7, 0, 0, 0]).i(Op.CMPXCHG, dword(-1, D), ecx), { eax: 7, ecx: 99 });
    expect(cpu.memory.read32(D)).toBe(99);
    expect(cpu.regs[Reg.EAX]).toBe(7);
    expect(cpu.getFlag("zf")).toBe(true);
  });

  it("cmpxchg loads the accumulator when it does not", () => {
    const cpu = runAsm(withData([7, 0, 0, 0]).i(Op.CMPXCHG, dword(-1, D), ecx), { eax: 8, ecx: 99 });
    expect(cpu.memory.read32(D)).toBe(7);
    expect(cpu.regs[Reg.EAX]).toBe(7);
    expect(flagString(cpu)).toBe("------"); // 8 - 7
    const b = runAsm(new Asm().i(Op.CMPXCHG, bx, ecx_16()), { eax: 0x11112222, ebx: 0x3333 });
    expect(u(b.regs[Reg.EAX]!)).toBe(0x11113333);
    expect(b.getFlag("cf")).toBe(true); // 2222h < 3333h
  });
});

function ecx_16() {
  return { kind: "reg", reg: Reg.ECX, size: 2, high: false } as const;
}

describe("flag instructions", () => {
  it("clc stc cmc on lazy flags", () => {
    const a = new Asm().i(Op.ADD, eax, imm(1)).i(Op.CMC);
    const cpu = runAsm(a, { eax: -1 });
    expect(flagString(cpu)).toBe("-PAZ--");
    expect(flagString(runAsm(new Asm().i(Op.SUB, eax, imm(1)).i(Op.CLC), { eax: 0 }))).toBe("-PA-S-");
    expect(flagString(runAsm(new Asm().i(Op.XOR, eax, eax).i(Op.STC)))).toBe("CP-Z--");
  });

  it("cld std cli sti", () => {
    const cpu = runAsm(new Asm().i(Op.STD).i(Op.STI));
    expect(cpu.getFlag("df")).toBe(true);
    expect(cpu.getFlag("if")).toBe(true);
    expect(cpu.getEflags()).toBe(0x602);
    const cpu2 = runAsm(new Asm().i(Op.CLD).i(Op.CLI), { eflags: 0x600 });
    expect(cpu2.getEflags()).toBe(2);
  });

  it("lahf and sahf", () => {
    const cpu = runAsm(new Asm().i(Op.SUB, eax, imm(1)).i(Op.LAHF), { eax: 0 });
    // flags of 0 - 1: SF ZF - AF - PF 1 CF = 1 0 0 1 0 1 1 1
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0xffff97ff);
    const s = runAsm(new Asm().i(Op.SAHF), { eax: 0xff00, eflags: 0x800 });
    expect(flagString(s)).toBe("CPAZSO"); // OF kept
    const z = runAsm(new Asm().i(Op.SAHF), { eax: 0x0000, eflags: 0x8d5 });
    expect(flagString(z)).toBe("-----O");
  });

  it("setFlag and getFlag work on lazy flags", () => {
    const cpu = runAsm(new Asm().i(Op.ADD, eax, imm(1)), { eax: 0x7fffffff });
    expect(flagString(cpu)).toBe("-PA-SO");
    cpu.setFlag("zf", true);
    cpu.setFlag("of", false);
    expect(flagString(cpu)).toBe("-PAZS-");
    cpu.setEflags(0xffffffff);
    expect(cpu.getEflags()).toBe(0xed7);
  });
});

describe("string instructions", () => {
  const src = [1, 2, 3, 4, 5, 6, 7, 8];

  it("rep movsb copies ECX bytes forwards", () => {
    const a = withData([...src, 0, 0, 0, 0, 0, 0, 0, 0]).i(Op.MOVS, null, null, null, { size: 1, extra: Rep.REP });
    const cpu = runAsm(a, { esi: D, edi: D + 8, ecx: 5 });
    expect(Array.from(cpu.memory.readBytes(D + 8, 8))).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    expect(cpu.regs[Reg.ESI]).toBe(D + 5);
    expect(cpu.regs[Reg.EDI]).toBe(D + 13);
    expect(cpu.regs[Reg.ECX]).toBe(0);
  });

  it("with DF set, steps backwards", () => {
    const a = withData([...src, 0, 0, 0, 0, 0, 0, 0, 0]).i(Op.STD).i(Op.MOVS, null, null, null, { size: 2, extra: Rep.REP });
    const cpu = runAsm(a, { esi: D + 6, edi: D + 14, ecx: 2 });
    expect(Array.from(cpu.memory.readBytes(D + 8, 8))).toEqual([0, 0, 0, 0, 5, 6, 7, 8]);
    expect(cpu.regs[Reg.ESI]).toBe(D + 2);
    expect(cpu.regs[Reg.EDI]).toBe(D + 10);
  });

  it("rep with ECX = 0 does nothing", () => {
    const a = withData(src).i(Op.STOS, null, null, null, { size: 4, extra: Rep.REP });
    const cpu = runAsm(a, { edi: D, ecx: 0, eax: -1 });
    expect(cpu.memory.read32(D)).toBe(0x04030201);
    expect(cpu.regs[Reg.EDI]).toBe(D);
  });

  it("stosd and lodsw without a prefix do one element", () => {
    const a = withData(src).i(Op.STOS, null, null, null, { size: 4 }).i(Op.LODS, null, null, null, { size: 2 });
    const cpu = runAsm(a, { edi: D, esi: D + 4, eax: 0xaabbccdd, ecx: 7 });
    expect(u(cpu.memory.read32(D))).toBe(0xaabbccdd);
    expect(u(cpu.regs[Reg.EAX]!)).toBe(0xaabb0605);
    expect(cpu.regs[Reg.ECX]).toBe(7);
    expect(cpu.regs[Reg.EDI]).toBe(D + 4);
    expect(cpu.regs[Reg.ESI]).toBe(D + 6);
  });

  it("repe cmpsb stops at the first difference", () => {
    const a = withData([1, 2, 3, 4, 1, 2, 9, 4]).i(Op.CMPS, null, null, null, { size: 1, extra: Rep.REPE });
    const cpu = runAsm(a, { esi: D, edi: D + 4, ecx: 4 });
    expect(cpu.regs[Reg.ECX]).toBe(1);
    expect(cpu.regs[Reg.ESI]).toBe(D + 3);
    expect(cpu.getFlag("zf")).toBe(false);
    expect(cpu.getFlag("cf")).toBe(true); // 3 < 9
  });

  it("rep cmps is repe cmps (one prefix byte)", () => {
    const a = withData([1, 2, 3, 4, 1, 2, 9, 4]).i(Op.CMPS, null, null, null, { size: 1, extra: Rep.REP });
    expect(runAsm(a, { esi: D, edi: D + 4, ecx: 4 }).regs[Reg.ECX]).toBe(1);
  });

  it("repne scasb finds a byte", () => {
    const a = withData([5, 6, 0, 7]).i(Op.SCAS, null, null, null, { size: 1, extra: Rep.REPNE });
    const cpu = runAsm(a, { edi: D, ecx: 100, eax: 0x1200 });
    expect(cpu.regs[Reg.EDI]).toBe(D + 3);
    expect(cpu.regs[Reg.ECX]).toBe(97);
    expect(cpu.getFlag("zf")).toBe(true);
  });

  it("repne on movs acts as rep", () => {
    const a = withData([1, 2, 3, 0, 0, 0]).i(Op.MOVS, null, null, null, { size: 1, extra: Rep.REPNE });
    const cpu = runAsm(a, { esi: D, edi: D + 3, ecx: 3 });
    expect(Array.from(cpu.memory.readBytes(D + 3, 3))).toEqual([1, 2, 3]);
  });

  it("faults on a string op that runs into the null page", () => {
    const a = new Asm().i(Op.STOS, null, null, null, { size: 4, extra: Rep.REP });
    expect(() => runAsm(a, { edi: 0x10, ecx: 1 })).toThrow(/null page/);
  });
});

