// MASM integer literals: a leading digit, then digits of the radix and an optional radix letter
// (h hex, b/y binary, o/q octal, d/t decimal). Values wrap to 32 bits like the assembler's.

const RADIX_LETTER: Record<string, number> = { H: 16, B: 2, Y: 2, O: 8, Q: 8, D: 10, T: 10 };
const DIGITS = "0123456789ABCDEF";

/** The value of a MASM number, or null if the text is not one. */
export function parseMasmNumber(image: string): number | null {
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
