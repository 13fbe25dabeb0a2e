// Rule settings: defaults from each rule's meta, then a config file (`vmmasm-lint.json` or
// `.vmmasmrc.json` in the project root, or --config), then --rule id=off|warn|error.
//
//   { "rules": { "use-offset32": "off", "ecx-through-system-control": "error" },
//     "include": ["inc"], "define": { "DEBUG": "1" } }
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Severity } from "../diagnostics/diagnostic.js";
import { ruleById } from "./registry.js";
import type { RuleSetting } from "./types.js";

export const CONFIG_NAMES = ["vmmasm-lint.json", ".vmmasmrc.json"] as const;

export interface LintConfig {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly include: readonly string[];
  readonly define: Readonly<Record<string, string>>;
  /** Where it was read from, or null when no file was used. */
  readonly path: string | null;
}

export class ConfigError extends Error {}

export const EMPTY_CONFIG: LintConfig = { rules: {}, include: [], define: {}, path: null };

/** `off`, `warn`/`warning`, `error`, `note` → a setting. */
export function parseSetting(value: unknown): RuleSetting | null {
  if (typeof value !== "string") return null;
  const v = value.toLowerCase();
  if (v === "off" || v === "error" || v === "note") return v;
  if (v === "warn" || v === "warning") return "warning";
  return null;
}

/** `id=off` → [id, setting]; throws ConfigError for an unknown rule or setting. */
export function parseRuleOption(text: string): [string, RuleSetting] {
  const m = /^\s*([a-z0-9-]+)\s*[=:]\s*([a-z]+)\s*$/i.exec(text);
  if (!m) throw new ConfigError(`--rule ${text}: expected id=off|warn|error`);
  const setting = parseSetting(m[2]);
  if (!ruleById(m[1]!)) throw new ConfigError(`--rule ${text}: there is no rule \`${m[1]}\` (vmmasm rules lists them)`);
  if (!setting) throw new ConfigError(`--rule ${text}: a rule is off, warn or error, not \`${m[2]}\``);
  return [m[1]!, setting];
}

/** The project root's config file: looked for from `start` upwards, up to the directory with package.json or .git. */
export function findConfig(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, ".git"))) return null;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function loadConfig(path: string): LintConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(`cannot read the config file \`${path}\``);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ConfigError(`${path}: expected a JSON object`);
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["rules", "include", "define", "$schema"].includes(k)) throw new ConfigError(`${path}: unknown key \`${k}\` (rules, include, define)`);
  const rules: Record<string, RuleSetting> = {};
  if (o["rules"] !== undefined) {
    if (typeof o["rules"] !== "object" || o["rules"] === null || Array.isArray(o["rules"])) throw new ConfigError(`${path}: "rules" must be an object of id: "off" | "warn" | "error"`);
    for (const [id, v] of Object.entries(o["rules"] as Record<string, unknown>)) {
      if (!ruleById(id)) throw new ConfigError(`${path}: there is no rule \`${id}\``);
      const s = parseSetting(v);
      if (!s) throw new ConfigError(`${path}: rule \`${id}\` is "off", "warn" or "error", not ${JSON.stringify(v)}`);
      rules[id] = s;
    }
  }
  const include: string[] = [];
  if (o["include"] !== undefined) {
    if (!Array.isArray(o["include"]) || o["include"].some((x) => typeof x !== "string")) throw new ConfigError(`${path}: "include" must be a list of directories`);
    for (const d of o["include"] as string[]) include.push(resolve(dirname(path), d));
  }
  const define: Record<string, string> = {};
  if (o["define"] !== undefined) {
    if (typeof o["define"] !== "object" || o["define"] === null || Array.isArray(o["define"])) throw new ConfigError(`${path}: "define" must be an object of NAME: value`);
    for (const [k, v] of Object.entries(o["define"] as Record<string, unknown>)) define[k] = typeof v === "string" ? v : String(v);
  }
  return { rules, include, define, path };
}

export type { Severity };
