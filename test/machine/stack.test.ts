import { describe, expect, it } from "vitest";
import { Layout, Op, Reg } from "../../src/ir/types.js";
import { Cpu, MachineFault } from "../../src/machine/index.js";
import { Asm, ax, dword, eax, ebp, ebx, ecx, esp, flagString, imm, runAsm, setInit } from "./ir-builder.js";

const TOP = Layout.MEMORY_SIZE - 0x1000;

function faultOf(fn: () => unknown): MachineFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof MachineFault) return e;
    throw e;
  }
  throw new Error("expected a MachineFault");
}

describe("push and pop", () => {
  it("starts with ESP at the stack top", () => {
    const cpu = new Cpu(new Asm().build());
    expect(cpu.regs[Reg.ESP]).toBe(TOP);
    expect(cpu.stackTop).toBe(TOP);
  });

  it("push imm / reg / mem and pop reg / mem", () => {
    const a = new Asm();
    a.data = { base: Layout.DATA_BASE, bytes: new Uint8Array([0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0]) };
    a.i(Op.PUSH, imm(-2))
      .i(Op.PUSH, ebx)
      .i(Op.PUSH, dword(-1, Layout.DATA_BASE))
      .i(Op.POP, dword(-1, Layout.DATA_BASE + 4))
      .i(Op.POP, ecx)
      .i(Op.POP, eax);
    const cpu = runAsm(a, { ebx: 77 });
    expect(cpu.memory.read32(Layout.DATA_BASE + 4)).toBe(0x12345678);
    expect(cpu.regs[Reg.ECX]).toBe(77);
    expect(cpu.regs[Reg.EAX]).toBe(-2);
    expect(cpu.regs[Reg.ESP]).toBe(TOP);
  });

  it("16-bit push and pop move ESP by 2", () => {
    const a = new Asm().i(Op.PUSH, ax).label("after").i(Op.MOV, ebx, esp).i(Op.POP, { kind: "reg", reg: Reg.ECX, size: 2, high: false });
    const cpu = runAsm(a, { eax: 0x12345678, ecx: -1 });
    expect(cpu.regs[Reg.EBX]).toBe(TOP - 2);
    expect(cpu.memory.read16(TOP - 2)).toBe(0x5678);
    expect(cpu.regs[Reg.ECX]! >>> 0).toBe(0xffff5678);
    expect(cpu.regs[Reg.ESP]).toBe(TOP);
  });

  it("push esp pushes the old value; pop esp loads the popped value", () => {
    const cpu = runAsm(new Asm().i(Op.PUSH, esp).i(Op.POP, eax));
    expect(cpu.regs[Reg.EAX]).toBe(TOP);
    const cpu2 = runAsm(new Asm().i(Op.PUSH, imm(0x1234)).i(Op.POP, esp), {}, { checkStack: false });
    expect(cpu2.regs[Reg.ESP]).toBe(0x1234);
  });

  it("pop [esp+n] forms its address after ESP moves", () => {
    // pop dword [esp]: the value lands in the slot above the popped one
    const a = new Asm().i(Op.PUSH, imm(1)).i(Op.PUSH, imm(2)).i(Op.POP, dword(Reg.ESP, 0)).i(Op.POP, eax);
    const cpu = runAsm(a);
    expect(cpu.regs[Reg.EAX]).toBe(2);
  });

  it("pushad and popad (popad skips ESP)", () => {
    const a = new Asm()
      .i(Op.PUSHAD)
      .i(Op.MOV, ebx, dword(Reg.ESP, 12)) // the saved ESP
      .i(Op.MOV, { kind: "reg", reg: Reg.EDX, size: 4, high: false }, dword(Reg.ESP, 28)) // the saved EAX
      .i(Op.MOV, dword(Reg.ESP, 12), imm(0x5555)) // a changed saved ESP is ignored
      .i(Op.XOR, eax, eax)
      .i(Op.XOR, ecx, ecx)
      .i(Op.POPAD);
    const cpu = runAsm(a, { eax: 1, ecx: 2, ebx: 4, ebp: 6, esi: 7, edi: 8 });
    // popad restored EBX and EDX too, so look at what they would have been through the others
    expect(Array.from(cpu.regs)).toEqual([1, 2, 0, 4, TOP, 6, 7, 8]);
    const peek = runAsm(new Asm().i(Op.PUSHAD), { eax: 1, ecx: 2, edx: 3, ebx: 4, ebp: 6, esi: 7, edi: 8 });
    const words = Array.from({ length: 8 }, (_, i) => peek.memory.read32(TOP - 32 + 4 * i));
    expect(words).toEqual([8, 7, 6, TOP, 4, 3, 2, 1]);
  });

  it("pushfd and popfd: popfd changes only CF PF AF ZF SF OF DF IF", () => {
    const a = new Asm().i(Op.PUSH, imm(-1)).i(Op.POPFD).i(Op.PUSHFD).i(Op.POP, eax);
    const cpu = runAsm(a);
    expect(cpu.regs[Reg.EAX]! >>> 0).toBe(0x8d5 | 0x400 | 0x200 | 2);
    expect(flagString(cpu)).toBe("CPAZSO");
    expect(cpu.getFlag("df")).toBe(true);
    expect(cpu.getFlag("if")).toBe(true);
    const cpu2 = runAsm(new Asm().i(Op.STC).i(Op.PUSHFD).i(Op.POP, eax));
    expect(cpu2.regs[Reg.EAX]).toBe(3);
  });

  it("pushfd materialises lazy flags", () => {
    const cpu = runAsm(new Asm().i(Op.ADD, eax, imm(1)).i(Op.PUSHFD).i(Op.POP, ebx), { eax: -1 });
    expect(cpu.regs[Reg.EBX]).toBe(0x57);
  });

  it("enter and leave", () => {
    const a = new Asm().i(Op.ENTER, imm(16), imm(0)).i(Op.MOV, ecx, esp).i(Op.MOV, eax, ebp).i(Op.LEAVE);
    const cpu = runAsm(a, { ebp: 0x1234 });
    expect(cpu.regs[Reg.EAX]).toBe(TOP - 4);
    expect(cpu.regs[Reg.ECX]).toBe(TOP - 20);
    expect(cpu.regs[Reg.EBP]).toBe(0x1234);
    expect(cpu.regs[Reg.ESP]).toBe(TOP);
    expect(faultOf(() => runAsm(new Asm().i(Op.ENTER, imm(4), imm(1)))).kind).toBe("trap");
  });
});

