// The REPL's face: a readline loop on a terminal (prompt, completion, history, colour, Ctrl-C),
// or plain line-by-line reading when the input is a pipe (no prompt, no colour), so that it can be
// scripted. The terminal is touched only when `startRepl` runs, never when the module is loaded
// (the CLI starts from a V8 start-up snapshot, which must not hold terminal state).
import { closeSync, constants, openSync, readSync } from "node:fs";
import type { ChalkInstance } from "chalk";
import { createInterface, type Interface } from "node:readline";
import { makeChalk } from "../diagnostics/color.js";
import { renderPretty } from "../diagnostics/render.js";
import { VERSION } from "../version.js";
import { BlockTracker } from "./blocks.js";
import { runCommand, type CommandUi } from "./commands.js";
import { complete } from "./complete.js";
import { appendHistory, historyPath, HISTORY_SIZE, loadHistory } from "./history.js";
import { formatChanges, formatStop } from "./render.js";
import { ReplSession, type EmitKind, type LineResult, type SessionOptions } from "./session.js";

export interface ReplIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** A terminal: prompt, completion, history, Ctrl-C. Otherwise lines are read as they come. */
  readonly terminal: boolean;
  readonly color: boolean;
  /** Print each line read (for transcripts of piped sessions). */
  readonly echo?: boolean;
  /** History file; none when undefined (the default for piped input). */
  readonly history?: string;
}

/** Reads Ctrl-C from the terminal while a line runs (the event loop is busy then, so no signal gets through). */
class InterruptPoller {
  private fd = -1;
  private readonly kept: Buffer[] = [];

