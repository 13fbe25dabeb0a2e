// Property 4: a file with N bad lines yields N errors. Each bad line is wrong on its own (a syntax
// error, a bad number, an unknown mnemonic, a bad operand …); interleaved with valid lines, every
// one of them gets exactly one error, on its own line, and the valid lines get none.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assembleSafely, checkDiagnostics, errorsOf, params, PROPERTY_LIMIT_MS, withinTime } from "./support.js";

const RUNS = 200;

const reg = fc.constantFrom("eax", "ebx", "ecx", "edx", "esi", "edi");
const num = fc.constantFrom("0", "1", "7", "10h", "0FFh", "1010b", "17o", "100", "0FFFFh");
const ident = fc.constantFrom("frob", "zork", "quux", "movx", "jmpp", "Dev_Call");

/** Lines that are an error on their own, each with a single fault (a few are blocks of lines of
 *  which only the one marked » is wrong). */
const badLine: fc.Arbitrary<string> = fc.oneof(
  // syntax errors
  fc.tuple(reg, reg).map(([a, b]) => `\tmov ${a},, ${b}`),
  ident.map((w) => `) ${w}`),
  reg.map((r) => `\tmov [${r}`),
  fc.constantFrom("12G", "0Q1", "9Z"),
  fc.tuple(reg, num).map(([r, n]) => `\tadd ${r}, ${n} +`),
  fc.tuple(reg, num).map(([r, n]) => `\tmov ${r}, (${n}`),
  fc.tuple(reg, num).map(([r, n]) => `\tmov ${r}, ${n})`),
  fc.constantFrom("] [", "::", "\t, eax", "+ 1"),
  reg.map((r) => `\tmov ${r}, [${r}] [`),
  // lexical errors: a bad number, an unterminated string, a character MASM does not allow
  fc.tuple(reg, fc.constantFrom("12G", "0x10", "08o", "1e3", "0FFz")).map(([r, n]) => `\tmov ${r}, ${n}`),
  fc.tuple(reg, fc.constantFrom("'x", '"abc', "'it''s")).map(([r, s]) => `\tmov ${r}, ${s}`),
  fc.tuple(reg, fc.constantFrom("#", "§", "`", "{", "}", "|", "~", "^", "\u00e9", "\0")).map(([r, c]) => `\tmov ${r}, 1 ${c} 2`),
  fc.tuple(reg, fc.constantFrom("#", "§", "`", "|", "\u00e9")).map(([r, c]) => `\tmov ${r}, ${c}`),
  // words and operands that are wrong
  fc.tuple(ident, reg).map(([w, r]) => `\t${w} ${r}`),
  fc.tuple(reg, ident).map(([r, w]) => `\tmov ${r}, ${w}_undefined`),
  fc.tuple(reg, reg, reg).map(([a, b, c]) => `\tmov ${a}, ${b}, ${c}`),
  num.map((n) => `\tmov ${n}, eax`),
  fc.constantFrom("\tmov al, 1234h", "\tjmp 5", "\tmov [eax], [ebx]", "\tmov ax, ebx", "\tlea eax, 5", "\tmov eax, 1/0", "\tshl eax, ebx"),
  fc.constantFrom("\tpush al", "\tret 1, 2", "\tmov eax, [eax+ebx+ecx]", "\tmov eax, [eax*3]", "\tinc 5", "\tint 300", "\tmov eax, [ax]", "\tmov eax, [si]"),
  fc.constantFrom("\tmov eax, ?", "\tmovzx eax, ebx", "\tmov cs, ax", "\tmov eax, <1>", "\tmov eax, 5 PTR ebx", "\tcall eax, ebx", "\tmov eax, OFFSET eax"),
  fc.constantFrom("\tmov", "\tadd eax", "\tjz", "\tdw 70000h", "\tdb 300", "\tmov eax, @F", "\tmov eax, NOT"),
  // directives and VxD macros used wrongly
  fc.constantFrom("ENDIF", "ELSE", "ENDM", ".ERR", ".ERRNZ 1", "EndProc", "zork ENDP", "End_Control_Dispatch", "BeginProc"),
  // blocks of lines of which only the one marked » is wrong
  fc.constantFrom("»IF\nENDIF", "»IFIDN <a>\n\tnop\nENDIF", "»IF nowhere\n\tnop\nELSE\n\tfrob\nENDIF", "IF 0\n\tfrob\n»ELSEIF 1/0\n\tfrob\nENDIF"),
  fc.constantFrom("\tVMMcall Nonexistent_Service", "\tTrace_Out eax", "\tVMMcall", "\tDeclare_Virtual_Device", "\tinclude missing_file.inc", "\tALIGN 3"),
);

/** Valid lines; `i` keeps names unique. */
const goodLine = (i: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(reg, num).map(([r, n]) => `\tmov ${r}, ${n}`),
    fc.tuple(reg, reg).map(([a, b]) => `\tadd ${a}, ${b}`),
    fc.constant("\tnop"),
    fc.constant(""),
    fc.string({ unit: "grapheme-ascii", maxLength: 20 }).map((s) => `; ${s}`),
    num.map((n) => `v${i} dd ${n}`),
    fc.constant(`l${i}:`),
    reg.map((r) => `\tinc ${r}\t; a comment with ' and " and <`),
    fc.constant('\tTrace_Out "line #EAX"'),
  );

interface Case {
  readonly text: string;
  /** 1-based line numbers of the bad lines. */
  readonly bad: number[];
}

const fileWithBadLines: fc.Arbitrary<Case> = fc
  .array(fc.tuple(badLine, fc.array(fc.nat(), { maxLength: 3 })), { minLength: 1, maxLength: 50 })
  .chain((parts) =>
    fc.tuple(...parts.map(([bad, goods], i) => fc.tuple(fc.constant(bad), fc.tuple(...goods.map((_, j) => goodLine(i * 10 + j)))))),
  )
  .map((parts) => {
    const lines: string[] = [];
    const bad: number[] = [];
    for (const [b, goods] of parts) {
      lines.push(...goods);
      for (const l of b.includes("\n") ? b.split("\n") : [`»${b}`]) {
        lines.push(l.replace(/^»/, ""));
        if (l.startsWith("»")) bad.push(lines.length);
      }
    }
    return { text: lines.join("\n") + "\n", bad };
  });

describe("N bad lines yield N errors", () => {
  it(`each bad line gets exactly one error, on that line (${RUNS} runs)`, () => {
    withinTime(PROPERTY_LIMIT_MS, "the bad-lines property", () =>
      fc.assert(
        fc.property(fileWithBadLines, ({ text, bad }) => {
          const files = [{ name: "bad.asm", text }];
          const { diagnostics } = assembleSafely(files);
          checkDiagnostics(diagnostics, files);
          const errors = errorsOf(diagnostics);
          const lines = text.split("\n");
          const byLine = new Map<number, string[]>();
          for (const e of errors) byLine.set(e.span?.line ?? 0, [...(byLine.get(e.span?.line ?? 0) ?? []), `${e.name}: ${e.message}`]);
          for (const n of bad) expect(byLine.get(n)?.length ?? 0, `line ${n} ${JSON.stringify(lines[n - 1])}: ${JSON.stringify(byLine.get(n))}`).toBe(1);
          for (const [n, msgs] of byLine) expect(bad, `an error on a valid line ${n} ${JSON.stringify(lines[n - 1])}: ${JSON.stringify(msgs)}`).toContain(n);
          expect(errors.length).toBe(bad.length);
        }),
        params(0x5eed_0004, RUNS),
      ),
    );
  });
});
