// Service tables of VPICD (device 3), VTD (5), DOSMGR (15h) and SHELL (17h), in the index order of the
// Begin_Service_Table lists of the Windows 95 DDK headers (index 0 is always <Dev>_Get_Version).
// Device IDs come from devices.ts; ServiceInfo and the all-device lookups live in services.ts.
//
// Sources (keys as in vmm-facts.md, plus):
//   VPICDH95  Win95 DDK vpicd.h ("Version 3.10", © 1993-95; stored in the search index as file 8123513415,
//             repository path not resolved). An OPK3/4.1 copy (file 4244743957) appends 19h–1Fh; not listed here.
//   VTDH95    joncampbell123/windows_sdk_collection win/win95-1995-06-win32-ddk/ddk/inc32/vtd.h;
//             same list in JackTrapper/WindowsInclude VTD.INC.
//   SHELLH95  JackTrapper/WindowsInclude SHELL.H ("Version 4.00", © 1993-95). RBIL (INT 20h, VxD 17h)
//             names 07h–11h differently (a pre-release list); the DDK header wins.
//   DOSMGR95  joncampbell123/windows_sdk_collection win/win95-1995-06-win32-ddk/ddk/inc32/dosmgr.inc.
//   W30VDAG   Windows 3.0 DDK (chapters 34, 37, 39 list the 3.0 SHELL, VPICD and VTD services).
//   KB152541  MS KB Q152541: the hardware-interrupt procedure gets VID_Hw_Int_Ref in EDX.

import { deviceByName } from "./devices.js";
import type { ServiceContract, ServiceDevice, ServiceInfo, ServiceRegister, ServiceSince } from "./services.js";

type Since = ServiceSince | null;
/** One table row: name, version that introduced it (null = no source pins it), contract. */
type Row = readonly [name: string, since: Since, contract?: ServiceContract];

const r = (reg: string, meaning: string): ServiceRegister => ({ reg, meaning });
const irq = r("EAX", "IRQ handle");
const vm = r("EBX", "VM handle");
const version = [r("CF", "clear"), r("AH", "major version"), r("AL", "minor version")];

// Every VPICD service may be called at hardware-interrupt time (W95DDK:S31D2), except that the
// VPICD_Virtualize_IRQ page says it is not asynchronous; the specific page wins.
const hw = (c: ServiceContract): ServiceContract => ({ async: true, ...c });

