// Input history kept across sessions: ~/.vmmasm_history (VMMASM_HISTORY names another file).
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const HISTORY_SIZE = 1000;

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return env["VMMASM_HISTORY"] || join(homedir(), ".vmmasm_history");
}

/** Earlier lines, most recent first (as readline wants them). */
export function loadHistory(path: string): string[] {
  try {
    const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
    if (lines.length > 2 * HISTORY_SIZE) writeFileSync(path, lines.slice(-HISTORY_SIZE).join("\n") + "\n");
    return lines.slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

export function appendHistory(path: string, line: string): void {
  if (line.trim() === "") return;
  try {
    appendFileSync(path, line.replace(/\n/g, " ") + "\n");
  } catch {
    // No history is no reason to stop.
  }
}
