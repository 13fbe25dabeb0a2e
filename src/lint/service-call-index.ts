// The analysis's service calls grouped by the service's name, made once per program: most rules
// look at the calls of a few services, and a large program makes thousands of calls.
import type { ServiceCallFact } from "./observations.js";

export class ServiceCallIndex {
  /** Positions in `calls` by service name, in order. */
  private readonly byName = new Map<string, number[]>();

  constructor(private readonly calls: readonly ServiceCallFact[]) {
    for (let k = 0; k < calls.length; k++) {
      const name = calls[k]!.name;
      const positions = this.byName.get(name);
      if (positions) positions.push(k);
      else this.byName.set(name, [k]);
    }
  }

  /** The calls of the services named, in the order the analysis recorded them. */
  named(...names: string[]): ServiceCallFact[] {
    return this.where((name) => names.includes(name));
  }

  /** The calls of every service whose name passes `test` (asked once per name), in the order the analysis recorded them. */
  where(test: (name: string) => boolean): ServiceCallFact[] {
    const groups: number[][] = [];
    for (const [name, positions] of this.byName) if (test(name)) groups.push(positions);
    const positions = groups.length === 1 ? groups[0]! : groups.flat().sort((a, b) => a - b);
    const out: ServiceCallFact[] = [];
    for (let k = 0; k < positions.length; k++) out.push(this.calls[positions[k]!]!);
    return out;
  }
}