const VPICD: readonly Row[] = [
  ["VPICD_Get_Version", "3.0", hw({
    outputs: [...version, r("EBX", "flags: 1 = master/slave (AT) PICs"), r("ECX", "highest IRQ, 07h or 0Fh")],
    uses: ["EAX", "EBX", "ECX", "Flags"], summary: "VPICD version and PIC configuration.", source: "W95DDK:S34C2",
  })],
  ["VPICD_Virtualize_IRQ", "3.0", {
    async: false,
    inputs: [r("EDI", "VPICD_IRQ_Descriptor; VID_IRQ_Number and VID_Hw_Int_Proc must be set")],
    outputs: [r("CF", "set if the IRQ is already virtualized or invalid"), r("EAX", "IRQ handle")],
    uses: ["EAX", "Flags"],
    summary: "Take over an IRQ; up to 32 devices may share it if every one sets VPICD_OPT_CAN_SHARE.",
    source: "VDAG31 VPICD_Virtualize_IRQ; W95DDK:S34CB",
  }],
  ["VPICD_Set_Int_Request", "3.0", hw({
    inputs: [irq, vm], uses: ["Flags"],
    summary: "Request the virtual IRQ in a VM; the simulation may happen before the call returns, or later "
      + "(VM interrupts off, IRQ masked, higher IRQ in service, VM suspended). Level-triggered.",
    source: "VDAG31; W95DDK:S34C8",
  })],
  ["VPICD_Clear_Int_Request", "3.0", hw({
    inputs: [irq, vm], uses: ["Flags"],
    summary: "Withdraw a request; on a shared IRQ it stays set until every requester clears it.",
    source: "VDAG31; W95DDK:S34B8",
  })],
  ["VPICD_Phys_EOI", "3.0", hw({
    inputs: [irq], uses: ["Flags"], summary: "End the physical interrupt so the IRQ can interrupt again.",
    source: "VDAG31; W95DDK:S34C4",
  })],
  ["VPICD_Get_Complete_Status", "3.0", hw({
    inputs: [irq, vm], outputs: [r("ECX", "VPICD_STAT_* flags")], uses: ["ECX", "Flags"],
    summary: "Full status of a virtual IRQ in a VM.", source: "W95DDK:S34BF",
  })],
  ["VPICD_Get_Status", "3.0", hw({
    inputs: [irq, vm], outputs: [r("ECX", "VPICD_STAT_* flags (subset)")], uses: ["ECX", "Flags"],
    summary: "Faster, partial status.", source: "W95DDK:S34C1",
  })],
  // The Win 95 page's prose says CF is *clear* when the request is set, but its own example (jc irq_set),
  // the 3.1 page and the header's C wrapper all say CF set = request set; we follow those.
  ["VPICD_Test_Phys_Request", "3.0", hw({
    inputs: [irq], outputs: [r("CF", "set if the hardware PIC has the request set")], uses: ["Flags"],
    summary: "Test the physical interrupt request.", source: "VDAG31; W95DDK:S34C9; VPICDH95",
  })],
  ["VPICD_Physically_Mask", "3.0", hw({
    inputs: [irq], uses: ["Flags"], summary: "Mask the IRQ on the hardware PIC.", source: "W95DDK:S34C5",
  })],
  ["VPICD_Physically_Unmask", "3.0", hw({
    inputs: [irq], uses: ["Flags"], summary: "Unmask the IRQ on the hardware PIC, whatever the VMs' masks.",
    source: "W95DDK:S34C6",
  })],
  ["VPICD_Set_Auto_Masking", "3.0", hw({
    inputs: [irq], uses: ["Flags"], summary: "Mask physically only while every VM masks the IRQ (the default).",
    source: "W95DDK:S34C7",
  })],
  ["VPICD_Get_IRQ_Complete_Status", "3.0", hw({
    inputs: [r("EAX", "IRQ number")],
    outputs: [r("CF", "set if the IRQ is virtualized"), r("ECX", "VPICD_STAT_* flags")], uses: ["ECX", "Flags"],
    summary: "Status by IRQ number; tells whether someone virtualized it.", source: "W95DDK:S34C0",
  })],
  ["VPICD_Convert_Handle_To_IRQ", "3.0", hw({
    inputs: [irq], outputs: [r("ESI", "IRQ number")], uses: ["ESI", "Flags"],
    summary: "IRQ number of a handle.", source: "W95DDK:S34B9",
  })],
  ["VPICD_Convert_IRQ_To_Int", "3.0", hw({
    inputs: [r("EAX", "IRQ number"), vm], outputs: [r("CF", "set if the IRQ number is invalid"), r("EAX", "vector")],
    uses: ["EAX", "Flags"], summary: "Interrupt vector a VM maps the IRQ to.", source: "W95DDK:S34BB",
  })],
  ["VPICD_Convert_Int_To_IRQ", "3.0", hw({
    inputs: [vm, r("EAX", "vector")], outputs: [r("CF", "set if no IRQ maps to it"), r("EAX", "IRQ number")],
    uses: ["EAX", "Flags"], summary: "IRQ a VM maps to a vector.", source: "W95DDK:S34BA",
  })],
  ["VPICD_Call_When_Hw_Int", "3.0", hw({
    inputs: [r("ESI", "callback (gets EBX = current VM; must chain and keep EBX)")],
    outputs: [r("ESI", "next callback in the chain")], uses: ["ESI", "Flags"],
    summary: "Hook every hardware interrupt; call with interrupts disabled.", source: "W95DDK:S34B7",
  })],
  ["VPICD_Force_Default_Owner", "3.1", hw({
    inputs: [r("EAX", "IRQ number; high word VPICD_FDO_* flags"), r("EBX", "VM handle, 0 = global")],
    outputs: [r("CF", "set if the IRQ is virtualized or invalid")], uses: ["Flags"],
    summary: "Direct an unvirtualized IRQ to one VM, or make it global.", source: "W95DDK:S34BE",
  })],
  ["VPICD_Force_Default_Behavior", "3.1", hw({
    inputs: [irq], uses: ["Flags"], summary: "Unvirtualize an IRQ (e.g. at System_Exit); the handle dies.",
    source: "W95DDK:S34BD",
  })],
  ["VPICD_Auto_Mask_At_Inst_Swap", null, hw({ source: "VPICDH95" })],
  ["VPICD_Begin_Inst_Page_Swap", null, hw({ uses: ["Flags"], summary: "For the VMM's instance page swap only.", source: "VPICDH95" })],
  ["VPICD_End_Inst_Page_Swap", null, hw({ uses: ["Flags"], summary: "For the VMM's instance page swap only.", source: "W95DDK:S34BC" })],
  ["VPICD_Virtual_EOI", "4.0", hw({
    inputs: [irq, vm], summary: "Send VPICD a virtual EOI; the EOI procedures run as for a real one.",
    source: "W95DDK:S34CA; VPICDH95 (marked 4.0)",
  })],
  ["VPICD_Get_Virtualization_Count", "4.0", hw({
    inputs: [r("EAX", "IRQ number")], outputs: [r("EAX", "times the IRQ is virtualized")], uses: ["EAX"],
    source: "W95DDK:S34C3",
  })],
  ["VPICD_Post_Sys_Critical_Init", "4.0", hw({ source: "VPICDH95 (LOCAL)" })],
  ["VPICD_VM_SlavePIC_Mask_Change", "4.0", hw({
    inputs: [vm, r("ECX", "non-zero = IRQ 2 masked")], uses: ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "Flags"],
    summary: "Hookable notification that a VM (un)masked IRQ 2, i.e. IRQs 8–15.", source: "W95DDK:S34CC",
  })],
];

