// The data image: db/dw/dd/… definitions, DUP, strings, `?`, and STRUC instances. The first pass
// measures (DUP counts must be constants then); the second writes values, which may be addresses
// of labels defined anywhere.
import { diag } from "../diagnostics/diagnostic.js";
import type { SourceSpan } from "../ir/types.js";
import type { Expr } from "./ast.js";
import { fail, stringAsNumber, type Evaluator } from "./evaluate.js";
import { splitArguments } from "./macros.js";
import type { StrucInfo } from "./symbols.js";

export type ExpressionParser = (text: string) => Expr | null;

/** Parses the text of a STRUC initialiser's fields (the assembler does). */
export interface ExpressionSource {
  parseExpression(text: string, span: SourceSpan): Expr | null;
}

/** Where one data definition is being written, and how. */
interface DataWrite {
  pos: number;
  readonly elementSize: number;
  readonly struc: StrucInfo | null;
  readonly ev: Evaluator;
  readonly parser: ExpressionSource;
  readonly span: SourceSpan;
}

const MAX_DATA = 64 * 1024 * 1024;

export class DataLayout {
  private buf = new Uint8Array(4096);
  size = 0;

  constructor(readonly base: number) {}

  here(): number {
    return this.base + this.size;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }

  private grow(to: number): void {
    // No span here: the line being assembled gets it (see Assembler.assembleLine).
    if (to > MAX_DATA) fail(diag("bad-expression", null, `the data image would grow past its bound of ${MAX_DATA / 0x100000} MiB`));
    if (to <= this.buf.length) return;
    let n = this.buf.length;
    while (n < to) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf);
    this.buf = b;
  }

  reserve(bytes: number, align: number): number {
    this.align(align);
    const address = this.here();
    this.grow(this.size + bytes);
    this.size += bytes;
    return address;
  }

  align(n: number): void {
    if (n <= 1) return;
    const pad = (n - (this.size % n)) % n;
    this.grow(this.size + pad);
    this.size += pad;
  }

  measure(elementSize: number, operands: readonly (Expr | null)[], struc: StrucInfo | null, ev: Evaluator): { byteLength: number; count: number } {
    let bytes = 0;
    let count = 0;
    const walk = (items: readonly (Expr | null)[], times: number): void => {
      for (const e of items) {
        if (e && e.k === "dup") {
          const n = ev.constant(e.count);
          if (n < 0 || n > MAX_DATA) fail(diag("bad-expression", e.count.span, `DUP count ${n} is out of range`));
          walk(e.items, times * n);
          continue;
        }
        if (struc) {
          bytes += struc.size * times;
          count += times;
        } else if (e && e.k === "str" && elementSize === 1) {
          bytes += e.value.length * times;
          count += e.value.length * times;
        } else {
          bytes += elementSize * times;
          count += times;
        }
      }
    };
    walk(operands.length ? operands : [null], 1);
    if (bytes > MAX_DATA) fail(diag("bad-expression", operands[0]?.span ?? null, "this data definition is too large"));
    return { byteLength: bytes, count };
  }

  allocate(elementSize: number, operands: readonly (Expr | null)[], struc: StrucInfo | null, ev: Evaluator): { address: number; byteLength: number; count: number } {
    const m = this.measure(elementSize, operands, struc, ev);
    const address = this.reserve(m.byteLength, 1);
    return { address, ...m };
  }

  /** Writes a little-endian value of `size` bytes at `address` (for structures the tools build). */
  poke(address: number, size: number, value: number): void {
    writeLE(this.buf, address - this.base, size, value);
  }

  pokeBytes(address: number, bytes: ArrayLike<number>): void {
    this.buf.set(bytes, address - this.base);
  }

  /** Constant bytes for a STRUC field's default value. */
  encodeConstant(elementSize: number, operands: readonly (Expr | null)[], ev: Evaluator, total: number): Uint8Array {
    const out = new Uint8Array(total);
    let pos = 0;
    const put = (e: Expr | null): void => {
      if (e && e.k === "dup") {
        const n = ev.constant(e.count);
        for (let i = 0; i < n; i++) for (const x of e.items) put(x);
        return;
      }
      if (e === null || isUninitialised(e)) {
        pos += elementSize;
        return;
      }
      if (e.k === "str" && elementSize === 1) {
        for (const ch of e.value) out[pos++] = ch.charCodeAt(0) & 0xff;
        return;
      }
      writeLE(out, pos, elementSize, ev.constant(e));
      pos += elementSize;
    };
    for (const e of operands.length ? operands : [null]) put(e);
    return out;
  }

  /** Second pass: writes the values of one data definition at `address`. `span` is where the
   *  definition stands, for expressions parsed from a STRUC initialiser's text. */
  write(address: number, elementSize: number, operands: readonly (Expr | null)[], struc: StrucInfo | null, ev: Evaluator, parser: ExpressionSource, span: SourceSpan): void {
    const w: DataWrite = { pos: address - this.base, elementSize, struc, ev, parser, span };
    if (operands.length === 0) this.writeValue(w, null);
    for (let i = 0; i < operands.length; i++) this.writeValue(w, operands[i] ?? null);
  }

  private writeValue(w: DataWrite, e: Expr | null): void {
    if (e && e.k === "dup") {
      const n = w.ev.constant(e.count);
      // `n DUP (?)`, the usual buffer, writes nothing: skip it whole rather than element by element.
      if (!w.struc && e.items.every((x) => x === null || isUninitialised(x))) {
        w.pos += n * e.items.length * w.elementSize;
        return;
      }
      for (let i = 0; i < n; i++) for (const x of e.items) this.writeValue(w, x);
      return;
    }
    if (w.struc) {
      this.writeStruc(w.pos, w.struc, e, w.ev, (text) => w.parser.parseExpression(text, w.span));
      w.pos += w.struc.size;
      return;
    }
    const elementSize = w.elementSize;
    if (e === null || isUninitialised(e)) {
      w.pos += elementSize;
      return;
    }
    if (e.k === "str" && elementSize === 1) {
      for (const ch of e.value) this.buf[w.pos++] = ch.charCodeAt(0) & 0xff;
      return;
    }
    // A number, the commonest element, needs no evaluation.
    const n = e.k === "num" ? e.value : storedNumber(w.ev, e);
    checkFits(n, elementSize, e);
    writeLE(this.buf, w.pos, elementSize, n);
    w.pos += elementSize;
  }

  private writeStruc(pos: number, struc: StrucInfo, init: Expr | null, ev: Evaluator, parse: ExpressionParser): void {
    for (const f of struc.fields) if (f.init) this.buf.set(f.init.subarray(0, f.size), pos + f.offset);
    if (!init || init.k !== "text") {
      if (init && !isUninitialised(init)) fail(diag("bad-expression", init.span, "a STRUC variable is initialised with `<field values>`"));
      return;
    }
    const values = splitArguments(init.value);
    values.forEach((text, i) => {
      const f = struc.fields[i];
      if (!f || text.trim() === "") return;
      if (i >= struc.fields.length) fail(diag("bad-expression", init.span, `STRUC \`${struc.name}\` has only ${struc.fields.length} fields`));
      const e = parse(text);
      if (!e) fail(diag("bad-expression", init.span, `\`${text}\` is not a value for field \`${f.name}\``));
      if (e.k === "str" && f.size > 4) {
        for (let j = 0; j < Math.min(e.value.length, f.size); j++) this.buf[pos + f.offset + j] = e.value.charCodeAt(j) & 0xff;
        return;
      }
      const v = ev.value(e);
      writeLE(this.buf, pos + f.offset, Math.min(f.size, 8), v.str !== null ? stringAsNumber(v.str) : v.c);
    });
  }
}

