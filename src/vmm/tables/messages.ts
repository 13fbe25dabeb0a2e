// System_Control messages (vmm-facts §1.1, §1.3). Values are those of the Win95-family vmm.inc;
// 0x35/0x36 come from Win98-era headers whose repository path is UNCONFIRMED.

export type Failability = "can-fail" | "cannot-fail" | "conflict" | "unknown";
export type BroadcastOrder = "init-order" | "reverse-init-order" | "directed";
/** "vmm" covers the VMM and the system VxDs that send on its behalf (VWIN32, VXDLDR, CONFIGMG, VCOMM). */
export type MessageSender = "vmm" | "shell" | "dosmgr" | "vpowerd" | "any-device";

export interface MessageRegister {
  readonly reg: "EBX" | "ESI" | "EDI" | "EDX" | "EAX";
  readonly meaning: string;
}

export interface MessageInfo {
  readonly name: string;
  readonly value: number;
  readonly failable: Failability;
  readonly onFailure: string;
  readonly order: BroadcastOrder;
  readonly sender: MessageSender;
  readonly inputs: readonly MessageRegister[];
  readonly interruptsOnEntry: "enabled" | "disabled" | "unspecified";
  readonly mayEnableInterrupts: boolean;
  readonly maySimulateInt: boolean | null;
  readonly preserves: readonly string[];
  readonly companionOf: string | null;
  readonly since: "3.0" | "3.1" | "3.11" | "4.0" | "4.1";
  readonly summary: string;
  readonly source: string;
}

export const PRIVATE_MESSAGE_FIRST = 0x70000000;
export const PRIVATE_MESSAGE_LAST = 0x7fffffff;
export const MAX_SYSTEM_CONTROL = 0x34;

type Draft = Pick<MessageInfo, "name" | "value" | "since" | "summary" | "source"> & Partial<MessageInfo>;

function message(d: Draft): MessageInfo {
  return {
    failable: "unknown",
    onFailure: "",
    order: "init-order",
    sender: "vmm",
    inputs: [],
    interruptsOnEntry: "unspecified",
    mayEnableInterrupts: true,
    maySimulateInt: null,
    preserves: [],
    companionOf: null,
    ...d,
  };
}

const sysVm: MessageRegister = { reg: "EBX", meaning: "System VM handle" };
const cmdTail: MessageRegister = { reg: "ESI", meaning: "command tail; its first byte is the length" };
const vm: MessageRegister = { reg: "EBX", meaning: "VM handle" };
const newVm: MessageRegister = { reg: "EBX", meaning: "handle of the VM being created" };
const thread: MessageRegister = { reg: "EDI", meaning: "thread handle" };
const cannotFail = { failable: "cannot-fail" } as const;

