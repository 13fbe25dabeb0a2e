// Every example runs as its header's `; run:` line says, and prints what it exists to show.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assemble } from "../src/front/index.js";
import { runProgram, type RunOptions, type RunStatus } from "../src/run/run-program.js";

const dir = join(import.meta.dirname, "..", "examples");
const files = readdirSync(dir).filter((f) => f.endsWith(".asm")).sort();

interface Expectation {
  readonly status: RunStatus;
  /** The output, line by line; a RegExp matches one line. */
  readonly output: readonly (string | RegExp)[];
  readonly diagnostics?: readonly string[];
}

const EXPECTED: Record<string, Expectation> = {
  "hello.asm": {
    status: "ok",
    output: ["Hello from vmmasm: EAX=00C0FFEE BX=1234 AL=EE", "VMM version 0400", /^running in the System VM, handle [0-9A-F]{8}$/, "ESI points at Greeting+3"],
  },
  "call-vm-event.asm": {
    status: "ok",
    output: [
      /^callback: VM 00000001, handle [0-9A-F]{8}, reference data 11111111$/,
      "same VM:  ESI=00000000 (called at once)",
      /^other VM: ESI=(?!00000000)[0-9A-F]{8} \(scheduled\)$/,
      /^callback: VM 00000002, handle [0-9A-F]{8}, reference data 22222222$/,
    ],
  },
  "system-control.asm": {
    status: "ok",
    output: [
      /^RECEIVER: PING with ESI=00000001 EDI=00000002 EDX=00000003, ECX=(?!DEADBEEF)[0-9A-F]{8}$/,
      "SENDER: PING answered, CF clear",
      "RECEIVER: refusing message 70000002",
      "SENDER: message 70000002 failed, jc taken",
    ],
  },
  "device-messages.asm": {
    status: "ok",
    output: [
      "MSGLOG: boot message 00000000",
      "MSGLOG: boot message 00000001",
      "MSGLOG: boot message 00000002",
      "MSGLOG: VM message 00000003 for VM 00000001",
      "MSGLOG: VM message 00000007 for VM 00000002",
      "MSGLOG: VM message 00000008 for VM 00000002",
      "MSGLOG: VM message 00000009 for VM 00000002",
      "MSGLOG: VM message 0000000A for VM 00000002",
      "MSGLOG: VM message 0000000B for VM 00000002",
      "MSGLOG: VM message 0000000C for VM 00000002",
      "MSGLOG: VM message 00000004 for VM 00000001",
      "MSGLOG: exit message 00000005",
      "MSGLOG: exit message 00000006",
    ],
  },
  "illegal-create-vm.asm": {
    status: "violation",
    output: ["ROGUE: trying to create a VM myself"],
    diagnostics: ["illegal-system-control-send"],
  },
};

/** Options from the `; run: vmmasm run …` line of an example. */
function runLine(text: string): RunOptions {
  const m = /^;\s*run:\s*vmmasm run (.*)$/m.exec(text);
  if (!m) throw new Error("no `; run:` line");
  const words = m[1]!.split(/\s+/);
  const options: { vms?: number; onViolation?: "stop" | "report" } = {};
  for (let i = 0; i < words.length; i++) {
    if (words[i] === "--vms") options.vms = Number(words[++i]);
    else if (words[i] === "--on-violation") options.onViolation = words[++i] as "stop" | "report";
  }
  return options;
}

describe("examples", () => {
  it("has an expectation for every example", () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`${file} runs as its header says`, () => {
      const text = readFileSync(join(dir, file), "latin1");
      const { program, diagnostics } = assemble([{ name: `examples/${file}`, text }]);
      expect(diagnostics).toEqual([]);
      const r = runProgram(program, runLine(text));
      const want = EXPECTED[file]!;
      expect(r.status).toBe(want.status);
      expect(r.diagnostics.map((d) => d.name)).toEqual(want.diagnostics ?? []);
      const lines = r.output.split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toHaveLength(want.output.length);
      want.output.forEach((w, i) => (typeof w === "string" ? expect(lines[i]).toBe(w) : expect(lines[i]).toMatch(w)));
    });
  }
});
