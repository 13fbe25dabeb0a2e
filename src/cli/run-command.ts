// `vmmasm run file.asm…`: assemble, run on the simulated VMM, print the output (and on request
// a trace, the final state or one JSON document).
import { diag, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { makeChalk } from "../diagnostics/color.js";
import { toJson } from "../diagnostics/render.js";
import { assemble } from "../front/index.js";
import { REG_NAMES32 } from "../ir/types.js";
import type { FlagName } from "../machine/flags.js";
import { runProgram, type RegisterName, type RunResult } from "../run/run-program.js";
import type { TimelineEntry } from "../vmm/runtime/vmm.js";
import { ExitCode } from "./exit-codes.js";
import { parseNumber, printDiagnostics, readSources, type DiagnosticFormat, type Printer } from "./io.js";
import { InstructionTracer } from "./trace.js";
import { writeFileSync } from "node:fs";
import { nodeFileSystem } from "../front/files.js";
import { emptyScenario, parseScenario } from "../run/scenario.js";
import { toTraceEvents } from "../run/trace-events.js";

export interface RunCommandOptions {
  readonly trace?: string | boolean;
  readonly maxSteps?: string;
  readonly vms?: string;
  readonly json?: boolean;
  readonly state?: boolean;
  readonly include?: readonly string[];
  readonly define?: readonly string[];
  readonly set?: readonly string[];
  readonly format?: DiagnosticFormat;
  readonly onViolation?: string;
  readonly scenario?: string;
  readonly at?: readonly string[];
  readonly until?: string;
  readonly traceOut?: string;
}

const FLAGS: readonly FlagName[] = ["cf", "pf", "af", "zf", "sf", "of", "df", "if"];

function usage(p: Printer, message: string, format: DiagnosticFormat): number {
  printDiagnostics(p, [diag("usage", null, message)], () => undefined, format);
  return ExitCode.USAGE;
}

export function parseDefines(list: readonly string[] = []): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const d of list) {
    const m = /^([A-Za-z_@$?][\w@$?]*)(?:=(.*))?$/.exec(d);
    if (!m) return `-D ${d}: expected NAME or NAME=value`;
    out[m[1]!] = m[2] ?? "";
  }
  return out;
}

interface Sets {
  registers: Partial<Record<RegisterName, number>>;
  flags: Partial<Record<FlagName, 0 | 1>>;
  memory: { address: number; bytes: number[] }[];
}

/** `eax=5`, `cf=1`, and `[400000h]=12345678` (a dword written into memory before the run). */
function parseSets(list: readonly string[]): Sets | string {
  const registers: Partial<Record<RegisterName, number>> = {};
  const flags: Partial<Record<FlagName, 0 | 1>> = {};
  const memory: { address: number; bytes: number[] }[] = [];
  for (const item of list) {
    for (const part of item.split(",")) {
      const mem = /^\s*\[([^\]]+)\]\s*=\s*(\S+)\s*$/.exec(part);
      if (mem) {
        const address = parseNumber(mem[1]!);
        const value = parseNumber(mem[2]!);
        if (address === null || value === null) return `--set ${part}: expected [address]=dword, e.g. --set [400000h]=0x1234`;
        memory.push({ address, bytes: [0, 8, 16, 24].map((s) => (value >>> s) & 0xff) });
        continue;
      }
      const m = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(part);
      const value = m ? parseNumber(m[2]!) : null;
      if (!m || value === null) return `--set ${part}: expected REG=value, e.g. --set eax=0x10 or --set cf=1`;
      const name = m[1]!.toLowerCase();
      if ((REG_NAMES32 as readonly string[]).includes(name)) registers[name as RegisterName] = value;
      else if ((FLAGS as readonly string[]).includes(name)) {
        if (value !== 0 && value !== 1) return `--set ${part}: a flag is 0 or 1`;
        flags[name as FlagName] = value;
      } else return `--set ${part}: \`${name}\` is not a 32-bit register or a flag (eax … edi, cf pf af zf sf of df if)`;
    }
  }
  return { registers, flags, memory };
}

function positive(text: string | undefined, what: string): number | string | undefined {
  if (text === undefined) return undefined;
  const n = parseNumber(text);
  if (n === null || n < 0 || !Number.isSafeInteger(n)) return `${what} takes a whole number, not \`${text}\``;
  return n;
}

