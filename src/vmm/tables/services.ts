// The VMM service table (device 0001h), indices 000h–19Ah, in the order of Begin_Service_Table(VMM)
// in the Win95-family vmm.h (vmm-facts §3.3). Above 19Ah the two sources disagree, so nothing is listed.
// Register contracts come from vmm-facts §3.4/§4.2 and the DDK pages named in each `source`.
// The tables of other devices live in device-services.ts; serviceByName/serviceById search both.

import { DEVICE_SERVICES } from "./device-services.js";

export interface ServiceRegister {
  readonly reg: string;
  readonly meaning: string;
}

/** Devices whose service tables are known: the VMM here, the others in device-services.ts. */
export type ServiceDevice = "VMM" | "VPICD" | "VTD" | "SHELL" | "DOSMGR";

/** Windows version that introduced a service; null where no source pins it (device tables only). */
export type ServiceSince = "3.0" | "3.1" | "4.0";

export interface ServiceInfo {
  readonly name: string;
  readonly device: ServiceDevice;
  readonly index: number;
  /** (device ID << 16) | index: the dword VMMcall/VxDcall put after INT 20h. */
  readonly id: number;
  readonly since: ServiceSince | null;
  readonly convention: "register" | "c";
  readonly async: boolean | null;
  readonly inputs: readonly ServiceRegister[];
  readonly outputs: readonly ServiceRegister[];
  readonly uses: readonly string[];
  readonly summary: string;
  readonly source: string;
}

export const VMM_DEVICE_ID = 0x0001;
/** Index of the last service of the Win 3.0 table (the header's marker follows Test_DBCS_Lead_Byte). */
export const LAST_WIN30_SERVICE = 0x0d1;
/** Index of the last service of the Win 3.1 table (Get_Crit_Status_No_Block). */
export const LAST_WIN31_SERVICE = 0x0f1;

