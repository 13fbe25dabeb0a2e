// The analysis: runs the program abstractly from every root the VMM may enter it by — a device's
// control procedure once per message (EAX known, so dispatch branches and jump tables resolve),
// the callbacks found handed to event and time-out services, hardware-interrupt procedures,
// ASYNC_SERVICE procedures, and every other procedure and top-level run — on the abstract machine
// of interpret.ts. Calls are followed into the callee with the caller's state (memoised per entry
// state), so a helper is seen in the context of each root that reaches it. What the rules need is
// recorded as facts (observations.ts): service calls with their registers, the roots' returns, carry results
// lost untested, stores of handles, the callbacks and their kinds, notable instructions with their context.
import { Cond, Op, Reg, type Instr } from "../ir/types.js";
import { registerByName } from "../front/registers.js";
import { UNKNOWN_SERVICE_ID } from "../front/vxd-macros.js";
import { serviceById, serviceByName, type ServiceInfo } from "../vmm/tables/services.js";
import { MESSAGES, isPrivateMessage } from "../vmm/tables/messages.js";
import { callbackService, interruptTimeFields, neverReturns, PEF_TIME_OUT, sendCanFail, type CallbackService } from "./facts.js";
import type { LintDevice, LintProc, LintProgram } from "./program.js";
import { ALL_WRITTEN, EAX, EBP, ECX, FORK, Interpreter, JUMP, NEXT, opaqueExit, RETURN, STOP, type StepResult } from "./interpret.js";
import { namesIn } from "./names.js";
import type { AnalysisFacts, Ctx, CtxKind } from "./observations.js";
import { within } from "./scan.js";
import { FactLog, FixpointRun, ForwardRun, ObserveRun, type Run } from "./runs.js";
import { CF0, CF_ANY, cnst, eqVal, ESP, K_CONST, K_OPAQUE, K_SYM, NO_PENDING, NO_SLOTS, OPAQUE, REGS, samePending, sameVals, SEGS, State, handle, sym, TOP, type AbsVal } from "./values.js";

export * from "./observations.js";
export { namesIn } from "./names.js";

interface Activation {
  /** The state it was entered with. */
  readonly entry: State;
  exit: State | null;
  inProgress: boolean;
  observed: boolean;
}

/** Bound on the different entry states one procedure is analysed with per root before they are merged. */
const MAX_VARIANTS = 6;
/** Bound on instruction steps of one activation's fixpoint (a safety net; real code stays far below). */
const MAX_STEPS = 200_000;

/** The registers' and segment registers' values on entry to a root (shared: values are immutable). */
const ENTRY_REGS: readonly AbsVal[] = REGS.map((r, i) => (i === Reg.ESP ? sym("SP", 0) : sym(r, 0)));
const ENTRY_SEGS: readonly AbsVal[] = SEGS.map((s) => sym(s, 0));

/** Operations whose every visit is recorded (with the registers), by opcode: those the rules look at. */
const NOTABLE = new Uint8Array(256);
for (const op of [Op.STI, Op.CMP]) NOTABLE[op] = 1;

export function analyse(program: LintProgram): AnalysisFacts {
  return new Analyzer(program).run();
}

class Analyzer extends Interpreter {
  private readonly lead: Uint8Array;
  /**
   * The activations of the context being analysed, by entry instruction × 2 + root frame. A context's
   * activations serve only calls made while its root runs, so the memo starts empty with each root.
   */
  private readonly memo = new Map<number, { list: Activation[]; widened: State | null }>();
  /** The contexts made so far, by root instruction (one per kind, message and timing). */
  private readonly ctxsByRoot = new Map<number, Ctx[]>();
  /** Callback edges recorded, as site × number of procedures + callee procedure. */
  private readonly edgeKeys = new Set<number>();
  private readonly queue: Ctx[] = [];

