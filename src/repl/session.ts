// The REPL's machine: a session source that grows line by line, one Cpu and one Vmm that live as
// long as the session, and an undo journal. Each input is appended to the source and the whole
// source re-assembled; since assembly is append-only, instructions and data keep their indices
// and addresses, the Cpu goes on with the longer program, and only the new code runs. Every line
// runs inside a journal (registers, flags, memory writes, the VMM's state), so a fault, a rule
// break, Ctrl-C or `.undo` puts the machine back as it was before the line.
//
// Stopping at a breakpoint: the machine and the VMM call each other on the JavaScript stack, so a
// run cannot be suspended half-way. A stop is a replay instead: the run is unwound at the stop and
// the machine left as it was at that instant for inspection; `.step` and `.continue` put the
// machine back to the start of the line and run it again (it is deterministic) to the next stop,
// showing only what happens after the previous one.
import { makeChalk } from "../diagnostics/color.js";
import { diag, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { assemble, nodeFileSystem, type AssembleResult, type FileSystem } from "../front/index.js";
import { Layout, Op, REG_NAMES32, Reg, type IrProgram, type SourceSpan } from "../ir/types.js";
import { Cpu } from "../machine/cpu.js";
import { MachineFault } from "../machine/fault.js";
import { JournaledMemory, type WriteJournal } from "../machine/journal.js";
import { faultDiagnostic } from "../run/fault-diagnostic.js";
import { registerDevices } from "../run/run-program.js";
import { messageByName } from "../vmm/tables/messages.js";
import { byInitOrder, programDevice, userDevice, type RuntimeDevice } from "../vmm/runtime/devices.js";
import { boot, createVm, runClock } from "../vmm/runtime/lifecycle.js";
import { VmmStop } from "../vmm/runtime/stop.js";
import { broadcast } from "../vmm/runtime/system-control.js";
import { Vmm, type TimelineEntry } from "../vmm/runtime/vmm.js";
import { InstructionTracer } from "../cli/trace.js";
import type { ChalkInstance } from "chalk";
import { StateCapture, type StateChanges } from "./state-journal.js";
import { blankEnd, SessionFileSystem } from "./session-fs.js";

/** The session's own source file, as diagnostics and `.save` name it. */
export const SESSION_FILE = "repl";
const HEADER = "\t.386p\n\tinclude vmm.inc\n";
const FLAG_BITS: readonly [string, number][] = [["CF", 0], ["PF", 2], ["AF", 4], ["ZF", 6], ["SF", 7], ["IF", 9], ["DF", 10], ["OF", 11]];

export interface SessionOptions {
  /** VMs to create besides the System VM (default 1, so that Call_VM_Event can schedule). */
  readonly vms?: number;
  /** Instruction bound for one line (default 10,000,000). */
  readonly maxSteps?: number;
  readonly includeDirs?: readonly string[];
  readonly defines?: Readonly<Record<string, string>>;
  readonly fs?: FileSystem;
  readonly memorySize?: number;
}

export type EmitKind = "output" | "vmm" | "trace";

export interface RegisterChange {
  readonly name: string;
  readonly before: number;
  readonly after: number;
}

export interface MemoryChange {
  readonly address: number;
  readonly before: readonly number[];
  readonly after: readonly number[];
}

export interface Changes {
  readonly registers: readonly RegisterChange[];
  readonly flags: readonly RegisterChange[];
  readonly memory: readonly MemoryChange[];
  readonly pending: { readonly before: number; readonly after: number };
  readonly vm: { readonly before: number; readonly after: number };
}

export interface StopInfo {
  /** The instruction about to run. */
  readonly index: number;
  /** Instructions the line has run so far. */
  readonly steps: number;
  /** Instruction indices of the active call sites, innermost first. */
  readonly backtrace: readonly number[];
}

export type LineStatus = "ok" | "empty" | "source-error" | "fault" | "violation" | "interrupted" | "stopped" | "refused";

export interface LineResult {
  readonly status: LineStatus;
  readonly diagnostics: readonly Diagnostic[];
  /** The sources the diagnostics point into (the session as it was with the line). */
  readonly sources?: ReadonlyMap<string, string>;
  readonly changes: Changes | null;
  readonly stop: StopInfo | null;
  /** Lines to show after the changes (e.g. "returned to the VMM"). */
  readonly notes: readonly string[];
}

interface Chunk {
  readonly text: string;
  /** For `.load`: the file, as given. */
  readonly load?: string;
}

/** What a line does, in a form that can run again from the same start (a replay after a stop). */
interface Job {
  readonly label: string;
  readonly chunk: Chunk | null;
  readonly asm: AssembleResult | null;
  readonly prevProgram: IrProgram;
  readonly program: IrProgram;
  body(): void;
}

/** A line that has started: its journal, and the point of its last stop. */
interface LineRun {
  readonly job: Job;
  readonly regs: Int32Array;
  readonly eflags: number;
  readonly steps: number;
  readonly eip: number;
  readonly journal: WriteJournal;
  readonly capture: StateCapture;
  readonly pendingBefore: number;
  readonly vmBefore: number;
  /** The last stop: instructions run, events shown, and the machine at that point. */
  stop: { steps: number; emitted: number; regs: Int32Array; eflags: number; pending: number; vm: number; info: StopInfo } | null;
}

interface UndoRecord {
  readonly label: string;
  readonly chunks: number;
  readonly regs: Int32Array;
  readonly eflags: number;
  readonly steps: number;
  readonly eip: number;
  readonly memory: WriteJournal;
  readonly state: StateChanges;
  readonly programChanged: boolean;
}

/** Control of the run in progress, read by the step hook. */
interface RunControl {
  startSteps: number;
  /** Stop before the instruction when this many have run (null: no step target). */
  stopAt: number | null;
  /** Stop at a breakpoint only once more than this many have run (null: breakpoints off). */
  breakAfter: number | null;
  /** Emitted output/VMM entries to suppress (already shown before a replayed stop). */
  skip: number;
  emitted: number;
  /** A journal opened when this many instructions have run (changes since the last stop). */
  sinceAt: number;
  since: WriteJournal | null;
  traceFrom: number;
  tracer: InstructionTracer | null;
  last: number;
}

class Stop extends Error {
  constructor(readonly info: StopInfo) {
    super("stopped");
  }
}

class Interrupted extends Error {
  constructor(readonly steps: number) {
    super("interrupted");
  }
}

const idle = (): RunControl => ({ startSteps: 0, stopAt: null, breakAfter: null, skip: 0, emitted: 0, sinceAt: -1, since: null, traceFrom: 0, tracer: null, last: -1 });

export class ReplSession {
  readonly fs: SessionFileSystem;
  readonly options: SessionOptions;
  private files: readonly string[] = [];
  private chunks: Chunk[] = [];
  asm!: AssembleResult;
  memory!: JournaledMemory;
  cpu!: Cpu;
  vmm!: Vmm;
  private undoStack: UndoRecord[] = [];
  private line: LineRun | null = null;
  private control: RunControl = idle();
  private polls = 0;
  /** Breakpoints: instruction index → what the user named. */
  readonly breakpoints = new Map<number, string>();
  /** The next line stops before its first instruction (`.step` with nothing stopped). */
  stepNext = false;
  trace = false;
  /** Asked every few thousand instructions: true stops the line (Ctrl-C). */
  interrupted: () => boolean = () => false;
  /** Receives debug output, VMM timeline entries and trace lines as they happen. */
  emit: (kind: EmitKind, text: string) => void = () => {};
  /** Colours for trace lines. */
  chalk: ChalkInstance = makeChalk(false);

  constructor(options: SessionOptions = {}) {
    this.options = options;
    this.fs = new SessionFileSystem(options.fs ?? nodeFileSystem);
  }

  // ---------------------------------------------------------------- start and reset

  /** Starts the machine with `files` loaded (their top-level code runs); problems come back as diagnostics. */
  start(files: readonly string[] = this.files): Diagnostic[] {
    this.files = files;
    this.fs.forget();
    this.breakpoints.clear();
    this.stepNext = false;
    const problems: Diagnostic[] = [];
    const missing = files.filter((f) => !this.fs.isFile(f));
    for (const f of missing) problems.push(diag("file-not-found", null, `cannot read \`${f}\``));
    const present = files.filter((f) => !missing.includes(f));
    if (present.length > 0) {
      const failed = this.build(present.map((f) => ({ text: includeLine(f), load: f })));
      if (failed.length === 0) return problems;
      problems.push(...failed, diag("usage", null, `${present.join(", ")} not loaded: the session starts without ${present.length === 1 ? "it" : "them"}`, { severity: "note" }));
    }
    const failed = this.build([]);
    if (failed.length > 0) throw new Error(`the empty session does not start: ${failed.map((d) => d.message).join("; ")}`);
    return problems;
  }

  private build(chunks: Chunk[]): Diagnostic[] {
    const asm = this.assembleChunks(chunks);
    if (hasErrors(asm.diagnostics)) return asm.diagnostics.filter((d) => d.severity !== "note");
    const program = asm.program;
    this.chunks = chunks;
    this.asm = asm;
    this.undoStack = [];
    this.line = null;
    this.control = idle();
    this.memory = new JournaledMemory(this.options.memorySize);
    this.vmm = new Vmm(program, {
      onViolation: "stop",
      onTimeline: (e: TimelineEntry) => this.out("vmm", e.text),
      onOutput: (t: string) => this.out("output", t),
    });
    this.cpu = new Cpu(program, { memory: this.memory, host: this.vmm, onStep: this.hook });
    this.cpu.maxSteps = this.bound();
    this.vmm.attach(this.cpu);
    const problems = registerDevices(this.vmm, program);
    if (!this.vmm.devices.some((d) => d.name === programDevice(SESSION_FILE, 0).name)) this.vmm.devices.push(programDevice(SESSION_FILE, this.vmm.devices.length));
    if (problems.length > 0) return problems;
    try {
      this.quiet = true;
      boot(this.vmm);
      for (let i = 0; i < (this.options.vms ?? 1); i++) createVm(this.vmm);
      this.quiet = false;
      this.enterTopLevel(true);
      this.cpu.maxSteps = this.bound();
      const topLevel = asm.front.instrs.findIndex((x) => x.proc === "");
      if (topLevel >= 0) this.runTopLevel(topLevel);
    } catch (e) {
      return [this.diagnosticOf(e)];
    } finally {
      this.quiet = false;
    }
    return asm.diagnostics.filter((d) => d.severity === "warning");
  }

  private bound(): number {
    return this.cpu.steps + (this.options.maxSteps ?? 10_000_000);
  }

  // ---------------------------------------------------------------- the source

  private sourceOf(chunks: readonly Chunk[]): string {
    return HEADER + chunks.map((c) => c.text + "\n").join("");
  }

  private assembleChunks(chunks: readonly Chunk[]): AssembleResult {
    return assemble([{ name: SESSION_FILE, text: this.sourceOf(chunks) }], {
      fs: this.fs,
      includeDirs: this.options.includeDirs ?? [],
      ...(this.options.defines ? { defines: this.options.defines } : {}),
    });
  }

  /** The session's source, as `.save` writes it; include paths are made relative to `dir`. */
  source(rewrite: (path: string) => string = (p) => p): string {
    const body = this.chunks.map((c) => (c.load !== undefined ? includeLine(rewrite(c.load)) : c.text) + "\n").join("");
    return `; vmmasm repl session\n${HEADER}${body}`;
  }

  get program(): IrProgram {
    return this.cpu.program;
  }

  /** Symbols of the session (labels, data, equates, procedures, macros, strucs), for completion. */
  symbolNames(): string[] {
    const unit = this.asm.front.units[0];
    if (!unit) return [];
    return [...unit.symbols.values()].filter((s) => s.span !== null).map((s) => s.name);
  }

  // ---------------------------------------------------------------- lines

  get stopped(): StopInfo | null {
    return this.line?.stop?.info ?? null;
  }

  get undoDepth(): number {
    return this.undoStack.length;
  }

  /** Assembles `text` after the session's source and runs what it adds. */
  submit(text: string): LineResult {
    if (text.trim() === "" || text.split("\n").every((l) => /^\s*(;.*)?$/.test(l))) return result("empty");
    if (this.line) return refused("a line is stopped: .step, .continue or .undo it first");
    const kept = blankEnd(text);
    const r = this.appendAndRun({ text: kept }, text.trim());
    return kept === text ? r : { ...r, notes: [...r.notes, "END ends a source file; the session goes on without it"] };
  }

  /** `.load file`: the file's procedures and data join the session, its top-level code runs, its devices are initialised. */
  load(path: string): LineResult {
    if (this.line) return refused("a line is stopped: .step, .continue or .undo it first");
    if (!this.fs.isFile(path)) return result("source-error", [diag("file-not-found", null, `cannot read \`${path}\``)]);
    return this.appendAndRun({ text: includeLine(path), load: path }, `.load ${path}`);
  }

  private appendAndRun(chunk: Chunk, label: string): LineResult {
    const chunks = [...this.chunks, chunk];
    const asm = this.assembleChunks(chunks);
    const firstLine = this.sourceOf(this.chunks).split("\n").length;
    const prev = this.program;
    const shown = asm.diagnostics.filter((d) => isNew(d, firstLine, chunk)).map(forTheRepl);
    if (hasErrors(asm.diagnostics)) return { ...result("source-error", hasErrors(shown) ? shown : asm.diagnostics.filter((d) => d.severity === "error")), sources: asm.program.sources };
    const next = asm.program;
    const first = appendPoint(prev);
    // The new top-level code, if any: a procedure on its own only defines.
    const topLevel = asm.front.instrs.findIndex((x, i) => i >= first && x.proc === "");
    const rewritten = rewrites(prev, next, first);
    if (rewritten) return { ...result("source-error"), sources: asm.program.sources, diagnostics: [diag("repl-rewrites-code", rewritten, "this changes code the session assembled before, so it cannot be added", { help: "the REPL only appends; start again with .reset, or .save the session and edit the file" })] };
    const job: Job = {
      label,
      chunk,
      asm,
      prevProgram: prev,
      program: next,
      body: () => {
        this.loadData(prev, next);
        this.initNewDevices(prev, next);
        if (topLevel >= 0) this.runTopLevel(topLevel);
      },
    };
    const r = this.begin(job);
    return { ...r, sources: asm.program.sources, diagnostics: [...shown.filter((d) => d.severity !== "error"), ...r.diagnostics] };
  }

  /** `.events run`: the VMM returns to a VM, running what is pending. `.wait ms`: time passes too. */
  runEvents(ms = 0): LineResult {
    if (this.line) return refused("a line is stopped: .step, .continue or .undo it first");
    const program = this.program;
    return this.begin({
      label: ms > 0 ? `.wait ${ms}` : ".events run",
      chunk: null,
      asm: null,
      prevProgram: program,
      program,
      body: () => this.returnToVmm(ms),
    });
  }

  private begin(job: Job): LineResult {
    const cpu = this.cpu;
    const pendingBefore = this.inspect(() => this.vmm.events.pending().length);
    const run: LineRun = {
      job,
      regs: Int32Array.from(cpu.regs),
      eflags: cpu.getEflags(),
      steps: cpu.steps,
      eip: cpu.eip,
      journal: this.memory.begin(),
      capture: this.captureState(),
      pendingBefore,
      vmBefore: this.vmm.currentVm.id,
      stop: null,
    };
    this.line = run;
    this.useProgram(job.program);
    const armed = this.stepNext;
    this.stepNext = false;
    return this.go(run, { stopAt: armed ? 0 : null, breakAfter: -1, skip: 0, sinceAt: -1, traceFrom: 0 });
  }

  /** `.step [n]`: run n more instructions of the stopped line. */
  step(n = 1): LineResult {
    const run = this.line;
    if (!run?.stop) {
      this.stepNext = true;
      return { ...result("empty"), notes: ["nothing is stopped: the next line stops before its first instruction"] };
    }
    const at = run.stop.steps;
    this.rewind(run);
    return this.go(run, { stopAt: at + Math.max(1, n), breakAfter: at, skip: run.stop.emitted, sinceAt: at, traceFrom: at });
  }

  /** `.continue`: run the stopped line on, to the next breakpoint or its end. */
  continue(): LineResult {
    const run = this.line;
    if (!run?.stop) return refused("nothing is stopped");
    const at = run.stop.steps;
    this.rewind(run);
    return this.go(run, { stopAt: null, breakAfter: at, skip: run.stop.emitted, sinceAt: at, traceFrom: at });
  }

  private go(run: LineRun, c: { stopAt: number | null; breakAfter: number | null; skip: number; sinceAt: number; traceFrom: number }): LineResult {
    const cpu = this.cpu;
    this.control = {
      ...idle(),
      ...c,
      breakAfter: this.breakpoints.size > 0 ? c.breakAfter : null,
      startSteps: run.steps,
      tracer: this.trace ? new InstructionTracer(this.program, (l) => this.out("trace", l), this.chalk) : null,
    };
    cpu.maxSteps = run.steps + (this.options.maxSteps ?? 10_000_000);
    try {
      run.job.body();
      this.control.tracer?.flush(cpu);
      return this.finish(run);
    } catch (e) {
      this.control.tracer?.flush(cpu);
      if (e instanceof Stop) return this.stopHere(run, e.info);
      const d = e instanceof Interrupted ? diag("interrupted", this.program.spans[this.control.last] ?? null, `stopped by Ctrl-C after ${e.steps} instructions`) : this.diagnosticOf(e);
      const status = e instanceof Interrupted ? "interrupted" : e instanceof VmmStop ? "violation" : e instanceof MachineFault ? "fault" : "fault";
      this.rollback(run);
      return { ...result(status, [d]), notes: ["the machine is back as it was before the line"] };
    } finally {
      this.closeSince();
      this.control = idle();
      cpu.maxSteps = this.bound();
    }
  }

  private finish(run: LineRun): LineResult {
    const changes = this.changesSince(run);
    const notes = this.returned ? ["returned to the VMM: pending events ran; the next line starts a new call"] : [];
    this.returned = false;
    this.memory.close(run.journal);
    this.undoStack.push({
      label: run.job.label,
      chunks: this.chunks.length,
      regs: run.regs,
      eflags: run.eflags,
      steps: run.steps,
      eip: run.eip,
      memory: run.journal,
      state: run.capture.changes(),
      programChanged: run.job.program !== run.job.prevProgram,
    });
    if (this.undoStack.length > 1000) this.undoStack.shift();
    if (run.job.chunk) this.chunks.push(run.job.chunk);
    if (run.job.asm) this.asm = run.job.asm;
    this.line = null;
    return { status: "ok", diagnostics: [], changes, stop: null, notes };
  }

  private stopHere(run: LineRun, info: StopInfo): LineResult {
    const changes = this.changesSince(run);
    run.stop = {
      steps: info.steps,
      emitted: this.control.emitted,
      regs: Int32Array.from(this.cpu.regs),
      eflags: this.cpu.getEflags(),
      pending: this.inspect(() => this.vmm.events.pending().length),
      vm: this.vmm.currentVm.id,
      info,
    };
    return { status: "stopped", diagnostics: [], changes, stop: info, notes: [] };
  }

  /** Changes since the line started, or since its last stop. */
  private changesSince(run: LineRun): Changes {
    const from = run.stop;
    const regs = from?.regs ?? run.regs;
    const eflags = from?.eflags ?? run.eflags;
    const journal = from ? this.control.since : run.journal;
    const registers: RegisterChange[] = [];
    for (let r = 0; r < 8; r++) if (regs[r] !== this.cpu.regs[r]) registers.push({ name: REG_NAMES32[r]!, before: regs[r]! >>> 0, after: this.cpu.regs[r]! >>> 0 });
    const now = this.cpu.getEflags();
    const flags: RegisterChange[] = [];
    for (const [name, bit] of FLAG_BITS) if (((eflags >>> bit) & 1) !== ((now >>> bit) & 1)) flags.push({ name, before: (eflags >>> bit) & 1, after: (now >>> bit) & 1 });
    return {
      registers,
      flags,
      // Stack bytes below ESP were pushed and popped again (return addresses of calls): not live.
      memory: journal ? memoryChanges(journal, this.memory.bytes).filter((m) => !(m.address >= this.cpu.stackLimit && m.address + m.after.length <= this.cpu.regs[Reg.ESP]! >>> 0)) : [],
      pending: { before: from?.pending ?? run.pendingBefore, after: this.inspect(() => this.vmm.events.pending().length) },
      vm: { before: from?.vm ?? run.vmBefore, after: this.vmm.currentVm.id },
    };
  }

  /** Abandons a stopped line (`.undo` while stopped). */
  abandon(): boolean {
    if (!this.line) return false;
    this.rollback(this.line);
    return true;
  }

  /** `.undo`: the machine goes back to before the last line that ran. */
  undo(): string | null {
    if (this.line) {
      const label = this.line.job.label;
      this.rollback(this.line);
      return label;
    }
    const u = this.undoStack.pop();
    if (!u) return null;
    this.memory.restore(u.memory);
    u.state.restore();
    this.cpu.regs.set(u.regs);
    this.cpu.setEflags(u.eflags);
    this.cpu.steps = u.steps;
    this.cpu.eip = u.eip;
    if (u.programChanged) {
      this.chunks.length = u.chunks;
      this.asm = this.assembleChunks(this.chunks);
      this.useProgram(this.asm.program);
    }
    return u.label;
  }

  private rewind(run: LineRun): void {
    this.memory.restore(run.journal);
    run.capture.changes().restore();
    this.cpu.regs.set(run.regs);
    this.cpu.setEflags(run.eflags);
    this.cpu.steps = run.steps;
    this.cpu.eip = run.eip;
    this.cpu.repPending = false;
    this.returned = false;
  }

  private rollback(run: LineRun): void {
    this.closeSince();
    this.rewind(run);
    this.memory.close(run.journal);
    if (run.job.program !== run.job.prevProgram) this.useProgram(run.job.prevProgram);
    this.line = null;
  }

  private closeSince(): void {
    if (this.control.since) this.memory.close(this.control.since);
  }

  // ---------------------------------------------------------------- running

  private returned = false;

  /** The step hook: stops, breakpoints, the trace and Ctrl-C. */
  private readonly hook = (cpu: Cpu, index: number): void => {
    const c = this.control;
    c.last = index;
    const ran = cpu.steps - c.startSteps;
    if (ran === c.sinceAt && c.since === null) c.since = this.memory.begin();
    if ((c.stopAt !== null && ran >= c.stopAt) || (c.breakAfter !== null && ran > c.breakAfter && this.breakpoints.has(index))) {
      c.tracer?.flush(cpu);
      c.tracer = null;
      throw new Stop({ index, steps: ran, backtrace: cpu.backtrace() });
    }
    if (c.tracer && ran >= c.traceFrom && cpu.program.instrs[index]?.op !== Op.HALT) c.tracer.step(cpu, index);
    if ((++this.polls & 0x1fff) === 0 && this.interrupted()) throw new Interrupted(ran);
  };

  /** Boot and VM creation at start-up are not shown (.vms and .devices show the result). */
  private quiet = false;

  private out(kind: EmitKind, text: string): void {
    if (this.quiet && kind === "vmm") return;
    const c = this.control;
    if (kind !== "trace" && c.emitted++ < c.skip) return;
    this.emit(kind, text);
  }

  /** The top-level frame: as if the VMM had called the session's code (a top-level `ret` returns to it). */
  private enterTopLevel(resetRegisters: boolean): void {
    const cpu = this.cpu;
    if (resetRegisters) {
      cpu.regs.fill(0, 0, 8);
      cpu.setEflags(0x202);
      cpu.regs[Reg.EBP] = this.vmm.currentVm.clientRegs;
    }
    cpu.regs[Reg.ESP] = cpu.stackTop;
    cpu.push32(cpu.sentinel);
  }

  private runTopLevel(index: number): void {
    const cpu = this.cpu;
    const actor = this.vmm.devices.find((d) => d.name === programDevice(SESSION_FILE, 0).name) ?? null;
    this.vmm.actors.push(actor);
    try {
      cpu.run(index);
    } finally {
      this.vmm.actors.pop();
    }
    const last = cpu.program.instrs[this.control.last];
    if (last && (last.op === Op.RET || last.op === Op.VXDJMP) && cpu.regs[Reg.ESP]! >>> 0 === cpu.stackTop) {
      this.returnToVmm(0);
      this.enterTopLevel(false);
      this.returned = true;
    }
  }

  private returnToVmm(ms: number): void {
    this.vmm.processEvents();
    this.vmm.reschedule();
    if (ms > 0) runClock(this.vmm, this.vmm.clock.now + ms);
  }

  private useProgram(program: IrProgram): void {
    if (this.cpu.program === program) return;
    this.cpu.useProgram(program);
    // The Vmm names callbacks from its program's labels; it follows the session's program.
    (this.vmm as { program: IrProgram }).program = program;
  }

  /** Copies the data the new program adds into memory (the old data keeps what the code wrote). */
  private loadData(prev: IrProgram, next: IrProgram): void {
    const from = prev.data.bytes.length;
    if (next.data.bytes.length > from) this.memory.writeBytes((next.data.base + from) >>> 0, next.data.bytes.subarray(from));
  }

  /** Devices the new source declares: registered, then given the init messages, alone. */
  private initNewDevices(prev: IrProgram, next: IrProgram): void {
    const added: RuntimeDevice[] = [];
    for (const decl of next.devices.slice(prev.devices.length)) {
      const dev = userDevice(decl, this.vmm.devices.length);
      const clash = this.vmm.devices.find((o) => o.name === dev.name || (dev.id !== 0 && o.id === dev.id));
      if (clash) throw new VmmStop("device-clash", `device ${dev.name} has the same ${clash.name === dev.name ? "name" : "device ID"} as ${clash.builtin ? "the built-in device " : "device "}${clash.name}`, undefined, [], decl.span);
      this.vmm.devices.push(dev);
      added.push(dev);
    }
    if (added.length === 0) return;
    // The VMM's own work: the line's registers and flags are as they were afterwards.
    const regs = Int32Array.from(this.cpu.regs);
    const eflags = this.cpu.getEflags();
    const sys = this.vmm.sysVm.handle;
    const tail = this.vmm.heap.allocate(4, 4);
    this.memory.write8(tail, 0);
    for (const name of ["Sys_Critical_Init", "Device_Init", "Init_Complete", "Sys_VM_Init"]) {
      const m = messageByName(name)!;
      for (const dev of [...added].sort(byInitOrder)) {
        if (dev.loaded) broadcast(this.vmm, m.value, name === "Sys_VM_Init" ? { ebx: sys } : { ebx: sys, esi: tail }, { only: dev, onFailure: "unload" });
      }
    }
    this.vmm.processEvents();
    this.cpu.regs.set(regs);
    this.cpu.setEflags(eflags);
  }

  // ---------------------------------------------------------------- state and inspection

  private captureState(): StateCapture {
    const cpu = this.cpu;
    const program = this.program;
    return new StateCapture(this.vmm, (v, key) => v === cpu || v === this.memory || v === program || key === "program" || key === "options" || v instanceof Cpu || v instanceof JournaledMemory);
  }

  /** Runs a query of the VMM's state that must change nothing (some queries tidy up as they read). */
  inspect<T>(query: () => T): T {
    const capture = this.captureState();
    try {
      return query();
    } finally {
      capture.changes().restore();
    }
  }

  private diagnosticOf(e: unknown): Diagnostic {
    if (e instanceof MachineFault) {
      if (!e.located) {
        e.instrIndex = this.control.last;
        e.located = true;
      }
      return faultDiagnostic(this.program, e, this.vmm.stopContext ?? []);
    }
    const message = e instanceof Error ? e.message : String(e);
    return diag("trap", null, `internal error: ${message}`, { notes: ["this is a bug of vmmasm; the machine is back as it was before the line"] });
  }
}

function result(status: LineStatus, diagnostics: readonly Diagnostic[] = []): LineResult {
  return { status, diagnostics, changes: null, stop: null, notes: [] };
}

function refused(message: string): LineResult {
  return { ...result("refused"), notes: [message] };
}

export function includeLine(path: string): string {
  return `\tinclude ${/\s/.test(path) ? `"${path}"` : path}`;
}

/** Instruction index where new code goes: the old program's closing HALT is replaced. */
function appendPoint(prev: IrProgram): number {
  const last = prev.instrs[prev.instrs.length - 1];
  return prev.instrs.length - (last && last.op === Op.HALT ? 1 : 0);
}

/**
 * Where the new program moves something the old one had, if anywhere: an instruction before the
 * append point that is not the same one from the same line, or a label or variable at another
 * address (a conditional that now takes the other branch, say).
 */
export function rewrites(prev: IrProgram, next: IrProgram, first: number): SourceSpan | null {
  const last = next.spans[next.spans.length - 1] ?? null;
  if (next.instrs.length < first || next.data.bytes.length < prev.data.bytes.length) return last;
  for (let i = 0; i < first; i++) {
    const a = prev.instrs[i]!;
    const b = next.instrs[i]!;
    const sa = prev.spans[i];
    const sb = next.spans[i];
    if (a.op !== b.op || a.mnemonic !== b.mnemonic || sa?.file !== sb?.file || sa?.line !== sb?.line) return sb ?? last;
  }
  for (const [key, sym] of prev.symbols) {
    // ??-names are made up by macro expansions (and not always alike from one assembly to the next).
    if ((sym.kind !== "code" && sym.kind !== "data") || key.startsWith("??")) continue;
    const now = next.symbols.get(key);
    if (!now || now.kind !== sym.kind || now.value !== sym.value) return now?.span ?? last;
  }
  return null;
}

/** A name used before it is defined is the usual stumble of a session typed in a file's order. */
function forTheRepl(d: Diagnostic): Diagnostic {
  if (d.name !== "undefined-symbol") return d;
  return { ...d, notes: [...(d.notes ?? []), "in the REPL a name must be defined before a line uses it: type the procedure or the data first"] };
}

function isNew(d: Diagnostic, firstLine: number, chunk: Chunk): boolean {
  if (!d.span) return true;
  if (d.span.file === SESSION_FILE) return d.span.line >= firstLine;
  return chunk.load !== undefined;
}

/** Runs of written bytes (at most 16 to a run) in which at least one byte changed its value. */
function memoryChanges(journal: WriteJournal, bytes: Uint8Array): MemoryChange[] {
  const out: MemoryChange[] = [];
  for (const r of journal.ranges()) {
    for (let a = r.address; a < r.address + r.length; a += 16) {
      const n = Math.min(16, r.address + r.length - a);
      const before: number[] = [];
      const after: number[] = [];
      for (let i = 0; i < n; i++) {
        before.push(journal.old.get(a + i)!);
        after.push(bytes[a + i]!);
      }
      if (before.some((b, i) => b !== after[i])) out.push({ address: a, before, after });
    }
  }
  return out;
}

export { Layout };
