// Remaining named constants of vmm.inc (vmm-facts §1.2, §3.1, §3.4, §6.3, §6.7; Win95-family vmm.h).
// All values are unsigned 32-bit numbers.

/** Device headers whose equates are tabled here; a constant without `include` belongs to vmm.inc. */
export type DeviceInclude = "vpicd.inc" | "vtd.inc" | "shell.inc" | "dosmgr.inc";

export interface NamedConstant {
  readonly name: string;
  readonly value: number;
  readonly meaning: string;
  readonly source: string;
  /** The include file that defines it; absent = vmm.inc. */
  readonly include?: DeviceInclude;
}

/** DDB_SDK_Version written by Declare_Virtual_Device; 4.00 = Windows 95. (3.10: 30Ah, OPK3: 403h, Win98: 40Ah.) */
export const DDK_VERSION = 0x400;

const VMM_INC_CONSTANTS: readonly NamedConstant[] = [
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

// ---- Device headers (sources as in device-services.ts). Bit flags come with the header's <NAME>_BIT.

function bits(include: DeviceInclude, source: string, rows: readonly (readonly [string, number, string])[]): NamedConstant[] {
  return rows.flatMap(([name, bit, meaning]) => [
    { name, value: 2 ** bit, meaning, source, include },
    { name: `${name}_BIT`, value: bit, meaning: `bit number of ${name}`, source, include },
  ]);
}

function values(include: DeviceInclude, source: string, rows: readonly (readonly [string, number, string])[]): NamedConstant[] {
  return rows.map(([name, value, meaning]) => ({ name, value, meaning, source, include }));
}

/** VID_Options of VPICD_IRQ_Descriptor. VPICD_OPT_ALL (internal; 3Fh in Win 95, 33Fh in 4.1) is left out. */
export const VPICD_OPTIONS: readonly NamedConstant[] = bits("vpicd.inc", "VPICDH95; W98DDK:kernel_9iif", [
  ["VPICD_OPT_READ_HW_IRR", 0, "read the hardware interrupt request register"],
  ["VPICD_OPT_CAN_SHARE", 1, "the IRQ may be shared (every sharer must set it)"],
  ["VPICD_OPT_REF_DATA", 2, "pass VID_Hw_Int_Ref to the hardware-interrupt procedure in EDX (4.0)"],
  ["VPICD_OPT_VIRT_INT_REJECT", 4, "set by the virtual-interrupt procedure, with CF, to stop virtualizing (4.0)"],
  ["VPICD_OPT_SHARE_PMODE_ONLY", 5, "debug Windows warns on VPICD_Set_Int_Request; needs CAN_SHARE (4.0)"],
]);

/** ECX of VPICD_Get_Status / VPICD_Get_Complete_Status / VPICD_Get_IRQ_Complete_Status. */
export const VPICD_STATUS: readonly NamedConstant[] = bits("vpicd.inc", "VPICDH95; W95DDK:S34BF, S34C1", [
  ["VPICD_STAT_IRET_PENDING", 0, "a virtual IRET is pending"],
  ["VPICD_STAT_IN_SERVICE", 1, "the IRQ is virtually in service"],
  ["VPICD_STAT_PHYS_MASK", 2, "the IRQ is physically masked"],
  ["VPICD_STAT_PHYS_IN_SERV", 3, "the IRQ is physically in service"],
  ["VPICD_STAT_VIRT_MASK", 4, "the VM masked the IRQ"],
  ["VPICD_STAT_VIRT_REQ", 5, "some device requested the virtual IRQ in the VM"],
  ["VPICD_STAT_PHYS_REQ", 6, "the physical request is set"],
  ["VPICD_STAT_VIRT_DEV_REQ", 7, "the calling device requested the virtual IRQ"],
  ["VPICD_STAT_GLOBAL", 8, "an unvirtualized IRQ treated as global"],
  ["VPICD_STAT_OWNED_BY_VM", 9, "an unvirtualized IRQ owned by the current VM"],
]);

/** High-word flags of EAX for VPICD_Force_Default_Owner (4.0). */
export const VPICD_FDO_FLAGS: readonly NamedConstant[] = bits("vpicd.inc", "VPICDH95; W95DDK:S34BE", [
  ["VPICD_FDO_NO_CONTENTION", 16, "do not report contention on the unvirtualized IRQ"],
  ["VPICD_FDO_FAVOR_FOCUS", 17, "request into the focus VM when the critical section is free"],
]);

/** Function codes of the VTD's V86/PM API (AX), from vtd.inc. */
export const VTD_API_CODES: readonly NamedConstant[] = values("vtd.inc", "VTDH95; JackTrapper/WindowsInclude VTD.INC", [
  ["VTD_API_GET_VERSION", 0x0000, "API: get version"],
  ["VTD_API_GET_TIME", 0x0100, "API: get time; AL = one of the sub-codes below"],
  ["VTD_API_GET_TIME_IN_CLOCK_TICKS", 0, "sub-code: ticks since start"],
  ["VTD_API_GET_TIME_IN_MS", 1, "sub-code: ms since start"],
  ["VTD_API_GET_VM_EXEC_TIME", 2, "sub-code: VM execution time"],
]);

/** EAX flags of SHELL_Message / SHELL_SYSMODAL_Message, and the ID* answers. */
export const SHELL_MESSAGE_CONSTANTS: readonly NamedConstant[] = values("shell.inc", "SHELLH95; VDAG31 SHELL_Message", [
  ["MB_OK", 0x00, "OK button"], ["MB_OKCANCEL", 0x01, "OK and Cancel"],
  ["MB_ABORTRETRYIGNORE", 0x02, "Abort, Retry, Ignore"], ["MB_YESNOCANCEL", 0x03, "Yes, No, Cancel"],
  ["MB_YESNO", 0x04, "Yes and No"], ["MB_RETRYCANCEL", 0x05, "Retry and Cancel"],
  ["MB_ICONHAND", 0x10, "stop icon"], ["MB_ICONEXCLAMATION", 0x30, "exclamation icon"],
  ["MB_ICONASTERISK", 0x40, "information icon"], ["MB_DEFBUTTON1", 0x000, "first button is the default"],
  ["MB_DEFBUTTON2", 0x100, "second button is the default"], ["MB_DEFBUTTON3", 0x200, "third button is the default"],
  ["MB_APPLMODAL", 0x0000, "application modal"], ["MB_SYSTEMMODAL", 0x1000, "system modal (SHELL_SYSMODAL_Message)"],
  ["MB_NOFOCUS", 0x8000, "do not take the focus"], ["MB_ASAP", 0x80000000, "timely: show as soon as possible"],
  ["MB_NOWINDOW", 0x40000000, "SYSMODAL only: full screen, never switch to Windows (3.1)"],
  ["MB_HANGSYS", 0x20000000, "SYSMODAL only: hang with interrupts disabled (3.1)"],
  ["MB_APPYTIME", 0x10000000, "SYSMODAL only: called at appy time, try a GUI box (4.0)"],
  ["IDOK", 1, "answer: OK"], ["IDCANCEL", 2, "answer: Cancel"], ["IDABORT", 3, "answer: Abort"],
  ["IDRETRY", 4, "answer: Retry"], ["IDIGNORE", 5, "answer: Ignore"], ["IDYES", 6, "answer: Yes"],
  ["IDNO", 7, "answer: No"],
  ["SE_WP_PrtScBoost", 0x00100000, "SHELL_Event EAX: boost the System VM during Print Screen"],
  ["SE_WP_PrtScBoostBit", 20, "bit number of SE_WP_PrtScBoost"],
  ["SE_WP_DispUpdBoost", 0x00200000, "SHELL_Event EAX: boost the System VM during display updates"],
  ["SE_WP_DispUpdBoostBit", 21, "bit number of SE_WP_DispUpdBoost"],
]);

/** Where the box type and the default button sit in SHELL_Message's EAX: bits 3-0 give the buttons,
 *  bits 9-8 which of them is the default (0 = the first). */
export const MESSAGE_BOX_FIELDS = { typeMask: 0x0f, defaultButtonMask: 0x300, defaultButtonShift: 8, source: "RBIL (INT 20h, VxD 17h: bitfields for message box flags)" } as const;

/** The buttons of each MB_* box type, left to right, as the ID* answer each gives (the MB_* rows' own order). */
export const MESSAGE_BOX_BUTTONS: readonly { readonly type: string; readonly buttons: readonly string[]; readonly source: string }[] = [
  ["MB_OK", ["IDOK"]],
  ["MB_OKCANCEL", ["IDOK", "IDCANCEL"]],
  ["MB_ABORTRETRYIGNORE", ["IDABORT", "IDRETRY", "IDIGNORE"]],
  ["MB_YESNOCANCEL", ["IDYES", "IDNO", "IDCANCEL"]],
  ["MB_YESNO", ["IDYES", "IDNO"]],
  ["MB_RETRYCANCEL", ["IDRETRY", "IDCANCEL"]],
].map(([type, buttons]) => ({ type: type as string, buttons: buttons as string[], source: "SHELLH95; VDAG31 SHELL_Message" }));

/** EAX of SHELL_GetVMInfo. */
export const SHELL_VM_INFO_FLAGS: readonly NamedConstant[] = values("shell.inc", "SHELLH95; VDAG31 SHELL_GetVMInfo", [
  ["SGVMI_Windowed", 0x00000004, "runs in a window"], ["SGVMI_ALTTABdis", 0x00000020, "Alt+Tab reserved"],
  ["SGVMI_ALTESCdis", 0x00000040, "Alt+Esc reserved"], ["SGVMI_ALTSPACEdis", 0x00000080, "Alt+Space reserved"],
  ["SGVMI_ALTENTERdis", 0x00000100, "Alt+Enter reserved"], ["SGVMI_ALTPRTSCdis", 0x00000200, "Alt+PrtSc reserved"],
  ["SGVMI_PRTSCdis", 0x00000400, "PrtSc reserved"], ["SGVMI_CTRLESCdis", 0x00000800, "Ctrl+Esc reserved"],
  ["SGVMI_Polling", 0x00001000, "idle polling detection on"], ["SGVMI_NoHMA", 0x00002000, "no HMA"],
  ["SGVMI_HasHotKey", 0x00004000, "has a shortcut key"], ["SGVMI_EMS_Lock", 0x00008000, "EMS locked"],
  ["SGVMI_XMS_Lock", 0x00010000, "XMS locked"], ["SGVMI_FastPaste", 0x00020000, "fast paste allowed"],
  ["SGVMI_V86_Lock", 0x00040000, "V86 memory locked"], ["SGVMI_ClsExit", 0x40000000, "close on exit"],
]);

/** Every named constant: vmm.inc's (no `include`) and the device headers' (`include` says which). */
export const CONSTANTS: readonly NamedConstant[] = [
  ...VMM_INC_CONSTANTS,
  ...VPICD_OPTIONS,
  ...VPICD_STATUS,
  ...VPICD_FDO_FLAGS,
  ...VTD_API_CODES,
  ...SHELL_MESSAGE_CONSTANTS,
  ...SHELL_VM_INFO_FLAGS,
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
