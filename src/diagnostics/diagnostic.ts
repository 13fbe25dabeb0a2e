import type { SourceSpan } from "../ir/types.js";
import { DIAGNOSTIC_CODES, type DiagnosticName } from "./codes.js";

export type Severity = "error" | "warning" | "note";

export interface RelatedInfo {
  readonly span: SourceSpan;
  readonly message: string;
}

/** One finding of any stage: lexer, parser, front end, lowering, machine, VMM, lint. */
export interface Diagnostic {
  /** Stable code, e.g. "E0301". */
  readonly code: string;
  /** Stable kebab-case name, e.g. "undefined-symbol". */
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: SourceSpan | null;
  /** A line telling how to fix it. */
  readonly help?: string;
  /** Extra lines: an include chain, a macro expansion, a backtrace. */
  readonly notes?: readonly string[];
  readonly related?: readonly RelatedInfo[];
}

export interface DiagnosticExtras {
  readonly help?: string;
  readonly notes?: readonly string[];
  readonly related?: readonly RelatedInfo[];
  readonly severity?: Severity;
}

/** Builds a diagnostic from the codes table; `message` replaces the template when given. */
export function diag(
  name: DiagnosticName,
  span: SourceSpan | null,
  message: string,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const entry = DIAGNOSTIC_CODES[name];
  const d: Diagnostic = {
    code: entry.code,
    name,
    severity: extras.severity ?? entry.severity,
    message,
    span,
    ...(extras.help !== undefined || entry.help !== undefined ? { help: extras.help ?? entry.help } : {}),
    ...(extras.notes ? { notes: extras.notes } : {}),
    ...(extras.related ? { related: extras.related } : {}),
  };
  return d;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.span?.file ?? "";
  const fb = b.span?.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.column ?? 0) - (b.span?.column ?? 0);
}
