// The library API: assemble VxD sources, run them on the simulated VMM, read the results.
//
//   import { assemble, runProgram } from "vmmasm";
//   const { program, diagnostics } = assemble([{ name: "x.asm", text }]);
//   const result = runProgram(program, { registers: { eax: 5 } });
//   result.registers.eax; result.flags.cf; result.readDword(0x400000); result.output;
export * from "./ir/types.js";
export { assemble, memoryFileSystem, nodeFileSystem, type AssembleOptions, type AssembleResult, type FileSystem, type SourceInput } from "./front/index.js";
export { runProgram, type RegisterName, type RunOptions, type RunResult, type RunStatus } from "./run/run-program.js";
export { Cpu, Memory, MachineFault, type CpuOptions, type MachineHost, type FaultKind, type FlagName } from "./machine/index.js";
export { DIAGNOSTIC_CODES, type DiagnosticName } from "./diagnostics/codes.js";
export { diag, hasErrors, type Diagnostic, type Severity } from "./diagnostics/diagnostic.js";
export { renderPretty, toJson, type JsonDiagnostic } from "./diagnostics/render.js";
export { printProgram, formatInstr } from "./ir/print.js";
export { MNEMONICS, mnemonicSpec } from "./ir/mnemonics.js";
export * as vmmTables from "./vmm/tables/index.js";
export { VERSION } from "./version.js";
