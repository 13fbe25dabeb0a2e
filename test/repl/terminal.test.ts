// `vmmasm repl` on a real terminal: a pseudo-terminal made by `script` (util-linux) or, failing
// that, python3's pty module. Checks the prompt, Tab completion, colour, Ctrl-C (stopping a
// runaway line, dropping a half-typed block), Ctrl-D and the history file.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "vmmasm");

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** How to run a command on a pseudo-terminal, or null if this machine has no way. */
function ptyCommand(command: string): [string, string[]] | null {
  const sized = `stty cols 120 rows 40 2>/dev/null; exec ${command}`;
  if (has("script")) return ["script", ["-q", "-f", "-e", "-c", sized, "/dev/null"]];
  if (has("python3")) return ["python3", ["-c", "import pty, sys; sys.exit(pty.spawn(['sh', '-c', sys.argv[1]]) >> 8)", sized]];
  return null;
}

const how = ptyCommand(`${bin} repl --max-steps 4000000000`);
const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

class Terminal {
  readonly child: ChildProcessWithoutNullStreams;
  text = "";
  private waiting: { re: RegExp; from: number; done: () => void } | null = null;
  readonly exited: Promise<number | null>;

  constructor(cmd: [string, string[]], env: Record<string, string>) {
    this.child = spawn(cmd[0], cmd[1], { cwd: root, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", TERM: "xterm", ...env } });
    this.child.stdout.on("data", (d: Buffer) => {
      this.text += d.toString("utf8");
      this.check();
    });
    this.child.stderr.on("data", (d: Buffer) => {
      this.text += d.toString("utf8");
    });
    this.exited = new Promise((res) => this.child.on("exit", (code) => res(code)));
  }

  private check(): void {
    const w = this.waiting;
    if (w && w.re.test(strip(this.text.slice(w.from)))) {
      this.waiting = null;
      w.done();
    }
  }

  /** Waits until the output since `from` matches; returns where the output ends now. */
  async waitFor(re: RegExp, from = 0, ms = 15_000): Promise<number> {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`timed out waiting for ${re}; the terminal shows:\n${strip(this.text.slice(from))}`)), ms);
      this.waiting = { re, from, done: () => (clearTimeout(timer), res()) };
      this.check();
    });
    return this.text.length;
  }

  send(keys: string): number {
    const at = this.text.length;
    this.child.stdin.write(keys);
    return at;
  }
}

describe.skipIf(how === null)("vmmasm repl on a terminal", () => {
  it("prompts in colour, completes with Tab, stops a runaway line with Ctrl-C, keeps history, leaves on Ctrl-D", async () => {
    const history = join(mkdtempSync(join(tmpdir(), "vmmasm-tty-")), "history");
    const t = new Terminal(how!, { VMMASM_HISTORY: history });
    try {
      await t.waitFor(/VM1> $/);
      expect(t.text).toContain("\x1b[32mVM1> ");
      expect(strip(t.text)).toMatch(/vmmasm \S+ REPL/);

      // Tab completes a VMM service from the table.
      let at = t.send("VMMcall Get_Cur_VM\t");
      await t.waitFor(/Get_Cur_VM_Handle/, at);
      at = t.send("\r");
      await t.waitFor(/ebx 00000000 → 00100000[\s\S]*VM1> $/, at);
      expect(t.text.slice(at)).toContain("\x1b[36mebx\x1b[39m");

      // A source error is coloured and the session goes on.
      at = t.send("mov eax, (1\r");
      await t.waitFor(/error\[E0201\][\s\S]*VM1> $/, at);
      expect(t.text.slice(at)).toContain("\x1b[31m");

      // Ctrl-C stops a line that would run for ever; the machine is as it was before it.
      at = t.send("spin: jmp spin\r");
      await new Promise((r) => setTimeout(r, 400));
      t.send("\x03");
      await t.waitFor(/stopped by Ctrl-C after \d+ instructions[\s\S]*back as it was[\s\S]*VM1> $/, at);

      // Ctrl-C at the continuation prompt drops the half-typed block.
      at = t.send("Foo PROC\r");
      await t.waitFor(/\.\.\.> $/, at);
      at = t.send("\x03");
      await t.waitFor(/\(block dropped\)[\s\S]*VM1> $/, at);

      at = t.send(".undo\r");
      await t.waitFor(/undid VMMcall Get_Cur_VM_Handle[\s\S]*VM1> $/, at);

      t.send("\x04");
      expect(await t.exited).toBe(0);
      const kept = readFileSync(history, "utf8").split("\n");
      expect(kept).toEqual(expect.arrayContaining(["VMMcall Get_Cur_VM_Handle", "spin: jmp spin", ".undo"]));
    } finally {
      t.child.kill();
    }
  });

  it("brings back earlier input with the up arrow, from the history file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vmmasm-tty-"));
    const history = join(dir, "history");
    writeFileSync(history, "mov ecx, 1234h\n");
    const t = new Terminal(how!, { VMMASM_HISTORY: history });
    try {
      await t.waitFor(/VM1> $/);
      const at = t.send("\x1b[A\r");
      await t.waitFor(/ecx 00000000 → 00001234[\s\S]*VM1> $/, at);
      t.send(".quit\r");
      expect(await t.exited).toBe(0);
    } finally {
      t.child.kill();
    }
  });
});

if (how === null) {
  describe("vmmasm repl on a terminal", () => {
    it.skip("needs `script` (util-linux) or python3 to make a pseudo-terminal; neither is on this machine", () => {});
  });
}
