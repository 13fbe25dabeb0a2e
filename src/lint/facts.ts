// What lint needs to know about the VMM, read from the fact tables in src/vmm/tables (never
// written again here): which services take a callback and what kind, which Cancel service
// matches which scheduling service, who may send which message, what a service call changes.
import { deviceByName, STANDARD_DEVICES } from "../vmm/tables/devices.js";
import { CALLBACK_CONTRACTS, PEF_FLAGS, type CallbackContract } from "../vmm/tables/events.js";
import { isPrivateMessage, messageByValue, MESSAGES, type MessageInfo, type MessageSender } from "../vmm/tables/messages.js";
import { ALL_SERVICES, serviceByName, type ServiceInfo } from "../vmm/tables/services.js";

export type CallbackKind =
  /** Schedule_/Call_ Global/VM/Thread events: the callback runs at event time. */
  | "event"
  /** Call_Priority_VM_Event / Call_Restricted_Event: flags in ECX (PEF_Time_Out: CF on entry). */
  | "priority-event"
  /** Set_Global_Time_Out / Set_VM_Time_Out: the callback runs at event time. */
  | "time-out"
  /** Set_Async_Time_Out: the callback runs at hardware-interrupt time. */
  | "async-time-out"
  /** Any other service that takes a callback in ESI (Call_When_Not_Critical …). */
  | "other";

export interface CallbackService {
  readonly service: ServiceInfo;
  readonly kind: CallbackKind;
  /** The service that cancels what this one scheduled, if the table has one. */
  readonly cancel: ServiceInfo | null;
}

const takesCallback = (s: ServiceInfo): boolean => s.inputs.some((r) => r.reg === "ESI" && /callback/i.test(r.meaning));
const returnsTimeOut = (s: ServiceInfo): boolean => s.outputs.some((r) => r.reg === "ESI" && /time-out handle/i.test(r.meaning));
const takesPefFlags = (s: ServiceInfo): boolean => s.inputs.some((r) => r.reg === "ECX" && /PEF_/.test(r.meaning));
/** The callback contract of the callbacks a service (or a structure field) installs. */
export function contractInstalledBy(name: string): CallbackContract | undefined {
  const lower = name.toLowerCase();
  return CALLBACK_CONTRACTS.find((c) => c.installedBy.some((n) => n.toLowerCase() === lower));
}

const callbackAtInterruptTime = (s: ServiceInfo): boolean => contractInstalledBy(s.name)?.runsAt === "hardware-interrupt";

/** Structure fields that install a procedure the system calls at hardware-interrupt time (VID_Hw_Int_Proc). */
export function interruptTimeFields(): string[] {
  return CALLBACK_CONTRACTS.filter((c) => c.runsAt === "hardware-interrupt")
    .flatMap((c) => c.installedBy)
    .filter((n) => !serviceByName(n));
}

function cancelOf(s: ServiceInfo, timeOut: boolean): ServiceInfo | null {
  // Each Cancel_XX only cancels what Schedule_XX / Call_XX made (W95DDK:S31D3); time-outs all go
  // to Cancel_Time_Out (VDAG31 Cancel_Time_Out).
  const name = timeOut ? "Cancel_Time_Out" : `Cancel_${s.name.replace(/^(Schedule|Call)_/, "")}`;
  return serviceByName(name) ?? null;
}

let callbackTable: Map<string, CallbackService> | undefined;

function callbacks(): Map<string, CallbackService> {
  if (callbackTable) return callbackTable;
  callbackTable = new Map();
  for (const s of ALL_SERVICES) {
    if (!takesCallback(s)) continue;
    const timeOut = returnsTimeOut(s);
    const kind: CallbackKind = timeOut ? (callbackAtInterruptTime(s) ? "async-time-out" : "time-out") : takesPefFlags(s) ? "priority-event" : /_Event$/.test(s.name) ? "event" : "other";
    const entry = { service: s, kind, cancel: kind === "other" ? null : cancelOf(s, timeOut) };
    callbackTable.set(s.name.toLowerCase(), entry);
    callbackTable.set(s.name, entry);
  }
  return callbackTable;
}

/** The services that take a callback in ESI, by name. */
export function callbackService(name: string): CallbackService | undefined {
  const table = callbacks();
  return table.get(name) ?? table.get(name.toLowerCase());
}

