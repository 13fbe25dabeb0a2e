// The VMM's own allocations (VM control blocks, client register structures, event blocks) live
// in a region of simulated memory the program's data does not use.
import { Layout } from "../../ir/types.js";

export class VmmHeap {
  private next: number = Layout.VMM_BASE;
  private readonly limit: number = Layout.DATA_BASE;

  allocate(bytes: number, align = 4): number {
    const at = Math.ceil(this.next / align) * align;
    if (at + bytes > this.limit) throw new RangeError("the VMM's memory region is full");
    this.next = at + bytes;
    return at;
  }
}
