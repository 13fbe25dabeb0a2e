// The simulated Virtual Machine Manager: the machine's host. It owns the VMs, the loaded devices,
// the clock, the event queue and the debug output, answers VMMcall/VxDcall, and drives
// System_Control.
import type { DiagnosticName } from "../../diagnostics/codes.js";
import { Reg, type IrProgram, type SourceSpan } from "../../ir/types.js";
import type { Cpu, MachineHost } from "../../machine/cpu.js";
import { INTERRUPT_SIMULATION_SERVICES, serviceById, type ServiceInfo } from "../tables/services.js";
import type { MessageInfo } from "../tables/messages.js";
import { Clock } from "./clock.js";
import { formatDebugString, nearestLabel } from "./debug-output.js";
import type { RuntimeDevice } from "./devices.js";
import { EventQueue, type ScheduledEvent } from "./events.js";
import { VmmHeap } from "./heap.js";
import { SERVICE_HANDLERS } from "./service-registry.js";
import { hexOf } from "./hex.js";
import { VmmStop } from "./stop.js";
import { boost, pef } from "./tables-access.js";
import { clientInterruptsEnabled, createVm, setVmStatus, type VirtualMachine } from "./vm.js";
import "./services.js";
import "./event-services.js";
import "./time-services.js";
import "./vpicd.js";
import "./client-state.js";
import "./shell.js";

export type ViolationMode = "stop" | "report";

export interface VmmOptions {
  /** A DDK rule break stops the run ("stop", the default) or is reported and the run goes on. */
  readonly onViolation?: ViolationMode;
  /** Receives each timeline entry as it happens (for --trace vmm). */
  readonly onTimeline?: (entry: TimelineEntry) => void;
  /** Receives debug output as it is written (Trace_Out, Debug_Out, Out_Debug_String). */
  readonly onOutput?: (text: string) => void;
}

export type TimelineKind = "broadcast" | "control" | "vm" | "event" | "switch" | "device" | "service" | "timeout" | "irq" | "scenario";

export interface TimelineEntry {
  /** Simulated time in milliseconds. */
  readonly time: number;
  /** Instructions executed so far. */
  readonly step: number;
  readonly kind: TimelineKind;
  readonly text: string;
  /** The VM the entry concerns (its id), and the device, where there is one: lanes of --trace-out. */
  readonly vm: number | null;
  readonly device: string | null;
}

/** A diagnostic found while running, located by instruction index (or a span for VMM-side ones). */
export interface RuntimeIssue {
  readonly name: DiagnosticName;
  readonly message: string;
  readonly site: number;
  readonly span: SourceSpan | null;
  readonly help?: string;
  readonly notes: readonly string[];
}

const GENERAL = [Reg.EAX, Reg.ECX, Reg.EDX, Reg.EBX, Reg.ESP, Reg.EBP, Reg.ESI, Reg.EDI] as const;

/** Whether a service may be called at interrupt time: the table says (VPICD's services are marked
 *  there, except VPICD_Virtualize_IRQ, whose page says it is not asynchronous). */
function asyncAllowed(s: ServiceInfo): boolean {
  return s.async === true;
}

