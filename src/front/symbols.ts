// Symbols of one source file (MASM symbols are case-insensitive: keys are upper case).
import type { SourceSpan } from "../ir/types.js";
import type { MacroDef } from "./macros.js";

export interface StrucField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** Bytes of the field's default value (from its definition), length = size. */
  readonly init: Uint8Array | null;
}

export interface StrucInfo {
  readonly name: string;
  readonly size: number;
  readonly fields: readonly StrucField[];
}

export type Sym =
  | { readonly kind: "equate"; readonly name: string; value: number; readonly redefinable: boolean; readonly span: SourceSpan | null }
  | { readonly kind: "text"; readonly name: string; readonly text: string; readonly span: SourceSpan | null }
  | { readonly kind: "code"; readonly name: string; readonly index: number; readonly span: SourceSpan | null }
  | {
      readonly kind: "data";
      readonly name: string;
      readonly address: number;
      /** Element size: 1, 2, 4 … or a STRUC's size. */
      readonly size: number;
      readonly count: number;
      readonly struc: StrucInfo | null;
      readonly span: SourceSpan | null;
    }
  | { readonly kind: "struc"; readonly name: string; readonly info: StrucInfo; readonly span: SourceSpan | null }
  | { readonly kind: "field"; readonly name: string; readonly offset: number; readonly size: number; readonly struc: string; readonly span: SourceSpan | null }
  | { readonly kind: "extern"; readonly name: string; readonly size: number; readonly span: SourceSpan | null }
  | { readonly kind: "macro"; readonly name: string; readonly def: MacroDef; readonly span: SourceSpan | null };

/** A name in upper case (the keys of the table). */
export function upper(name: string): string {
  return name.toUpperCase();
}

export class SymbolTable {
  private readonly map = new Map<string, Sym>();

  get(name: string): Sym | undefined {
    return this.map.get(upper(name));
  }

  /** `get` for a name already in upper case. */
  getUpper(key: string): Sym | undefined {
    return this.map.get(key);
  }

  has(name: string): boolean {
    return this.map.has(upper(name));
  }

  /** How many text equates the table holds (lines need substituting only when there are any). */
  textCount = 0;

  set(sym: Sym): void {
    const key = upper(sym.name);
    this.put(key, sym, this.map.get(key));
  }

  /** Defines `sym` unless its name holds a symbol other than an extern already: that one is returned then. */
  define(sym: Sym): Sym | undefined {
    const key = upper(sym.name);
    const existing = this.map.get(key);
    if (existing && existing.kind !== "extern") return existing;
    this.put(key, sym, existing);
    return undefined;
  }

  private put(key: string, sym: Sym, replaced: Sym | undefined): void {
    if (replaced?.kind === "text") this.textCount--;
    if (sym.kind === "text") this.textCount++;
    this.map.set(key, sym);
  }

  delete(name: string): void {
    const key = name.toUpperCase();
    if (this.map.get(key)?.kind === "text") this.textCount--;
    this.map.delete(key);
  }

  values(): IterableIterator<Sym> {
    return this.map.values();
  }

  /** Names for "did you mean" hints. */
  names(): string[] {
    return [...this.map.values()].map((s) => s.name);
  }
}
