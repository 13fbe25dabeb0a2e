// "Did you mean" hints: the closest known name by edit distance, case-insensitively.

/** Edit distance of a and b, or some number above `max` as soon as it must be above `max` (a row
 *  of the table whose every entry passes `max` can only grow: this is what keeps a file with
 *  thousands of unknown names, each compared with thousands of vmm.inc names, fast). */
function distance(a: string, b: string, max: number): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (prev[j]! < rowMin) rowMin = prev[j]!;
      diag = tmp;
    }
    if (rowMin > max) return rowMin;
  }
  return prev[b.length]!;
}

export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const target = name.toUpperCase();
  const limit = Math.max(1, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const u = c.toUpperCase();
    if (u === target || Math.abs(u.length - target.length) > limit) continue;
    const d = distance(target, u, Math.min(limit, bestScore - 1));
    if (d <= limit && d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}
