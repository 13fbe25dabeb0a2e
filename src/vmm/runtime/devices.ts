// Devices as the runtime sees them: built-in ones written in TypeScript and the program's own,
// whose control procedures are guest code.
import type { DeviceDecl } from "../../ir/types.js";
import { deviceByName } from "../tables/devices.js";

export interface RuntimeDevice {
  readonly name: string;
  readonly id: number;
  readonly initOrder: number;
  /** Position in load order: breaks ties between equal init orders. */
  readonly loadIndex: number;
  /** Address of the DDB in simulated memory, 0 for a device without one. */
  readonly ddb: number;
  /** Code address of the control procedure, 0 if none. */
  readonly controlProc: number;
  readonly builtin: boolean;
  /** The declaration, for user devices. */
  readonly decl: DeviceDecl | null;
  /** False once a failed init message has unloaded it. */
  loaded: boolean;
}

export function userDevice(decl: DeviceDecl, loadIndex: number): RuntimeDevice {
  return {
    name: decl.name.toUpperCase(),
    id: decl.deviceId,
    initOrder: decl.initOrder >>> 0,
    loadIndex,
    ddb: decl.ddbAddress,
    controlProc: decl.controlProc,
    builtin: false,
    decl,
    loaded: true,
  };
}

export function builtinDevice(name: string, loadIndex: number): RuntimeDevice {
  const known = deviceByName(name);
  if (!known) throw new Error(`unknown standard device ${name}`);
  return { name: known.name.toUpperCase(), id: known.id, initOrder: (known.initOrder ?? 0) >>> 0, loadIndex, ddb: 0, controlProc: 0, builtin: true, decl: null, loaded: true };
}

/** The device a file without Declare_Virtual_Device runs as: named after the file. */
export function programDevice(file: string, loadIndex: number): RuntimeDevice {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "").toUpperCase().replace(/[^A-Z0-9_]/g, "_").slice(0, 8) || "PROGRAM";
  return { name: base, id: 0, initOrder: 0x80000000, loadIndex, ddb: 0, controlProc: 0, builtin: false, decl: null, loaded: true };
}

/** Init order, lowest first; equal orders keep load order. */
export function byInitOrder(a: RuntimeDevice, b: RuntimeDevice): number {
  return a.initOrder - b.initOrder || a.loadIndex - b.loadIndex;
}
