// Shared pieces of the robustness properties: the vocabulary token soup is drawn from, a hard time
// limit for synchronous code, and the checks every assemble/run result must pass.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import fc from "fast-check";
import { expect } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { DIAGNOSTIC_CODES } from "../../src/diagnostics/codes.js";
import { assemble, type AssembleOptions, type AssembleResult, type SourceInput } from "../../src/front/index.js";
import { REG_NAMES16, REG_NAMES32, REG_NAMES8_HIGH, REG_NAMES8_LOW } from "../../src/ir/types.js";
import { MNEMONICS } from "../../src/ir/mnemonics.js";
import type { RunResult } from "../../src/run/run-program.js";

// ---------------------------------------------------------------- time limits

const timerContext = vm.createContext({});
const callThunk = new vm.Script("__thunk()");

/** Runs `f` and interrupts it after `ms` milliseconds, even if it is a synchronous endless loop
 *  (V8 terminates whatever runs under a vm script with a timeout, host functions included). */
export function withinTime<T>(ms: number, what: string, f: () => T): T {
  let out: { value: T } | null = null;
  (timerContext as { __thunk?: () => void }).__thunk = () => {
    out = { value: f() };
  };
  try {
    callThunk.runInContext(timerContext, { timeout: ms });
  } catch (e) {
    // The timeout error comes from another realm: not `instanceof Error` here.
    const message = String((e as { message?: unknown } | null)?.message ?? "");
    if (/^Script execution timed out/.test(message) && out === null) {
      throw new Error(`${what} did not finish within ${ms} ms (a hang?); the last input assembleSafely was given is ${JSON.stringify(lastInput).slice(0, 4000)}`);
    }
    throw e;
  }
  return (out as { value: T } | null)!.value;
}

/** Per-call bound: generous, as CI machines are slow, but a hang still ends. */
export const CALL_LIMIT_MS = 5_000;

/** The files assembleSafely was last given: named when a time limit is reached. */
let lastInput: readonly SourceInput[] = [];

/** assemble under a time limit. */
export function assembleSafely(files: readonly SourceInput[], options: AssembleOptions = {}): AssembleResult {
  lastInput = files;
  return withinTime(CALL_LIMIT_MS, "assemble", () => assemble(files, options));
}

/** To explore beyond what CI runs: ROBUSTNESS_SEED=n mixes n into every property's seed, and
 *  ROBUSTNESS_SCALE=k runs k times as many inputs (with k times the time limits). */
const SEED_MIX = Number(process.env["ROBUSTNESS_SEED"] ?? 0) | 0;
export const SCALE = Math.max(1, Number(process.env["ROBUSTNESS_SCALE"] ?? 1) || 1);

/** A fixed seed per property, so that CI sees the same inputs every time. */
export function params<T>(seed: number, numRuns: number): fc.Parameters<T> {
  return { seed: (seed ^ Math.imul(SEED_MIX, 0x9e3779b1)) | 0, numRuns: Math.round(numRuns * SCALE), endOnFailure: false, verbose: 1 };
}

/** The time limit of a whole property: a hang guard, far above what it takes. */
export const PROPERTY_LIMIT_MS = 25_000 * SCALE;

// ---------------------------------------------------------------- checks

const CODES = new Set(Object.values(DIAGNOSTIC_CODES).map((e) => e.code));

/** Every diagnostic has a known code, a message, a severity, and a span inside its file. */
export function checkDiagnostics(diags: readonly Diagnostic[], files: readonly SourceInput[] | Readonly<Record<string, string>>): void {
  expect(Array.isArray(diags)).toBe(true);
  const texts = new Map<string, string>(Array.isArray(files) ? files.map((f) => [f.name, f.text]) : Object.entries(files));
  for (const d of diags) {
    const where = `${d.code} ${d.name} ${JSON.stringify(d.message)} at ${JSON.stringify(d.span)}`;
    expect(d.code, where).toMatch(/^[EWN]\d{4}$/);
    expect(CODES.has(d.code), where).toBe(true);
    expect(["error", "warning", "note"], where).toContain(d.severity);
    expect(typeof d.message, where).toBe("string");
    expect(d.message.trim().length, where).toBeGreaterThan(0);
    if (d.span) checkSpan(d.span, texts, where);
    for (const r of d.related ?? []) checkSpan(r.span, texts, `related of ${where}`);
  }
}

