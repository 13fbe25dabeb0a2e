// `vmmasm explain <rule>` (a lint rule's explanation, source and examples) and `vmmasm rules` (the list).
import { makeChalk } from "../diagnostics/color.js";
import { diag } from "../diagnostics/diagnostic.js";
import { suggest } from "../front/suggest.js";
import { RULES, ruleById } from "../lint/registry.js";
import { ExitCode } from "./exit-codes.js";
import { printDiagnostics, type Printer } from "./io.js";

function wrap(text: string, width = 96): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join("\n");
}

/** Source indented by four spaces, tabs expanded to 8-column stops. */
function indent(code: string): string {
  return code
    .split("\n")
    .map((l) => {
      let out = "";
      for (const ch of l) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
      return out ? `    ${out}` : "";
    })
    .join("\n");
}

export function explainCommand(id: string, p: Printer): number {
  const rule = ruleById(id);
  if (!rule) {
    const hint = suggest(id, RULES.map((r) => r.meta.id));
    printDiagnostics(p, [diag("usage", null, `there is no lint rule \`${id}\``, { help: hint ? `did you mean \`${hint}\`?` : "`vmmasm rules` lists them" })], () => undefined, "pretty");
    return ExitCode.USAGE;
  }
  const c = makeChalk(p.color);
  const m = rule.meta;
  const lines = [
    `${c.bold(m.id)} (${m.code}, ${m.severity} by default)`,
    m.summary.charAt(0).toUpperCase() + m.summary.slice(1) + ".",
    "",
    wrap(m.explanation),
    "",
    `${c.bold("Source")}: ${m.source}`,
    ...(m.helpUri ? [`${c.bold("DDK page")}: ${m.helpUri}`] : []),
    "",
    c.bold("Breaks the rule:"),
    indent(m.bad),
    "",
    c.bold("Keeps it:"),
    indent(m.good),
    "",
    `Turn it off with --rule ${m.id}=off, or on one line with \`; vmmasm-disable-next-line ${m.id}\`.`,
  ];
  p.out(lines.join("\n"));
  return ExitCode.OK;
}

export function rulesCommand(opts: { json?: boolean }, p: Printer): number {
  if (opts.json) {
    p.out(JSON.stringify(RULES.map((r) => ({ id: r.meta.id, code: r.meta.code, severity: r.meta.severity, summary: r.meta.summary, source: r.meta.source, helpUri: r.meta.helpUri || null })), null, 2));
    return ExitCode.OK;
  }
  const c = makeChalk(p.color);
  const width = Math.max(...RULES.map((r) => r.meta.id.length));
  const sev = (s: string): string => (s === "error" ? c.red(s.padEnd(7)) : s === "warning" ? c.yellow(s.padEnd(7)) : c.cyan(s.padEnd(7)));
  p.out(RULES.map((r) => `${r.meta.id.padEnd(width)}  ${sev(r.meta.severity)}  ${r.meta.summary}`).join("\n"));
  p.out(`\n${RULES.length} rules; \`vmmasm explain <rule>\` tells more about one.`);
  return ExitCode.OK;
}
