// Scheduled events: real handles (addresses of event blocks in VMM memory), a FIFO queue, and the
// record of what became of every handle so that a wrong cancel can be named.
import type { VmmHeap } from "./heap.js";

export type EventKind = "global" | "vm";

/** Which service family created the event; each has its own Cancel service. */
export const CANCEL_SERVICE: Record<EventKind, string> = {
  global: "Cancel_Global_Event",
  vm: "Cancel_VM_Event",
};

export interface ScheduledEvent {
  readonly handle: number;
  readonly kind: EventKind;
  /** Target VM handle for VM events, 0 for global ones. */
  readonly vm: number;
  readonly callback: number;
  readonly refData: number;
  /** Service that created it (for messages). */
  readonly service: string;
  /** Device whose code scheduled it. */
  readonly owner: string;
  /** Instruction that scheduled it. */
  readonly site: number;
  state: "pending" | "ran" | "cancelled";
}

export class EventQueue {
  private readonly byHandle = new Map<number, ScheduledEvent>();
  private readonly queue: ScheduledEvent[] = [];

  constructor(private readonly heap: VmmHeap) {}

  schedule(e: Omit<ScheduledEvent, "handle" | "state">): ScheduledEvent {
    const handle = this.heap.allocate(16, 16);
    const ev: ScheduledEvent = { ...e, handle, state: "pending" };
    this.byHandle.set(handle, ev);
    this.queue.push(ev);
    return ev;
  }

  find(handle: number): ScheduledEvent | undefined {
    return this.byHandle.get(handle >>> 0);
  }

  /** The next pending event, removed from the queue. */
  next(): ScheduledEvent | undefined {
    while (this.queue.length > 0) {
      const e = this.queue.shift()!;
      if (e.state === "pending") return e;
    }
    return undefined;
  }

  pending(): ScheduledEvent[] {
    return this.queue.filter((e) => e.state === "pending");
  }
}
