// The symbols that `include vmm.inc` defines, computed from the fact tables (never written here twice).
// Struc field names are not symbols here: the assembler registers them from vmmIncStrucs().

import type { StrucDef } from "./tables/structures.js";
import {
  ALL_STRUCS,
  BASEID_FOR_NAMEBASEDVXD,
  BASEID_FOR_NAMEBASEDVXD_MASK,
  BLOCK_FLAGS,
  BOOSTS,
  BPA_FLAGS,
  CONSTANTS,
  CVNF_FLAGS,
  DDB_FLAG_BITS,
  DIOC_CODES,
  INIT_ORDERS,
  MAX_SYSTEM_CONTROL,
  MESSAGES,
  PEF_FLAGS,
  PRIVATE_MESSAGE_FIRST,
  PRIVATE_MESSAGE_LAST,
  STANDARD_DEVICES,
  SYSTEM_INIT_STATES,
  UNDEFINED_DEVICE_ID,
  UNDEFINED_INIT_ORDER,
  VM_STATUS_BIT_ALIASES,
  VM_STATUS_BITS,
  VMCB_ID,
  VMM_SERVICES,
  VMSTAT_USE32_MASK,
  VNE_FLAGS,
} from "./tables/index.js";
import type { FlagBit, NamedBit } from "./tables/index.js";

export interface IncludeSymbol {
  readonly name: string;
  readonly value: number;
  readonly origin: string;
}

const sym = (name: string, value: number, origin: string): IncludeSymbol => ({ name, value, origin });

function flagSymbols(flags: readonly FlagBit[], origin: string): IncludeSymbol[] {
  return flags.flatMap((f) => [
    sym(f.name, f.value, origin),
    ...(f.bitName ? [sym(f.bitName, f.bit, origin)] : []),
  ]);
}

function bitSymbols(bits: readonly NamedBit[], origin: string): IncludeSymbol[] {
  return bits.flatMap((b) => [sym(b.name, 2 ** b.bit, origin), sym(`${b.name}_Bit`, b.bit, origin)]);
}

/** Every definition the tables produce, duplicates included; vmmIncSymbols() checks and merges them. */
export function collectIncludeSymbols(): IncludeSymbol[] {
  return [
    ...MESSAGES.map((m) => sym(m.name, m.value, "message")),
    sym("BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL", PRIVATE_MESSAGE_FIRST, "message-range"),
    sym("END_RESERVED_PRIVATE_SYSTEM_CONTROL", PRIVATE_MESSAGE_LAST, "message-range"),
    sym("MAX_SYSTEM_CONTROL", MAX_SYSTEM_CONTROL, "message-range"),

    sym("Undefined_Device_ID", UNDEFINED_DEVICE_ID, "device-id"),
    sym("Undefined_Init_Order", UNDEFINED_INIT_ORDER, "init-order"),
    sym("BASEID_FOR_NAMEBASEDVXD", BASEID_FOR_NAMEBASEDVXD, "device-id"),
    sym("BASEID_FOR_NAMEBASEDVXD_MASK", BASEID_FOR_NAMEBASEDVXD_MASK, "device-id"),
    ...STANDARD_DEVICES.flatMap((d) => [
      sym(`${d.name}_Device_ID`, d.id, "device-id"),
      ...(d.initOrder === null ? [] : [sym(`${d.name}_Init_Order`, d.initOrder, "init-order")]),
    ]),
    ...INIT_ORDERS.map((o) => sym(`${o.name}_Init_Order`, o.value, "init-order")),

    ...VMM_SERVICES.flatMap((s) => [sym(s.name, s.id, "service"), sym(`@@${s.name}`, s.id, "service")]),

    ...PEF_FLAGS.flatMap((f) => [
      ...flagSymbols([f], "pef"),
      ...f.synonyms.flatMap((n) => [sym(n, f.value, "pef"), sym(`${n}_Bit`, f.bit, "pef")]),
    ]),
    ...BOOSTS.map((b) => sym(b.name, b.value, "boost")),
    ...flagSymbols(BLOCK_FLAGS, "block"),
    ...flagSymbols(VNE_FLAGS, "vne"),
    ...BPA_FLAGS.map((f) => sym(f.name, f.value, "bpa")),
    ...flagSymbols(CVNF_FLAGS, "cvnf"),
    ...DIOC_CODES.map((c) => sym(c.name, c.value, "dioc")),

    ...bitSymbols(VM_STATUS_BITS, "vmstat"),
    ...VM_STATUS_BIT_ALIASES.map((b) => sym(b.name, b.bit, "vmstat")),
    sym("VMStat_Use32_Mask", VMSTAT_USE32_MASK, "vmstat"),
    ...bitSymbols(DDB_FLAG_BITS, "ddb-flag"),
    sym("VMCB_ID", VMCB_ID, "constant"),

    ...CONSTANTS.map((c) => sym(c.name, c.value, "constant")),
    ...SYSTEM_INIT_STATES.map((c) => sym(c.name, c.value, "sysstate")),
  ];
}

/** Names that two tables define with different values (case-insensitive); empty when the tables agree. */
export function findSymbolConflicts(symbols: readonly IncludeSymbol[]): string[] {
  const seen = new Map<string, IncludeSymbol>();
  const conflicts: string[] = [];
  for (const s of symbols) {
    const key = s.name.toLowerCase();
    const first = seen.get(key);
    if (!first) seen.set(key, s);
    else if (first.value !== s.value) {
      conflicts.push(`${s.name}: ${first.origin} ${first.value} vs ${s.origin} ${s.value}`);
    }
  }
  return conflicts;
}

let cached: readonly IncludeSymbol[] | undefined;

export function vmmIncSymbols(): readonly IncludeSymbol[] {
  if (cached) return cached;
  const all = collectIncludeSymbols();
  const conflicts = findSymbolConflicts(all);
  if (conflicts.length > 0) throw new Error(`vmm.inc tables disagree: ${conflicts.join("; ")}`);
  const unique = new Map<string, IncludeSymbol>();
  for (const s of all) if (!unique.has(s.name.toLowerCase())) unique.set(s.name.toLowerCase(), s);
  cached = Object.freeze([...unique.values()]);
  return cached;
}

export function vmmIncStrucs(): readonly StrucDef[] {
  return ALL_STRUCS;
}
