// The assembler's fast line parser (src/front/parse-line.ts) and the grammar's Chevrotain parser
// with its CST-to-AST step agree: on every line of the examples and lint fixtures, on tricky
// lines, and on random token soups — both refuse, or both give the same AST, spans included.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineParser } from "../../grammar/parser.js";
import { AstBuilder } from "../../src/front/cst-to-ast.js";
import { splitLines } from "../../src/front/lines.js";
import { parseLine } from "../../src/front/parse-line.js";
import type { ParsedLine } from "../../src/front/ast.js";

function reference(tokens: Parameters<typeof parseLine>[0], file: string): ParsedLine | null {
  const parser = lineParser();
  parser.input = [...tokens];
  const cst = parser.line();
  if (parser.errors.length > 0) return null;
  const b = new AstBuilder(file);
  const parsed = b.line(cst);
  return b.errors.length ? null : parsed;
}

function compare(text: string): number {
  const { lines } = splitLines(text, "t.asm");
  for (const l of lines) {
    const fast = parseLine(l.tokens, "t.asm");
    const ref = reference(l.tokens, "t.asm");
    expect({ line: l.text, ast: fast }).toEqual({ line: l.text, ast: ref });
  }
  return lines.length;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".asm") ? [p] : [];
  });
}

const root = join(import.meta.dirname, "..", "..");

describe("fast line parser", () => {
  it("agrees with the grammar on every line of the examples and the lint fixtures", () => {
    let n = 0;
    for (const f of [...files(join(root, "examples")), ...files(join(root, "test", "lint", "fixtures"))]) n += compare(readFileSync(f, "latin1"));
    expect(n).toBeGreaterThan(1000);
  });

  it("agrees on tricky lines", () => {
    compare(
      [
        "lbl: mov eax, [ebx.Client_EAX]",
        "g:: ret",
        "x = 5 SHL 2 + 1",
        "tbl dd 3 dup (?), , OFFSET32 foo",
        "v Foo <1, <2, 3>>",
        "mov eax, dword ptr es:[esi+ecx*4-8]",
        "jmp short @F",
        "cmp al, 'A' OR NOT 20h AND 0FFh",
        "push (1 + 2) * 3 MOD 2",
        "x dw -1, , 2",
        "lea esi, [ebx][ecx*2].Client_EDX",
        "mov eax, SIZE Client_Reg_Struc",
        "IF x EQ 1 AND y NE 2",
        ".errnz Foo - 4",
        "call , eax",
        "Name PROC NEAR",
        "Name ENDP",
        "Seg SEGMENT DWORD PUBLIC 'CODE'",
        "S STRUC",
        "Lab LABEL DWORD",
        "mov eax, 12G",
        "mov eax, [ebx",
        "foo: bar: baz",
        "mov eax, ebx ecx",
        "x dd 2 dup (1, 2 dup (3))",
        "push [ebx]",
        "push [ebx",
        "push ebx]",
        "mov eax, (ebx)",
        "mov eax, ()",
        "mov eax, []",
        "x dd 1, -, 2",
        "x dd +",
        "mov eax, OFFSET32",
        "mov eax, NOT",
        "x = (",
        "mov eax, [ebx], 'a', <t>, dword, 0FFh",
        "mov eax, 12G, 1",
        "mov eax, .Field",
        "mov eax, ebx.Field, ebx:",
        "x dd 3 dup",
      ].join("\n"),
    );
  });

  it("reads a one-token operand as that token, in its place", () => {
    const [line] = splitLines("mov eax, [Foo], 10h, (x)", "t.asm").lines;
    const parsed = parseLine(line!.tokens, "t.asm");
    const operands = parsed?.statement?.kind === "command" ? parsed.statement.operands : [];
    expect(operands.map((o) => o && { k: o.k, span: o.span })).toEqual([
      { k: "name", span: { file: "t.asm", line: 1, column: 5, endLine: 1, endColumn: 8 } },
      { k: "index", span: { file: "t.asm", line: 1, column: 10, endLine: 1, endColumn: 15 } },
      { k: "num", span: { file: "t.asm", line: 1, column: 17, endLine: 1, endColumn: 20 } },
      { k: "name", span: { file: "t.asm", line: 1, column: 23, endLine: 1, endColumn: 24 } },
    ]);
    expect(parseLine(splitLines("mov eax, 12G", "t.asm").lines[0]!.tokens, "t.asm")).toBeNull();
    expect(parseLine(splitLines("push [ebx", "t.asm").lines[0]!.tokens, "t.asm")).toBeNull();
  });

  it("agrees on random token soups", () => {
    const words = ["mov", "eax", "x", "lbl", ":", "::", ",", "[", "]", "(", ")", "+", "-", "*", "/", "=", "PTR", "DWORD", "dd", "DUP", "OFFSET32", "SHORT", "AND", "OR", "NOT", "EQ", "SHL", ".Field", "?", "12", "0FFh", "9Zz", "'s'", "<a, b>", "PROC", "ENDP", "LABEL", "STRUC", "ENDS", "SEGMENT", "Foo"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 9 }), (ws) => {
        compare(ws.join(" "));
      }),
      { numRuns: 3000 },
    );
  });
});
