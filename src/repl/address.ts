// Addresses typed at the REPL (.mem, .break): numbers (1Fh, 0x1F, 31), registers, the session's
// symbols, `reg.Field` / `Symbol.Field`, `[…]` around any of them, joined by + and -.
import { REG_NAMES16, REG_NAMES32, REG_NAMES8_HIGH, REG_NAMES8_LOW } from "../ir/types.js";
import type { ReplSession } from "./session.js";

export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^[0-9][0-9a-f]*h$/i.test(t)) return Number.parseInt(t.slice(0, -1), 16);
  if (/^[01]+b$/i.test(t)) return Number.parseInt(t.slice(0, -1), 2);
  if (/^\d+$/.test(t)) return Number.parseInt(t, 10);
  return null;
}

function register(s: ReplSession, name: string): number | null {
  const n = name.toLowerCase();
  const r32 = (REG_NAMES32 as readonly string[]).indexOf(n);
  if (r32 >= 0) return s.cpu.regs[r32]! >>> 0;
  const r16 = (REG_NAMES16 as readonly string[]).indexOf(n);
  if (r16 >= 0) return s.cpu.regs[r16]! & 0xffff;
  const lo = (REG_NAMES8_LOW as readonly string[]).indexOf(n);
  if (lo >= 0) return s.cpu.regs[lo]! & 0xff;
  const hi = (REG_NAMES8_HIGH as readonly string[]).indexOf(n);
  if (hi >= 0) return (s.cpu.regs[hi]! >>> 8) & 0xff;
  return null;
}

/** The value of a name: register, code or data label, equate, or structure field (its offset). */
function named(s: ReplSession, name: string): number | null {
  const r = register(s, name);
  if (r !== null) return r;
  const sym = s.asm.front.units[0]?.symbols.get(name);
  if (!sym) return null;
  switch (sym.kind) {
    case "code":
      return (s.program.codeBase + sym.index) >>> 0;
    case "data":
      return sym.address >>> 0;
    case "equate":
      return sym.value >>> 0;
    case "field":
      return sym.offset;
    default:
      return null;
  }
}

/** Evaluates an address expression; a string is the error. */
export function evaluateAddress(s: ReplSession, text: string): number | string {
  const expr = text.trim().replace(/^\[(.*)\]$/, "$1").replace(/\bOFFSET(32)?\s+/gi, "");
  if (expr === "") return "expected an address";
  const terms = expr.match(/[+-]?\s*[^+-]+/g) ?? [];
  let total = 0;
  for (const raw of terms) {
    const negative = raw.trim().startsWith("-");
    const term = raw.replace(/^[+-]/, "").trim();
    let value: number | null = parseNumber(term);
    if (value === null) {
      const parts = term.split(".");
      value = 0;
      for (const part of parts) {
        const v = named(s, part.trim());
        if (v === null) return `\`${part.trim()}\` is not a number, a register or a symbol of the session`;
        value += v;
      }
    }
    total += negative ? -value : value;
  }
  return total >>> 0;
}
