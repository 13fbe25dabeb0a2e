// Lint's work as a count of machine instructions, which a busy machine does not disturb the way it
// disturbs the clock: valgrind (cachegrind) counts every instruction the process executes while
// `dist/cli.js lint --format json` lints the source bench/lint.mjs generates. V8 runs single-threaded
// here, so the compiler's and the collector's work is counted too, and in its predictable mode, so
// that repeat runs agree to 0.01% even on a busy machine (without it, to 0.1–1%). It measures the
// plain bundle: valgrind cannot start from the start-up snapshot (V8 sees other CPU features under
// it), so compiling the bundle is part of the count, and what only the snapshot does is not seen.
// Compare two builds by their counts; bench/lint.mjs gives the time. Node runs without
// NODE_EXTRA_CA_CERTS, as bin/vmmasm starts it (with it, node 20 parses the certificates first).
// Usage: node bench/lint-work.mjs [lines]     (after `npm run build`; needs valgrind)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const want = Number(process.argv[2] ?? 120000);

if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.error("bench/lint-work.mjs needs valgrind (apt-get install valgrind)");
  process.exit(2);
}
const file = join(mkdtempSync(join(tmpdir(), "vmmasm-work-")), "bench.asm");
spawnSync(process.execPath, [join(root, "bench", "lint.mjs"), "--write", file, String(want)], { stdio: "inherit" });
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const r = spawnSync(
  "valgrind",
  ["--tool=cachegrind", "--cache-sim=no", "--smc-check=all-non-file", "--cachegrind-out-file=/dev/null", process.execPath, "--single-threaded", "--predictable", join(root, "dist", "cli.js"), "lint", "--format", "json", file],
  { encoding: "utf8", maxBuffer: 1 << 28, env },
);
const counted = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
if (!counted || (r.status !== 0 && r.status !== 1)) {
  console.error(`valgrind did not count the run (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  process.exit(1);
}
const instructions = Number(counted[1].replaceAll(",", ""));
const text = readFileSync(file, "utf8");
const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
console.log(JSON.stringify({ lines, instructions, instructionsPerLine: Math.round(instructions / lines), findings: JSON.parse(r.stdout).length }, null, 2));