// One name per index. 192h–19Ah are OPK3 (4.03) additions; `since` can only say "4.0" for them.
const NAMES: readonly string[] = [
  /* 000 */ "Get_VMM_Version", "Get_Cur_VM_Handle", "Test_Cur_VM_Handle", "Get_Sys_VM_Handle",
  /* 004 */ "Test_Sys_VM_Handle", "Validate_VM_Handle", "Get_VMM_Reenter_Count", "Begin_Reentrant_Execution",
  /* 008 */ "End_Reentrant_Execution", "Install_V86_Break_Point", "Remove_V86_Break_Point", "Allocate_V86_Call_Back",
  /* 00C */ "Allocate_PM_Call_Back", "Call_When_VM_Returns", "Schedule_Global_Event", "Schedule_VM_Event",
  /* 010 */ "Call_Global_Event", "Call_VM_Event", "Cancel_Global_Event", "Cancel_VM_Event",
  /* 014 */ "Call_Priority_VM_Event", "Cancel_Priority_VM_Event", "Get_NMI_Handler_Addr", "Set_NMI_Handler_Addr",
  /* 018 */ "Hook_NMI_Event", "Call_When_VM_Ints_Enabled", "Enable_VM_Ints", "Disable_VM_Ints",
  /* 01C */ "Map_Flat", "Map_Lin_To_VM_Addr", "Adjust_Exec_Priority", "Begin_Critical_Section",
  /* 020 */ "End_Critical_Section", "End_Crit_And_Suspend", "Claim_Critical_Section", "Release_Critical_Section",
  /* 024 */ "Call_When_Not_Critical", "Create_Semaphore", "Destroy_Semaphore", "Wait_Semaphore",
  /* 028 */ "Signal_Semaphore", "Get_Crit_Section_Status", "Call_When_Task_Switched", "Suspend_VM",
  /* 02C */ "Resume_VM", "No_Fail_Resume_VM", "Nuke_VM", "Crash_Cur_VM",
  /* 030 */ "Get_Execution_Focus", "Set_Execution_Focus", "Get_Time_Slice_Priority", "Set_Time_Slice_Priority",
  /* 034 */ "Get_Time_Slice_Granularity", "Set_Time_Slice_Granularity", "Get_Time_Slice_Info", "Adjust_Execution_Time",
  /* 038 */ "Release_Time_Slice", "Wake_Up_VM", "Call_When_Idle", "Get_Next_VM_Handle",
  /* 03C */ "Set_Global_Time_Out", "Set_VM_Time_Out", "Cancel_Time_Out", "Get_System_Time",
  /* 040 */ "Get_VM_Exec_Time", "Hook_V86_Int_Chain", "Get_V86_Int_Vector", "Set_V86_Int_Vector",
  /* 044 */ "Get_PM_Int_Vector", "Set_PM_Int_Vector", "Simulate_Int", "Simulate_Iret",
  /* 048 */ "Simulate_Far_Call", "Simulate_Far_Jmp", "Simulate_Far_Ret", "Simulate_Far_Ret_N",
  /* 04C */ "Build_Int_Stack_Frame", "Simulate_Push", "Simulate_Pop", "_HeapAllocate",
  /* 050 */ "_HeapReAllocate", "_HeapFree", "_HeapGetSize", "_PageAllocate",
  /* 054 */ "_PageReAllocate", "_PageFree", "_PageLock", "_PageUnLock",
  /* 058 */ "_PageGetSizeAddr", "_PageGetAllocInfo", "_GetFreePageCount", "_GetSysPageCount",
  /* 05C */ "_GetVMPgCount", "_MapIntoV86", "_PhysIntoV86", "_TestGlobalV86Mem",
  /* 060 */ "_ModifyPageBits", "_CopyPageTable", "_LinMapIntoV86", "_LinPageLock",
  /* 064 */ "_LinPageUnLock", "_SetResetV86Pageable", "_GetV86PageableArray", "_PageCheckLinRange",
  /* 068 */ "_PageOutDirtyPages", "_PageDiscardPages", "_GetNulPageHandle", "_GetFirstV86Page",
  /* 06C */ "_MapPhysToLinear", "_GetAppFlatDSAlias", "_SelectorMapFlat", "_GetDemandPageInfo",
  /* 070 */ "_GetSetPageOutCount", "Hook_V86_Page", "_Assign_Device_V86_Pages", "_DeAssign_Device_V86_Pages",
  /* 074 */ "_Get_Device_V86_Pages_Array", "MMGR_SetNULPageAddr", "_Allocate_GDT_Selector", "_Free_GDT_Selector",
  /* 078 */ "_Allocate_LDT_Selector", "_Free_LDT_Selector", "_BuildDescriptorDWORDs", "_GetDescriptor",
  /* 07C */ "_SetDescriptor", "_MMGR_Toggle_HMA", "Get_Fault_Hook_Addrs", "Hook_V86_Fault",
  /* 080 */ "Hook_PM_Fault", "Hook_VMM_Fault", "Begin_Nest_V86_Exec", "Begin_Nest_Exec",
  /* 084 */ "Exec_Int", "Resume_Exec", "End_Nest_Exec", "Allocate_PM_App_CB_Area",
  /* 088 */ "Get_Cur_PM_App_CB", "Set_V86_Exec_Mode", "Set_PM_Exec_Mode", "Begin_Use_Locked_PM_Stack",
  /* 08C */ "End_Use_Locked_PM_Stack", "Save_Client_State", "Restore_Client_State", "Exec_VxD_Int",
  /* 090 */ "Hook_Device_Service", "Hook_Device_V86_API", "Hook_Device_PM_API", "System_Control",
  /* 094 */ "Simulate_IO", "Install_Mult_IO_Handlers", "Install_IO_Handler", "Enable_Global_Trapping",
  /* 098 */ "Enable_Local_Trapping", "Disable_Global_Trapping", "Disable_Local_Trapping", "List_Create",
  /* 09C */ "List_Destroy", "List_Allocate", "List_Attach", "List_Attach_Tail",
  /* 0A0 */ "List_Insert", "List_Remove", "List_Deallocate", "List_Get_First",
  /* 0A4 */ "List_Get_Next", "List_Remove_First", "_AddInstanceItem", "_Allocate_Device_CB_Area",
  /* 0A8 */ "_Allocate_Global_V86_Data_Area", "_Allocate_Temp_V86_Data_Area", "_Free_Temp_V86_Data_Area", "Get_Profile_Decimal_Int",
  /* 0AC */ "Convert_Decimal_String", "Get_Profile_Fixed_Point", "Convert_Fixed_Point_String", "Get_Profile_Hex_Int",
  /* 0B0 */ "Convert_Hex_String", "Get_Profile_Boolean", "Convert_Boolean_String", "Get_Profile_String",
  /* 0B4 */ "Get_Next_Profile_String", "Get_Environment_String", "Get_Exec_Path", "Get_Config_Directory",
  /* 0B8 */ "OpenFile", "Get_PSP_Segment", "GetDOSVectors", "Get_Machine_Info",
  /* 0BC */ "GetSet_HMA_Info", "Set_System_Exit_Code", "Fatal_Error_Handler", "Fatal_Memory_Error",
  /* 0C0 */ "Update_System_Clock", "Test_Debug_Installed", "Out_Debug_String", "Out_Debug_Chr",
  /* 0C4 */ "In_Debug_Chr", "Debug_Convert_Hex_Binary", "Debug_Convert_Hex_Decimal", "Debug_Test_Valid_Handle",
  /* 0C8 */ "Validate_Client_Ptr", "Test_Reenter", "Queue_Debug_String", "Log_Proc_Call",
  /* 0CC */ "Debug_Test_Cur_VM", "Get_PM_Int_Type", "Set_PM_Int_Type", "Get_Last_Updated_System_Time",
  /* 0D0 */ "Get_Last_Updated_VM_Exec_Time", "Test_DBCS_Lead_Byte", "_AddFreePhysPage", "_PageResetHandlePAddr",
  /* 0D4 */ "_SetLastV86Page", "_GetLastV86Page", "_MapFreePhysReg", "_UnmapFreePhysReg",
  /* 0D8 */ "_XchgFreePhysReg", "_SetFreePhysRegCalBk", "Get_Next_Arena", "Get_Name_Of_Ugly_TSR",
  /* 0DC */ "Get_Debug_Options", "Set_Physical_HMA_Alias", "_GetGlblRng0V86IntBase", "_Add_Global_V86_Data_Area",
  /* 0E0 */ "GetSetDetailedVMError", "Is_Debug_Chr", "Clear_Mono_Screen", "Out_Mono_Chr",
  /* 0E4 */ "Out_Mono_String", "Set_Mono_Cur_Pos", "Get_Mono_Cur_Pos", "Get_Mono_Chr",
  /* 0E8 */ "Locate_Byte_In_ROM", "Hook_Invalid_Page_Fault", "Unhook_Invalid_Page_Fault", "Set_Delete_On_Exit_File",
  /* 0EC */ "Close_VM", "Enable_Touch_1st_Meg", "Disable_Touch_1st_Meg", "Install_Exception_Handler",
  /* 0F0 */ "Remove_Exception_Handler", "Get_Crit_Status_No_Block", "_GetLastUpdatedThreadExecTime", "_Trace_Out_Service",
  /* 0F4 */ "_Debug_Out_Service", "_Debug_Flags_Service", "VMMAddImportModuleName", "VMM_Add_DDB",
  /* 0F8 */ "VMM_Remove_DDB", "Test_VM_Ints_Enabled", "_BlockOnID", "Schedule_Thread_Event",
  /* 0FC */ "Cancel_Thread_Event", "Set_Thread_Time_Out", "Set_Async_Time_Out", "_AllocateThreadDataSlot",
  /* 100 */ "_FreeThreadDataSlot", "_CreateMutex", "_DestroyMutex", "_GetMutexOwner",
  /* 104 */ "Call_When_Thread_Switched", "VMMCreateThread", "_GetThreadExecTime", "VMMTerminateThread",
  /* 108 */ "Get_Cur_Thread_Handle", "Test_Cur_Thread_Handle", "Get_Sys_Thread_Handle", "Test_Sys_Thread_Handle",
  /* 10C */ "Validate_Thread_Handle", "Get_Initial_Thread_Handle", "Test_Initial_Thread_Handle", "Debug_Test_Valid_Thread_Handle",
  /* 110 */ "Debug_Test_Cur_Thread", "VMM_GetSystemInitState", "Cancel_Call_When_Thread_Switched", "Get_Next_Thread_Handle",
  /* 114 */ "Adjust_Thread_Exec_Priority", "_Deallocate_Device_CB_Area", "Remove_IO_Handler", "Remove_Mult_IO_Handlers",
  /* 118 */ "Unhook_V86_Int_Chain", "Unhook_V86_Fault", "Unhook_PM_Fault", "Unhook_VMM_Fault",
  /* 11C */ "Unhook_Device_Service", "_PageReserve", "_PageCommit", "_PageDecommit",
  /* 120 */ "_PagerRegister", "_PagerQuery", "_PagerDeregister", "_ContextCreate",
  /* 124 */ "_ContextDestroy", "_PageAttach", "_PageFlush", "_SignalID",
  /* 128 */ "_PageCommitPhys", "_Register_Win32_Services", "Cancel_Call_When_Not_Critical", "Cancel_Call_When_Idle",
  /* 12C */ "Cancel_Call_When_Task_Switched", "_Debug_Printf_Service", "_EnterMutex", "_LeaveMutex",
  /* 130 */ "Simulate_VM_IO", "Signal_Semaphore_No_Switch", "_ContextSwitch", "_PageModifyPermissions",
  /* 134 */ "_PageQuery", "_EnterMustComplete", "_LeaveMustComplete", "_ResumeExecMustComplete",
  /* 138 */ "_GetThreadTerminationStatus", "_GetInstanceInfo", "_ExecIntMustComplete", "_ExecVxDIntMustComplete",
  /* 13C */ "Begin_V86_Serialization", "Unhook_V86_Page", "VMM_GetVxDLocationList", "VMM_GetDDBList",
  /* 140 */ "Unhook_NMI_Event", "Get_Instanced_V86_Int_Vector", "Get_Set_Real_DOS_PSP", "Call_Priority_Thread_Event",
  /* 144 */ "Get_System_Time_Address", "Get_Crit_Status_Thread", "Get_DDB", "Directed_Sys_Control",
  /* 148 */ "_RegOpenKey", "_RegCloseKey", "_RegCreateKey", "_RegDeleteKey",
  /* 14C */ "_RegEnumKey", "_RegQueryValue", "_RegSetValue", "_RegDeleteValue",
  /* 150 */ "_RegEnumValue", "_RegQueryValueEx", "_RegSetValueEx", "_CallRing3",
  /* 154 */ "Exec_PM_Int", "_RegFlushKey", "_PageCommitContig", "_GetCurrentContext",
  /* 158 */ "_LocalizeSprintf", "_LocalizeStackSprintf", "Call_Restricted_Event", "Cancel_Restricted_Event",
  /* 15C */ "Register_PEF_Provider", "_GetPhysPageInfo", "_RegQueryInfoKey", "MemArb_Reserve_Pages",
  /* 160 */ "Time_Slice_Sys_VM_Idle", "Time_Slice_Sleep", "Boost_With_Decay", "Set_Inversion_Pri",
  /* 164 */ "Reset_Inversion_Pri", "Release_Inversion_Pri", "Get_Thread_Win32_Pri", "Set_Thread_Win32_Pri",
  /* 168 */ "Set_Thread_Static_Boost", "Set_VM_Static_Boost", "Release_Inversion_Pri_ID", "Attach_Thread_To_Group",
  /* 16C */ "Detach_Thread_From_Group", "Set_Group_Static_Boost", "_GetRegistryPath", "_GetRegistryKey",
  /* 170 */ "Cleanup_Thread_State", "_RegRemapPreDefKey", "End_V86_Serialization", "_Assert_Range",
  /* 174 */ "_Sprintf", "_PageChangePager", "_RegCreateDynKey", "_RegQueryMultipleValues",
  /* 178 */ "Boost_Thread_With_VM", "Get_Boot_Flags", "Set_Boot_Flags", "_lstrcpyn",
  /* 17C */ "_lstrlen", "_lmemcpy", "_GetVxDName", "Force_Mutexes_Free",
  /* 180 */ "Restore_Forced_Mutexes", "_AddReclaimableItem", "_SetReclaimableItem", "_EnumReclaimableItem",
  /* 184 */ "Time_Slice_Wake_Sys_VM", "VMM_Replace_Global_Environment", "Begin_Non_Serial_Nest_V86_Exec", "Get_Nest_Exec_Status",
  /* 188 */ "Open_Boot_Log", "Write_Boot_Log", "Close_Boot_Log", "EnableDisable_Boot_Log",
  /* 18C */ "_Call_On_My_Stack", "Get_Inst_V86_Int_Vec_Base", "_lstrcmpi", "_strupr",
  /* 190 */ "Log_Fault_Call_Out", "_AtEventTime", "_PageOutPages", "_Call_On_My_Not_Flat_Stack",
  /* 194 */ "_LinRegionLock", "_LinRegionUnLock", "_AttemptingSomethingDangerous", "_Vsprintf",
  /* 198 */ "_Vsprintfw", "Load_FS_Service", "Assert_FS_Service",
];

