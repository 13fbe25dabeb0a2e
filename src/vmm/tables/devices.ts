// Standard device IDs and init orders of the Win95-family vmm.inc (vmm-facts §2.1, §2.2).
// vmm.inc spells them <Name>_Device_ID and <Name>_Init_Order; lower init orders initialise first.

export interface StandardDevice {
  readonly name: string;
  readonly id: number;
  readonly initOrder: number | null;
  readonly summary: string;
}

export interface InitOrder {
  readonly name: string;
  readonly value: number;
}

export const UNDEFINED_DEVICE_ID = 0;
export const UNDEFINED_INIT_ORDER = 0x80000000;
export const BASEID_FOR_NAMEBASEDVXD = 0xf000;
export const BASEID_FOR_NAMEBASEDVXD_MASK = 0x0fff;

// Init orders that other equates are written relative to.
const ENUMERATOR = 0x16800000;
const VCD = 0x30000000;
const COMMDRVR = VCD - 1;
const V86MMGR = 0xa0000000;
const IFSMGR = V86MMGR + 0x10000;

/** Init-order equates with no device ID of their own. */
export const INIT_ORDERS: readonly InitOrder[] = [
  { name: "ENUMERATOR", value: ENUMERATOR },
  { name: "IOS", value: 0x17000000 },
  { name: "COMMDRVR", value: COMMDRVR },
  { name: "PRTCL", value: COMMDRVR - 2 },
  { name: "MODEM", value: COMMDRVR - 3 },
  { name: "PORT", value: COMMDRVR - 4 },
  { name: "SCSIMaster", value: 0x41800000 },
  { name: "FSD", value: IFSMGR + 0x100 },
  { name: "Undef_Touch_Mem", value: 0xa8000000 },
];

type Row = readonly [name: string, id: number, initOrder: number | null, summary: string];

