// What every command shares: reading the named files, printing diagnostics.
import { resolve } from "node:path";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { renderPretty, renderSummary, toJson } from "../diagnostics/render.js";
import { shouldColor } from "../diagnostics/color.js";
import { nodeFileSystem } from "../front/files.js";
import type { SourceInput } from "../front/index.js";

export type DiagnosticFormat = "pretty" | "json";

export interface Printer {
  readonly color: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function consolePrinter(forceColor?: boolean): Printer {
  return {
    color: forceColor ?? shouldColor(process.stderr),
    out: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
    err: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
  };
}

export function readSources(paths: readonly string[]): { sources: SourceInput[]; problems: Diagnostic[] } {
  const sources: SourceInput[] = [];
  const problems: Diagnostic[] = [];
  for (const p of paths) {
    const text = nodeFileSystem.isFile(p) ? nodeFileSystem.readFile(p) : undefined;
    if (text === undefined) problems.push(diag("file-not-found", null, `cannot read \`${p}\` (looked for ${resolve(p)})`));
    else sources.push({ name: p, text });
  }
  return { sources, problems };
}

export function printDiagnostics(p: Printer, diags: readonly Diagnostic[], lookup: (file: string) => string | undefined, format: DiagnosticFormat): void {
  if (format === "json") {
    p.out(JSON.stringify(diags.map(toJson), null, 2));
    return;
  }
  for (const d of diags) p.err(renderPretty(d, lookup, p.color) + "\n");
  const summary = renderSummary(diags, p.color);
  if (summary) p.err(summary);
}

/** Parses 0x1F, 1Fh, 31, -1, 1010b as a number. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (/^-?0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.replace(/0x/i, ""), 16) * (t.startsWith("-") ? -1 : 1);
  if (/^[0-9][0-9a-f]*h$/i.test(t)) return Number.parseInt(t.slice(0, -1), 16);
  if (/^[01]+b$/i.test(t)) return Number.parseInt(t.slice(0, -1), 2);
  if (/^-?\d+$/.test(t)) return Number.parseInt(t, 10);
  return null;
}