/** What a table writes about one service; the rest of ServiceInfo is derived from its place in the table. */
export interface ServiceContract {
  readonly async?: boolean | null;
  readonly inputs?: readonly ServiceRegister[];
  readonly outputs?: readonly ServiceRegister[];
  readonly uses?: readonly string[];
  readonly summary?: string;
  readonly source?: string;
}

const r = (reg: string, meaning: string): ServiceRegister => ({ reg, meaning });
const ALL_REGS = ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "Flags"] as const;
const eventIn = [r("ESI", "callback address"), r("EDX", "reference data for the callback")];
const eventOut = [r("ESI", "0 if the callback already ran, else the event handle")];
const priorityIn = [
  r("EAX", "priority boost (0 = none)"),
  r("EBX", "VM handle"),
  r("ECX", "PEF_* flags"),
  r("EDX", "reference data for the callback"),
  r("ESI", "callback address"),
  r("EDI", "time-out in ms (only with PEF_Time_Out)"),
];
const timeOutOut = [r("ESI", "time-out handle, or 0 if none was scheduled")];

// `uses` lists everything a call may change: the page's "Uses" line plus every output register,
// which some pages leave out of their Uses line (Get_VMM_Version's ECX, Get_VMM_Reenter_Count's ECX).
const CONTRACTS: Readonly<Record<string, ServiceContract>> = {
  Get_VMM_Version: {
    outputs: [r("CF", "clear"), r("AH", "major version"), r("AL", "minor version"), r("ECX", "debug revision")],
    uses: ["EAX", "ECX", "Flags"],
    summary: "Report the VMM version; Win 3.1 answers 3.10, later values are not documented.",
    source: "VDAG31 Get_VMM_Version",
  },
  Get_Cur_VM_Handle: {
    async: true, outputs: [r("EBX", "current VM")], uses: ["EBX", "Flags"],
    summary: "Return the handle of the current VM.", source: "VDAG31 Get_Cur_VM_Handle",
  },
  Test_Cur_VM_Handle: {
    async: true, inputs: [r("EBX", "VM handle")], outputs: [r("ZF", "set if EBX is the current VM")], uses: ["Flags"],
    summary: "Test whether a handle is the current VM.", source: "VDAG31 Test_Cur_VM_Handle",
  },
  Get_Sys_VM_Handle: {
    async: true, outputs: [r("EBX", "System VM")], uses: ["EBX", "Flags"],
    summary: "Return the handle of the System VM.", source: "VDAG31 Get_Sys_VM_Handle",
  },
  Test_Sys_VM_Handle: {
    async: true, inputs: [r("EBX", "VM handle")], outputs: [r("ZF", "set if EBX is the System VM")], uses: ["Flags"],
    summary: "Test whether a handle is the System VM.", source: "VDAG31 Test_Sys_VM_Handle",
  },
  Validate_VM_Handle: {
    async: true, inputs: [r("EBX", "VM handle")], outputs: [r("CF", "set if the handle is not valid")], uses: ["Flags"],
    summary: "Check that a VM handle is valid.", source: "VDAG31 Validate_VM_Handle; W98DDK:kernel_8zlj",
  },
  Save_Client_State: {
    inputs: [r("EDI", "buffer of SIZE Client_Reg_Struc")], uses: ["Flags"],
    summary: "Copy the current VM's client registers to a buffer (Push_Client_State does it on the stack).",
    source: "VDAG31 Save_Client_State; W95DDK:S3305",
  },
  Restore_Client_State: {
    inputs: [r("ESI", "buffer Save_Client_State filled")], uses: ["Flags"],
    summary: "Put back client registers Save_Client_State saved (Pop_Client_State does it from the stack); may enable the VM's interrupts.",
    source: "VDAG31 Restore_Client_State; W98DDK:kernel_92wi",
  },
  Get_VMM_Reenter_Count: {
    // Not labelled on its page, but it exists to be asked while re-entered, and the asynchronous
    // Call_VM_Event and Call_Global_Event call it to decide (W95DDK:S3280).
    async: true,
    outputs: [r("ECX", "0 if the VMM was not re-entered, else the re-entry count")], uses: ["ECX", "Flags"],
    summary: "Tell whether only asynchronous services may be called right now.",
    source: "VDAG31 Get_VMM_Reenter_Count; W95DDK:S3280",
  },
  Get_Next_VM_Handle: {
    inputs: [r("EBX", "VM handle")], outputs: [r("EBX", "next VM in the circular list")], uses: ["EBX", "Flags"],
    summary: "Walk the circular VM list; the order is not guaranteed, stop on returning to the start.",
    source: "VDAG31 Get_Next_VM_Handle; W95DDK:S327D",
  },
  Schedule_Global_Event: {
    async: true, inputs: eventIn, outputs: [r("ESI", "event handle")], uses: ["ESI"],
    summary: "Queue a callback that may run in any VM.", source: "VDAG31 Schedule_Global_Event; W95DDK:S31DB",
  },
  Schedule_VM_Event: {
    async: true, inputs: [r("EBX", "VM handle (must be valid)"), ...eventIn], outputs: [r("ESI", "event handle")],
    uses: ["ESI"], summary: "Queue a callback that runs with the given VM current.",
    source: "VDAG31 Schedule_VM_Event; W95DDK:S31E2",
  },
  Call_Global_Event: {
    async: true, inputs: eventIn, outputs: eventOut, uses: ["ESI", "Flags"],
    summary: "Run a global callback now if the VMM may be entered, else queue it.",
    source: "VDAG31 Call_Global_Event; W95DDK:S31D8",
  },
  Call_VM_Event: {
    async: true, inputs: [r("EBX", "VM handle"), ...eventIn], outputs: eventOut, uses: ["ESI", "Flags"],
    summary: "Run the callback now if the VM is current and no interrupt interrupted the VMM, else queue it.",
    source: "VDAG31 Call_VM_Event; W95DDK:S31DD",
  },
  Cancel_Global_Event: {
    async: true, inputs: [r("ESI", "event handle (0 = nothing to cancel)")],
    summary: "Cancel a pending global event; asynchronous per the Win 95 page (the Win 3.1 page is silent).",
    source: "VDAG31 Cancel_Global_Event; W95DDK:S31D9",
  },
  Cancel_VM_Event: {
    async: true, inputs: [r("EBX", "VM the event was scheduled for"), r("ESI", "event handle (0 = nothing)")],
    uses: ["Flags"], summary: "Cancel a pending VM event; asynchronous per the Win 95 page.",
    source: "VDAG31 Cancel_VM_Event; W95DDK:S31DF",
  },
  Call_Priority_VM_Event: {
    async: true, inputs: priorityIn, outputs: eventOut, uses: ["ESI", "Flags"],
    summary: "Boost a VM and run the callback in it once the PEF_* conditions hold.",
    source: "VDAG31 Call_Priority_VM_Event; W95DDK:S31E4; W98DDK:kernel_8th1",
  },
  Cancel_Priority_VM_Event: {
    inputs: [r("ESI", "event handle (0 = nothing)")], uses: ["ESI", "Flags"],
    summary: "Cancel a priority event and drop its boost, even with PEF_Dont_Unboost.",
    source: "VDAG31 Cancel_Priority_VM_Event; W95DDK:S31E5",
  },
  Call_Restricted_Event: {
    async: true,
    inputs: [
      r("EAX", "priority boost"),
      r("EBX", "0 (global), a VM, or a thread with PEF_Thread_Event"),
      ...priorityIn.slice(2),
    ],
    outputs: eventOut, uses: ["ESI", "Flags"],
    summary: "Run a global, VM or thread callback once the PEF_* restrictions are met.",
    source: "W95DDK:S31E8",
  },
  Cancel_Restricted_Event: {
    inputs: [r("ESI", "event handle (0 = nothing)")], uses: ["ESI", "Flags"],
    summary: "Cancel a restricted event and remove its boost.", source: "W95DDK:S31E9",
  },
  Schedule_Thread_Event: { summary: "Thread counterpart of Schedule_VM_Event.", source: "W95DDK:S31D6; VMMH95" },
  Cancel_Thread_Event: { summary: "Thread counterpart of Cancel_VM_Event.", source: "W95DDK:S31D6; VMMH95" },
  Call_Priority_Thread_Event: {
    summary: "Thread counterpart of Call_Priority_VM_Event.", source: "W95DDK:S31D6; VMMH95",
  },
  // Critical section and priority. The Win 95 pages (W95DDK:S33A2, S33A8, S33A3) repeat the 3.1 contracts.
  Begin_Critical_Section: {
    inputs: [r("ECX", "Block_* flags: how to service interrupts while blocked waiting (never Block_Poll)")],
    uses: ["Flags"],
    summary: "Claim the critical section (counted), blocking while another VM owns it; boosts by Critical_Section_Boost.",
    source: "VDAG31 Begin_Critical_Section; W95DDK:S33A2 (adds Block_Thread_Idle)",
  },
  End_Critical_Section: {
    uses: ["Flags"], summary: "Drop one claim; the section is released, and may switch tasks, when the count reaches zero.",
    source: "VDAG31 End_Critical_Section; W95DDK:S33A8",
  },
  Adjust_Exec_Priority: {
    inputs: [r("EAX", "signed boost added to the priority"), r("EBX", "VM handle")], uses: ["Flags"],
    summary: "Raise or lower a VM's execution priority; may switch tasks.", source: "VDAG31 Adjust_Exec_Priority",
  },
  Call_When_Not_Critical: {
    inputs: [r("ESI", "callback address (CritSecCallback)"), r("EDX", "reference data")], uses: ["Flags"],
    summary: "One-shot callback once the critical section is free and the priority is below Critical_Section_Boost; "
      + "the most recent one installed runs first.",
    source: "VDAG31 Call_When_Not_Critical; W95DDK:S33A3; W98DDK:kernel_990w (Win 95 implements it as a restricted event)",
  },
  // Time-outs. Callback entry registers: TIME_OUT_CALLBACKS in events.ts.
  Set_Global_Time_Out: {
    async: true, inputs: [r("EAX", "delay in ms"), ...eventIn], outputs: timeOutOut, uses: ["ESI", "Flags"],
    summary: "Call back once the delay has passed in wall-clock time; the callback runs at event time.",
    source: "VDAG31 Set_Global_Time_Out; W95DDK:S32F0; W95DDK:S32E4; W98DDK:kernel_92sz (asynchronous)",
  },
  Set_VM_Time_Out: {
    async: true, inputs: [r("EAX", "delay in ms"), r("EBX", "VM handle"), ...eventIn], outputs: timeOutOut,
    uses: ["ESI", "Flags"],
    summary: "Call back once the VM itself has run for the delay (time other VMs run is not counted); event time.",
    source: "VDAG31 Set_VM_Time_Out; W95DDK:S32F3; W95DDK:S32E4; W98DDK:kernel_92t2 (asynchronous)",
  },
  Set_Async_Time_Out: {
    inputs: [r("EAX", "delay in ms"), ...eventIn], outputs: timeOutOut, uses: ["ESI", "Flags"],
    summary: "Time-out whose callback runs at hardware-interrupt time, with no client registers in EBP.",
    source: "W95DDK:S32EF; W95DDK:S32EE; W95DDK:S32E4 (whether the service itself is asynchronous: not stated)",
  },
  Cancel_Time_Out: {
    inputs: [r("ESI", "time-out handle (0 = nothing); must not have run or been cancelled")], uses: ["Flags"],
    summary: "Cancel a global, VM, thread or async time-out; the handle is invalid afterwards.",
    source: "VDAG31 Cancel_Time_Out; W95DDK:S32E6",
  },
  Get_System_Time: {
    async: true, outputs: [r("EAX", "ms since Windows started (1 ms accurate)")], uses: ["EAX", "Flags"],
    summary: "Millisecond clock since start-up; wraps after about 49.7 days.",
    source: "VDAG31 Get_System_Time; W95DDK:S32EA",
  },
  Get_Last_Updated_System_Time: {
    async: true, outputs: [r("EAX", "ms since Windows started (about 50 ms accurate)")], uses: ["EAX", "Flags"],
    summary: "Cheaper, coarser Get_System_Time.", source: "VDAG31; W95DDK:S32E7",
  },
  // Win 3.1 reads the current VM; the Win 95 pages take the VM in EBX. We follow Win 95.
  Get_VM_Exec_Time: {
    async: true, inputs: [r("EBX", "VM handle (Win 95; Win 3.1 used the current VM)")],
    outputs: [r("EAX", "ms the VM has run (1 ms accurate)")], uses: ["EAX", "Flags"],
    summary: "How long a VM has actually run, starting from 0 when it was created.",
    source: "VDAG31 Get_VM_Exec_Time; W95DDK:S32ED",
  },
  Get_Last_Updated_VM_Exec_Time: {
    async: true, inputs: [r("EBX", "VM handle (Win 95)")],
    outputs: [r("EAX", "ms the VM has run (about 50 ms accurate)")], uses: ["EAX", "Flags"],
    summary: "Cheaper, coarser Get_VM_Exec_Time.", source: "VDAG31; W95DDK:S32E9",
  },
  System_Control: {
    inputs: [
      r("EAX", "message"), r("EBX", "VM handle, if the message needs one"),
      r("ESI", "parameter 1"), r("EDI", "parameter 2"), r("EDX", "parameter 3"),
    ],
    outputs: [r("CF", "set on failure"), r("EBX", "new VM after Create_VM"), r("EDI", "new thread after Create_Thread")],
    uses: ["EBX", "ECX", "EDI", "Flags"],
    summary: "Send a message to every device (and the VMM); ECX is used by the service and never reaches the receiver.",
    source: "VDAG31 System_Control; W95DDK:S32CF; W98DDK:kernel_92nk",
  },
  Directed_Sys_Control: {
    inputs: [
      r("ECX", "DDB of the target device"), r("EAX", "message"),
      r("EBX", "parameter"), r("ESI", "parameter"), r("EDI", "parameter"), r("EDX", "parameter"),
    ],
    outputs: [r("CF", "the target control procedure's answer")], uses: ["Flags"],
    summary: "Jump to one device's control procedure; the other registers pass through unchanged.",
    source: "W98DDK:kernel_8zud; VMMH95",
  },
  Out_Debug_String: {
    inputs: [r("ESI", "ASCIIZ string (read with LODS, so DS must be flat)")], uses: ALL_REGS,
    summary: "Print to the debug terminal; #REG/?REG placeholders need pushfd/pushad before the call.",
    source: "VDAG31 Out_Debug_String",
  },
  Fatal_Error_Handler: {
    inputs: [r("ESI", "message or 0"), r("EAX", "exit flags (EF_Hang_On_Exit)")], uses: ALL_REGS,
    summary: "Stop Windows with an optional message; never returns.", source: "VDAG31 Fatal_Error_Handler; VMMH95",
  },
  Simulate_Int: {
    inputs: [r("EAX", "interrupt number")], uses: ["Client_CS", "Client_EIP", "Client_Flags", "Flags"],
    summary: "Set up an interrupt in the current VM's client state; it runs when the VM resumes.",
    source: "VDAG31 Simulate_Int",
  },
  Exec_Int: {
    inputs: [r("EAX", "interrupt number")], uses: ["Flags"],
    summary: "Simulate an interrupt and run the VM until it returns; only inside a nested execution block.",
    source: "VDAG31 Exec_Int",
  },
  // Only the asynchronous status is documented for these (vmm-facts §7 rule 12).
  Get_Crit_Section_Status: { async: false, source: "VDAG31" },
  ...Object.fromEntries(
    [
      "Get_Crit_Status_No_Block", "Get_Time_Slice_Info", "Test_Reenter", "Log_Proc_Call", "Validate_Client_Ptr",
      "Enable_Touch_1st_Meg", "Disable_Touch_1st_Meg", "_XchgFreePhysReg",
    ].map((name): [string, ServiceContract] => [name, { async: true, source: "VDAG31" }]),
  ),
};

