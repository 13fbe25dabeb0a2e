// --trace-out: the VMM timeline as Chrome trace-event JSON, which Perfetto and chrome://tracing
// open. One lane (thread) per VM and one per device; each timeline entry is an instant event at its
// simulated time. Entries within one millisecond keep their order through sub-millisecond offsets.
import type { TimelineEntry } from "../vmm/runtime/vmm.js";

export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: "i" | "M";
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly s?: "t";
  readonly args?: Record<string, unknown>;
}

export interface TraceDocument {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: "ms";
  readonly otherData: { readonly tool: string };
}

const PID = 1;

export function toTraceEvents(timeline: readonly TimelineEntry[]): TraceDocument {
  const lanes = new Map<string, number>();
  const lane = (name: string): number => {
    let id = lanes.get(name);
    if (id === undefined) lanes.set(name, (id = lanes.size + 1));
    return id;
  };
  lane("VMM");
  const events: TraceEvent[] = [];
  let lastMs = -1;
  let within = 0;
  for (const e of timeline) {
    within = e.time === lastMs ? within + 1 : 0;
    lastMs = e.time;
    const ts = e.time * 1000 + Math.min(within, 999);
    const name = e.device ? e.device : e.vm !== null ? `VM ${e.vm}` : "VMM";
    events.push({ name: e.text, cat: e.kind, ph: "i", s: "t", ts, pid: PID, tid: lane(name), args: { step: e.step, timeMs: e.time, ...(e.vm !== null ? { vm: e.vm } : {}) } });
  }
  const meta: TraceEvent[] = [
    { name: "process_name", cat: "__metadata", ph: "M", ts: 0, pid: PID, tid: 0, args: { name: "vmmasm" } },
    ...[...lanes].map(([name, tid]): TraceEvent => ({ name: "thread_name", cat: "__metadata", ph: "M", ts: 0, pid: PID, tid, args: { name } })),
  ];
  return { traceEvents: [...meta, ...events], displayTimeUnit: "ms", otherData: { tool: "vmmasm" } };
}
