// Names → values from the fact tables, for the runtime's own use.
import { BOOSTS, PEF_FLAGS } from "../tables/events.js";

function lookup(table: readonly { name: string; value: number }[], name: string): number {
  const e = table.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!e) throw new Error(`no table entry ${name}`);
  return e.value;
}

export const pef = (name: string): number => lookup(PEF_FLAGS, name);
export const boost = (name: string): number => lookup(BOOSTS, name);

/** Names of the PEF flags set in `flags`, for messages. */
export function pefNames(flags: number): string[] {
  return PEF_FLAGS.filter((f) => (flags & f.value) !== 0).map((f) => f.name);
}
