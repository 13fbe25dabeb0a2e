import { describe, expect, it } from "vitest";
import { DEVICE_SERVICES, servicesOfDevice } from "../../src/vmm/tables/device-services.js";
import {
  ALL_SERVICES,
  ALL_STRUCS,
  CONSTANTS,
  VMM_SERVICES,
  VPICD_IRQ_DESCRIPTOR,
  callbackContract,
  deviceByName,
  fieldOf,
  serviceById,
  serviceByName,
  TIME_OUT_CALLBACK_ENTRY,
  ASYNC_TIME_OUT_CALLBACK_ENTRY,
} from "../../src/vmm/tables/index.js";
import {
  DEVICE_INCLUDE_FILES,
  collectDeviceIncludeSymbols,
  findSymbolConflicts,
  includeStrucs,
  includeSymbols,
  vmmIncStrucs,
  vmmIncSymbols,
} from "../../src/vmm/vmm-inc.js";

const DEVICES = ["VPICD", "VTD", "DOSMGR", "SHELL"] as const;
const regs = (list: readonly { reg: string }[] | undefined) => list?.map((r) => r.reg);

describe("device service tables", () => {
  it("numbers every service (device ID << 16) | index, contiguously from 0", () => {
    for (const device of DEVICES) {
      const id = deviceByName(device)!.id;
      const table = servicesOfDevice(device);
      expect(table.length).toBeGreaterThan(0);
      table.forEach((s, i) => {
        expect(s.device).toBe(device);
        expect(s.index).toBe(i);
        expect(s.id).toBe(id * 0x10000 + i);
      });
    }
    expect(DEVICE_SERVICES).toHaveLength(servicesOfDevice("VPICD").length + servicesOfDevice("VTD").length
      + servicesOfDevice("DOSMGR").length + servicesOfDevice("SHELL").length);
  });

  it("starts every table with <Dev>_Get_Version", () => {
    for (const device of DEVICES) expect(servicesOfDevice(device)[0]!.name).toBe(`${device}_Get_Version`);
  });

  it("has the Win 95 header sizes and a few fixed points", () => {
    expect(servicesOfDevice("VPICD")).toHaveLength(0x19);
    expect(servicesOfDevice("VTD")).toHaveLength(0x0b);
    expect(servicesOfDevice("DOSMGR")).toHaveLength(0x13);
    expect(servicesOfDevice("SHELL")).toHaveLength(0x1c);
    expect(serviceByName("VPICD_Virtualize_IRQ")?.id).toBe(0x30001);
    expect(serviceByName("VPICD_Phys_EOI")?.id).toBe(0x30004);
    expect(serviceByName("VPICD_Physically_Mask")?.id).toBe(0x30008);
    expect(serviceByName("VPICD_Virtual_EOI")?.index).toBe(0x15);
    expect(serviceByName("VTD_Get_Real_Time")?.id).toBe(0x50007);
    expect(serviceByName("SHELL_Message")?.id).toBe(0x170004);
    expect(serviceByName("_SHELL_CallAtAppyTime")?.index).toBe(0x0e);
    expect(serviceByName("DOSMGR_Get_DOS_Crit_Status")?.id).toBe(0x150008);
    expect(serviceByName("DOSMGR_MMGR_PSP_Change_Notifier")?.index).toBe(0x12);
  });

  it("keeps names unique across all devices, the VMM included", () => {
    const names = ALL_SERVICES.map((s) => s.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ALL_SERVICES.map((s) => s.id)).size).toBe(ALL_SERVICES.length);
    expect(ALL_SERVICES).toHaveLength(VMM_SERVICES.length + DEVICE_SERVICES.length);
  });

  it("derives convention and version from the table", () => {
    expect(serviceByName("_SHELL_PostMessage")?.convention).toBe("c");
    expect(serviceByName("SHELL_Message")?.convention).toBe("register");
    expect(serviceByName("SHELL_Message")?.since).toBe("3.0");
    expect(serviceByName("SHELL_GetVMInfo")?.since).toBe("3.1");
    expect(serviceByName("_SHELL_GetDOSAppInfo")?.since).toBe("4.0");
    expect(serviceByName("VPICD_Force_Default_Owner")?.since).toBe("3.1");
    expect(serviceByName("VPICD_Begin_Inst_Page_Swap")?.since).toBeNull();
    expect(serviceByName("VTD_Get_Real_Time")?.since).toBe("3.1");
  });

  it("carries the documented contracts", () => {
    const virtualize = serviceByName("VPICD_Virtualize_IRQ");
    expect(virtualize?.async).toBe(false);
    expect(regs(virtualize?.inputs)).toEqual(["EDI"]);
    expect(regs(virtualize?.outputs)).toEqual(["CF", "EAX"]);
    expect(serviceByName("VPICD_Set_Int_Request")?.async).toBe(true);
    expect(regs(serviceByName("VPICD_Set_Int_Request")?.inputs)).toEqual(["EAX", "EBX"]);
    expect(regs(serviceByName("VPICD_Phys_EOI")?.inputs)).toEqual(["EAX"]);
    expect(serviceByName("VPICD_Phys_EOI")?.uses).toEqual(["Flags"]);
    expect(regs(serviceByName("VTD_Get_Real_Time")?.outputs)).toEqual(["EDX", "EAX"]);
    expect(regs(serviceByName("SHELL_Message")?.inputs)).toEqual(["EBX", "EAX", "ECX", "EDI", "ESI", "EDX"]);
    expect(serviceByName("DOSMGR_Get_DOS_Crit_Status")?.async).toBe(true);
    for (const s of DEVICE_SERVICES) {
      expect(s.source).not.toBe("");
      for (const out of s.outputs) {
        if (/^E[A-DSB]?[XIP]$/.test(out.reg)) expect(s.uses).toContain(out.reg);
      }
    }
  });
});

