import { describe, expect, it } from "vitest";
import { LineParser } from "../../grammar/parser.js";

describe("the grammar", () => {
  it("passes Chevrotain's own validations (left recursion, unreachable alternatives, …)", () => {
    // With validation on, a broken grammar throws while the parser is built.
    expect(() => new LineParser(true)).not.toThrow();
  });
});
