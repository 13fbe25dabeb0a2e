// Running an assembled program on the simulated VMM: the program model of `vmmasm run`.
//
// A file that declares devices has them loaded and booted (Sys_Critical_Init, Device_Init,
// Init_Complete, Sys_VM_Init); the --vms extra VMs are created; each file's top-level code runs
// in the System VM as that file's device; pending events run; the VMs are destroyed and the
// devices shut down (Sys_VM_Terminate, System_Exit, Sys_Critical_Exit, each with its "…2").
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { Layout, REG_NAMES32, Reg, type IrProgram } from "../ir/types.js";
import { Cpu } from "../machine/cpu.js";
import { MachineFault } from "../machine/fault.js";
import type { FlagName } from "../machine/flags.js";
import { Memory } from "../machine/memory.js";
import { builtinDevice, programDevice, userDevice, type RuntimeDevice } from "../vmm/runtime/devices.js";
import { boot, createVm, runClock, shutdown } from "../vmm/runtime/lifecycle.js";
import { scheduleScenario } from "./scenario-runner.js";
import type { Scenario } from "./scenario.js";
import { pendingTimeOuts } from "../vmm/runtime/time-services.js";
import { VmmStop } from "../vmm/runtime/stop.js";
import { hexOf } from "../vmm/runtime/hex.js";
import { Vmm, type TimelineEntry, type ViolationMode } from "../vmm/runtime/vmm.js";
import { faultDiagnostic, issueDiagnostic } from "./fault-diagnostic.js";

export type RegisterName = (typeof REG_NAMES32)[number];

export interface RunOptions {
  /** Instruction bound for the whole run (default 10,000,000). */
  readonly maxSteps?: number;
  /** VMs to create besides the System VM. */
  readonly vms?: number;
  readonly onViolation?: ViolationMode;
  /** Registers when the top-level code starts (after boot). */
  readonly registers?: Partial<Record<RegisterName, number>>;
  /** Flags when the top-level code starts. */
  readonly flags?: Partial<Record<FlagName, boolean | 0 | 1>>;
  /** Bytes written into memory before anything runs. */
  readonly memory?: readonly { readonly address: number; readonly bytes: ArrayLike<number> }[];
  /** Called before every instruction (for --trace). */
  readonly onStep?: (cpu: Cpu, index: number) => void;
  readonly onTimeline?: (entry: TimelineEntry) => void;
  /** Receives debug output as it is written. */
  readonly onOutput?: (text: string) => void;
  /** Bytes of simulated memory (default 16 MiB). It must hold the VMM's structures, the program's data
   *  image (from Layout.DATA_BASE) and a stack above it; runProgram throws a RangeError saying what
   *  is needed when it cannot. */
  readonly memorySize?: number;
  /** Stack checks (default on). */
  readonly checkStack?: boolean;
  /** Top of the stack (initial ESP before the VMM's return address is pushed) and its size. */
  readonly stackTop?: number;
  readonly stackSize?: number;
  /** Skip the device boot and shutdown broadcasts (the conformance runner's bare machine). */
  readonly bare?: boolean;
  /** What happens during the run: VMs, IRQs, focus changes, closes, how long the clock runs. */
  readonly scenario?: Scenario;
  /** How long the clock may run when nothing says (default 10,000 ms). */
  readonly horizon?: number;
}

export type RunStatus = "ok" | "fault" | "violation";

export interface RunResult {
  readonly status: RunStatus;
  readonly diagnostics: readonly Diagnostic[];
  /** Everything Trace_Out, Debug_Out and Out_Debug_String wrote. */
  readonly output: string;
  readonly registers: Readonly<Record<RegisterName, number>>;
  readonly flags: Readonly<Record<FlagName, 0 | 1>>;
  readonly eflags: number;
  readonly steps: number;
  readonly vms: readonly { readonly id: number; readonly handle: number; readonly state: string }[];
  readonly currentVm: number;
  readonly devices: readonly { readonly name: string; readonly id: number; readonly initOrder: number; readonly loaded: boolean }[];
  readonly pendingEvents: readonly { readonly handle: number; readonly kind: string; readonly vm: number; readonly callback: number }[];
  readonly pendingTimeOuts: readonly { readonly handle: number; readonly kind: string; readonly due: number }[];
  /** Simulated time at the end, in ms. */
  readonly time: number;
  readonly timeline: readonly TimelineEntry[];
  readonly cpu: Cpu;
  readMemory(address: number, length: number): Uint8Array;
  readDword(address: number): number;
}

