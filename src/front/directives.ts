// Directives read from the raw line (their operands are not ordinary expressions, or they need
// the text as written): INCLUDE, %OUT, REPT/IRP/IRPC, PUBLIC/EXTRN, .ERRxx, listing controls …
import type { IToken } from "chevrotain";
import { PercentOut } from "../../grammar/tokens.js";
import { diag } from "../diagnostics/diagnostic.js";
import type { Assembler } from "./assembler.js";
import { fail, typeSizeOfName } from "./evaluate.js";
import type { SourceLine } from "./lines.js";
import { splitArguments, stripAngles } from "./macros.js";

/** Accepted and without effect in the simulation (listing, processor, model and linker controls). */
const IGNORED = new Set([
  ".386", ".386P", ".386C", ".486", ".486P", ".586", ".586P", ".686", ".686P", ".387", ".8086", ".8087", ".286", ".286P",
  ".MMX", ".XMM", "PAGE", "TITLE", "SUBTTL", "SUBTITLE", ".XLIST", ".LIST", ".LALL", ".SALL", ".XALL", ".XCREF", ".CREF",
  ".LFCOND", ".SFCOND", ".TFCOND", ".LISTALL", ".NOLIST", ".LISTIF", ".NOLISTIF", ".LISTMACRO", ".NOLISTMACRO",
  ".LISTMACROALL", "NAME", "OPTION", "ASSUME", ".MODEL", "INCLUDELIB", ".STACK", "PURGE", "GROUP", "COMMENT_LINE",
]);

const REPEATS = new Set(["REPT", "REPEAT", "IRP", "IRPC", "FOR", "FORC"]);

/** A diagnostic's message is never empty: a bare %OUT or ECHO prints an empty line. */
function outText(text: string): string {
  return text === "" ? "(an empty line)" : text;
}

/** Every head handled below by name (the switch), for a quick "not a directive" answer. */
const HANDLED = new Set(["INCLUDE", "ECHO", "ENDM", "EXITM", "END", "PUBLIC", "GLOBAL", "EXTRN", "EXTERN", "ALIGN", "EVEN", ".CODE", ".DATA", ".DATA?", ".CONST", ".ERR", ".ERRE", ".ERRNZ", ".ERRDEF", ".ERRNDEF", ".ERRB", ".ERRNB", "ORG", ".RADIX"]);

/** Whether a statement headed by `head` (upper case) is one of the directives handled here. */
export function isDirectiveWord(head: string): boolean {
  return IGNORED.has(head) || REPEATS.has(head) || HANDLED.has(head);
}

/** Handles a directive line; false if the line is not one (a %OUT line always is). `directive`:
 *  isDirectiveWord(head), worked out once per spelling (see head-words.ts). */
export function handleDirective(asm: Assembler, head: string, directive: boolean, headTok: IToken, line: SourceLine, file: string, labelled: boolean): boolean {
  // Most lines are instructions: answer before cutting the line's text apart.
  if (headTok.tokenType !== PercentOut && (labelled || !directive)) return false;
  const span = asm.lineSpan(file, line, headTok);
  const rest = asm.restAfter(line, headTok);
  if (headTok.tokenType === PercentOut) {
    asm.report(diag("out-message", span, outText(headTok.image.replace(/^%out\s?/i, "").trim())));
    return true;
  }
  if (labelled) return false;
  if (IGNORED.has(head)) return true;
  if (REPEATS.has(head)) {
    asm.repeatBlock(head, rest, line, span);
    return true;
  }
  // A head added here must be added to HANDLED above as well.
  switch (head) {
    case "INCLUDE":
      if (rest === "") fail(diag("syntax-error", span, "INCLUDE needs a file name"));
      asm.include(rest, span);
      return true;
    case "ECHO":
      asm.report(diag("out-message", span, outText(rest)));
      return true;
    case "ENDM":
      if (asm.skipNextEndm) {
        asm.skipNextEndm = false;
        return true;
      }
      fail(diag("unbalanced-block", span, "ENDM without MACRO, REPT, IRP or IRPC"));
    // eslint-disable-next-line no-fallthrough
    case "EXITM":
      return true;
    case "END":
      asm.end();
      return true;
    case "PUBLIC":
    case "GLOBAL":
      for (const name of splitArguments(rest)) if (name) asm.declarePublic(name.replace(/^(C|PASCAL|STDCALL|SYSCALL)\s+/i, ""), span);
      return true;
    case "EXTRN":
    case "EXTERN":
      for (const item of splitArguments(rest)) {
        const [name, type] = item.split(":").map((x) => x.trim());
        if (!name) continue;
        asm.declareExtern(name, typeSizeOfName(type ?? "") ?? 0, span);
      }
      return true;
    case "ALIGN":
    case "EVEN": {
      const n = head === "EVEN" ? 2 : rest === "" ? 4 : asm.tryConstant(rest, span);
      if (n === null || n <= 0 || (n & (n - 1)) !== 0) fail(diag("bad-expression", span, "ALIGN needs a power of two"));
      asm.data.align(n);
      return true;
    }
    case ".CODE":
      asm.segments.length = 0;
      asm.openSegment("_TEXT", span);
      return true;
    case ".DATA":
    case ".DATA?":
    case ".CONST":
      asm.segments.length = 0;
      asm.openSegment("_DATA", span);
      return true;
    case ".ERR":
      fail(diag("user-error", span, rest ? `.ERR: ${stripAngles(rest)}` : ".ERR was reached"));
    // eslint-disable-next-line no-fallthrough
    case ".ERRE":
    case ".ERRNZ": {
      const [exprText, message] = splitArguments(rest);
      const value = asm.tryConstant(exprText ?? "", span);
      if (value === null) fail(diag("bad-expression", span, `${head} needs a constant expression, not \`${exprText ?? ""}\``));
      const fires = head === ".ERRE" ? value === 0 : value !== 0;
      if (fires) fail(diag("user-error", span, `${head} ${exprText} failed${message ? `: ${stripAngles(message)}` : ""}`, { notes: [`the expression is ${value >>> 0} (${(value >>> 0).toString(16).toUpperCase()}h)`] }));
      return true;
    }
    case ".ERRDEF":
    case ".ERRNDEF": {
      const name = splitArguments(rest)[0] ?? "";
      const defined = asm.isDefined(name);
      if (head === ".ERRDEF" ? defined : !defined) fail(diag("user-error", span, `${head} ${name}: \`${name}\` is ${defined ? "" : "not "}defined`));
      return true;
    }
    case ".ERRB":
    case ".ERRNB": {
      const blank = stripAngles(rest).trim() === "";
      if (head === ".ERRB" ? blank : !blank) fail(diag("user-error", span, `${head} fired`));
      return true;
    }
    case "ORG":
    case ".RADIX":
      fail(diag("ignored-directive", span, `${headTok.image} is not supported`, { severity: "error" }));
    // eslint-disable-next-line no-fallthrough
    default:
      return false;
  }
}
