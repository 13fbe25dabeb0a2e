// A VMMcall/VxDcall of a service no known table has (vmm-facts §3.3).
import { suggest } from "../../front/suggest.js";
import { ALL_SERVICES } from "../../vmm/tables/services.js";
import { deviceOfServiceName } from "../facts.js";
import type { Rule } from "../types.js";
import { callStatements, statementsWhere } from "./service-calls.js";
import { w95 } from "./uri.js";

export const unknownService: Rule = {
  meta: {
    id: "unknown-service",
    code: "L0119",
    severity: "error",
    summary: "a VMMcall/VxDcall of a service no service table has",
    explanation:
      "The service name is not in the VMM's service table nor in the tables vmmasm knows of other devices (VPICD, " +
      "VTD, SHELL, DOSMGR); usually a misspelling. A name that starts with a device whose table vmmasm does not " +
      "know (VCOMM_…, IFSMgr_…), or with a device the program declares itself, is left alone.",
    source: "VMMH95 (Begin_Service_Table lists); vmm-facts §3.3",
    helpUri: w95("S2302"),
    bad: "\tVMMcall Get_Cur_VM_Handel",
    good: "\tVMMcall Get_Cur_VM_Handle",
  },
  check({ program: p, report }) {
    const tables = new Set(ALL_SERVICES.map((s) => s.device.toUpperCase()));
    const declared = new Set(p.devices.map((d) => d.name.toUpperCase()));
    const unknown = statementsWhere(callStatements(p), (c) => {
      if (c.service) return false;
      const prefix = /^@?@?_?([A-Za-z0-9]+)_/.exec(c.name)?.[1]?.toUpperCase() ?? "";
      if (declared.has(prefix)) return false;
      const device = deviceOfServiceName(c.name);
      return !device || tables.has(device.toUpperCase());
    });
    for (let k = 0; k < unknown.length; k++) {
      const { index, c } = unknown[k]!;
      const device = deviceOfServiceName(c.name);
      const hint = suggest(c.name, ALL_SERVICES.map((s) => s.name));
      report({
        span: p.span(index),
        message: device ? `\`${c.name}\` is not in ${device}'s service table` : `\`${c.name}\` is not a VMM service`,
        help: hint ? `did you mean \`${hint}\`?` : "check the name against the DDK's service list",
      });
    }
  },
};
