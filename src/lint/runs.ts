// How one activation's blocks are visited: a fixpoint for code with loops, one forward pass for
// code without, and a pass that only records facts. Classes, not closures: one is made per activation.
import type { Ctx } from "./observations.js";
import { State } from "./values.js";

/** Where a walk hands its successors and returns (classes, not closures: one is made per activation). */
export abstract class Run {
  exit: State | null = null;
  constructor(
    readonly procIndex: number,
    readonly ctx: Ctx,
    readonly rootFrame: boolean,
  ) {}
  abstract edge(target: number, s: State): void;
  leave(s: State): void {
    this.exit = this.exit ? State.join(this.exit, s) : s;
  }
}

/** A fixpoint over blocks (code with loops): the lowest pending block first, so a loop's body is seen
 *  after all that comes before it and the fixpoint is reached in few rounds. */
export class FixpointRun extends Run {
  readonly inStates: Map<number, State>;
  /** Pending block starts, sorted, smallest last. */
  readonly work: number[];
  readonly queued: Set<number>;
  constructor(entry: number, state: State, procIndex: number, ctx: Ctx, rootFrame: boolean) {
    super(procIndex, ctx, rootFrame);
    this.inStates = new Map();
    this.inStates.set(entry, state);
    this.work = [entry];
    this.queued = new Set();
    this.queued.add(entry);
  }
  private enqueue(target: number): void {
    if (this.queued.has(target)) return;
    this.queued.add(target);
    let k = this.work.length;
    while (k > 0 && this.work[k - 1]! < target) k--;
    this.work.splice(k, 0, target);
  }
  edge(target: number, s: State): void {
    const old = this.inStates.get(target);
    if (!old) {
      this.inStates.set(target, s);
      this.enqueue(target);
      return;
    }
    const joined = State.join(old, s);
    if (!joined.equals(old)) {
      this.inStates.set(target, joined);
      this.enqueue(target);
    }
  }
}

/** Blocks in instruction order, each once (code whose jumps all go forwards). */
export class ForwardRun extends Run {
  readonly inStates: Map<number, State>;
  /** Sorted, smallest last. */
  readonly pending: number[];
  constructor(entry: number, state: State, procIndex: number, ctx: Ctx, rootFrame: boolean) {
    super(procIndex, ctx, rootFrame);
    this.inStates = new Map();
    this.inStates.set(entry, state);
    this.pending = [entry];
  }
  edge(target: number, s: State): void {
    const old = this.inStates.get(target);
    if (old) this.inStates.set(target, State.join(old, s));
    else {
      this.inStates.set(target, s);
      let k = this.pending.length;
      while (k > 0 && this.pending[k - 1]! < target) k--;
      this.pending.splice(k, 0, target);
    }
  }
}

/** The second pass over a fixpoint's final states: only facts are recorded. */
export class ObserveRun extends Run {
  edge(): void {}
  override leave(): void {}
}