export class Vmm implements MachineHost {
  cpu!: Cpu;
  readonly heap = new VmmHeap();
  readonly clock = new Clock();
  readonly events = new EventQueue(this.heap);
  readonly vms: VirtualMachine[] = [];
  readonly devices: RuntimeDevice[] = [];
  readonly issues: RuntimeIssue[] = [];
  readonly timeline: TimelineEntry[] = [];
  output = "";
  sysVm!: VirtualMachine;
  currentVm!: VirtualMachine;
  /** Devices whose code is running, innermost last (who is calling a service). */
  readonly actors: (RuntimeDevice | null)[] = [];
  /** Messages being delivered, outermost first (for "while device X handled Y" notes). */
  readonly handling: { device: string; message: string; info?: MessageInfo | null }[] = [];
  /** The delivery context when the run stopped, captured before it unwound. */
  stopContext: string[] | null = null;
  /** > 0 while simulated hardware-interrupt code runs (Get_VMM_Reenter_Count). */
  reenterCount = 0;
  /** The critical section: its owner and claim count. */
  critOwner: VirtualMachine | null = null;
  critCount = 0;
  /** Callbacks waiting for the critical section to be free (Call_When_Not_Critical). */
  readonly notCritical: { callback: number; refData: number; owner: RuntimeDevice | null; site: number }[] = [];
  /** State of the service modules (time-outs, VPICD's IRQs …), by module. It lives here, not in
   *  module-level maps, so that all the VMM holds is reachable from the Vmm (the REPL's undo walks it). */
  readonly moduleState = new Map<string, unknown>();
  private nextVmId = 1;
  readonly onViolation: ViolationMode;

  constructor(
    readonly program: IrProgram,
    readonly options: VmmOptions = {},
  ) {
    this.onViolation = options.onViolation ?? "stop";
  }

  /** A service module's state, created on first use. */
  stateOf<T>(module: string, create: () => T): T {
    if (!this.moduleState.has(module)) this.moduleState.set(module, create());
    return this.moduleState.get(module) as T;
  }

  attach(cpu: Cpu): void {
    this.cpu = cpu;
    this.sysVm = this.newVm();
    this.sysVm.state = "running";
    setVmStatus(cpu.memory, this.sysVm, "VMStat_Creating", false);
    setVmStatus(cpu.memory, this.sysVm, "VMStat_PM_Exec", true);
    this.currentVm = this.sysVm;
  }

  newVm(): VirtualMachine {
    const vm = createVm(this.cpu.memory, this.heap, this.nextVmId++, this.clock.now);
    this.vms.push(vm);
    return vm;
  }

  vmByHandle(handle: number): VirtualMachine | undefined {
    return this.vms.find((v) => v.handle >>> 0 === handle >>> 0 && v.state !== "destroyed");
  }

  vmById(id: number): VirtualMachine | undefined {
    return this.vms.find((v) => v.id === id && v.state !== "destroyed");
  }

  deviceByName(name: string): RuntimeDevice | undefined {
    return this.devices.find((d) => d.name === name.toUpperCase());
  }

  get actor(): RuntimeDevice | null {
    return this.actors[this.actors.length - 1] ?? null;
  }

  log(kind: TimelineKind, text: string, vm: VirtualMachine | null = null, device: string | null = null): void {
    const entry: TimelineEntry = { time: this.clock.now, step: this.cpu.steps, kind, text, vm: vm?.id ?? null, device };
    this.timeline.push(entry);
    this.options.onTimeline?.(entry);
  }

  /** A DDK rule break: stop the run, or record it and go on, as the options say. */
  violation(name: DiagnosticName, message: string, site: number, help?: string, notes: readonly string[] = [], span: SourceSpan | null = null): void {
    if (this.onViolation === "stop") throw new VmmStop(name, message, help, [...notes, ...this.context()], span);
    this.issues.push({ name, message, site, span, notes: [...notes, ...this.context()], ...(help ? { help } : {}) });
  }

  /** "while device X handled Y" lines, innermost first. */
  context(): string[] {
    const lines = [...this.handling].reverse().map((h) => `while device ${h.device} handled ${h.message}`);
    if (this.reenterCount > 0) lines.unshift("at hardware-interrupt time");
    return lines;
  }

  // ---------------------------------------------------------------- MachineHost

