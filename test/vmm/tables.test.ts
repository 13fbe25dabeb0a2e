import { describe, expect, it } from "vitest";
import {
  BOOSTS,
  CLIENT_BYTE_REG_STRUC,
  CLIENT_REG_STRUC,
  CLIENT_WORD_REG_STRUC,
  DDB_FLAG_BITS,
  MESSAGES,
  PEF_FLAGS,
  PUSHAD_STRUC,
  STANDARD_DEVICES,
  VM_CONTROL_BLOCK,
  VM_STATUS_BITS,
  VMM_SERVICES,
  VXD_DESC_BLOCK,
  deviceById,
  deviceByName,
  fieldOf,
  isPrivateMessage,
  messageByName,
  messageByValue,
  serviceById,
  serviceByName,
} from "../../src/vmm/tables/index.js";
import type { StrucDef } from "../../src/vmm/tables/index.js";
import { collectIncludeSymbols, findSymbolConflicts, vmmIncStrucs, vmmIncSymbols } from "../../src/vmm/vmm-inc.js";

const symbols = new Map(vmmIncSymbols().map((s) => [s.name.toLowerCase(), s.value]));
const symbol = (name: string) => symbols.get(name.toLowerCase());
const offset = (struc: StrucDef, name: string) => fieldOf(struc, name)?.offset;

describe("System_Control messages", () => {
  it("has every value from 00h to 36h exactly once", () => {
    expect(MESSAGES.map((m) => m.value)).toEqual(Array.from({ length: 0x37 }, (_, i) => i));
    expect(new Set(MESSAGES.map((m) => m.name.toLowerCase())).size).toBe(MESSAGES.length);
  });

  it("numbers the messages as vmm.inc does", () => {
    expect(messageByName("Create_VM")?.value).toBe(7);
    expect(messageByName("Set_Device_Focus")?.value).toBe(0x0f);
    expect(messageByName("Power_Event")?.value).toBe(0x1a);
    expect(messageByName("Destroy_Process")?.value).toBe(0x34);
    expect(messageByValue(0x22)?.name).toBe("PNP_New_Devnode");
  });

  it("sends the …2 messages in reverse order, naming their base", () => {
    const companions = MESSAGES.filter((m) => m.value >= 0x24 && m.value <= 0x2f);
    expect(companions).toHaveLength(12);
    for (const m of companions) {
      expect(m.order).toBe("reverse-init-order");
      expect(m.companionOf).not.toBeNull();
      expect(m.name).toBe(`${m.companionOf}2`);
      expect(messageByName(m.companionOf ?? "")?.order).toBe("init-order");
    }
    expect(messageByName("Sys_Critical_Exit2")?.mayEnableInterrupts).toBe(false);
  });

  it("records who may send what", () => {
    expect(messageByName("Create_VM")?.sender).toBe("shell");
    expect(messageByName("Destroy_VM")?.sender).toBe("shell");
    expect(messageByName("End_PM_App")?.sender).toBe("dosmgr");
    expect(messageByName("Power_Event")?.sender).toBe("vpowerd");
    expect(messageByName("Set_Device_Focus")?.sender).toBe("any-device");
    expect(messageByName("Destroy_VM2")?.sender).toBe("vmm");
  });

  it("keeps the Sys_VM_Init conflict and the failable/non-failable split", () => {
    const sysVmInit = messageByName("Sys_VM_Init");
    expect(sysVmInit?.failable).toBe("conflict");
    expect(sysVmInit?.onFailure).toMatch(/3\.1/);
    expect(messageByName("Device_Init")?.failable).toBe("can-fail");
    expect(messageByName("Destroy_VM")?.failable).toBe("cannot-fail");
    expect(messageByName("Kernel32_Initialized")?.failable).toBe("unknown");
    for (const m of MESSAGES) if (m.failable === "cannot-fail") expect(m.onFailure).toBe("");
  });

  it("records the interrupt and preservation rules", () => {
    for (const name of ["Sys_Critical_Init", "VM_Critical_Init", "Sys_Critical_Exit", "Crit_Reboot_Notify"]) {
      expect(messageByName(name)?.mayEnableInterrupts).toBe(false);
    }
    expect(messageByName("Device_Init")?.maySimulateInt).toBe(true);
    expect(messageByName("Destroy_VM")?.maySimulateInt).toBe(false);
    expect(messageByName("Kernel32_Shutdown")?.maySimulateInt).toBeNull();
    expect(messageByName("PNP_New_Devnode")?.preserves).toEqual(["EBX", "ESI", "EDI", "EBP"]);
    expect(messageByName("Power_Event")?.preserves).toEqual(["EDX"]);
  });

  it("looks names up case-insensitively and knows the private range", () => {
    expect(messageByName("SYS_CRITICAL_INIT")?.value).toBe(0);
    expect(messageByName("sys_vm_terminate2")?.value).toBe(0x24);
    expect(isPrivateMessage(0x70000000)).toBe(true);
    expect(isPrivateMessage(0x7fffffff)).toBe(true);
    expect(isPrivateMessage(0x6fffffff)).toBe(false);
    expect(isPrivateMessage(0x80000000)).toBe(false);
  });
});

