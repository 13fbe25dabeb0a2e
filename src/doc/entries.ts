// What `vmmasm doc` knows, read from the tables that also drive vmm.inc, the runtime, lowering and
// lint: one "kind" per table, each able to find a name, list its entries and render one.
// Nothing here states a VMM fact of its own; the words around the facts are ours.
import type { ChalkInstance } from "chalk";
import { DIAGNOSTIC_CODES, type CodeEntry } from "../diagnostics/codes.js";
import { MNEMONICS, type MnemonicSpec } from "../ir/mnemonics.js";
import {
  ALL_SERVICES,
  ALL_STRUCS,
  ASYNC_TIME_OUT_CALLBACK_ENTRY,
  BOOSTS,
  EVENT_CALLBACK_ENTRY,
  EVENT_CALLBACK_ENTRY_STATE,
  EVENT_CALLBACK_EXIT_STATE,
  EVENT_CALLBACK_MAY_MODIFY,
  EVENT_CALLBACK_MUST_PRESERVE,
  MESSAGES,
  PEF_FLAGS,
  PRIORITY_EVENT_CALLBACK_MAY_MODIFY,
  STANDARD_DEVICES,
  TIME_OUT_CALLBACK_ENTRY,
  VMM_SERVICES,
  type MessageInfo,
  type NamedValue,
  type PefFlag,
  type ServiceInfo,
  type StandardDevice,
  type StrucDef,
  type StrucField,
} from "../vmm/tables/index.js";
import { vmmIncSymbols, type IncludeSymbol } from "../vmm/vmm-inc.js";
import { lintRuleDocs, rulesMentioning, type LintRuleDoc } from "./lint-rules.js";

export interface DocKind<T> {
  /** Singular, as shown in a heading: "VMM service". */
  readonly title: string;
  /** The word for `--list`: "services". */
  readonly plural: string;
  all(): readonly T[];
  name(x: T): string;
  /** Other names the entry answers to. */
  aliases?(x: T): readonly string[];
  summary(x: T): string;
  render(x: T, c: ChalkInstance): string[];
}

const hex = (v: number, width = 8): string => `${(v >>> 0).toString(16).toUpperCase().padStart(width, "0")}h`;
const plainHex = (v: number, width: number): string => (v >>> 0).toString(16).toUpperCase().padStart(width, "0");

function heading(c: ChalkInstance, name: string, what: string): string {
  return `${c.bold(name)} ${c.dim("—")} ${what}`;
}

function row(c: ChalkInstance, label: string, value: string): string {
  return `  ${c.cyan(label.padEnd(15))}${value}`;
}

function rows(c: ChalkInstance, label: string, values: readonly string[], none: string): string[] {
  if (values.length === 0) return [row(c, label, c.dim(none))];
  return values.map((v, i) => (i === 0 ? row(c, label, v) : `  ${" ".repeat(15)}${v}`));
}

/** Lint rules that name the entry: the rules that apply to it. */
function ruleRows(name: string, c: ChalkInstance): string[] {
  return rulesMentioning(name).map((r, i) => row(c, i === 0 ? "Lint rules" : "", `${r.id} ${c.dim(`(${r.code})`)}: ${r.summary}`));
}

/** `text` in lines of at most `width` columns, each indented by `indent`. */
function wrap(text: string, indent = "  ", width = 100): string[] {
  const out: string[] = [];
  let line = "";
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      out.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(indent + line);
  return out;
}

function codeLines(code: string): string[] {
  return code.split("\n").map((l) => {
    let out = "";
    for (const ch of l) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
    return `      ${out}`.trimEnd();
  });
}

function wrapSummary(text: string): string[] {
  return text ? [text] : [];
}

// ---------------------------------------------------------------- services

type CallbackRule = { kind: "event" | "priority" | "time-out" | "async-time-out" };

/** Which callback contract a service's callback gets, from the family the service belongs to. */
function callbackOf(s: ServiceInfo): CallbackRule | null {
  if (!s.inputs.some((r) => /callback/i.test(r.meaning))) return null;
  if (/^Set_Async_Time_Out$/.test(s.name)) return { kind: "async-time-out" };
  if (/Time_Out$/.test(s.name)) return { kind: "time-out" };
  if (/Priority|Restricted/.test(s.name)) return { kind: "priority" };
  if (/_Event$/.test(s.name)) return { kind: "event" };
  return null;
}

