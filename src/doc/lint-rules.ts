// Lint rules in `vmmasm doc`: src/lint's registry, read as it is (its RuleMeta is what doc shows),
// plus any rules registered here by other code (an extension point; the tests use it).
import { RULES } from "../lint/registry.js";

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
  return [...RULES.map((r) => r.meta), ...providers.flatMap((p) => p())];
}

/** The rules whose text names `name` (a service, a message): the rules that apply to it. */
export function rulesMentioning(name: string): LintRuleDoc[] {
  const word = new RegExp(`(^|[^\\w@])${name.replace(/[$?@]/g, "\\$&")}($|[^\\w])`, "i");
  return lintRuleDocs().filter((r) => [r.summary, r.explanation, r.source, r.bad, r.good].some((t) => t !== undefined && word.test(t)));
}
