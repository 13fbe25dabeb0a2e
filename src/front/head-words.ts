// What a statement's first word is, worked out once per spelling: the same few heads (mov, push,
// VMMcall, BeginProc …) start most lines, and upper-casing and looking each one up again per line
// was a measurable part of assembling.
import { MNEMONICS } from "../ir/mnemonics.js";
import { isConditionalWord } from "./conditionals.js";
import { isDirectiveWord } from "./directives.js";
import { isVxdMacro } from "./vxd-macros.js";

export interface HeadWord {
  readonly upper: string;
  /** IF…, ELSE…, ENDIF. */
  readonly conditional: boolean;
  /** The instruction the word names, in lower case (the instruction table's own string), or null. */
  readonly mnemonic: string | null;
  readonly vxdMacro: boolean;
  /** A directive that directives.ts handles (INCLUDE, REPT, PUBLIC, .386p …). */
  readonly directive: boolean;
}

const CANONICAL = new Map<string, string>([...MNEMONICS.keys()].map((k) => [k, k]));

/** Spellings remembered; beyond this (a file of thousands of different macro names) words are not kept. */
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, HeadWord>();

export function headWord(image: string): HeadWord {
  let w = remembered.get(image);
  if (w === undefined) {
    const upper = image.toUpperCase();
    w = { upper, conditional: isConditionalWord(upper), mnemonic: CANONICAL.get(image.toLowerCase()) ?? null, vxdMacro: isVxdMacro(upper), directive: isDirectiveWord(upper) };
    if (remembered.size < MAX_REMEMBERED) remembered.set(image, w);
  }
  return w;
}
