// `include vmm.inc`: the symbol view of the VMM tables, entered into a file's symbol table.
import { vmmIncStrucs, vmmIncSymbols } from "../vmm/vmm-inc.js";
import type { StrucInfo, SymbolTable } from "./symbols.js";

let strucInfos: StrucInfo[] | undefined;

function builtinStrucs(): StrucInfo[] {
  strucInfos ??= vmmIncStrucs().map((s) => ({
    name: s.name,
    size: s.size,
    fields: s.fields.map((f) => ({ name: f.name, offset: f.offset, size: f.size, init: null })),
  }));
  return strucInfos;
}

export function defineVmmInc(symbols: SymbolTable): void {
  for (const s of vmmIncSymbols()) {
    if (!symbols.has(s.name)) symbols.set({ kind: "equate", name: s.name, value: s.value >>> 0, redefinable: false, span: null });
  }
  for (const info of builtinStrucs()) {
    symbols.set({ kind: "struc", name: info.name, info, span: null });
    for (const f of info.fields) {
      // With OLDSTRUCTS (which vmm.inc selects) field names are global; the first struc wins.
      if (!symbols.has(f.name)) symbols.set({ kind: "field", name: f.name, offset: f.offset, size: f.size, struc: info.name, span: null });
    }
  }
}