describe("devices", () => {
  it("has the standard IDs and init orders", () => {
    expect(deviceByName("shell")?.id).toBe(0x17);
    expect(deviceByName("SHELL")?.initOrder).toBe(0xb0000000);
    expect(deviceByName("vpicd")?.initOrder).toBe(0x0c000000);
    expect(deviceByName("VPOWERD")?.id).toBe(0x26);
    expect(deviceById(0x26)?.name).toBe("APM");
    expect(deviceById(1)?.name).toBe("VMM");
    expect(deviceById(0x4b)?.name).toBe("NTKERN");
  });

  it("never repeats a device name", () => {
    expect(new Set(STANDARD_DEVICES.map((d) => d.name.toLowerCase())).size).toBe(STANDARD_DEVICES.length);
  });
});

describe("VMM services", () => {
  it("is contiguous from 0 to 19Ah with id = 10000h + index", () => {
    expect(VMM_SERVICES).toHaveLength(0x19b);
    VMM_SERVICES.forEach((s, i) => {
      expect(s.index).toBe(i);
      expect(s.id).toBe(0x10000 + i);
    });
    expect(new Set(VMM_SERVICES.map((s) => s.name.toLowerCase())).size).toBe(VMM_SERVICES.length);
  });

  it("passes the .errnz cross-checks", () => {
    expect(serviceByName("Test_DBCS_Lead_Byte")?.id).toBe(0x100d1);
    expect(serviceByName("Get_Crit_Status_No_Block")?.id).toBe(0x100f1);
    expect(serviceByName("System_Control")?.index).toBe(0x93);
    expect(serviceByName("Schedule_VM_Event")?.index).toBe(0x0f);
    expect(serviceByName("Get_VMM_Version")?.index).toBe(0);
    expect(serviceByName("Directed_Sys_Control")?.index).toBe(0x147);
    expect(serviceByName("_AtEventTime")?.index).toBe(0x191);
  });

  it("derives version, convention and lookups", () => {
    expect(serviceByName("Test_DBCS_Lead_Byte")?.since).toBe("3.0");
    expect(serviceByName("_AddFreePhysPage")?.since).toBe("3.1");
    expect(serviceByName("_GetLastUpdatedThreadExecTime")?.since).toBe("4.0");
    expect(serviceByName("_HeapAllocate")?.convention).toBe("c");
    expect(serviceByName("Call_VM_Event")?.convention).toBe("register");
    expect(serviceByName("@@call_vm_event")?.index).toBe(0x11);
    expect(serviceById(0x10093)?.name).toBe("System_Control");
    expect(serviceById(0x20000)).toBeUndefined();
  });

  it("carries the documented contracts", () => {
    const callVmEvent = serviceByName("Call_VM_Event");
    expect(callVmEvent?.async).toBe(true);
    expect(callVmEvent?.inputs.map((r) => r.reg)).toEqual(["EBX", "ESI", "EDX"]);
    expect(callVmEvent?.outputs.map((r) => r.reg)).toEqual(["ESI"]);
    expect(serviceByName("Get_Cur_VM_Handle")?.uses).toEqual(["EBX", "Flags"]);
    expect(serviceByName("Get_Crit_Section_Status")?.async).toBe(false);
    expect(serviceByName("Cancel_Priority_VM_Event")?.async).toBeNull();
    expect(serviceByName("System_Control")?.uses).toContain("ECX");
    expect(serviceByName("Call_Priority_VM_Event")?.inputs.map((r) => r.reg)).toEqual([
      "EAX", "EBX", "ECX", "EDX", "ESI", "EDI",
    ]);
    for (const s of VMM_SERVICES) {
      for (const out of s.outputs) {
        if (/^E[A-DSB]?[XIP]$/.test(out.reg)) expect(s.uses).toContain(out.reg);
      }
    }
  });
});

describe("event tables", () => {
  it("has the PEF flags and boosts of vmm.inc", () => {
    const pef = new Map(PEF_FLAGS.map((f) => [f.name, f]));
    expect(pef.get("PEF_Time_Out")?.value).toBe(0x10);
    expect(pef.get("PEF_Time_Out")?.bit).toBe(4);
    expect(pef.get("PEF_Wait_Not_HW_Int")?.synonyms).toContain("PEF_Wait_Not_Time_Crit");
    for (const f of PEF_FLAGS) expect(f.value).toBe(1 << f.bit);
    expect(BOOSTS.find((b) => b.name === "Critical_Section_Boost")?.value).toBe(0x100000);
  });
});

