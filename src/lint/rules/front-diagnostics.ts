// The front end's errors, sorted for lint: an undefined symbol is a finding of its own, or the
// sign of a missing `include vmm.inc`, or a misspelt message in Control_Dispatch, or — in a file
// where something could not be read (an unknown macro, a missing include) — just one more thing
// lint cannot resolve. Everything else the front end could not read is "unresolved".
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Unit } from "../../front/program.js";
import { vmmIncSymbols } from "../../vmm/vmm-inc.js";
import type { LintProgram } from "../program.js";
import { lineOf, spanText } from "./support.js";

export type FrontClass = "undefined-symbol" | "unknown-message" | "missing-vmm-include" | "unresolved";

export interface ClassifiedDiagnostic {
  readonly diag: Diagnostic;
  readonly kind: FrontClass;
  /** The name the diagnostic is about (undefined symbols). */
  readonly name: string;
  readonly unit: Unit | undefined;
}

const cache = new WeakMap<LintProgram, ClassifiedDiagnostic[]>();
let vmmNames: Set<string> | undefined;

export function isVmmIncName(name: string): boolean {
  vmmNames ??= new Set(vmmIncSymbols().map((s) => s.name.toLowerCase()));
  return vmmNames.has(name.toLowerCase());
}

export function unitOfFile(p: LintProgram, file: string): Unit | undefined {
  const u = p.front.units.find((x) => x.file === file);
  if (u) return u;
  return p.items.find((it) => it.span.file === file)?.unit;
}

/** Files with something lint could not read: an unknown instruction or macro, an unread include. */
function unresolvedFiles(p: LintProgram): Set<string> {
  const files = new Set<string>();
  for (const d of p.diagnostics) {
    if (d.severity === "error" && d.span && (d.name === "unknown-instruction" || d.name === "include-not-found" || d.name === "macro-error")) files.add(d.span.file);
  }
  for (const u of p.front.units) if (u.unreadIncludes.length) files.add(u.file);
  return files;
}

export function classifyFrontDiagnostics(p: LintProgram): ClassifiedDiagnostic[] {
  const cached = cache.get(p);
  if (cached) return cached;
  const out: ClassifiedDiagnostic[] = [];
  const interpreted = new Set<string>();
  for (const i of p.facts.interpreted) interpreted.add(spanKey(p.span(i)));
  const shaky = unresolvedFiles(p);
  for (const d of p.diagnostics) {
    if (d.severity !== "error") continue;
    // Re-derived by lint rules from the calls themselves.
    if (d.name === "unknown-service") continue;
    // Segment-register instructions: lint reads them from the source.
    if (d.name === "bad-operand" && d.span && interpreted.has(spanKey(d.span))) continue;
    const unit = d.span ? unitOfFile(p, d.span.file) : undefined;
    if (d.name !== "undefined-symbol" || !d.span) {
      out.push({ diag: d, kind: "unresolved", name: "", unit });
      continue;
    }
    const name = spanText(p, d.span);
    const line = lineOf(p.ir.sources.get(d.span.file) ?? "", d.span.line);
    let kind: FrontClass = "undefined-symbol";
    if (/^\s*(?:[\w@$?]+:\s*)?Control_Dispatch\b/i.test(line)) kind = "unknown-message";
    else if (unit && !unit.includesVmm && isVmmIncName(name)) kind = "missing-vmm-include";
    else if (shaky.has(d.span.file) || (unit && shaky.has(unit.file))) kind = "unresolved";
    out.push({ diag: d, kind, name, unit });
  }
  cache.set(p, out);
  return out;
}

function spanKey(s: { file: string; line: number; column: number }): string {
  return `${s.file}:${s.line}:${s.column}`;
}
