export { Cpu } from "./cpu.js";
export type { CpuOptions, MachineHost } from "./cpu.js";
export { Memory } from "./memory.js";
export { MachineFault } from "./fault.js";
export type { FaultKind } from "./fault.js";
export { Flags } from "./flags.js";
export type { FlagName } from "./flags.js";
