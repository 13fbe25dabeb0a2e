// Every lint rule. Nothing else knows a rule: the engine, `vmmasm rules`, `vmmasm explain`, the
// config and SARIF all read this list.
import type { Rule } from "./types.js";
import { asyncServiceNotLocked } from "./rules/async-service-not-locked.js";
import { callbackClobbersPreserved } from "./rules/callback-clobbers-preserved.js";
import { cancelMismatch } from "./rules/cancel-mismatch.js";
import { carryFromNonFailableMessage } from "./rules/carry-from-non-failable-message.js";
import { controlDispatchNotLocked } from "./rules/control-dispatch-not-locked.js";
import { debugQueryNotConditional } from "./rules/debug-query-not-conditional.js";
import { debugStringRegsUnsaved } from "./rules/debug-string-regs-unsaved.js";
import { dispatchEaxIsRelative } from "./rules/dispatch-eax-is-relative.js";
import { dynamicInitExitUnpaired } from "./rules/dynamic-init-exit-unpaired.js";
import { ecxThroughSystemControl } from "./rules/ecx-through-system-control.js";
import { eventChangesClientRegs } from "./rules/event-changes-client-regs.js";
import { eventHandleNotCleared } from "./rules/event-handle-not-cleared.js";
import { eventMemoryServiceUnsafe } from "./rules/event-memory-service-unsafe.js";
import { handlerClobbersPreserved } from "./rules/handler-clobbers-preserved.js";
import { illegalSystemControlSend } from "./rules/illegal-system-control-send.js";
import { missingVmmInclude } from "./rules/missing-vmm-include.js";
import { nonAsyncAtInterruptTime } from "./rules/non-async-at-interrupt-time.js";
import { pageableHandler } from "./rules/pageable-handler.js";
import { pefFlagsConflict } from "./rules/pef-flags-conflict.js";
import { priorityBoostUnset } from "./rules/priority-boost-unset.js";
import { privateMessageRange } from "./rules/private-message-range.js";
import { queryDestroyObjectionSilent } from "./rules/query-destroy-objection-silent.js";
import { segmentRegisterWrite } from "./rules/segment-register-write.js";
import { simulateIntForbidden } from "./rules/simulate-int-forbidden.js";
import { stiInCriticalInit } from "./rules/sti-in-critical-init.js";
import { timeoutCarryNotTested } from "./rules/timeout-carry-not-tested.js";
import { uncheckedSystemControlCarry } from "./rules/unchecked-system-control-carry.js";
import { undefinedSymbol } from "./rules/undefined-symbol.js";
import { unknownMessage } from "./rules/unknown-message.js";
import { unknownService } from "./rules/unknown-service.js";
import { unresolved } from "./rules/unresolved.js";
import { unusedSuppression } from "./rules/unused-suppression.js";
import { useOffset32 } from "./rules/use-offset32.js";
import { vmmcallNonVmmService } from "./rules/vmmcall-non-vmm-service.js";

export const RULES: readonly Rule[] = [
  illegalSystemControlSend,
  privateMessageRange,
  ecxThroughSystemControl,
  uncheckedSystemControlCarry,
  nonAsyncAtInterruptTime,
  callbackClobbersPreserved,
  priorityBoostUnset,
  cancelMismatch,
  eventHandleNotCleared,
  timeoutCarryNotTested,
  controlDispatchNotLocked,
  asyncServiceNotLocked,
  carryFromNonFailableMessage,
  dispatchEaxIsRelative,
  stiInCriticalInit,
  simulateIntForbidden,
  vmmcallNonVmmService,
  missingVmmInclude,
  unknownService,
  unknownMessage,
  undefinedSymbol,
  handlerClobbersPreserved,
  pefFlagsConflict,
  segmentRegisterWrite,
  useOffset32,
  pageableHandler,
  debugQueryNotConditional,
  queryDestroyObjectionSilent,
  dynamicInitExitUnpaired,
  debugStringRegsUnsaved,
  eventMemoryServiceUnsafe,
  eventChangesClientRegs,
  unresolved,
  unusedSuppression,
];

const byId = new Map(RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);