describe("stack limits", () => {
  it("faults on a pop above the stack top (underflow)", () => {
    const f = faultOf(() => runAsm(new Asm().i(Op.NOP).i(Op.POP, eax)));
    expect(f.kind).toBe("stack-underflow");
    expect(f.instrIndex).toBe(1);
    expect(faultOf(() => runAsm(new Asm().i(Op.RET))).kind).toBe("stack-underflow");
  });

  it("faults when ESP goes below stackTop - stackSize (overflow)", () => {
    const a = new Asm().label("top").i(Op.PUSH, eax).jmp(Op.JMP, "top");
    const f = faultOf(() => runAsm(a, {}, { stackSize: 0x100 }));
    expect(f.kind).toBe("stack-overflow");
    expect(f.address).toBe(TOP - 0x104);
  });

  it("recursion without a base case overflows", () => {
    const a = new Asm().label("f").jmp(Op.CALL, "f");
    const f = faultOf(() => runAsm(a));
    expect(f.kind).toBe("stack-overflow");
    expect(f.backtrace.length).toBe(0x100000 / 4);
    expect(f.backtrace.every((i) => i === 0)).toBe(true);
  });

  it("checkStack: false turns the checks off", () => {
    const cpu = runAsm(new Asm().i(Op.POP, eax), {}, { checkStack: false });
    expect(cpu.regs[Reg.ESP]).toBe(TOP + 4);
  });

  it("honours stackTop and stackSize", () => {
    const cpu = new Cpu(new Asm().i(Op.PUSH, imm(1)).i(Op.HALT).build(), { stackTop: 0x200000, stackSize: 0x1000 });
    expect(cpu.regs[Reg.ESP]).toBe(0x200000);
    cpu.run(0);
    expect(cpu.memory.read32(0x1ffffc)).toBe(1);
    expect(cpu.stackLimit).toBe(0x1ff000);
  });

  it("ret n past the top underflows", () => {
    const a = new Asm().jmp(Op.CALL, "f").i(Op.HALT).label("f").i(Op.RET, null, null, null, { extra: 8 });
    expect(faultOf(() => runAsm(a)).kind).toBe("stack-underflow");
  });

  it("a faulting pop, leave or enter leaves ESP and EBP as they were", () => {
    const popBad = new Cpu(new Asm().i(Op.PUSH, imm(1)).i(Op.POP, dword(-1, 0)).build());
    expect(faultOf(() => popBad.run(0)).kind).toBe("null-pointer");
    expect(popBad.regs[Reg.ESP]).toBe(TOP - 4);
    const leaveBad = new Cpu(new Asm().i(Op.LEAVE).build());
    leaveBad.regs[Reg.EBP] = TOP;
    expect(faultOf(() => leaveBad.run(0)).kind).toBe("stack-underflow");
    expect(leaveBad.regs[Reg.ESP]).toBe(TOP);
    expect(leaveBad.regs[Reg.EBP]).toBe(TOP);
    const enterBad = new Cpu(new Asm().i(Op.ENTER, imm(0x200), imm(0)).build(), { stackSize: 0x100 });
    enterBad.regs[Reg.EBP] = 7;
    expect(faultOf(() => enterBad.run(0)).kind).toBe("stack-overflow");
    expect(enterBad.regs[Reg.ESP]).toBe(TOP);
    expect(enterBad.regs[Reg.EBP]).toBe(7);
  });

  it("setInit helper sets ESP too", () => {
    const cpu = new Cpu(new Asm().i(Op.HALT).build());
    setInit(cpu, { esp: 0x300000 });
    expect(cpu.regs[Reg.ESP]).toBe(0x300000);
  });
});
