// Remaining named constants of vmm.inc (vmm-facts §1.2, §3.1, §3.4, §6.3, §6.7; Win95-family vmm.h).
// All values are unsigned 32-bit numbers.

export interface NamedConstant {
  readonly name: string;
  readonly value: number;
  readonly meaning: string;
  readonly source: string;
}

/** DDB_SDK_Version written by Declare_Virtual_Device; 4.00 = Windows 95. (3.10: 30Ah, OPK3: 403h, Win98: 40Ah.) */
export const DDK_VERSION = 0x400;

export const CONSTANTS: readonly NamedConstant[] = [
  { name: "DDK_VERSION", value: DDK_VERSION, meaning: "DDK version of the Win95 header", source: "VMMH95" },
  { name: "VXD_SUCCESS", value: 1, meaning: "C control handler result that becomes CF=0", source: "VMMH95" },
  { name: "VXD_FAILURE", value: 0, meaning: "C control handler result that becomes CF=1", source: "VMMH95" },
  { name: "EF_Hang_On_Exit", value: 0x1, meaning: "Fatal_Error_Handler flag in EAX", source: "VMMH95; VDAG31" },
  { name: "Dyna_Link_Int", value: 0x20, meaning: "interrupt used by VMMcall/VxDcall", source: "VMMH95; RBIL" },
  { name: "DL_Jmp_Mask", value: 0x8000, meaning: "added to the service word for VMMjmp/VxDjmp", source: "VMMH95" },
  { name: "DL_Jmp_Bit", value: 0x0f, meaning: "bit number of DL_Jmp_Mask", source: "VMMH95" },
  { name: "FALSE", value: 0, meaning: "", source: "VMMH95" },
  { name: "VMM_TRUE", value: 0xffffffff, meaning: "NOT FALSE", source: "VMMH95" },
];

const sysState = (name: string, value: number, meaning: string): NamedConstant => ({
  name,
  value,
  meaning,
  source: "VMMH95",
});

/** EAX values of VMM_GetSystemInitState; compare by range, later versions may add states in between. */
export const SYSTEM_INIT_STATES: readonly NamedConstant[] = [
  sysState("SYSSTATE_PRESYSCRITINIT", 0x00000000, "before Sys_Critical_Init"),
  sysState("SYSSTATE_PREDEVICEINIT", 0x10000000, "before Device_Init"),
  sysState("SYSSTATE_PREINITCOMPLETE", 0x20000000, "before Init_Complete"),
  sysState("SYSSTATE_VXDINITCOMPLETED", 0x40000000, "VxD initialisation done"),
  sysState("SYSSTATE_KERNEL32INITED", 0x50000000, "after Kernel32_Initialized"),
  sysState("SYSSTATE_KERNEL32TERMINATED", 0xa0000000, "after Kernel32_Shutdown"),
  sysState("SYSSTATE_PRESYSVMTERMINATE", 0xb0000000, "before Sys_VM_Terminate"),
  sysState("SYSSTATE_PRESYSTEMEXIT", 0xe0000000, "before System_Exit"),
  sysState("SYSSTATE_PRESYSTEMEXIT2", 0xe4000000, "before System_Exit2"),
  sysState("SYSSTATE_PRESYSCRITEXIT", 0xf0000000, "before Sys_Critical_Exit"),
  sysState("SYSSTATE_PRESYSCRITEXIT2", 0xf4000000, "before Sys_Critical_Exit2"),
  sysState("SYSSTATE_POSTSYSCRITEXIT2", 0xfff00000, "after Sys_Critical_Exit2"),
  sysState("SYSSTATE_PREDEVICEREBOOT", 0xffff0000, "before Device_Reboot_Notify"),
  sysState("SYSSTATE_PRECRITREBOOT", 0xfffff000, "before Crit_Reboot_Notify"),
  sysState("SYSSTATE_PREREBOOTCPU", 0xffffff00, "before Reboot_Processor"),
];

/**
 * What our Get_VMM_Version answers (AH = major, AL = minor). Windows 3.1 answers 3.10 (VDAG31); no source
 * states the Windows 95 answer, so 4.00 is an UNCONFIRMED assumption matching DDK_VERSION.
 */
export const REPORTED_VMM_VERSION = {
  major: 4,
  minor: 0,
  /** ECX; no source gives a value, 0 is our choice. */
  debugRevision: 0,
  confirmed: false,
} as const;