const FLAG_NAMES: readonly FlagName[] = ["cf", "pf", "af", "zf", "sf", "of", "df", "if"];

/** The standard devices the simulation models in TypeScript; they take part in every broadcast. */
const BUILTIN_DEVICES = ["VMM", "VPICD", "VTD", "DOSMGR", "SHELL"] as const;

/** Loads the built-in devices, the program's declared devices and a device for each file of top-level code (the REPL uses it too). */
export function registerDevices(vmm: Vmm, program: IrProgram): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const list: RuntimeDevice[] = BUILTIN_DEVICES.map((name, i) => builtinDevice(name, i));
  program.devices.forEach((d, i) => list.push(userDevice(d, i + 1)));
  const filesWithDevices = new Set(program.devices.map((d) => d.span.file));
  for (const e of program.entries) if (!filesWithDevices.has(e.file)) list.push(programDevice(e.file, list.length));
  for (const [i, dev] of list.entries()) {
    const clash = list.slice(0, i).find((o) => o.name === dev.name || (dev.id !== 0 && o.id === dev.id));
    if (clash) {
      const what = clash.name === dev.name ? `name ${dev.name}` : `device ID ${dev.id.toString(16).toUpperCase()}h`;
      problems.push(diag("device-clash", dev.decl?.span ?? null, `device ${dev.name} has the same ${what} as ${clash.builtin ? "the built-in device " : "device "}${clash.name}`, clash.decl ? { related: [{ span: clash.decl.span, message: "the other one is declared here" }] } : {}));
      continue;
    }
    vmm.devices.push(dev);
  }
  return problems;
}

export function runProgram(program: IrProgram, options: RunOptions = {}): RunResult {
  const vmm = new Vmm(program, { ...(options.vms !== undefined ? { vms: options.vms } : {}), ...(options.onViolation ? { onViolation: options.onViolation } : {}), ...(options.onTimeline ? { onTimeline: options.onTimeline } : {}), ...(options.onOutput ? { onOutput: options.onOutput } : {}) });
  const memory = new Memory(checkedMemorySize(program, options.memorySize));
  const cpu = new Cpu(program, {
    memory,
    host: vmm,
    ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.checkStack !== undefined ? { checkStack: options.checkStack } : {}),
    ...(options.stackTop !== undefined ? { stackTop: options.stackTop } : {}),
    ...(options.stackSize !== undefined ? { stackSize: options.stackSize } : {}),
  });
  vmm.attach(cpu);
  const diagnostics: Diagnostic[] = registerDevices(vmm, program);
  let status: RunStatus = diagnostics.length ? "violation" : "ok";
  try {
    for (const m of options.memory ?? []) memory.writeBytes(m.address >>> 0, Uint8Array.from(m.bytes));
    if (status === "ok") {
      if (!options.bare) boot(vmm);
      for (let i = 0; i < (options.vms ?? options.scenario?.vms ?? 0); i++) createVm(vmm);
      for (const entry of program.entries) runTopLevel(vmm, entry, options);
      if (program.entries.length === 0 && program.devices.length === 0) {
        diagnostics.push(diag("nothing-to-run", null, "the program has no top-level code and declares no device, so nothing ran"));
      }
      vmm.processEvents();
      vmm.reschedule();
      if (options.scenario) scheduleScenario(vmm, options.scenario);
      if (!options.bare) runClock(vmm, options.scenario?.until ?? options.horizon ?? 10_000);
      // The final state a run reports is the program's, not what the shutdown messages leave.
      const regs = Int32Array.from(cpu.regs);
      const eflags = cpu.getEflags();
      if (!options.bare) shutdown(vmm);
      cpu.regs.set(regs);
      cpu.setEflags(eflags);
    }
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // Guest code and the VMM called each other (VMMcall → a device's control procedure → VMMcall
      // …) until JavaScript's own stack ran out, long before the simulated one would.
      status = "fault";
      const context = vmm.stopContext ?? [];
      const notes = context.length > 4 ? [...context.slice(0, 4), `… and ${context.length - 4} more`] : context;
      diagnostics.push(diag("stack-overflow", null, "calls between the program and the VMM nest too deeply: runaway recursion through a VMM service", { notes, help: "a control procedure or callback that calls a service (such as System_Control) which calls it again needs a condition that ends the recursion" }));
    } else {
      if (!(e instanceof MachineFault)) throw e;
      status = e instanceof VmmStop ? "violation" : "fault";
      // A rule break names its context itself; a machine fault gets the one captured as it unwound.
      diagnostics.push(faultDiagnostic(program, e, e instanceof VmmStop ? [] : (vmm.stopContext ?? [])));
    }
  }
  for (const issue of vmm.issues) diagnostics.push(issueDiagnostic(program, issue));
  if (status === "ok" && vmm.issues.length > 0) status = "violation";
  return buildResult(vmm, cpu, status, diagnostics);
}