function checkSpan(span: NonNullable<Diagnostic["span"]>, texts: ReadonlyMap<string, string>, where: string): void {
  expect(Number.isInteger(span.line) && span.line >= 1, where).toBe(true);
  expect(Number.isInteger(span.column) && span.column >= 1, where).toBe(true);
  expect(span.endLine >= span.line, where).toBe(true);
  if (span.endLine === span.line) expect(span.endColumn >= span.column, where).toBe(true);
  const text = texts.get(span.file);
  if (text === undefined) return; // an include file the test did not list
  const lines = linesOf(text);
  expect(span.line <= lines.length, `${where}: the file has ${lines.length} lines`).toBe(true);
  expect(span.endLine <= lines.length, `${where}: the file has ${lines.length} lines`).toBe(true);
  // A column may point one past the end of its line (an "expected … here" at the end).
  expect(span.column <= lines[span.line - 1]!.length + 1, `${where}: line ${span.line} is ${JSON.stringify(lines[span.line - 1])}`).toBe(true);
}

/** Lines as the assembler counts them: CR LF, CR and LF each end a line; 1Ah ends the text. */
export function linesOf(text: string): string[] {
  const eof = text.indexOf("\x1a");
  return (eof >= 0 ? text.slice(0, eof) : text).split(/\r\n|\r|\n/);
}

export function errorsOf(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.severity === "error");
}

/** The result of a bounded run is well formed; hitting the bound is reported as step-limit. */
export function checkRun(run: RunResult, maxSteps: number, files: readonly SourceInput[]): void {
  expect(["ok", "fault", "violation"]).toContain(run.status);
  checkDiagnostics(run.diagnostics, files);
  expect(run.steps).toBeLessThanOrEqual(maxSteps);
  if (run.status !== "ok") expect(run.diagnostics.some((d) => d.severity === "error"), `status ${run.status} without an error`).toBe(true);
  if (run.steps >= maxSteps) expect(run.diagnostics.map((d) => d.name)).toContain("step-limit");
}

// ---------------------------------------------------------------- vocabulary

export const MNEMONIC_WORDS: readonly string[] = [...MNEMONICS.keys()];
export const REGISTERS: readonly string[] = [...REG_NAMES32, ...REG_NAMES16, ...REG_NAMES8_LOW, ...REG_NAMES8_HIGH, "cs", "ds", "es", "fs", "gs", "ss"];
export const DIRECTIVES: readonly string[] = [
  "EQU", "=", "DB", "DW", "DD", "DQ", "DUP", "PROC", "ENDP", "STRUC", "ENDS", "MACRO", "ENDM", "LOCAL", "EXITM", "IF", "IFE", "ELSE",
  "ELSEIF", "ENDIF", "IFDEF", "IFNDEF", "IFB", "IFNB", "IFIDN", "INCLUDE", "REPT", "IRP", "IRPC", "PTR", "OFFSET", "OFFSET32", "SIZE",
  "TYPE", "LENGTH", "HIGH", "LOW", "SHORT", "BYTE", "WORD", "DWORD", "NEAR", "FAR", "LABEL", "SEGMENT", "TEXTEQU", "PUBLIC", "EXTRN",
  "ALIGN", "EVEN", "END", ".386p", ".ERRNZ", ".ERRE", ".ERR", "%OUT", "ECHO", "AND", "OR", "XOR", "NOT", "MOD", "SHL", "SHR", "EQ",
  "NE", "LT", "GT", "ORG", "ASSUME", "OPTION", "include vmm.inc",
];
export const VXD_MACROS: readonly string[] = [
  "VMMcall", "VMMjmp", "VxDcall", "Declare_Virtual_Device", "Begin_Control_Dispatch", "Control_Dispatch", "End_Control_Dispatch",
  "BeginProc", "EndProc", "Trace_Out", "Debug_Out", "Fatal_Error", "Assert_VM_Handle", "SaveReg", "RestoreReg", "VxD_LOCKED_CODE_SEG",
  "VxD_LOCKED_CODE_ENDS", "VxD_DATA_SEG", "VxD_DATA_ENDS", "VxD_ICODE_SEG", "VxD_ICODE_ENDS",
];
export const VMM_NAMES: readonly string[] = [
  "Get_Cur_VM_Handle", "Get_Sys_VM_Handle", "Get_VMM_Version", "Test_Cur_VM_Handle", "Schedule_VM_Event", "Call_VM_Event",
  "System_Control", "Hook_Device_Service", "Fatal_Error_Handler", "Sys_Critical_Init", "Device_Init", "Init_Complete", "Sys_VM_Init",
  "Create_VM", "Destroy_VM", "Undefined_Device_ID", "Undefined_Init_Order", "Client_Reg_Struc", "Client_EAX", "CB_Client_Pointer",
  "VMM_Service", "MAX_SYSTEM_CONTROL", "LOCKED", "PAGEABLE", "INIT", "VxD_Desc_Block", "DDB_Name",
];
export const LABELS: readonly string[] = ["foo", "bar", "Baz", "loop1", "@@", "@B", "@F", "$", "?", "x", "MyDev", "MyDev_Control", "Handler", "tbl", "M"];
export const NUMBERS: readonly string[] = [
  "0", "1", "2", "4", "8", "10", "255", "256", "65535", "0FFh", "0FFFFFFFFh", "100000000h", "12345678h", "1010b", "777o", "17q",
  "99d", "42t", "0ABCDh", "12G", "0x10", "08o", "1e3", "123456789012345678901234567890", "1_000", "0h", "9h",
];
export const STRINGS: readonly string[] = ["'a'", "'ab'", "\"Hello #EAX\"", "'it''s'", "\"\"", "''", "'abcd'", "'abcde'", "\"unterminated", "'x", "<text>", "<a, <b, c>>", "<>", "<"];
export const PUNCTUATION: readonly string[] = [",", ":", "::", "[", "]", "(", ")", "+", "-", "*", "/", ".", "!", "&", "%", "\\", "?", ";", "; comment", "<", ">", ".Client_EAX", ".field"];

