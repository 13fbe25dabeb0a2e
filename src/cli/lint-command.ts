// `vmmasm lint <files|dirs|globs>…`: the DDK's rules as static checks. Findings go to stdout (pretty,
// json or sarif); exit 0 when there is no error (and no more warnings than --max-warnings), 1 when
// there is, 2 when the command line or the config cannot be used.
import { readFileSync } from "node:fs";
import { diag } from "../diagnostics/diagnostic.js";
import { toJson } from "../diagnostics/render.js";
import { nodeFileSystem } from "../front/files.js";
import { ConfigError, EMPTY_CONFIG, findConfig, loadConfig, parseRuleOption, type LintConfig } from "../lint/config.js";
import { expandArguments } from "../lint/files.js";
import { formatJson, formatPretty, formatSarif, type LintFormat } from "../lint/format.js";
import { lint } from "../lint/lint.js";
import type { RuleSetting } from "../lint/types.js";
import { ExitCode } from "./exit-codes.js";
import { parseNumber, printDiagnostics, type Printer } from "./io.js";
import { parseDefines } from "./run-command.js";

export interface LintCommandOptions {
  readonly include?: readonly string[];
  readonly define?: readonly string[];
  readonly format?: string;
  readonly rule?: readonly string[];
  readonly maxWarnings?: string;
  readonly config?: string;
}

const FORMATS: readonly LintFormat[] = ["pretty", "json", "sarif"];

function usage(p: Printer, message: string, format: LintFormat): number {
  if (format === "pretty") printDiagnostics(p, [diag("usage", null, message)], () => undefined, "pretty");
  else p.err(JSON.stringify([toJson(diag("usage", null, message))], null, 2));
  return ExitCode.USAGE;
}

export function lintCommand(args: readonly string[], opts: LintCommandOptions, p: Printer, cwd = process.cwd()): number {
  const format = (opts.format ?? "pretty") as LintFormat;
  if (!FORMATS.includes(format)) return usage(p, `--format takes pretty, json or sarif, not \`${opts.format}\``, "pretty");
  let maxWarnings: number | null = null;
  if (opts.maxWarnings !== undefined) {
    const n = parseNumber(opts.maxWarnings);
    if (n === null || n < 0 || !Number.isSafeInteger(n)) return usage(p, `--max-warnings takes a whole number, not \`${opts.maxWarnings}\``, format);
    maxWarnings = n;
  }
  const defines = parseDefines(opts.define);
  if (typeof defines === "string") return usage(p, defines, format);
  let config: LintConfig = EMPTY_CONFIG;
  const rules: Record<string, RuleSetting> = {};
  try {
    const path = opts.config ?? findConfig(cwd);
    if (path) config = loadConfig(path);
    Object.assign(rules, config.rules);
    for (const r of opts.rule ?? []) {
      const [id, setting] = parseRuleOption(r);
      rules[id] = setting;
    }
  } catch (e) {
    if (e instanceof ConfigError) return usage(p, e.message, format);
    throw e;
  }
  if (args.length === 0) return usage(p, "vmmasm lint needs files, directories or globs to check", format);
  const { files, missing } = expandArguments(args);
  if (missing.length) return usage(p, `nothing to lint at ${missing.map((m) => `\`${m}\``).join(", ")}`, format);
  if (files.length === 0) return usage(p, `no .asm files in ${args.map((a) => `\`${a}\``).join(", ")}`, format);
  const sources = [];
  for (const f of files) {
    const text = nodeFileSystem.readFile(f);
    if (text === undefined) return usage(p, `cannot read \`${f}\``, format);
    sources.push({ name: f, text });
  }
  const result = lint(sources, {
    includeDirs: [...(opts.include ?? []), ...config.include],
    defines: { ...config.define, ...defines },
    rules,
  });
  const findings = result.findings;
  // For bench/lint.mjs: where the time went.
  if (process.env["VMMASM_LINT_TIMINGS"]) p.err(JSON.stringify({ ...result.timings, startedMs: performance.now(), ...cpuTimes() }));
  if (format === "json") p.out(formatJson(findings));
  else if (format === "sarif") p.out(formatSarif(findings, rules, cwd));
  else {
    const lines = sources.reduce((n, s) => n + countLines(s.text), 0);
    p.out(formatPretty(findings, (f) => result.sources.get(f), p.color, { files: sources.length, lines, suppressed: result.suppressed }));
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  if (errors > 0) return ExitCode.SOURCE_ERROR;
  if (maxWarnings !== null && warnings > maxWarnings) {
    if (format === "pretty") p.err(`vmmasm lint: ${warnings} warnings, more than --max-warnings ${maxWarnings}`);
    return ExitCode.SOURCE_ERROR;
  }
  return ExitCode.OK;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.length && !text.endsWith("\n") ? n + 1 : n;
}

/** CPU time so far (ms): of the whole process (every thread: the compiler and the collector work
 *  beside the main one), and of the main thread where Linux tells it. Steadier than the clock on a
 *  busy machine. */
function cpuTimes(): { cpuMs: number; mainThreadCpuMs?: number } {
  const { user, system } = process.cpuUsage();
  const out: { cpuMs: number; mainThreadCpuMs?: number } = { cpuMs: (user + system) / 1000 };
  try {
    out.mainThreadCpuMs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    // not Linux
  }
  return out;
}
