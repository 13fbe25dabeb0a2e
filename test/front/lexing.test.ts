import { describe, expect, it } from "vitest";
import { lex } from "../../grammar/lexer.js";
import { parseMasmNumber } from "../../src/front/numbers.js";
import { asm, errors, run } from "../helpers/assemble.js";

describe("MASM numbers", () => {
  it.each([
    ["0", 0],
    ["10", 10],
    ["10d", 10],
    ["0FFh", 255],
    ["0ffH", 255],
    ["1010b", 10],
    ["17o", 15],
    ["17q", 15],
    ["0FFFFFFFFh", 0xffffffff],
    ["100000000h", 0], // wraps to 32 bits as the assembler's arithmetic does
    ["0Bh", 11], // B followed by h is hex, not binary
    ["12t", 12],
  ])("%s = %d", (text, value) => {
    expect(parseMasmNumber(text)).toBe(value);
  });

  it.each(["12G", "0FFx", "102b", "19o", "FFh".slice(1)])("rejects %s", (text) => {
    expect(parseMasmNumber(text)).toBeNull();
  });

  it("gives the same answer for a spelling read again", () => {
    for (let i = 0; i < 2; i++) {
      expect(parseMasmNumber("0FFh")).toBe(255);
      expect(parseMasmNumber("0ffH")).toBe(255);
      expect(parseMasmNumber("12G")).toBeNull();
    }
  });

  it("reports a malformed number at its span", () => {
    const r = asm("mov eax, 12G\n");
    const e = errors(r.diagnostics);
    expect(e).toHaveLength(1);
    expect(e[0]!.name).toBe("bad-number");
    expect(e[0]!.span).toMatchObject({ line: 1, column: 10, endColumn: 13 });
  });
});

describe("the scanner", () => {
  it("treats CRLF, LF and CR alike and stops at a DOS end-of-file byte", () => {
    const r = lex("mov eax, 1\r\nmov ebx, 2\nmov ecx, 3\rmov edx, 4\x1amov esi, 5 garbage \x00");
    const lines = r.tokens.filter((t) => t.tokenType.name === "NewLine").length;
    expect(lines).toBe(3);
    expect(r.errors).toHaveLength(0);
    expect(r.tokens.some((t) => t.image === "esi")).toBe(false);
    const edx = r.tokens.find((t) => t.image === "edx")!;
    expect(edx.startLine).toBe(4);
  });

  it("keeps comments apart, and `;` inside quotes is not a comment", () => {
    const r = lex("db 'a;b', 0 ; real comment\n");
    expect(r.comments.map((c) => c.image)).toEqual(["; real comment"]);
    expect(r.tokens.find((t) => t.tokenType.name === "StringLit")!.image).toBe("'a;b'");
  });

  it("re-types reserved words except as a statement's first word", () => {
    const r = lex("and eax, 1 AND 3\nfoo: or eax, ebx\n");
    const types = r.tokens.map((t) => `${t.image}:${t.tokenType.name}`);
    expect(types).toContain("and:Identifier");
    expect(types).toContain("AND:KwAnd");
    expect(types).toContain("or:Identifier");
  });

  it("reports a stray character once, with its position", () => {
    const r = asm("mov eax, 1\n  mov ebx, `2\n");
    const e = errors(r.diagnostics);
    expect(e.map((d) => d.name)).toContain("bad-character");
    expect(e.find((d) => d.name === "bad-character")!.span).toMatchObject({ line: 2, column: 12 });
  });

  it("reports an unterminated string and keeps going", () => {
    const r = asm("Trace_Out \"hello\nmov eax, 1\n");
    const e = errors(r.diagnostics);
    expect(e).toHaveLength(1);
    expect(e[0]!.name).toBe("unterminated-string");
    expect(e[0]!.span?.line).toBe(1);
    expect(r.program.instrs.some((i) => i.mnemonic === "mov")).toBe(true);
  });
});

describe("case and layout", () => {
  it("reads mnemonics, registers, directives and macro names in any case", () => {
    const r = run("INCLUDE VMM.INC\n\tMOV EAX, 5\n\tAdd Eax, 2\n\tvmmCALL get_cur_vm_handle\n\tRET\n");
    expect(r.status).toBe("ok");
    expect(r.registers.eax).toBe(7);
  });

  it("assembles tab-indented CRLF source with a DOS EOF byte", () => {
    const r = run("\tinclude vmm.inc\r\n\tmov\teax, 1\r\n\tret\r\n\x1a\x1a junk");
    expect(r.registers.eax).toBe(1);
  });
});
