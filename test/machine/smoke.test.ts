import { describe, expect, it } from "vitest";
import { Op, Cond } from "../../src/ir/types.js";
import { Asm, eax, ebx, ecx, imm, runAsm } from "./ir-builder.js";

describe("machine smoke", () => {
  it("runs the benchmark loop", () => {
    const a = new Asm()
      .i(Op.XOR, eax, eax)
      .i(Op.XOR, ebx, ebx)
      .i(Op.MOV, ecx, imm(1000))
      .label("top")
      .i(Op.ADD, eax, ecx)
      .i(Op.XOR, ebx, eax)
      .i(Op.DEC, ecx)
      .jmp(Op.JCC, "top", { extra: Cond.NE });
    const cpu = runAsm(a);
    let ea = 0,
      eb = 0;
    for (let c = 1000; c !== 0; c--) {
      ea = (ea + c) | 0;
      eb ^= ea;
    }
    expect(cpu.regs[0]).toBe(ea);
    expect(cpu.regs[3]).toBe(eb);
    expect(cpu.steps).toBe(3 + 4000 + 1);
  });
});