function callbackRows(rule: CallbackRule, c: ChalkInstance): string[] {
  const entry = rule.kind === "time-out" ? TIME_OUT_CALLBACK_ENTRY : rule.kind === "async-time-out" ? ASYNC_TIME_OUT_CALLBACK_ENTRY : EVENT_CALLBACK_ENTRY;
  const mayModify = rule.kind === "priority" ? PRIORITY_EVENT_CALLBACK_MAY_MODIFY : EVENT_CALLBACK_MAY_MODIFY;
  const out = rows(c, "Callback gets", entry.map((r) => `${r.reg.padEnd(5)}${r.meaning}`), "");
  if (rule.kind !== "event" && rule.kind !== "priority") return out;
  out.push(row(c, "Callback may", `change ${mayModify.join(", ")} only; keep ${EVENT_CALLBACK_MUST_PRESERVE.join(", ")}`));
  const state = (s: { interruptsEnabled: boolean; directionClear: boolean }): string =>
    [s.interruptsEnabled ? "interrupts enabled" : "", s.directionClear ? "DF clear" : ""].filter(Boolean).join(" and ");
  out.push(row(c, "", `entered with ${state(EVENT_CALLBACK_ENTRY_STATE)}; returns with a ${EVENT_CALLBACK_EXIT_STATE.return} ret, with ${state(EVENT_CALLBACK_EXIT_STATE)}`));
  return out;
}

function asyncText(s: ServiceInfo): string {
  if (s.async === true) return "yes: may be called at hardware-interrupt time";
  if (s.async === false) return "no: not at hardware-interrupt time";
  return "not documented as asynchronous, so not at hardware-interrupt time";
}

const services: DocKind<ServiceInfo> = {
  title: "service",
  plural: "services",
  all: () => ALL_SERVICES,
  name: (s) => s.name,
  aliases: (s) => [`@@${s.name}`],
  summary: (s) => s.summary,
  render(s, c) {
    const macro = s.device === "VMM" ? "VMMcall" : "VxDcall";
    const call = s.convention === "c" ? `${macro} ${s.name} (C convention)` : `${macro} ${s.name}`;
    const since = s.since ? `, Windows ${s.since} on` : "";
    const out = [heading(c, s.name, `${s.device} service ${plainHex(s.index, 3)}h (service id ${hex(s.id)})${since}`), ...wrapSummary(s.summary), ""];
    out.push(row(c, "Call", call));
    out.push(row(c, "Convention", s.convention === "c" ? "C (arguments on the stack)" : "register (arguments and results in registers)"));
    out.push(...rows(c, "Inputs", s.inputs.map((r) => `${r.reg.padEnd(5)}${r.meaning}`), s.convention === "c" ? "on the stack" : "none"));
    out.push(...rows(c, "Outputs", s.outputs.map((r) => `${r.reg.padEnd(5)}${r.meaning}`), s.convention === "c" ? "EAX" : "none"));
    out.push(row(c, "Changes", s.uses.length ? s.uses.join(", ") : c.dim("not stated in the table")));
    out.push(row(c, "Asynchronous", asyncText(s)));
    const cb = callbackOf(s);
    if (cb) out.push(...callbackRows(cb, c));
    out.push(...ruleRows(s.name, c));
    out.push(row(c, "Source", s.source || c.dim("the service table of vmm.inc (no register contract recorded)")));
    return out;
  },
};

// ---------------------------------------------------------------- System_Control messages

const SENDERS: Record<MessageInfo["sender"], string> = {
  vmm: "the VMM (and system devices on its behalf) only; a device must not send it",
  shell: "the shell device (SHELL) only",
  dosmgr: "the MS-DOS manager (DOSMGR) only",
  vpowerd: "the power manager (VPOWERD) only",
  "any-device": "any device",
};

const FAILABLE: Record<MessageInfo["failable"], string> = {
  "can-fail": "CF=1 refuses",
  "cannot-fail": "cannot fail: always return with CF clear",
  conflict: "the sources disagree",
  unknown: "not documented",
};

const ORDER: Record<MessageInfo["order"], string> = {
  "init-order": "to every device in init order (lowest first)",
  "reverse-init-order": "to every device in reverse init order",
  directed: "to one device (directed)",
};

