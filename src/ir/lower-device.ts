// Declare_Virtual_Device → a DDB in the data image and the device's description (vmm-facts §5.4, §6.2).
import { diag } from "../diagnostics/diagnostic.js";
import type { Assembler } from "../front/assembler.js";
import type { Expr } from "../front/ast.js";
import { fail, type Evaluator } from "../front/evaluate.js";
import type { DeviceRecord } from "../front/program.js";
import { DDK_VERSION } from "../vmm/tables/constants.js";
import { BASEID_FOR_NAMEBASEDVXD, UNDEFINED_DEVICE_ID, UNDEFINED_INIT_ORDER } from "../vmm/tables/devices.js";
import { fieldOf, VXD_DESC_BLOCK } from "../vmm/tables/structures.js";
import type { DeviceDecl } from "./types.js";

function offset(name: string): number {
  const f = fieldOf(VXD_DESC_BLOCK, name);
  if (!f) throw new Error(`VxD_Desc_Block has no field ${name}`);
  return f.offset;
}

export function lowerDevice(asm: Assembler, d: DeviceRecord, ev: Evaluator): DeviceDecl {
  const [, major, minor, ctrl, devNum, initOrder, v86, pm, ref] = d.operands;
  const num = (e: Expr | null | undefined, dflt: number): number => (e ? ev.constant(e) >>> 0 : dflt);
  const codeAddr = (e: Expr | null | undefined, what: string): number => {
    if (!e) return 0;
    const v = ev.value(e);
    if (v.codeIndex < 0) fail(diag("bad-declaration", e.span, `the ${what} must be a procedure`));
    return v.c >>> 0;
  };
  const address = (e: Expr | null | undefined): number => {
    if (!e) return 0;
    const v = ev.value(e);
    return v.c >>> 0;
  };
  const deviceId = num(devNum, UNDEFINED_DEVICE_ID);
  if (deviceId >= BASEID_FOR_NAMEBASEDVXD) fail(diag("bad-declaration", devNum?.span ?? d.span, `device ID ${deviceId.toString(16).toUpperCase()}h is in the range reserved for name-based devices (F000h and up)`));
  const decl: DeviceDecl = {
    name: d.name,
    majorVersion: num(major, 0) & 0xff,
    minorVersion: num(minor, 0) & 0xff,
    controlProc: codeAddr(ctrl, "control procedure"),
    deviceId,
    initOrder: num(initOrder, UNDEFINED_INIT_ORDER),
    v86ApiProc: codeAddr(v86, "V86 API procedure"),
    pmApiProc: codeAddr(pm, "PM API procedure"),
    referenceData: address(ref),
    ddbAddress: d.ddbAddress,
    span: d.span,
  };
  if ((decl.v86ApiProc || decl.pmApiProc) && deviceId === UNDEFINED_DEVICE_ID) {
    fail(diag("bad-declaration", d.span, "a device with a V86 or PM API needs a device ID", { help: "give Device_Num (the 5th parameter); the DDK's macro refuses this too" }));
  }
  const at = d.ddbAddress;
  const data = asm.data;
  data.poke(at + offset("DDB_SDK_Version"), 2, DDK_VERSION);
  data.poke(at + offset("DDB_Req_Device_Number"), 2, deviceId);
  data.poke(at + offset("DDB_Dev_Major_Version"), 1, decl.majorVersion);
  data.poke(at + offset("DDB_Dev_Minor_Version"), 1, decl.minorVersion);
  data.pokeBytes(at + offset("DDB_Name"), [...d.name.toUpperCase().padEnd(8, " ")].map((c) => c.charCodeAt(0)));
  data.poke(at + offset("DDB_Init_Order"), 4, decl.initOrder);
  data.poke(at + offset("DDB_Control_Proc"), 4, decl.controlProc);
  data.poke(at + offset("DDB_V86_API_Proc"), 4, decl.v86ApiProc);
  data.poke(at + offset("DDB_PM_API_Proc"), 4, decl.pmApiProc);
  data.poke(at + offset("DDB_Reference_Data"), 4, decl.referenceData);
  data.pokeBytes(at + offset("DDB_Prev"), [..."Prev"].map((c) => c.charCodeAt(0)));
  data.poke(at + offset("DDB_Size"), 4, VXD_DESC_BLOCK.size);
  for (const [i, tag] of ["Rsv1", "Rsv2", "Rsv3"].entries()) data.pokeBytes(at + offset(`DDB_Reserved${i + 1}`), [...tag].map((c) => c.charCodeAt(0)));
  return decl;
}
