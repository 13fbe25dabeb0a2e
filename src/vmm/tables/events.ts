// Event flags, scheduler boosts, blocking flags, the flags passed with some System_Control messages,
// and the event-callback contract (vmm-facts §1.2, §4.3–§4.5; names and values as in the Win95 vmm.h).

export interface FlagBit {
  readonly name: string;
  /** Name of the bit-number equate, where vmm.inc defines one. */
  readonly bitName: string | null;
  readonly bit: number;
  readonly value: number;
  readonly meaning: string;
}

export interface PefFlag extends FlagBit {
  readonly since: "3.0" | "3.1" | "4.0" | "4.03";
  readonly synonyms: readonly string[];
}

export interface NamedValue {
  readonly name: string;
  readonly value: number;
  readonly meaning: string;
}

function flag(name: string, bit: number, meaning: string, bitName: string | null = `${name}_Bit`): FlagBit {
  return { name, bitName, bit, value: 2 ** bit, meaning };
}

function pef(name: string, bit: number, since: PefFlag["since"], meaning: string, synonyms: string[] = []): PefFlag {
  return { ...flag(name, bit, meaning), since, synonyms };
}

/** ECX of Call_Priority_VM_Event / Call_Restricted_Event. Win 3.1 defined only bits 0–4. */
export const PEF_FLAGS: readonly PefFlag[] = [
  pef("PEF_Wait_For_STI", 0, "3.0", "wait until the VM has interrupts enabled (every thread)"),
  pef("PEF_Wait_Not_Crit", 1, "3.0", "wait until the critical section is free and the priority is below Critical_Section_Boost"),
  pef("PEF_Dont_Unboost", 2, "3.0", "keep the boost after the callback"),
  pef("PEF_Always_Sched", 3, "3.0", "never call the callback immediately"),
  pef("PEF_Time_Out", 4, "3.1", "EDI holds a time-out; on expiry the callback runs with CF=1"),
  pef("PEF_Wait_Not_HW_Int", 5, "4.0", "not while VPICD simulates a hardware interrupt", ["PEF_Wait_Not_Time_Crit"]),
  pef("PEF_Wait_Not_Nested_Exec", 6, "4.0", "not inside nested execution", ["PEF_Wait_Not_PM_Locked_Stack"]),
  pef("PEF_Wait_In_PM", 7, "4.0", "only when the VM or thread is in protected mode"),
  pef("PEF_Thread_Event", 8, "4.0", "EBX is a thread handle"),
  pef("PEF_Wait_For_Thread_STI", 9, "4.0", "interrupts enabled in the current thread only; excludes PEF_Wait_For_STI"),
  pef("PEF_Ring0_Event", 10, "4.0", "the event completes entirely at ring 0 (strict rules)"),
  pef("PEF_Wait_Crit", 11, "4.0", "the current thread owns, or nobody owns, the critical section; global events only"),
  pef("PEF_Wait_Crit_VM", 12, "4.0", "with the System VM handle only"),
  pef("PEF_Process_Last", 13, "4.0", "chosen only in a second selection pass"),
  // Only in the OPK3-era header; presence in retail Win95 is UNCONFIRMED.
  pef("PEF_Wait_Preemptable", 14, "4.03", ""),
];

/** Execution-priority boosts (Adjust_Exec_Priority, Call_Priority_VM_Event EAX). */
export const BOOSTS: readonly NamedValue[] = [
  { name: "Reserved_Low_Boost", value: 0x00000001, meaning: "reserved for the system; lower bound of a boost sum" },
  { name: "Cur_Run_VM_Boost", value: 0x00000004, meaning: "the time-slicer makes a VM run out its slice" },
  { name: "Low_Pri_Device_Boost", value: 0x00000010, meaning: "timely but not time-critical device work" },
  { name: "High_Pri_Device_Boost", value: 0x00001000, meaning: "timely work that must not override a critical section" },
  { name: "Critical_Section_Boost", value: 0x00100000, meaning: "applied by Begin_Critical_Section" },
  { name: "Time_Critical_Boost", value: 0x00400000, meaning: "runs even while another VM owns the critical section" },
  { name: "Reserved_High_Boost", value: 0x40000000, meaning: "reserved for the system; upper bound of a boost sum" },
];