// 00h–06h are the 3.0 set (W30VDAG ch. 39); 07h first appears in VDAG31; 08h–0Ah in no page read.
const VTD: readonly Row[] = [
  ["VTD_Get_Version", "3.0", {
    outputs: [...version, r("EBX", "fastest interrupt period, ms"), r("ECX", "slowest interrupt period, ms")],
    uses: ["EAX", "EBX", "ECX", "Flags"], summary: "VTD version and the allowed interrupt periods.", source: "VDAG31",
  }],
  ["VTD_Update_System_Clock", "3.0", { uses: ["Flags"], summary: "Only the VMM calls this.", source: "VDAG31" }],
  ["VTD_Get_Interrupt_Period", "3.0", {
    outputs: [r("EAX", "ms between timer ticks")], uses: ["EAX", "Flags"], summary: "Current timer period.",
    source: "VDAG31 (its Uses line omits EAX)",
  }],
  ["VTD_Begin_Min_Int_Period", "3.0", {
    inputs: [r("EAX", "wanted interrupt period, ms")], outputs: [r("CF", "set if the period is invalid")],
    uses: ["Flags"], summary: "Guarantee a timer at least this fast until the matching End call.", source: "VDAG31",
  }],
  ["VTD_End_Min_Int_Period", "3.0", {
    inputs: [r("EAX", "period given to VTD_Begin_Min_Int_Period")], outputs: [r("CF", "set if invalid")],
    uses: ["Flags"], summary: "Withdraw a minimum-period request.", source: "VDAG31",
  }],
  ["VTD_Disable_Trapping", "3.0", {
    inputs: [vm], uses: ["Flags"], summary: "Stop trapping the timer ports for a VM (counted).", source: "VDAG31",
  }],
  ["VTD_Enable_Trapping", "3.0", {
    inputs: [vm], uses: ["Flags"], summary: "Undo one VTD_Disable_Trapping.", source: "VDAG31",
  }],
  ["VTD_Get_Real_Time", "3.1", {
    outputs: [r("EDX", "high dword of the tick count"), r("EAX", "low dword (ticks of about 0.8 µs since start)")],
    uses: ["EAX", "EDX", "Flags"], summary: "High-resolution time since Windows started.", source: "VDAG31; RBIL",
  }],
  ["VTD_Get_Date_And_Time", null, { source: "VTDH95" }],
  ["VTD_Adjust_VM_Count", null, { source: "VTDH95" }],
  ["VTD_Delay", null, {
    inputs: [r("ECX", "delay (unit not documented in the sources read)")], source: "VTDH95 (C wrapper passes ECX)",
  }],
];

