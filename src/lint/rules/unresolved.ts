// What lint could not read: reported once, as a note; the rules still run on the rest.
import type { SourceSpan } from "../../ir/types.js";
import type { Rule } from "../types.js";
import { classifyFrontDiagnostics } from "./front-diagnostics.js";
import { plural, spanText } from "./support.js";

export const unresolved: Rule = {
  meta: {
    id: "unresolved",
    code: "L0190",
    severity: "note",
    summary: "something lint could not read: an unknown macro, a missing include, a line that does not parse",
    explanation:
      "Lint assembles the sources the way `vmmasm run` does. What it cannot read - an instruction or macro it does " +
      "not know, an include file it cannot find, a line that does not parse - is skipped, noted once here, and " +
      "the rules run on everything else. In a file with such gaps, names that are not defined are noted here too " +
      "rather than reported as undefined-symbol: they may well come from what could not be read.",
    source: "vmmasm",
    helpUri: "",
    bad: "\tMyMacro eax\t\t; defined in an include -I does not reach",
    good: "vmmasm lint -I ../inc src/",
  },
  check({ program: p, report }) {
    const groups = new Map<string, { span: SourceSpan | null; message: string; help?: string; count: number; names?: Set<string> }>();
    for (const c of classifyFrontDiagnostics(p)) {
      if (c.kind !== "unresolved") continue;
      const d = c.diag;
      let key: string;
      let message: string;
      let help: string | undefined;
      if (d.name === "unknown-instruction" && d.span) {
        const name = spanText(p, d.span);
        key = `instr|${name.toUpperCase()}`;
        message = `\`${name}\` is not an instruction, directive or macro vmmasm knows`;
        help = "define the macro, or point -I at the include file that defines it";
      } else if (d.name === "undefined-symbol" && d.span) {
        key = `undef|${d.span.file}`;
        const unread = c.unit?.unreadIncludes ?? [];
        message = unread.length ? `names not defined here, perhaps by ${unread.map((u) => `\`${u}\``).join(", ")}, which could not be read` : "names not defined here, perhaps by what could not be read";
        help = "give -I the directory of the include files, or define the names";
      } else {
        key = `${d.name}|${d.message}`;
        message = d.message;
        help = d.help;
      }
      const g = groups.get(key);
      if (g) {
        g.count++;
        if (g.names && d.span) g.names.add(spanText(p, d.span));
        continue;
      }
      groups.set(key, { span: d.span, message, ...(help ? { help } : {}), count: 1, ...(d.name === "undefined-symbol" && d.span ? { names: new Set([spanText(p, d.span)]) } : {}) });
    }
    for (const g of groups.values()) {
      const names = g.names ? [...g.names] : null;
      const message = names ? `${g.message}: ${names.slice(0, 6).map((n) => `\`${n}\``).join(", ")}${names.length > 6 ? ` and ${names.length - 6} more` : ""}` : g.count > 1 ? `${g.message} (${plural(g.count, "place")})` : g.message;
      report({
        span: g.span,
        message: `${message}; lint skipped ${g.count > 1 ? "these lines" : "this line"} and checked the rest`,
        ...(g.help ? { help: g.help } : {}),
      });
    }
  },
};