/** ECX of Begin_Critical_Section, Wait_Semaphore and _EnterMutex. "" = meaning not in the sources read. */
export const BLOCK_FLAGS: readonly FlagBit[] = [
  flag("Block_Svc_Ints", 0, "service the VM's interrupts while blocked"),
  flag("Block_Svc_If_Ints_Locked", 1, "service interrupts while blocked if VMStat_V86IntsLocked is set"),
  flag("Block_Enable_Ints", 2, "force interrupts on while servicing them (with one of the two above)"),
  flag("Block_Poll", 3, "must not be passed to Begin_Critical_Section"),
  flag("Block_Thread_Idle", 4, ""),
  flag("Block_Force_Svc_Ints", 5, ""),
];

/** EDX of VM_Not_Executeable. */
export const VNE_FLAGS: readonly FlagBit[] = [
  flag("VNE_Crashed", 0, "the VM crashed"),
  flag("VNE_Nuked", 1, "the VM was destroyed while active"),
  flag("VNE_CreateFail", 2, "a device failed Create_VM"),
  flag("VNE_CrInitFail", 3, "a device failed VM_Critical_Init"),
  flag("VNE_InitFail", 4, "a device failed VM_Init"),
  flag("VNE_Closed", 5, "the VM was closed"),
];

/** EDX of Begin_PM_App. BPA_32_Bit is a mask despite its name; BPA_32_Bit_Flag has the same value. */
export const BPA_FLAGS: readonly NamedValue[] = [
  { name: "BPA_32_Bit", value: 0x01, meaning: "the application is 32-bit" },
  { name: "BPA_32_Bit_Flag", value: 1, meaning: "same value as BPA_32_Bit" },
];

/** EDX of Close_VM_Notify. */
export const CVNF_FLAGS: readonly FlagBit[] = [flag("CVNF_Crit_Close", 0, "the VM is inside a critical section while closing")];

/** W32_DeviceIoControl sub-function codes (dwIoControlCode), as unsigned 32-bit values. */
export const DIOC_CODES: readonly NamedValue[] = [
  { name: "DIOC_GetVersion", value: 0, meaning: "version query sent when the device is opened" },
  { name: "DIOC_Open", value: 0, meaning: "same value as DIOC_GetVersion" },
  { name: "DIOC_CloseHandle", value: 0xffffffff, meaning: "the last handle to the device is closed (-1)" },
];

// Event-callback contract (vmm-facts §4.3; W95DDK:S31D5, S31DA, S31E0, S31E6; VDAG31 *_Event).
export const EVENT_CALLBACK_ENTRY: readonly { reg: string; meaning: string }[] = [
  { reg: "EBX", meaning: "current VM handle" },
  { reg: "EDX", meaning: "reference data given when the event was scheduled" },
  { reg: "EDI", meaning: "current thread handle (Win 95 on)" },
  { reg: "EBP", meaning: "Client_Reg_Struc of the current VM or thread" },
];
/** Registers a global or VM event callback may change. */
export const EVENT_CALLBACK_MAY_MODIFY: readonly string[] = ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI"];
/** Priority and restricted event callbacks may also change the flags. */
export const PRIORITY_EVENT_CALLBACK_MAY_MODIFY: readonly string[] = [...EVENT_CALLBACK_MAY_MODIFY, "Flags"];
/**
 * Memory-manager services (page and heap allocate, reallocate, free) an event callback may call only when
 * it was scheduled with PEF_Wait_Not_Crit: at other event times the memory manager may be busy (W95DDK:S31D5).
 */