  vxdcall(cpu: Cpu, serviceId: number, site: number): void {
    const service = serviceById(serviceId >>> 0);
    if (!service) throw new VmmStop("unknown-service", `no loaded device provides service ${(serviceId >>> 0).toString(16).toUpperCase()}h`);
    if (this.reenterCount > 0 && !asyncAllowed(service)) {
      this.violation(
        "non-async-at-interrupt-time",
        `${service.name} is not an asynchronous service, but it was called at hardware-interrupt time`,
        site,
        "at interrupt time call only asynchronous services; schedule an event and do the rest in its callback",
      );
    }
    const message = this.handling[this.handling.length - 1]?.info;
    if (INTERRUPT_SIMULATION_SERVICES.includes(service.name) && message && message.maySimulateInt === false) {
      this.violation(
        "simulate-int-forbidden",
        `${service.name} called while handling ${message.name}, during which the DDK forbids simulating interrupts`,
        site,
        "simulate interrupts during Device_Init, Init_Complete, VM_Init, VM_Terminate or Sys_VM_Terminate instead",
      );
    }
    const handler = SERVICE_HANDLERS.get(service.name);
    if (!handler) {
      throw new VmmStop("service-not-simulated", `service ${service.name} is not simulated`, "vmmasm models the services its documentation lists; this one is in the service table but has no model yet", [
        service.summary ? `${service.name}: ${service.summary}` : `${service.name} is ${service.device} service ${service.index.toString(16).toUpperCase()}h`,
      ]);
    }
    handler(this, cpu, site);
  }

  traceOut(cpu: Cpu, text: string): void {
    this.write(formatDebugString(text, cpu) + "\n");
  }

  interrupt(_cpu: Cpu, vector: number): void {
    throw new VmmStop("trap", `INT ${vector.toString(16).toUpperCase()}h is not simulated; call VMM services with VMMcall`);
  }

  write(text: string): void {
    this.output += text;
    this.options.onOutput?.(text);
  }

  // ---------------------------------------------------------------- calling guest code

  /** Runs guest code at `address` as `actor`, with every register the VMM sets already set. */
  callGuest(address: number, actor: RuntimeDevice | null): void {
    this.actors.push(actor);
    try {
      this.cpu.callGuest(address);
    } finally {
      this.actors.pop();
    }
  }

  saveRegisters(): Int32Array {
    return Int32Array.from(this.cpu.regs);
  }

  restoreRegisters(saved: Int32Array, except: readonly Reg[] = []): void {
    for (const r of GENERAL) if (!except.includes(r)) this.cpu.regs[r] = saved[r]!;
  }

  /**
   * Calls a callback the way the VMM calls event and time-out callbacks: EBX = the VM, EDX = the
   * reference data, EBP → that VM's Client_Reg_Struc, interrupts enabled, DF clear, plus `extra`
   * registers; on return checks the contract (EBP and ESP as on entry, DF clear, IF set). The
   * caller's registers and flags are restored afterwards.
   */
  callCallback(what: string, callback: number, vm: VirtualMachine, refData: number, owner: string, site: number, extra: (cpu: Cpu) => void = () => {}): void {
    const cpu = this.cpu;
    const saved = this.saveRegisters();
    const flags = cpu.getEflags();
    cpu.regs[Reg.EBX] = vm.handle;
    cpu.regs[Reg.EDX] = refData;
    cpu.regs[Reg.EBP] = vm.clientRegs;
    cpu.setFlag("df", false);
    cpu.setFlag("if", true);
    extra(cpu);
    const ebp = cpu.regs[Reg.EBP]!;
    const esp = cpu.regs[Reg.ESP]!;
    const device = this.devices.find((d) => d.name === owner) ?? null;
    this.callGuest(callback, device);
    const broken: string[] = [];
    if (cpu.regs[Reg.EBP] !== ebp) broken.push(`EBP (${hexOf(ebp)} on entry, ${hexOf(cpu.regs[Reg.EBP]!)} on return)`);
    if (cpu.regs[Reg.ESP] !== esp) broken.push(`ESP (${hexOf(esp)} on entry, ${hexOf(cpu.regs[Reg.ESP]!)} on return)`);
    if (cpu.getFlag("df")) broken.push("DF is set on return (it must be clear)");
    if (!cpu.getFlag("if")) broken.push("interrupts are disabled on return (they must be enabled)");
    if (broken.length > 0) {
      this.violation(
        "callback-contract",
        `${what} ${nearestLabel(this.program, callback >>> 0)} broke its register contract: ${broken.join("; ")}`,
        site,
        "a callback may change EAX, EBX, ECX, EDX, ESI and EDI only; save anything else it uses and restore it before ret",
        [],
        // The callback has returned, so no instruction is running: the service call that set it up is the place.
        this.program.spans[site] ?? null,
      );
    }
    this.restoreRegisters(saved);
    cpu.setEflags(flags);
  }