const messages: DocKind<MessageInfo> = {
  title: "System_Control message",
  plural: "messages",
  all: () => MESSAGES,
  name: (m) => m.name,
  summary: (m) => m.summary,
  render(m, c) {
    const out = [heading(c, m.name, `System_Control message ${plainHex(m.value, 2)}h, Windows ${m.since} on`), ...wrapSummary(m.summary), ""];
    out.push(row(c, "Send", `mov eax, ${m.name} / VMMcall System_Control`));
    out.push(...rows(c, "Registers", m.inputs.map((r) => `${r.reg.padEnd(5)}${r.meaning}`), "none"));
    out.push(row(c, "Answer", FAILABLE[m.failable] + (m.onFailure ? `: ${m.onFailure}` : "")));
    out.push(row(c, "Sent by", SENDERS[m.sender]));
    out.push(row(c, "Delivered", ORDER[m.order]));
    if (m.companionOf) out.push(row(c, "Companion of", `${m.companionOf}: sent right after it, to 4.0 devices only`));
    const companion = MESSAGES.find((x) => x.companionOf === m.name);
    if (companion) out.push(row(c, "Followed by", `${companion.name} (${plainHex(companion.value, 2)}h), in reverse init order`));
    if (m.interruptsOnEntry !== "unspecified") out.push(row(c, "Interrupts", `${m.interruptsOnEntry} on entry${m.mayEnableInterrupts ? "" : "; the handler must not enable them (no sti)"}`));
    else if (!m.mayEnableInterrupts) out.push(row(c, "Interrupts", "the handler must not enable them (no sti)"));
    if (m.maySimulateInt !== null) out.push(row(c, "Simulate_Int", m.maySimulateInt ? "Simulate_Int and Exec_Int allowed" : "no Simulate_Int or Exec_Int in the handler"));
    if (m.preserves.length) out.push(row(c, "Preserve", m.preserves.join(", ")));
    out.push(...ruleRows(m.name, c));
    out.push(row(c, "Source", m.source));
    return out;
  },
};

// ---------------------------------------------------------------- PEF flags

const pefs: DocKind<PefFlag> = {
  title: "PEF flag",
  plural: "pef",
  all: () => PEF_FLAGS,
  name: (f) => f.name,
  aliases: (f) => [...f.synonyms, ...(f.bitName ? [f.bitName] : [])],
  summary: (f) => f.meaning,
  render(f, c) {
    const out = [heading(c, f.name, `priority-event flag, bit ${f.bit} (${hex(f.value)}), Windows ${f.since} on`), ...wrapSummary(f.meaning), ""];
    const flagsIn = (r: { meaning: string }): boolean => /^PEF_\*/.test(r.meaning);
    for (const s of VMM_SERVICES.filter((x) => x.inputs.some(flagsIn))) out.push(row(c, "Used in", `${s.inputs.find(flagsIn)!.reg} of ${s.name}`));
    if (f.bitName) out.push(row(c, "Bit number", `${f.bitName} = ${f.bit}`));
    if (f.synonyms.length) out.push(row(c, "Also named", f.synonyms.join(", ")));
    return out;
  },
};

// ---------------------------------------------------------------- devices

const devices: DocKind<StandardDevice> = {
  title: "standard device",
  plural: "devices",
  all: () => STANDARD_DEVICES,
  name: (d) => d.name,
  aliases: (d) => [`${d.name}_Device_ID`, `${d.name}_Init_Order`],
  summary: (d) => d.summary,
  render(d, c) {
    const out = [heading(c, d.name, `standard device, ID ${plainHex(d.id, 4)}h`), ...wrapSummary(d.summary), ""];
    out.push(row(c, "Device ID", `${d.name}_Device_ID = ${plainHex(d.id, 4)}h`));
    out.push(row(c, "Init order", d.initOrder === null ? c.dim("none defined in vmm.inc") : `${d.name}_Init_Order = ${hex(d.initOrder)}`));
    const same = STANDARD_DEVICES.filter((x) => x.id === d.id && x !== d);
    if (same.length) out.push(row(c, "Shares its ID", same.map((x) => x.name).join(", ")));
    return out;
  },
};

// ---------------------------------------------------------------- structures and their fields

interface FieldDoc {
  readonly struc: StrucDef;
  readonly field: StrucField;
}

const SIZE_WORDS: Record<number, string> = { 1: "byte", 2: "word", 4: "dword" };

