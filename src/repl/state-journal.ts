// Undo for the VMM's own (JavaScript) state: its VMs, devices, events, timers, heap pointer,
// timeline, output … Before a line runs, every object reachable from the Vmm is visited and its
// fields noted (shallowly); after the line only the objects whose fields changed are kept, with
// their old fields. Restoring puts those fields back into the same objects, so every reference
// the runtime holds stays valid. It reads the runtime generically, so state the runtime adds later
// is covered without changes here (except JavaScript #private fields, which cannot be seen).

type Saved =
  | { readonly kind: "object"; readonly node: Record<string, unknown>; readonly entries: [string, unknown][] }
  | { readonly kind: "array"; readonly node: unknown[]; readonly items: unknown[] }
  | { readonly kind: "map"; readonly node: Map<unknown, unknown>; readonly entries: [unknown, unknown][] }
  | { readonly kind: "set"; readonly node: Set<unknown>; readonly items: unknown[] };

/** What a capture must not walk into: the machine, the program, callbacks' owners … */
export type Skip = (value: object, key: string) => boolean;

export class StateCapture {
  private readonly saved: Saved[] = [];

  constructor(root: object, skip: Skip) {
    const seen = new Set<object>();
    const stack: object[] = [root];
    seen.add(root);
    const visit = (v: unknown, key: string): void => {
      if (v === null || typeof v !== "object" || seen.has(v) || skip(v, key) || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return;
      seen.add(v);
      stack.push(v);
    };
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (Array.isArray(node)) {
        const items = node.slice();
        this.saved.push({ kind: "array", node, items });
        items.forEach((x, i) => visit(x, String(i)));
      } else if (node instanceof Map) {
        const entries = [...node.entries()];
        this.saved.push({ kind: "map", node, entries });
        for (const [k, x] of entries) visit(x, String(k));
      } else if (node instanceof Set) {
        const items = [...node.values()];
        this.saved.push({ kind: "set", node, items });
        for (const x of items) visit(x, "");
      } else {
        const rec = node as Record<string, unknown>;
        const entries = Object.keys(rec).map((k): [string, unknown] => [k, rec[k]]);
        this.saved.push({ kind: "object", node: rec, entries });
        for (const [k, x] of entries) visit(x, k);
      }
    }
  }

  /** The objects that changed since the capture, with their old contents: the undo record. */
  changes(): StateChanges {
    return new StateChanges(this.saved.filter((s) => changed(s)));
  }
}

function changed(s: Saved): boolean {
  switch (s.kind) {
    case "array":
      return s.node.length !== s.items.length || s.items.some((x, i) => !Object.is(x, s.node[i]));
    case "map":
      return s.node.size !== s.entries.length || s.entries.some(([k, x]) => !s.node.has(k) || !Object.is(s.node.get(k), x));
    case "set":
      return s.node.size !== s.items.length || s.items.some((x) => !s.node.has(x));
    case "object": {
      const keys = Object.keys(s.node);
      return keys.length !== s.entries.length || s.entries.some(([k, x]) => !Object.is(s.node[k], x));
    }
  }
}

export class StateChanges {
  constructor(private readonly saved: readonly Saved[]) {}

  get size(): number {
    return this.saved.length;
  }

  /** Puts the old contents back. */
  restore(): void {
    for (const s of this.saved) {
      switch (s.kind) {
        case "array":
          s.node.length = s.items.length;
          for (let i = 0; i < s.items.length; i++) s.node[i] = s.items[i];
          break;
        case "map":
          s.node.clear();
          for (const [k, v] of s.entries) s.node.set(k, v);
          break;
        case "set":
          s.node.clear();
          for (const v of s.items) s.node.add(v);
          break;
        case "object": {
          const keep = new Set(s.entries.map(([k]) => k));
          for (const k of Object.keys(s.node)) if (!keep.has(k)) delete s.node[k];
          for (const [k, v] of s.entries) s.node[k] = v;
          break;
        }
      }
    }
  }
}
