import { Layout } from "../ir/types.js";
import { MachineFault, hex32 } from "./fault.js";

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Flat little-endian memory from address 0. Addresses are unsigned 32-bit numbers; an access
 * touching the null page or anything at or above `size` faults. Unaligned accesses work.
 */
export class Memory {
  readonly size: number;
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  // Aligned fast paths; null on a big-endian host, where every access goes through the DataView.
  private readonly i32: Int32Array | null;
  private readonly u16: Uint16Array | null;
  private readonly last32: number;
  private readonly last16: number;

  constructor(size: number = Layout.MEMORY_SIZE) {
    if (!Number.isInteger(size) || size < Layout.NULL_GUARD + 4 || size > 0x1_0000_0000) {
      throw new RangeError(`bad memory size ${size}`);
    }
    this.size = size;
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.i32 = LITTLE_ENDIAN_HOST ? new Int32Array(this.bytes.buffer, 0, Math.floor(size / 4)) : null;
    this.u16 = LITTLE_ENDIAN_HOST ? new Uint16Array(this.bytes.buffer, 0, Math.floor(size / 2)) : null;
    this.last32 = size - 4;
    this.last16 = size - 2;
  }

  read8(addr: number): number {
    if (addr < Layout.NULL_GUARD || addr >= this.size) this.fault(addr, 1, "read");
    return this.bytes[addr]!;
  }

  /** Unsigned 16-bit value. */
  read16(addr: number): number {
    if (addr < Layout.NULL_GUARD || addr > this.last16) this.fault(addr, 2, "read");
    if ((addr & 1) === 0 && this.u16 !== null) return this.u16[addr >>> 1]!;
    return this.view.getUint16(addr, true);
  }

  /** Signed 32-bit value. */
  read32(addr: number): number {
    if (addr < Layout.NULL_GUARD || addr > this.last32) this.fault(addr, 4, "read");
    if ((addr & 3) === 0 && this.i32 !== null) return this.i32[addr >>> 2]!;
    return this.view.getInt32(addr, true);
  }

  write8(addr: number, value: number): void {
    if (addr < Layout.NULL_GUARD || addr >= this.size) this.fault(addr, 1, "write");
    this.bytes[addr] = value;
  }

  write16(addr: number, value: number): void {
    if (addr < Layout.NULL_GUARD || addr > this.last16) this.fault(addr, 2, "write");
    if ((addr & 1) === 0 && this.u16 !== null) this.u16[addr >>> 1] = value;
    else this.view.setUint16(addr, value & 0xffff, true);
  }

  write32(addr: number, value: number): void {
    if (addr < Layout.NULL_GUARD || addr > this.last32) this.fault(addr, 4, "write");
    if ((addr & 3) === 0 && this.i32 !== null) this.i32[addr >>> 2] = value;
    else this.view.setInt32(addr, value | 0, true);
  }

  /** Unsigned value of `size` bytes (1, 2 or 4). */
  read(addr: number, size: 1 | 2 | 4): number {
    return size === 4 ? this.read32(addr) >>> 0 : size === 2 ? this.read16(addr) : this.read8(addr);
  }

  write(addr: number, size: 1 | 2 | 4, value: number): void {
    if (size === 4) this.write32(addr, value);
    else if (size === 2) this.write16(addr, value);
    else this.write8(addr, value);
  }

  /** A copy of `n` bytes. */
  readBytes(addr: number, n: number): Uint8Array {
    this.check(addr, n, "read");
    return this.bytes.slice(addr, addr + n);
  }

  writeBytes(addr: number, bytes: ArrayLike<number>): void {
    this.check(addr, bytes.length, "write");
    this.bytes.set(bytes, addr);
  }

  /** The zero-terminated string at `addr` (Latin-1), at most `max` characters. */
  readCString(addr: number, max = 4096): string {
    let s = "";
    for (let i = 0; i < max; i++) {
      const c = this.read8((addr + i) >>> 0);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }

  /** Fill `n` bytes with `value`. */
  fill(addr: number, n: number, value = 0): void {
    this.check(addr, n, "write");
    this.bytes.fill(value, addr, addr + n);
  }

  /** Throws the fault an access of `n` bytes at `addr` would raise, if any. */
  check(addr: number, n: number, what: "read" | "write" = "read"): void {
    if (n === 0) return;
    if (addr < Layout.NULL_GUARD || addr + n > this.size) this.fault(addr, n, what);
  }

  private fault(addr: number, n: number, what: string): never {
    addr >>>= 0;
    if (addr + n > this.size || !Number.isInteger(addr)) {
      throw new MachineFault("memory", `${what} of ${n} byte(s) at ${hex32(addr)} is outside memory (size ${hex32(this.size)})`, addr);
    }
    throw new MachineFault("null-pointer", `${what} of ${n} byte(s) at ${hex32(addr)} touches the null page (below ${hex32(Layout.NULL_GUARD)})`, addr);
  }
}
