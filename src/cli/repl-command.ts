// `vmmasm repl [file.asm…]`: the interactive machine (src/repl/). It runs until the input ends,
// so the command sets the exit code when the session is over.
import { diag } from "../diagnostics/diagnostic.js";
import { shouldColor } from "../diagnostics/color.js";
import { ExitCode } from "./exit-codes.js";
import { parseNumber, printDiagnostics, type Printer } from "./io.js";
import { parseDefines } from "./run-command.js";
import { startRepl } from "../repl/repl.js";
import { goOnAfterReturn } from "./streams.js";
import { reportInternalError } from "./start.js";

export interface ReplCommandOptions {
  readonly vms?: string;
  readonly maxSteps?: string;
  readonly include?: readonly string[];
  readonly define?: readonly string[];
  readonly echo?: boolean;
  readonly color?: boolean;
}

function usage(p: Printer, message: string): number {
  printDiagnostics(p, [diag("usage", null, message)], () => undefined, "pretty");
  return ExitCode.USAGE;
}

export function replCommand(files: readonly string[], opts: ReplCommandOptions, p: Printer): number {
  const vms = parseNumber(opts.vms ?? "1");
  if (vms === null || vms < 0 || vms > 64 || !Number.isSafeInteger(vms)) return usage(p, `--vms takes 0 to 64, not \`${opts.vms}\``);
  const maxSteps = parseNumber(opts.maxSteps ?? "10000000");
  if (maxSteps === null || maxSteps <= 0 || !Number.isSafeInteger(maxSteps)) return usage(p, `--max-steps takes a positive whole number, not \`${opts.maxSteps}\``);
  const defines = parseDefines(opts.define);
  if (typeof defines === "string") return usage(p, defines);
  const color = opts.color ?? shouldColor(process.stdout);
  goOnAfterReturn();
  startRepl(files, { vms, maxSteps, includeDirs: opts.include ?? [], defines, ...(opts.echo ? { echo: true } : {}) }, color).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => reportInternalError(e),
  );
  return ExitCode.OK;
}
