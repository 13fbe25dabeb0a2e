import { describe, expect, it } from "vitest";
import { Op, Rep } from "../../src/ir/types.js";
import { asm, errors } from "../helpers/assemble.js";

function lowered(text: string) {
  const r = asm(text);
  expect(errors(r.diagnostics)).toEqual([]);
  return r.program;
}

describe("operandless instructions", () => {
  it("are one object per distinct instruction", () => {
    const p = lowered(["ret", "clc", "ret", "clc", "popad"].join("\n"));
    const [ret1, clc1, ret2, clc2, popad] = p.instrs;
    expect(ret2).toBe(ret1);
    expect(clc2).toBe(clc1);
    expect(ret1).not.toBe(clc1);
    expect(popad).toMatchObject({ op: Op.POPAD, mnemonic: "popad", a: null, target: -1 });
  });

  it("keep what tells them apart: a count, a repeat prefix", () => {
    const p = lowered(["ret", "ret 4", "ret 4", "rep stosd", "stosd", "rep stosd"].join("\n"));
    expect(p.instrs.slice(0, 6).map((i) => [i.op, i.extra])).toEqual([
      [Op.RET, 0],
      [Op.RET, 4],
      [Op.RET, 4],
      [Op.STOS, Rep.REP],
      [Op.STOS, Rep.NONE],
      [Op.STOS, Rep.REP],
    ]);
    expect(p.instrs[1]).not.toBe(p.instrs[0]);
    expect(p.instrs[5]).toBe(p.instrs[3]);
  });

  it("share a service call by its service, and a debug message by its text", () => {
    const p = lowered(["include vmm.inc", "VMMcall Get_Sys_VM_Handle", "VMMcall Get_Cur_VM_Handle", "VMMcall Get_Sys_VM_Handle", "VMMjmp Get_Sys_VM_Handle"].join("\n"));
    const [sys1, cur, sys2, jmp] = p.instrs;
    expect(sys2).toBe(sys1);
    expect(cur).not.toBe(sys1);
    expect(cur!.extra).not.toBe(sys1!.extra);
    expect(jmp).toMatchObject({ op: Op.VXDJMP, extra: sys1!.extra });
    const t = lowered(["include vmm.inc", 'Trace_Out "one"', 'Trace_Out "two"', 'Trace_Out "one"'].join("\n"));
    const [one1, two, one2] = t.instrs;
    expect(one2).toBe(one1);
    expect(two).toMatchObject({ op: Op.TRACE_OUT, text: "two" });
  });
});

describe("data", () => {
  function bytesOf(text: string, name: string, length: number): number[] {
    const p = lowered(text);
    const at = p.symbols.get(name.toUpperCase())!.value - p.data.base;
    return [...p.data.bytes.subarray(at, at + length)];
  }

  it("skips a DUP of `?` whole, and writes what follows it in place", () => {
    const p = lowered(["Buf db 5 dup (?)", "Pairs dw 2 dup (?, ?)", "After db 9"].join("\n"));
    const address = (n: string) => p.symbols.get(n)!.value;
    expect(address("PAIRS") - address("BUF")).toBe(5);
    expect(address("AFTER") - address("PAIRS")).toBe(8);
    expect(bytesOf(["Buf db 5 dup (?)", "After db 9"].join("\n"), "After", 1)).toEqual([9]);
  });

  it("writes a DUP that mixes `?` and values element by element", () => {
    expect(bytesOf("Mixed db 2 dup (?, 7), 1", "Mixed", 5)).toEqual([0, 7, 0, 7, 1]);
  });

  it("writes numbers, addresses and strings, and rejects a number too big for its element", () => {
    expect(bytesOf("N dw 1234h, -1", "N", 4)).toEqual([0x34, 0x12, 0xff, 0xff]);
    expect(bytesOf("S dd 'AB'", "S", 4)).toEqual([0x42, 0x41, 0, 0]);
    const e = errors(asm("Big db 300\n").diagnostics);
    expect(e[0]).toMatchObject({ name: "value-truncated", message: "300 does not fit in a byte" });
  });
});

describe("type names", () => {
  it("are found in any case, and anything else before PTR is refused", () => {
    const p = lowered(["X dd 0", "mov eax, DWORD PTR [X]", "mov ax, Word Ptr [X]", "mov al, byte ptr [X]"].join("\n"));
    expect(p.instrs.slice(0, 3).map((i) => i.size)).toEqual([4, 2, 1]);
    const e = errors(asm("X dd 0\nmov eax, Dwordish ptr [X]\n").diagnostics);
    expect(e[0]).toMatchObject({ name: "bad-expression" });
    expect(e[0]!.message).toContain("PTR needs a type");
  });
});
