// The program as lint sees it: the front end's items beside the IR, procedures (top-level code
// runs count as procedures too), the devices and who each file is, the control-dispatch blocks,
// a control-flow graph per procedure and the call graph. The analysis (analysis.ts) adds what
// it learns by running the code abstractly: callbacks handed to the VMM, message contexts,
// service calls with their registers.
import type { AssembleResult } from "../front/index.js";
import type { DispatchRecord, FrontResult, InstrItem, Unit } from "../front/program.js";
import { Layout, Op, type Instr, type IrProgram, type SourceSpan } from "../ir/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { buildCfg, isControlTransfer, type Cfg } from "./cfg.js";
import type { AnalysisFacts, CtxKind, ReturnFact, ServiceCallFact } from "./analysis.js";
import { scanInstructions, type InstructionScan } from "./scan.js";
import { FactGroups } from "./fact-groups.js";

export interface LintProc {
  readonly index: number;
  readonly name: string;
  /** First instruction and one past the last. */
  readonly start: number;
  readonly end: number;
  /** BeginProc options, upper case. */
  readonly options: readonly string[];
  /** Segment class: "LOCKED", "PAGEABLE", "INIT" …, or "" when unknown. */
  readonly segment: string;
  readonly span: SourceSpan;
  readonly file: string;
  /** True for a run of top-level code (outside every procedure). */
  readonly topLevel: boolean;
}

/** Who a device is: its Declare_Virtual_Device. */
export interface LintDevice {
  readonly name: string;
  /** Device ID (0 = Undefined_Device_ID), or null if it could not be evaluated. */
  readonly id: number | null;
  readonly file: string;
  /** Instruction index of the control procedure, or -1. */
  readonly control: number;
  readonly span: SourceSpan;
}

export type CallKind = "call" | "tail-jump" | "dispatch" | "callback" | "control";

export interface CallEdge {
  /** Caller procedure index (-1 for the VMM: a DDB naming its control procedure). */
  readonly from: number;
  readonly to: number;
  readonly kind: CallKind;
  /** Instruction that makes the call (or schedules the callback), -1 for the DDB. */
  readonly site: number;
  /** For callbacks: the scheduling service; for dispatch: the message name. */
  readonly via: string;
}

export class LintProgram {
  readonly instrs: readonly Instr[];
  readonly items: readonly InstrItem[];
  readonly procs: LintProc[] = [];
  /** procOf[i]: index in `procs` of the procedure holding instruction i. */
  readonly procOf: Int32Array;
  readonly devices: LintDevice[] = [];
  readonly dispatches: readonly DispatchRecord[];
  readonly front: FrontResult;
  readonly ir: IrProgram;
  readonly diagnostics: readonly Diagnostic[];
  /** Filled by the analysis. */
  facts!: AnalysisFacts;
  private readonly cfgs = new Map<number, Cfg>();
  private staticEdges: CallEdge[] | null = null;
  private scanned: InstructionScan | null = null;
  private serviceCallGroups: FactGroups<string, ServiceCallFact> | null = null;
  private rootReturnGroups: FactGroups<CtxKind, ReturnFact> | null = null;

  constructor(readonly assembled: AssembleResult) {
    this.front = assembled.front;
    this.ir = assembled.program;
    this.instrs = assembled.program.instrs;
    this.items = assembled.front.instrs;
    this.dispatches = assembled.front.dispatches;
    this.diagnostics = assembled.diagnostics;
    this.procOf = new Int32Array(this.instrs.length).fill(-1);
    // Each loop in a method of its own: the JIT compiles a long loop while it runs, and code after
    // the loop, not run yet, would throw that code away when it first runs.
    this.addProcedures();
    this.addTopLevelRuns();
    this.addDevices();
  }

  private addProcedures(): void {
    // Nested procedures: the innermost wins, so fill outer ones first.
    const sorted = [...this.ir.procs].sort((a, b) => a.start - b.start || b.end - a.end);
    for (let k = 0; k < sorted.length; k++) {
      const p = sorted[k]!;
      const item = this.items[p.start];
      const proc: LintProc = {
        index: this.procs.length,
        name: p.name,
        start: p.start,
        end: Math.max(p.start, p.end),
        options: p.options,
        segment: p.segment,
        span: p.span,
        file: item?.unit.file ?? p.span.file,
        topLevel: false,
      };
      this.procs.push(proc);
      this.procOf.fill(proc.index, proc.start, proc.end);
    }
  }

  /** Runs of top-level code: each maximal stretch of instructions outside every procedure. */
  private addTopLevelRuns(): void {
    const procOf = this.procOf;
    let start = procOf.indexOf(-1);
    while (start >= 0) {
      let end = start + 1;
      while (end < procOf.length && procOf[end] === -1) end++;
      const item = this.items[start]!;
      const proc: LintProc = {
        index: this.procs.length,
        name: `top-level code of ${item.unit.file}`,
        start,
        end,
        options: [],
        segment: "",
        span: item.span,
        file: item.unit.file,
        topLevel: true,
      };
      this.procs.push(proc);
      procOf.fill(proc.index, start, end);
      start = procOf.indexOf(-1, end);
    }
  }

