// The VMMcall/VxDcall/VMMjmp/VxDjmp statements of the program, with the service each names.
import { UNKNOWN_SERVICE_ID } from "../../front/vxd-macros.js";
import { serviceById, serviceByName, type ServiceInfo } from "../../vmm/tables/services.js";
import type { LintProgram } from "../program.js";

export interface CallStatement {
  readonly index: number;
  /** "vmmcall", "vmmjmp", "vxdcall" or "vxdjmp" as written (lower case). */
  readonly macro: string;
  readonly name: string;
  readonly service: ServiceInfo | null;
}

const cache = new WeakMap<LintProgram, CallStatement[]>();

/** Found once per program: several rules read them. */
export function callStatements(p: LintProgram): CallStatement[] {
  let calls = cache.get(p);
  if (!calls) cache.set(p, (calls = findCallStatements(p)));
  return calls;
}

function findCallStatements(p: LintProgram): CallStatement[] {
  const out: CallStatement[] = [];
  const serviceMacros = p.scan.serviceMacros;
  for (let k = 0; k < serviceMacros.length; k++) {
    const i = serviceMacros[k]!;
    const ins = p.instrs[i]!;
    const item = p.items[i]!;
    const name = ins.text ?? "";
    const service = ins.extra === UNKNOWN_SERVICE_ID ? (serviceByName(name) ?? null) : (serviceById(ins.extra) ?? null);
    out.push({ index: i, macro: item.mnemonic, name, service });
  }
  return out;
}