const BASE_MESSAGES: readonly MessageInfo[] = [
  message({
    name: "Sys_Critical_Init", value: 0x00, since: "3.0", inputs: [sysVm, cmdTail],
    failable: "can-fail", onFailure: "the device is not loaded",
    interruptsOnEntry: "disabled", mayEnableInterrupts: false, maySimulateInt: false,
    summary: "First init phase, run with interrupts off; only set up what must exist before they are enabled.",
    source: "W95DDK:S3442; VMMH95; W30VDAG §17.3.2",
  }),
  message({
    name: "Device_Init", value: 0x01, since: "3.0", inputs: [sysVm, cmdTail],
    failable: "can-fail", onFailure: "the device is unloaded; it must first release everything it claimed",
    maySimulateInt: true,
    summary: "Main init phase; for a dynamically loaded VxD EBX is not a VM handle.",
    source: "W95DDK:S3433; VMMH95",
  }),
  message({
    name: "Init_Complete", value: 0x02, since: "3.0", inputs: [sysVm, cmdTail],
    failable: "can-fail", onFailure: "the device is unloaded", maySimulateInt: true,
    summary: "Last init phase, just before init code/data are discarded and the instance snapshot is taken.",
    source: "W95DDK:S343A; VMMH95",
  }),
  message({
    name: "Sys_VM_Init", value: 0x03, since: "3.0", inputs: [sysVm],
    failable: "conflict",
    onFailure: "sources disagree: the Win 3.1 DDK says Windows exits, the Win 95 DDK says this message cannot be failed",
    maySimulateInt: true,
    summary: "The System VM is being initialised (the VM_Init of the System VM).",
    source: "VDAG31 Sys_VM_Init; W95DDK:S3443; W95DDK:S22FC; VMMH95",
  }),
  message({
    name: "Sys_VM_Terminate", value: 0x04, since: "3.0", inputs: [sysVm], ...cannotFail, maySimulateInt: true,
    summary: "Normal exit only, after every other VM is gone; last chance to lock pageable data.",
    source: "W95DDK:S3444; VMMH95",
  }),
  message({
    name: "System_Exit", value: 0x05, since: "3.0", inputs: [sysVm], ...cannotFail,
    interruptsOnEntry: "enabled", maySimulateInt: false,
    summary: "Windows is leaving (normally or after a crash); the instance snapshot is back; no pageable data.",
    source: "W95DDK:S3446; VMMH95",
  }),
  message({
    name: "Sys_Critical_Exit", value: 0x06, since: "3.0", ...cannotFail,
    interruptsOnEntry: "disabled", mayEnableInterrupts: false, maySimulateInt: false,
    summary: "Final exit phase with interrupts off; the handler must not be pageable.",
    source: "W95DDK:S3440; VDAG31; VMMH95",
  }),
  message({
    name: "Create_VM", value: 0x07, since: "3.0", inputs: [newVm], sender: "shell",
    failable: "can-fail", onFailure: "the VM is not created",
    summary: "First phase of VM creation; the new VM is not running yet.",
    source: "W95DDK:S342C; VDAG31 System_Control",
  }),
  message({
    name: "VM_Critical_Init", value: 0x08, since: "3.0", inputs: [newVm],
    failable: "can-fail", onFailure: "the VM becomes not-executeable and is then destroyed",
    interruptsOnEntry: "disabled", mayEnableInterrupts: false, maySimulateInt: false,
    summary: "Second phase of VM creation, interrupts off.",
    source: "W95DDK:S344B; VMMH95",
  }),
  message({
    name: "VM_Init", value: 0x09, since: "3.0", inputs: [newVm],
    failable: "can-fail", onFailure: "the VM becomes not-executeable and is then destroyed",
    interruptsOnEntry: "enabled", maySimulateInt: true,
    summary: "Third phase of VM creation; the device may run code inside the new VM.",
    source: "W95DDK:S344C; VMMH95",
  }),
  message({
    name: "VM_Terminate", value: 0x0a, since: "3.0", inputs: [vm], ...cannotFail, maySimulateInt: true,
    summary: "First phase of a normal VM termination.",
    source: "VDAG31 VM_Terminate; VMMH95",
  }),
  message({
    name: "VM_Not_Executeable", value: 0x0b, since: "3.0",
    inputs: [vm, { reg: "EDX", meaning: "VNE_* flags" }], ...cannotFail, maySimulateInt: false,
    summary: "Second phase of VM destruction; the first message when a running VM is destroyed.",
    source: "W95DDK:S344D; VMMH95",
  }),
  message({
    name: "Destroy_VM", value: 0x0c, since: "3.0", inputs: [vm], sender: "shell", ...cannotFail, maySimulateInt: false,
    summary: "Final phase of VM destruction; the handle is invalid afterwards.",
    source: "W95DDK:S3431; VDAG31 System_Control",
  }),
  message({
    name: "VM_Suspend", value: 0x0d, since: "3.0", inputs: [vm], ...cannotFail,
    summary: "The VM will not be scheduled until it is resumed.",
    source: "VMMH95; VDAG31",
  }),
  message({
    name: "VM_Resume", value: 0x0e, since: "3.0", inputs: [vm],
    failable: "can-fail", onFailure: "the resume is backed out",
    summary: "The VM leaves the suspended state; only ever follows VM_Suspend.",
    source: "W95DDK:S344F",
  }),
  message({
    name: "Set_Device_Focus", value: 0x0f, since: "3.0", sender: "any-device", ...cannotFail,
    inputs: [
      { reg: "EBX", meaning: "VM that receives the focus" },
      { reg: "EDX", meaning: "device ID, or 0 for every device that has a focus" },
      { reg: "ESI", meaning: "flags when EDX = 0 (bit 0: the VM is critical)" },
      { reg: "EDI", meaning: "VM with the problem, or 0 (only with ESI bit 0)" },
    ],
    summary: "Give a device's focus to a VM; devices whose ID differs from EDX ignore it.",
    source: "W95DDK:S343F; VMMH95; VDAG31 System_Control",
  }),
  message({
    name: "Begin_Message_Mode", value: 0x10, since: "3.0", inputs: [vm], ...cannotFail,
    summary: "Devices prepare for the shell's full-screen message display.",
    source: "W95DDK:S3427; VMMH95",
  }),
  message({
    name: "End_Message_Mode", value: 0x11, since: "3.0", inputs: [vm], ...cannotFail,
    summary: "Message mode ends.",
    source: "VMMH95",
  }),
  message({
    name: "Reboot_Processor", value: 0x12, since: "3.0", ...cannotFail,
    summary: "Request to reboot the machine; only the device that can do it (VKD) acts.",
    source: "W95DDK:S3434; VDAG31; VMMH95",
  }),
  message({
    name: "Query_Destroy", value: 0x13, since: "3.0", inputs: [vm], sender: "shell",
    failable: "can-fail", onFailure: "an objection is recorded; the objecting device should explain with SHELL_Message and the user decides",
    summary: "Asked by the shell before destroying a VM that did not exit normally.",
    source: "W95DDK:S343D; VMMH95",
  }),
  message({
    name: "Debug_Query", value: 0x14, since: "3.0", order: "directed", ...cannotFail,
    summary: "Sent to one device when its name is typed after a dot in the debugger; handler not pageable.",
    source: "W95DDK:S342F; W30VDAG §17.4.2",
  }),
  message({
    name: "Begin_PM_App", value: 0x15, since: "3.1",
    inputs: [vm, { reg: "EDX", meaning: "BPA_* flags" }, { reg: "EDI", meaning: "application control block" }],
    failable: "can-fail", onFailure: "the application may not enter protected mode",
    summary: "A protected-mode application is starting in the VM; may nest.",
    source: "W95DDK:S3428; VMMH95",
  }),
  message({
    name: "End_PM_App", value: 0x16, since: "3.1", sender: "dosmgr", ...cannotFail,
    inputs: [vm, { reg: "EDI", meaning: "application control block" }],
    summary: "A protected-mode application is ending.",
    source: "W95DDK:S3438; VDAG31 System_Control",
  }),
  message({
    name: "Device_Reboot_Notify", value: 0x17, since: "3.1", ...cannotFail, interruptsOnEntry: "enabled",
    summary: "The machine is about to reboot; devices tidy up.",
    source: "W95DDK:S3434; VMMH95",
  }),
  message({
    name: "Crit_Reboot_Notify", value: 0x18, since: "3.1", ...cannotFail,
    interruptsOnEntry: "disabled", mayEnableInterrupts: false, maySimulateInt: false,
    summary: "Reboot notification with interrupts off, sent after Device_Reboot_Notify.",
    source: "W95DDK:S342D",
  }),
  message({
    name: "Close_VM_Notify", value: 0x19, since: "3.1", ...cannotFail,
    inputs: [vm, { reg: "EDX", meaning: "CVNF_* flags" }],
    summary: "The VM is being closed with Close_VM (Win 95 requires CF=0; the Win 3.1 page is self-contradictory).",
    source: "W95DDK:S3429; VDAG31",
  }),
  message({
    name: "Power_Event", value: 0x1a, since: "3.1", sender: "vpowerd", ...cannotFail,
    inputs: [
      { reg: "EBX", meaning: "0" },
      { reg: "ESI", meaning: "PWR_* event" },
      { reg: "EDI", meaning: "address of the DWORD result" },
      { reg: "EDX", meaning: "reserved" },
    ],
    preserves: ["EDX"],
    summary: "Power-management notification; refuse by storing PWR_FAIL at [EDI], never by CF, never by writing PWR_OK.",
    source: "W95DDK:S343C; VDAG31 Power_Event",
  }),
  message({
    name: "Sys_Dynamic_Device_Init", value: 0x1b, since: "3.11", order: "directed",
    failable: "can-fail", onFailure: "the dynamic load fails (consequence thinly documented)",
    summary: "Replaces the static init messages for a dynamically loaded VxD; dispatcher must be locked.",
    source: "W98DDK:kernel_4c6o; KB141231; DOSLIB-MSG",
  }),
  message({
    name: "Sys_Dynamic_Device_Exit", value: 0x1c, since: "3.11", order: "directed",
    failable: "can-fail", onFailure: "consequence not documented in the sources read",
    summary: "A dynamically loaded VxD is about to be unloaded.",
    source: "DOSLIB-MSG; KB141231",
  }),
  message({
    name: "Create_Thread", value: 0x1d, since: "4.0", inputs: [{ reg: "EDI", meaning: "new thread (not the current one)" }],
    failable: "can-fail", onFailure: "the thread is not created; the device must free its per-thread data",
    maySimulateInt: false,
    summary: "A thread is being created; not sent for a VM's initial thread.",
    source: "W95DDK:S342B; VMMH95",
  }),
  message({
    name: "Thread_Init", value: 0x1e, since: "4.0", inputs: [{ reg: "EDI", meaning: "new thread (the current one)" }],
    ...cannotFail, maySimulateInt: false,
    summary: "Second phase of thread creation, in the new thread's context.",
    source: "W95DDK:S3449; VMMH95",
  }),
  message({
    name: "Terminate_Thread", value: 0x1f, since: "4.0", inputs: [thread], order: "reverse-init-order",
    ...cannotFail, maySimulateInt: true,
    summary: "Normal first phase of thread destruction; only to 4.0 VxDs.",
    source: "W95DDK:S3448; VMMH95",
  }),
  message({
    name: "Thread_Not_Executeable", value: 0x20, since: "4.0", order: "reverse-init-order",
    inputs: [thread, { reg: "EDX", meaning: "flags" }], ...cannotFail, maySimulateInt: false,
    summary: "Second phase of thread destruction; first message when a running thread is destroyed.",
    source: "W95DDK:S344A; VMMH95",
  }),
  message({
    name: "Destroy_Thread", value: 0x21, since: "4.0", inputs: [thread], order: "reverse-init-order",
    ...cannotFail, maySimulateInt: false,
    summary: "Final phase of thread destruction.",
    source: "W95DDK:S3430; VMMH95",
  }),
  message({
    name: "PNP_New_Devnode", value: 0x22, since: "4.0", order: "directed",
    inputs: [{ reg: "EBX", meaning: "devnode" }, { reg: "EDX", meaning: "DLVXD_LOAD_* load type" }],
    failable: "can-fail", onFailure: "EAX holds a CR_* code; CF must be set for any code other than CR_SUCCESS",
    preserves: ["EBX", "ESI", "EDI", "EBP"],
    summary: "A C-style message telling a device loader VxD about a new devnode (directed: inferred from the header).",
    source: "W95DDK:S343B; VMMH95",
  }),
  message({
    name: "W32_DeviceIoControl", value: 0x23, since: "4.0", order: "directed",
    inputs: [{ reg: "ESI", meaning: "DIOCParams block" }],
    onFailure: "CF is not the answer here: EAX = 0 means success, anything else an error",
    summary: "A Win32 DeviceIoControl call delivered by VWIN32 to the VxD the application opened.",
    source: "W32DIOC; VMMH95",
  }),
];

