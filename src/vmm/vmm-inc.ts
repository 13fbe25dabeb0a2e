// The symbols that `include vmm.inc` defines, computed from the fact tables (never written here twice),
// and the same view of the device headers vpicd.inc, vtd.inc, shell.inc and dosmgr.inc (includeSymbols).
// Struc field names are not symbols here: the assembler registers them from vmmIncStrucs()/includeStrucs().

import type { StrucDef } from "./tables/structures.js";
import { DEVICE_SERVICES } from "./tables/device-services.js";
import type { DeviceInclude, ServiceDevice } from "./tables/index.js";
import {
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
  VMM_INC_STRUCS,
  VMM_SERVICES,
  VPICD_IRQ_DESCRIPTOR,
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

    ...CONSTANTS.filter((c) => c.include === undefined).map((c) => sym(c.name, c.value, "constant")),
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
  return VMM_INC_STRUCS;
}

// ---- Device headers. Each defines its service names (and @@names) and its equates; vmm.inc must be
// included first in real sources, so these views hold only what the header itself adds.

interface DeviceIncludeView {
  readonly device: Exclude<ServiceDevice, "VMM">;
  readonly strucs: readonly StrucDef[];
}

const DEVICE_INCLUDES: Readonly<Record<DeviceInclude, DeviceIncludeView>> = {
  "vpicd.inc": { device: "VPICD", strucs: [VPICD_IRQ_DESCRIPTOR] },
  "vtd.inc": { device: "VTD", strucs: [] },
  "shell.inc": { device: "SHELL", strucs: [] },
  "dosmgr.inc": { device: "DOSMGR", strucs: [] },
};

/** The device headers includeSymbols() knows, lower case. */
export const DEVICE_INCLUDE_FILES: readonly DeviceInclude[] = Object.keys(DEVICE_INCLUDES) as DeviceInclude[];

/** "C:\DDK\INC32\VPICD.INC" → "vpicd.inc" when it is one of ours, else undefined. */
export function deviceIncludeName(fileName: string): DeviceInclude | undefined {
  const base = fileName.replace(/^.*[\\/]/, "").toLowerCase();
  return (DEVICE_INCLUDE_FILES as readonly string[]).includes(base) ? (base as DeviceInclude) : undefined;
}

const includeCache = new Map<DeviceInclude, readonly IncludeSymbol[]>();

/** Every definition one device header makes, duplicates included (for checks). */
export function collectDeviceIncludeSymbols(include: DeviceInclude): IncludeSymbol[] {
  const { device } = DEVICE_INCLUDES[include];
  return [
    ...DEVICE_SERVICES.filter((s) => s.device === device).flatMap((s) => [
      sym(s.name, s.id, "service"),
      sym(`@@${s.name}`, s.id, "service"),
    ]),
    ...CONSTANTS.filter((c) => c.include === include).map((c) => sym(c.name, c.value, "constant")),
  ];
}

/**
 * The symbols `include <fileName>` defines for vpicd.inc, vtd.inc, shell.inc and dosmgr.inc (any path,
 * any case), or undefined for other files, vmm.inc included (that one is vmmIncSymbols()).
 */
export function includeSymbols(fileName: string): readonly IncludeSymbol[] | undefined {
  const include = deviceIncludeName(fileName);
  if (!include) return undefined;
  let list = includeCache.get(include);
  if (!list) {
    const all = collectDeviceIncludeSymbols(include);
    const conflicts = findSymbolConflicts(all);
    if (conflicts.length > 0) throw new Error(`${include} tables disagree: ${conflicts.join("; ")}`);
    list = Object.freeze(all);
    includeCache.set(include, list);
  }
  return list;
}

/** The structures `include <fileName>` defines (VPICD_IRQ_Descriptor for vpicd.inc), or undefined as above. */
export function includeStrucs(fileName: string): readonly StrucDef[] | undefined {
  const include = deviceIncludeName(fileName);
  return include ? DEVICE_INCLUDES[include].strucs : undefined;
}
