// Simulated time: a clock in milliseconds and the things due at given times (time-outs, scenario
// actions, priority-event time-outs). Time moves only from one due thing to the next; code runs in
// no time at all, so every time-out fires exactly on time unless a callback is late by design.

export interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly what: string;
  readonly fire: () => void;
  cancelled: boolean;
}

export class Clock {
  now = 0;
  private seq = 0;
  private readonly timers: Timer[] = [];

  at(due: number, what: string, fire: () => void): Timer {
    const t: Timer = { due, seq: this.seq++, what, fire, cancelled: false };
    // Keep the list ordered by (due, seq); there are only ever a few.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.due > due) i--;
    this.timers.splice(i, 0, t);
    return t;
  }

  /** The next timer due at or before `limit`, removed from the list. */
  takeNext(limit: number): Timer | undefined {
    while (this.timers.length > 0) {
      const t = this.timers[0]!;
      if (t.cancelled) {
        this.timers.shift();
        continue;
      }
      if (t.due > limit) return undefined;
      this.timers.shift();
      return t;
    }
    return undefined;
  }

  pending(): Timer[] {
    return this.timers.filter((t) => !t.cancelled);
  }
}
