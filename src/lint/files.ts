// What `vmmasm lint` is given: files, directories (every .asm under them) and globs (`src/**/*.asm`).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCE = /\.asm$/i;
const SKIP_DIRS = new Set(["node_modules", ".git"]);

export interface Expanded {
  readonly files: string[];
  /** Arguments that named nothing. */
  readonly missing: string[];
}

export function expandArguments(args: readonly string[]): Expanded {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (f: string): void => {
    const key = f.replace(/\\/g, "/");
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const arg of args) {
    const kind = statKind(arg);
    if (kind === "file") add(arg);
    else if (kind === "dir") for (const f of walk(arg)) add(f);
    else if (/[*?[{]/.test(arg)) {
      const found = glob(arg);
      if (found.length === 0) missing.push(arg);
      for (const f of found) add(f);
    } else missing.push(arg);
  }
  return { files, missing };
}

function statKind(p: string): "file" | "dir" | null {
  try {
    const s = statSync(p);
    return s.isFile() ? "file" : s.isDirectory() ? "dir" : null;
  } catch {
    return null;
  }
}

/** Every .asm file under a directory, in a stable order. */
function walk(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    const k = statKind(p);
    if (k === "dir" && !SKIP_DIRS.has(name)) out.push(...walk(p));
    else if (k === "file" && SOURCE.test(name)) out.push(p);
  }
  return out;
}

/** `*`, `?`, `[abc]`, `{a,b}` within a path segment, and `**` for any number of directories. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        const slash = pattern[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = pattern.indexOf("}", i + 1);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${pattern.slice(i + 1, end).split(",").map(escape).join("|")})`;
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.+^$()|\\/]/g, (m) => (m === "/" ? "/" : `\\${m}`));
}

function glob(pattern: string): string[] {
  const norm = pattern.replace(/\\/g, "/").replace(/^\.\//, "");
  // Walk from the longest directory prefix without wildcards.
  const parts = norm.split("/");
  const fixed: string[] = [];
  for (const p of parts) {
    if (/[*?[{]/.test(p)) break;
    fixed.push(p);
  }
  const base = fixed.length === 0 ? "." : fixed.join("/") || "/";
  const re = globToRegExp(norm);
  const out: string[] = [];
  const visit = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const p = dir === "." ? name : `${dir}/${name}`;
      const k = statKind(p);
      if (k === "dir" && !SKIP_DIRS.has(name)) visit(p);
      else if (k === "file" && re.test(p)) out.push(p);
    }
  };
  visit(base);
  return out;
}
