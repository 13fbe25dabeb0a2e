export type FaultKind =
  | "memory"
  | "null-pointer"
  | "divide"
  | "stack-overflow"
  | "stack-underflow"
  | "bad-jump"
  | "step-limit"
  | "trap"
  | "host";

/** A guest-visible failure: the machine stops and reports where. */
export class MachineFault extends Error {
  /** The faulting instruction's index, filled in by the executor (-1 if none). */
  instrIndex = -1;
  /** Instruction indices of the active call sites, innermost first, filled in by the executor. */
  backtrace: readonly number[] = [];
  /** True once an executor has filled in instrIndex and backtrace; outer activations leave them alone. */
  located = false;

  constructor(
    readonly kind: FaultKind,
    message: string,
    readonly address: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "MachineFault";
  }
}

export function hex32(v: number): string {
  return (v >>> 0).toString(16).toUpperCase().padStart(8, "0") + "h";
}