export const EVENT_WAIT_NOT_CRIT_SERVICES: readonly string[] = [
  "_PageAllocate", "_PageReAllocate", "_PageFree", "_HeapAllocate", "_HeapReAllocate", "_HeapFree",
];
/** Implied by the lists above. */
export const EVENT_CALLBACK_MUST_PRESERVE: readonly string[] = ["EBP", "ESP", "CS", "DS", "ES", "SS", "FS", "GS"];
/** State on entry and the state the callback must return with (near RET, no return value). */
export const EVENT_CALLBACK_ENTRY_STATE = { interruptsEnabled: true, directionClear: true } as const;
export const EVENT_CALLBACK_EXIT_STATE = { interruptsEnabled: true, directionClear: true, return: "near" } as const;
/** With PEF_Time_Out, CF on entry tells the callback whether it timed out (then EBX may be any VM). */
export const TIMED_OUT_CARRY = 1;

// ---- Callback entry contracts: what the system puts in registers when it calls a device's callback.

export interface CallbackRegister {
  readonly reg: string;
  readonly meaning: string;
}

export interface CallbackContract {
  /** The DDK's name for the callback. */
  readonly name: string;
  /** Services (or structure fields) that install it. */
  readonly installedBy: readonly string[];
  /**
   * "event": unrestricted event time (any service); "hardware-interrupt": asynchronous services and VPICD
   * only; null: no source says (the VID procedures other than VID_Hw_Int_Proc).
   */
  readonly runsAt: "event" | "hardware-interrupt" | null;
  readonly entry: readonly CallbackRegister[];
  /** Interrupts on entry: false = the system disabled them (the callback may re-enable); null = not stated. */
  readonly interruptsEnabled: boolean | null;
  /** What the callback may change; null = no source states it. */
  readonly mayModify: readonly string[] | null;
  /** What its return means. */
  readonly returns: string;
  readonly source: string;
}

const reg = (r: string, meaning: string): CallbackRegister => ({ reg: r, meaning });
const VID_USES = ["EAX", "EBX", "ECX", "EDX", "ESI", "Flags"];
const vidEntry = [reg("EAX", "IRQ handle"), reg("EBX", "current VM handle")];

/**
 * Time-out callbacks (W95DDK:S32E4): all get the tardiness in ECX (ms past the due time, to the
 * last-updated resolution). Global, VM and thread time-outs run at event time; async ones at
 * hardware-interrupt time, in locked code, with no client registers. What they may change is not stated.
 */
export const TIME_OUT_CALLBACKS: readonly CallbackContract[] = [
  {
    name: "TimeOutCallback", installedBy: ["Set_Global_Time_Out", "Set_VM_Time_Out"], runsAt: "event",
    entry: [
      reg("EBX", "current VM (for Set_VM_Time_Out: the VM it was set for)"), reg("ECX", "tardiness in ms"),
      reg("EDX", "reference data"), reg("EBP", "Client_Reg_Struc of that VM"),
    ],
    interruptsEnabled: null, mayModify: null, returns: "nothing (near RET)",
    source: "VDAG31 Set_Global_Time_Out, Set_VM_Time_Out; W95DDK:S32F0, S32F3, S32E4",
  },
  {
    name: "Thread_Time_Out_Proc", installedBy: ["Set_Thread_Time_Out"], runsAt: "event",
    entry: [
      reg("EBX", "current VM"), reg("ECX", "tardiness in ms"), reg("EDX", "reference data"),
      reg("EDI", "current thread"), reg("EBP", "Client_Reg_Struc"),
    ],
    interruptsEnabled: null, mayModify: null, returns: "nothing", source: "W95DDK:S32F1, S32E4",
  },
  {
    name: "Async_Time_Out_Proc", installedBy: ["Set_Async_Time_Out"], runsAt: "hardware-interrupt",
    entry: [reg("ECX", "tardiness in ms"), reg("EDX", "reference data")],
    interruptsEnabled: null, mayModify: null, returns: "nothing", source: "W95DDK:S32EE, S32E4; W98DDK:kernel_92sx",
  },
];

