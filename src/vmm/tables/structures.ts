// Structures of vmm.inc as data (vmm-facts §5; layouts as in the Win95-family vmm.h).
// Field offsets are computed from the field order and sizes, exactly as STRUC lays them out.

export interface StrucField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** Default value the STRUC gives the field (e.g. `dd 500`); absent = `?` or not stated. */
  readonly init?: number;
}

export interface StrucDef {
  readonly name: string;
  readonly size: number;
  readonly fields: readonly StrucField[];
}

export interface NamedBit {
  readonly name: string;
  readonly bit: number;
}

function struc(name: string, layout: readonly (readonly [string, number, number?])[]): StrucDef {
  let offset = 0;
  const fields = layout.map(([fieldName, size, init]): StrucField => {
    const field = init === undefined ? { name: fieldName, offset, size } : { name: fieldName, offset, size, init };
    offset += size;
    return field;
  });
  return { name, size: offset, fields };
}

const D = 4;
const W = 2;
const B = 1;

/** What EBP points at in control procedures, traps and event callbacks. */
export const CLIENT_REG_STRUC: StrucDef = struc("Client_Reg_Struc", [
  ["Client_EDI", D], ["Client_ESI", D], ["Client_EBP", D], ["Client_res0", D],
  ["Client_EBX", D], ["Client_EDX", D], ["Client_ECX", D], ["Client_EAX", D],
  ["Client_Error", D], ["Client_EIP", D], ["Client_CS", W], ["Client_res1", W],
  ["Client_EFlags", D], ["Client_ESP", D], ["Client_SS", W], ["Client_res2", W],
  ["Client_ES", W], ["Client_res3", W], ["Client_DS", W], ["Client_res4", W],
  ["Client_FS", W], ["Client_res5", W], ["Client_GS", W], ["Client_res6", W],
  ["Client_Alt_EIP", D], ["Client_Alt_CS", W], ["Client_res7", W],
  ["Client_Alt_EFlags", D], ["Client_Alt_ESP", D],
  ["Client_Alt_SS", W], ["Client_res8", W], ["Client_Alt_ES", W], ["Client_res9", W],
  ["Client_Alt_DS", W], ["Client_res10", W], ["Client_Alt_FS", W], ["Client_res11", W],
  ["Client_Alt_GS", W], ["Client_res12", W],
]);

// The word and byte views overlay Client_Reg_Struc from offset 0 but end at their last named field,
// so SIZE gives 56h and 1Eh, as in vmm.h and the asm vmm.inc; code uses SIZE Client_Reg_Struc.
export const CLIENT_WORD_REG_STRUC: StrucDef = struc("Client_Word_Reg_Struc", [
  ["Client_DI", W], ["Client_res13", W], ["Client_SI", W], ["Client_res14", W],
  ["Client_BP", W], ["Client_res15", W], ["Client_res16", D],
  ["Client_BX", W], ["Client_res17", W], ["Client_DX", W], ["Client_res18", W],
  ["Client_CX", W], ["Client_res19", W], ["Client_AX", W], ["Client_res20", W],
  ["Client_res21", D], ["Client_IP", W], ["Client_res22", W], ["Client_res23", D],
  ["Client_Flags", W], ["Client_res24", W], ["Client_SP", W], ["Client_res25", W],
  ["Client_res26", 5 * D], ["Client_Alt_IP", W], ["Client_res27", W], ["Client_res28", D],
  ["Client_Alt_Flags", W], ["Client_res29", W], ["Client_Alt_SP", W],
]);

export const CLIENT_BYTE_REG_STRUC: StrucDef = struc("Client_Byte_Reg_Struc", [
  ["Client_res30", 4 * D],
  ["Client_BL", B], ["Client_BH", B], ["Client_res31", W],
  ["Client_DL", B], ["Client_DH", B], ["Client_res32", W],
  ["Client_CL", B], ["Client_CH", B], ["Client_res33", W],
  ["Client_AL", B], ["Client_AH", B],
]);

/** The stack image left by PUSHAD. */
export const PUSHAD_STRUC: StrucDef = struc("Pushad_Struc", [
  ["Pushad_EDI", D], ["Pushad_ESI", D], ["Pushad_EBP", D], ["Pushad_ESP", D],
  ["Pushad_EBX", D], ["Pushad_EDX", D], ["Pushad_ECX", D], ["Pushad_EAX", D],
]);

/** A VM handle points at this block. CB_Signature is Win95 only (Win 3.x stops at CB_VMID). */
export const VM_CONTROL_BLOCK: StrucDef = struc("cb_s", [
  ["CB_VM_Status", D], ["CB_High_Linear", D], ["CB_Client_Pointer", D], ["CB_VMID", D], ["CB_Signature", D],
]);

/** "VMcb" */
export const VMCB_ID = 0x62634d56;

