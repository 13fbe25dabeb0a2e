// The shapes lint is made of: a rule (meta + check), its settings, and a finding.
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { SourceSpan } from "../ir/types.js";
import type { LintProgram } from "./program.js";

/** What a rule says about itself: `vmmasm explain`, `vmmasm rules` and SARIF read it. */
export interface RuleMeta {
  /** Stable id, part of the interface (`--rule id=off`, suppression comments, JSON, SARIF). */
  readonly id: string;
  /** Stable code shown in pretty output, e.g. "L0101". */
  readonly code: string;
  readonly severity: Severity;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Several sentences: why it matters, what exactly is checked, what is not. */
  readonly explanation: string;
  /** The DDK (or vmm-facts) source of the rule, in the keys of vmm-facts.md. */
  readonly source: string;
  /** A page of the DDK documentation the rule comes from. */
  readonly helpUri: string;
  /** A short piece of source that breaks the rule, and the same piece fixed. */
  readonly bad: string;
  readonly good: string;
}

export interface FindingInput {
  readonly span: SourceSpan | null;
  readonly message: string;
  readonly help?: string;
  readonly notes?: readonly string[];
  readonly related?: readonly { readonly span: SourceSpan; readonly message: string }[];
}

export interface RuleContext {
  readonly program: LintProgram;
  report(finding: FindingInput): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export type RuleSetting = "off" | Severity;

/** A finding is a Diagnostic whose `name` is the rule id. */
export type Finding = Diagnostic;
