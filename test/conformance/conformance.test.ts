// Runs every oracle vector (NASM + Unicorn results, see README.md here) through the assembler and
// the machine, and compares registers, every defined flag, memory and the stack.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assemble } from "../../src/front/index.js";
import { runProgram, type RegisterName } from "../../src/run/run-program.js";

interface Case {
  id: string;
  asm: string;
  init: Record<string, number>;
  expect: Record<string, number>;
  undefined: string[];
  mem?: { base: number; init: number[]; expect: number[] };
  stack?: { top: number; expect: number[] };
  expect_fault?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const REGS: RegisterName[] = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"];
const FLAGS = ["cf", "pf", "af", "zf", "sf", "of"] as const;

function load(file: string): Case[] {
  return readFileSync(join(here, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Case);
}

function dwords(values: number[]): number[] {
  const bytes: number[] = [];
  for (const v of values) for (let i = 0; i < 4; i++) bytes.push((v >>> (8 * i)) & 0xff);
  return bytes;
}

/** Runs one case; returns a list of mismatches (empty when it conforms). */
function check(c: Case): string[] {
  const { program, diagnostics } = assemble([{ name: `${c.id}.asm`, text: c.asm }]);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) return errors.map((d) => `assembly: ${d.message} (line ${d.span?.line})`);
  const registers = Object.fromEntries(REGS.map((r) => [r, c.init[r] ?? 0])) as Record<RegisterName, number>;
  const flags: Record<string, 0 | 1> = { if: 0, df: 0 };
  for (const f of FLAGS) flags[f] = (c.init[f] ?? 0) as 0 | 1;
  const result = runProgram(program, {
    bare: true,
    registers,
    flags,
    memory: c.mem ? [{ address: c.mem.base, bytes: dwords(c.mem.init) }] : [],
    maxSteps: 100_000,
    // The oracle maps its stack at 120000h-13FFFFh.
    stackTop: 0x140000,
    stackSize: 0x20000,
  });
  const out: string[] = [];
  if (c.expect_fault) {
    const fault = result.diagnostics.find((d) => d.severity === "error");
    if (fault?.name !== "divide-error") out.push(`expected a ${c.expect_fault} fault, got ${fault ? fault.name : "none"}`);
  } else {
    for (const d of result.diagnostics) if (d.severity === "error") out.push(`run: ${d.name}: ${d.message}`);
  }
  for (const r of REGS) {
    if (result.registers[r] !== c.expect[r]! >>> 0) out.push(`${r}: got ${result.registers[r].toString(16)}, want ${(c.expect[r]! >>> 0).toString(16)}`);
  }
  for (const f of FLAGS) {
    if (c.undefined.includes(f)) continue;
    if (result.flags[f] !== c.expect[f]) out.push(`${f}: got ${result.flags[f]}, want ${c.expect[f]}`);
  }
  if (c.mem) {
    c.mem.expect.forEach((want, i) => {
      const got = result.readDword(c.mem!.base + 4 * i);
      if (got !== want >>> 0) out.push(`mem[+${i * 4}]: got ${got.toString(16)}, want ${(want >>> 0).toString(16)}`);
    });
  }
  if (c.stack) {
    c.stack.expect.forEach((want, i) => {
      const got = result.readDword(result.registers.esp + 4 * i);
      if (got !== want >>> 0) out.push(`stack[+${i * 4}]: got ${got.toString(16)}, want ${(want >>> 0).toString(16)}`);
    });
  }
  return out;
}

for (const file of ["random.jsonl", "targeted.jsonl", "faults.jsonl"]) {
  describe(`conformance: ${file}`, () => {
    const cases = load(file);
    it(`has cases`, () => {
      expect(cases.length).toBeGreaterThan(40);
    });
    it(`matches the oracle on all ${cases.length} cases`, () => {
      const failures: string[] = [];
      for (const c of cases) {
        const problems = check(c);
        if (problems.length) failures.push(`${c.id}: ${problems.slice(0, 4).join("; ")}\n    ${c.asm.replace(/\n/g, " | ")}`);
      }
      expect(failures.slice(0, 25).join("\n")).toBe("");
      expect(failures.length).toBe(0);
    });
  });
}