export function runCommand(files: readonly string[], opts: RunCommandOptions, p: Printer): number {
  const format: DiagnosticFormat = opts.json ? "json" : opts.format ?? "pretty";
  const maxSteps = positive(opts.maxSteps, "--max-steps");
  const vms = positive(opts.vms, "--vms");
  if (typeof maxSteps === "string") return usage(p, maxSteps, format);
  if (typeof vms === "string") return usage(p, vms, format);
  if (vms !== undefined && vms > 64) return usage(p, "--vms takes at most 64", format);
  const defines = parseDefines(opts.define);
  if (typeof defines === "string") return usage(p, defines, format);
  const sets = parseSets(opts.set ?? []);
  if (typeof sets === "string") return usage(p, sets, format);
  const onViolation = opts.onViolation ?? "stop";
  if (onViolation !== "stop" && onViolation !== "report") return usage(p, `--on-violation takes stop or report, not \`${onViolation}\``, format);
  const traceWhat = opts.trace === true ? "instructions" : opts.trace === false || opts.trace === undefined ? "" : opts.trace;
  if (traceWhat && !["instructions", "vmm", "all"].includes(traceWhat)) return usage(p, `--trace takes instructions, vmm or all, not \`${traceWhat}\``, format);

  const until = positive(opts.until, "--until");
  if (typeof until === "string") return usage(p, until, format);
  const scenario = emptyScenario();
  const scenarioProblems: Diagnostic[] = [];
  if (opts.scenario) {
    const text = nodeFileSystem.readFile(opts.scenario);
    if (text === undefined) return usage(p, `cannot read the scenario file \`${opts.scenario}\``, format);
    scenarioProblems.push(...parseScenario(text, opts.scenario, scenario).diagnostics);
  }
  for (const line of opts.at ?? []) scenarioProblems.push(...parseScenario(`at ${line}`, "--at", scenario).diagnostics);
  if (scenarioProblems.length) {
    printDiagnostics(p, scenarioProblems, (f) => (f === opts.scenario ? nodeFileSystem.readFile(f) : undefined), format);
    return ExitCode.USAGE;
  }
  if (until !== undefined) scenario.until = until;

  const { sources, problems } = readSources(files);
  if (problems.length) {
    printDiagnostics(p, problems, () => undefined, format);
    return ExitCode.USAGE;
  }
  const assembled = assemble(sources, { includeDirs: opts.include ?? [], defines });
  const lookup = (f: string): string | undefined => assembled.program.sources.get(f);
  if (hasErrors(assembled.diagnostics)) {
    if (opts.json) p.out(JSON.stringify({ status: "source-error", exitCode: ExitCode.SOURCE_ERROR, diagnostics: assembled.diagnostics.map(toJson) }, null, 2));
    else printDiagnostics(p, assembled.diagnostics, lookup, format);
    return ExitCode.SOURCE_ERROR;
  }
  const c = makeChalk(p.color);
  const tracer = traceWhat === "instructions" || traceWhat === "all" ? new InstructionTracer(assembled.program, (l) => p.out(l), c) : null;
  const timeline = traceWhat === "vmm" || traceWhat === "all" ? (e: TimelineEntry) => p.out(c.magenta(`[${String(e.time).padStart(6)} ms] ${e.text}`)) : undefined;
  const result = runProgram(assembled.program, {
    ...(maxSteps !== undefined ? { maxSteps } : {}),
    ...(vms !== undefined ? { vms } : {}),
    onViolation,
    registers: sets.registers,
    flags: sets.flags,
    memory: sets.memory,
    ...(tracer ? { onStep: tracer.step } : {}),
    ...(timeline ? { onTimeline: timeline } : {}),
    ...(opts.json ? {} : { onOutput: (t: string) => process.stdout.write(t) }),
    scenario,
  });
  if (opts.traceOut) writeFileSync(opts.traceOut, JSON.stringify(toTraceEvents(result.timeline)));
  if (tracer) tracer.flush(result.cpu);
  const diagnostics = [...assembled.diagnostics, ...result.diagnostics];
  const exit = result.status === "ok" ? ExitCode.OK : result.status === "fault" ? ExitCode.RUNTIME_FAULT : ExitCode.VMM_VIOLATION;
  if (opts.json) {
    p.out(JSON.stringify(stateDocument(result, diagnostics, exit), null, 2));
    return exit;
  }
  if (opts.state) p.out(stateText(result));
  if (diagnostics.length) printDiagnostics(p, diagnostics, lookup, format);
  return exit;
}

const hex = (v: number): string => (v >>> 0).toString(16).toUpperCase().padStart(8, "0");

function stateDocument(r: RunResult, diagnostics: readonly Diagnostic[], exitCode: number): unknown {
  return {
    status: r.status,
    exitCode,
    steps: r.steps,
    output: r.output.split("\n").filter((l, i, a) => i < a.length - 1 || l !== ""),
    registers: Object.fromEntries(Object.entries(r.registers).map(([k, v]) => [k, hex(v)])),
    flags: r.flags,
    eflags: hex(r.eflags),
    currentVm: hex(r.currentVm),
    vms: r.vms.map((v) => ({ id: v.id, handle: hex(v.handle), state: v.state })),
    devices: r.devices.map((d) => ({ name: d.name, id: d.id.toString(16).toUpperCase().padStart(4, "0"), initOrder: hex(d.initOrder), loaded: d.loaded })),
    pendingEvents: r.pendingEvents.map((e) => ({ handle: hex(e.handle), kind: e.kind, vm: hex(e.vm), callback: hex(e.callback) })),
    pendingTimeOuts: r.pendingTimeOuts.map((t) => ({ handle: hex(t.handle), kind: t.kind, dueMs: t.due })),
    timeMs: r.time,
    diagnostics: diagnostics.map(toJson),
  };
}

function stateText(r: RunResult): string {
  const regs = Object.entries(r.registers).map(([k, v]) => `${k.toUpperCase()}=${hex(v)}`);
  const flags = Object.entries(r.flags).map(([k, v]) => `${k.toUpperCase()}=${v}`);
  const vms = r.vms.map((v) => `VM ${v.id} ${hex(v.handle)} ${v.state}${v.handle === r.currentVm ? " (current)" : ""}`);
  return [
    `-- final state after ${r.steps} instructions (${r.status})`,
    regs.slice(0, 4).join(" "),
    regs.slice(4).join(" "),
    flags.join(" "),
    ...vms,
    r.pendingEvents.length ? `${r.pendingEvents.length} event(s) still pending` : "no pending events",
  ].join("\n");
}