describe("lookups across devices", () => {
  it("finds any device's service by name, @@name and id, and says which device", () => {
    expect(serviceByName("vpicd_set_int_request")?.device).toBe("VPICD");
    expect(serviceByName("@@SHELL_SYSMODAL_Message")?.id).toBe(0x170003);
    expect(serviceById(0x50000)?.name).toBe("VTD_Get_Version");
    expect(serviceById(0x150000)?.name).toBe("DOSMGR_Get_Version");
    expect(serviceById(0x30018)?.name).toBe("VPICD_VM_SlavePIC_Mask_Change");
    expect(serviceById(0x30019)).toBeUndefined();
    expect(serviceById(0x20000)).toBeUndefined();
  });

  it("keeps the VMM lookups as they were", () => {
    expect(serviceByName("Call_VM_Event")?.device).toBe("VMM");
    expect(serviceByName("@@call_vm_event")?.id).toBe(0x10011);
    expect(serviceById(0x10093)?.name).toBe("System_Control");
    expect(serviceByName("No_Such_Service")).toBeUndefined();
  });
});

describe("time-out and scheduling contracts", () => {
  it("documents the time-out services", () => {
    for (const name of ["Set_Global_Time_Out", "Set_VM_Time_Out", "Set_Async_Time_Out"]) {
      const s = serviceByName(name)!;
      expect(regs(s.inputs)).toContain("EAX");
      expect(regs(s.inputs)).toContain("ESI");
      expect(regs(s.inputs)).toContain("EDX");
      expect(regs(s.outputs)).toEqual(["ESI"]);
      expect(s.uses).toEqual(["ESI", "Flags"]);
    }
    expect(regs(serviceByName("Set_VM_Time_Out")!.inputs)).toContain("EBX");
    expect(regs(serviceByName("Set_Global_Time_Out")!.inputs)).not.toContain("EBX");
    expect(regs(serviceByName("Cancel_Time_Out")!.inputs)).toEqual(["ESI"]);
    expect(regs(serviceByName("Get_System_Time")!.outputs)).toEqual(["EAX"]);
    expect(regs(serviceByName("Get_VM_Exec_Time")!.inputs)).toEqual(["EBX"]);
    expect(regs(serviceByName("Begin_Critical_Section")!.inputs)).toEqual(["ECX"]);
    expect(serviceByName("End_Critical_Section")!.uses).toEqual(["Flags"]);
    expect(regs(serviceByName("Adjust_Exec_Priority")!.inputs)).toEqual(["EAX", "EBX"]);
    expect(regs(serviceByName("Call_When_Not_Critical")!.inputs)).toEqual(["ESI", "EDX"]);
    for (const name of ["Call_Restricted_Event", "Cancel_Restricted_Event", "Call_Priority_VM_Event", "Cancel_Priority_VM_Event"]) {
      expect(serviceByName(name)!.inputs.length).toBeGreaterThan(0);
    }
  });

  it("tables the callbacks' entry registers and when they run", () => {
    const timeOut = callbackContract("TimeOutCallback")!;
    expect(timeOut.runsAt).toBe("event");
    expect(regs(timeOut.entry)).toEqual(["EBX", "ECX", "EDX", "EBP"]);
    expect(timeOut.entry.find((e) => e.reg === "ECX")?.meaning).toMatch(/tardiness/);
    const async = callbackContract("Async_Time_Out_Proc")!;
    expect(async.runsAt).toBe("hardware-interrupt");
    expect(regs(async.entry)).toEqual(["ECX", "EDX"]);
    expect(TIME_OUT_CALLBACK_ENTRY).toBe(timeOut.entry);
    expect(ASYNC_TIME_OUT_CALLBACK_ENTRY).toBe(async.entry);
    const hw = callbackContract("VID_Hw_Int_Proc")!;
    expect(hw.runsAt).toBe("hardware-interrupt");
    expect(hw.interruptsEnabled).toBe(false);
    expect(regs(hw.entry)).toEqual(["EAX", "EBX", "EDX"]);
    expect(hw.mayModify).toEqual(["EAX", "EBX", "ECX", "EDX", "ESI", "Flags"]);
    expect(hw.mayModify).not.toContain("EDI");
    expect(hw.returns).toMatch(/CF = 0 handled/);
    expect(callbackContract("CritSecCallback")?.mayModify).toContain("EDI");
  });
});