  /** By procedure index: whether no jump inside the procedure goes backwards (see forwardKind), once asked. */
  private readonly forwardOnly: Int8Array;
  /** By procedure index: whether a walk can never leave the procedure (see isSelfContained), once asked. */
  private readonly selfContained: Int8Array;
  /** Set while a fixpoint's walks record into factLog instead of the facts. */
  private logging = false;
  private readonly factLog: FactLog;

  constructor(p: LintProgram) {
    super(p);
    this.lead = p.scan.leaders;
    this.forwardOnly = new Int8Array(p.procs.length).fill(UNKNOWN);
    this.selfContained = new Int8Array(p.procs.length).fill(UNKNOWN);
    this.factLog = new FactLog(this.facts);
    this.siteOf = new Int32Array(p.instrs.length);
    // Every call's site looked up before the analysis: a service first met late made `service`'s
    // compiled code meet a lookup it had never seen made, and throw the code away.
    const services = p.scan.services;
    for (let k = 0; k < services.length; k++) this.serviceAt(services[k]!, this.instrs[services[k]!]!);
  }

  run(): AnalysisFacts {
    this.enqueueDeviceRoots();
    const procs = this.p.procs;
    for (let k = 0; k < procs.length; k++) {
      const proc = procs[k]!;
      if (proc.options.includes("ASYNC_SERVICE")) this.enqueue("async-service", proc.start, null, false, -1, "ASYNC_SERVICE", null, true);
    }
    for (const { entry, field } of this.interruptProcs()) this.enqueue("hw-int", entry, null, false, -1, field, this.p.deviceOfFile(this.p.items[entry]!.unit.file), true);
    this.drain();
    // Every procedure nobody reached: first those nothing calls, then the rest (dead or cyclic code).
    const called = this.p.scan.calledProcs;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < procs.length; k++) {
        const proc = procs[k]!;
        if (this.facts.reached[proc.start] || proc.start >= proc.end) continue;
        if (pass === 0 && called[proc.index]) continue;
        this.enqueue("procedure", proc.start, null, false, -1, "", this.p.deviceOfFile(proc.file), false);
        this.drain();
      }
    }
    return this.facts;
  }

  private enqueue(kind: CtxKind, root: number, message: number | null, timed: boolean, origin: number, via: string, device: LintDevice | null, interruptTime: boolean): Ctx | null {
    let sameRoot = this.ctxsByRoot.get(root);
    if (!sameRoot) this.ctxsByRoot.set(root, (sameRoot = []));
    for (let k = 0; k < sameRoot.length; k++) {
      const c = sameRoot[k]!;
      if (c.kind === kind && c.message === message && c.timed === timed) return null;
    }
    const ctx: Ctx = { id: this.facts.ctxs.length, kind, root, device, message, interruptTime, timed, origin, via };
    sameRoot.push(ctx);
    this.facts.ctxs.push(ctx);
    this.queue.push(ctx);
    return ctx;
  }

  private queued = 0;

  private drain(): void {
    while (this.queued < this.queue.length) {
      const ctx = this.queue[this.queued++]!;
      this.memo.clear();
      this.analyze(ctx.root, this.rootState(ctx), ctx, true, true);
    }
  }

  private rootState(ctx: Ctx): State {
    let regs = ENTRY_REGS;
    if (ctx.message !== null) {
      regs = ENTRY_REGS.slice();
      (regs as AbsVal[])[EAX] = cnst(ctx.message);
    }
    const pending = ctx.timed ? [-(ctx.id + 2)] : NO_PENDING;
    const s = new State(regs as AbsVal[], ENTRY_SEGS as AbsVal[], CF_ANY, pending, ctx.kind === "message" ? CF_ANY : CF0, null, NO_SLOTS, 0, -1);
    // The entry values are shared with every other root's state: copied on the first write.
    if (regs === ENTRY_REGS) s.shareRegs();
    s.shareSegs();
    return s;
  }

  /** Every device's control procedure, once for each message it may get. */
  private enqueueDeviceRoots(): void {
    for (const d of this.p.devices) {
      if (d.control < 0) continue;
      const values = new Set<number>(MESSAGES.map((m) => m.value));
      // Private messages the device looks for: compared with EAX in its control procedure, or dispatched.
      const proc = this.p.procAt(d.control);
      if (proc) {
        for (let i = proc.start; i < proc.end; i++) {
          const ins = this.instrs[i]!;
          if (ins.op === Op.CMP && ins.a?.kind === "reg" && ins.a.reg === EAX && ins.b?.kind === "imm" && isPrivateMessage(ins.b.value >>> 0)) values.add(ins.b.value >>> 0);
        }
      }
      for (const block of this.p.dispatches) if (block.unit.file === d.file) for (const e of block.entries) values.add(e.message);
      for (const v of [...values].sort((a, b) => a - b)) this.enqueue("message", d.control, v, false, -1, d.name, d, false);
    }
  }

  /** Procedures stored into a structure field that the system calls at hardware-interrupt time. */
  private interruptProcs(): { entry: number; field: string }[] {
    const fields = new Set(interruptTimeFields().map((f) => f.toUpperCase()));
    const out: { entry: number; field: string }[] = [];
    if (fields.size === 0) return out;
    const stores = this.p.scan.immediateStores;
    for (let k = 0; k < stores.length; k++) {
      const i = stores[k]!;
      const b = this.instrs[i]!.b;
      const target = b?.kind === "imm" ? this.p.indexOfAddress(b.value) : -1;
      if (target < 0) continue;
      const field = namesIn(this.p.items[i]!.operands[0] ?? null).find((n) => fields.has(n.toUpperCase()));
      if (field) out.push({ entry: target, field });
    }
    const data = this.p.front.data;
    for (let d = 0; d < data.length; d++) {
      const item = data[d]!;
      const struc = item.struc;
      if (!struc) continue;
      for (const f of struc.fields) {
        if (!fields.has(f.name.toUpperCase()) || f.size !== 4) continue;
        for (let k = 0; k * struc.size < Math.max(item.byteLength, struc.size); k++) {
          const target = this.p.indexOfAddress(this.readData(item.address + k * struc.size + f.offset) ?? 0);
          if (target >= 0) out.push({ entry: target, field: f.name });
        }
      }
    }
    return out;
  }

  /**
   * Runs the code from `entry` with `state` (in context `ctx`); returns the state after it returns
   * (ESP past the return address), or null if it never returns. With `observe`, records facts.
   */
  private analyze(entry: number, state: State, ctx: Ctx, rootFrame: boolean, observe: boolean): State | null {
    // Activations of one entry in this context, found by comparing entry states (no string keys).
    const slot = entry * 2 + (rootFrame ? 1 : 0);
    let variants = this.memo.get(slot);
    if (!variants) this.memo.set(slot, (variants = { list: [], widened: null }));
    let act = activationFor(variants.list, state, rootFrame);
    if (!act && variants.list.length >= MAX_VARIANTS) {
      const w = variants.widened ? State.join(variants.widened, state) : widen(state);
      w.adoptSlots(state.slots);
      variants.widened = w;
      state = w;
      act = activationFor(variants.list, state, rootFrame);
    }
    if (act) {
      if (act.inProgress) return opaqueExit(state);
      if (!observe || act.observed) return act.exit;
    } else {
      act = { entry: state, exit: null, inProgress: false, observed: false };
      variants.list.push(act);
    }
    act.inProgress = true;
    try {
      if (this.acyclic(entry)) {
        // No jump goes backwards: one pass in instruction order sees every block with its final state.
        this.forwardPass(entry, state, ctx, rootFrame, act, observe);
        if (observe) act.observed = true;
      } else if (observe && this.staysInside(this.p.procOf[entry]!)) {
        act.observed = true;
        this.loggedFixpoint(entry, state, ctx, rootFrame, act);
      } else {
        const { inStates } = this.fixpoint(entry, state, ctx, rootFrame, act, null);
        if (observe) {
          act.observed = true;
          this.observe(entry, inStates, ctx, rootFrame);
        }
      }
    } finally {
      act.inProgress = false;
    }
    return act.exit;
  }

  private acyclic(entry: number): boolean {
    const procIndex = this.p.procOf[entry]!;
    if (procIndex < 0) return false;
    if (this.forwardOnly[procIndex] === UNKNOWN) this.forwardOnly[procIndex] = forwardKind(this.p, this.p.procs[procIndex]!, (addr) => this.readData(addr));
    const kind = this.forwardOnly[procIndex];
    return kind === FORWARD_ALWAYS || (kind === FORWARD_FROM_START && entry === this.p.procs[procIndex]!.start);
  }

  private staysInside(procIndex: number): boolean {
    if (procIndex < 0) return false;
    if (this.selfContained[procIndex] === UNKNOWN) this.selfContained[procIndex] = isSelfContained(this.p, this.p.procs[procIndex]!) ? 1 : 0;
    return this.selfContained[procIndex] === 1;
  }

  /** The fixpoint of code whose jumps all go forwards: each block once, in order. */
  private forwardPass(entry: number, state: State, ctx: Ctx, rootFrame: boolean, act: Activation, observe: boolean): void {
    // The walk changes the state it is given; the entry state stays as the activation's key.
    const run = new ForwardRun(entry, state.clone(), this.p.procOf[entry]!, ctx, rootFrame);
    while (!run.done) {
      const start = run.nextStart();
      this.walk(start, run.takeNext(), run, observe);
    }
    act.exit = run.exit;
  }

  /** Finds the blocks' final states; with `log`, every walk records its facts there. False if it gave up. */
  private fixpoint(entry: number, state: State, ctx: Ctx, rootFrame: boolean, act: Activation, log: FactLog | null): { inStates: Map<number, State>; complete: boolean } {
    const run = new FixpointRun(entry, state, this.p.procOf[entry]!, ctx, rootFrame);
    let steps = 0;
    let complete = true;
    while (run.work.length) {
      const start = run.work.pop()!;
      if (++steps > MAX_STEPS) {
        run.leave(opaqueExit(state));
        complete = false;
        break;
      }
      if (log) {
        const extent = log.begin();
        this.walk(start, run.inStates.get(start)!.clone(), run, true);
        log.end(start, extent);
      } else this.walk(start, run.inStates.get(start)!.clone(), run, false);
    }
    act.exit = run.exit;
    return { inStates: run.inStates, complete };
  }

  /**
   * The fixpoint of code with loops that never leaves its procedure (no calls, no jumps out): its
   * walks record their facts in a log, replayed once the fixpoint is reached, instead of walking
   * every block again to observe it.
   */
  private loggedFixpoint(entry: number, state: State, ctx: Ctx, rootFrame: boolean, act: Activation): void {
    const facts = this.facts;
    this.facts = this.factLog.facts;
    this.logging = true;
    let result: { inStates: Map<number, State>; complete: boolean };
    try {
      result = this.fixpoint(entry, state, ctx, rootFrame, act, this.factLog);
    } finally {
      this.facts = facts;
      this.logging = false;
    }
    if (result.complete) this.factLog.replay(facts, (cb) => this.scheduleCallback(cb.site, cb.service, cb.entry, cb.eax, cb.ecx, cb.ctx));
    else {
      this.factLog.clear();
      this.observe(entry, result.inStates, ctx, rootFrame);
    }
  }

  private observe(entry: number, inStates: Map<number, State>, ctx: Ctx, rootFrame: boolean): void {
    const run = new ObserveRun(this.p.procOf[entry]!, ctx, rootFrame);
    const starts = [...inStates.keys()].sort((a, b) => a - b);
    for (const start of starts) this.walk(start, inStates.get(start)!.clone(), run, true);
  }

  /** Control moves to `t` with state `st`: an edge inside the procedure, or a tail jump out of it. */
  private go(site: number, t: number, st: State, run: Run, observe: boolean): void {
    if (t < 0 || t >= this.instrs.length) return;
    if (this.p.procOf[t] === run.procIndex) run.edge(t, st);
    else {
      if (observe) this.facts.calls.push({ site, target: t, ctx: run.ctx, tail: true });
      const out = this.analyze(t, st, run.ctx, run.rootFrame, observe);
      if (out) run.leave(out);
    }
  }

  /** Runs one basic block from `start`; hands each successor state to `run.edge` and each return to `run.leave`. */
  private walk(start: number, s: State, run: Run, observe: boolean): void {
    const ctx = run.ctx;
    const rootFrame = run.rootFrame;
    const proc = this.p.procs[run.procIndex];
    const end = proc ? proc.end : -1;
    const instrs = this.instrs;
    const lead = this.lead;
    // Nested analyses put back the facts they swap (loggedFixpoint) before they return.
    const facts = this.facts;
    let i = start;
    for (;;) {
      const ins = instrs[i]!;
      if (observe) {
        facts.reached[i] = 1;
        if (NOTABLE[ins.op]) facts.notable.push({ index: i, ctx, regs: s.shareRegs() });
      }
      const r = this.step(i, ins, s, ctx, rootFrame, observe);
      if (r === NEXT) {
        const next = i + 1;
        if (next >= end && proc) {
          // Falling off the end of a procedure runs into whatever follows.
          this.go(i, next, s, run, observe);
          return;
        }
        if (next >= instrs.length) return;
        if (lead[next]) {
          run.edge(next, s);
          return;
        }
        i = next;
        continue;
      }
      if (r === STOP) return;
      if (r === RETURN) {
        run.leave(s);
        return;
      }
      if (r === JUMP) {
        this.go(i, this.firstTarget, this.firstState!, run, observe);
        return;
      }
      if (r === FORK) {
        // Both taken out before the first edge: following it may step other code.
        const second = this.secondTarget;
        const secondState = this.secondState!;
        this.go(i, this.firstTarget, this.firstState!, run, observe);
        this.go(i, second, secondState, run, observe);
      }
      return;
    }
  }

  protected call(i: number, target: number, s: State, ctx: Ctx, observe: boolean): StepResult {
    if (observe) this.facts.calls.push({ site: i, target, ctx, tail: false });
    const sp = s.regs[ESP]!;
    const callee = s.clone();
    callee.adoptSlots(NO_SLOTS);
    callee.flags = null;
    callee.ecxDef = -1;
    const shift = sp.k === K_SYM && sp.base === "SP" ? sp.off - 4 : null;
    rebase(callee, shift === null ? null : -shift);
    callee.setReg(ESP, sym("SP", 0));
    const exit = this.analyze(target, callee, ctx, false, observe);
    if (!exit) return STOP;
    // The caller goes on with the callee's exit, its own stack slots, and ESP-relative values moved back.
    s.adoptRegisters(exit);
    rebase(s, shift);
    s.cf = exit.cf;
    s.pending = exit.pending;
    s.df = exit.df;
    s.flags = null;
    s.written = exit.written;
    s.ecxDef = exit.ecxDef;
    return NEXT;
  }

  protected service(i: number, ins: Instr, s: State, ctx: Ctx, rootFrame: boolean, observe: boolean): StepResult {
    const jump = ins.op === Op.VXDJMP;
    const site = this.serviceAt(i, ins);
    if (observe) this.observeServiceCall(i, site, jump, s, ctx);
    const eax = s.regs[EAX]!;
    if (site.effects) this.serviceEffects(i, site.effects, s, ctx, observe);
    else if (site.service && site.service.convention === "c") this.cServiceEffects(i, s, ctx, observe);
    else opaqueServiceEffects(s);
    if (site.returnsHandle) s.setReg(Reg.ESI, handle(i));
    if (site.isSend && eax.k === K_CONST && sendCanFail(eax.n)) {
      s.cf = CF_ANY;
      s.pending = [i];
    }
    if (site.neverReturns) return STOP;
    if (!jump) return NEXT;
    this.returnFrom(i, 4, s, ctx, rootFrame, observe);
    return RETURN;
  }

  /** Records a service call, and the callback it schedules. */
  private observeServiceCall(i: number, site: ServiceSite, jump: boolean, s: State, ctx: Ctx): void {
    this.facts.serviceCalls.push({ index: i, name: site.name, service: site.service, jump, ctx, regs: s.shareRegs(), written: s.written, ecxDef: s.ecxDef });
    const cb = site.cb;
    if (!cb) return;
    const entry = this.callbackEntry(s.regs[Reg.ESI]!);
    if (entry < 0) return;
    const eax = s.regs[EAX]!;
    const ecx = s.regs[ECX]!;
    if (this.logging) this.factLog.callbacks.push({ site: i, service: cb, entry, ctx, eax, ecx });
    else this.scheduleCallback(i, cb, entry, eax, ecx, ctx);
  }

  /** What a service's contract says it changes. */
  private serviceEffects(i: number, effects: ServiceEffects, s: State, ctx: Ctx, observe: boolean): void {
    const regs = effects.regs;
    for (let k = 0; k < regs.length; k++) this.setReg(s, regs[k]!, TOP);
    // Stored on every path: the compiled code then has no store that the services met first never made.
    s.ecxDef = effects.changesEcx ? -1 : s.ecxDef;
    if (effects.flags) {
      this.clobberCf(s, i, ctx, observe, CF_ANY);
      s.flags = null;
    }
  }

  /** A C-convention service: EAX, ECX, EDX and the flags. */
  private cServiceEffects(i: number, s: State, ctx: Ctx, observe: boolean): void {
    this.setReg(s, EAX, TOP);
    this.setReg(s, ECX, TOP);
    this.setReg(s, Reg.EDX, TOP);
    s.ecxDef = -1;
    this.clobberCf(s, i, ctx, observe, CF_ANY);
    s.flags = null;
  }

  /** One ServiceSite per service (or per name no table knows): sites of the same service share it. */
  private readonly siteList: ServiceSite[] = [];
  /** Index in siteList by service (or name). */
  private readonly siteByService = new Map<ServiceInfo | string, number>();
  /** By instruction index: 1 + the index in siteList of the service called there, 0 until looked up. */
  private readonly siteOf: Int32Array;

  /** What a VMMcall/VxDcall calls and does (looked up once per instruction). */
  private serviceAt(i: number, ins: Instr): ServiceSite {
    const known = this.siteOf[i]!;
    if (known > 0) return this.siteList[known - 1]!;
    const name = ins.text ?? "";
    const service = ins.extra === UNKNOWN_SERVICE_ID ? (serviceByName(name) ?? null) : (serviceById(ins.extra) ?? serviceByName(name) ?? null);
    const key = service ?? name;
    let k = this.siteByService.get(key);
    if (k === undefined) {
      k = this.siteList.push(new ServiceSite(name, service)) - 1;
      this.siteByService.set(key, k);
    }
    this.siteOf[i] = k + 1;
    return this.siteList[k]!;
  }

  private callbackEntry(v: AbsVal): number {
    return v.k === K_CONST ? this.p.indexOfAddress(v.n) : -1;
  }

  private scheduleCallback(site: number, cb: CallbackService, entry: number, eax: AbsVal, ecx: AbsVal, ctx: Ctx): void {
    this.facts.callbacks.push({ site, service: cb, entry, ctx, eax, ecx });
    const timed = cb.kind === "priority-event" && ecx.k === K_CONST && (ecx.n & PEF_TIME_OUT) !== 0;
    const kind: CtxKind = cb.kind === "other" ? "other-callback" : cb.kind;
    const created = this.enqueue(kind, entry, null, timed, site, cb.service.name, ctx.device, cb.kind === "async-time-out");
    const from = this.p.procOf[site]!;
    const to = this.p.procOf[entry]!;
    const edgeKey = site * this.p.procs.length + to;
    if (created || !this.edgeKeys.has(edgeKey)) {
      this.edgeKeys.add(edgeKey);
      this.facts.callbackEdges.push({ from, to, kind: "callback", site, via: cb.service.name });
    }
  }
}