const mbText = [r("EBX", "VM responsible for the message"), r("EAX", "MB_* flags"),
  r("ECX", "message text (ASCIIZ)"), r("EDI", "caption (ASCIIZ), 0 = standard caption")];

// 00h–04h: Win 3.0 (WIN30COMPAT block, W30VDAG ch. 34); 05h: 3.1; 06h–1Bh: the WIN31COMPAT (4.0) block.
const SHELL: readonly Row[] = [
  ["SHELL_Get_Version", "3.0", { outputs: version, uses: ["EAX", "Flags"], summary: "Shell device version.", source: "VDAG31" }],
  ["SHELL_Resolve_Contention", "3.0", {
    inputs: [r("EAX", "VM that owns the device"), r("EBX", "contending VM (must be current)"),
      r("ESI", "8-byte device name, upper case, space padded")],
    outputs: [r("EBX", "winning VM"), r("CF", "set if contention could not be resolved")], uses: ["EBX", "Flags"],
    summary: "Ask the user which VM gets a contended device.", source: "VDAG31",
  }],
  ["SHELL_Event", "3.0", {
    inputs: [r("EBX", "VM"), r("ECX", "event number"), r("EAX", "low word wParam, high word SE_WP_* boosts"),
      r("ESI", "callback or 0"), r("EDX", "reference data")],
    outputs: [r("CF", "set if not queued"), r("EAX", "event handle (only with a callback)")], uses: ["EAX", "Flags"],
    summary: "Post an event to the shell's ring-3 side.", source: "VDAG31",
  }],
  ["SHELL_SYSMODAL_Message", "3.0", {
    inputs: mbText, outputs: [r("EAX", "ID* response")], uses: ["EAX", "Flags"],
    summary: "System-modal message box (MB_SYSTEMMODAL required); waits for the answer.", source: "VDAG31",
  }],
  ["SHELL_Message", "3.0", {
    inputs: [...mbText, r("ESI", "callback or 0 (gets EAX = ID* response, EDX = reference data)"),
      r("EDX", "reference data")],
    outputs: [r("CF", "set on failure (e.g. no memory)"), r("EAX", "message handle")], uses: ["EAX", "Flags"],
    summary: "Queue a message box; the strings must stay valid until the callback runs, which must not trust EBX.",
    source: "VDAG31; W95DDK:S357C",
  }],
  ["SHELL_GetVMInfo", "3.1", {
    inputs: [vm], outputs: [r("EAX", "SGVMI_* flags")], uses: ["EAX", "ECX", "EDX", "ESI", "EDI", "Flags"],
    summary: "PIF settings of a VM; not valid before every device handled Create_VM.", source: "VDAG31",
  }],
  ...[
    "_SHELL_PostMessage", "_SHELL_ShellExecute", "_SHELL_PostShellMessage", "SHELL_DispatchRing0AppyEvents",
    "SHELL_Hook_Properties", "SHELL_Unhook_Properties", "SHELL_Update_User_Activity", "_SHELL_QueryAppyTimeAvailable",
    "_SHELL_CallAtAppyTime", "_SHELL_CancelAppyTimeEvent", "_SHELL_BroadcastSystemMessage",
    "_SHELL_HookSystemBroadcast", "_SHELL_UnhookSystemBroadcast", "_SHELL_LocalAllocEx", "_SHELL_LocalFree",
    "_SHELL_LoadLibrary", "_SHELL_FreeLibrary", "_SHELL_GetProcAddress", "_SHELL_CallDll",
    "_SHELL_SuggestSingleMSDOSMode", "SHELL_CheckHotkeyAllowed", "_SHELL_GetDOSAppInfo",
  ].map((name): Row => [name, "4.0", { source: "SHELLH95" }]),
];

