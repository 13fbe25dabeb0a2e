export function hexOf(v: number): string {
  return `${(v >>> 0).toString(16).toUpperCase().padStart(8, "0")}h`;
}