  private addDevices(): void {
    for (const d of this.ir.devices) {
      const rec = this.front.devices.find((r) => r.ddbAddress === d.ddbAddress);
      this.devices.push({
        name: d.name,
        id: d.deviceId,
        file: rec?.unit.file ?? d.span.file,
        control: d.controlProc ? this.indexOfAddress(d.controlProc) : -1,
        span: d.span,
      });
    }
    // A Declare_Virtual_Device that did not lower (an error in it) still names the device.
    for (const r of this.front.devices) {
      if (this.devices.some((d) => d.name === r.name && d.file === r.unit.file)) continue;
      const ctrl = r.operands[3];
      const sym = ctrl && ctrl.k === "name" ? r.unit.symbols.get(ctrl.name) : undefined;
      this.devices.push({ name: r.name, id: null, file: r.unit.file, control: sym?.kind === "code" ? sym.index : -1, span: r.span });
    }
  }

  get size(): number {
    return this.instrs.length;
  }

  /** Instruction index of a code address, or -1. */
  indexOfAddress(address: number): number {
    const i = (address >>> 0) - Layout.CODE_BASE;
    return i >= 0 && i < this.instrs.length ? i : -1;
  }

  isCodeAddress(value: number): boolean {
    return this.indexOfAddress(value) >= 0;
  }

  procAt(i: number): LintProc | undefined {
    const p = this.procOf[i];
    return p === undefined || p < 0 ? undefined : this.procs[p];
  }

  /** Instruction index of a code label named in a unit, or -1. */
  codeIndex(unit: Unit, name: string): number {
    const s = unit.symbols.get(name);
    return s?.kind === "code" ? s.index : -1;
  }

  procNamed(unit: Unit, name: string): LintProc | undefined {
    const i = this.codeIndex(unit, name);
    return i >= 0 ? this.procAt(i) : undefined;
  }

  /** What one pass over every instruction finds (made on first use). */
  get scan(): InstructionScan {
    return (this.scanned ??= scanInstructions(this));
  }

  /** The analysis's service calls by service name (made on first use, after the analysis). */
  get serviceCalls(): FactGroups<string, ServiceCallFact> {
    if (this.serviceCallGroups) return this.serviceCallGroups;
    const calls = this.facts.serviceCalls;
    const groups = new FactGroups<string, ServiceCallFact>(calls);
    // A loop of each index's own (not one loop taking a key function): the JIT compiles it for one kind of fact.
    for (let k = 0; k < calls.length; k++) groups.add(calls[k]!.name, k);
    return (this.serviceCallGroups = groups);
  }

  /** The returns that leave a root itself (the analysis records no others), by the kind of root. */
  get rootReturns(): FactGroups<CtxKind, ReturnFact> {
    if (this.rootReturnGroups) return this.rootReturnGroups;
    const returns = this.facts.returns;
    const groups = new FactGroups<CtxKind, ReturnFact>(returns);
    for (let k = 0; k < returns.length; k++) groups.add(returns[k]!.ctx.kind, k);
    return (this.rootReturnGroups = groups);
  }

  span(i: number): SourceSpan {
    return this.items[i]!.span;
  }

  /** The control-flow graph of a procedure (built on first use). */
  cfg(proc: LintProc): Cfg {
    let g = this.cfgs.get(proc.index);
    if (!g) {
      g = buildCfg(this, proc);
      this.cfgs.set(proc.index, g);
    }
    return g;
  }

  /** Calls and tail jumps written in the code, the DDBs' control procedures and the dispatch tables. */
  staticCallEdges(): CallEdge[] {
    if (this.staticEdges) return this.staticEdges;
    const edges: CallEdge[] = [];
    for (let i = 0; i < this.instrs.length; i++) {
      const ins = this.instrs[i]!;
      if (ins.target < 0 || !isControlTransfer(ins.op)) continue;
      const from = this.procOf[i]!;
      const to = this.procOf[ins.target]!;
      if (ins.op === Op.CALL) edges.push({ from, to, kind: "call", site: i, via: "" });
      else if (to !== from) edges.push({ from, to, kind: "tail-jump", site: i, via: "" });
    }
    for (const d of this.devices) if (d.control >= 0) edges.push({ from: -1, to: this.procOf[d.control]!, kind: "control", site: -1, via: d.name });
    for (const block of this.dispatches) {
      const from = this.procNamed(block.unit, block.proc)?.index ?? -1;
      for (const e of block.entries) {
        const to = this.procNamed(block.unit, e.handler);
        if (to) edges.push({ from, to: to.index, kind: "dispatch", site: -1, via: String(e.message) });
      }
    }
    this.staticEdges = edges;
    return edges;
  }

  /** The whole call graph: static edges and the callbacks the analysis found. */
  callGraph(): CallEdge[] {
    return [...this.staticCallEdges(), ...(this.facts?.callbackEdges ?? [])];
  }

  /** The device a file belongs to: its own Declare_Virtual_Device, else the program's only one. */
  deviceOfFile(file: string): LintDevice | null {
    const own = this.devices.filter((d) => d.file === file);
    if (own.length === 1) return own[0]!;
    if (own.length === 0 && this.devices.length === 1) return this.devices[0]!;
    return null;
  }

  unitOf(i: number): Unit {
    return this.items[i]!.unit;
  }
}