describe("structures", () => {
  it("lays out Client_Reg_Struc and its overlays", () => {
    expect(CLIENT_REG_STRUC.size).toBe(0x6c);
    expect(offset(CLIENT_REG_STRUC, "Client_EAX")).toBe(0x1c);
    expect(offset(CLIENT_REG_STRUC, "Client_EFlags")).toBe(0x2c);
    expect(offset(CLIENT_REG_STRUC, "Client_Alt_GS")).toBe(0x68);
    expect(offset(CLIENT_WORD_REG_STRUC, "Client_AX")).toBe(0x1c);
    expect(offset(CLIENT_WORD_REG_STRUC, "Client_SP")).toBe(offset(CLIENT_REG_STRUC, "Client_ESP"));
    expect(offset(CLIENT_WORD_REG_STRUC, "Client_Alt_SP")).toBe(0x54);
    expect(offset(CLIENT_BYTE_REG_STRUC, "Client_AL")).toBe(0x1c);
    expect(offset(CLIENT_BYTE_REG_STRUC, "Client_AH")).toBe(0x1d);
    expect(offset(CLIENT_BYTE_REG_STRUC, "Client_BH")).toBe(0x11);
    expect(CLIENT_WORD_REG_STRUC.size).toBe(0x56);
    expect(CLIENT_BYTE_REG_STRUC.size).toBe(0x1e);
  });

  it("lays out the DDB, control block and PUSHAD image", () => {
    expect(VXD_DESC_BLOCK.size).toBe(0x50);
    expect(offset(VXD_DESC_BLOCK, "DDB_Control_Proc")).toBe(0x18);
    expect(offset(VXD_DESC_BLOCK, "DDB_Name")).toBe(0x0c);
    expect(offset(VXD_DESC_BLOCK, "DDB_Init_Order")).toBe(0x14);
    expect(offset(VM_CONTROL_BLOCK, "CB_Signature")).toBe(0x10);
    expect(offset(PUSHAD_STRUC, "Pushad_EAX")).toBe(0x1c);
    expect(VM_STATUS_BITS.at(-1)).toEqual({ name: "VMStat_TS_MaxPri", bit: 0x12 });
    expect(DDB_FLAG_BITS.find((b) => b.name === "DDB_Dynamic_VxD")?.bit).toBe(15);
  });

  it("does not reuse a field name across strucs", () => {
    const names = vmmIncStrucs().flatMap((s) => s.fields.map((f) => f.name.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("vmm.inc symbols", () => {
  it("has no table disagreeing with another", () => {
    expect(findSymbolConflicts(collectIncludeSymbols())).toEqual([]);
  });

  it("reports a name two tables define differently", () => {
    const clash = [
      { name: "Foo", value: 1, origin: "message" },
      { name: "FOO", value: 2, origin: "service" },
      { name: "Bar", value: 3, origin: "pef" },
      { name: "bar", value: 3, origin: "boost" },
    ];
    expect(findSymbolConflicts(clash)).toEqual(["FOO: message 1 vs service 2"]);
  });

  it("defines no name twice", () => {
    const names = vmmIncSymbols().map((s) => s.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  it("contains the symbols a VxD source uses", () => {
    expect(symbol("SHELL_Device_ID")).toBe(0x17);
    expect(symbol("SHELL_Init_Order")).toBe(0xb0000000);
    expect(symbol("VPICD_Init_Order")).toBe(0x0c000000);
    expect(symbol("Undefined_Device_ID")).toBe(0);
    expect(symbol("Undefined_Init_Order")).toBe(0x80000000);
    expect(symbol("VPOWERD_Device_ID")).toBe(symbol("APM_Device_ID"));
    expect(symbol("IOS_Init_Order")).toBe(0x17000000);
    expect(symbol("PORT_Init_Order")).toBe(0x2ffffffb);
    expect(symbol("Create_VM")).toBe(7);
    expect(symbol("BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL")).toBe(0x70000000);
    expect(symbol("MAX_SYSTEM_CONTROL")).toBe(0x34);
    expect(symbol("@@Schedule_VM_Event")).toBe(0x1000f);
    expect(symbol("System_Control")).toBe(0x10093);
    expect(symbol("PEF_Time_Out")).toBe(0x10);
    expect(symbol("PEF_Time_Out_Bit")).toBe(4);
    expect(symbol("PEF_Wait_Not_Time_Crit")).toBe(0x20);
    expect(symbol("Critical_Section_Boost")).toBe(0x100000);
    expect(symbol("Block_Svc_Ints")).toBe(1);
    expect(symbol("VNE_Closed")).toBe(0x20);
    expect(symbol("BPA_32_Bit")).toBe(1);
    expect(symbol("CVNF_Crit_Close")).toBe(1);
    expect(symbol("VMStat_PM_Exec")).toBe(0x20);
    expect(symbol("VMStat_PM_Exec_Bit")).toBe(5);
    expect(symbol("DDB_Dynamic_VxD")).toBe(0x8000);
    expect(symbol("VMCB_ID")).toBe(0x62634d56);
    expect(symbol("DDK_VERSION")).toBe(0x400);
    expect(symbol("Dyna_Link_Int")).toBe(0x20);
    expect(symbol("EF_Hang_On_Exit")).toBe(1);
  });

  it("leaves struc fields to the strucs", () => {
    expect(symbol("Client_EAX")).toBeUndefined();
    expect(symbol("DDB_Control_Proc")).toBeUndefined();
  });

  it("is computed once", () => {
    expect(vmmIncSymbols()).toBe(vmmIncSymbols());
  });
});