function sinceOf(index: number): ServiceSince {
  if (index <= LAST_WIN30_SERVICE) return "3.0";
  return index <= LAST_WIN31_SERVICE ? "3.1" : "4.0";
}

/** Services that reflect an interrupt into the VM: those some messages forbid (each message's
 *  maySimulateInt, vmm-facts §7 rule 6). */
export const INTERRUPT_SIMULATION_SERVICES: readonly string[] = ["Simulate_Int", "Exec_Int"];

/** Services that run code in the VM from its client registers, or set the VM up to (nested
 *  execution): code that changes the client registers before them should save the client state
 *  first (W95DDK:S31D5, VDAG31 Begin_Nest_Exec). */
export const VM_EXECUTION_SERVICES: readonly string[] = [
  "Begin_Nest_Exec", "Begin_Nest_V86_Exec", "Exec_Int", "Exec_VxD_Int", "Resume_Exec", "Simulate_Int", "Simulate_Far_Call", "Simulate_Far_Jmp",
];

export const VMM_SERVICES: readonly ServiceInfo[] = NAMES.map((name, index) => {
  const c = CONTRACTS[name] ?? {};
  return {
    name,
    device: "VMM",
    index,
    id: (VMM_DEVICE_ID << 16) | index,
    since: sinceOf(index),
    convention: name.startsWith("_") ? "c" : "register",
    async: c.async ?? null,
    inputs: c.inputs ?? [],
    outputs: c.outputs ?? [],
    uses: c.uses ?? [],
    summary: c.summary ?? "",
    source: c.source ?? "",
  };
});

