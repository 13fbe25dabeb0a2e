// Start-up cost of the CLI: wall time of `bin/vmmasm run examples/hello.asm` against a bare `node -e 0`,
// run alternately so that both see the same machine load. Prints medians and their ratio as JSON.
// bin/vmmasm drops NODE_EXTRA_CA_CERTS before it starts node (node 20 would load the certificates
// first), so the bare node runs without it too: the ratio is what vmmasm adds to node, not what the
// variable costs.
// Usage: node bench/startup.mjs [runs] [file]   (after `npm run build`)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 21);
const file = process.argv[3] ?? join(root, "examples", "hello.asm");
const bin = join(root, "bin", "vmmasm");

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function time(command, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const node = [];
const vmmasm = [];
time(bin, ["run", file]); // warm the file cache
for (let i = 0; i < runs; i++) {
  node.push(time(process.execPath, ["-e", "0"]));
  vmmasm.push(time(bin, ["run", file]));
}
const result = {
  runs,
  file: file.replace(root + "/", ""),
  nodeMedianMs: +median(node).toFixed(1),
  vmmasmMedianMs: +median(vmmasm).toFixed(1),
  ratio: +(median(vmmasm) / median(node)).toFixed(2),
  goal: "ratio <= 1.5",
};
console.log(JSON.stringify(result, null, 2));
