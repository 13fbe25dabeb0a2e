// How one activation's blocks are visited: a fixpoint for code with loops, one forward pass for
// code without, and a pass that only records facts (or a log of a fixpoint's facts, replayed).
// Classes, not closures: one is made per activation.
import { factList, newFacts, type AnalysisFacts, type CallbackFact, type Ctx } from "./observations.js";
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
  /** Pending block starts, sorted, smallest last (few at a time: no set beside it). */
  readonly work: number[];
  constructor(entry: number, state: State, procIndex: number, ctx: Ctx, rootFrame: boolean) {
    super(procIndex, ctx, rootFrame);
    this.inStates = new Map();
    this.inStates.set(entry, state);
    this.work = [entry];
  }
  private enqueue(target: number): void {
    const work = this.work;
    let k = work.length;
    while (k > 0 && work[k - 1]! < target) k--;
    if (k > 0 && work[k - 1] === target) return;
    insertAt(work, k, target);
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
  /** Block starts waiting for their walk, sorted, smallest last (few at a time: arrays, not maps). */
  private readonly starts: number[];
  /** The state each of them is entered with, in the same order. */
  private readonly states: State[];
  constructor(entry: number, state: State, procIndex: number, ctx: Ctx, rootFrame: boolean) {
    super(procIndex, ctx, rootFrame);
    this.starts = [entry];
    this.states = [state];
  }
  get done(): boolean {
    return this.starts.length === 0;
  }
  /** The lowest pending block's start (takeNext takes it out). */
  nextStart(): number {
    return this.starts[this.starts.length - 1]!;
  }
  /** Takes the lowest pending block out, returning the state it is entered with. */
  takeNext(): State {
    this.starts.pop();
    return this.states.pop()!;
  }
  edge(target: number, s: State): void {
    const starts = this.starts;
    const states = this.states;
    let k = starts.length;
    while (k > 0 && starts[k - 1]! < target) k--;
    if (k > 0 && starts[k - 1] === target) {
      states[k - 1] = State.join(states[k - 1]!, s);
      return;
    }
    // Both lists move up by one from k (not insertAt: one function for numbers and states would take both kinds of array).
    starts.push(target);
    states.push(s);
    for (let j = starts.length - 1; j > k; j--) {
      starts[j] = starts[j - 1]!;
      states[j] = states[j - 1]!;
    }
    starts[k] = target;
    states[k] = s;
  }
}

/** `list.splice(k, 0, v)` without the array splice makes of what it removes. */
function insertAt(list: number[], k: number, v: number): void {
  list.push(v);
  for (let j = list.length - 1; j > k; j--) list[j] = list[j - 1]!;
  list[k] = v;
}

/** The second pass over a fixpoint's final states: only facts are recorded. */
export class ObserveRun extends Run {
  edge(): void {}
  override leave(): void {}
}


/**
 * The facts of a fixpoint's walks over a procedure that never leaves itself, kept per block: each
 * block's last walk is the one with its final state, so the facts of the last walks, block by block
 * in instruction order, are exactly what an observing pass over the final states records.
 */
export class FactLog {
  /** Where the walks record: the facts that a walk inside one procedure may add are its own arrays. */
  readonly facts: AnalysisFacts;
  readonly callbacks: CallbackFact[] = factList();
  private readonly logged: unknown[][];
  /** Per block start: where its latest walk's extent is in `bounds`. */
  private readonly extents = new Map<number, number>();
  /** Extents of walks: for each, the length of every logged array before the walk, then after it (`used` of them in use). */
  private bounds = new Int32Array(1024);
  private used = 0;

  constructor(real: AnalysisFacts) {
    this.facts = newFacts(real);
    const f = this.facts;
    this.logged = [...walkLists(f), this.callbacks];
  }

  /** Before a walk of a block: where its extent will be. */
  begin(): number {
    const at = this.used;
    this.pushLengths();
    return at;
  }

  /** After the walk of `block` that began at `extent`: it replaces the block's earlier walks. */
  end(block: number, extent: number): void {
    this.pushLengths();
    this.extents.set(block, extent);
  }

  private pushLengths(): void {
    const logged = this.logged;
    if (this.used + logged.length > this.bounds.length) {
      const grown = new Int32Array(this.bounds.length * 2);
      grown.set(this.bounds);
      this.bounds = grown;
    }
    for (let k = 0; k < logged.length; k++) this.bounds[this.used++] = logged[k]!.length;
  }

  /** Adds the latest walks' facts to `real`, block by block, scheduling the callbacks; then empties the log. */
  replay(real: AnalysisFacts, schedule: (cb: CallbackFact) => void): void {
    const targets = walkLists(real);
    const n = this.logged.length;
    const blocks = Int32Array.from(this.extents.keys()).sort();
    const b = this.bounds;
    for (let x = 0; x < blocks.length; x++) {
      const at = this.extents.get(blocks[x]!)!;
      for (let k = 0; k < targets.length; k++) {
        const from = this.logged[k]!;
        const to = targets[k]!;
        for (let j = b[at + k]!; j < b[at + n + k]!; j++) to.push(from[j]);
      }
      for (let j = b[at + n - 1]!; j < b[at + 2 * n - 1]!; j++) schedule(this.callbacks[j]!);
    }
    this.clear();
  }

  clear(): void {
    for (let k = 0; k < this.logged.length; k++) this.logged[k]!.length = 0;
    this.extents.clear();
    this.used = 0;
  }
}

/** The lists of facts that a walk inside one procedure may add to, always in this order. */
function walkLists(f: AnalysisFacts): unknown[][] {
  return [f.serviceCalls, f.returns, f.carryLosses, f.notable, f.stores, f.segWrites, f.unresolvedJumps];
}
