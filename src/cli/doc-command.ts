// `vmmasm doc NAME` and `vmmasm doc --list KIND`: the reference, from the tables (src/doc/).
import { makeChalk, shouldColor } from "../diagnostics/color.js";
import { doc } from "../doc/index.js";
import { ExitCode } from "./exit-codes.js";
import type { Printer } from "./io.js";

export interface DocCommandOptions {
  readonly list?: string | boolean;
  readonly color?: boolean;
}

export function docCommand(name: string | undefined, opts: DocCommandOptions, p: Printer): number {
  const c = makeChalk(opts.color ?? shouldColor(process.stdout));
  const list = opts.list === true ? "" : opts.list === false ? undefined : opts.list;
  if (list === undefined && (name === undefined || name.trim() === "")) {
    p.err(doc({}, c).text);
    return ExitCode.USAGE;
  }
  const answer = doc(list !== undefined ? { list } : { name: name ?? "" }, c);
  if (!answer.ok) {
    p.err(`error: ${answer.text}`);
    return list !== undefined ? ExitCode.USAGE : ExitCode.SOURCE_ERROR;
  }
  p.out(answer.text);
  return ExitCode.OK;
}
