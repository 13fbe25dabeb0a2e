// The VMMcall/VxDcall/VMMjmp/VxDjmp statements of the program, grouped by the macro and the service
// they name: a large program makes thousands of calls of a few services.
import { UNKNOWN_SERVICE_ID } from "../../front/vxd-macros.js";
import { serviceById, serviceByName, type ServiceInfo } from "../../vmm/tables/services.js";
import type { LintProgram } from "../program.js";

export interface CallStatements {
  /** "vmmcall", "vmmjmp", "vxdcall" or "vxdjmp" as written (lower case). */
  readonly macro: string;
  readonly name: string;
  readonly service: ServiceInfo | null;
  /** The statements' instruction indices, in order. */
  readonly indices: number[];
}

const cache = new WeakMap<LintProgram, CallStatements[]>();

/** Found once per program: several rules read them. */
export function callStatements(p: LintProgram): CallStatements[] {
  let calls = cache.get(p);
  if (!calls) cache.set(p, (calls = findCallStatements(p)));
  return calls;
}

/** The statements of `groups` that pass `test` (asked once per group), in program order. */
export function statementsWhere(groups: readonly CallStatements[], test: (c: CallStatements) => boolean): { index: number; c: CallStatements }[] {
  const out: { index: number; c: CallStatements }[] = [];
  for (let g = 0; g < groups.length; g++) {
    const c = groups[g]!;
    if (test(c)) for (let k = 0; k < c.indices.length; k++) out.push({ index: c.indices[k]!, c });
  }
  return out.sort((a, b) => a.index - b.index);
}

function findCallStatements(p: LintProgram): CallStatements[] {
  const groups: CallStatements[] = [];
  // By service id (by name where the id is not known); the few groups of one key differ in macro or name.
  const byService = new Map<number | string, CallStatements[]>();
  const serviceMacros = p.scan.serviceMacros;
  for (let k = 0; k < serviceMacros.length; k++) {
    const i = serviceMacros[k]!;
    const ins = p.instrs[i]!;
    const macro = p.items[i]!.mnemonic;
    const name = ins.text ?? "";
    const key = ins.extra === UNKNOWN_SERVICE_ID ? name : ins.extra;
    let same = byService.get(key);
    if (!same) byService.set(key, (same = []));
    let group: CallStatements | undefined;
    for (let g = 0; g < same.length && !group; g++) if (same[g]!.macro === macro && same[g]!.name === name) group = same[g];
    if (!group) {
      const service = ins.extra === UNKNOWN_SERVICE_ID ? (serviceByName(name) ?? null) : (serviceById(ins.extra) ?? null);
      group = { macro, name, service, indices: [] };
      same.push(group);
      groups.push(group);
    }
    group.indices.push(i);
  }
  return groups;
}