export function allCallbackServices(): CallbackService[] {
  return [...new Set(callbacks().values())];
}

/** A Cancel service and the scheduling services whose handles it takes. */
export function schedulersCancelledBy(cancel: string): ServiceInfo[] {
  return allCallbackServices()
    .filter((c) => c.cancel && c.cancel.name.toLowerCase() === cancel.toLowerCase())
    .map((c) => c.service);
}

let cancelNames: Set<string> | undefined;

export function isCancelService(name: string): boolean {
  cancelNames ??= new Set(allCallbackServices().flatMap((c) => (c.cancel ? [c.cancel.name, c.cancel.name.toLowerCase()] : [])));
  return cancelNames.has(name) || cancelNames.has(name.toLowerCase());
}

export const PEF_TIME_OUT = PEF_FLAGS.find((f) => f.name === "PEF_Time_Out")!.value;

export function pefFlag(name: string): number {
  const f = PEF_FLAGS.find((x) => x.name === name);
  if (!f) throw new Error(`PEF flag ${name} is not in the table`);
  return f.value;
}

const noReturn = new Map<ServiceInfo, boolean>();

/** A service that never returns to its caller (the table's summary says so). */
export function neverReturns(s: ServiceInfo): boolean {
  let r = noReturn.get(s);
  if (r === undefined) noReturn.set(s, (r = /never returns/i.test(s.summary)));
  return r;
}

export const SYSTEM_CONTROL = serviceByName("System_Control")!;
export const DIRECTED_SYS_CONTROL = serviceByName("Directed_Sys_Control")!;

/** Who may send a message, as a device name of the device table (null: any device). */
export function allowedSender(m: MessageInfo): { kind: MessageSender; device: string | null } {
  switch (m.sender) {
    case "shell":
      return { kind: m.sender, device: "SHELL" };
    case "dosmgr":
      return { kind: m.sender, device: "DOSMGR" };
    case "vpowerd":
      return { kind: m.sender, device: "VPOWERD" };
    default:
      return { kind: m.sender, device: null };
  }
}

/** Does a device (name, ID) count as the standard device `standard`? By name, or by its standard ID. */
export function isDevice(name: string | null, id: number | null, standard: string): boolean {
  const d = deviceByName(standard);
  if (name !== null && name.toUpperCase() === standard.toUpperCase()) return true;
  return d !== undefined && id !== null && id !== 0 && id === d.id;
}

export type MessageClass = { kind: "vmm"; info: MessageInfo } | { kind: "private" } | { kind: "invalid" };

export function classifyMessage(value: number): MessageClass {
  const info = messageByValue(value >>> 0);
  if (info) return { kind: "vmm", info };
  if (isPrivateMessage(value >>> 0)) return { kind: "private" };
  return { kind: "invalid" };
}

/** A send whose CF is an answer worth testing: a failable VMM message, or a private one. */
export function sendCanFail(value: number): boolean {
  const c = classifyMessage(value);
  if (c.kind === "private") return true;
  return c.kind === "vmm" && (c.info.failable === "can-fail" || c.info.failable === "conflict");
}

export function messageName(value: number): string {
  const c = classifyMessage(value);
  if (c.kind === "vmm") return c.info.name;
  return `${(value >>> 0).toString(16).toUpperCase()}h`;
}

export const ALL_MESSAGES = MESSAGES;

/** The standard device a service name belongs to by its prefix (`VPICD_Virtualize_IRQ` → VPICD). */
export function deviceOfServiceName(name: string): string | null {
  const bare = name.replace(/^@@/, "").replace(/^_/, "");
  const m = /^([A-Za-z0-9]+)_/.exec(bare);
  if (!m) return null;
  const d = STANDARD_DEVICES.find((x) => x.name.toUpperCase() === m[1]!.toUpperCase());
  return d && d.name.toUpperCase() !== "VMM" ? d.name : null;
}

/** A handler of a message that may not be pageable (vmm-facts §7 rule 8: the tables' summaries say so). */
export function handlerMustNotBePageable(m: MessageInfo): boolean {
  return /not (be )?pageable/i.test(m.summary);
}

export { serviceByName };
export type { MessageInfo, ServiceInfo };
