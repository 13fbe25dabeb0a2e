// The second pass: instruction items → IR instructions with resolved operands; data values written
// into the image; DDBs filled in. Every label is known by now.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { Evaluator, FrontError, isStackOverflow, tooDeep } from "../front/evaluate.js";
import type { Unit } from "../front/program.js";
import type { Assembler } from "../front/assembler.js";
import { Layout, Op, type DeviceDecl, type Instr, type IrProgram, type ProcInfo, type SourceSpan, type SymbolInfo } from "./types.js";
import { lowerDevice } from "./lower-device.js";
import { InstrLowerer, instr } from "./lower-instr.js";

export interface LowerResult {
  readonly program: IrProgram;
  readonly diagnostics: Diagnostic[];
}

export function lowerProgram(asm: Assembler): LowerResult {
  const diagnostics: Diagnostic[] = [];
  const evaluators = new Evaluators(asm);
  writeData(asm, evaluators, diagnostics);
  const devices = lowerDevices(asm, evaluators, diagnostics);
  const { instrs, spans } = lowerInstrs(asm, evaluators, diagnostics);
  // The symbol view is made when first asked for: lint rarely needs it, and it is thousands of objects.
  let symbols: Map<string, SymbolInfo> | null = null;
  const program: IrProgram = {
    instrs,
    spans,
    codeBase: Layout.CODE_BASE,
    data: { base: asm.data.base, bytes: asm.data.bytes().slice() },
    get symbols(): Map<string, SymbolInfo> {
      return (symbols ??= collectSymbols(asm));
    },
    procs: asm.procs.map((p): ProcInfo => ({ name: p.name, start: p.start, end: p.end < 0 ? instrs.length : p.end, options: p.options, segment: p.segment, span: p.span })),
    devices,
    entry: asm.entries[0]?.index ?? -1,
    entries: asm.entries,
    sources: asm.sources,
  };
  return { program, diagnostics };
}

function writeData(asm: Assembler, evaluators: Evaluators, diagnostics: Diagnostic[]): void {
  for (const item of asm.dataItems) {
    try {
      asm.data.write(item.address, item.elementSize, item.operands, item.struc, evaluators.at(item.unit, item.anonBefore), asm, item.span);
    } catch (e) {
      diagnostics.push(diagnosticOf(e, item.span));
    }
  }
}

function lowerDevices(asm: Assembler, evaluators: Evaluators, diagnostics: Diagnostic[]): DeviceDecl[] {
  const devices: DeviceDecl[] = [];
  for (const d of asm.devices) {
    try {
      devices.push(lowerDevice(asm, d, evaluators.at(d.unit, d.unit.anonymous.length)));
    } catch (e) {
      diagnostics.push(diagnosticOf(e, d.span));
    }
  }
  return devices;
}

function lowerInstrs(asm: Assembler, evaluators: Evaluators, diagnostics: Diagnostic[]): { instrs: Instr[]; spans: SourceSpan[] } {
  const lowerer = new InstrLowerer();
  const items = asm.instrs;
  // Made at their final length, rather than grown 64k pushes at a time.
  const instrs = new Array<Instr>(items.length);
  const spans = new Array<SourceSpan>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    try {
      instrs[i] = lowerer.lower(item, evaluators.at(item.unit, item.anonBefore));
    } catch (e) {
      const d = diagnosticOf(e, item.span);
      // An instruction from a macro expansion: say which, as the front end's diagnostics do.
      diagnostics.push(item.origin.length > 0 ? { ...d, notes: [...(d.notes ?? []), ...item.origin] } : d);
      instrs[i] = trap(item.mnemonic, "this instruction did not assemble");
    }
    spans[i] = item.span;
  }
  return { instrs, spans };
}

/** The diagnostic an item's failure reports; anything but an assembly error goes on up. */
function diagnosticOf(e: unknown, span: SourceSpan): Diagnostic {
  if (e instanceof FrontError) return e.diagnostic;
  if (isStackOverflow(e)) return tooDeep(span);
  throw e;
}

function collectSymbols(asm: Assembler): Map<string, SymbolInfo> {
  const out = new Map<string, SymbolInfo>();
  for (const unit of asm.units) {
    for (const s of unit.symbols.values()) {
      if (!(s.kind === "code" || s.kind === "data" || (s.kind === "equate" && s.span))) continue;
      const key = s.name.toUpperCase();
      if (out.has(key)) continue;
      if (s.kind === "code") out.set(key, { name: s.name, kind: "code", value: Layout.CODE_BASE + s.index, size: 0, span: s.span });
      else if (s.kind === "data") out.set(key, { name: s.name, kind: "data", value: s.address, size: s.size, span: s.span });
      else out.set(key, { name: s.name, kind: "equate", value: s.value, size: 0, span: s.span });
    }
  }
  return out;
}

/** Evaluators for places in the program. Items that follow one another mostly share a file and
 *  the `@@:` labels before them, and so one evaluator. */
class Evaluators {
  private unit: Unit | null = null;
  private anonBefore = -1;
  private current: Evaluator | null = null;

  constructor(private readonly asm: Assembler) {}

  at(unit: Unit, anonBefore: number): Evaluator {
    if (unit !== this.unit || anonBefore !== this.anonBefore || !this.current) {
      this.unit = unit;
      this.anonBefore = anonBefore;
      this.current = new Evaluator(this.asm.evalContext(unit, anonBefore));
    }
    return this.current;
  }
}

function trap(mnemonic: string, why: string): Instr {
  return instr(Op.TRAP, 4, mnemonic, null, null, null, -1, 0, why);
}
