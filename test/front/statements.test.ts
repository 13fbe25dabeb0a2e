import { describe, expect, it } from "vitest";
import { memoryFileSystem } from "../../src/front/files.js";
import { Op } from "../../src/ir/types.js";
import { asm, errors, run } from "../helpers/assemble.js";

describe("syntax errors", () => {
  it("gives one diagnostic per bad line and goes on", () => {
    const bad = ["mov eax,, ebx", ") foo", "mov [eax", "add eax ebx ecx ]"];
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) lines.push(bad[i % bad.length]!, "mov eax, 1");
    const r = asm(lines.join("\n"));
    const e = errors(r.diagnostics);
    expect(e).toHaveLength(50);
    expect(e.map((d) => d.span!.line)).toEqual(Array.from({ length: 50 }, (_, i) => 2 * i + 1));
    expect(r.program.instrs.filter((i) => i.op === Op.MOV)).toHaveLength(50);
  });

  it("points at the unexpected token", () => {
    const e = errors(asm("\tmov eax, ) ebx\n").diagnostics);
    expect(e[0]).toMatchObject({ name: "syntax-error", code: "E0201", message: "unexpected `)`" });
    expect(e[0]!.span).toMatchObject({ line: 1, column: 11, endColumn: 12 });
  });

  it("names an unknown instruction and suggests a near one", () => {
    const e = errors(asm("include vmm.inc\nmovv eax, 1\n").diagnostics);
    expect(e[0]!.name).toBe("unknown-instruction");
    expect(e[0]!.message).toContain("movv");
    expect(e[0]!.span).toMatchObject({ line: 2, column: 1, endColumn: 5 });
  });
});

describe("symbols and equates", () => {
  it("reports an undefined symbol with a hint on how to define it", () => {
    const e = errors(asm("include vmm.inc\nmov ebx, VM\n").diagnostics);
    expect(e).toHaveLength(1);
    expect(e[0]!.name).toBe("undefined-symbol");
    expect(e[0]!.span).toMatchObject({ line: 2, column: 10, endColumn: 12 });
    expect(e[0]!.help).toMatch(/VM equ 0|VM dd \?/);
  });

  it("suggests a near spelling", () => {
    const e = errors(asm("include vmm.inc\nmov eax, Create_VMM\n").diagnostics);
    expect(e[0]!.help).toContain("Create_VM");
  });

  it("folds EQU, = and expressions with MASM precedence", () => {
    const r = run(["A equ 3", "B = A * 4 + 1", "B = B SHL 1", "C equ (A + 1) * 2 MOD 5", "mov eax, B", "mov ebx, C", "mov ecx, NOT 0 AND 0FFh", "mov edx, -A", "ret"].join("\n"));
    expect(r.registers.eax).toBe(26);
    expect(r.registers.ebx).toBe(3);
    expect(r.registers.ecx).toBe(0xff);
    expect(r.registers.edx).toBe(0xfffffffd);
  });

  it("makes a non-constant EQU a text equate", () => {
    const r = run("ClientEAX equ <[ebp.Client_EAX]>\ninclude vmm.inc\nmov dword ptr ClientEAX, 42\nmov eax, ClientEAX\nret\n");
    expect(r.registers.eax).toBe(42);
  });

  it("rejects redefining an EQU number and labels twice", () => {
    const e = errors(asm("X equ 1\nX equ 2\nL: nop\nL: nop\n").diagnostics);
    expect(e.map((d) => d.name)).toEqual(["duplicate-symbol", "duplicate-symbol"]);
    expect(e[1]!.related?.[0]?.span.line).toBe(3);
  });

  it("treats symbols case-insensitively", () => {
    const r = run("Value dd 7\nmov eax, VALUE\nmov ebx, OFFSET value\nret\n");
    expect(r.registers.eax).toBe(7);
    expect(r.registers.ebx).toBe(r.registers.ebx >>> 0);
  });

  it("defines symbols from the command line", () => {
    const r = run("IFDEF DEBUG\nmov eax, LEVEL\nELSE\nmov eax, 99\nENDIF\nret\n", {}, { defines: { DEBUG: "", LEVEL: "3" } });
    expect(r.registers.eax).toBe(3);
  });
});

