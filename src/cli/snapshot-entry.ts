// Entry point of the V8 start-up snapshot (see scripts/build.mjs and bin/vmmasm): while the
// snapshot is built, the expensive one-time work (Chevrotain's grammar analysis, the vmm.inc
// symbol view) is done and kept in the heap image; a run starts from that image.
import { startupSnapshot } from "node:v8";
import { lineParser } from "../../grammar/parser.js";
import { assemble } from "../front/index.js";
import { runProgram } from "../run/run-program.js";
import { vmmIncSymbols } from "../vmm/vmm-inc.js";
import { buildCli, main } from "./main.js";
import { warmUpLint } from "../lint/warm-up.js";
import { exitOnceFlushed, quietOnClosedPipe } from "./streams.js";
import { tuneCompiler } from "./compiler-tuning.js";

function start(args: readonly string[], cli?: ReturnType<typeof buildCli>): void {
  tuneCompiler(args[0]);
  quietOnClosedPipe();
  try {
    process.exitCode = cli ? cli.run(args) : main(args);
  } catch (e) {
    process.stderr.write(`vmmasm: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\nPlease report this with the input that caused it.\n`);
    process.exitCode = 70;
  }
  exitOnceFlushed(typeof process.exitCode === "number" ? process.exitCode : 0);
}

if (startupSnapshot.isBuildingSnapshot()) {
  lineParser();
  vmmIncSymbols();
  // Exercise the whole pipeline once so that every table it builds lazily is in the image.
  const warm = assemble([{ name: "warm-up.asm", text: "include vmm.inc\nmov eax, 1\nVMMcall Get_Cur_VM_Handle\n" }]);
  runProgram(warm.program, { memorySize: 0x500000 });
  warmUpLint();
  const cli = buildCli();
  // Started from the snapshot, argv holds no script path: [node, ...arguments].
  startupSnapshot.setDeserializeMainFunction(() => start(process.argv.slice(1), cli));
} else {
  start(process.argv.slice(2));
}