  callEventCallback(ev: ScheduledEvent, vm: VirtualMachine, timedOut = false): void {
    const withCarry = (ev.flags & pef("PEF_Time_Out")) !== 0;
    this.callCallback("event callback", ev.callback, vm, ev.refData, ev.owner, ev.site, (cpu) => {
      if (withCarry) cpu.setFlag("cf", timedOut);
      if (ev.eax !== undefined) cpu.regs[Reg.EAX] = ev.eax;
    });
  }

  // ---------------------------------------------------------------- events and scheduling

  /** The priority a VM event competes with: its VM's, or the current VM's for a global one. */
  private eventPriority(ev: ScheduledEvent): number {
    const vm = ev.vm ? this.vmByHandle(ev.vm) : this.currentVm;
    return vm?.priority ?? 0;
  }

  /** Whether the event's PEF_Wait_* restrictions are met now. */
  restrictionsMet(ev: Pick<ScheduledEvent, "flags">, vm: VirtualMachine | undefined): boolean {
    const f = ev.flags;
    if (f === 0) return true;
    const target = vm ?? this.currentVm;
    const memory = this.cpu.memory;
    if (f & (pef("PEF_Wait_For_STI") | pef("PEF_Wait_For_Thread_STI")) && !clientInterruptsEnabled(memory, target)) return false;
    if (f & pef("PEF_Wait_Not_Crit")) {
      if (this.critOwner && this.critOwner !== target) return false;
      if (target.priority >= boost("Critical_Section_Boost") && this.critOwner !== target) return false;
    }
    if (f & pef("PEF_Wait_Crit") && this.critOwner && this.critOwner !== this.currentVm) return false;
    if (f & pef("PEF_Wait_In_PM") && target !== this.sysVm) return false;
    return true;
  }

  /** Runs pending events, as the VMM does before it returns to a VM: the most boosted VM's first. */
  processEvents(): void {
    if (this.reenterCount > 0) return;
    for (;;) {
      const runnable = this.events
        .pending()
        .map((ev) => ({ ev, vm: ev.vm ? this.vmByHandle(ev.vm) : undefined }))
        .filter(({ ev, vm }) => {
          if (ev.vm && !vm) {
            ev.state = "cancelled";
            this.log("event", `event ${hexOf(ev.handle)} dropped: its VM ${hexOf(ev.vm)} no longer exists`);
            return false;
          }
          return !(vm && vm.suspended) && this.restrictionsMet(ev, vm);
        });
      if (runnable.length === 0) return;
      const last = pef("PEF_Process_Last");
      runnable.sort((a, b) => Number((a.ev.flags & last) !== 0) - Number((b.ev.flags & last) !== 0) || this.eventPriority(b.ev) - this.eventPriority(a.ev) || a.ev.seq - b.ev.seq);
      const { ev, vm } = runnable[0]!;
      this.runEvent(ev, vm);
    }
  }

  private runEvent(ev: ScheduledEvent, vm: VirtualMachine | undefined): void {
    const target = vm ?? this.currentVm;
    if (vm && vm !== this.currentVm) this.switchTo(vm);
    ev.state = "ran";
    if (ev.timer) ev.timer.cancelled = true;
    const callback = ev.callback ? nearestLabel(this.program, ev.callback >>> 0) : "no callback";
    this.log("event", `run ${ev.kind} event ${hexOf(ev.handle)} → ${callback} in VM ${target.id}`, target, ev.owner);
    ev.onDue?.();
    if (ev.callback) this.callEventCallback(ev, target);
    if (ev.boost && vm && !(ev.flags & pef("PEF_Dont_Unboost"))) this.adjustPriority(vm, -ev.boost, "un-boost after the event");
  }

