// Lint's outputs: rustc-style text, a JSON array of findings, and SARIF 2.1.0.
import { relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { renderPretty } from "../diagnostics/render.js";
import { makeChalk } from "../diagnostics/color.js";
import { VERSION } from "../version.js";
import { RULES } from "./registry.js";
import type { Finding, RuleSetting } from "./types.js";

export type LintFormat = "pretty" | "json" | "sarif";

export interface JsonFinding {
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  ruleId: string;
  severity: string;
  message: string;
  help?: string;
}

export function toJsonFinding(f: Finding): JsonFinding {
  const s = f.span;
  return {
    file: s?.file ?? null,
    line: s?.line ?? null,
    column: s?.column ?? null,
    endLine: s?.endLine ?? null,
    endColumn: s?.endColumn ?? null,
    ruleId: f.name,
    severity: f.severity,
    message: f.message,
    ...(f.help ? { help: f.help } : {}),
  };
}

export function formatJson(findings: readonly Finding[]): string {
  return JSON.stringify(findings.map(toJsonFinding), null, 2);
}

export interface Summary {
  readonly files: number;
  readonly lines: number;
  readonly suppressed: number;
}

/** One finding after another, rustc-style, then a summary line. The rule id stands where rustc puts its code. */
export function formatPretty(findings: readonly Finding[], lookup: (file: string) => string | undefined, color: boolean, summary: Summary): string {
  const out = findings.map((f) => renderPretty({ ...f, code: f.name }, lookup, color) + "\n");
  out.push(summaryLine(findings, color, summary));
  return out.join("\n");
}

export function summaryLine(findings: readonly Finding[], color: boolean, s: Summary): string {
  const c = makeChalk(color);
  const count = (sev: string): number => findings.filter((f) => f.severity === sev).length;
  const e = count("error");
  const w = count("warning");
  const n = count("note");
  const parts: string[] = [];
  if (e) parts.push(c.red(`${e} error${e === 1 ? "" : "s"}`));
  if (w) parts.push(c.yellow(`${w} warning${w === 1 ? "" : "s"}`));
  if (n) parts.push(c.cyan(`${n} note${n === 1 ? "" : "s"}`));
  const where = `${s.files} file${s.files === 1 ? "" : "s"}, ${s.lines} line${s.lines === 1 ? "" : "s"}`;
  const hidden = s.suppressed ? `, ${s.suppressed} suppressed` : "";
  return parts.length ? `${c.bold("vmmasm lint")}: ${parts.join(", ")} (${where}${hidden})` : `${c.bold("vmmasm lint")}: ${c.green("no problems")} (${where}${hidden})`;
}

const LEVEL: Record<string, "error" | "warning" | "note"> = { error: "error", warning: "warning", note: "note" };

/** A path as a relative URI reference (forward slashes, percent-encoded). */
export function relativeUri(file: string, root: string): string {
  const rel = relative(root, resolve(root, file)).split(sep).join("/");
  return rel.split("/").map((part) => (part === ".." || part === "." ? part : encodeURIComponent(part))).join("/");
}

/** SARIF 2.1.0: the rules with their metadata, the results with relative URIs under %SRCROOT%. */
export function formatSarif(findings: readonly Finding[], settings: Readonly<Record<string, RuleSetting>>, root = process.cwd()): string {
  const index = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const rules = RULES.map((r) => {
    const setting = settings[r.meta.id] ?? r.meta.severity;
    return {
      id: r.meta.id,
      name: r.meta.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: sentence(r.meta.summary) },
      fullDescription: { text: r.meta.explanation },
      ...(r.meta.helpUri ? { helpUri: r.meta.helpUri } : {}),
      help: { text: `${r.meta.explanation}\n\nSource: ${r.meta.source}\n\nBreaks the rule:\n${r.meta.bad}\n\nKeeps it:\n${r.meta.good}` },
      defaultConfiguration: setting === "off" ? { enabled: false, level: LEVEL[r.meta.severity]! } : { level: LEVEL[setting]! },
      properties: { code: r.meta.code, source: r.meta.source },
    };
  });
  const location = (span: NonNullable<Finding["span"]>, message?: string) => ({
    physicalLocation: {
      artifactLocation: { uri: relativeUri(span.file, root), uriBaseId: "%SRCROOT%" },
      region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: Math.max(span.endColumn, span.column) },
    },
    ...(message ? { message: { text: message } } : {}),
  });
  const results = findings.map((f) => ({
    ruleId: f.name,
    ruleIndex: index.get(f.name) ?? 0,
    level: LEVEL[f.severity] ?? "warning",
    message: { text: f.help ? `${f.message}\n${f.help}` : f.message },
    ...(f.span ? { locations: [location(f.span)] } : {}),
    ...(f.related?.length ? { relatedLocations: f.related.map((r, i) => ({ id: i, ...location(r.span, r.message) })) } : {}),
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "vmmasm",
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: "https://www.npmjs.com/package/vmmasm",
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(root.endsWith(sep) ? root : root + sep).href } },
        columnKind: "unicodeCodePoints",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function sentence(s: string): string {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return t.endsWith(".") ? t : `${t}.`;
}
