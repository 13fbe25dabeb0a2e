// `vmmasm doc NAME` and `vmmasm doc --list KIND`, and the REPL's `.doc`: one function for both.
import type { ChalkInstance } from "chalk";
import { suggest } from "../front/suggest.js";
import { DOC_KINDS, docNames, findDoc, kindByPlural } from "./entries.js";

export interface DocRequest {
  readonly name?: string;
  readonly list?: string;
}

export interface DocAnswer {
  readonly ok: boolean;
  readonly text: string;
}

export function listKinds(): string {
  return DOC_KINDS.map((k) => k.plural).join(", ");
}

export function doc(request: DocRequest, c: ChalkInstance): DocAnswer {
  if (request.list !== undefined) {
    const kind = kindByPlural(request.list);
    if (!kind) return { ok: false, text: `there is no list called \`${request.list}\`; the lists are ${listKinds()}` };
    const items = kind.all();
    if (items.length === 0) return { ok: true, text: c.dim(`no ${kind.plural} are registered`) };
    const width = Math.min(34, Math.max(...items.map((x) => kind.name(x).length)) + 2);
    return { ok: true, text: items.map((x) => `${kind.name(x).padEnd(width)}${c.dim(kind.summary(x))}`.trimEnd()).join("\n") };
  }
  const name = request.name?.trim() ?? "";
  if (name === "") return { ok: false, text: `name a service, message, PEF flag, boost, device, structure field, instruction, diagnostic or lint rule, or list one kind with --list (${listKinds()})` };
  const hits = findDoc(name);
  if (hits.length === 0) {
    const hint = suggest(name, docNames());
    return { ok: false, text: `no reference entry is named \`${name}\`${hint ? `; did you mean \`${hint}\`?` : ""}` };
  }
  return { ok: true, text: hits.map((h) => h.kind.render(h.item, c).join("\n")).join("\n\n") };
}

export { docNames } from "./entries.js";