  /** A priority event's time-out elapsed first: its callback runs now, in the current VM, with CF=1. */
  timeOutEvent(ev: ScheduledEvent): void {
    if (ev.state !== "pending") return;
    ev.state = "timed-out";
    const vm = ev.vm ? this.vmByHandle(ev.vm) : undefined;
    // The boost goes even with PEF_Dont_Unboost.
    if (ev.boost && vm) this.adjustPriority(vm, -ev.boost, "the event timed out");
    this.log("timeout", `priority event ${hexOf(ev.handle)} timed out → ${nearestLabel(this.program, ev.callback >>> 0)} in VM ${this.currentVm.id} with CF=1`, this.currentVm, ev.owner);
    this.callEventCallback(ev, this.currentVm, true);
  }

  adjustPriority(vm: VirtualMachine, delta: number, why: string): void {
    vm.priority = (vm.priority + delta) | 0;
    this.log("vm", `VM ${vm.id} priority ${delta < 0 ? "-" : "+"}${hexOf(Math.abs(delta))} = ${hexOf(vm.priority)} (${why})`, vm);
  }

  /** After events, the VMM returns to the VM with the highest priority (the current one on a tie). */
  reschedule(): void {
    let best = this.currentVm;
    for (const vm of this.vms) if (vm.state === "running" && !vm.suspended && vm.priority > best.priority) best = vm;
    if (best !== this.currentVm) this.switchTo(best);
  }

  switchTo(vm: VirtualMachine): void {
    this.log("switch", `task switch: VM ${this.currentVm.id} → VM ${vm.id}`, vm);
    this.currentVm = vm;
  }

  /** Runs `body` as hardware-interrupt code: Get_VMM_Reenter_Count > 0, Call_*_Event schedules. */
  atInterruptTime(body: () => void): void {
    this.reenterCount++;
    try {
      body();
    } finally {
      this.reenterCount--;
    }
  }

  // ---------------------------------------------------------------- the critical section

  claimCritical(vm: VirtualMachine): void {
    if (this.critOwner && this.critOwner !== vm) {
      throw new VmmStop("would-block", `Begin_Critical_Section in VM ${vm.id} while VM ${this.critOwner.id} owns the critical section: the caller would block`, "the simulation runs device code without threads of its own, so it cannot block it; release the section before the event or callback returns", [`claimed ${this.critCount} time(s) by VM ${this.critOwner.id}`]);
    }
    if (this.critCount === 0) {
      this.critOwner = vm;
      this.adjustPriority(vm, boost("Critical_Section_Boost"), "Begin_Critical_Section");
    }
    this.critCount++;
  }

  releaseCritical(site: number): void {
    if (!this.critOwner || this.critCount === 0) {
      this.violation("critical-section", "End_Critical_Section without a matching Begin_Critical_Section", site, "pair every End_Critical_Section with a Begin_Critical_Section");
      return;
    }
    this.critCount--;
    if (this.critCount > 0) return;
    const owner = this.critOwner;
    this.critOwner = null;
    this.adjustPriority(owner, -boost("Critical_Section_Boost"), "End_Critical_Section");
    this.releaseCriticalWaiters();
  }

  /** Runs the Call_When_Not_Critical callbacks (the critical section is free). */
  releaseCriticalWaiters(): void {
    const waiting = this.notCritical.splice(0);
    for (const w of waiting) {
      this.log("event", `critical section free → ${nearestLabel(this.program, w.callback)}`, this.currentVm, w.owner?.name ?? null);
      this.callCallback("Call_When_Not_Critical callback", w.callback, this.currentVm, w.refData, w.owner?.name ?? "VMM", w.site);
    }
  }
}

export { hexOf };
