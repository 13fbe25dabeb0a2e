// `vmmasm lint`, `vmmasm explain` and `vmmasm rules` as a user meets them (the built bin/vmmasm).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/lint/registry.js";
import { validate } from "./json-schema.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "vmmasm");
const work = mkdtempSync(join(tmpdir(), "vmmasm-lint-"));
const sarifSchema = JSON.parse(readFileSync(join(import.meta.dirname, "sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;

function vmmasm(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(bin, args, { cwd: options.cwd ?? root, encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...options.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function source(name: string, text: string, dir = work): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const WARNING_ONLY = `\t.386p\n\tinclude vmm.inc\nBeginProc Start\n\tmov\tesi, OFFSET Start\n\tret\nEndProc Start\n`;

describe("vmmasm lint", () => {
  it("reports a finding rustc-style: severity, rule id, file:line:col, the line, a caret, a help line; exit 1", () => {
    const r = vmmasm(["lint", "examples/illegal-create-vm.asm"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("error[illegal-system-control-send]: `ROGUE` sends Create_VM (7h), but only SHELL may send it");
    expect(lines[1]).toBe("  --> examples/illegal-create-vm.asm:23:2");
    expect(lines[3]).toMatch(/^23 \| {9}VMMcall System_Control/);
    expect(lines[4]).toBe("   |         ^^^^^^^^^^^^^^^^^^^^^^");
    expect(r.stdout).toContain("= help: a device may send Set_Device_Focus");
    expect(lines.at(-2)).toBe("vmmasm lint: 1 error (1 file, 30 lines)");
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it("lints every example clean, except the one that exists to show a rule", () => {
    const r = vmmasm(["lint", "--format", "json", "examples"]);
    const findings = JSON.parse(r.stdout) as { file: string; ruleId: string }[];
    expect(findings.map((f) => `${f.file.replace(/\\/g, "/")} ${f.ruleId}`)).toEqual(["examples/illegal-create-vm.asm illegal-system-control-send"]);
    expect(r.code).toBe(1);
  });

  it("colours only on a terminal or when forced", () => {
    const forced = vmmasm(["lint", "examples/illegal-create-vm.asm"], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toMatch(/\x1b\[/);
    expect(vmmasm(["lint", "--no-color", "examples/illegal-create-vm.asm"], { env: { FORCE_COLOR: "1" } }).stdout).not.toMatch(/\x1b\[/);
  });

  it("prints one JSON array of findings with --format json", () => {
    const r = vmmasm(["lint", "--format", "json", "examples/illegal-create-vm.asm"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual([
      {
        file: "examples/illegal-create-vm.asm",
        line: 23,
        column: 2,
        endLine: 23,
        endColumn: 24,
        ruleId: "illegal-system-control-send",
        severity: "error",
        message: "`ROGUE` sends Create_VM (7h), but only SHELL may send it",
        help: expect.any(String),
      },
    ]);
  });

  it("prints SARIF 2.1.0 that the official schema accepts, with rule metadata and relative URIs", () => {
    const r = vmmasm(["lint", "--format", "sarif", "examples", join(root, "test/lint/fixtures/cancel-mismatch/bad-cancel.asm")]);
    const log = JSON.parse(r.stdout);
    expect(validate(log, sarifSchema)).toEqual([]);
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("vmmasm");
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.meta.id));
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === "illegal-system-control-send");
    expect(rule.shortDescription.text).toMatch(/^A device sends/);
    expect(rule.fullDescription.text).toContain("System_Control");
    expect(rule.helpUri).toMatch(/^https:\/\/.*S32CF/);
    const uris = run.results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation);
    // The fixture was named by its absolute path: SARIF still gets a URI relative to %SRCROOT%.
    expect(uris.map((u: { uri: string }) => u.uri).sort()).toEqual(["examples/illegal-create-vm.asm", "test/lint/fixtures/cancel-mismatch/bad-cancel.asm", "test/lint/fixtures/cancel-mismatch/bad-cancel.asm"]);
    for (const u of uris) expect(u.uriBaseId).toBe("%SRCROOT%");
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toMatch(/^file:\/\/.*\/$/);
    const illegal = run.results.find((x: { ruleId: string }) => x.ruleId === "illegal-system-control-send");
    expect(illegal.ruleIndex).toBe(RULES.findIndex((x) => x.meta.id === "illegal-system-control-send"));
    expect(illegal.level).toBe("error");
    const cancel = run.results.find((x: { ruleId: string }) => x.ruleId === "cancel-mismatch");
    expect(cancel.relatedLocations[0].message.text).toContain("Call_Priority_VM_Event");
  });

  it("turns a rule off or changes its severity with --rule", () => {
    expect(vmmasm(["lint", "--rule", "illegal-system-control-send=off", "examples/illegal-create-vm.asm"]).code).toBe(0);
    const warn = vmmasm(["lint", "--rule", "illegal-system-control-send=warn", "examples/illegal-create-vm.asm"]);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toContain("warning[illegal-system-control-send]");
  });

  it("allows warnings unless --max-warnings says otherwise", () => {
    const file = source("warn.asm", WARNING_ONLY);
    expect(vmmasm(["lint", file]).code).toBe(0);
    expect(vmmasm(["lint", "--max-warnings", "1", file]).code).toBe(0);
    const over = vmmasm(["lint", "--max-warnings", "0", file]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("more than --max-warnings 0");
  });

  it("reads --config, and finds vmmasm-lint.json in the project root by itself", () => {
    const project = mkdtempSync(join(tmpdir(), "vmmasm-project-"));
    mkdirSync(join(project, "src"));
    writeFileSync(join(project, "package.json"), "{}");
    source("w.asm", WARNING_ONLY, join(project, "src"));
    expect(vmmasm(["lint", "--max-warnings", "0", "src"], { cwd: project }).code).toBe(1);
    writeFileSync(join(project, "vmmasm-lint.json"), JSON.stringify({ rules: { "use-offset32": "off" } }));
    expect(vmmasm(["lint", "--max-warnings", "0", "src"], { cwd: project }).code).toBe(0);
    const other = source("strict.json", JSON.stringify({ rules: { "use-offset32": "error" } }), project);
    expect(vmmasm(["lint", "--config", other, "src"], { cwd: project }).code).toBe(1);
  });

  it("honours suppression comments and reports the ones that hide nothing", () => {
    const file = source("suppressed.asm", `\t.386p\n\tinclude vmm.inc\nBeginProc Start\n\t; vmmasm-disable-next-line use-offset32\n\tmov\tesi, OFFSET Start\n\tmov\tedi, 0\t; vmmasm-disable-line use-offset32\n\tret\nEndProc Start\n`);
    const r = vmmasm(["lint", "--format", "json", file]);
    expect(JSON.parse(r.stdout).map((f: { ruleId: string; line: number }) => `${f.ruleId}:${f.line}`)).toEqual(["unused-suppression:6"]);
  });

  it("takes directories and globs, and -I/-D for includes and defines", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmmasm-glob-"));
    mkdirSync(join(dir, "inc"));
    writeFileSync(join(dir, "inc", "send.inc"), "SEND_MSG equ Create_VM\n");
    source("a.asm", "\t.386p\n\tinclude vmm.inc\n\tinclude send.inc\nIFDEF BAD\n\tmov\teax, SEND_MSG\n\tVMMcall System_Control\nENDIF\n", dir);
    expect(vmmasm(["lint", "-I", "inc", "a.asm"], { cwd: dir }).code).toBe(0);
    const bad = vmmasm(["lint", "-I", "inc", "-D", "BAD", "--format", "json", "*.asm"], { cwd: dir });
    expect(JSON.parse(bad.stdout).map((f: { ruleId: string }) => f.ruleId)).toEqual(["illegal-system-control-send"]);
    expect(vmmasm(["lint", "--format", "json", "**/*.asm"], { cwd: dir }).stdout).toContain("unresolved");
  });

  it("exits 2 on a command line or config it cannot use", () => {
    expect(vmmasm(["lint", "--rule", "no-such-rule=off", "examples/hello.asm"]).code).toBe(2);
    expect(vmmasm(["lint", "--rule", "use-offset32=loud", "examples/hello.asm"]).code).toBe(2);
    expect(vmmasm(["lint", "--format", "xml", "examples/hello.asm"]).code).toBe(2);
    expect(vmmasm(["lint", "--max-warnings", "lots", "examples/hello.asm"]).code).toBe(2);
    const missing = vmmasm(["lint", "no/such/file.asm"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nothing to lint at `no/such/file.asm`");
    const broken = source("broken.json", "{ rules: ");
    expect(vmmasm(["lint", "--config", broken, "examples/hello.asm"]).code).toBe(2);
    expect(vmmasm(["lint", "--config", source("unknown.json", '{"rules": {"nope": "off"}}'), "examples/hello.asm"]).code).toBe(2);
  });
});

describe("vmmasm explain and vmmasm rules", () => {
  it("explains a rule: explanation, source, DDK page, code that breaks and keeps it", () => {
    const r = vmmasm(["explain", "cancel-mismatch"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("cancel-mismatch (L0108, error by default)");
    expect(r.stdout).toContain("Source: W95DDK:S31D3");
    expect(r.stdout).toContain("DDK page: https://");
    expect(r.stdout).toContain("Breaks the rule:");
    expect(r.stdout).toContain("Keeps it:");
    expect(r.stdout).toContain("Cancel_Priority_VM_Event");
  });

  it("says so, with a suggestion, for an unknown rule (exit 2)", () => {
    const r = vmmasm(["explain", "cancel-mismatc"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean `cancel-mismatch`?");
  });

  it("lists every rule", () => {
    const r = vmmasm(["rules"]);
    expect(r.code).toBe(0);
    for (const rule of RULES) expect(r.stdout).toContain(rule.meta.id);
    const json = JSON.parse(vmmasm(["rules", "--json"]).stdout);
    expect(json.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.meta.id));
  });
});