/** Every word the soup is made of. */
export const VOCABULARY: readonly string[] = [...MNEMONIC_WORDS, ...REGISTERS, ...DIRECTIVES, ...VXD_MACROS, ...VMM_NAMES, ...LABELS, ...NUMBERS, ...STRINGS, ...PUNCTUATION];

/** A vocabulary word, weighted so that the rarer kinds still show up often. */
export const word: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MNEMONIC_WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...REGISTERS) },
  { weight: 3, arbitrary: fc.constantFrom(...DIRECTIVES) },
  { weight: 2, arbitrary: fc.constantFrom(...VXD_MACROS) },
  { weight: 2, arbitrary: fc.constantFrom(...VMM_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...LABELS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 5, arbitrary: fc.constantFrom(...PUNCTUATION) },
);

const separator = fc.constantFrom(" ", " ", " ", "\t", "", ", ");

/** One line of soup: a few words with separators. */
export const soupLine: fc.Arbitrary<string> = fc
  .array(fc.tuple(word, separator), { minLength: 0, maxLength: 8 })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));

const reg32 = fc.constantFrom(...REG_NAMES32.filter((r) => r !== "esp"));
const smallNumber = fc.constantFrom("0", "1", "2", "7", "10h", "0FFh", "1010b", "17o", "42t", "80000000h", "0FFFFFFFFh");
/** An operand of the shapes instructions take: a register, a number, memory, a label. */
const operand: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: reg32 },
  { weight: 3, arbitrary: smallNumber },
  { weight: 1, arbitrary: fc.constantFrom(...REG_NAMES16, ...REG_NAMES8_LOW, ...REG_NAMES8_HIGH) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("dword ptr ", "byte ptr ", "word ptr ", ""), fc.constantFrom("tbl", "foo", "[tbl+4]", "[foo]", "tbl[ecx*4]")).map(([p, m]) => p + m) },
  { weight: 1, arbitrary: fc.constantFrom("top", "@B", "@F", "OFFSET32 tbl", "SIZE tbl", "(1 SHL 4) OR 3", "'ab'") },
);
/** A line shaped like a statement, its words still drawn from the vocabulary: `[label:] op a, b`,
 *  usually with operands of the kinds the mnemonic takes, sometimes with any operands at all. */
export const shapedLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.constantFrom("@@:", "@@:", "bar:"), { freq: 5 }),
    fc.constantFrom(...MNEMONIC_WORDS),
    fc.array(operand, { maxLength: 3 }),
    fc.tuple(reg32, operand, fc.constantFrom("top", "top", "@B", "bar"), fc.constantFrom("1", "cl", "4", "31"), smallNumber),
    fc.nat(9),
  )
  .map(([label, m, anyOps, [r, x, target, count, n], wild]) => {
    const form = MNEMONICS.get(m)!.form;
    let ops: string[];
    if (wild === 0) ops = anyOps;
    else if (form === "none" || form === "string" || form === "ret") ops = [];
    else if (form === "jmp" || form === "call" || form === "jcc" || form === "loop") ops = [target];
    else if (form === "shift") ops = [r, count];
    else if (form === "shd") ops = [r, "ebx", count];
    else if (form === "int") ops = ["3"];
    else if (form === "enter") ops = [n.replace(/^8.*|^0F.*/, "8"), "0"];
    else if (form === "setcc") ops = [r.replace(/^e(.)x$/, "$1l").replace(/^e(si|di|bp)$/, "al")];
    else if (form === "unary" || form === "push" || form === "pop" || form === "bswap") ops = [r];
    else if (form === "lea") ops = [r, "[tbl+4]"];
    else if (form === "movx") ops = [r, "byte ptr [foo]"];
    else if (form === "cmovcc" || form === "bscan" || form === "xadd") ops = [r, "ecx"];
    else ops = [r, x];
    return `${label ?? ""}\t${m}\t${ops.join(", ")}`;
  });