/** The number a data element stores: a constant, an address or a short string's characters. */
function storedNumber(ev: Evaluator, e: Expr): number {
  const v = ev.value(e);
  if (v.base || v.index || v.reg) fail(diag("bad-expression", e.span, "a register cannot be stored as data"));
  return v.str !== null ? stringAsNumber(v.str) : v.c;
}

/** `?`: an element left uninitialised. */
function isUninitialised(e: Expr): boolean {
  return e.k === "name" && e.name === "?";
}

function writeLE(buf: Uint8Array, pos: number, size: number, value: number): void {
  if (size <= 4 && Number.isFinite(value)) {
    // The low 32 bits of the truncated value, as the 64-bit path below would give them.
    const low = value >>> 0;
    for (let i = 0; i < size; i++) buf[pos + i] = (low >>> (8 * i)) & 0xff;
    return;
  }
  let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  for (let i = 0; i < size; i++) {
    buf[pos + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function checkFits(n: number, size: number, e: Expr): void {
  if (size >= 4) return;
  const max = size === 1 ? 0xff : 0xffff;
  const min = size === 1 ? -0x80 : -0x8000;
  if (n > max || n < min) fail(diag("value-truncated", e.span, `${n} does not fit in ${size === 1 ? "a byte" : "a word"}`, { severity: "error" }));
}