describe("conditional assembly", () => {
  it("takes the right branch of nested IF/ELSE/ENDIF", () => {
    const src = ["X = 2", "IF X GT 1", " IFE X - 2", "  mov eax, 1", " ELSE", "  mov eax, 2", " ENDIF", "ELSE", " mov eax, 3", "ENDIF", "IFNDEF NOPE", " mov ebx, 4", "ENDIF", "IFB <>", " mov ecx, 5", "ENDIF", "IFIDNI <Abc>, <aBC>", " mov edx, 6", "ENDIF", "ret"];
    const r = run(src.join("\n"));
    expect([r.registers.eax, r.registers.ebx, r.registers.ecx, r.registers.edx]).toEqual([1, 4, 5, 6]);
  });

  it("skips everything in a false branch, even unknown words", () => {
    const r = asm("IF 0\nthis is not assembly at all\nENDIF\nmov eax, 1\n");
    expect(errors(r.diagnostics)).toHaveLength(0);
  });

  it("reports an IF without ENDIF and an ENDIF without IF", () => {
    const e = errors(asm("IF 1\nmov eax, 1\n").diagnostics);
    expect(e[0]).toMatchObject({ name: "unbalanced-block" });
    expect(e[0]!.span?.line).toBe(1);
    expect(errors(asm("ENDIF\n").diagnostics)[0]!.name).toBe("unbalanced-block");
  });

  it("fires .ERRNZ with the expression's value", () => {
    const e = errors(asm("include vmm.inc\n.ERRNZ Create_VM - 8\n.ERRNZ Create_VM - 7\n").diagnostics);
    expect(e).toHaveLength(1);
    expect(e[0]!.name).toBe("user-error");
    expect(e[0]!.span?.line).toBe(2);
  });
});

describe("macros", () => {
  it("expands parameters, defaults and LOCAL labels", () => {
    const src = [
      "AddTo MACRO reg, amount:=<1>",
      "  LOCAL skip",
      "  add reg, amount",
      "  jmp skip",
      "  mov reg, 0",
      "skip:",
      "ENDM",
      "mov eax, 10",
      "AddTo eax, 5",
      "AddTo eax",
      "ret",
    ];
    const r = run(src.join("\n"));
    expect(r.registers.eax).toBe(16);
  });

  it("repeats with REPT, IRP and IRPC", () => {
    const src = ["xor eax, eax", "REPT 3", "inc eax", "ENDM", "IRP r, <ebx, ecx>", "mov r, eax", "ENDM", "xor edx, edx", "IRPC c, 123", "add edx, c", "ENDM", "ret"];
    const r = run(src.join("\n"));
    expect([r.registers.eax, r.registers.ebx, r.registers.ecx, r.registers.edx]).toEqual([3, 3, 3, 6]);
  });

  it("stops a macro that invokes itself forever with a diagnostic", () => {
    const e = errors(asm("Again MACRO\n  Again\nENDM\nAgain\n").diagnostics);
    expect(e.some((d) => d.name === "macro-error")).toBe(true);
    expect(e[0]!.span?.line).toBe(4);
  });

  it("reports a MACRO without ENDM", () => {
    const e = errors(asm("M MACRO\n  nop\n").diagnostics);
    expect(e.map((d) => d.name)).toContain("unbalanced-block");
  });

  it("assembles the same expansion text each time it is invoked, errors included", () => {
    const r = asm(["Twice MACRO", "  inc eax", "  mov eax, )", "ENDM", "xor eax, eax", "Twice", "Twice", "Twice", "ret"].join("\n"));
    const e = errors(r.diagnostics);
    expect(e.map((d) => [d.name, d.span?.line])).toEqual([
      ["syntax-error", 6],
      ["syntax-error", 7],
      ["syntax-error", 8],
    ]);
    expect(r.program.instrs.filter((i) => i.op === Op.INC)).toHaveLength(3);
    expect(run(["Add2 MACRO", "  add eax, 2", "ENDM", "xor eax, eax", "Add2", "Add2", "Add2", "ret"].join("\n")).registers.eax).toBe(6);
  });

  it("reports a missing required argument", () => {
    const e = errors(asm("M MACRO a:REQ\n mov eax, a\nENDM\nM\n").diagnostics);
    expect(e[0]!.name).toBe("macro-error");
  });
});

describe("data and structures", () => {
  it("lays out db/dw/dd with strings, DUP and ?", () => {
    const r = run(["Bytes db 'AB', 0, 2 dup (7)", "Words dw 1234h, ?", "Dwords dd Bytes, 3 dup (?)", "mov eax, dword ptr Bytes", "mov ebx, Dwords", "movzx ecx, Words", "mov edx, SIZEOF Dwords", "ret"].join("\n"));
    expect(r.registers.eax).toBe(0x07004241);
    expect(r.registers.ecx).toBe(0x1234);
    expect(r.registers.edx).toBe(16);
    expect(r.registers.ebx).toBe(r.readDword(r.registers.ebx) === 0x07004241 ? r.registers.ebx : -1);
  });

  it("defines STRUC fields with offsets, SIZE and instances with initial values", () => {
    const src = ["Point STRUC", "  px dd ?", "  py dd 5", "  tag db 'P', 0", "Point ENDS", "pt Point <1>", "mov eax, SIZE Point", "mov ebx, pt.py", "mov ecx, pt.px", "lea esi, pt", "movzx edx, byte ptr [esi.tag]", "ret"];
    const r = run(src.join("\n"));
    expect(r.registers.eax).toBe(10);
    expect(r.registers.ebx).toBe(5);
    expect(r.registers.ecx).toBe(1);
    expect(r.registers.edx).toBe(0x50);
  });

  it("reads Struc.Field as the field's offset, alone and after a register", () => {
    const r = run(["include vmm.inc", "mov eax, Client_Reg_Struc.Client_EAX", "VMMcall Get_Sys_VM_Handle", "mov ecx, [ebx+cb_s.CB_VMID]", "mov edx, cb_s.CB_Signature", "ret"].join("\n"));
    expect(r.registers.eax).toBe(0x1c);
    expect(r.registers.ecx).toBe(1);
    expect(r.registers.edx).toBe(0x10);
  });

  it("knows Client_Reg_Struc and its word and byte aliases from vmm.inc", () => {
    const r = run(["include vmm.inc", "mov dword ptr [ebp.Client_EAX], 12345678h", "mov ax, [ebp.Client_AX]", "mov bl, [ebp.Client_AH]", "mov ecx, SIZE Client_Reg_Struc", "ret"].join("\n"));
    expect(r.registers.eax & 0xffff).toBe(0x5678);
    expect(r.registers.ebx & 0xff).toBe(0x56);
    expect(r.registers.ecx).toBe(0x6c);
  });
});

