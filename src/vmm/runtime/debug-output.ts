// Trace_Out, Debug_Out and Out_Debug_String: `#REG` becomes the register's value in hex (8, 4 or 2
// digits by the register's width) and `?REG` the nearest label at or below the value.
import { REG_NAMES16, REG_NAMES32, REG_NAMES8_HIGH, REG_NAMES8_LOW, type IrProgram, type Reg } from "../../ir/types.js";
import type { Cpu } from "../../machine/cpu.js";

const REGS = new Map<string, { reg: Reg; size: 1 | 2 | 4; high: boolean }>();
REG_NAMES32.forEach((n, i) => REGS.set(n.toUpperCase(), { reg: i as Reg, size: 4, high: false }));
REG_NAMES16.forEach((n, i) => REGS.set(n.toUpperCase(), { reg: i as Reg, size: 2, high: false }));
REG_NAMES8_LOW.forEach((n, i) => REGS.set(n.toUpperCase(), { reg: i as Reg, size: 1, high: false }));
REG_NAMES8_HIGH.forEach((n, i) => REGS.set(n.toUpperCase(), { reg: i as Reg, size: 1, high: true }));

/** A register named in a debug string: `#EAX` prints EAX in hex, `?ESI` the label nearest ESI. */
const REGISTER_MARK = /([#?])(E[ABCD]X|E[SD]I|E[BS]P|[ABCD]X|[SD]I|[BS]P|[ABCD][LH])\b/gi;

/** The same pattern without the global flag, so that `exec` keeps no position between calls. */
const ONE_REGISTER_MARK = new RegExp(REGISTER_MARK.source, "i");

/** The first `#REG` or `?REG` placeholder in a debug string, or null. */
export function firstPlaceholder(text: string): string | null {
  return ONE_REGISTER_MARK.exec(text)?.[0] ?? null;
}

export function formatDebugString(text: string, cpu: Cpu): string {
  return text.replace(REGISTER_MARK, (whole, kind: string, name: string) => {
    const r = REGS.get(name.toUpperCase());
    if (!r) return whole;
    const value = cpu.getReg(r.reg, r.size, r.high) >>> 0;
    if (kind === "#") return value.toString(16).toUpperCase().padStart(r.size * 2, "0");
    return nearestLabel(cpu.program, value);
  });
}

/** `Name+Offset` for the closest code or data label at or below `address`, else the hex address. */
export function nearestLabel(program: IrProgram, address: number): string {
  let best: { name: string; value: number } | null = null;
  for (const s of program.symbols.values()) {
    if (s.kind !== "code" && s.kind !== "data") continue;
    const v = s.value >>> 0;
    if (v <= address && (!best || v > best.value)) best = { name: s.name, value: v };
  }
  const hex = address.toString(16).toUpperCase().padStart(8, "0");
  if (!best || address - best.value > 0x10000) return hex;
  const delta = address - best.value;
  return delta === 0 ? best.name : `${best.name}+${delta.toString(16).toUpperCase()}`;
}
