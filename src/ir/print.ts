// `vmmasm ir`: the IR as readable text, one instruction a line, with its code address and source.
import { Cond, REG_NAMES16, REG_NAMES32, REG_NAMES8_HIGH, REG_NAMES8_LOW, Rep, type Instr, type IrProgram, type Operand, Op } from "./types.js";
import { serviceById } from "../vmm/tables/services.js";

const OP_NAMES = new Map<number, string>(Object.entries(Op).map(([k, v]) => [v, k]));
const COND_NAMES = new Map<number, string>(Object.entries(Cond).map(([k, v]) => [v, k]));
const REP_NAMES = new Map<number, string>(Object.entries(Rep).map(([k, v]) => [v, k]));
const SIZE_WORD = { 1: "byte", 2: "word", 4: "dword" } as const;

export function hex(n: number, width = 8): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(width, "0");
}

/** A number as MASM writes hex: a leading 0 when it would start with a letter. */
export function masmHex(n: number, width = 0): string {
  const h = hex(n, width);
  return /^[A-F]/.test(h) ? `0${h}h` : `${h}h`;
}

export function formatOperand(o: Operand): string {
  switch (o.kind) {
    case "reg":
      return (o.size === 4 ? REG_NAMES32 : o.size === 2 ? REG_NAMES16 : o.high ? REG_NAMES8_HIGH : REG_NAMES8_LOW)[o.reg as number] as string;
    case "imm":
      return masmHex(o.value, o.value >>> 0 > 0xffff ? 8 : 0);
    case "mem": {
      const parts: string[] = [];
      const names: readonly string[] = REG_NAMES32;
      if (o.base >= 0) parts.push(names[o.base]!);
      if (o.index >= 0) parts.push(`${names[o.index]}*${o.scale}`);
      if (o.disp !== 0 || parts.length === 0) parts.push(masmHex(o.disp, 8));
      return `${SIZE_WORD[o.size]} [${parts.join("+")}]`;
    }
  }
}

export function formatInstr(p: IrProgram, i: Instr): string {
  const ops = [i.a, i.b, i.c].filter((o): o is Operand => o !== null).map(formatOperand);
  if (i.target >= 0) ops.push(`@${i.target} (${hex(p.codeBase + i.target)}h)`);
  if (i.op === Op.VXDCALL || i.op === Op.VXDJMP) ops.push(`${serviceById(i.extra)?.name ?? "?"} (${hex(i.extra)}h)`);
  if (i.op === Op.RET && i.extra) ops.push(String(i.extra));
  if (i.op === Op.TRACE_OUT || i.op === Op.TRAP) ops.push(JSON.stringify(i.text));
  let name = OP_NAMES.get(i.op) ?? "?";
  if (i.op === Op.JCC || i.op === Op.SETCC || i.op === Op.CMOVCC) name += `.${COND_NAMES.get(i.extra) ?? "?"}`;
  if ((i.op === Op.LODS || i.op === Op.STOS || i.op === Op.MOVS || i.op === Op.CMPS || i.op === Op.SCAS) && i.extra !== Rep.NONE) name = `${REP_NAMES.get(i.extra)} ${name}`;
  return `${name.padEnd(13)} ${ops.join(", ")}`;
}

export function printProgram(p: IrProgram): string {
  const out: string[] = [];
  const labels = new Map<number, string[]>();
  for (const s of p.symbols.values()) {
    if (s.kind !== "code") continue;
    const idx = s.value - p.codeBase;
    labels.set(idx, [...(labels.get(idx) ?? []), s.name]);
  }
  out.push(`; ${p.instrs.length} instructions at ${hex(p.codeBase)}h, ${p.data.bytes.length} data bytes at ${hex(p.data.base)}h`);
  for (const d of p.devices) out.push(`; device ${d.name}: ID ${hex(d.deviceId, 4)}h, init order ${hex(d.initOrder)}h, DDB at ${hex(d.ddbAddress)}h`);
  p.instrs.forEach((ins, idx) => {
    for (const l of labels.get(idx) ?? []) out.push(`${l}:`);
    const span = p.spans[idx];
    const where = span ? `${span.file}:${span.line}` : "";
    out.push(`  ${String(idx).padStart(4)}  ${hex(p.codeBase + idx)}  ${formatInstr(p, ins).padEnd(48)} ; ${where}`);
  });
  return out.join("\n");
}
