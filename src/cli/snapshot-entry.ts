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
import { startCli } from "./start.js";

if (startupSnapshot.isBuildingSnapshot()) {
  lineParser();
  vmmIncSymbols();
  // Exercise the whole pipeline once so that every table it builds lazily is in the image.
  const warm = assemble([{ name: "warm-up.asm", text: "include vmm.inc\nmov eax, 1\nVMMcall Get_Cur_VM_Handle\n" }]);
  runProgram(warm.program, { memorySize: 0x500000 });
  warmUpLint();
  const cli = buildCli();
  // Started from the snapshot, argv holds no script path: [node, ...arguments].
  startupSnapshot.setDeserializeMainFunction(() => startCli(process.argv.slice(1), (args) => cli.run(args)));
} else {
  startCli(process.argv.slice(2), main);
}
