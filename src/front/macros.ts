// User macros (MACRO/ENDM with parameters, defaults, REQ, VARARG and LOCAL) and the repeat
// blocks REPT, IRP and IRPC: all are text substituted and then assembled like source lines.
import type { SourceSpan } from "../ir/types.js";

export interface MacroParam {
  readonly name: string;
  readonly required: boolean;
  readonly defaultText: string | null;
  readonly vararg: boolean;
}

export interface MacroDef {
  readonly name: string;
  readonly params: readonly MacroParam[];
  readonly body: string;
  readonly span: SourceSpan;
}

/** Splits macro arguments at top-level commas (not inside <>, (), or quotes). */
export function splitArguments(text: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let depthParen = 0;
  let quote: string | null = null;
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "<") depthAngle++;
    else if (ch === ">") depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === "(") depthParen++;
    else if (ch === ")") depthParen = Math.max(0, depthParen - 1);
    else if (ch === ";" && depthAngle === 0) break;
    else if (ch === "," && depthAngle === 0 && depthParen === 0) {
      out.push(cur.trim());
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== "" || out.length > 0) out.push(cur.trim());
  return out;
}

/** `<text>` → text (one level); anything else unchanged. `!c` escapes c inside angle brackets. */
export function stripAngles(arg: string): string {
  const t = arg.trim();
  if (t.startsWith("<") && t.endsWith(">")) return t.slice(1, -1).replace(/!(.)/g, "$1");
  return t;
}

export function parseMacroParams(text: string): MacroParam[] {
  return splitArguments(text)
    .filter((p) => p !== "")
    .map((p) => {
      const m = /^([A-Za-z_@$?][\w@$?]*)\s*(?::\s*(REQ|VARARG|=\s*(.*)))?$/i.exec(p.trim());
      if (!m) return { name: p.trim(), required: false, defaultText: null, vararg: false };
      const qual = (m[2] ?? "").toUpperCase();
      return {
        name: m[1]!,
        required: qual === "REQ",
        vararg: qual === "VARARG",
        defaultText: m[3] !== undefined ? stripAngles(m[3]) : null,
      };
    });
}

const IDENT = /[A-Za-z_@$?][\w@$?]*/g;

/** Replaces whole-word parameter names (and `&name&` forms) in `body`. Strips `;;` comments. */
export function substitute(body: string, values: ReadonlyMap<string, string>): string {
  const lines = body.split(/\r\n|\r|\n/);
  return lines
    .map((line) => {
      const cut = line.indexOf(";;");
      const code = cut >= 0 ? line.slice(0, cut) : line;
      return replaceOutsideComment(code, values);
    })
    .join("\n");
}

function replaceOutsideComment(line: string, values: ReadonlyMap<string, string>): string {
  let out = "";
  let i = 0;
  let quote: string | null = null;
  while (i < line.length) {
    const ch = line[i]!;
    if (!quote && ch === ";") {
      out += line.slice(i);
      break;
    }
    if (ch === "'" || ch === '"') {
      quote = quote === ch ? null : quote ?? ch;
    }
    IDENT.lastIndex = i;
    const m = /[A-Za-z_@$?]/.test(ch) && (i === 0 || !/[\w@$?]/.test(line[i - 1]!)) ? IDENT.exec(line) : null;
    if (m && m.index === i) {
      const word = m[0];
      const value = values.get(word.toUpperCase());
      // Inside quotes MASM substitutes only &name& forms.
      const ampBefore = line[i - 1] === "&";
      const ampAfter = line[i + word.length] === "&";
      if (value !== undefined && (!quote || ampBefore || ampAfter)) {
        if (ampBefore) out = out.slice(0, -1);
        out += value;
        i += word.length + (ampAfter ? 1 : 0);
      } else {
        out += word;
        i += word.length;
      }
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Reads leading `LOCAL a, b` lines of a body; returns their names and the body without them. */
export function takeLocals(body: string): { locals: string[]; rest: string } {
  const lines = body.split(/\r\n|\r|\n/);
  const locals: string[] = [];
  const rest: string[] = [];
  for (const line of lines) {
    const m = /^\s*LOCAL\s+(.*)$/i.exec(line.replace(/;.*$/, ""));
    if (m) {
      for (const n of m[1]!.split(",")) if (n.trim()) locals.push(n.trim());
      rest.push("");
    } else rest.push(line);
  }
  return { locals, rest: rest.join("\n") };
}