// 00h–0Bh are outside the header's WIN31COMPAT block and documented in VDAG31 (whether 3.0 had them:
// no source read); 0Ch–12h are the 4.0 block.
const DOSMGR: readonly Row[] = [
  ["DOSMGR_Get_Version", null, {
    outputs: [r("AH", "major version"), r("AL", "minor version")], uses: ["EAX", "Flags"], source: "VDAG31",
  }],
  ["_DOSMGR_Set_Exec_VM_Data", null], ["DOSMGR_Copy_VM_Drive_State", null], ["_DOSMGR_Exec_VM", null],
  ["DOSMGR_Get_IndosPtr", null], ["DOSMGR_Add_Device", null], ["DOSMGR_Remove_Device", null],
  ["DOSMGR_Instance_Device", null],
  ["DOSMGR_Get_DOS_Crit_Status", null, {
    async: true, outputs: [r("ZF", "set if MS-DOS may be called now")], uses: ["Flags"],
    summary: "Whether MS-DOS is inside its own critical section (not Windows').", source: "VDAG31",
  }],
  ["DOSMGR_Enable_Indos_Polling", null], ["DOSMGR_BackFill_Allowed", null], ["DOSMGR_LocalGlobalReg", null],
  ...["DOSMGR_Init_UMB_Area", "DOSMGR_Begin_V86_App", "DOSMGR_End_V86_App", "DOSMGR_Alloc_Local_Sys_VM_Mem",
    "DOSMGR_Grow_CDSs", "DOSMGR_Translate_Server_DOS_Call", "DOSMGR_MMGR_PSP_Change_Notifier",
  ].map((name): Row => [name, "4.0"]),
];

const TABLES: readonly (readonly [Exclude<ServiceDevice, "VMM">, readonly Row[], string])[] = [
  ["VPICD", VPICD, "VPICDH95"],
  ["VTD", VTD, "VTDH95"],
  ["DOSMGR", DOSMGR, "DOSMGR95"],
  ["SHELL", SHELL, "SHELLH95"],
];

function deviceId(name: string): number {
  const d = deviceByName(name);
  if (!d) throw new Error(`device ${name} is not in devices.ts`);
  return d.id;
}

/** SHELL's message boxes: how a device tells the user something, e.g. why it objects to Query_Destroy
 *  (W95DDK:S343D). */
export const MESSAGE_BOX_SERVICES: readonly string[] = ["SHELL_Message", "SHELL_SYSMODAL_Message"];

/** Services of VPICD, VTD, DOSMGR and SHELL, each table in index order. */
export const DEVICE_SERVICES: readonly ServiceInfo[] = TABLES.flatMap(([device, rows, table]) => {
  const id = deviceId(device);
  return rows.map(([name, since, c = {}], index): ServiceInfo => ({
    name,
    device,
    index,
    id: ((id << 16) | index) >>> 0,
    since,
    convention: name.startsWith("_") ? "c" : "register",
    async: c.async ?? null,
    inputs: c.inputs ?? [],
    outputs: c.outputs ?? [],
    uses: c.uses ?? [],
    summary: c.summary ?? "",
    source: c.source && c.source !== table ? `${table} (index); ${c.source}` : table,
  }));
});

/** The services of VPICD, VTD, DOSMGR or SHELL, in index order (the VMM's are VMM_SERVICES). */
export function servicesOfDevice(device: Exclude<ServiceDevice, "VMM">): readonly ServiceInfo[] {
  return DEVICE_SERVICES.filter((s) => s.device === device);
}
