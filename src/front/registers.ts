// Register names as operands and inside memory references.
import { REG_NAMES16, REG_NAMES32, REG_NAMES8_HIGH, REG_NAMES8_LOW, type Reg, type Size } from "../ir/types.js";

export interface RegisterRef {
  readonly reg: Reg;
  readonly size: Size;
  readonly high: boolean;
  readonly name: string;
}

const TABLE = new Map<string, RegisterRef>();
REG_NAMES32.forEach((n, i) => TABLE.set(n.toUpperCase(), { reg: i as Reg, size: 4, high: false, name: n }));
REG_NAMES16.forEach((n, i) => TABLE.set(n.toUpperCase(), { reg: i as Reg, size: 2, high: false, name: n }));
REG_NAMES8_LOW.forEach((n, i) => TABLE.set(n.toUpperCase(), { reg: i as Reg, size: 1, high: false, name: n }));
REG_NAMES8_HIGH.forEach((n, i) => TABLE.set(n.toUpperCase(), { reg: i as Reg, size: 1, high: true, name: n }));

export const SEGMENT_REGISTERS: ReadonlySet<string> = new Set(["CS", "DS", "ES", "FS", "GS", "SS"]);

/** Registers by the spellings sources use most, all lower case or all upper case: found without
 *  upper-casing the name (every operand that names a register is looked up). */
export const REGISTER_SPELLINGS: ReadonlyMap<string, RegisterRef> = new Map([...TABLE].flatMap(([upper, r]) => [[upper, r] as const, [r.name, r] as const]));

/** The spelling of a register name as REGISTER_SPELLINGS holds it, or the name itself: operands
 *  that name a register then share one string, instead of a copy each for the life of the program. */
export function sharedRegisterSpelling(name: string): string {
  return name.length <= 3 ? (SPELLING_STRINGS.get(name) ?? name) : name;
}

const SPELLING_STRINGS: ReadonlyMap<string, string> = new Map([...REGISTER_SPELLINGS.keys()].map((k) => [k, k]));

export function registerByName(name: string): RegisterRef | undefined {
  return REGISTER_SPELLINGS.get(name) ?? TABLE.get(name.toUpperCase());
}

export function isRegisterName(name: string): boolean {
  const u = name.toUpperCase();
  return TABLE.has(u) || SEGMENT_REGISTERS.has(u);
}
