// Lint: assemble the sources, analyse the program, run every enabled rule, apply the suppression
// comments, and hand back the findings in source order.
import { compareDiagnostics } from "../diagnostics/diagnostic.js";
import { assemble, type AssembleOptions, type SourceInput } from "../front/index.js";
import { analyse } from "./analysis.js";
import { LintProgram } from "./program.js";
import { RULES, ruleById } from "./registry.js";
import { parseSuppressions, suppressedBy, type Suppression } from "./suppressions.js";
import type { Finding, FindingInput, Rule, RuleSetting } from "./types.js";

export interface LintOptions extends AssembleOptions {
  /** Rule settings over the rules' own severities. */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
}

export interface LintResult {
  /** Findings in file/line/column order, suppressed ones removed. */
  readonly findings: Finding[];
  /** Every file read, by name (the sources and their includes), for rendering. */
  readonly sources: ReadonlyMap<string, string>;
  readonly program: LintProgram;
  /** Findings hidden by suppression comments. */
  readonly suppressed: number;
  readonly timings: LintTimings;
}

export function settingOf(rule: Rule, rules: Readonly<Record<string, RuleSetting>> = {}): RuleSetting {
  return rules[rule.meta.id] ?? rule.meta.severity;
}

/** Where the time went (milliseconds), for the benchmark. */
export interface LintTimings {
  assemble: number;
  analyse: number;
  rules: number;
  perRule: Record<string, number>;
}

export function lint(sources: readonly SourceInput[], options: LintOptions = {}): LintResult {
  const t0 = performance.now();
  const assembled = assemble(sources, options);
  const t1 = performance.now();
  const program = new LintProgram(assembled);
  program.facts = analyse(program);
  const t2 = performance.now();
  const settings = options.rules ?? {};
  const raw: Finding[] = [];
  const seen = new Set<string>();
  const perRule: Record<string, number> = {};
  for (const rule of RULES) {
    const setting = settingOf(rule, settings);
    if (setting === "off") continue;
    const r0 = performance.now();
    rule.check({
      program,
      report(f: FindingInput) {
        const s = f.span;
        const key = `${rule.meta.id}|${s?.file}|${s?.line}|${s?.column}|${f.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        raw.push(toFinding(rule, setting, f));
      },
    });
    perRule[rule.meta.id] = performance.now() - r0;
  }
  const suppressions: Suppression[] = [];
  for (const [file, comments] of program.front.comments) suppressions.push(...parseSuppressions(file, comments));
  const findings: Finding[] = [];
  let suppressed = 0;
  for (const f of raw) {
    if (suppressedBy(suppressions, f.name, f.span)) suppressed++;
    else findings.push(f);
  }
  const unused = ruleById("unused-suppression")!;
  const unusedSetting = settingOf(unused, settings);
  if (unusedSetting !== "off") {
    for (const s of suppressions) {
      if (s.ids.length === 0) {
        if (s.used.size === 0) findings.push(toFinding(unused, unusedSetting, { span: s.span, message: `this suppression hides nothing: no finding on line ${s.target}`, help: "remove the comment" }));
        continue;
      }
      for (const id of s.ids) {
        const rule = ruleById(id);
        if (!rule) {
          findings.push(toFinding(unused, unusedSetting, { span: s.span, message: `there is no rule \`${id}\` to suppress`, help: "`vmmasm rules` lists the rule ids" }));
        } else if (!s.used.has(id) && settingOf(rule, settings) !== "off") {
          findings.push(toFinding(unused, unusedSetting, { span: s.span, message: `this suppression of \`${id}\` hides nothing: there is no such finding on line ${s.target}`, help: "remove it, or move it to the line of the finding" }));
        }
      }
    }
  }
  findings.sort((a, b) => compareDiagnostics(a, b) || (a.span?.endColumn ?? 0) - (b.span?.endColumn ?? 0) || a.name.localeCompare(b.name));
  const timings = { assemble: t1 - t0, analyse: t2 - t1, rules: performance.now() - t2, perRule };
  return { findings, sources: program.ir.sources, program, suppressed, timings };
}

function toFinding(rule: Rule, severity: Exclude<RuleSetting, "off">, f: FindingInput): Finding {
  return {
    code: rule.meta.code,
    name: rule.meta.id,
    severity,
    message: f.message,
    span: f.span,
    ...(f.help !== undefined ? { help: f.help } : {}),
    ...(f.notes && f.notes.length ? { notes: f.notes } : {}),
    ...(f.related && f.related.length ? { related: f.related } : {}),
  };
}