/** The memory size asked for, if the program fits in it: a mistake here is the caller's, said plainly. */
function checkedMemorySize(program: IrProgram, size: number | undefined): number {
  if (size === undefined) return Layout.MEMORY_SIZE;
  // The data image, then at least a page of stack above it, below the gap at the top of memory.
  const needed = Layout.DATA_BASE + program.data.bytes.length + MIN_STACK + Layout.STACK_TOP_GAP;
  if (!Number.isInteger(size) || size < needed || size > 0x1_0000_0000) {
    throw new RangeError(`memorySize ${size} cannot hold this program: it needs a whole number of bytes from ${needed} (the data image ends at ${hexOf(Layout.DATA_BASE + program.data.bytes.length)}, and a stack goes above it) to 4 GiB`);
  }
  return size;
}

/** The least stack a program is given room for. */
const MIN_STACK = 0x1000;

function runTopLevel(vmm: Vmm, entry: { file: string; index: number }, options: RunOptions): void {
  const cpu = vmm.cpu;
  // The top-level code is entered as if called by the VMM: a top-level `ret` returns to it.
  cpu.regs.fill(0, 0, 8);
  cpu.regs[Reg.ESP] = cpu.stackTop;
  cpu.push32(cpu.sentinel);
  cpu.regs[Reg.EBP] = vmm.currentVm.clientRegs;
  cpu.setEflags(0x202);
  for (const [name, value] of Object.entries(options.registers ?? {})) {
    const r = REG_NAMES32.indexOf(name as RegisterName);
    if (r >= 0 && value !== undefined) cpu.regs[r] = value | 0;
  }
  for (const [name, value] of Object.entries(options.flags ?? {})) cpu.setFlag(name as FlagName, value === true || value === 1);
  const actor = vmm.devices.find((d) => !d.builtin && d.decl === null && d.name === programDevice(entry.file, 0).name) ?? vmm.devices.find((d) => d.decl?.span.file === entry.file) ?? null;
  vmm.actors.push(actor);
  try {
    cpu.run(entry.index);
  } finally {
    vmm.actors.pop();
  }
}

function buildResult(vmm: Vmm, cpu: Cpu, status: RunStatus, diagnostics: Diagnostic[]): RunResult {
  const registers = Object.fromEntries(REG_NAMES32.map((n, i) => [n, cpu.regs[i]! >>> 0])) as Record<RegisterName, number>;
  const flags = Object.fromEntries(FLAG_NAMES.map((f) => [f, cpu.getFlag(f) ? 1 : 0])) as Record<FlagName, 0 | 1>;
  return {
    status,
    diagnostics,
    output: vmm.output,
    registers,
    flags,
    eflags: cpu.getEflags() >>> 0,
    steps: cpu.steps,
    vms: vmm.vms.map((v) => ({ id: v.id, handle: v.handle >>> 0, state: v.state })),
    currentVm: vmm.currentVm.handle >>> 0,
    devices: vmm.devices.map((d) => ({ name: d.name, id: d.id, initOrder: d.initOrder >>> 0, loaded: d.loaded })),
    pendingEvents: vmm.events.pending().map((e) => ({ handle: e.handle >>> 0, kind: e.kind, vm: e.vm >>> 0, callback: e.callback >>> 0 })),
    pendingTimeOuts: pendingTimeOuts(vmm),
    time: vmm.clock.now,
    timeline: vmm.timeline,
    cpu,
    readMemory: (address, length) => cpu.memory.readBytes(address >>> 0, length),
    readDword: (address) => cpu.memory.read32(address >>> 0) >>> 0,
  };
}
