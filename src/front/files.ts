// Reading sources and finding include files.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";

export interface FileSystem {
  readFile(path: string): string | undefined;
  isFile(path: string): boolean;
}

export const nodeFileSystem: FileSystem = {
  readFile(path) {
    try {
      return readFileSync(path, "latin1");
    } catch {
      return undefined;
    }
  },
  isFile(path) {
    try {
      return existsSync(path) && statSync(path).isFile();
    } catch {
      return false;
    }
  },
};

/** An in-memory file system, for tests and the library API. */
export function memoryFileSystem(files: Readonly<Record<string, string>>): FileSystem {
  const map = new Map(Object.entries(files).map(([k, v]) => [k.replace(/\\/g, "/"), v]));
  return {
    readFile: (p) => map.get(p.replace(/\\/g, "/")),
    isFile: (p) => map.has(p.replace(/\\/g, "/")),
  };
}

/** Beside the including file first, then each -I directory, then the current directory. */
export function resolveInclude(fs: FileSystem, name: string, fromFile: string, includeDirs: readonly string[]): string | undefined {
  const clean = name.trim().replace(/^["<]|[">]$/g, "").replace(/\\/g, "/");
  const candidates = isAbsolute(clean) ? [clean] : [join(dirname(fromFile), clean), ...includeDirs.map((d) => join(d, clean)), clean];
  for (const c of candidates) {
    if (fs.isFile(c)) return normalise(c);
    // DOS sources spell names in any case.
    const lower = join(dirname(c), c.slice(dirname(c).length + 1).toLowerCase());
    if (fs.isFile(lower)) return normalise(lower);
  }
  return undefined;
}

function normalise(p: string): string {
  const r = relative(process.cwd(), p);
  return r.startsWith("..") || isAbsolute(r) ? p : r;
}
