// The simulated Virtual Machine Manager: the machine's host. It owns the VMs, the loaded devices,
// the event queue and the debug output, answers VMMcall/VxDcall, and drives System_Control.
import type { DiagnosticName } from "../../diagnostics/codes.js";
import { Layout, Reg, type IrProgram, type SourceSpan } from "../../ir/types.js";
import type { Cpu, MachineHost } from "../../machine/cpu.js";
import { serviceById } from "../tables/services.js";
import { formatDebugString, nearestLabel } from "./debug-output.js";
import { EventQueue, type ScheduledEvent } from "./events.js";
import { VmmHeap } from "./heap.js";
import { SERVICE_HANDLERS } from "./services.js";
import { VmmStop } from "./stop.js";
import { createVm, setVmStatus, type VirtualMachine } from "./vm.js";
import type { RuntimeDevice } from "./devices.js";

export type ViolationMode = "stop" | "report";

export interface VmmOptions {
  /** VMs to create after boot, besides the System VM. */
  readonly vms?: number;
  /** A DDK rule break stops the run ("stop", the default) or is reported and the run goes on. */
  readonly onViolation?: ViolationMode;
  /** Receives each timeline entry as it happens (for --trace vmm). */
  readonly onTimeline?: (entry: TimelineEntry) => void;
  /** Receives debug output as it is written (Trace_Out, Debug_Out, Out_Debug_String). */
  readonly onOutput?: (text: string) => void;
}

export interface TimelineEntry {
  /** Instructions executed so far: the simulation's clock until time is modelled. */
  readonly step: number;
  readonly kind: "broadcast" | "control" | "vm" | "event" | "switch" | "device" | "service";
  readonly text: string;
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

export class Vmm implements MachineHost {
  cpu!: Cpu;
  readonly heap = new VmmHeap();
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
  readonly handling: { device: string; message: string }[] = [];
  /** The delivery context when the run stopped, captured before it unwound. */
  stopContext: string[] | null = null;
  /** > 0 while simulated hardware-interrupt code runs (Get_VMM_Reenter_Count). */
  reenterCount = 0;
  private nextVmId = 1;
  readonly onViolation: ViolationMode;

  constructor(
    readonly program: IrProgram,
    readonly options: VmmOptions = {},
  ) {
    this.onViolation = options.onViolation ?? "stop";
  }

  attach(cpu: Cpu): void {
    this.cpu = cpu;
    this.sysVm = this.newVm();
    this.sysVm.state = "running";
    setVmStatus(cpu.memory, this.sysVm, "VMStat_Creating", false);
    this.currentVm = this.sysVm;
  }

  newVm(): VirtualMachine {
    const vm = createVm(this.cpu.memory, this.heap, this.nextVmId++);
    this.vms.push(vm);
    return vm;
  }

  vmByHandle(handle: number): VirtualMachine | undefined {
    return this.vms.find((v) => v.handle >>> 0 === handle >>> 0 && v.state !== "destroyed");
  }

  get actor(): RuntimeDevice | null {
    return this.actors[this.actors.length - 1] ?? null;
  }

  log(kind: TimelineEntry["kind"], text: string): void {
    const entry = { step: this.cpu.steps, kind, text };
    this.timeline.push(entry);
    this.options.onTimeline?.(entry);
  }

  /** A DDK rule break: stop the run, or record it and go on, as the options say. */
  violation(name: DiagnosticName, message: string, site: number, help?: string, notes: readonly string[] = [], span: SourceSpan | null = null): void {
    if (this.onViolation === "stop") throw new VmmStop(name, message, help, notes, span);
    this.issues.push({ name, message, site, span, notes: [...notes, ...this.context()], ...(help ? { help } : {}) });
  }

  /** "while device X handled Y" lines, innermost first. */
  context(): string[] {
    return [...this.handling].reverse().map((h) => `while device ${h.device} handled ${h.message}`);
  }

  // ---------------------------------------------------------------- MachineHost

  vxdcall(cpu: Cpu, serviceId: number, site: number): void {
    const service = serviceById(serviceId >>> 0);
    if (!service) throw new VmmStop("unknown-service", `no loaded device provides service ${(serviceId >>> 0).toString(16).toUpperCase()}h`);
    const handler = SERVICE_HANDLERS.get(service.name);
    if (!handler) {
      throw new VmmStop("service-not-simulated", `service ${service.name} is not simulated`, "vmmasm models the services its documentation lists; this one is in the VMM table but has no model yet", [
        service.summary ? `${service.name}: ${service.summary}` : `${service.name} is VMM service ${service.index.toString(16).toUpperCase()}h`,
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

  /** Calls an event callback with the DDK's registers and checks the contract on return. */
  callEventCallback(ev: ScheduledEvent, vm: VirtualMachine): void {
    const cpu = this.cpu;
    const saved = this.saveRegisters();
    const flags = cpu.getEflags();
    cpu.regs[Reg.EBX] = vm.handle;
    cpu.regs[Reg.EDX] = ev.refData;
    cpu.regs[Reg.EBP] = vm.clientRegs;
    cpu.setFlag("df", false);
    cpu.setFlag("if", true);
    const ebp = cpu.regs[Reg.EBP]!;
    const esp = cpu.regs[Reg.ESP]!;
    const owner = this.devices.find((d) => d.name === ev.owner) ?? null;
    this.callGuest(ev.callback, owner);
    const broken: string[] = [];
    if (cpu.regs[Reg.EBP] !== ebp) broken.push(`EBP (${hexOf(ebp)} on entry, ${hexOf(cpu.regs[Reg.EBP]!)} on return)`);
    if (cpu.regs[Reg.ESP] !== esp) broken.push(`ESP (${hexOf(esp)} on entry, ${hexOf(cpu.regs[Reg.ESP]!)} on return)`);
    if (cpu.getFlag("df")) broken.push("DF is set on return (it must be clear)");
    if (!cpu.getFlag("if")) broken.push("interrupts are disabled on return (they must be enabled)");
    if (broken.length > 0) {
      this.violation(
        "callback-contract",
        `event callback ${nearestLabel(this.program, ev.callback >>> 0)} broke its register contract: ${broken.join("; ")}`,
        ev.site,
        "an event callback may change EAX, EBX, ECX, EDX, ESI and EDI only; save anything else it uses and restore it before ret",
      );
    }
    this.restoreRegisters(saved);
    cpu.setEflags(flags);
  }

  // ---------------------------------------------------------------- events

  /** Runs pending events, as the VMM does before it returns to a VM. */
  processEvents(): void {
    for (let ev = this.events.next(); ev; ev = this.events.next()) {
      let vm = this.currentVm;
      if (ev.kind === "vm") {
        const target = this.vmByHandle(ev.vm);
        if (!target) {
          ev.state = "cancelled";
          this.log("event", `event ${hexOf(ev.handle)} dropped: its VM ${hexOf(ev.vm)} no longer exists`);
          continue;
        }
        if (target !== this.currentVm) this.switchTo(target);
        vm = target;
      }
      ev.state = "ran";
      this.log("event", `run ${ev.kind} event ${hexOf(ev.handle)} → ${nearestLabel(this.program, ev.callback >>> 0)} in VM ${vm.id}`);
      this.callEventCallback(ev, vm);
    }
  }

  switchTo(vm: VirtualMachine): void {
    this.log("switch", `task switch: VM ${this.currentVm.id} → VM ${vm.id}`);
    this.currentVm = vm;
  }
}

export function hexOf(v: number): string {
  return `${(v >>> 0).toString(16).toUpperCase().padStart(8, "0")}h`;
}

export { Layout };
