// Speed of the machine's interpreter loop on the oracle's benchmark loop
// (../shared/oracle/bench/loop.nasm), built as IR by hand:
//
//         xor eax, eax
//         xor ebx, ebx
//         mov ecx, N
// top:    add eax, ecx
//         xor ebx, eax
//         dec ecx
//         jnz top
//
// Usage: node scripts/build.mjs && node bench/machine-loop.mjs [--n 50000000] [--runs 3]
// Prints the median of the runs as JSON. MACHINE_BENCH_MODULE overrides the module imported.
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt("--n", 50_000_000);
const RUNS = opt("--runs", 3);

const moduleUrl = process.env.MACHINE_BENCH_MODULE
  ? pathToFileURL(process.env.MACHINE_BENCH_MODULE).href
  : new URL("../dist/index.js", import.meta.url).href;
const { Cpu, Op, Cond, Layout } = await import(moduleUrl);

const reg = (r) => ({ kind: "reg", reg: r, size: 4, high: false });
const imm = (v) => ({ kind: "imm", value: v | 0 });
const EAX = reg(0), ECX = reg(1), EBX = reg(3);
const ins = (op, a = null, b = null, target = -1, extra = 0, mnemonic = "") => ({ op, size: 4, a, b, c: null, target, extra, text: null, mnemonic });
const instrs = [
  ins(Op.XOR, EAX, EAX),
  ins(Op.XOR, EBX, EBX),
  ins(Op.MOV, ECX, imm(N)),
  ins(Op.ADD, EAX, ECX), // top = 3
  ins(Op.XOR, EBX, EAX),
  ins(Op.DEC, ECX),
  ins(Op.JCC, null, null, 3, Cond.NE),
  ins(Op.HALT),
];
const span = { file: "loop.asm", line: 1, column: 1, endLine: 1, endColumn: 1 };
const program = {
  instrs,
  spans: instrs.map(() => span),
  codeBase: Layout.CODE_BASE,
  data: { base: Layout.DATA_BASE, bytes: new Uint8Array(0) },
  symbols: new Map(),
  procs: [],
  devices: [],
  entry: 0,
  entries: [{ file: "loop.asm", index: 0 }],
  sources: new Map(),
};
const expectedSteps = 3 + 4 * N + 1; // including the HALT

// The expected results, computed the same way the oracle's loop.js does.
let ea = 0, eb = 0;
for (let c = N; c !== 0; c--) {
  ea = (ea + c) | 0;
  eb ^= ea;
}

const times = [];
for (let run = 0; run < RUNS; run++) {
  const cpu = new Cpu(program, { maxSteps: expectedSteps + 10 });
  const t0 = process.hrtime.bigint();
  cpu.run(0);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const eax = cpu.regs[0] >>> 0, ebx = cpu.regs[3] >>> 0;
  if (eax !== ea >>> 0 || ebx !== eb >>> 0 || cpu.steps !== expectedSteps) {
    console.error(`wrong result: EAX=${eax.toString(16)} EBX=${ebx.toString(16)} steps=${cpu.steps}`);
    process.exit(1);
  }
  if (N === 50_000_000 && (eax !== 0x4f759840 || ebx !== 0xb7cc6000)) {
    console.error("wrong result for N = 50,000,000");
    process.exit(1);
  }
  times.push(s);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(
  JSON.stringify({
    bench: "machine-loop",
    n: N,
    instructions: expectedSteps,
    runs_s: times.map((t) => Number(t.toFixed(4))),
    median_s: Number(median.toFixed(4)),
    instructions_per_s: Math.round(expectedSteps / median),
    m_instructions_per_s: Number((expectedSteps / median / 1e6).toFixed(1)),
    eax: (ea >>> 0).toString(16).toUpperCase() + "h",
    ebx: (eb >>> 0).toString(16).toUpperCase() + "h",
  }),
);
