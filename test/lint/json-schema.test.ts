// The schema check the SARIF test relies on does reject what the SARIF 2.1.0 schema forbids.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "./json-schema.js";

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
const minimal = { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [] }] };

describe("SARIF schema validation", () => {
  it("accepts a minimal log", () => {
    expect(validate(minimal, schema)).toEqual([]);
  });

  it("rejects a wrong version, a missing driver name, an unknown property, a bad level and a bad region", () => {
    expect(validate({ ...minimal, version: "2.0.0" }, schema).join()).toContain("is not one of");
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] }, schema).join()).toContain('missing required property "name"');
    expect(validate({ ...minimal, extra: 1 }, schema).join()).toContain('property "extra" is not allowed');
    const result = (r: unknown) => ({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [r] }] });
    expect(validate(result({ message: { text: "m" }, level: "fatal" }), schema).join()).toContain("is not one of");
    expect(validate(result({ message: {} }), schema).join()).toContain("anyOf");
    const region = { physicalLocation: { artifactLocation: { uri: "a.asm" }, region: { startLine: 0 } } };
    expect(validate(result({ message: { text: "m" }, locations: [region] }), schema).join()).toContain("minimum");
  });
});