describe("VPICD_IRQ_Descriptor and the device constants", () => {
  it("lays out the descriptor as vpicd.h does", () => {
    const at = (name: string) => fieldOf(VPICD_IRQ_DESCRIPTOR, name)?.offset;
    expect(VPICD_IRQ_DESCRIPTOR.name).toBe("VPICD_IRQ_Descriptor");
    expect(VPICD_IRQ_DESCRIPTOR.size).toBe(0x20);
    expect(at("VID_IRQ_Number")).toBe(0x00);
    expect(at("VID_Options")).toBe(0x02);
    expect(at("VID_Hw_Int_Proc")).toBe(0x04);
    expect(at("VID_Virt_Int_Proc")).toBe(0x08);
    expect(at("VID_EOI_Proc")).toBe(0x0c);
    expect(at("VID_Mask_Change_Proc")).toBe(0x10);
    expect(at("VID_IRET_Proc")).toBe(0x14);
    expect(at("VID_IRET_Time_Out")).toBe(0x18);
    expect(at("VID_Hw_Int_Ref")).toBe(0x1c);
    expect(fieldOf(VPICD_IRQ_DESCRIPTOR, "VID_IRET_Time_Out")?.init).toBe(500);
    expect(fieldOf(VPICD_IRQ_DESCRIPTOR, "VID_Options")?.size).toBe(2);
    expect(ALL_STRUCS).toContain(VPICD_IRQ_DESCRIPTOR);
  });

  it("has the VPICD option flags with their bit numbers", () => {
    const value = (name: string) => CONSTANTS.find((c) => c.name === name)?.value;
    expect(value("VPICD_OPT_CAN_SHARE")).toBe(0x02);
    expect(value("VPICD_OPT_CAN_SHARE_BIT")).toBe(1);
    expect(value("VPICD_OPT_REF_DATA")).toBe(0x04);
    expect(value("VPICD_OPT_VIRT_INT_REJECT")).toBe(0x10);
    expect(value("VPICD_OPT_SHARE_PMODE_ONLY")).toBe(0x20);
    expect(value("VPICD_STAT_PHYS_IN_SERV")).toBe(0x08);
    expect(value("MB_SYSTEMMODAL")).toBe(0x1000);
    expect(value("VTD_API_GET_TIME")).toBe(0x100);
  });
});

describe("include views", () => {
  const vmmNames = new Set(vmmIncSymbols().map((s) => s.name.toLowerCase()));

  it("keeps vmm.inc to what vmm.inc defines", () => {
    expect(vmmNames.has("vpicd_virtualize_irq")).toBe(false);
    expect(vmmNames.has("vpicd_opt_can_share")).toBe(false);
    expect(vmmNames.has("mb_ok")).toBe(false);
    expect(vmmNames.has("call_vm_event")).toBe(true);
    expect(vmmIncStrucs().map((s) => s.name)).not.toContain("VPICD_IRQ_Descriptor");
  });

  it("gives each device header its services, @@names and equates", () => {
    const vpicd = new Map(includeSymbols("vpicd.inc")!.map((s) => [s.name.toLowerCase(), s.value]));
    expect(vpicd.get("vpicd_virtualize_irq")).toBe(0x30001);
    expect(vpicd.get("@@vpicd_phys_eoi")).toBe(0x30004);
    expect(vpicd.get("vpicd_opt_ref_data")).toBe(4);
    expect(vpicd.has("shell_message")).toBe(false);
    expect(includeSymbols("C:\\DDK\\INC32\\SHELL.INC")?.some((s) => s.name === "SHELL_Message")).toBe(true);
    expect(includeSymbols("inc/vtd.inc")?.some((s) => s.name === "VTD_API_GET_VERSION")).toBe(true);
    expect(includeSymbols("dosmgr.inc")?.filter((s) => !s.name.startsWith("@@"))).toHaveLength(0x13);
    expect(includeSymbols("vmm.inc")).toBeUndefined();
    expect(includeSymbols("debug.inc")).toBeUndefined();
    expect(includeStrucs("VPICD.INC")).toEqual([VPICD_IRQ_DESCRIPTOR]);
    expect(includeStrucs("shell.inc")).toEqual([]);
    expect(includeStrucs("ios.inc")).toBeUndefined();
  });

  it("never clashes with vmm.inc or with another header", () => {
    const seen = new Map<string, string>();
    for (const file of DEVICE_INCLUDE_FILES) {
      expect(findSymbolConflicts(collectDeviceIncludeSymbols(file))).toEqual([]);
      for (const s of includeSymbols(file)!) {
        const key = s.name.toLowerCase();
        expect(vmmNames.has(key), `${s.name} from ${file} is also in vmm.inc`).toBe(false);
        expect(seen.get(key) ?? file, `${s.name} is in ${seen.get(key)} and ${file}`).toBe(file);
        seen.set(key, file);
      }
      for (const struc of includeStrucs(file)!) {
        for (const f of struc.fields) expect(vmmNames.has(f.name.toLowerCase())).toBe(false);
      }
    }
  });
});
