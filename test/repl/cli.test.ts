// `vmmasm repl` as a script drives it: piped input, read line by line, with no prompt and no
// colour. Every command is used once, and each error path is taken.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "vmmasm");
const work = mkdtempSync(join(tmpdir(), "vmmasm-repl-"));
const history = join(work, "history");

function repl(lines: string[], args: string[] = []) {
  const r = spawnSync(bin, ["repl", ...args], {
    cwd: root,
    input: lines.join("\n") + "\n",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", VMMASM_HISTORY: history },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SEED = [
  "RefData  dd 11111111h",
  "RefData2 dd 22222222h",
  "Event    dd 0",
  "BeginProc EventCallback",
  "\tmov\tdword ptr [Event], 0",
  "\tmov\teax, [edx]",
  "\tmov\tecx, [ebx.CB_VMID]",
  '\tTrace_Out "callback: VM #ECX, handle #EBX, reference data #EAX"',
  "\tret",
  "EndProc EventCallback",
  "VMMcall Get_Cur_VM_Handle",
  "mov\tesi, OFFSET32 EventCallback",
  "mov\tedx, OFFSET32 RefData",
  "VMMcall Call_VM_Event",
  "mov\t[Event], esi",
  "VMMcall Get_Next_VM_Handle",
  "mov\tesi, OFFSET32 EventCallback",
  "mov\tedx, OFFSET32 RefData2",
  "VMMcall Call_VM_Event",
  "mov\t[Event], esi",
];

describe("vmmasm repl with piped input", () => {
  it("runs the Call_VM_Event seed line by line: ESI and the event queue change, .undo steps back", () => {
    const r = repl([...SEED, ".events", ".undo", ".undo", ".events", "ret"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).not.toContain("\x1b[");
    expect(r.out).not.toMatch(/VM\d> /);
    expect(r.out).toContain("  ebx 00000000 → 00100000\n");
    expect(r.out).toContain("  vmm  Call_VM_Event: callback EventCallback called at once in VM 1\ncallback: VM 00000001, handle 00100000, reference data 11111111\n  esi C0001000 → 00000000");
    expect(r.out).toMatch(/vmm {2}Call_VM_Event: scheduled .*VM 2 (001\w+)h → EventCallback\n {2}esi C0001000 → \1\n {2}events pending 0 → 1/);
    expect(r.out).toMatch(/mem 00400008 \[Event\] {2}00 00 00 00 → 60 01 10 00/);
    expect(r.out).toMatch(/ {2}(001\w+) {2}vm event for VM 2 → EventCallback {2}reference data 00400004, from Call_VM_Event by REPL/);
    expect(r.out).toContain("  undid mov\t[Event], esi\n  undid VMMcall Call_VM_Event\n  no events pending\n");
    expect(r.out).toContain("  returned to the VMM: pending events ran");
  });

  it("accepts every command", () => {
    const file = join(work, "saved.asm");
    const r = repl([
      "x dd 1, 2",
      "Inc2 PROC",
      "\tinc eax",
      "\tinc eax",
      "\tret",
      "Inc2 ENDP",
      ".break Inc2",
      ".break",
      "call Inc2",
      ".regs",
      ".step",
      ".step 2",
      ".continue",
      ".delete Inc2",
      ".delete",
      ".flags",
      ".mem x 8",
      ".mem esp",
      ".vms",
      ".devices",
      ".events run",
      ".wait 10",
      ".events",
      ".trace on",
      "mov ecx, 3",
      ".trace off",
      `.save ${file}`,
      ".source",
      ".doc Get_Cur_VM_Handle",
      ".doc --list pef",
      ".help",
      ".reset",
      ".regs",
      `.load ${file}`,
      "call Inc2",
      ".quit",
      "mov eax, 99",
    ]);
    expect(r.code).toBe(0);
    const out = r.out;
    expect(out).toMatch(/breakpoint at Inc2 \(repl:\d+: inc eax\)/);
    expect(out).toMatch(/ {2}Inc2 {2}repl:\d+: inc eax/);
    expect(out).toMatch(/stopped before inc eax at repl:\d+ in Inc2, after 1 instruction/);
    expect(out).toContain("  eax 00000000 → 00000001");
    expect(out).toContain("  eax 00000001 → 00000002");
    expect(out).toContain("  0 breakpoints removed");
    expect(out).toContain("  CF=0 PF=0 AF=0 ZF=0 SF=0 OF=0 DF=0 IF=1  EFLAGS 00000202");
    expect(out).toMatch(/ {2}00400000 {2}01 00 00 00 02 00 00 00/);
    expect(out).toMatch(/VM 1 {2}handle 00100000 {2}running, System VM, current/);
    expect(out).toMatch(/REPL +ID 0000h/);
    expect(out).toContain("  simulated time 10 ms");
    expect(out).toMatch(/repl:\d+ +mov ecx, 3 +ecx=00000003/);
    expect(out).not.toContain("[halt]");
    expect(out).toContain(`  saved 11 lines to ${file}`);
    expect(readFileSync(file, "utf8")).toContain("Inc2 PROC\n\tinc eax");
    expect(out).toMatch(/Get_Cur_VM_Handle — VMM service 001h/);
    expect(out).toMatch(/PEF_Wait_For_STI +wait until/);
    expect(out).toMatch(/\.undo +step back one line/);
    expect(out).toContain("  a new machine: the System VM is current");
    expect(out.split(".load")[0]).not.toContain("eax 00000002 → 00000004");
    expect(out).toContain("  eax 00000002 → 00000004");
    expect(out).not.toContain("00000063");
  });

  it("answers each mistake with a message and goes on", () => {
    const r = repl([
      ".bogus",
      ".mem",
      ".mem nowhere",
      ".step 0",
      ".break nowhere",
      ".delete nowhere",
      ".continue",
      ".undo",
      ".load missing.asm",
      ".trace maybe",
      ".doc Nothing_Here",
      ".wait soon",
      "mov eax, (1",
      "mov eax, [0]",
      "spin: jmp spin",
      "VMMcall Get_Sys_VM_Handle",
      "Unclosed PROC",
    ], ["--max-steps", "1000"]);
    expect(r.code).toBe(0);
    const out = r.out;
    expect(out).toContain("error: `.bogus` is not a command; .help lists them");
    expect(out).toContain("error: .mem needs an address");
    expect(out).toContain("error: `nowhere` is not a number, a register or a symbol of the session");
    expect(out).toContain("error: .step takes a positive number of instructions");
    expect(out).toContain("  nothing is stopped");
    expect(out).toContain("error: nothing to undo");
    expect(out).toContain("error[E0802]: cannot read `missing.asm`");
    expect(out).toContain("error: .trace takes on or off");
    expect(out).toContain("error: no reference entry is named `Nothing_Here`");
    expect(out).toContain("error: .wait takes a number of milliseconds");
    expect(out).toContain("error[E0201]");
    expect(out).toContain("error[E0602]: read of 4 byte(s) at 00000000h touches the null page");
    expect(out).toContain("error[E0607]: step limit of");
    expect(out).toContain("  the machine is back as it was before the line");
    expect(out).toContain("  ebx 00000000 → 00100000");
    expect(out).toContain("error: the input ended inside a block that waits for ENDP or EndProc");
  });

  it("loads the files it is given: their code runs, their procedures can be called", () => {
    const r = repl(["mov esi, OFFSET32 EventCallback", ".vms"], ["--vms", "1", "examples/call-vm-event.asm"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("same VM:  ESI=00000000 (called at once)");
    expect(r.out).toContain("callback: VM 00000002, handle 001000B0, reference data 22222222");
    expect(r.out).toMatch(/esi \w{8} → C00010/);
    expect(r.out).toMatch(/VM 2 {2}handle 001000B0 {2}running, current/);
  });

  it("starts without a file that breaks a rule while loading, and says why", () => {
    const r = repl(["mov eax, 1"], ["examples/illegal-create-vm.asm"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("error[E0703]: device ROGUE sent Create_VM, which only SHELL may send");
    expect(r.out).toMatch(/note\[E0801\]: examples\/illegal-create-vm.asm not loaded/);
    expect(r.out).toContain("  eax 00000000 → 00000001");
  });

  it("echoes its input for transcripts with --echo, and keeps no history when piped", () => {
    const r = repl(["nop", "Foo PROC", "ret", "Foo ENDP"], ["--echo"]);
    expect(r.out).toBe("> nop\n> Foo PROC\n...> ret\n...> Foo ENDP\n");
    expect(existsSync(history)).toBe(false);
  });

  it("rejects bad options", () => {
    expect(repl([], ["--vms", "lots"]).code).toBe(2);
    expect(repl([], ["--max-steps", "0"]).code).toBe(2);
  });

  it("writes the file it saves with include paths relative to where it goes", () => {
    const sub = mkdtempSync(join(work, "sub-"));
    const target = join(sub, "s.asm");
    repl([".load examples/hello.asm", "mov eax, 2", `.save ${target}`]);
    const saved = readFileSync(target, "utf8");
    expect(saved).toContain(`\tinclude ${relative(sub, join(root, "examples/hello.asm"))}\nmov eax, 2\n`);
    const lib = join(work, "lib.asm");
    writeFileSync(lib, "include vmm.inc\nTwo equ 2\n\tend\n");
    repl([`.load ${lib}`, "mov eax, Two", `.save ${target}`]);
    expect(readFileSync(target, "utf8")).toContain(`\tinclude ${lib}\nmov eax, Two\n`);
    const again = repl(["mov ebx, Two", ".regs"], [target]);
    expect(again.out).toContain("  ebx 00000000 → 00000002");
    expect(again.out).toContain("  eax 00000002  ebx 00000002");
  });
});