// Win 3.x differed for Debug (04000000h) and VFD (44000000h); the Win95 values are used here.
// Win98-era copies move NTKERN to 16200000h and CONFIGMG to 16400000h (path UNCONFIRMED).
const ROWS: readonly Row[] = [
  ["VMM", 0x01, 0x00000000, "the Virtual Machine Manager itself"],
  ["Debug", 0x02, 0x00000000, "debugger support; must initialise first"],
  ["VPICD", 0x03, 0x0c000000, "virtual programmable interrupt controller"],
  ["VDMAD", 0x04, 0x90000000, "virtual DMA controller"],
  ["VTD", 0x05, 0x14000000, "virtual timer"],
  ["V86MMGR", 0x06, V86MMGR, "V86-mode memory manager"],
  ["PageSwap", 0x07, 0x1c000000, "paging to the swap file"],
  ["Parity", 0x08, 0x20000000, "memory parity error handling"],
  ["Reboot", 0x09, 0x24000000, "reboot and local restart handling"],
  ["VDD", 0x0a, 0x28000000, "virtual display"],
  ["VSD", 0x0b, 0x2c000000, "virtual sound (speaker)"],
  ["VMD", 0x0c, 0x34000000, "virtual mouse"],
  ["VKD", 0x0d, 0x38000000, "virtual keyboard"],
  ["VCD", 0x0e, VCD, "virtual serial ports"],
  ["VPD", 0x0f, 0x3c000000, "virtual printer ports"],
  ["BlockDev", 0x10, 0x40000000, "block device layer"],
  ["VMCPD", 0x11, 0x48000000, "virtual math coprocessor"],
  ["EBIOS", 0x12, 0x26000000, "extended BIOS data area"],
  ["BIOSXlat", 0x13, 0x50000000, "BIOS call translation for protected mode"],
  ["VNETBIOS", 0x14, 0x54000000, "virtual NetBIOS"],
  ["DOSMGR", 0x15, 0x58000000, "MS-DOS manager"],
  ["WINLOAD", 0x16, 0x60000000, "Windows loader support"],
  ["SHELL", 0x17, 0xb0000000, "the shell device (VM creation, messages to the user)"],
  ["VMPoll", 0x18, 0x64000000, "idle-polling detection"],
  ["VPROD", 0x19, 0x08000000, ""],
  ["DOSNET", 0x1a, 0x5c000000, "MS-DOS network support"],
  ["VFD", 0x1b, IFSMGR + 0x50000, "virtual floppy"],
  ["VDD2", 0x1c, null, "secondary display adapter"],
  ["WINDEBUG", 0x1d, 0x81000000, "Windows debugging support"],
  ["TSRLoad", 0x1e, null, "TSR instancing utility"],
  ["BiosHook", 0x1f, 0x06000000, "BIOS interrupt hooking"],
  ["Int13", 0x20, 0x42000000, "INT 13h disk access"],
  ["PageFile", 0x21, 0x18000000, "paging file"],
  ["SCSI", 0x22, null, "SCSI device"],
  ["MCA_POS", 0x23, 0x41000000, "Micro Channel POS"],
  ["SCSIFD", 0x24, 0x41400000, "SCSI fast disk"],
  ["VPEND", 0x25, null, "pen input"],
  ["APM", 0x26, 0x01000000, "power management"],
  ["VPOWERD", 0x26, 0x01000000, "power management (reuses the APM ID and order, which it replaces)"],
  ["VXDLDR", 0x27, 0x16000000, "dynamic VxD loader"],
  ["NDIS", 0x28, null, "NDIS network driver wrapper"],
  ["BIOS_EXT", 0x29, null, "fixes for broken BIOSes"],
  ["VWIN32", 0x2a, 0x14100000, "Win32 support VxD"],
  ["VCOMM", 0x2b, null, "communications driver layer"],
  ["SPOOLER", 0x2c, null, "local print spooler"],
  ["WIN32S", 0x2d, null, "Win32s support on Windows 3.1"],
  ["DEBUGCMD", 0x2e, 0x00000000, "debugger command extensions"],
  ["CONFIGMG", 0x33, ENUMERATOR + 0xffff, "Plug and Play configuration manager; after all enumerators"],
  ["DWCFGMG", 0x34, null, "configuration manager for Windows 3.1 and MS-DOS"],
  ["SCSIPORT", 0x35, null, "SCSI miniport loader"],
  ["VFBACKUP", 0x36, null, "backup application support"],
  ["ENABLE", 0x37, null, "accessibility"],
  ["VCOND", 0x38, UNDEFINED_INIT_ORDER, "virtual console"],
  ["ISAPNP", 0x3c, ENUMERATOR, "ISA Plug and Play enumerator"],
  ["BIOS", 0x3d, ENUMERATOR + 1, "BIOS Plug and Play enumerator"],
  ["IFSMgr", 0x40, IFSMGR, "installable file system manager"],
  ["VCDFSD", 0x41, 0x16f00000, "static CD-ROM file system"],
  ["MRCI2", 0x42, null, "DriveSpace compression engine"],
  ["PCI", 0x43, ENUMERATOR, "PCI Plug and Play enumerator"],
  ["PELOADER", 0x44, null, "PE image loader"],
  ["EISA", 0x45, ENUMERATOR, "EISA Plug and Play enumerator"],
  ["DRAGCLI", 0x46, null, "network client"],
  ["DRAGSRV", 0x47, null, "network server"],
  ["PERF", 0x48, 0x00900000, "configuration and statistics"],
  ["AWREDIR", 0x49, null, "At Work network file system driver"],
  ["DDS", 0x4a, null, "device driver services"],
  ["NTKERN", 0x4b, 0x15000000, "NT kernel services for WDM drivers"],
  ["VDOSKEYD", 0x4b, null, "DOSKEY support (shares ID 4Bh with NTKERN)"],
  ["ETEN", 0x60, null, "Taiwanese DOS support"],
  ["CHBIOS", 0x61, null, "Korean DOS support"],
  ["VMSGD", 0x62, null, "DBCS message mode"],
  ["VPPID", 0x63, null, "PC-98 system control port"],
  ["VIME", 0x64, null, "virtual DOS input method editor"],
  ["VHBIOSD", 0x65, null, "Korean HBIOS support"],
];

export const STANDARD_DEVICES: readonly StandardDevice[] = ROWS.map(([name, id, initOrder, summary]) => ({
  name,
  id,
  initOrder,
  summary,
}));

const byId = new Map<number, StandardDevice>();
for (const d of STANDARD_DEVICES) if (!byId.has(d.id)) byId.set(d.id, d);
const byName = new Map(STANDARD_DEVICES.map((d) => [d.name.toLowerCase(), d]));

/** The first device listed with that ID (APM for 26h, NTKERN for 4Bh). */
export function deviceById(id: number): StandardDevice | undefined {
  return byId.get(id);
}

export function deviceByName(name: string): StandardDevice | undefined {
  return byName.get(name.toLowerCase());
}
