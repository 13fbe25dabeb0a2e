// MASM integer literals: a leading digit, then digits of the radix and an optional radix letter
// (h hex, b/y binary, o/q octal, d/t decimal). Values wrap to 32 bits like the assembler's.

const RADIX_LETTER: Record<string, number> = { H: 16, B: 2, Y: 2, O: 8, Q: 8, D: 10, T: 10 };
const DIGITS = "0123456789ABCDEF";

/** Values of spellings already read (the same few numbers, 0, 1, 40h …, recur on many lines); bounded. */
const remembered = new Map<string, number | null>();

/** The value of a MASM number, or null if the text is not one. */
export function parseMasmNumber(image: string): number | null {
  let value = remembered.get(image);
  if (value === undefined) {
    value = readNumber(image);
    if (remembered.size < 4096) remembered.set(image, value);
  }
  return value;
}

function readNumber(image: string): number | null {
  const s = image.toUpperCase().replace(/_/g, "");
  if (s.length === 0 || s[0]! < "0" || s[0]! > "9") return null;
  let radix = 10;
  let digits = s;
  const last = s[s.length - 1]!;
  if (last in RADIX_LETTER && !(last === "B" || last === "D") || ((last === "B" || last === "D") && isRadixDigits(s.slice(0, -1), RADIX_LETTER[last]!))) {
    radix = RADIX_LETTER[last]!;
    digits = s.slice(0, -1);
  }
  if (!isRadixDigits(digits, radix)) return null;
  let value = 0;
  for (const ch of digits) value = (value * radix + DIGITS.indexOf(ch)) % 0x1_0000_0000;
  return value;
}

function isRadixDigits(s: string, radix: number): boolean {
  if (s.length === 0) return false;
  for (const ch of s) {
    const d = DIGITS.indexOf(ch);
    if (d < 0 || d >= radix) return false;
  }
  return true;
}
