// `include vmm.inc`: the symbol view of the VMM tables, entered into a file's symbol table.
import { includeStrucs, includeSymbols, vmmIncStrucs, vmmIncSymbols, type IncludeSymbol } from "../vmm/vmm-inc.js";
import type { StrucDef } from "../vmm/tables/structures.js";
import type { StrucInfo, SymbolTable } from "./symbols.js";

let strucInfos: StrucInfo[] | undefined;

/** A table's structure as the assembler's STRUC, with its fields' default values as bytes. */
function toStrucInfo(s: StrucDef): StrucInfo {
  return {
    name: s.name,
    size: s.size,
    fields: s.fields.map((f) => ({ name: f.name, offset: f.offset, size: f.size, init: f.init === undefined ? null : littleEndian(f.init, f.size) })),
  };
}

function littleEndian(value: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < Math.min(size, 4); i++) out[i] = (value >>> (8 * i)) & 0xff;
  return out;
}

function builtinStrucs(): StrucInfo[] {
  strucInfos ??= vmmIncStrucs().map(toStrucInfo);
  return strucInfos;
}

export function defineVmmInc(symbols: SymbolTable): void {
  defineSymbols(symbols, vmmIncSymbols(), builtinStrucs());
}

/** `include vpicd.inc` and the other device headers; false for a name that is not one of them. */
export function defineDeviceInc(symbols: SymbolTable, fileName: string): boolean {
  const list = includeSymbols(fileName);
  if (!list) return false;
  defineSymbols(symbols, list, (includeStrucs(fileName) ?? []).map(toStrucInfo));
  return true;
}

function defineSymbols(symbols: SymbolTable, list: readonly IncludeSymbol[], strucs: readonly StrucInfo[]): void {
  for (const s of list) {
    if (!symbols.has(s.name)) symbols.set({ kind: "equate", name: s.name, value: s.value >>> 0, redefinable: false, span: null });
  }
  for (const info of strucs) {
    symbols.set({ kind: "struc", name: info.name, info, span: null });
    for (const f of info.fields) {
      // With OLDSTRUCTS (which vmm.inc selects) field names are global; the first struc wins.
      if (!symbols.has(f.name)) symbols.set({ kind: "field", name: f.name, offset: f.offset, size: f.size, struc: info.name, span: null });
    }
  }
}