  open(): void {
    try {
      this.fd = openSync("/dev/tty", constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      this.fd = -1;
    }
  }

  readonly poll = (): boolean => {
    if (this.fd < 0) return false;
    const buf = Buffer.alloc(256);
    let n = 0;
    try {
      n = readSync(this.fd, buf, 0, buf.length, null);
    } catch {
      return false; // EAGAIN: nothing typed
    }
    const got = buf.subarray(0, n);
    const at = got.indexOf(3);
    if (at >= 0) {
      this.kept.push(Buffer.from(got.subarray(at + 1)));
      return true;
    }
    this.kept.push(Buffer.from(got));
    return false;
  };

  /** Keys typed while a line ran, for readline to read after it. */
  takeTyped(): Buffer | null {
    const all = Buffer.concat(this.kept.splice(0));
    return all.length ? all : null;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export class Repl implements CommandUi {
  readonly session: ReplSession;
  readonly c: ChalkInstance;
  private readonly blocks = new BlockTracker();
  private atLineStart = true;
  private leaving = false;
  private rl: Interface | null = null;

  constructor(
    readonly io: ReplIo,
    options: SessionOptions,
  ) {
    this.c = makeChalk(io.color);
    this.session = new ReplSession(options);
    this.session.chalk = this.c;
    this.session.emit = (kind, text) => this.emitted(kind, text);
  }

  // ---------------------------------------------------------------- output

  private write(text: string): void {
    this.io.output.write(text);
    if (text.length) this.atLineStart = text.endsWith("\n");
  }

  say(text: string): void {
    if (!this.atLineStart) this.write("\n");
    this.write(text.endsWith("\n") ? text : text + "\n");
  }

  private emitted(kind: EmitKind, text: string): void {
    if (kind === "output") return this.write(text);
    if (kind === "vmm") return this.say(`  ${this.c.magenta("vmm")}  ${this.c.magenta(text)}`);
    this.say(text);
  }

  show(r: LineResult): void {
    const lookup = (f: string): string | undefined => r.sources?.get(f) ?? this.session.program.sources.get(f);
    for (const d of r.diagnostics) this.say(renderPretty(d, lookup, this.io.color));
    if (r.changes) {
      const lines = formatChanges(r.changes, this.session, this.c);
      if (lines.length) this.say(lines.join("\n"));
    }
    if (r.stop) this.say(formatStop(r.stop, this.session.program, this.c).join("\n"));
    for (const n of r.notes) this.say(`  ${r.status === "refused" ? this.c.red(n) : this.c.dim(n)}`);
  }

  leave(): void {
    this.leaving = true;
    this.rl?.close();
  }

  prompt(): string {
    if (this.blocks.open) return this.c.dim("  ...> ");
    const vm = `VM${this.session.vmm.currentVm.id}`;
    return this.session.stopped ? this.c.yellow(`${vm} stopped> `) : this.c.green(`${vm}> `);
  }

  // ---------------------------------------------------------------- input

  /** Input: a command, or source (which may wait for more lines). Pasted text comes a line at a time. */
  handle(input: string): void {
    for (const line of input.split(/\r\n|\r|\n/)) {
      if (this.leaving) return;
      this.handleLine(line);
    }
  }

  private handleLine(line: string): void {
    if (this.io.echo) this.say(`${this.blocks.open ? "...>" : ">"} ${line}`);
    if (runCommand(this, line)) return;
    const chunk = this.blocks.add(line);
    if (chunk === null) return;
    this.show(this.session.submit(chunk));
  }

  /** Ctrl-C at the prompt: drop a half-typed block. */
  cancel(): void {
    if (this.blocks.open) {
      this.blocks.reset();
      this.say(this.c.dim("  (block dropped)"));
    } else this.say(this.c.dim("  (to leave, press Ctrl-D or type .quit)"));
  }

  /** Runs until the input ends, Ctrl-D or .quit; resolves with the exit code. */
  async run(files: readonly string[]): Promise<number> {
    const problems = this.session.start(files);
    for (const d of problems) this.say(renderPretty(d, (f) => this.session.program.sources.get(f), this.io.color));
    if (!this.io.terminal) {
      const rl = createInterface({ input: this.io.input, terminal: false, crlfDelay: Infinity });
      this.rl = rl;
      for await (const line of rl) {
        this.handle(line.replace(/\x1a.*$/, ""));
        if (this.leaving) break;
      }
      if (this.blocks.open) this.say(`${this.c.red("error")}: the input ended inside a block that waits for ${this.blocks.waitingFor}`);
      return 0;
    }
    return this.runTerminal();
  }

  private runTerminal(): Promise<number> {
    const s = this.session;
    const poller = new InterruptPoller();
    poller.open();
    s.interrupted = poller.poll;
    const path = this.io.history;
    const rl = createInterface({
      input: this.io.input,
      output: this.io.output,
      terminal: true,
      completer: (line: string) => complete(s, line),
      history: path ? loadHistory(path) : [],
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      tabSize: 8,
    });
    this.rl = rl;
    const devices = s.vmm.devices.map((d) => d.name).join(" ");
    this.say(
      `vmmasm ${VERSION} REPL ${this.c.dim("—")} the System VM is current; VMs ${s.vmm.vms.map((v) => v.id).join(", ")}; devices ${devices}.\n` +
        this.c.dim("Type instructions and VMM calls; .help lists the commands, Tab completes, Ctrl-D leaves."),
    );
    const next = (): void => {
      rl.setPrompt(this.prompt());
      rl.prompt();
    };
    return new Promise((resolveExit) => {
      rl.on("line", (line) => {
        if (path) appendHistory(path, line);
        try {
          this.handle(line);
        } catch (e) {
          // Nothing the user types may end the session.
          this.say(`${this.c.red("internal error")}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
        const typed = poller.takeTyped();
        if (typed) (this.io.input as NodeJS.ReadStream).unshift?.(typed);
        if (!this.leaving) next();
      });
      rl.on("SIGINT", () => {
        rl.write(null, { ctrl: true, name: "u" });
        this.atLineStart = false;
        this.cancel();
        next();
      });
      rl.on("close", () => {
        poller.close();
        if (!this.leaving) this.say("");
        resolveExit(0);
      });
      next();
    });
  }
}

export interface StartOptions extends SessionOptions {
  readonly echo?: boolean;
}

/** `vmmasm repl`: a terminal session on stdin/stdout, or a scripted one on a pipe. */
export function startRepl(files: readonly string[], options: StartOptions, color: boolean): Promise<number> {
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const repl = new Repl(
    {
      input: process.stdin,
      output: process.stdout,
      terminal,
      color,
      ...(options.echo ? { echo: true } : {}),
      ...(terminal ? { history: historyPath() } : {}),
    },
    options,
  );
  return repl.run(files);
}
