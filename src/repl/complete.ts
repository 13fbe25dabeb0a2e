// Tab completion: dot-commands, instruction mnemonics (from the instruction table), registers,
// VMM services and System_Control messages (from the VMM tables) and the other vmm.inc names,
// VxD macros, the session's own symbols, reference names after .doc and file names after .load.
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { docNames, listKinds } from "../doc/index.js";
import { MNEMONICS } from "../ir/mnemonics.js";
import { REG_NAMES16, REG_NAMES32, REG_NAMES8_HIGH, REG_NAMES8_LOW } from "../ir/types.js";
import { ALL_SERVICES, MESSAGES, VMM_SERVICES } from "../vmm/tables/index.js";
import { vmmIncSymbols } from "../vmm/vmm-inc.js";
import { COMMAND_NAMES } from "./commands.js";
import type { ReplSession } from "./session.js";

const MACROS = [
  "VMMcall", "VMMjmp", "VxDcall", "VxDjmp", "BeginProc", "EndProc", "Trace_Out", "Debug_Out", "Assert_VM_Handle",
  "Declare_Virtual_Device", "Begin_Control_Dispatch", "Control_Dispatch", "End_Control_Dispatch",
  "VxD_LOCKED_CODE_SEG", "VxD_LOCKED_CODE_ENDS", "VxD_LOCKED_DATA_SEG", "VxD_LOCKED_DATA_ENDS",
];
const KEYWORDS = ["OFFSET32", "OFFSET", "dword", "word", "byte", "ptr", "PROC", "ENDP", "STRUC", "ENDS", "MACRO", "ENDM", "EQU", "IFDEF", "IFNDEF", "ELSE", "ENDIF", "db", "dw", "dd", "dup", "rep", "repe", "repne"];
const VMM_MACROS = /^\s*(VMMcall|VMMjmp)\s+\S*$/i;
const VXD_MACROS = /^\s*(VxDcall|VxDjmp)\s+\S*$/i;

let general: string[] | undefined;

function generalWords(): string[] {
  general ??= [
    ...MNEMONICS.keys(),
    ...REG_NAMES32, ...REG_NAMES16, ...REG_NAMES8_LOW, ...REG_NAMES8_HIGH,
    ...ALL_SERVICES.map((s) => s.name),
    ...MESSAGES.map((m) => m.name),
    ...MACROS,
    ...KEYWORDS,
    ...vmmIncSymbols().map((s) => s.name).filter((n) => !n.startsWith("@@")),
  ];
  return general;
}

/** Candidates that start with `word` (case-insensitively), spelled as typed so far then as known. */
function matching(word: string, candidates: Iterable<string>): string[] {
  const w = word.toLowerCase();
  const out = new Set<string>();
  for (const c of candidates) if (c.toLowerCase().startsWith(w)) out.add(word + c.slice(word.length));
  return [...out].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

function files(word: string): string[] {
  const dir = word.includes("/") ? dirname(word) : ".";
  const prefix = word.includes("/") ? word.slice(0, word.lastIndexOf("/") + 1) : "";
  try {
    return readdirSync(dir)
      .filter((f) => !f.startsWith(".") || word.slice(prefix.length).startsWith("."))
      .map((f) => {
        let isDir = false;
        try {
          isDir = statSync(join(dir, f)).isDirectory();
        } catch {
          // a dangling link: offer it as a file
        }
        return prefix + f + (isDir ? "/" : "");
      })
      .filter((f) => f.startsWith(word) && (f.endsWith("/") || /\.(asm|inc|vxd)$/i.test(f)))
      .sort();
  } catch {
    return [];
  }
}

/** readline's completer: [candidates, the text they replace]. */
export function complete(session: ReplSession, line: string): [string[], string] {
  const cmd = /^\s*(\.[a-z]*)$/i.exec(line);
  if (cmd) return [matching(cmd[1]!, COMMAND_NAMES), cmd[1]!];
  const arg = /^\s*(\.[a-z]+)\s+(.*)$/i.exec(line);
  if (arg) {
    const name = arg[1]!.toLowerCase();
    const rest = arg[2]!;
    const word = /(\S*)$/.exec(rest)![1]!;
    switch (name) {
      case ".doc":
        if (/^--list\s+\S*$/.test(rest)) return [matching(word, listKinds().split(", ")), word];
        return [matching(word, ["--list", ...docNames()]), word];
      case ".load":
      case ".save":
        return [files(word), word];
      case ".trace":
        return [matching(word, ["on", "off"]), word];
      case ".events":
        return [matching(word, ["run"]), word];
      case ".break":
      case ".delete":
      case ".mem":
        return [matching(word, [...session.symbolNames(), ...(name === ".mem" ? REG_NAMES32 : [])]), word];
      default:
        return [[], word];
    }
  }
  const word = /([\w@$?]*)$/.exec(line)![1]!;
  if (word === "") return [[], word];
  if (VMM_MACROS.test(line)) return [matching(word, VMM_SERVICES.map((s) => s.name)), word];
  if (VXD_MACROS.test(line)) return [matching(word, ALL_SERVICES.map((s) => s.name)), word];
  return [matching(word, [...session.symbolNames(), ...generalWords()]), word];
}
