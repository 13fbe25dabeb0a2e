// Multi-line input: which lines belong together. A PROC/BeginProc, STRUC, MACRO (and REPT/IRP/
// IRPC), IF…ENDIF, a segment and a control-dispatch block continue until their end; a label on a
// line of its own waits for the statement it labels. Only the first words of each line are read;
// the assembler judges the block as a whole once it is complete.

type Block = "PROC" | "STRUC" | "MACRO" | "IF" | "SEGMENT" | "DISPATCH";

const CLOSERS: Record<Block, string> = {
  PROC: "ENDP or EndProc",
  STRUC: "ENDS",
  MACRO: "ENDM",
  IF: "ENDIF",
  SEGMENT: "ENDS",
  DISPATCH: "End_Control_Dispatch",
};

const REPEATS = new Set(["REPT", "REPEAT", "IRP", "IRPC", "FOR", "FORC", "WHILE"]);
const IFS = /^IF(E|DEF|NDEF|B|NB|IDN|IDNI|DIF|DIFI|1|2)?$/;
const LABEL = /^([A-Za-z_@$?][\w@$?]*|@@)::?$/;

/** The line without its comment (quotes respected), trimmed. */
export function stripComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ";") return line.slice(0, i).trim();
  }
  return line.trim();
}

function words(line: string): string[] {
  return stripComment(line).split(/[\s,]+/).filter(Boolean);
}

export class BlockTracker {
  private stack: Block[] = [];
  private lines: string[] = [];
  private waitingLabel = false;

  /** Whether lines so far are waiting for more (the continuation prompt). */
  get open(): boolean {
    return this.lines.length > 0;
  }

  /** What the open block waits for, e.g. "ENDP or EndProc". */
  get waitingFor(): string {
    const top = this.stack[this.stack.length - 1];
    if (top) return CLOSERS[top];
    return this.waitingLabel ? "the statement the label is on" : "";
  }

  reset(): void {
    this.stack = [];
    this.lines = [];
    this.waitingLabel = false;
  }

  /** Adds a line; returns the complete input (one or more lines) once it is whole, else null. */
  add(line: string): string | null {
    this.lines.push(line);
    this.read(words(line));
    if (this.stack.length > 0 || this.waitingLabel) return null;
    const text = this.lines.join("\n");
    this.lines = [];
    return text;
  }

  private read(w: string[]): void {
    const top = this.stack[this.stack.length - 1];
    let u = w.map((x) => x.toUpperCase());
    if (top === "MACRO") {
      // A macro body is raw text: only nested bodies and their ENDM count.
      if (u[0] === "ENDM" || (LABEL.test(w[0] ?? "") && u[1] === "ENDM")) this.stack.pop();
      else if (u[1] === "MACRO" || REPEATS.has(u[0] ?? "")) this.stack.push("MACRO");
      return;
    }
    // A leading label: alone on its line it waits for the statement it labels.
    if (w[0] && LABEL.test(w[0])) {
      u = u.slice(1);
      if (u.length === 0) {
        if (this.stack.length === 0) this.waitingLabel = true;
        return;
      }
    }
    if (u.length === 0) return;
    this.waitingLabel = false;
    const [a, b] = [u[0]!, u[1] ?? ""];
    if (b === "PROC" || a === "BEGINPROC") this.stack.push("PROC");
    else if (b === "ENDP" || a === "ENDPROC") this.popIf("PROC");
    else if (b === "STRUC" || b === "STRUCT") this.stack.push("STRUC");
    else if (b === "SEGMENT") this.stack.push("SEGMENT");
    else if (b === "ENDS") {
      if (!this.popIf("STRUC")) this.popIf("SEGMENT");
    } else if (b === "MACRO" || REPEATS.has(a)) this.stack.push("MACRO");
    else if (IFS.test(a)) this.stack.push("IF");
    else if (a === "ENDIF") this.popIf("IF");
    else if (a === "BEGIN_CONTROL_DISPATCH") this.stack.push("DISPATCH");
    else if (a === "END_CONTROL_DISPATCH") this.popIf("DISPATCH");
    else if (/^VXD_\w+_SEG$/.test(a)) this.stack.push("SEGMENT");
    else if (/^VXD_\w+_ENDS$/.test(a)) this.popIf("SEGMENT");
  }

  private popIf(block: Block): boolean {
    if (this.stack[this.stack.length - 1] !== block) return false;
    this.stack.pop();
    return true;
  }
}
