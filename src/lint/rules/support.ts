// What several rules share: describing where code runs, naming addresses, reading the source.
import type { SourceSpan } from "../../ir/types.js";
import { Reg } from "../../ir/types.js";
import { messageByValue, type MessageInfo } from "../../vmm/tables/messages.js";
import type { Ctx } from "../analysis.js";
import { messageName } from "../facts.js";
import type { LintProgram } from "../program.js";
import { K_CONST, K_OPAQUE, K_SYM, type AbsVal } from "../values.js";

export const EAX = Reg.EAX;
export const ECX = Reg.ECX;
export const ESI = Reg.ESI;
export const EBP = Reg.EBP;
export const ESP = Reg.ESP;

export function messageOf(ctx: Ctx): MessageInfo | undefined {
  return ctx.message === null ? undefined : messageByValue(ctx.message);
}

export function procName(p: LintProgram, index: number): string {
  return p.procAt(index)?.name ?? "?";
}

export function at(p: LintProgram, i: number): string {
  const s = p.span(i);
  return `${s.file}:${s.line}`;
}

/** "while handling Create_VM in ROGUE's control procedure", "in event callback `X` (…)". */
export function describeCtx(p: LintProgram, ctx: Ctx): string {
  const root = procName(p, ctx.root);
  switch (ctx.kind) {
    case "message":
      return `while ${ctx.device?.name ?? "the device"} handles ${messageName(ctx.message ?? 0)}`;
    case "event":
    case "priority-event":
    case "other-callback":
      return `in callback \`${root}\`, handed to ${ctx.via} at ${at(p, ctx.origin)}`;
    case "time-out":
    case "async-time-out":
      return `in time-out callback \`${root}\`, handed to ${ctx.via} at ${at(p, ctx.origin)}`;
    case "hw-int":
      return `in hardware-interrupt procedure \`${root}\` (installed as ${ctx.via})`;
    case "async-service":
      return `in ASYNC_SERVICE procedure \`${root}\``;
    case "procedure":
      return `in \`${root}\``;
  }
}

export function isConstVal(v: AbsVal | undefined): v is { k: 0; n: number } {
  return v !== undefined && v.k === K_CONST;
}

export function isEntry(v: AbsVal | undefined, base: string): boolean {
  return v !== undefined && v.k === K_SYM && v.base === base && v.off === 0;
}

const FLAT_DATA = new Set(["DS", "ES", "SS"]);

/** A segment register still holds a flat selector the VMM set: its own, or (for DS/ES/SS) another's. */
export function flatAsEntered(v: AbsVal | undefined, seg: string): boolean {
  if (isEntry(v, seg)) return true;
  return v !== undefined && v.k === K_SYM && v.off === 0 && FLAT_DATA.has(seg) && FLAT_DATA.has(v.base);
}

export function known(v: AbsVal | undefined): boolean {
  return v !== undefined && v.k !== K_OPAQUE;
}

export function hex(n: number): string {
  return `${(n >>> 0).toString(16).toUpperCase()}h`;
}

/** The name of the data symbol at an address (first file that has one), or the address. */
export function dataName(p: LintProgram, addr: number): string {
  for (const s of p.ir.symbols.values()) if (s.kind === "data" && s.value >>> 0 === addr >>> 0) return s.name;
  return `[${hex(addr)}]`;
}

/** The text a span covers (on its first line). */
export function spanText(p: LintProgram, span: SourceSpan): string {
  const text = p.ir.sources.get(span.file);
  if (text === undefined) return "";
  const line = lineOf(text, span.line);
  return line.slice(span.column - 1, span.endLine === span.line ? span.endColumn - 1 : undefined);
}

export function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return "";
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
