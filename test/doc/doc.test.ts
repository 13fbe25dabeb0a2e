// `vmmasm doc`: every entry of every table renders, names and aliases find their entries, the
// facts shown are the tables' own, and the command's error paths give the right exit codes.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeChalk } from "../../src/diagnostics/color.js";
import { DOC_KINDS, findDoc } from "../../src/doc/entries.js";
import { doc } from "../../src/doc/index.js";
import { registerLintRuleDocs } from "../../src/doc/lint-rules.js";
import { RULES } from "../../src/lint/registry.js";
import { ALL_SERVICES, MESSAGES, PEF_FLAGS, serviceByName } from "../../src/vmm/tables/index.js";

const plain = makeChalk(false);
const root = join(import.meta.dirname, "..", "..");

function vmmasm(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(join(root, "bin", "vmmasm"), args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the reference", () => {
  it("renders every entry of every kind, under its own name", () => {
    for (const kind of DOC_KINDS) {
      for (const item of kind.all()) {
        const text = kind.render(item, plain).join("\n");
        expect(text.startsWith(kind.name(item))).toBe(true);
      }
    }
  });

  it("shows a service's register contract as the table gives it", () => {
    const text = doc({ name: "Call_VM_Event" }, plain).text;
    const s = serviceByName("Call_VM_Event")!;
    for (const r of [...s.inputs, ...s.outputs]) expect(text).toContain(`${r.reg.padEnd(5)}${r.meaning}`);
    expect(text).toContain(s.summary);
    expect(text).toContain(s.source);
    expect(text).toMatch(/Asynchronous +yes/);
    expect(text).toMatch(/Callback may +change EAX, EBX, ECX, EDX, ESI, EDI only/);
    expect(text).toContain(`service id 000${s.id.toString(16).toUpperCase()}h`);
  });

  it("shows the services of the other devices' tables, called with VxDcall", () => {
    const text = doc({ name: "VPICD_Virtualize_IRQ" }, plain).text;
    expect(text).toMatch(/^VPICD_Virtualize_IRQ — VPICD service 001h \(service id 00030001h\)/);
    expect(text).toMatch(/Call +VxDcall VPICD_Virtualize_IRQ/);
  });

  it("shows who may send a message, whether it may fail and its order", () => {
    const text = doc({ name: "create_vm" }, plain).text;
    expect(text).toMatch(/^Create_VM — System_Control message 07h/);
    expect(text).toMatch(/Sent by +the shell device \(SHELL\) only/);
    expect(text).toMatch(/Answer +CF=1 refuses/);
    const two = doc({ name: "Destroy_VM2" }, plain).text;
    expect(two).toMatch(/Companion of +Destroy_VM/);
    expect(two).toMatch(/reverse init order/);
    expect(doc({ name: "Destroy_VM" }, plain).text).toMatch(/Followed by +Destroy_VM2/);
  });

  it("finds entries by alias: @@service, bit names, synonyms, device equates, diagnostic codes", () => {
    expect(findDoc("@@Call_VM_Event")[0]?.kind.plural).toBe("services");
    expect(findDoc("PEF_Wait_Not_Time_Crit")[0]?.kind.plural).toBe("pef");
    expect(findDoc("PEF_Time_Out_Bit")[0]?.kind.plural).toBe("pef");
    expect(findDoc("SHELL_Device_ID")[0]?.kind.plural).toBe("devices");
    expect(findDoc("E0707")[0]?.kind.plural).toBe("diagnostics");
    expect(findDoc("Critical_Section_Boost")[0]?.kind.plural).toBe("boosts");
    expect(findDoc("VMStat_Suspended")[0]?.kind.plural).toBe("symbols");
    expect(findDoc("Client_EAX")[0]?.kind.plural).toBe("fields");
    expect(findDoc("lodsb")[0]?.kind.plural).toBe("mnemonics");
  });

  it("lists each kind, one entry a line", () => {
    expect(doc({ list: "services" }, plain).text.split("\n")).toHaveLength(ALL_SERVICES.length);
    expect(doc({ list: "messages" }, plain).text.split("\n")).toHaveLength(MESSAGES.length);
    expect(doc({ list: "pef" }, plain).text.split("\n")).toHaveLength(PEF_FLAGS.length);
    expect(doc({ list: "device" }, plain).ok).toBe(true);
  });

  it("suggests a name for a typo and names the lists for a bad one", () => {
    expect(doc({ name: "Call_VM_Evnt" }, plain)).toEqual({ ok: false, text: "no reference entry is named `Call_VM_Evnt`; did you mean `Call_VM_Event`?" });
    expect(doc({ list: "things" }, plain).text).toMatch(/the lists are services, messages, pef/);
    expect(doc({}, plain).ok).toBe(false);
  });

  it("shows src/lint's rules, and the rules that name a service or message with it", () => {
    const list = doc({ list: "rules" }, plain).text.split("\n");
    expect(list).toHaveLength(RULES.length);
    const rule = RULES[0]!.meta;
    const text = doc({ name: rule.code }, plain).text;
    expect(text.startsWith(`${rule.id} — lint rule ${rule.code} (${rule.severity})\n${rule.summary}`)).toBe(true);
    expect(doc({ name: "Create_VM" }, plain).text).toMatch(/Lint rules +illegal-system-control-send \(L\d+\)/);
    expect(doc({ name: "Cancel_VM_Event" }, plain).text).toMatch(/Lint rules[\s\S]*event-handle-not-cleared/);
  });

  it("shows rules registered through its extension point", () => {
    registerLintRuleDocs(() => [{ id: "test-rule", code: "L9999", severity: "warning", summary: "a rule for the test", explanation: "It explains.", bad: "nop", good: "clc", source: "W95DDK:S31D5" }]);
    expect(doc({ name: "L9999" }, plain).text).toMatch(/^test-rule — lint rule L9999 \(warning\)\na rule for the test/);
    expect(doc({ list: "rules" }, plain).text).toMatch(/\ntest-rule +a rule for the test$/);
  });
});

describe("vmmasm doc", () => {
  it("prints an entry, without colour when piped", () => {
    const r = vmmasm(["doc", "Schedule_VM_Event"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Schedule_VM_Event — VMM service 00Fh/);
    expect(r.stdout).not.toContain("\x1b[");
    expect(vmmasm(["doc", "--color", "Schedule_VM_Event"]).stdout).toContain("\x1b[");
  });

  it("lists a kind", () => {
    const r = vmmasm(["doc", "--list", "messages"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^Sys_Critical_Init +First init phase/);
  });

  it("exits 1 for an unknown name and 2 for a bad list or nothing asked", () => {
    const unknown = vmmasm(["doc", "Nothing_Like_This"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: no reference entry is named/);
    expect(vmmasm(["doc", "--list", "nonsense"]).code).toBe(2);
    expect(vmmasm(["doc"]).code).toBe(2);
  });
});