// ------------------------------------------------------------------ helpers

/** A service call instruction: the service, and what calling it does, worked out once. */
class ServiceSite {
  readonly name: string;
  readonly cb: CallbackService | undefined;
  /** The registers (and flags) its contract says it changes; null when it has no Uses or outputs. */
  readonly effects: ServiceEffects | null;
  readonly isSend: boolean;
  /** A callback service that hands back a handle in ESI. */
  readonly returnsHandle: boolean;
  readonly neverReturns: boolean;

  constructor(
    text: string,
    readonly service: ServiceInfo | null,
  ) {
    this.name = service?.name ?? text;
    this.cb = service ? callbackService(service.name) : undefined;
    this.effects = service && (service.uses.length || service.outputs.length) ? effectsOf(service) : null;
    this.isSend = service?.name === "System_Control" || service?.name === "Directed_Sys_Control";
    this.returnsHandle = this.cb !== undefined && service !== null && service.outputs.some((o) => o.reg === "ESI");
    this.neverReturns = service !== null && neverReturns(service);
  }
}

/** The registers a service call changes (its Uses line and outputs), and whether it changes the flags. */
interface ServiceEffects {
  readonly regs: readonly number[];
  readonly changesEcx: boolean;
  readonly flags: boolean;
}

const EFFECTS = new Map<ServiceInfo, ServiceEffects>();

