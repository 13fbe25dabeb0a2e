// EXTENSION POINT for lint rules in `vmmasm doc`.
//
// When this was written src/lint had rules but no registry listing them yet. Once it has one,
// register the metas here once (e.g. in src/lint's registry module:
// `registerLintRuleDocs(() => RULES.map((r) => r.meta))`), or replace `lintRuleDocs` below with a
// direct read of that registry. `vmmasm doc RULE`,
// `vmmasm doc --list rules` and the REPL's `.doc` then show them with no other change.

/** The part of a lint rule's `meta` that `doc` shows (src/lint's RuleMeta has this shape). */
export interface LintRuleDoc {
  /** Stable kebab-case id, e.g. "event-handle-not-cleared". */
  readonly id: string;
  /** Stable code, e.g. "L0101". */
  readonly code: string;
  readonly severity: string;
  readonly summary: string;
  readonly explanation?: string;
  /** Where the DDK states the rule (keys of vmm-facts.md). */
  readonly source?: string;
  readonly helpUri?: string;
  /** A short piece of source that breaks the rule, and the same piece fixed. */
  readonly bad?: string;
  readonly good?: string;
}

const providers: (() => readonly LintRuleDoc[])[] = [];

export function registerLintRuleDocs(provider: () => readonly LintRuleDoc[]): void {
  providers.push(provider);
}

export function lintRuleDocs(): LintRuleDoc[] {
  return providers.flatMap((p) => p());
}