/** Device Descriptor Block, emitted by Declare_Virtual_Device as <Name>_DDB. */
export const VXD_DESC_BLOCK: StrucDef = struc("VxD_Desc_Block", [
  ["DDB_Next", D], ["DDB_SDK_Version", W], ["DDB_Req_Device_Number", W],
  ["DDB_Dev_Major_Version", B], ["DDB_Dev_Minor_Version", B], ["DDB_Flags", W],
  ["DDB_Name", 8], ["DDB_Init_Order", D], ["DDB_Control_Proc", D],
  ["DDB_V86_API_Proc", D], ["DDB_PM_API_Proc", D], ["DDB_V86_API_CSIP", D], ["DDB_PM_API_CSIP", D],
  ["DDB_Reference_Data", D], ["DDB_Service_Table_Ptr", D], ["DDB_Service_Table_Size", D],
  ["DDB_Win32_Service_Table", D], ["DDB_Prev", D], ["DDB_Size", D],
  ["DDB_Reserved1", D], ["DDB_Reserved2", D], ["DDB_Reserved3", D],
]);

/** Bits of CB_VM_Status. VMStat_Idle_Timeout was VMStat_TS_Sched in Win 3.x. */
export const VM_STATUS_BITS: readonly NamedBit[] = [
  { name: "VMStat_Exclusive", bit: 0x00 },
  { name: "VMStat_Background", bit: 0x01 },
  { name: "VMStat_Creating", bit: 0x02 },
  { name: "VMStat_Suspended", bit: 0x03 },
  { name: "VMStat_Not_Executeable", bit: 0x04 },
  { name: "VMStat_PM_Exec", bit: 0x05 },
  { name: "VMStat_PM_App", bit: 0x06 },
  { name: "VMStat_PM_Use32", bit: 0x07 },
  { name: "VMStat_VxD_Exec", bit: 0x08 },
  { name: "VMStat_High_Pri_Back", bit: 0x09 },
  { name: "VMStat_Blocked", bit: 0x0a },
  { name: "VMStat_Awakening", bit: 0x0b },
  { name: "VMStat_PageableV86", bit: 0x0c },
  { name: "VMStat_V86IntsLocked", bit: 0x0d },
  { name: "VMStat_Idle_Timeout", bit: 0x0e },
  { name: "VMStat_Idle", bit: 0x0f },
  { name: "VMStat_Closing", bit: 0x10 },
  { name: "VMStat_TS_Suspended", bit: 0x11 },
  { name: "VMStat_TS_MaxPri", bit: 0x12 },
];

/** The header also spells two bit numbers without the underscore before "Bit". */
export const VM_STATUS_BIT_ALIASES: readonly NamedBit[] = [
  { name: "VMStat_PageableV86Bit", bit: 0x0c },
  { name: "VMStat_V86IntsLockedBit", bit: 0x0d },
];

/** VMStat_PM_Use32 | VMStat_VxD_Exec */
export const VMSTAT_USE32_MASK = (1 << 0x07) | (1 << 0x08);

/** Bits of DDB_Flags. */
export const DDB_FLAG_BITS: readonly NamedBit[] = [
  { name: "DDB_Sys_Crit_Init_Done", bit: 0 },
  { name: "DDB_Device_Init_Done", bit: 1 },
  { name: "DDB_Device_Dynalinked", bit: 13 },
  { name: "DDB_Has_Win32_Svcs", bit: 14 },
  { name: "DDB_Dynamic_VxD", bit: 15 },
];

/**
 * vpicd.inc's VPICD_IRQ_Descriptor (the C header's VID), passed in EDI to VPICD_Virtualize_IRQ.
 * Win 95 layout: VID_Hw_Int_Ref is "new for 4.0" (VPICDH95; W98DDK:kernel_9iif), so the 3.1 structure
 * (VDAG31 VPICD_IRQ_Descriptor) ends at 1Ch. Defaults as in the STRUC: 0 for the options and the optional
 * procedures, 500 ms for VID_IRET_Time_Out.
 */
export const VPICD_IRQ_DESCRIPTOR: StrucDef = struc("VPICD_IRQ_Descriptor", [
  ["VID_IRQ_Number", W], ["VID_Options", W, 0], ["VID_Hw_Int_Proc", D],
  ["VID_Virt_Int_Proc", D, 0], ["VID_EOI_Proc", D, 0], ["VID_Mask_Change_Proc", D, 0],
  ["VID_IRET_Proc", D, 0], ["VID_IRET_Time_Out", D, 500], ["VID_Hw_Int_Ref", D],
]);

/** Structures `include vmm.inc` defines. */
export const VMM_INC_STRUCS: readonly StrucDef[] = [
  CLIENT_REG_STRUC,
  CLIENT_WORD_REG_STRUC,
  CLIENT_BYTE_REG_STRUC,
  PUSHAD_STRUC,
  VM_CONTROL_BLOCK,
  VXD_DESC_BLOCK,
];

/** Every structure in the tables (vmm.inc's and the device headers'). */
export const ALL_STRUCS: readonly StrucDef[] = [...VMM_INC_STRUCS, VPICD_IRQ_DESCRIPTOR];

export function fieldOf(struc: StrucDef, name: string): StrucField | undefined {
  const lower = name.toLowerCase();
  return struc.fields.find((f) => f.name.toLowerCase() === lower);
}
