// The program keeps every name it reads (operands, operators, mnemonics): one string per spelling
// instead of one per occurrence makes the heap the collector copies smaller. Bounded, so that a
// file of very many different names costs no more than before.
const MAX_REMEMBERED = 65536;

const same = new Map<string, string>();
const upper = new Map<string, string>();
const lower = new Map<string, string>();

export function intern(word: string): string {
  const known = same.get(word);
  if (known !== undefined) return known;
  if (same.size < MAX_REMEMBERED) same.set(word, word);
  return word;
}

/** `word` in upper case (operators: OFFSET32, SHORT, SHL …). */
export function internUpper(word: string): string {
  return cased(upper, word, word.toUpperCase);
}

/** `word` in lower case (the mnemonic a built-in macro's instruction is shown with). */
export function internLower(word: string): string {
  return cased(lower, word, word.toLowerCase);
}

function cased(cache: Map<string, string>, word: string, convert: (this: string) => string): string {
  let known = cache.get(word);
  if (known === undefined) {
    known = intern(convert.call(word));
    if (cache.size < MAX_REMEMBERED) cache.set(word, known);
  }
  return known;
}
