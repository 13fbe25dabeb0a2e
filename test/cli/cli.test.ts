// The command line as a user meets it: the built bin/vmmasm (npm test builds it first).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "vmmasm");
const work = mkdtempSync(join(tmpdir(), "vmmasm-cli-"));

function vmmasm(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(bin, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function source(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

describe("vmmasm run", () => {
  it("runs an example and prints its output", () => {
    const r = vmmasm(["run", "examples/hello.asm"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Hello from vmmasm: EAX=00C0FFEE BX=1234 AL=EE");
    expect(r.stderr).toBe("");
  });

  it("prints the final state as one JSON document with --json", () => {
    const r = vmmasm(["run", "--json", "--vms", "1", "examples/call-vm-event.asm"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe("ok");
    expect(doc.output).toHaveLength(4);
    expect(doc.vms.map((v: { id: number }) => v.id)).toEqual([1, 2]);
    expect(doc.registers.esi).toMatch(/^[0-9A-F]{8}$/);
    expect(doc.flags).toHaveProperty("cf");
    expect(doc.diagnostics).toEqual([]);
    expect(doc.pendingEvents).toEqual([]);
  });

  it("reports a source error like rustc: code, file:line:col, the line, a caret, help; exit 1", () => {
    const file = source("undef.asm", "include vmm.inc\n\tmov\tebx, VM\t; VM handle\n");
    const r = vmmasm(["run", file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n");
    expect(lines[0]).toBe("error[E0301]: `VM` is not defined");
    expect(lines[1]).toBe(` --> ${file}:2:11`);
    expect(lines[3]).toBe("2 |         mov     ebx, VM ; VM handle");
    expect(lines[4]).toBe("  |                      ^^");
    expect(r.stderr).toContain("help: define it");
    expect(r.stderr).toContain("1 error");
  });

  it("prints diagnostics as JSON with --format json", () => {
    const file = source("undef2.asm", "mov eax, Nope\n");
    const r = vmmasm(["run", "--format", "json", file]);
    expect(r.code).toBe(1);
    const diags = JSON.parse(r.stdout);
    expect(diags[0]).toMatchObject({ code: "E0301", name: "undefined-symbol", severity: "error", line: 1, column: 10, endColumn: 14 });
  });

  it("exits 3 on a machine fault and names the instruction", () => {
    const file = source("div.asm", "xor ecx, ecx\ndiv ecx\n");
    const r = vmmasm(["run", file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error[E0603]");
    expect(r.stderr).toContain(`${file}:2:1`);
  });

  it("exits 3 at the step bound", () => {
    const file = source("loop.asm", "top: jmp top\n");
    const r = vmmasm(["run", "--max-steps", "1000", file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("step limit of 1000 instructions");
    expect(r.stderr).toContain("--max-steps");
  });

  it("exits 4 when a device breaks a DDK rule", () => {
    const r = vmmasm(["run", "examples/illegal-create-vm.asm"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("error[E0703]: device ROGUE sent Create_VM, which only SHELL may send");
  });

  it("exits 2 on a missing file or a bad option", () => {
    expect(vmmasm(["run", "no-such-file.asm"]).code).toBe(2);
    expect(vmmasm(["run", "--max-steps", "lots", "examples/hello.asm"]).code).toBe(2);
    expect(vmmasm(["run", "--bogus", "examples/hello.asm"]).code).toBe(2);
    expect(vmmasm(["frobnicate"]).code).toBe(2);
  });

  it("sets initial registers with --set and defines symbols with -D", () => {
    const file = source("set.asm", "include vmm.inc\nadd eax, EXTRA\nTrace_Out \"EAX=#EAX\"\n");
    const r = vmmasm(["run", "--set", "eax=0x10", "-D", "EXTRA=2", file]);
    expect(r.stdout).toBe("EAX=00000012\n");
  });

  it("writes initial memory with --set [address]=dword", () => {
    const file = source("mem.asm", "include vmm.inc\nmov eax, [400000h]\nTrace_Out \"#EAX\"\n");
    expect(vmmasm(["run", "--set", "[400000h]=0xCAFEF00D", file]).stdout).toBe("CAFEF00D\n");
    expect(vmmasm(["run", "--set", "[nowhere]=1", file]).code).toBe(2);
  });

  it("finds includes with -I", () => {
    const inc = join(work, "inc");
    spawnSync("mkdir", ["-p", inc]);
    writeFileSync(join(inc, "mine.inc"), "Mine equ 7\n");
    const file = source("inc.asm", "include vmm.inc\ninclude mine.inc\nmov eax, Mine\nTrace_Out \"#EAX\"\n");
    expect(vmmasm(["run", file]).code).toBe(1);
    expect(vmmasm(["run", "-I", inc, file]).stdout).toBe("00000007\n");
  });

  it("traces each instruction with what it changed", () => {
    const file = source("trace.asm", "mov eax, 5\nadd eax, 0FFFFFFFBh\nret\n");
    const r = vmmasm(["run", "--trace", file]);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/trace\.asm:1\s+mov eax, 5\s+eax=00000005$/);
    expect(lines[1]).toMatch(/trace\.asm:2\s+add eax, 0FFFFFFFBh\s+eax=00000000 CF=1 PF=1 AF=1 ZF=1$/);
  });

  it("prints the VMM timeline with --trace vmm", () => {
    const r = vmmasm(["run", "--trace", "vmm", "--vms", "1", "examples/call-vm-event.asm"]);
    expect(r.stdout).toMatch(/task switch: VM 1 → VM 2/);
    expect(r.stdout).toMatch(/^\[\s+0 ms\] Call_VM_Event: scheduled event for VM 2 [0-9A-F]{8}h → EventCallback$/m);
  });

  it("colours only on request or on a terminal, and never with NO_COLOR", () => {
    const file = source("bad.asm", "movv eax, 1\n");
    expect(vmmasm(["run", file]).stderr).not.toContain("\x1b[");
    expect(vmmasm(["run", file], { FORCE_COLOR: "1" }).stderr).toContain("\x1b[");
    expect(vmmasm(["run", "--color", file]).stderr).toContain("\x1b[");
    expect(vmmasm(["run", "--no-color", file], { FORCE_COLOR: "1" }).stderr).not.toContain("\x1b[");
  });
});

describe("vmmasm ir", () => {
  it("prints one IR instruction a line with address and source", () => {
    const r = vmmasm(["ir", "examples/hello.asm"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+0\s+C0001000\s+MOV\s+eax, 00C0FFEEh\s+; examples\/hello\.asm:10$/m);
    expect(r.stdout).toMatch(/VXDCALL\s+Get_VMM_Version \(00010000h\)/);
  });
});

describe("start-up", () => {
  it("does not hand NODE_EXTRA_CA_CERTS on to node, which would read the certificates before anything runs", () => {
    // node warns on stderr when the file it was given cannot be loaded: no warning, no loading.
    const r = vmmasm(["run", "examples/hello.asm"], { NODE_EXTRA_CA_CERTS: join(work, "missing-ca.pem") });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hello from vmmasm");
    expect(r.stderr).not.toContain("extra certs");
  });
});

describe("vmmasm --help and --version", () => {
  it("prints usage and the version, exit 0", () => {
    const h = vmmasm(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("run [options] <files...>");
    expect(vmmasm(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
