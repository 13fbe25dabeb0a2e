// Facts grouped by a key, made once per program: most rules read the facts of a few keys (the calls
// of some services, the returns of one kind of root), and a large program has thousands of facts.
export class FactGroups<K, F> {
  /** Positions in `facts` by key, in order. */
  private readonly positions = new Map<K, number[]>();

  constructor(private readonly facts: readonly F[]) {}

  /** Puts fact number `k` in the group of `key` (facts are added in order). */
  add(key: K, k: number): void {
    const positions = this.positions.get(key);
    if (positions) positions.push(k);
    else this.positions.set(key, [k]);
  }

  /** The facts of these keys, in their original order. */
  of(...keys: K[]): F[] {
    return this.where((key) => keys.includes(key));
  }

  /** The facts of every key that passes `test` (asked once per key), in their original order. */
  where(test: (key: K) => boolean): F[] {
    const groups: number[][] = [];
    for (const [key, positions] of this.positions) if (test(key)) groups.push(positions);
    const positions = groups.length === 1 ? groups[0]! : groups.flat().sort((a, b) => a - b);
    const out: F[] = [];
    for (let k = 0; k < positions.length; k++) out.push(this.facts[positions[k]!]!);
    return out;
  }
}