function effectsOf(service: ServiceInfo): ServiceEffects {
  let e = EFFECTS.get(service);
  if (e) return e;
  const regs = new Set<number>();
  let flags = false;
  for (const u of [...service.uses, ...service.outputs.map((o) => o.reg)]) {
    const reg = registerByName(u);
    if (reg) regs.add(reg.reg);
    else if (/^(Flags|CF|ZF|SF|OF)$/i.test(u)) flags = true;
  }
  EFFECTS.set(service, (e = { regs: [...regs], changesEcx: regs.has(ECX), flags }));
  return e;
}

/** Some jump of the procedure may go backwards. */
const NOT_FORWARD = 0;
/** No jump of the procedure goes backwards. */
const FORWARD_ALWAYS = 1;
/** No jump goes backwards when the procedure is entered at its start: its indirect jumps are
 *  bounded jump tables, reached only past their bound check. */
const FORWARD_FROM_START = 2;

/** Whether a procedure's jumps all go forwards: NOT_FORWARD, FORWARD_ALWAYS or FORWARD_FROM_START. */
function forwardKind(p: LintProgram, proc: LintProc, readData: (addr: number) => number | null): number {
  const { jumpsBack, indirectJumps } = p.scan;
  let kind = jumpsBack[proc.index] ? NOT_FORWARD : FORWARD_ALWAYS;
  if (kind !== NOT_FORWARD && indirectJumps.length) {
    const jumps = within(indirectJumps, proc.start, proc.end);
    for (let j = 0; j < jumps.length && kind !== NOT_FORWARD; j++) kind = forwardJumpTable(p, proc, jumps[j]!, readData) ? FORWARD_FROM_START : NOT_FORWARD;
  }
  return kind;
}

