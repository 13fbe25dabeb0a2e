// Source files → IR program, with every diagnostic of the way.
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { lowerProgram } from "../ir/lower.js";
import type { IrProgram } from "../ir/types.js";
import { Assembler, type AssembleOptions } from "./assembler.js";
import type { FrontResult } from "./program.js";

export interface SourceInput {
  readonly name: string;
  readonly text: string;
}

export interface AssembleResult {
  readonly program: IrProgram;
  readonly front: FrontResult;
  readonly diagnostics: readonly Diagnostic[];
}

export function assemble(files: readonly SourceInput[], options: AssembleOptions = {}): AssembleResult {
  const asm = new Assembler(options);
  const front = asm.assemble(files);
  const lowered = lowerProgram(asm);
  const diagnostics = [...front.diagnostics, ...lowered.diagnostics].sort(compareDiagnostics);
  return { program: lowered.program, front, diagnostics };
}

export type { AssembleOptions } from "./assembler.js";
export { memoryFileSystem, nodeFileSystem, type FileSystem } from "./files.js";
