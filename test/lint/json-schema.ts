// A small JSON Schema (draft-04) validator: the keywords the SARIF 2.1.0 schema uses — type,
// properties, required, additionalProperties, items, minItems, uniqueItems, minimum, enum,
// pattern, format (uri, uri-reference, date-time), anyOf and local $ref. Enough to check our SARIF
// against the official schema file (vendored beside this file) without a validator package.

type Schema = Record<string, unknown>;

export function validate(value: unknown, root: Schema): string[] {
  const errors: string[] = [];
  check(value, root, root, "$", errors);
  return errors;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#/")) throw new Error(`only local $ref is supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (!node || typeof node !== "object") throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
}

function check(v: unknown, s: Schema, root: Schema, path: string, errors: string[]): void {
  if (typeof s["$ref"] === "string") {
    check(v, resolveRef(root, s["$ref"]), root, path, errors);
    return;
  }
  const type = s["type"];
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((t) => typeMatches(v, t))) {
      errors.push(`${path}: expected ${types.join("|")}, got ${typeOf(v)}`);
      return;
    }
  }
  if (Array.isArray(s["enum"]) && !(s["enum"] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) errors.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s["enum"])}`);
  if (typeof v === "number" && typeof s["minimum"] === "number" && v < s["minimum"]) errors.push(`${path}: ${v} < minimum ${s["minimum"]}`);
  if (typeof v === "string") {
    if (typeof s["pattern"] === "string" && !new RegExp(s["pattern"]).test(v)) errors.push(`${path}: "${v}" does not match ${s["pattern"]}`);
    const format = s["format"];
    if (format === "uri" && !/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(v)) errors.push(`${path}: "${v}" is not an absolute URI`);
    if (format === "uri-reference" && /[\s\\]/.test(v)) errors.push(`${path}: "${v}" is not a URI reference`);
    if (format === "date-time" && Number.isNaN(Date.parse(v))) errors.push(`${path}: "${v}" is not a date-time`);
  }
  if (Array.isArray(v)) {
    if (typeof s["minItems"] === "number" && v.length < s["minItems"]) errors.push(`${path}: fewer than ${s["minItems"]} items`);
    if (s["uniqueItems"] === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errors.push(`${path}: items are not unique`);
    if (s["items"] && typeof s["items"] === "object") v.forEach((x, i) => check(x, s["items"] as Schema, root, `${path}[${i}]`, errors));
  }
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const r of (s["required"] as string[] | undefined) ?? []) if (!(r in o)) errors.push(`${path}: missing required property "${r}"`);
    const props = (s["properties"] as Record<string, Schema> | undefined) ?? {};
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) check(x, props[k]!, root, `${path}.${k}`, errors);
      else if (s["additionalProperties"] === false) errors.push(`${path}: property "${k}" is not allowed`);
      else if (s["additionalProperties"] && typeof s["additionalProperties"] === "object") check(x, s["additionalProperties"] as Schema, root, `${path}.${k}`, errors);
    }
  }
  if (Array.isArray(s["anyOf"])) {
    const ok = (s["anyOf"] as Schema[]).some((alt) => {
      const e: string[] = [];
      check(v, alt, root, path, e);
      return e.length === 0;
    });
    if (!ok) errors.push(`${path}: matches none of anyOf`);
  }
}
