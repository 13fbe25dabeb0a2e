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
  /** A built-in device's control procedure, written in TypeScript: returns CF. */
  readonly builtinControl: ((message: number) => boolean) | null;
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
    builtinControl: null,
  };
}

/** A standard device modelled in TypeScript. Its control procedure answers every message with CF
 *  clear unless `control` says otherwise: it takes part in each broadcast in its init order. */
export function builtinDevice(name: string, loadIndex: number, control: (message: number) => boolean = () => false): RuntimeDevice {
  const known = deviceByName(name);
  if (!known) throw new Error(`unknown standard device ${name}`);
  return { name: known.name.toUpperCase(), id: known.id, initOrder: (known.initOrder ?? 0) >>> 0, loadIndex, ddb: 0, controlProc: 0, builtin: true, decl: null, loaded: true, builtinControl: control };
}

/** The device a file without Declare_Virtual_Device runs as: named after the file. */
export function programDevice(file: string, loadIndex: number): RuntimeDevice {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "").toUpperCase().replace(/[^A-Z0-9_]/g, "_").slice(0, 8) || "PROGRAM";
  return { name: base, id: 0, initOrder: 0x80000000, loadIndex, ddb: 0, controlProc: 0, builtin: false, decl: null, loaded: true, builtinControl: null };
}

/** Init order, lowest first; equal orders keep load order. */
export function byInitOrder(a: RuntimeDevice, b: RuntimeDevice): number {
  return a.initOrder - b.initOrder || a.loadIndex - b.loadIndex;
}
