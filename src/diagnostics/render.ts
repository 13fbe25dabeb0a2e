// Renderers for diagnostics: rustc-style text (with the source line and a caret under the span)
// and JSON for machines.
import type { ChalkInstance } from "chalk";
import type { Diagnostic } from "./diagnostic.js";
import { makeChalk } from "./color.js";

export type SourceLookup = (file: string) => string | undefined;

function sourceLine(text: string | undefined, line: number): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  return text.slice(start, end).replace(/\r$/, "").replace(/\x1a.*$/s, "");
}

/** Expands tabs to 8 columns so the caret lines up; returns the text and a column mapper. */
function expandTabs(line: string): { text: string; col: (c: number) => number } {
  const map: number[] = [];
  let out = "";
  for (const ch of line) {
    map.push(out.length);
    if (ch === "\t") out += " ".repeat(8 - (out.length % 8));
    else out += ch;
  }
  map.push(out.length);
  return { text: out, col: (c) => map[Math.min(Math.max(c - 1, 0), map.length - 1)] ?? out.length };
}

function severityLabel(d: Diagnostic, c: ChalkInstance): string {
  const head = `${d.severity}[${d.code}]`;
  if (d.severity === "error") return c.bold.red(head);
  if (d.severity === "warning") return c.bold.yellow(head);
  return c.bold.cyan(head);
}

export function renderPretty(d: Diagnostic, lookup: SourceLookup, color = false): string {
  const c = makeChalk(color);
  const out: string[] = [`${severityLabel(d, c)}${c.bold(": " + d.message)}`];
  const span = d.span;
  if (span) {
    const gutter = String(span.line).length;
    const pad = " ".repeat(gutter);
    out.push(`${pad}${c.blue("-->")} ${span.file}:${span.line}:${span.column}`);
    const raw = sourceLine(lookup(span.file), span.line);
    if (raw !== undefined) {
      const { text, col } = expandTabs(raw);
      const start = col(span.column);
      const endCol = span.endLine === span.line ? col(span.endColumn) : text.length;
      const width = Math.max(1, endCol - start);
      out.push(`${pad} ${c.blue("|")}`);
      out.push(`${c.blue(String(span.line))} ${c.blue("|")} ${text}`);
      const caret = d.severity === "error" ? c.red : d.severity === "warning" ? c.yellow : c.cyan;
      out.push(`${pad} ${c.blue("|")} ${" ".repeat(start)}${caret("^".repeat(width))}`);
    }
    for (const n of d.notes ?? []) out.push(`${pad} ${c.blue("=")} ${c.bold("note")}: ${n}`);
    for (const r of d.related ?? []) {
      out.push(`${pad} ${c.blue("=")} ${c.bold("note")}: ${r.message} (${r.span.file}:${r.span.line}:${r.span.column})`);
    }
    if (d.help) out.push(`${pad} ${c.blue("=")} ${c.bold("help")}: ${d.help}`);
  } else {
    for (const n of d.notes ?? []) out.push(`  = note: ${n}`);
    if (d.help) out.push(`  = help: ${d.help}`);
  }
  return out.join("\n");
}

export function renderSummary(diags: readonly Diagnostic[], color = false): string {
  const c = makeChalk(color);
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.filter((d) => d.severity === "warning").length;
  const parts: string[] = [];
  if (errors) parts.push(c.red(`${errors} error${errors === 1 ? "" : "s"}`));
  if (warnings) parts.push(c.yellow(`${warnings} warning${warnings === 1 ? "" : "s"}`));
  return parts.join(", ");
}

export interface JsonDiagnostic {
  code: string;
  name: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  help?: string;
  notes?: readonly string[];
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  const s = d.span;
  return {
    code: d.code,
    name: d.name,
    severity: d.severity,
    message: d.message,
    file: s?.file ?? null,
    line: s?.line ?? null,
    column: s?.column ?? null,
    endLine: s?.endLine ?? null,
    endColumn: s?.endColumn ?? null,
    ...(d.help ? { help: d.help } : {}),
    ...(d.notes ? { notes: d.notes } : {}),
  };
}
