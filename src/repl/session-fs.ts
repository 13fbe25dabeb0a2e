// The REPL's file system: each file is read once per session, so that re-assembling the session
// (after `.undo`, or to add a line) sees the same text even if the file changed on disk; and an
// END directive is blanked, so that a loaded file does not end the session's source.
import type { FileSystem } from "../front/files.js";

const END_LINE = /^([ \t]*)(end)(?=[ \t]*(?:;|\r?$)|[ \t]+[A-Za-z_@$?][\w@$?]*[ \t]*(?:;|\r?$))/gim;

export function blankEnd(text: string): string {
  // ";nd" keeps every column where it was, so spans in the file stay right.
  return text.replace(END_LINE, (_m, indent: string, word: string) => `${indent};${word.slice(1)}`);
}

export class SessionFileSystem implements FileSystem {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly base: FileSystem) {}

  readFile(path: string): string | undefined {
    if (!this.cache.has(path)) {
      const text = this.base.readFile(path);
      this.cache.set(path, text === undefined ? undefined : blankEnd(text));
    }
    return this.cache.get(path);
  }

  isFile(path: string): boolean {
    return this.cache.get(path) !== undefined || this.base.isFile(path);
  }

  /** Forget what was read (`.reset`, or `.load` of a file again after editing it). */
  forget(path?: string): void {
    if (path === undefined) this.cache.clear();
    else this.cache.delete(path);
  }
}