/** A file of soup lines (with the odd CR LF or bare CR); some files are mostly statement-shaped
 *  so that they assemble and get as far as the runner. */
export const soupFile: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.array(fc.tuple(soupLine, fc.constantFrom("\n", "\n", "\n", "\r\n", "\r")), { minLength: 1, maxLength: 30 }).map((lines) => lines.map(([l, nl]) => l + nl).join("")) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof({ weight: 20, arbitrary: shapedLine }, { weight: 1, arbitrary: soupLine }), { minLength: 1, maxLength: 8 })
      .map((lines) => `@@:\ntop:\n${lines.join("\n")}\n\tret\ntbl dd 1, 2, 3, 4\nfoo dd 5\n`),
  },
);

/** Characters that matter to the scanner, mixed with arbitrary ones. */
const specialChar = fc.constantFrom("\r", "\n", "\r\n", "\t", "\x1a", "\0", "'", '"', "<", ">", ";", ",", ":", "[", "]", "é", "\u00ff", "\u2028", "\ud800", "😀", "\\", "!", "&", "%", " ");

export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: fc.oneof(specialChar, fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 })), maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.array(fc.oneof(specialChar, word, fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join("")),
);

// ---------------------------------------------------------------- examples and mutations

const here = dirname(fileURLToPath(import.meta.url));
export const EXAMPLES_DIR = join(here, "..", "..", "examples");

/** Every examples/*.asm, read now (other files may appear later; the list is taken once). */
export function exampleFiles(): { name: string; text: string }[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.toLowerCase().endsWith(".asm"))
    .sort()
    .map((f) => ({ name: `examples/${f}`, text: readFileSync(join(EXAMPLES_DIR, f), "latin1") }));
}

export type Mutation =
  | { kind: "delete-line"; at: number }
  | { kind: "duplicate-line"; at: number }
  | { kind: "swap-lines"; at: number; with: number }
  | { kind: "delete-char"; at: number }
  | { kind: "insert-char"; at: number; ch: string }
  | { kind: "truncate"; at: number }
  | { kind: "replace-token"; at: number; word: string };

/** Positions are fractions in [0, 1), scaled to the text they apply to, so they shrink well. */
const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  frac.map((at): Mutation => ({ kind: "delete-line", at })),
  frac.map((at): Mutation => ({ kind: "duplicate-line", at })),
  fc.tuple(frac, frac).map(([at, w]): Mutation => ({ kind: "swap-lines", at, with: w })),
  frac.map((at): Mutation => ({ kind: "delete-char", at })),
  fc.tuple(frac, fc.oneof(specialChar, fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }))).map(([at, ch]): Mutation => ({ kind: "insert-char", at, ch })),
  frac.map((at): Mutation => ({ kind: "truncate", at })),
  fc.tuple(frac, word).map(([at, w]): Mutation => ({ kind: "replace-token", at, word: w })),
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const li = (f: number): number => Math.floor(f * lines.length);
  const ci = (f: number): number => Math.floor(f * (text.length + 1));
  switch (m.kind) {
    case "delete-line":
      lines.splice(li(m.at), 1);
      return lines.join("\n");
    case "duplicate-line": {
      const i = li(m.at);
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
    case "swap-lines": {
      const i = li(m.at);
      const j = li(m.with);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join("\n");
    }
    case "delete-char": {
      const i = Math.min(ci(m.at), text.length - 1);
      return text.slice(0, i) + text.slice(i + 1);
    }
    case "insert-char": {
      const i = ci(m.at);
      return text.slice(0, i) + m.ch + text.slice(i);
    }
    case "truncate":
      return text.slice(0, ci(m.at));
    case "replace-token": {
      const tokens = [...text.matchAll(/[A-Za-z_@$?.][\w@$?]*|[0-9][0-9A-Za-z_]*|'[^'\n]*'|"[^"\n]*"|[,:[\]()+\-*]/g)];
      if (tokens.length === 0) return text;
      const t = tokens[Math.floor(m.at * tokens.length)]!;
      return text.slice(0, t.index) + m.word + text.slice(t.index + t[0].length);
    }
  }
}
