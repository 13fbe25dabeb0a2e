// What happens during a run, said without writing TypeScript: a small text file (--scenario) or
// the same lines on the command line (--at "100 irq 5"). One line, one thing:
//
//   vms 2                     VMs the shell creates right after boot
//   run 500                   how long the simulated clock runs, in ms
//   at 100 irq 5              VPICD sees IRQ 5 (the device that virtualised it is interrupted)
//   at 150 create vm          the shell creates a VM
//   at 200 focus vm 2 [device VDD]   Set_Device_Focus (device ID 0, every device, by default)
//   at 250 exit vm 2          the VM ends normally: VM_Terminate, VM_Not_Executeable, Destroy_VM
//   at 300 close vm 3 [force] the user closes a running VM: Query_Destroy (a device may object), …
//   at 350 crash vm 3         the VM crashes: VM_Not_Executeable (VNE_Crashed), Destroy_VM
//   at 400 suspend vm 2 | resume vm 2
//   at 450 cli vm 2 | sti vm 2     the VM disables/enables its interrupts (client IF)
//   at 500 send Begin_Message_Mode vm 2 [esi=1 edi=0 edx=0]   any message, as the VMM sends it
//
// `#` and `;` start comments. Times are milliseconds of simulated time.
import type { SourceSpan } from "../ir/types.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { messageByName } from "../vmm/tables/messages.js";
import { deviceByName } from "../vmm/tables/devices.js";

export type ScenarioAction =
  | { readonly kind: "create-vm" }
  | { readonly kind: "exit-vm"; readonly vm: number }
  | { readonly kind: "close-vm"; readonly vm: number; readonly force: boolean }
  | { readonly kind: "crash-vm"; readonly vm: number }
  | { readonly kind: "focus"; readonly vm: number; readonly deviceId: number }
  | { readonly kind: "suspend-vm"; readonly vm: number }
  | { readonly kind: "resume-vm"; readonly vm: number }
  | { readonly kind: "set-if"; readonly vm: number; readonly enabled: boolean }
  | { readonly kind: "irq"; readonly irq: number }
  | { readonly kind: "send"; readonly message: number; readonly vm: number | null; readonly esi: number; readonly edi: number; readonly edx: number };

export interface TimedAction {
  readonly at: number;
  readonly action: ScenarioAction;
  readonly text: string;
  readonly span: SourceSpan;
}

export interface Scenario {
  vms: number | null;
  until: number | null;
  readonly actions: TimedAction[];
}

export function emptyScenario(): Scenario {
  return { vms: null, until: null, actions: [] };
}

function num(word: string | undefined): number | null {
  if (word === undefined) return null;
  if (/^\d+$/.test(word)) return Number(word);
  if (/^0x[0-9a-f]+$/i.test(word)) return Number.parseInt(word.slice(2), 16);
  if (/^[0-9][0-9a-f]*h$/i.test(word)) return Number.parseInt(word.slice(0, -1), 16);
  return null;
}

/** Parses scenario lines into `into`; returns diagnostics (code E0801 usage) for lines it cannot read. */
export function parseScenario(text: string, file: string, into: Scenario = emptyScenario()): { scenario: Scenario; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, "").trim();
    if (!line) return;
    const span: SourceSpan = { file, line: i + 1, column: 1, endLine: i + 1, endColumn: raw.length + 1 };
    const problem = parseLine(line, span, into);
    if (problem) diagnostics.push(diag("usage", span, `scenario: ${problem}`, { help: "see `vmmasm run --help` and the README's scenario section for the forms" }));
  });
  into.actions.sort((a, b) => a.at - b.at);
  return { scenario: into, diagnostics };
}

function parseLine(line: string, span: SourceSpan, into: Scenario): string | null {
  const w = line.split(/\s+/);
  const head = w[0]!.toLowerCase();
  if (head === "vms" || head === "run") {
    const n = num(w[1]);
    if (n === null || w.length !== 2) return `\`${head}\` takes one number`;
    if (head === "vms") into.vms = n;
    else into.until = n;
    return null;
  }
  if (head !== "at") return `\`${w[0]}\` is not a scenario line (vms, run or at)`;
  const at = num(w[1]);
  if (at === null) return "`at` takes a time in ms first";
  const action = parseAction(w.slice(2));
  if (typeof action === "string") return action;
  into.actions.push({ at, action, text: line, span });
  return null;
}

function vmArg(words: string[], i: number): number | string {
  if (words[i]?.toLowerCase() !== "vm") return `expected \`vm N\` after \`${words[i - 1]}\``;
  const n = num(words[i + 1]);
  return n === null ? "`vm` takes a VM number (1 is the System VM)" : n;
}

function parseAction(w: string[]): ScenarioAction | string {
  const verb = (w[0] ?? "").toLowerCase();
  switch (verb) {
    case "create":
      return w[1]?.toLowerCase() === "vm" && w.length === 2 ? { kind: "create-vm" } : "`create` takes `vm`";
    case "exit":
    case "crash":
    case "suspend":
    case "resume":
    case "cli":
    case "sti": {
      const vm = vmArg(w, 1);
      if (typeof vm === "string") return vm;
      if (verb === "cli" || verb === "sti") return { kind: "set-if", vm, enabled: verb === "sti" };
      return { kind: `${verb}-vm` as "exit-vm" | "crash-vm" | "suspend-vm" | "resume-vm", vm };
    }
    case "close": {
      const vm = vmArg(w, 1);
      if (typeof vm === "string") return vm;
      return { kind: "close-vm", vm, force: w[3]?.toLowerCase() === "force" };
    }
    case "focus": {
      const vm = vmArg(w, 1);
      if (typeof vm === "string") return vm;
      if (w[3] === undefined) return { kind: "focus", vm, deviceId: 0 };
      if (w[3].toLowerCase() !== "device" || !w[4]) return "`focus vm N` may be followed by `device NAME`";
      const dev = deviceByName(w[4]);
      const id = dev?.id ?? num(w[4]);
      return id === null || id === undefined ? `\`${w[4]}\` is not a standard device name or ID` : { kind: "focus", vm, deviceId: id };
    }
    case "irq": {
      const n = num(w[1]);
      return n === null || n > 15 ? "`irq` takes an IRQ number 0-15" : { kind: "irq", irq: n };
    }
    case "send": {
      const m = w[1] ? messageByName(w[1]) : undefined;
      const value = m?.value ?? num(w[1]);
      if (value === null || value === undefined) return `\`${w[1] ?? ""}\` is not a System_Control message`;
      let vm: number | null = null;
      const regs = { esi: 0, edi: 0, edx: 0 };
      for (let i = 2; i < w.length; i++) {
        if (w[i]!.toLowerCase() === "vm") {
          const n = num(w[++i]);
          if (n === null) return "`vm` takes a VM number";
          vm = n;
          continue;
        }
        const kv = /^(esi|edi|edx)=(.+)$/i.exec(w[i]!);
        const v = kv ? num(kv[2]) : null;
        if (!kv || v === null) return `\`${w[i]}\`: expected vm N, esi=…, edi=… or edx=…`;
        regs[kv[1]!.toLowerCase() as "esi" | "edi" | "edx"] = v;
      }
      return { kind: "send", message: value, vm, ...regs };
    }
    default:
      return `\`${w[0] ?? ""}\` is not something a scenario can do (create, exit, close, crash, focus, suspend, resume, cli, sti, irq, send)`;
  }
}