/** Largest jump table whose entries are checked. */
const MAX_TABLE_ENTRIES = 4096;

/**
 * Is the indirect jump at `i` a bounded jump table (Control_Dispatch's: `cmp r, count` / `jae` /
 * `jmp dword ptr [r*4 + table]`) whose entries all leave the procedure or go forwards? Nothing else
 * in the procedure may jump to the JAE or the JMP, so that `r` is below `count` at the JMP whenever
 * the procedure is run from its start (the analysis then knows `r` exactly or resolves nothing).
 */
function forwardJumpTable(p: LintProgram, proc: LintProc, i: number, readData: (addr: number) => number | null): boolean {
  if (i - 2 < proc.start) return false;
  const jmp = p.instrs[i]!.a;
  const jae = p.instrs[i - 1]!;
  const cmp = p.instrs[i - 2]!;
  if (jmp?.kind !== "mem" || jmp.base !== -1 || jmp.index < 0 || jmp.scale !== 4) return false;
  if (jae.op !== Op.JCC || jae.extra !== Cond.AE) return false;
  if (cmp.op !== Op.CMP || cmp.a?.kind !== "reg" || cmp.a.size !== 4 || cmp.a.reg !== jmp.index || cmp.b?.kind !== "imm") return false;
  const count = cmp.b.value >>> 0;
  if (count > MAX_TABLE_ENTRIES) return false;
  for (let j = proc.start; j < proc.end; j++) {
    const t = p.instrs[j]!.target;
    if ((t === i - 1 || t === i) && p.instrs[j]!.op !== Op.CALL) return false;
  }
  for (let k = 0; k < count; k++) {
    const target = p.indexOfAddress(readData(jmp.disp + k * 4) ?? -1);
    if (target >= 0 && target <= i && p.procOf[target] === proc.index) return false;
  }
  return true;
}