for (const name of Object.keys(CONTRACTS)) {
  if (!NAMES.includes(name)) throw new Error(`contract for unknown VMM service ${name}`);
}

/** Every known service: the VMM's, then VPICD, VTD, SHELL and DOSMGR (device-services.ts). */
export const ALL_SERVICES: readonly ServiceInfo[] = [...VMM_SERVICES, ...DEVICE_SERVICES];

const byName = new Map<string, ServiceInfo>();
const byId = new Map<number, ServiceInfo>();
for (const s of ALL_SERVICES) {
  if (byName.has(s.name.toLowerCase())) throw new Error(`service ${s.name} is listed twice`);
  if (byId.has(s.id)) throw new Error(`service id ${s.id.toString(16)}h is listed twice`);
  byName.set(s.name.toLowerCase(), s);
  byId.set(s.id, s);
}

/**
 * A service of any known device, by name (case-insensitive, with or without the `@@` prefix).
 * Callers that accept only VMM services (VMMcall/VMMjmp) must check `device === "VMM"`.
 */
export function serviceByName(name: string): ServiceInfo | undefined {
  const bare = name.startsWith("@@") ? name.slice(2) : name;
  return byName.get(bare.toLowerCase());
}

/** A service of any known device by its id (device << 16 | index); the id is taken as unsigned. */
export function serviceById(id: number): ServiceInfo | undefined {
  return byId.get(id >>> 0);
}
