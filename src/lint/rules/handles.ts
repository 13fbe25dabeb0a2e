// Event and time-out handles as the analysis saw them: which variables hold handles from which
// scheduling calls, and which Cancel calls take them back.
import { callbackService, isCancelService, type CallbackService } from "../facts.js";
import type { ServiceCallFact, StoreFact } from "../analysis.js";
import type { LintProgram } from "../program.js";
import { K_CONST, K_HANDLE, K_LOAD } from "../values.js";
import { ESI } from "./support.js";

export interface HandleInfo {
  /** Data address → the scheduling calls whose handle is stored there (each once, in order). */
  readonly variables: Map<number, number[]>;
  /** Scheduling call site → its service. */
  readonly schedulers: Map<number, CallbackService>;
  readonly cancels: ServiceCallFact[];
  /** Stores of the constant 0 (handle variables being cleared, among others), in order. */
  readonly zeroStores: StoreFact[];
}

const cache = new WeakMap<LintProgram, HandleInfo>();

export function handleInfo(p: LintProgram): HandleInfo {
  const hit = cache.get(p);
  if (hit) return hit;
  const schedulers = new Map<number, CallbackService>();
  const scheduling = p.serviceCalls.where((name) => callbackService(name) !== undefined);
  for (let k = 0; k < scheduling.length; k++) {
    const c = scheduling[k]!;
    schedulers.set(c.index, callbackService(c.name)!);
  }
  const cancels = p.serviceCalls.where(isCancelService);
  const variables = new Map<number, number[]>();
  const zeroStores: StoreFact[] = [];
  const stores = p.facts.stores;
  for (let k = 0; k < stores.length; k++) {
    const s = stores[k]!;
    const v = s.value;
    if (v.k === K_CONST && v.n === 0) zeroStores.push(s);
    if (v.k !== K_HANDLE) continue;
    const sites = variables.get(s.addr);
    if (!sites) variables.set(s.addr, [v.site]);
    else if (!sites.includes(v.site)) sites.push(v.site);
  }
  const info = { variables, schedulers, cancels, zeroStores };
  cache.set(p, info);
  return info;
}

/** The scheduling calls a Cancel call's ESI may hold the handle of, and the variable it came from. */
export function cancelledSites(info: HandleInfo, c: ServiceCallFact): { sites: readonly number[]; addr: number | null } {
  const esi = c.regs[ESI]!;
  if (esi.k === K_HANDLE) return { sites: [esi.site], addr: null };
  const addr = cancelledVariable(c);
  return addr === null ? { sites: [], addr } : { sites: info.variables.get(addr) ?? [], addr };
}

/** The variable a Cancel call's handle (ESI) was loaded from, or null. */
export function cancelledVariable(c: ServiceCallFact): number | null {
  const esi = c.regs[ESI]!;
  return esi.k === K_LOAD ? esi.addr : null;
}
