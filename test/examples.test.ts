// Every example runs as its header's `; run:` line says, and prints what it exists to show.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assemble } from "../src/front/index.js";
import { runProgram, type RunOptions, type RunStatus } from "../src/run/run-program.js";
import { emptyScenario, parseScenario } from "../src/run/scenario.js";

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
  "timer.asm": {
    status: "ok",
    output: [
      "tick 00000001 at 00000014 ms",
      "  work for tick 00000001 done in VM 00000002",
      "tick 00000002 at 00000028 ms",
      "  work for tick 00000002 done in VM 00000002",
      "tick 00000003 at 0000003C ms",
      "  work for tick 00000003 done in VM 00000002",
    ],
  },
  "priority-timeout.asm": {
    status: "ok",
    // 10 ms + the 50 ms time-out = 3Ch; VM 2 enables interrupts at 100 ms = 64h.
    output: ["request 01 timed out at 0000003C ms (CF=1)", "request 02 ran in VM 02 at 00000064 ms"],
  },
  "failing-init.asm": {
    status: "ok",
    output: [
      "QUITTER got message 00000000",
      "STAYER got message 00000000",
      "QUITTER got message 00000001",
      "QUITTER: no hardware found, failing Device_Init",
      "STAYER got message 00000001",
      "STAYER got message 00000002",
      "STAYER got message 00000003",
      "STAYER got message 00000004",
      "STAYER got message 00000024",
      "STAYER got message 00000005",
      "STAYER got message 00000025",
      "STAYER got message 00000006",
      "STAYER got message 00000026",
    ],
  },
  "vm-counter.asm": {
    status: "ok",
    output: [
      "VM 02 created, 01 live",
      "VM 03 created, 02 live",
      "VM 04 created, 03 live",
      "VM 02 not executeable, VNE flags 00",
      "VM 02 destroyed, 02 live",
      "VM 03: objecting to Query_Destroy",
      "SHELL message box for VM 3 — VM counter: This VM is still being counted. Close it again to end it anyway. [OK] → IDOK",
      "VM 03: the user answered 01", // IDOK, the box's default button
      "VM 03 not executeable, VNE flags 22", // VNE_Closed | VNE_Nuked
      "VM 03 destroyed, 01 live",
      "VM 04 not executeable, VNE flags 01", // VNE_Crashed
      "VM 04 destroyed, 00 live",
      "03 VMs created in all",
    ],
  },
  "irq-device.asm": {
    status: "ok",
    output: [
      /^IRQDEV: IRQ 5 virtualised, handle [0-9A-F]{8}$/,
      "IRQDEV: interrupt, reenter count 00000001",
      /^IRQDEV: event scheduled, handle (?!00000000)[0-9A-F]{8}$/,
      "IRQDEV: event for interrupt 00000001 at 0000000A ms, reenter count 00000000",
      "IRQDEV: interrupt, reenter count 00000001",
      /^IRQDEV: event scheduled, handle (?!00000000)[0-9A-F]{8}$/,
      "IRQDEV: event for interrupt 00000002 at 0000001E ms, reenter count 00000000",
    ],
  },
  "illegal-create-vm.asm": {
    status: "violation",
    output: ["ROGUE: trying to create a VM myself"],
    diagnostics: ["illegal-system-control-send"],
  },
};

/** Options from the `; run: vmmasm run …` line of an example, read as the CLI reads them. */
function runLine(text: string): RunOptions {
  const m = /^;\s*run:\s*vmmasm run (.*)$/m.exec(text);
  if (!m) throw new Error("no `; run:` line");
  const words = m[1]!.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ""));
  const scenario = emptyScenario();
  const options: { vms?: number; onViolation?: "stop" | "report"; scenario: typeof scenario } = { scenario };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--vms") options.vms = Number(words[++i]);
    else if (w === "--on-violation") options.onViolation = words[++i] as "stop" | "report";
    else if (w === "--until") scenario.until = Number(words[++i]);
    else if (w === "--at") expect(parseScenario(`at ${words[++i]}`, "--at", scenario).diagnostics).toEqual([]);
    else if (w === "--scenario") {
      const file = words[++i]!;
      expect(parseScenario(readFileSync(join(dir, "..", file), "utf8"), file, scenario).diagnostics).toEqual([]);
    }
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