// The "…2" messages: same registers and rules as their base, only to 4.0 VxDs, reverse init order,
// right after the base message; VxDs must never send them (vmm-facts §1.3, §7 rule 5).
const COMPANIONS: readonly [number, string][] = [
  [0x24, "Sys_VM_Terminate"], [0x25, "System_Exit"], [0x26, "Sys_Critical_Exit"], [0x27, "VM_Terminate"],
  [0x28, "VM_Not_Executeable"], [0x29, "Destroy_VM"], [0x2a, "VM_Suspend"], [0x2b, "End_Message_Mode"],
  [0x2c, "End_PM_App"], [0x2d, "Device_Reboot_Notify"], [0x2e, "Crit_Reboot_Notify"], [0x2f, "Close_VM_Notify"],
];

function companion(value: number, baseName: string): MessageInfo {
  const base = BASE_MESSAGES.find((m) => m.name === baseName);
  if (!base) throw new Error(`companion base ${baseName} missing`);
  return {
    ...base,
    name: `${baseName}2`,
    value,
    order: "reverse-init-order",
    sender: "vmm",
    companionOf: baseName,
    since: "4.0",
    summary: `Sent right after ${baseName}, in reverse init order, to 4.0 VxDs only.`,
    source: "W95DDK:S3425; W95DDK:S342A; W95DDK:S3432; W98DDK:kernel_9chg; VMMH95",
  };
}

