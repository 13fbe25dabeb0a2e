import { describe, expect, it } from "vitest";
import { Layout, Op, Reg } from "../../src/ir/types.js";
import { MachineFault, Memory } from "../../src/machine/index.js";
import { Asm, al, ax, byte, dword, eax, ebx, imm, runAsm, word } from "./ir-builder.js";

function fault(fn: () => unknown): MachineFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof MachineFault) return e;
    throw e;
  }
  throw new Error("expected a MachineFault");
}

describe("Memory", () => {
  it("is little-endian, with unsigned 8/16-bit reads and a signed 32-bit read", () => {
    const m = new Memory(0x10000);
    m.write32(0x2000, 0x80c0ffee);
    expect(m.read8(0x2000)).toBe(0xee);
    expect(m.read8(0x2003)).toBe(0x80);
    expect(m.read16(0x2000)).toBe(0xffee);
    expect(m.read16(0x2002)).toBe(0x80c0);
    expect(m.read32(0x2000)).toBe(0x80c0ffee | 0);
    expect(m.read(0x2000, 4)).toBe(0x80c0ffee);
    expect(Array.from(m.readBytes(0x2000, 4))).toEqual([0xee, 0xff, 0xc0, 0x80]);
  });

  it("handles unaligned accesses like x86", () => {
    const m = new Memory(0x10000);
    m.writeBytes(0x3000, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.read32(0x3001) >>> 0).toBe(0x05040302);
    expect(m.read32(0x3003) >>> 0).toBe(0x07060504);
    expect(m.read16(0x3003)).toBe(0x0504);
    m.write32(0x3005, 0xaabbccdd);
    expect(Array.from(m.readBytes(0x3004, 5))).toEqual([5, 0xdd, 0xcc, 0xbb, 0xaa]);
    m.write16(0x3001, 0x1234);
    expect(Array.from(m.readBytes(0x3000, 4))).toEqual([1, 0x34, 0x12, 4]);
  });

  it("truncates written values to the access width", () => {
    const m = new Memory(0x10000);
    m.write32(0x2000, 0);
    m.write8(0x2000, 0x1ff);
    m.write16(0x2002, -1);
    expect(m.read32(0x2000) >>> 0).toBe(0xffff00ff);
    m.write32(0x2004, 0x1_0000_0001);
    expect(m.read32(0x2004)).toBe(1);
  });

  it("faults on the null page, naming the address", () => {
    const m = new Memory(0x10000);
    const f = fault(() => m.read32(0x10));
    expect(f.kind).toBe("null-pointer");
    expect(f.address).toBe(0x10);
    expect(f.message).toContain("00000010h");
    expect(fault(() => m.write8(0, 1)).kind).toBe("null-pointer");
    // an access that starts below the guard but ends above it still touches the null page
    expect(fault(() => m.read32(Layout.NULL_GUARD - 2)).kind).toBe("null-pointer");
    expect(m.read32(Layout.NULL_GUARD)).toBe(0);
  });

  it("faults past the end, including accesses that cross it", () => {
    const m = new Memory(0x10000);
    expect(m.read32(0xfffc)).toBe(0);
    const f = fault(() => m.read32(0xfffd));
    expect(f.kind).toBe("memory");
    expect(f.address).toBe(0xfffd);
    expect(fault(() => m.write16(0xffff, 0)).kind).toBe("memory");
    expect(fault(() => m.read8(0x10000)).kind).toBe("memory");
    expect(fault(() => m.read8(0xffffffff)).kind).toBe("memory");
    expect(fault(() => m.writeBytes(0xfff0, new Uint8Array(17))).kind).toBe("memory");
  });

  it("reads C strings", () => {
    const m = new Memory(0x10000);
    m.writeBytes(0x2000, [72, 105, 33, 0, 65]);
    expect(m.readCString(0x2000)).toBe("Hi!");
    expect(m.readCString(0x2000, 2)).toBe("Hi");
  });
});

describe("memory operands", () => {
  const D = Layout.DATA_BASE;

  it("reads and writes through [base + index*scale + disp]", () => {
    const a = new Asm();
    a.data = { base: D, bytes: new Uint8Array([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]) };
    a.i(Op.MOV, eax, dword(Reg.EBX, 1, Reg.ECX, 2)) // [ebx + ecx*2 + 1] = D + 3
      .i(Op.MOV, word(-1, D + 6), ax) // absolute address
      .i(Op.MOV, byte(Reg.EBX, 0), imm(0xfe));
    const cpu = runAsm(a, { ebx: D, ecx: 1 });
    expect(cpu.regs[Reg.EAX]! >>> 0).toBe(0x77665544);
    expect(Array.from(cpu.memory.readBytes(D, 8))).toEqual([0xfe, 0x22, 0x33, 0x44, 0x55, 0x66, 0x44, 0x55]);
  });

  it("loads the data image at its base", () => {
    const a = new Asm();
    a.data = { base: D + 0x100, bytes: new Uint8Array([1, 2, 3]) };
    a.i(Op.MOVZX, eax, byte(-1, D + 0x102));
    expect(runAsm(a).regs[Reg.EAX]).toBe(3);
  });

  it("faults on a null pointer with the faulting instruction and address", () => {
    const a = new Asm().i(Op.MOV, eax, imm(5)).i(Op.MOV, al, byte(Reg.EBX, 8));
    const f = fault(() => runAsm(a, { ebx: 0 }));
    expect(f.kind).toBe("null-pointer");
    expect(f.address).toBe(8);
    expect(f.instrIndex).toBe(1);
  });

  it("wraps the address computation at 32 bits", () => {
    // ebx = -4 plus disp D+4 lands at D
    const a = new Asm();
    a.data = { base: D, bytes: new Uint8Array([9, 0, 0, 0]) };
    a.i(Op.MOV, eax, dword(Reg.EBX, D + 4));
    expect(runAsm(a, { ebx: -4 }).regs[Reg.EAX]).toBe(9);
    const f = fault(() => runAsm(new Asm().i(Op.MOV, dword(Reg.EBX, 0), ebx), { ebx: -4 }));
    expect(f.kind).toBe("memory");
    expect(f.address).toBe(0xfffffffc);
  });
});