/**
 * The VPICD_IRQ_Descriptor procedures. All are entered with interrupts disabled (they may enable them)
 * and may change EAX, EBX, ECX, EDX, ESI and the flags, so EDI and EBP survive.
 */
export const VPICD_CALLBACKS: readonly CallbackContract[] = [
  {
    name: "VID_Hw_Int_Proc", installedBy: ["VID_Hw_Int_Proc", "VPICD_Virtualize_IRQ"], runsAt: "hardware-interrupt",
    entry: [...vidEntry, reg("EDX", "VID_Hw_Int_Ref, only with VPICD_OPT_REF_DATA (4.0)")],
    interruptsEnabled: false, mayModify: VID_USES,
    returns: "near RET, never IRET: CF = 0 handled; CF = 1 not mine, pass to the next sharer (then it must not touch the device)",
    source: "VDAG31 VID_Hw_Int_Proc; W95DDK:S34D3; KB152541",
  },
  {
    name: "VID_Virt_Int_Proc", installedBy: ["VID_Virt_Int_Proc"], runsAt: null,
    entry: vidEntry, interruptsEnabled: false, mayModify: VID_USES,
    returns: "nothing; from here the simulated interrupt can no longer be cancelled",
    source: "W95DDK:S34D6 (called when VPICD starts simulating the interrupt into the VM)",
  },
  {
    name: "VID_EOI_Proc", installedBy: ["VID_EOI_Proc"], runsAt: null,
    entry: vidEntry, interruptsEnabled: false, mayModify: VID_USES, returns: "nothing",
    source: "W95DDK:S34D2 (called when the VM's handler issues an EOI)",
  },
  {
    name: "VID_Mask_Change_Proc", installedBy: ["VID_Mask_Change_Proc"], runsAt: null,
    entry: [...vidEntry, reg("ECX", "non-zero = being masked, 0 = being unmasked")],
    interruptsEnabled: false, mayModify: VID_USES, returns: "nothing",
    source: "W95DDK:S34D5 (its text says 'masked' for both values; we read 0 as unmasked)",
  },
  {
    name: "VID_IRET_Proc", installedBy: ["VID_IRET_Proc"], runsAt: null,
    entry: [...vidEntry, reg("CF", "set if VID_IRET_Time_Out expired rather than the VM executing IRET")],
    interruptsEnabled: false, mayModify: VID_USES, returns: "nothing", source: "W95DDK:S34D4",
  },
];

/** Call_When_Not_Critical's callback. */
export const CRIT_SEC_CALLBACK: CallbackContract = {
  name: "CritSecCallback", installedBy: ["Call_When_Not_Critical"], runsAt: "event",
  entry: [
    reg("EBX", "current VM"), reg("EDI", "current thread (Win 95)"), reg("EDX", "reference data"),
    reg("EBP", "Client_Reg_Struc"),
  ],
  interruptsEnabled: null, mayModify: ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "Flags"], returns: "nothing",
  source: "VDAG31 Call_When_Not_Critical; W95DDK:S33A6",
};

export const CALLBACK_CONTRACTS: readonly CallbackContract[] = [...TIME_OUT_CALLBACKS, ...VPICD_CALLBACKS, CRIT_SEC_CALLBACK];

export function callbackContract(name: string): CallbackContract | undefined {
  const lower = name.toLowerCase();
  return CALLBACK_CONTRACTS.find((c) => c.name.toLowerCase() === lower);
}

/** Entry registers of the global/VM time-out callback (views of TIME_OUT_CALLBACKS, kept for older readers). */
export const TIME_OUT_CALLBACK_ENTRY: readonly CallbackRegister[] = TIME_OUT_CALLBACKS[0]!.entry;
/** Set_Async_Time_Out callbacks run at interrupt time and get no client-register pointer in EBP. */
export const ASYNC_TIME_OUT_CALLBACK_ENTRY: readonly CallbackRegister[] = TIME_OUT_CALLBACKS[2]!.entry;
