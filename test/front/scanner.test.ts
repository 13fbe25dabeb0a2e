// The scanner's character loops take exactly the tokens its original regular expressions took:
// a reference tokenizer written with those expressions is compared on random text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scan } from "../../grammar/scanner.js";

const RE: [string, RegExp][] = [
  ["Comment", /;[^\r\n]*/y],
  ["StringLit", /'(?:[^'\r\n]|'')*'|"(?:[^"\r\n]|"")*"/y],
  ["UnterminatedString", /['"][^\r\n]*/y],
  ["AngleText", /<(?:[^<>\r\n]|<[^<>\r\n]*>)*>/y],
  ["NumberLit", /[0-9][0-9A-Za-z_]*/y],
  ["Identifier", /[A-Za-z_@$?][\w@$?]*/y],
  ["DotName", /\.(?:[A-Za-z_@$?][\w@$?]*|[0-9][0-9A-Za-z]*)/y],
  ["PercentOut", /%out\b[^\r\n]*/iy],
];

/** Type and extent of the token the original expressions took at `pos` (spaces, line breaks and punctuation aside). */
function reference(text: string, pos: number): [string, number] | null {
  const c = text[pos]!;
  const order = c === ";" ? ["Comment"] : c === "'" || c === '"' ? ["StringLit", "UnterminatedString"] : c === "<" ? ["AngleText"] : /[0-9]/.test(c) ? ["NumberLit"] : /[A-Za-z_@$?]/.test(c) ? ["Identifier"] : c === "." ? ["DotName"] : c === "%" ? ["PercentOut"] : [];
  for (const name of order) {
    const re = RE.find(([n]) => n === name)![1];
    re.lastIndex = pos;
    if (re.test(text)) return [name, re.lastIndex];
  }
  return null;
}

describe("the scanner's character loops", () => {
  it("take the same tokens as the original regular expressions", () => {
    const alphabet = ["a", "Z", "_", "@", "$", "?", "0", "9", "h", " ", "\t", ";", "'", '"', "<", ">", ".", "%", "out", "OUT", ",", "\n", "\r\n", "x1", "'it''s'", "<a,<b>>"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        const r = scan(text);
        for (const t of [...r.tokens, ...r.comments]) {
          const ref = reference(text, t.startOffset);
          if (!ref) continue;
          expect([t.tokenType.name, (t.endOffset ?? 0) + 1]).toEqual(ref);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
