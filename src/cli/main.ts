// The vmmasm command line: it only wires the stages together.
import { Command, CommanderError, Option } from "commander";
import { ExitCode } from "./exit-codes.js";
import { consolePrinter } from "./io.js";
import { irCommand } from "./ir-command.js";
import { runCommand } from "./run-command.js";
import { docCommand } from "./doc-command.js";
import { replCommand } from "./repl-command.js";
import { lintCommand } from "./lint-command.js";
import { explainCommand, rulesCommand } from "./explain-command.js";
import { shouldColor } from "../diagnostics/color.js";
import { VERSION } from "../version.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

// Options several commands share (one definition each).
const includeOption = (): Option => new Option("-I, --include <dir>", "directory to search for include files (repeatable)").argParser(collect).default([]);
const defineOption = (): Option => new Option("-D, --define <name=value>", "define a symbol before assembly (repeatable)").argParser(collect).default([]);
const colorOption = (): Option => new Option("--color", "always colour the output (default: only on a terminal, never with NO_COLOR)");
const noColorOption = (): Option => new Option("--no-color", "never colour the output");

function colorChoice(opts: { color?: boolean }): boolean | undefined {
  return opts.color === undefined ? undefined : opts.color;
}

/** The command line, built once; `run(argv)` parses and runs one invocation. */
export function buildCli(): { run(argv: readonly string[]): number } {
  let exitCode: number = ExitCode.OK;
  const program = new Command()
    .name("vmmasm")
    .description("Assemble Windows 3.x/9x VxD sources and run them on a simulated Virtual Machine Manager.")
    .version(VERSION)
    .showHelpAfterError("(run vmmasm --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command("run")
    .description("assemble the files and run them: devices are booted, top-level code runs in the System VM, events run, devices shut down")
    .argument("<files...>", "MASM sources (several files load several devices)")
    .addOption(new Option("--trace [what]", "print each executed instruction with what it changed (instructions), the VMM timeline (vmm), or both (all)"))
    .option("--max-steps <n>", "stop after this many instructions", "10000000")
    .option("--vms <n>", "VMs the shell creates right after boot, besides the System VM")
    .option("--scenario <file>", "what happens during the run: VMs created, IRQs, focus changes, VMs closed, how long the clock runs (see the README)")
    .option("--at <when-what>", "one scenario line, e.g. --at \"100 irq 5\" (repeatable)", collect, [])
    .option("--until <ms>", "how long the simulated clock runs (default: until nothing is due, at most 10 s)")
    .option("--trace-out <file>", "write the VMM timeline as Chrome trace-event JSON (opens in Perfetto)")
    .option("--set <reg=value>", "initial register, flag or memory dword for the top-level code, e.g. --set eax=5,cf=1 or --set [400000h]=0x1234 (repeatable)", collect, [])
    .option("--json", "print the final state (registers, flags, VMs, events, output, diagnostics) as one JSON document")
    .option("--state", "print the final registers, flags and VMs after the output")
    .option("--on-violation <mode>", "when the program breaks a DDK rule: stop, or report and go on", "stop")
    .addOption(includeOption())
    .addOption(defineOption())
    .addOption(new Option("--format <format>", "diagnostics format").choices(["pretty", "json"]).default("pretty"))
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((files: string[], opts) => {
      exitCode = runCommand(files, opts, consolePrinter(colorChoice(opts)));
    });

  program
    .command("ir")
    .description("print the IR the machine runs: one instruction a line with its code address and source line")
    .argument("<files...>", "MASM sources")
    .addOption(includeOption())
    .addOption(defineOption())
    .addOption(new Option("--format <format>", "diagnostics format").choices(["pretty", "json"]).default("pretty"))
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((files: string[], opts) => {
      exitCode = irCommand(files, opts, consolePrinter(colorChoice(opts)));
    });

  program
    .command("repl")
    .description("an interactive machine in the System VM with vmm.inc known: each line runs at once and shows what it changed (.help inside)")
    .argument("[files...]", "MASM sources to load first: their procedures and data can then be called and inspected")
    .option("--vms <n>", "VMs to create besides the System VM", "1")
    .option("--max-steps <n>", "stop a line after this many instructions", "10000000")
    .addOption(includeOption())
    .addOption(defineOption())
    .option("--echo", "print each line read (for transcripts of piped input)")
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((files: string[], opts) => {
      exitCode = replCommand(files, opts, consolePrinter(colorChoice(opts)));
    });

  program
    .command("doc")
    .description("the reference of a VMM service, System_Control message, PEF flag, device, structure field, instruction, diagnostic or lint rule, from the tables")
    .argument("[name]", "e.g. Call_VM_Event, Create_VM, PEF_Wait_For_STI, SHELL, Client_EAX, cmpxchg, E0707")
    .option("--list [kind]", "list one kind: services, messages, pef, devices, structures, fields, mnemonics, diagnostics, rules, symbols")
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((name: string | undefined, opts) => {
      exitCode = docCommand(name, opts, consolePrinter(colorChoice(opts)));
    });

  program
    .command("lint")
    .description("check device sources against the rules the DDK states, without running them")
    .argument("<paths...>", "MASM sources, directories (every .asm in them) or globs (src/**/*.asm); all are linted as one program")
    .addOption(includeOption())
    .addOption(defineOption())
    .option("--format <format>", "pretty, json (an array of findings) or sarif (SARIF 2.1.0)", "pretty")
    .option("--rule <id=setting>", "turn a rule off or set its severity: id=off|warn|error (repeatable)", collect, [])
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this")
    .option("--config <file>", "rule settings, include directories and defines (default: vmmasm-lint.json or .vmmasmrc.json in the project root)")
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((paths: string[], opts) => {
      exitCode = lintCommand(paths, opts, consolePrinter(colorChoice(opts) ?? shouldColor(process.stdout)));
    });

  program
    .command("explain")
    .description("a lint rule: what it checks, why, its DDK source, and code that breaks and keeps it")
    .argument("<rule>", "a rule id, e.g. illegal-system-control-send (vmmasm rules lists them)")
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((rule: string, opts) => {
      exitCode = explainCommand(rule, consolePrinter(colorChoice(opts) ?? shouldColor(process.stdout)));
    });

  program
    .command("rules")
    .description("list the lint rules with their default severity")
    .option("--json", "print them as JSON")
    .addOption(colorOption())
    .addOption(noColorOption())
    .action((opts) => {
      exitCode = rulesCommand(opts, consolePrinter(colorChoice(opts) ?? shouldColor(process.stdout)));
    });

  return {
    run(argv) {
      exitCode = ExitCode.OK;
      try {
        program.parse(traceValueFirst(argv), { from: "user" });
      } catch (e) {
        if (e instanceof CommanderError) {
          if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return ExitCode.OK;
          return ExitCode.USAGE;
        }
        throw e;
      }
      return exitCode;
    },
  };
}

const TRACE_KINDS = new Set(["instructions", "vmm", "all"]);

/** `--trace` takes an optional value; a file name after it is not that value. */
function traceValueFirst(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--trace" && !TRACE_KINDS.has(argv[i + 1] ?? "")) out.push("--trace=instructions");
    else out.push(a);
  }
  return out;
}

export function main(argv: readonly string[]): number {
  return buildCli().run(argv);
}
