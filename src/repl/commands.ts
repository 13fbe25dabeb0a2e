// The REPL's dot-commands. MASM's own dot-directives (.386p, .ERRNZ …) have other names, so a
// line is a command exactly when its first word is one of these.
import { writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { ChalkInstance } from "chalk";
import { doc } from "../doc/index.js";
import { evaluateAddress, parseNumber } from "./address.js";
import { formatDevices, formatEvents, formatFlags, formatMemory, formatRegisters, formatVms, instructionText, where } from "./render.js";
import type { LineResult, ReplSession } from "./session.js";

export interface CommandUi {
  readonly session: ReplSession;
  readonly c: ChalkInstance;
  say(text: string): void;
  show(result: LineResult): void;
  leave(): void;
}

interface Command {
  readonly name: string;
  readonly args: string;
  readonly help: string;
  run(ui: CommandUi, args: string): void;
}

function fail(ui: CommandUi, text: string): void {
  ui.say(`${ui.c.red("error")}: ${text}`);
}

function lines(ui: CommandUi, list: readonly string[]): void {
  ui.say(list.join("\n"));
}

/** The instruction index a code address or label names. */
function codeIndex(ui: CommandUi, text: string): number | string {
  const v = evaluateAddress(ui.session, text);
  if (typeof v === "string") return v;
  const i = ui.session.cpu.indexOfCodeAddress(v);
  return i < 0 ? `\`${text}\` is not the address of an instruction` : i;
}

const COMMANDS: readonly Command[] = [
  { name: ".regs", args: "", help: "the registers and flags", run: (ui) => lines(ui, formatRegisters(ui.session, ui.c)) },
  { name: ".flags", args: "", help: "the flags", run: (ui) => lines(ui, formatFlags(ui.session, ui.c)) },
  {
    name: ".mem",
    args: "ADDRESS [LENGTH]",
    help: "memory as bytes; ADDRESS may be a number, register, symbol, reg.Field, joined by + and -",
    run(ui, args) {
      const m = /^(.*?)(?:\s+(\S+))?$/.exec(args.trim())!;
      let addrText = m[1]!;
      let length = 64;
      if (m[2] !== undefined) {
        const n = parseNumber(m[2]);
        if (n === null) addrText = args.trim();
        else length = n;
      }
      if (addrText === "") return fail(ui, ".mem needs an address, e.g. .mem RefData or .mem esp 16");
      const address = evaluateAddress(ui.session, addrText);
      if (typeof address === "string") return fail(ui, address);
      if (length <= 0 || length > 4096) return fail(ui, "LENGTH is 1 to 4096 bytes");
      lines(ui, formatMemory(ui.session, address, length, ui.c));
    },
  },
  { name: ".vms", args: "", help: "the virtual machines, the current one and their pending events", run: (ui) => lines(ui, formatVms(ui.session, ui.c)) },
  { name: ".devices", args: "", help: "the loaded devices in load order", run: (ui) => lines(ui, formatDevices(ui.session, ui.c)) },
  {
    name: ".events",
    args: "[run]",
    help: "pending events and time-outs; `.events run` returns to the VMM so that they run",
    run(ui, args) {
      if (args.trim() === "") return lines(ui, formatEvents(ui.session, ui.c));
      if (args.trim().toLowerCase() !== "run") return fail(ui, "`.events` lists the pending events, `.events run` runs them");
      ui.show(ui.session.runEvents());
    },
  },
  {
    name: ".wait",
    args: "MS",
    help: "let MS milliseconds of simulated time pass: time-outs fire, events run",
    run(ui, args) {
      const ms = parseNumber(args);
      if (ms === null || ms <= 0) return fail(ui, ".wait takes a number of milliseconds, e.g. .wait 100");
      ui.show(ui.session.runEvents(ms));
    },
  },
  {
    name: ".step",
    args: "[N]",
    help: "run N more instructions of the stopped line (with nothing stopped: stop before the next line's first instruction)",
    run(ui, args) {
      const n = args.trim() === "" ? 1 : parseNumber(args);
      if (n === null || n <= 0) return fail(ui, ".step takes a positive number of instructions");
      ui.show(ui.session.step(n));
    },
  },
  { name: ".continue", args: "", help: "run the stopped line on, to the next breakpoint or its end", run: (ui) => ui.show(ui.session.continue()) },
  {
    name: ".break",
    args: "[LABEL|ADDRESS]",
    help: "stop before that instruction whenever it is about to run; without an argument, list the breakpoints",
    run(ui, args) {
      const s = ui.session;
      if (args.trim() === "") {
        if (s.breakpoints.size === 0) return ui.say(ui.c.dim("  no breakpoints"));
        return lines(ui, [...s.breakpoints].map(([i, name]) => `  ${ui.c.yellow(name)}  ${ui.c.dim(`${where(s.program, i)}: ${instructionText(s.program, i)}`)}`));
      }
      const i = codeIndex(ui, args);
      if (typeof i === "string") return fail(ui, i);
      s.breakpoints.set(i, args.trim());
      ui.say(`  breakpoint at ${ui.c.yellow(args.trim())} ${ui.c.dim(`(${where(s.program, i)}: ${instructionText(s.program, i)})`)}`);
    },
  },
  {
    name: ".delete",
    args: "[LABEL|ADDRESS]",
    help: "remove that breakpoint, or all of them",
    run(ui, args) {
      const s = ui.session;
      if (args.trim() === "") {
        const n = s.breakpoints.size;
        s.breakpoints.clear();
        return ui.say(`  ${n} breakpoint${n === 1 ? "" : "s"} removed`);
      }
      const i = codeIndex(ui, args);
      if (typeof i === "string") return fail(ui, i);
      if (!s.breakpoints.delete(i)) return fail(ui, `there is no breakpoint at \`${args.trim()}\``);
      ui.say(`  breakpoint at ${args.trim()} removed`);
    },
  },
  {
    name: ".undo",
    args: "",
    help: "step back one line: registers, flags, memory and the VMM as they were before it",
    run(ui) {
      const label = ui.session.undo();
      if (label === null) return fail(ui, "nothing to undo");
      ui.say(`  undid ${ui.c.bold(label.split("\n")[0]!)}${label.includes("\n") ? ui.c.dim(" …") : ""}`);
    },
  },
  {
    name: ".reset",
    args: "",
    help: "start again: a new machine, the command line's files loaded, no breakpoints",
    run(ui) {
      const problems = ui.session.start();
      ui.show({ status: problems.length ? "source-error" : "ok", diagnostics: problems, changes: null, stop: null, notes: ["a new machine: the System VM is current"] });
    },
  },
  {
    name: ".load",
    args: "FILE",
    help: "assemble FILE into the session: its procedures and data join it, its top-level code runs, its devices are initialised",
    run(ui, args) {
      const path = args.trim().replace(/^"(.*)"$/, "$1");
      if (path === "") return fail(ui, ".load needs a file name");
      ui.show(ui.session.load(path));
    },
  },
  {
    name: ".save",
    args: "FILE",
    help: "write the session's source (every line that ran and is not undone) to FILE",
    run(ui, args) {
      const path = args.trim().replace(/^"(.*)"$/, "$1");
      if (path === "") return fail(ui, ".save needs a file name");
      const dir = dirname(resolve(path));
      const text = ui.session.source((p) => (isAbsolute(p) ? p : relative(dir, resolve(p)) || p));
      try {
        writeFileSync(path, text);
      } catch (e) {
        return fail(ui, `cannot write \`${path}\`: ${e instanceof Error ? e.message : String(e)}`);
      }
      ui.say(`  saved ${text.split("\n").length - 1} lines to ${path}`);
    },
  },
  { name: ".source", args: "", help: "show the session's source", run: (ui) => ui.say(ui.session.source().trimEnd()) },
  {
    name: ".trace",
    args: "on|off",
    help: "show every instruction a line runs, with the registers and flags it changed",
    run(ui, args) {
      const a = args.trim().toLowerCase();
      if (a !== "on" && a !== "off") return fail(ui, ".trace takes on or off");
      ui.session.trace = a === "on";
      ui.say(`  trace ${a}`);
    },
  },
  {
    name: ".doc",
    args: "NAME | --list KIND",
    help: "the reference of a service, message, PEF flag, device, structure field, instruction or diagnostic",
    run(ui, args) {
      const list = /^--list(?:\s+(\S+))?\s*$/.exec(args.trim());
      const answer = doc(list ? { list: list[1] ?? "" } : { name: args }, ui.c);
      ui.say(answer.ok ? answer.text : `${ui.c.red("error")}: ${answer.text}`);
    },
  },
  {
    name: ".help",
    args: "",
    help: "this list",
    run(ui) {
      const c = ui.c;
      const out = [
        "Type instructions, VMM calls (VMMcall Get_Cur_VM_Handle), data (x dd 5), equates, PROC/BeginProc,",
        "STRUC, MACRO and IF blocks; each runs at once and shows what it changed. A top-level `ret`",
        "returns to the VMM: pending events run. Tab completes, Ctrl-C stops a line, Ctrl-D leaves.",
        "",
      ];
      for (const cmd of COMMANDS) out.push(`  ${c.cyan(`${cmd.name}${cmd.args ? " " + cmd.args : ""}`.padEnd(26))}${cmd.help}`);
      lines(ui, out);
    },
  },
  { name: ".quit", args: "", help: "leave (as Ctrl-D does)", run: (ui) => ui.leave() },
  { name: ".exit", args: "", help: "leave", run: (ui) => ui.leave() },
];

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

/** Runs `line` if it is a dot-command; false if it is not one (it is source then). */
export function runCommand(ui: CommandUi, line: string): boolean {
  const m = /^\s*(\.[A-Za-z]+)(?:\s+(.*))?$/.exec(line);
  if (!m) return false;
  const cmd = COMMANDS.find((c) => c.name === m[1]!.toLowerCase());
  if (!cmd) {
    // An unknown dot-word is a command typed wrong unless MASM knows it as a directive.
    if (/^\.(386|486|586|686|387|8086|model|code|data|const|stack|err|list|xlist|lall|sall|xall|cref|xcref|radix|lfcond|sfcond|tfcond|nolist|mmx|xmm)/i.test(m[1]!)) return false;
    fail(ui, `\`${m[1]}\` is not a command; .help lists them`);
    return true;
  }
  cmd.run(ui, m[2] ?? "");
  return true;
}