const fields: DocKind<FieldDoc> = {
  title: "structure field",
  plural: "fields",
  all: () => ALL_STRUCS.flatMap((struc) => struc.fields.map((field) => ({ struc, field }))),
  name: (f) => f.field.name,
  summary: (f) => `${f.struc.name} + ${plainHex(f.field.offset, 2)}h, ${SIZE_WORDS[f.field.size] ?? `${f.field.size} bytes`}`,
  render(f, c) {
    const size = SIZE_WORDS[f.field.size] ?? `${f.field.size} bytes`;
    const out = [heading(c, f.field.name, `field of ${f.struc.name} at offset ${plainHex(f.field.offset, 2)}h (${size})`), ""];
    if (f.struc.name === "Client_Reg_Struc" || f.struc.name.startsWith("Client_")) {
      out.push(row(c, "Use", `mov eax, [ebp.${f.field.name}]`));
    } else out.push(row(c, "Use", `[reg.${f.field.name}] where reg points at a ${f.struc.name}`));
    const i = f.struc.fields.indexOf(f.field);
    const near = f.struc.fields.slice(Math.max(0, i - 2), i + 3).map((x) => `${x === f.field ? c.bold(x.name) : x.name} ${plainHex(x.offset, 2)}h`);
    out.push(row(c, "Neighbours", near.join(", ")));
    return out;
  },
};

const structures: DocKind<StrucDef> = {
  title: "structure",
  plural: "structures",
  all: () => ALL_STRUCS,
  name: (s) => s.name,
  summary: (s) => `${s.fields.length} fields, ${plainHex(s.size, 2)}h bytes`,
  render(s, c) {
    const out = [heading(c, s.name, `structure of vmm.inc, ${plainHex(s.size, 2)}h bytes (SIZE ${s.name})`), ""];
    for (const f of s.fields) out.push(`  ${c.cyan(plainHex(f.offset, 2) + "h")}  ${f.name.padEnd(24)} ${SIZE_WORDS[f.size] ?? `${f.size} bytes`}`);
    return out;
  },
};

// ---------------------------------------------------------------- instructions

interface MnemonicDoc {
  readonly name: string;
  readonly spec: MnemonicSpec;
}

const FORMS: Record<string, string> = {
  alu: "r/m, r/m or immediate",
  mov: "r/m, r/m or immediate",
  movx: "r16/r32, r/m8 or r/m16",
  lea: "r32, memory",
  xchg: "r/m, r",
  push: "r/m or immediate",
  pop: "r/m",
  none: "no operands",
  unary: "r/m",
  imul: "r/m | r, r/m | r, r/m, immediate",
  shift: "r/m, immediate or CL",
  jmp: "label, register or memory",
  jcc: "label",
  loop: "label",
  call: "label, register or memory",
  ret: "none, or bytes to pop",
  string: "none (ESI/EDI, ECX with a rep prefix)",
  setcc: "r/m8",
  cmovcc: "r, r/m",
  bt: "r/m, r or immediate",
  bscan: "r, r/m",
  bswap: "r32",
  xadd: "r/m, r",
  shd: "r/m, r, immediate or CL",
  enter: "immediate, immediate",
  int: "immediate (handed to the VMM)",
};

const mnemonics: DocKind<MnemonicDoc> = {
  title: "instruction",
  plural: "mnemonics",
  all: () => [...MNEMONICS.entries()].map(([name, spec]) => ({ name, spec })),
  name: (m) => m.name,
  summary: (m) => m.spec.summary,
  render(m, c) {
    const same = [...MNEMONICS.entries()].filter(([n, s]) => s === m.spec && n !== m.name).map(([n]) => n);
    const out = [heading(c, m.name, "instruction"), m.spec.summary, ""];
    out.push(row(c, "Operands", FORMS[m.spec.form] ?? m.spec.form));
    if (m.spec.size) out.push(row(c, "Size", `${m.spec.size * 8}-bit`));
    if (same.length) out.push(row(c, "Same as", same.join(", ")));
    out.push(row(c, "Flags", "as the Intel manual gives them; where it says undefined, vmmasm makes a fixed choice"));
    return out;
  },
};

// ---------------------------------------------------------------- diagnostics and lint rules

interface DiagDoc {
  readonly name: string;
  readonly entry: CodeEntry;
}

const diagnostics: DocKind<DiagDoc> = {
  title: "diagnostic",
  plural: "diagnostics",
  all: () => Object.entries(DIAGNOSTIC_CODES).map(([name, entry]) => ({ name, entry: entry as CodeEntry })),
  name: (d) => d.name,
  aliases: (d) => [d.entry.code],
  summary: (d) => d.entry.summary,
  render(d, c) {
    const out = [heading(c, d.name, `${d.entry.severity} ${d.entry.code}`), d.entry.summary, "", ...wrap(d.entry.explanation)];
    if (d.entry.help) out.push(row(c, "Help", d.entry.help));
    return out;
  },
};

