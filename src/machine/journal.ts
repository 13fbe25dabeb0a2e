// Memory that keeps a journal of what it overwrote, for the REPL's undo: each open journal
// remembers the first old value of every byte written while it is open (the changes, never a
// snapshot of memory). The plain Memory stays as it is, so runs that do not undo pay nothing.
import { Layout } from "../ir/types.js";
import { Memory } from "./memory.js";

/** The bytes written while the journal was open, with the value each had before the first write. */
export class WriteJournal {
  /** Byte address → value before the first write. */
  readonly old = new Map<number, number>();

  get size(): number {
    return this.old.size;
  }

  /** Written bytes as runs of consecutive addresses, lowest first. */
  ranges(): { address: number; length: number }[] {
    const addrs = [...this.old.keys()].sort((a, b) => a - b);
    const out: { address: number; length: number }[] = [];
    for (const a of addrs) {
      const last = out[out.length - 1];
      if (last && last.address + last.length === a) last.length++;
      else out.push({ address: a, length: 1 });
    }
    return out;
  }

  /** The value `address` had when the journal opened (its current value if it was not written). */
  before(address: number, memory: Memory): number {
    return this.old.get(address) ?? memory.bytes[address]!;
  }
}

export class JournaledMemory extends Memory {
  private open: WriteJournal[] = [];

  /** Starts a journal: every later write is recorded in it until `close`. */
  begin(): WriteJournal {
    const j = new WriteJournal();
    this.open.push(j);
    return j;
  }

  close(j: WriteJournal): void {
    this.open = this.open.filter((x) => x !== j);
  }

  /** Puts back every byte the journal recorded, without recording anything. */
  restore(j: WriteJournal): void {
    for (const [addr, value] of j.old) this.bytes[addr] = value;
    // Journals still open saw those writes as well; what they hold as "before" stays right.
  }

  private record(addr: number, n: number): void {
    if (this.open.length === 0) return;
    addr >>>= 0;
    if (addr < Layout.NULL_GUARD || addr + n > this.size) return; // the write itself will fault
    const bytes = this.bytes;
    for (const j of this.open) {
      const old = j.old;
      for (let i = 0; i < n; i++) if (!old.has(addr + i)) old.set(addr + i, bytes[addr + i]!);
    }
  }

  override write8(addr: number, value: number): void {
    this.record(addr, 1);
    super.write8(addr, value);
  }

  override write16(addr: number, value: number): void {
    this.record(addr, 2);
    super.write16(addr, value);
  }

  override write32(addr: number, value: number): void {
    this.record(addr, 4);
    super.write32(addr, value);
  }

  override writeBytes(addr: number, bytes: ArrayLike<number>): void {
    this.record(addr, bytes.length);
    super.writeBytes(addr, bytes);
  }

  override fill(addr: number, n: number, value = 0): void {
    this.record(addr, n);
    super.fill(addr, n, value);
  }
}