const LATE_MESSAGES: readonly MessageInfo[] = [
  message({
    name: "Get_Contention_Handler", value: 0x30, since: "4.0", order: "directed",
    summary: "VCOMM asks a port VxD for its contention handler (registers and order UNCONFIRMED).",
    source: "VMMH95 (comment only)",
  }),
  message({
    name: "Kernel32_Initialized", value: 0x31, since: "4.0",
    summary: "Broadcast once KERNEL32 has initialised (registers UNCONFIRMED).",
    source: "VMMH95 (VMM_GetSystemInitState comments)",
  }),
  message({
    name: "Kernel32_Shutdown", value: 0x32, since: "4.0",
    summary: "Broadcast when KERNEL32 shuts down (registers UNCONFIRMED).",
    source: "VMMH95 (VMM_GetSystemInitState comments)",
  }),
  message({
    name: "Create_Process", value: 0x33, since: "4.0",
    summary: "A Win32 process is being created (registers and order UNCONFIRMED).",
    source: "VMMH95",
  }),
  message({
    name: "Destroy_Process", value: 0x34, since: "4.0",
    summary: "A Win32 process is being destroyed (registers and order UNCONFIRMED).",
    source: "VMMH95",
  }),
  message({
    name: "Sys_Dynamic_Device_Reinit", value: 0x35, since: "4.1",
    summary: "Win98 addition (value from Win98-era headers, path UNCONFIRMED; registers and order UNCONFIRMED).",
    source: "vmm-facts §1.1 note (Win98-era vmm.h copies)",
  }),
  message({
    name: "Sys_Power_Down", value: 0x36, since: "4.1",
    summary: "Win98 addition (value from Win98-era headers, path UNCONFIRMED; registers and order UNCONFIRMED).",
    source: "vmm-facts §1.1 note (Win98-era vmm.h copies)",
  }),
];

export const MESSAGES: readonly MessageInfo[] = [
  ...BASE_MESSAGES,
  ...COMPANIONS.map(([value, base]) => companion(value, base)),
  ...LATE_MESSAGES,
];

const byValue = new Map(MESSAGES.map((m) => [m.value, m]));
const byName = new Map(MESSAGES.map((m) => [m.name.toLowerCase(), m]));

export function messageByValue(v: number): MessageInfo | undefined {
  return byValue.get(v);
}

export function messageByName(name: string): MessageInfo | undefined {
  return byName.get(name.toLowerCase());
}

export function isPrivateMessage(v: number): boolean {
  return v >= PRIVATE_MESSAGE_FIRST && v <= PRIVATE_MESSAGE_LAST;
}
