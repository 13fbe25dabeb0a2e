import { Chalk, type ChalkInstance } from "chalk";

/** Colour on a terminal, never when NO_COLOR is set, always when FORCE_COLOR is set (and not "0"). */
export function shouldColor(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (force === "0" || force === "false") return false;
  return stream.isTTY === true;
}

export function makeChalk(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}