const rules: DocKind<LintRuleDoc> = {
  title: "lint rule",
  plural: "rules",
  all: () => lintRuleDocs(),
  name: (r) => r.id,
  aliases: (r) => [r.code],
  summary: (r) => r.summary,
  render(r, c) {
    const out = [heading(c, r.id, `lint rule ${r.code} (${r.severity})`), r.summary];
    if (r.explanation) out.push("", ...wrap(r.explanation));
    if (r.bad) out.push("", row(c, "Breaks it", "").trimEnd(), ...codeLines(r.bad));
    if (r.good) out.push(row(c, "Keeps it", "").trimEnd(), ...codeLines(r.good));
    if (r.source) out.push("", row(c, "Source", r.source));
    if (r.helpUri) out.push(row(c, "More", r.helpUri));
    return out;
  },
};

// ---------------------------------------------------------------- execution-priority boosts

const boosts: DocKind<NamedValue> = {
  title: "execution-priority boost",
  plural: "boosts",
  all: () => BOOSTS,
  name: (b) => b.name,
  summary: (b) => b.meaning,
  render(b, c) {
    const users = VMM_SERVICES.filter((s) => s.inputs.some((r) => /boost/i.test(r.meaning)));
    const out = [heading(c, b.name, `execution-priority boost ${hex(b.value)}`), ...wrapSummary(b.meaning), ""];
    for (const s of users) out.push(row(c, "Used in", `${s.inputs.find((r) => /boost/i.test(r.meaning))!.reg} of ${s.name}`));
    return out;
  },
};

// ---------------------------------------------------------------- any other vmm.inc symbol

const ORIGINS: Record<string, string> = {
  message: "System_Control message number",
  "message-range": "System_Control message range",
  "device-id": "device ID",
  "init-order": "init order",
  service: "VMM service id",
  pef: "priority-event flag",
  boost: "execution-priority boost",
  block: "blocking flag",
  vne: "VM_Not_Executeable flag",
  bpa: "Begin_PM_App flag",
  cvnf: "Close_VM_Notify flag",
  dioc: "W32_DeviceIoControl code",
  vmstat: "CB_VM_Status bit",
  "ddb-flag": "DDB_Flags bit",
  constant: "constant",
  sysstate: "VMM_GetSystemInitState value",
};

const symbols: DocKind<IncludeSymbol> = {
  title: "vmm.inc symbol",
  plural: "symbols",
  all: () => vmmIncSymbols(),
  name: (s) => s.name,
  summary: (s) => `${ORIGINS[s.origin] ?? s.origin} = ${hex(s.value)}`,
  render(s, c) {
    return [heading(c, s.name, `vmm.inc symbol: ${ORIGINS[s.origin] ?? s.origin}`), "", row(c, "Value", `${hex(s.value)} (${s.value >>> 0})`)];
  },
};

/** The kinds, in the order a name is looked up (the first kinds win a name they share). */
export const DOC_KINDS = [services, messages, pefs, boosts, devices, structures, fields, mnemonics, diagnostics, rules, symbols] as unknown as readonly DocKind<unknown>[];

export interface DocHit {
  readonly kind: DocKind<unknown>;
  readonly item: unknown;
}

function names(kind: DocKind<unknown>, item: unknown): string[] {
  return [kind.name(item), ...(kind.aliases?.(item) ?? [])];
}

/** Every entry named `name` (case-insensitive), most specific kind first; symbols only if nothing else. */
export function findDoc(name: string): DocHit[] {
  const key = name.trim().toLowerCase();
  const hits: DocHit[] = [];
  for (const kind of DOC_KINDS) {
    if (kind === symbols && hits.length > 0) break;
    for (const item of kind.all()) if (names(kind, item).some((n) => n.toLowerCase() === key)) hits.push({ kind, item });
  }
  return hits;
}

/** Every name `doc` answers to (for completion and suggestions). */
export function docNames(): string[] {
  const out = new Set<string>();
  for (const kind of DOC_KINDS) for (const item of kind.all()) out.add(kind.name(item));
  return [...out];
}

export function kindByPlural(word: string): DocKind<unknown> | undefined {
  const w = word.toLowerCase();
  return DOC_KINDS.find((k) => k.plural === w || k.plural.replace(/s$/, "") === w || (k.plural === "pef" && /^pef(s| flags?)?$/.test(w)));
}
