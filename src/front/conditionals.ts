// Conditional assembly: IF/IFE/IFDEF/IFNDEF/IFB/IFNB/IFIDN(I)/IFDIF(I)/IF1/IF2, ELSE, ELSEIF…, ENDIF.
import type { SourceSpan } from "../ir/types.js";
import { diag } from "../diagnostics/diagnostic.js";
import { fail } from "./evaluate.js";
import { splitArguments, stripAngles } from "./macros.js";

interface Frame {
  /** This branch is being assembled. */
  active: boolean;
  /** Some branch of this IF has been taken already. */
  taken: boolean;
  /** The enclosing code is being assembled. */
  readonly parentActive: boolean;
  readonly span: SourceSpan;
  seenElse: boolean;
}

const OPENERS = new Set(["IF", "IFE", "IFDEF", "IFNDEF", "IFB", "IFNB", "IFIDN", "IFIDNI", "IFDIF", "IFDIFI", "IF1", "IF2"]);
const ELSE_IFS = new Set(["ELSEIF", "ELSEIFE", "ELSEIFDEF", "ELSEIFNDEF", "ELSEIFB", "ELSEIFNB", "ELSEIFIDN", "ELSEIFIDNI", "ELSEIFDIF", "ELSEIFDIFI"]);

/** Is this (upper-case) word one of the IF family, an ELSE or ENDIF? */
export function isConditionalWord(word: string): boolean {
  return OPENERS.has(word) || ELSE_IFS.has(word) || word === "ELSE" || word === "ENDIF";
}

export class ConditionalStack {
  private readonly frames: Frame[] = [];

  get active(): boolean {
    // No `frames[-1]` when there is no frame: reading that index is a slow property lookup, on every line.
    const n = this.frames.length;
    return n === 0 ? true : this.frames[n - 1]!.active;
  }

  /** Inside at least one IF-family block. */
  get nested(): boolean {
    return this.frames.length > 0;
  }

  unclosed(): SourceSpan[] {
    return this.frames.map((f) => f.span);
  }

  handle(word: string, rest: string, span: SourceSpan, evaluate: (text: string) => number, defined: (name: string) => boolean): void {
    if (OPENERS.has(word)) {
      const parentActive = this.active;
      // An IF whose condition is in error still opens its block (no branch of it is assembled),
      // so that its ELSE and ENDIF do not add errors of their own.
      const frame: Frame = { active: false, taken: true, parentActive, span, seenElse: false };
      this.frames.push(frame);
      const cond = parentActive ? test(word, rest, span, evaluate, defined) : false;
      frame.active = parentActive && cond;
      frame.taken = cond;
      return;
    }
    const top = this.frames[this.frames.length - 1];
    if (!top) fail(diag("unbalanced-block", span, `${word} without a matching IF`));
    if (word === "ENDIF") {
      this.frames.pop();
      return;
    }
    if (top.seenElse) fail(diag("unbalanced-block", span, `${word} after ELSE in the same IF`));
    if (word === "ELSE") {
      top.seenElse = true;
      top.active = top.parentActive && !top.taken;
      top.taken = true;
      return;
    }
    // ELSEIFxx
    if (top.taken || !top.parentActive) {
      top.active = false;
      return;
    }
    top.active = false;
    top.taken = true; // stays so if the condition is in error
    const cond = test(word.slice(4), rest, span, evaluate, defined);
    top.active = cond;
    top.taken = cond;
  }
}

function test(word: string, rest: string, span: SourceSpan, evaluate: (text: string) => number, defined: (name: string) => boolean): boolean {
  switch (word) {
    case "IF":
      return evaluate(rest) !== 0;
    case "IFE":
      return evaluate(rest) === 0;
    case "IFDEF":
      return defined(rest.trim());
    case "IFNDEF":
      return !defined(rest.trim());
    case "IFB":
      return stripAngles(rest).trim() === "";
    case "IFNB":
      return stripAngles(rest).trim() !== "";
    case "IF1":
      return true;
    case "IF2":
      return false;
    default: {
      const [a, b] = splitArguments(rest).map((x) => stripAngles(x).trim());
      if (a === undefined || b === undefined) fail(diag("bad-expression", span, `${word} needs two arguments: <a>, <b>`));
      const caseless = word.endsWith("I");
      const same = caseless ? a.toUpperCase() === b.toUpperCase() : a === b;
      return word.startsWith("IFIDN") ? same : !same;
    }
  }
}