describe("includes", () => {
  const fs = memoryFileSystem({
    "main.asm": "include defs.inc\nmov eax, Answer\nret\n",
    "defs.inc": "Answer equ 42\n",
    "loop.asm": "include a.inc\n",
    "a.inc": "include b.inc\n",
    "b.inc": "include a.inc\n",
    "lib/extra.inc": "Extra equ 7\n",
  });

  it("finds an include beside the source and on -I paths", () => {
    const { program } = asm(fs.readFile("main.asm")!, { fs }, "main.asm");
    expect(program.instrs[0]!.b).toMatchObject({ kind: "imm", value: 42 });
    const r = asm("include extra.inc\nmov eax, Extra\n", { fs, includeDirs: ["lib"] }, "x.asm");
    expect(errors(r.diagnostics)).toHaveLength(0);
  });

  it("reports a missing include with a help line", () => {
    const e = errors(asm("include nothere.inc\n", { fs }, "x.asm").diagnostics);
    expect(e[0]).toMatchObject({ name: "include-not-found" });
    expect(e[0]!.help).toContain("-I");
    expect(e[0]!.span?.line).toBe(1);
  });

  it("reports a recursive include with the chain", () => {
    const e = errors(asm(fs.readFile("loop.asm")!, { fs }, "loop.asm").diagnostics);
    expect(e[0]!.name).toBe("include-recursive");
    expect(e[0]!.notes?.join(" ")).toMatch(/a\.inc.*b\.inc.*a\.inc/);
  });
});

describe("labels", () => {
  it("resolves @@ with @B and @F", () => {
    const r = run(["mov ecx, 3", "xor eax, eax", "@@: add eax, 2", "dec ecx", "jnz @B", "jmp @F", "mov eax, 0", "@@: ret"].join("\n"));
    expect(r.registers.eax).toBe(6);
  });

  it("refuses a conditional jump to data", () => {
    const e = errors(asm("jz Var\nVar dd 0\n").diagnostics);
    expect(e[0]!.name).toBe("bad-jump-target");
  });

  it("skips procedures in top-level code and ends at a top-level ret", () => {
    const r = run(["mov eax, 1", "Helper PROC", "  mov ebx, 5", "  ret", "Helper ENDP", "call Helper", "add eax, ebx", "ret", "mov eax, 99"].join("\n"));
    expect(r.registers.eax).toBe(6);
  });
});

describe("operands", () => {
  it("rejects two memory operands, unknown sizes and immediates as destinations", () => {
    const e = errors(asm("A dd 0\nB dd 0\nmov A, B\nmov [eax], 1\nmov 5, eax\nmov al, ebx\n").diagnostics);
    expect(e.map((d) => [d.name, d.span?.line])).toEqual([
      ["bad-operand", 3],
      ["operand-size", 4],
      ["bad-operand", 5],
      ["operand-size", 6],
    ]);
  });

  it("reads base + index*scale + displacement and Symbol[reg] forms", () => {
    const r = run(["Table dd 10, 20, 30, 40", "mov esi, 2", "mov eax, Table[esi*4]", "lea ebx, Table", "mov ecx, [ebx+esi*4+4]", "mov edx, [Table+4]", "ret"].join("\n"));
    expect([r.registers.eax, r.registers.ecx, r.registers.edx]).toEqual([30, 40, 20]);
  });

  it("scales an index by 1, 2, 4 or 8 only, written either way round", () => {
    const r = run(["mov eax, 3", "mov ebx, 5", "lea ecx, [eax+ebx*2+1]", "lea edx, [8*ebx+eax]", "ret"].join("\n"));
    expect([r.registers.ecx, r.registers.edx]).toEqual([14, 43]);
    const e = errors(asm("lea eax, [eax+ebx*3]\n").diagnostics);
    expect(e[0]).toMatchObject({ name: "bad-operand", message: "an index register can be scaled by 1, 2, 4 or 8, not 3" });
    expect(e[0]!.span).toMatchObject({ line: 1, column: 15, endColumn: 20 });
  });
});
