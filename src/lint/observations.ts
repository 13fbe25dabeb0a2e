// What the analysis (analysis.ts) records for the rules: the roots it ran from (contexts) and the
// facts it saw on the way.
import type { ServiceInfo } from "../vmm/tables/services.js";
import type { CallbackService } from "./facts.js";
import type { CallEdge, LintDevice } from "./program.js";
import type { AbsVal } from "./values.js";

export type CtxKind = "message" | "event" | "priority-event" | "time-out" | "async-time-out" | "other-callback" | "hw-int" | "async-service" | "procedure";

/** One root the analysis ran from, and what the code is doing there. */
export interface Ctx {
  readonly id: number;
  readonly kind: CtxKind;
  /** Instruction the root starts at. */
  readonly root: number;
  readonly device: LintDevice | null;
  /** The System_Control message being handled (kind "message"). */
  readonly message: number | null;
  /** The code runs at hardware-interrupt time (only asynchronous services). */
  readonly interruptTime: boolean;
  /** CF on entry says whether a PEF_Time_Out time-out expired. */
  readonly timed: boolean;
  /** The instruction that scheduled this callback (or -1). */
  readonly origin: number;
  /** The scheduling service, or the structure field that installed the procedure. */
  readonly via: string;
}

export interface ServiceCallFact {
  readonly index: number;
  readonly name: string;
  readonly service: ServiceInfo | null;
  readonly jump: boolean;
  readonly ctx: Ctx;
  /** Registers just before the call. */
  readonly regs: readonly AbsVal[];
  readonly written: number;
  readonly ecxDef: number;
}

/** A return that leaves the root itself (not a procedure it called): what the handler or callback hands back. */
export interface ReturnFact {
  readonly index: number;
  readonly ctx: Ctx;
  readonly regs: readonly AbsVal[];
  readonly segs: readonly AbsVal[];
  readonly cf: number;
  readonly df: number;
}

export interface CarryLossFact {
  /** A send's instruction index, or −(ctx.id + 2) for a time-out callback's entry carry. */
  readonly id: number;
  readonly at: number;
  readonly ctx: Ctx;
}

export interface NotableFact {
  readonly index: number;
  readonly ctx: Ctx;
  readonly regs: readonly AbsVal[];
}

/** A dword store of an event or time-out handle, or of 0, to a fixed address: how a handle variable is
 *  set and cleared (the rules follow no other stores). */
export interface StoreFact {
  readonly index: number;
  readonly addr: number;
  readonly value: AbsVal;
  readonly ctx: Ctx;
}

export interface CallbackFact {
  readonly site: number;
  readonly service: CallbackService;
  readonly entry: number;
  readonly ctx: Ctx;
  readonly eax: AbsVal;
  readonly ecx: AbsVal;
}

export interface SegWriteFact {
  readonly index: number;
  readonly seg: string;
  readonly value: AbsVal;
  readonly ctx: Ctx;
}

export interface AnalysisFacts {
  readonly ctxs: Ctx[];
  readonly serviceCalls: ServiceCallFact[];
  readonly returns: ReturnFact[];
  readonly carryLosses: CarryLossFact[];
  readonly notable: NotableFact[];
  readonly stores: StoreFact[];
  readonly callbacks: CallbackFact[];
  readonly segWrites: SegWriteFact[];
  readonly unresolvedJumps: { readonly index: number; readonly ctx: Ctx }[];
  readonly callbackEdges: CallEdge[];
  /** Calls and jumps into procedures, per context, as the analysis followed them. */
  readonly calls: { readonly site: number; readonly target: number; readonly ctx: Ctx; readonly tail: boolean }[];
  /** Instruction indices the analysis reached at all. */
  readonly reached: Uint8Array;
  /** Instructions interpreted from the source because the IR could not express them (segment registers). */
  readonly interpreted: Set<number>;
}

/**
 * Facts with empty lists of their own, sharing the lists in `shared` (a fixpoint's log shares those
 * it never holds apart). Every facts object is made here, so that all have one shape.
 */
export function newFacts(shared: Pick<AnalysisFacts, "ctxs" | "callbacks" | "callbackEdges" | "calls" | "reached" | "interpreted">): AnalysisFacts {
  return {
    ctxs: shared.ctxs,
    serviceCalls: factList(),
    returns: factList(),
    carryLosses: factList(),
    notable: factList(),
    stores: factList(),
    callbacks: shared.callbacks,
    segWrites: factList(),
    unresolvedJumps: factList(),
    callbackEdges: shared.callbackEdges,
    calls: shared.calls,
    reached: shared.reached,
    interpreted: shared.interpreted,
  };
}

/**
 * An empty list of facts, made as a list of objects: `[]` is a list of small integers until its first
 * push. Lists made at different times (a fixpoint's log, long after the real facts) then all have
 * one kind, and code the JIT compiled for the pushes is not thrown away when the other kind turns up.
 */
export function factList<T>(): T[] {
  const list = [undefined as T];
  list.pop();
  return list;
}