/** Not worked out yet (in a per-procedure cache). */
const UNKNOWN = -1;

/** Whether a procedure's walks stay inside it: no calls, no jumps out, no indirect jumps, no nested procedures, no falling off its end. */
function isSelfContained(p: LintProgram, proc: LintProc): boolean {
  if (proc.start >= proc.end) return false;
  const instrs = p.instrs;
  const last = instrs[proc.end - 1]!.op;
  if (last !== Op.JMP && last !== Op.RET && last !== Op.VXDJMP && last !== Op.HALT) return false;
  for (let i = proc.start; i < proc.end; i++) {
    const ins = instrs[i]!;
    if (ins.op === Op.CALL || ins.op === Op.CALL_INDIRECT || ins.op === Op.JMP_INDIRECT || p.procOf[i] !== proc.index) return false;
    if (ins.target >= 0 && p.procOf[ins.target] !== proc.index) return false;
  }
  return true;
}

function activationFor(list: readonly Activation[], state: State, rootFrame: boolean): Activation | undefined {
  for (let k = 0; k < list.length; k++) if (sameEntry(list[k]!.entry, state, rootFrame)) return list[k];
  return undefined;
}

/** Do two entry states look the same to the code they enter (registers, flags; ESP only in the root frame)? */
function sameEntry(a: State, b: State, rootFrame: boolean): boolean {
  if (a.cf !== b.cf || a.df !== b.df || a.written !== b.written || !samePending(a.pending, b.pending)) return false;
  if (a.regs !== b.regs) for (let r = 0; r < 8; r++) if ((r !== ESP || rootFrame) && !eqVal(a.regs[r]!, b.regs[r]!)) return false;
  return sameVals(a.segs, b.segs);
}

/** Moves every ESP-relative value of a state by `delta` (null: they cannot be expressed, so unknown). */
function rebase(s: State, delta: number | null): void {
  for (let r = 0; r < 8; r++) {
    const v = s.regs[r]!;
    if (v.k === K_SYM && v.base === "SP") s.setReg(r, delta === null ? TOP : sym("SP", v.off + delta));
  }
}

/** A service with no contract in the tables (or one no table knows): lint cannot see what it changes. */
function opaqueServiceEffects(s: State): void {
  for (let r = 0; r < 8; r++) if (r !== ESP && r !== EBP) s.setReg(r, OPAQUE);
  s.written = ALL_WRITTEN;
  s.ecxDef = -1;
  s.cf = CF_ANY;
  s.pending = NO_PENDING;
  s.flags = null;
}

function widen(s: State): State {
  const w = s.clone();
  for (let r = 0; r < 8; r++) if (r !== ESP && w.regs[r]!.k !== K_SYM) w.setReg(r, w.regs[r]!.k === K_OPAQUE ? OPAQUE : TOP);
  return w;
}
