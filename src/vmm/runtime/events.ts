// Scheduled events: real handles (addresses of event blocks in VMM memory), the pending set, and
// the record of what became of every handle so that a wrong cancel can be named.
import type { Timer } from "./clock.js";
import type { VmmHeap } from "./heap.js";

/** "shell-message": a SHELL_Message box, which the shell shows at event time and no service cancels. */
export type EventKind = "global" | "vm" | "priority" | "restricted" | "shell-message";

/** Which service family created the event; each has its own Cancel service (null: none). */
export const CANCEL_SERVICE: Record<EventKind, string | null> = {
  global: "Cancel_Global_Event",
  vm: "Cancel_VM_Event",
  priority: "Cancel_Priority_VM_Event",
  restricted: "Cancel_Restricted_Event",
  "shell-message": null,
};

export interface ScheduledEvent {
  readonly handle: number;
  readonly kind: EventKind;
  /** Target VM handle, 0 for a global event. */
  readonly vm: number;
  /** 0 for none (an event the VMM does its own work in, see `onDue`). */
  readonly callback: number;
  readonly refData: number;
  /** EAX the callback gets (SHELL_Message: the ID* answer); unset leaves EAX as it is. */
  readonly eax?: number;
  /** The VMM's own work when the event runs, before the callback (SHELL_Message shows its box). */
  readonly onDue?: () => void;
  /** Service that created it (for messages). */
  readonly service: string;
  /** Device whose code scheduled it. */
  readonly owner: string;
  /** Instruction that scheduled it. */
  readonly site: number;
  /** Priority boost (EAX of the priority services), applied while the event waits. */
  readonly boost: number;
  /** PEF_* flags (ECX of the priority services), 0 for the plain services. */
  readonly flags: number;
  /** Scheduling order: ties go to the earlier event. */
  readonly seq: number;
  /** The PEF_Time_Out timer, if any. */
  timer: Timer | null;
  state: "pending" | "ran" | "cancelled" | "timed-out";
}

export class EventQueue {
  private readonly byHandle = new Map<number, ScheduledEvent>();
  private readonly waiting: ScheduledEvent[] = [];
  private seq = 0;

  constructor(private readonly heap: VmmHeap) {}

  schedule(e: Omit<ScheduledEvent, "handle" | "state" | "seq" | "timer">): ScheduledEvent {
    const handle = this.heap.allocate(16, 16);
    const ev: ScheduledEvent = { ...e, handle, seq: this.seq++, timer: null, state: "pending" };
    this.byHandle.set(handle, ev);
    this.waiting.push(ev);
    return ev;
  }

  find(handle: number): ScheduledEvent | undefined {
    return this.byHandle.get(handle >>> 0);
  }

  /** Pending events in scheduling order (the caller picks which may run). */
  pending(): ScheduledEvent[] {
    for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]!.state !== "pending") this.waiting.splice(i, 1);
    return [...this.waiting];
  }
}
