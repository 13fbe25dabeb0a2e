// `vmmasm ir file.asm…`: the IR the machine runs, readably.
import { hasErrors } from "../diagnostics/diagnostic.js";
import { assemble } from "../front/index.js";
import { printProgram } from "../ir/print.js";
import { ExitCode } from "./exit-codes.js";
import { printDiagnostics, readSources, type DiagnosticFormat, type Printer } from "./io.js";
import { parseDefines } from "./run-command.js";

export interface IrCommandOptions {
  readonly include?: readonly string[];
  readonly define?: readonly string[];
  readonly format?: DiagnosticFormat;
}

export function irCommand(files: readonly string[], opts: IrCommandOptions, p: Printer): number {
  const format = opts.format ?? "pretty";
  const { sources, problems } = readSources(files);
  if (problems.length) {
    printDiagnostics(p, problems, () => undefined, format);
    return ExitCode.USAGE;
  }
  const defines = parseDefines(opts.define);
  if (typeof defines === "string") {
    printDiagnostics(p, [], () => undefined, format);
    p.err(defines);
    return ExitCode.USAGE;
  }
  const r = assemble(sources, { includeDirs: opts.include ?? [], defines });
  if (r.diagnostics.length) printDiagnostics(p, r.diagnostics, (f) => r.program.sources.get(f), format);
  if (hasErrors(r.diagnostics)) return ExitCode.SOURCE_ERROR;
  p.out(printProgram(r.program));
  return ExitCode.OK;
}
