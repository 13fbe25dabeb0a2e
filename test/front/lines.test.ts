// The streaming line reader (src/front/lines.ts) gives the lines, bodies and diagnostics the
// original whole-text splitter gave: that splitter, kept here as the reference, is compared with it
// on random text.
import type { IToken } from "chevrotain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lex } from "../../grammar/lexer.js";
import { BlockBody, NewLine, UnterminatedString } from "../../grammar/tokens.js";
import { splitLines } from "../../src/front/lines.js";

function reference(source: string) {
  const { tokens, errors, text } = lex(source);
  const rawLines = text.split(/\r\n|\r|\n/);
  const badLines = new Set<number>();
  const firstErrors = errors.filter((e) => !badLines.has(e.line) && badLines.add(e.line));
  const diagnostics = firstErrors.map((e) => `${e.line}:${e.column} bad-character`);
  const lines: { tokens: IToken[]; line: number; text: string; body: IToken | null; bodyUnclosed?: boolean }[] = [];
  let current: IToken[] = [];
  let last: (typeof lines)[number] | null = null;
  let dropLine = false;
  let lastDropped = false;
  let skipEndm = false;
  const flush = (): void => {
    if (dropLine) {
      dropLine = false;
      lastDropped = true;
      current = [];
      return;
    }
    if (current.length === 0) return;
    lastDropped = false;
    if (skipEndm) {
      skipEndm = false;
      if (current[0]!.image.toUpperCase() === "ENDM") {
        current = [];
        return;
      }
    }
    const line = current[0]!.startLine ?? 1;
    last = { tokens: current, line, text: rawLines[line - 1] ?? "", body: null };
    lines.push(last);
    current = [];
  };
  for (const t of tokens) {
    if (t.tokenType === NewLine) {
      flush();
      continue;
    }
    if (t.tokenType === BlockBody) {
      flush();
      if (lastDropped) skipEndm = true;
      else if (last) (last as { body: IToken | null }).body = t;
      continue;
    }
    if (badLines.has(t.startLine ?? 1)) {
      dropLine = true;
      continue;
    }
    if (t.tokenType === UnterminatedString) {
      diagnostics.push(`${t.startLine}:${t.startColumn} unterminated-string`);
      dropLine = true;
      continue;
    }
    current.push(t);
  }
  flush();
  for (const l of lines) if (l.body && (l.body.endOffset ?? 0) >= text.length - 1) l.bodyUnclosed = true;
  return { lines, diagnostics };
}

const view = (l: { tokens: IToken[]; line: number; text: string; body: IToken | null; bodyUnclosed?: boolean }) => ({
  line: l.line,
  text: l.text,
  tokens: l.tokens.map((t) => `${t.tokenType.name}:${t.image}@${t.startLine}:${t.startColumn}`),
  body: l.body?.image ?? null,
  unclosed: l.bodyUnclosed === true,
});

describe("the streaming line reader", () => {
  it("gives the lines, bodies and diagnostics of the whole-text splitter", () => {
    const parts = ["mov eax, 1", "x MACRO a", "REPT 2", "ENDM", "nop", "# ", "'ab", "\"c\"", "lbl:", " ; c", "\n", "\r\n", "\n", "\r", " dd ", "<x>", "\t", "\x1a"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 25 }), (ps) => {
        const text = ps.join("");
        const ref = reference(text);
        const got = splitLines(text, "t.asm");
        expect(got.lines.map(view)).toEqual(ref.lines.map(view));
        expect(got.diagnostics.map((d) => `${d.span!.line}:${d.span!.column} ${d.name}`).sort()).toEqual([...ref.diagnostics].sort());
      }),
      { numRuns: 4000 },
    );
  });
});
