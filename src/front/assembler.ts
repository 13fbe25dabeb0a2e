// The first pass: source lines → instruction and data items, symbols, procedures, devices.
// Includes, conditional assembly, equates, macros, STRUC and segments are handled here, in
// source order, so that every later stage sees one flat program.
import type { IToken } from "chevrotain";
import { lineParser, nestsTooDeep } from "../../grammar/parser.js";
import { Colon, DoubleColon, Identifier, KwEqu, KwMacro, KwTextequ } from "../../grammar/tokens.js";
import { Layout, Op, type SourceSpan } from "../ir/types.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { ParsedLine, Statement } from "./ast.js";
import { BadExpr, BinaryExpr, DupExpr, FieldExpr, IndexExpr, NameExpr, NumExpr, PtrExpr, SegExpr, StrExpr, TextExpr, UnaryExpr, type Expr } from "./expr.js";
import { AstBuilder } from "./cst-to-ast.js";
import { parseExpressionTokens, parseLine } from "./parse-line.js";
import { ConditionalStack } from "./conditionals.js";
import { DataLayout } from "./data.js";
import { Evaluator, FrontError, fail, isStackOverflow, tooDeep, type EvalContext, type Value } from "./evaluate.js";
import { resolveInclude, type FileSystem, nodeFileSystem } from "./files.js";
import { splitLines, streamLines, type SourceLine, type SplitResult } from "./lines.js";
import { parseMacroParams, splitArguments, stripAngles, substitute, takeLocals, type MacroDef } from "./macros.js";
import type { CommentToken, DataItem, DeviceRecord, DispatchRecord, FrontResult, InstrItem, ProcRecord, Synthetic, Unit } from "./program.js";
import { SymbolTable, type StrucInfo, type StrucField, type Sym } from "./symbols.js";
import { handleDirective } from "./directives.js";
import { handleVxdMacro } from "./vxd-macros.js";
import { isMnemonic } from "../ir/mnemonics.js";
import { defineDeviceInc, defineVmmInc } from "./vmm-inc-symbols.js";
import { suggest } from "./suggest.js";
import { headWord, type HeadWord } from "./head-words.js";
import { parseMasmNumber } from "./numbers.js";

export interface AssembleOptions {
  readonly includeDirs?: readonly string[];
  /** -D NAME=value: numeric values become equates, others text equates; "" defines NAME as 1... */
  readonly defines?: Readonly<Record<string, string>>;
  readonly fs?: FileSystem;
  /** Bound on nested macro expansion and include depth. */
  readonly maxDepth?: number;
}

export interface Origin {
  readonly span: SourceSpan;
  readonly chain: readonly string[];
}

interface OpenStruc {
  readonly name: string;
  readonly span: SourceSpan;
  offset: number;
  readonly fields: StrucField[];
}

interface OpenSegment {
  readonly name: string;
  readonly span: SourceSpan;
  /** Its class ("LOCKED", "PAGEABLE" …), worked out when it opens: every instruction asks. */
  readonly cls: string;
}

export class Assembler {
  readonly instrs: InstrItem[] = [];
  readonly dataItems: DataItem[] = [];
  readonly procs: ProcRecord[] = [];
  readonly devices: DeviceRecord[] = [];
  readonly dispatches: DispatchRecord[] = [];
  readonly comments = new Map<string, CommentToken[]>();
  readonly diagnostics: Diagnostic[] = [];
  readonly sources = new Map<string, string>();
  readonly units: Unit[] = [];
  readonly entries: { file: string; index: number }[] = [];
  readonly data = new DataLayout(Layout.DATA_BASE);
  readonly publics = new Map<string, { unit: Unit; name: string; span: SourceSpan }>();
  readonly fs: FileSystem;
  readonly maxDepth: number;

  // Per-file state (reset by assembleFile).
  unit!: Unit;
  private conditionals = new ConditionalStack();
  private includeChain: string[] = [];
  procStack: ProcRecord[] = [];
  segments: OpenSegment[] = [];
  struc: OpenStruc | null = null;
  private pendingLabels: { name: string; span: SourceSpan }[] = [];
  private pendingAnonymous = 0;
  private topRunOpen = false;
  private topRunSkips: Synthetic[] = [];
  private ended = false;
  private depth = 0;
  private localCounter = 0;
  /** Set while a line from a macro expansion is being assembled. */
  origin: Origin | null = null;
  /** The open Begin_Control_Dispatch block, if any. */
  controlDispatch: { name: string; entries: { message: number; handler: string; span: SourceSpan; conditional: boolean }[]; span: SourceSpan } | null = null;

  /** The line being assembled sits inside an IF-family block. */
  get insideConditional(): boolean {
    return this.conditionals.nested;
  }

  constructor(private readonly options: AssembleOptions = {}) {
    this.fs = options.fs ?? nodeFileSystem;
    this.maxDepth = options.maxDepth ?? 64;
  }

  assemble(files: readonly { name: string; text: string }[]): FrontResult {
    for (const f of files) this.assembleFile(f.name, f.text);
    this.linkExterns();
    return {
      units: this.units,
      instrs: this.instrs,
      data: this.dataItems,
      dataSize: this.data.size,
      procs: this.procs,
      devices: this.devices,
      entries: this.entries,
      diagnostics: this.diagnostics,
      sources: this.sources,
      dispatches: this.dispatches,
      comments: this.comments,
    };
  }

  private assembleFile(name: string, text: string): void {
    this.unit = { file: name, symbols: new SymbolTable(), anonymous: [], includesVmm: false, unreadIncludes: [] };
    this.units.push(this.unit);
    this.conditionals = new ConditionalStack();
    this.includeChain = [name];
    this.procStack = [];
    this.segments = [];
    this.struc = null;
    this.pendingLabels = [];
    this.pendingAnonymous = 0;
    this.topRunOpen = false;
    this.topRunSkips = [];
    this.ended = false;
    this.origin = null;
    this.controlDispatch = null;
    for (const [k, v] of Object.entries(this.options.defines ?? {})) this.defineFromCommandLine(k, v);
    this.assembleText(name, text);
    const lastLine = lineCount(text);
    const endSpan: SourceSpan = { file: name, line: lastLine, column: 1, endLine: lastLine, endColumn: 1 };
    for (const open of this.conditionals.unclosed()) this.report(diag("unbalanced-block", open, "this IF has no ENDIF", { help: "add ENDIF where the conditional block ends" }));
    for (const p of this.procStack) this.report(diag("unbalanced-block", p.span, `procedure \`${p.name}\` is never closed`, { help: `add \`${p.options.length ? "EndProc" : p.name + " ENDP"}\`` }));
    const openStruc = this.struc as OpenStruc | null;
    if (openStruc) this.report(diag("unbalanced-block", openStruc.span, `STRUC \`${openStruc.name}\` has no ENDS`));
    const openDispatch = this.controlDispatch as { span: SourceSpan } | null;
    if (openDispatch) this.report(diag("unbalanced-block", openDispatch.span, "Begin_Control_Dispatch has no End_Control_Dispatch"));
    this.procStack = [];
    this.flushLabelsAsCode();
    this.closeTopRun(endSpan);
  }

  private defineFromCommandLine(name: string, value: string): void {
    const span = null;
    const num = value === "" ? 1 : /^-\d+$/.test(value) ? Number(value) : parseMasmNumber(value);
    if (num !== null) this.unit.symbols.set({ kind: "equate", name, value: num >>> 0, redefinable: true, span });
    else this.unit.symbols.set({ kind: "text", name, text: value, span });
  }

  // ---------------------------------------------------------------- text and lines

  /** Assembles source text of `file` (a file, or a macro expansion when `origin` is set). */
  assembleText(file: string, text: string): void {
    if (!this.sources.has(file)) this.sources.set(file, text);
    // Line by line as the scanner reads them (see lines.ts): each line's tokens die young.
    const stream = streamLines(text, file);
    if (!this.comments.has(file)) this.comments.set(file, stream.comments);
    let reported = 0;
    const report = (): void => {
      for (; reported < stream.diagnostics.length; reported++) this.report(this.originate(stream.diagnostics[reported]!));
    };
    for (let line = stream.next(); line && !this.ended; line = stream.next()) {
      report();
      this.assembleLine(file, line);
    }
    stream.drain();
    report();
  }

  /** Text all expansions of this assembly have produced (bounded by EXPANSION_CHARS and _LINES). */
  private expandedChars = 0;
  private expandedLines = 0;
  /** Set when an expansion hit a bound: every enclosing expansion stops too (cleared at the top). */
  private expansionAborted = false;
  /** Where the last bound was reported, so that a REPT of a runaway macro reports it once. */
  private lastBoundReport = "";
  /** Expansion texts already split into lines, by file and text: built-in macros (Assert_VM_Handle,
   *  Push_Client_State …) and macros invoked with the same arguments expand to the same text again
   *  and again, and lines are never changed once split. */
  private readonly splitCache = new Map<string, SplitResult>();

  private splitExpansion(text: string, file: string): SplitResult {
    if (text.length > SPLIT_CACHE_TEXT) return splitLines(text, file);
    const key = `${file}\0${text}`;
    let split = this.splitCache.get(key);
    if (split === undefined) {
      split = splitLines(text, file);
      if (this.splitCache.size < SPLIT_CACHE_ENTRIES) this.splitCache.set(key, split);
    }
    return split;
  }

  /** Assembles text produced by a macro or built-in expansion, as if written at `span`. */
  expand(text: string, span: SourceSpan, what: string): void {
    if (this.expansionAborted) return;
    if (this.depth >= this.maxDepth) {
      this.expansionBound(span, `expansion of \`${what}\` nests more than ${this.maxDepth} levels deep`, "a macro probably invokes itself without end");
      return;
    }
    this.expandedChars += text.length;
    const split = this.expandedChars <= EXPANSION_CHARS ? this.splitExpansion(text, span.file) : null;
    this.expandedLines += split ? split.lines.length : 0;
    if (!split || this.expandedLines > EXPANSION_LINES) {
      const message = `macro, repeat and text-equate expansions have produced more than ${split ? `${EXPANSION_LINES} lines` : `${EXPANSION_CHARS} characters`}, so \`${what}\` is not expanded`;
      this.expansionBound(span, message, "a macro probably invokes itself more than once, a text equate contains itself, or REPT blocks with large counts nest");
      return;
    }
    const saved = this.origin;
    const chain = [`in the expansion of \`${what}\``, ...(saved?.chain ?? [])];
    this.origin = { span: saved?.span ?? span, chain };
    this.depth++;
    try {
      for (const d of split.diagnostics) this.report(this.originate(d));
      for (const line of split.lines) {
        if (this.ended || this.expansionAborted) break;
        this.assembleLine(span.file, line);
      }
    } finally {
      this.depth--;
      this.origin = saved;
      if (this.depth === 0) this.expansionAborted = false;
    }
  }

  /** An expansion bound was reached: one diagnostic, and the expansions around this one stop. */
  private expansionBound(span: SourceSpan, message: string, help: string): void {
    if (this.depth > 0) this.expansionAborted = true;
    const where = this.spanOf(span);
    const key = `${where.file}:${where.line}:${where.column}:${message}`;
    if (key === this.lastBoundReport) return;
    this.lastBoundReport = key;
    this.report(diag("macro-error", span, message, { help }));
  }

  /** "Did you mean" hints left: each compares the name with every known one (vmm.inc alone has
   *  some 1,300), so a file of thousands of unknown names gets hints for the first few hundred. */
  private hintsLeft = 300;

  hint(name: string, candidates: Iterable<string>): string | undefined {
    if (this.hintsLeft <= 0) return undefined;
    this.hintsLeft--;
    return suggest(name, candidates);
  }

  /** Where a diagnostic or item should point: the macro invocation when expanding. */
  spanOf(span: SourceSpan): SourceSpan {
    return this.origin ? this.origin.span : span;
  }

  /** Operands kept for lowering: when expanding, their spans are moved to the invocation (the
   *  expansion's own line and column numbers mean nothing in the file). */
  located(operands: readonly (Expr | null)[]): readonly (Expr | null)[] {
    const origin = this.origin;
    return origin ? operands.map((o) => o && relocate(o, origin.span)) : operands;
  }

  originate(d: Diagnostic): Diagnostic {
    if (!this.origin) return d;
    return { ...d, span: this.origin.span, notes: [...(d.notes ?? []), ...this.origin.chain] };
  }

  report(d: Diagnostic): void {
    this.diagnostics.push(this.originate(d));
  }

  lineSpan(file: string, line: SourceLine, from: IToken, to: IToken = line.tokens[line.tokens.length - 1]!): SourceSpan {
    return {
      file,
      line: from.startLine ?? line.line,
      column: from.startColumn ?? 1,
      endLine: to.endLine ?? line.line,
      endColumn: (to.endColumn ?? 1) + 1,
    };
  }

  private assembleLine(file: string, line: SourceLine): void {
    const toks = line.tokens;
    const labelled = toks.length >= 2 && toks[0]!.tokenType === Identifier && (toks[1]!.tokenType === Colon || toks[1]!.tokenType === DoubleColon);
    const headTok = labelled ? toks[2] : toks[0];
    const word = headTok ? headWord(headTok.image) : null;
    const head = word ? word.upper : "";

    // Conditional assembly is decided before anything else on the line.
    if (!labelled && word?.conditional) {
      try {
        this.conditionals.handle(head, this.restAfter(line, toks[0]!), this.lineSpan(file, line, toks[0]!), (e) => this.conditionValue(e, file, line), (n) => this.isDefined(n));
      } catch (e) {
        if (e instanceof FrontError) this.report(e.diagnostic);
        else if (isStackOverflow(e)) this.report(tooDeep(this.lineSpan(file, line, toks[0]!)));
        else throw e;
      }
      return;
    }
    if (!this.conditionals.active) return;

    try {
      // Text equates are substituted before the line is read.
      if (this.hasTextEquate(toks)) {
        const substituted = this.substituteTextEquates(line);
        if (substituted !== null) {
          // A text equate that contains itself more than once doubles the line at each level.
          if (substituted.length > MAX_SUBSTITUTED_LINE) fail(diag("macro-error", this.lineSpan(file, line, toks[0]!), `text equates make this line longer than ${MAX_SUBSTITUTED_LINE} characters`, { help: "a text equate probably contains itself" }));
          this.expand(substituted, this.lineSpan(file, line, toks[0]!), "a text equate");
          return;
        }
      }
      const second = toks[1];
      if (!labelled && second && toks[0]!.tokenType === Identifier) {
        if (second.tokenType === KwEqu) return this.defineEquate(line, file);
        if (second.tokenType === KwTextequ) return this.defineText(toks[0]!, stripAngles(this.restAfter(line, second)), this.lineSpan(file, line, toks[0]!));
        if (second.tokenType === KwMacro || (second.image.length === 5 && second.image.toUpperCase() === "MACRO")) return this.defineMacro(toks[0]!, this.restAfter(line, second), line, file);
      }
      if (headTok && handleDirective(this, head, word!.directive, headTok, line, file, labelled)) return;
      this.assembleParsed(file, line, word);
    } catch (e) {
      if (e instanceof FrontError) this.report(e.diagnostic.span ? e.diagnostic : { ...e.diagnostic, span: this.lineSpan(file, line, toks[0]!) });
      else if (isStackOverflow(e)) this.report(tooDeep(this.lineSpan(file, line, toks[0]!)));
      else throw e;
    }
  }

  /** The raw text after a token, without a trailing comment. */
  restAfter(line: SourceLine, t: IToken): string {
    const col = (t.endColumn ?? 0) ;
    return stripComment(line.text.slice(col)).trim();
  }

  /** `word`: what the statement's first word is (after a label), as assembleLine found it. */
  private assembleParsed(file: string, line: SourceLine, word: HeadWord | null): void {
    if (nestsTooDeep(line.tokens)) fail(tooDeep(this.lineSpan(file, line, line.tokens[0]!)));
    const fast = parseLine(line.tokens, file);
    if (fast) {
      if (fast.label) this.defineLabel(fast.label.name, fast.label.span);
      if (fast.statement) this.statement(fast.statement, line, file, word);
      return;
    }
    // The fast parser does not take the line: the grammar's own parser reports why.
    const parser = lineParser();
    parser.input = line.tokens;
    const cst = parser.line();
    if (parser.errors.length > 0) {
      const err = parser.errors[0]!;
      const t = err.token.tokenType.name === "EOF" ? line.tokens[line.tokens.length - 1]! : err.token;
      const found = err.token.tokenType.name === "EOF" ? "end of line" : `\`${t.image}\``;
      this.report(diag("syntax-error", this.lineSpan(file, line, t, t), `unexpected ${found}`, { help: "a statement is: [label:] mnemonic, directive or macro, then operands separated by commas" }));
      return;
    }
    const builder = new AstBuilder(file);
    const parsed: ParsedLine = builder.line(cst);
    for (const d of builder.errors) this.report(d);
    if (builder.errors.length > 0) return;
    if (parsed.label) this.defineLabel(parsed.label.name, parsed.label.span);
    if (parsed.statement) this.statement(parsed.statement, line, file, word);
  }

  // ---------------------------------------------------------------- statements

  private statement(s: Statement, line: SourceLine, file: string, word: HeadWord | null): void {
    if (this.struc && s.kind === "named" && s.directive === "ENDS") return this.ends(s.name, s.nameSpan);
    if (this.struc && s.kind !== "command") return this.strucField(s);
    if (this.struc && s.kind === "command") {
      const h = s.head.toUpperCase();
      if (isDataWord(h) || this.unit.symbols.get(s.head)?.kind === "struc") return this.strucField(s);
    }
    switch (s.kind) {
      case "named":
        return this.named(s);
      case "strucInstance": {
        const type = this.unit.symbols.get(s.type);
        if (type?.kind !== "struc") fail(diag("unknown-instruction", s.typeSpan, `\`${s.type}\` is not a STRUC type`));
        return this.defineData(s.name, s.nameSpan, 0, s.operands, s.span, type.info);
      }
      case "command":
        return this.command(s, line, file, word ?? headWord(s.head));
    }
  }

  private named(s: Extract<Statement, { kind: "named" }>): void {
    switch (s.directive) {
      case "=": {
        const value = this.evaluator().constant(s.operands[0]!);
        const existing = this.unit.symbols.get(s.name);
        if (existing && !(existing.kind === "equate" && existing.redefinable)) this.duplicate(s.name, s.nameSpan, existing);
        this.unit.symbols.set({ kind: "equate", name: s.name, value: value >>> 0, redefinable: true, span: s.nameSpan });
        return;
      }
      case "PROC":
        return this.beginProc(s.name, s.nameSpan, [], "");
      case "ENDP":
        return this.endProc(s.name, s.nameSpan);
      case "STRUC":
        if (this.struc) fail(diag("unbalanced-block", s.nameSpan, "STRUC inside STRUC is not supported"));
        this.struc = { name: s.name, span: s.nameSpan, offset: 0, fields: [] };
        return;
      case "ENDS":
        return this.ends(s.name, s.nameSpan);
      case "LABEL": {
        const type = s.operands[0]!;
        if (type.k === "name" && /^(NEAR|FAR|NEAR32|PROC)$/i.test(type.name)) {
          this.flushLabelsAsCode();
          this.setSymbol({ kind: "code", name: s.name, index: this.instrs.length, span: s.nameSpan });
          return;
        }
        const size = this.evaluator().typeSize(type);
        this.flushLabelsAsData();
        this.setSymbol({ kind: "data", name: s.name, address: this.data.here(), size, count: 1, struc: null, span: s.nameSpan });
        return;
      }
      case "SEGMENT":
        this.pushSegment(s.name, s.nameSpan);
        return;
      default:
        if (isDataWord(s.directive)) return this.defineData(s.name, s.nameSpan, dataWordSize(s.directive), s.operands, s.span, null);
        fail(diag("syntax-error", s.span, `unexpected \`${s.directive}\``));
    }
  }

  private command(s: Extract<Statement, { kind: "command" }>, line: SourceLine, file: string, word: HeadWord): void {
    const head = word.upper;
    const sym = this.unit.symbols.getUpper(head);
    if (sym?.kind === "macro") return this.invokeMacro(sym.def, line, s);
    // The common case first: an instruction (a mnemonic no macro or structure hides).
    if (!sym && word.mnemonic !== null && !word.vxdMacro) {
      this.emitInstr(word.mnemonic, s.operands, s.span, "");
      return;
    }
    if (word.vxdMacro) return handleVxdMacro(this, head, s, line, file);
    if (isDataWord(head)) return this.defineData(null, s.headSpan, dataWordSize(head), s.operands, s.span, null);
    if (sym?.kind === "struc") return this.defineData(null, s.headSpan, 0, s.operands, s.span, sym.info);
    if (head === "REP" || head === "REPE" || head === "REPZ" || head === "REPNE" || head === "REPNZ" || head === "LOCK") {
      const inner = s.operands[0];
      if (!inner || inner.k !== "name" || !isMnemonic(inner.name)) fail(diag("bad-operand", s.span, `${s.head} must be followed by a string instruction`));
      const prefix = head === "REPZ" ? "repe" : head === "REPNZ" ? "repne" : head === "LOCK" ? "" : head.toLowerCase();
      this.emitInstr(inner.name.toLowerCase(), s.operands.slice(1), s.span, prefix);
      return;
    }
    if (isMnemonic(head)) {
      this.emitInstr(s.head.toLowerCase(), s.operands, s.span, "");
      return;
    }
    const hint = this.hint(s.head, this.unit.symbols.names());
    fail(
      diag("unknown-instruction", s.headSpan, `\`${s.head}\` is not an instruction, directive or macro vmmasm knows`, {
        ...(hint ? { help: `did you mean \`${hint}\`?` } : { help: "define it as a MACRO, or check the spelling" }),
      }),
    );
  }

  // ---------------------------------------------------------------- emitting

  emitInstr(mnemonic: string, operands: readonly (Expr | null)[], span: SourceSpan, prefix: string, synthetic: Synthetic | null = null): number {
    if (this.struc) fail(diag("syntax-error", span, "instructions are not allowed inside a STRUC"));
    this.flushLabelsAsCode();
    const proc = this.procStack.length ? this.procStack[this.procStack.length - 1] : undefined;
    if (!proc) this.openTopRun();
    const index = this.instrs.length;
    this.instrs.push({
      mnemonic,
      operands: this.located(operands),
      span: this.spanOf(span),
      unit: this.unit,
      anonBefore: this.unit.anonymous.length,
      prefix,
      synthetic,
      origin: this.origin?.chain ?? NO_ORIGIN,
      proc: proc?.name ?? "",
      segment: this.currentSegmentClass(),
      conditional: this.conditionals.nested,
    });
    return index;
  }

  emitSynthetic(op: Synthetic["op"], extra: number, text: string | null, span: SourceSpan, mnemonic: string): number {
    return this.emitInstr(mnemonic, [], span, "", { op, extra, text, target: -1 });
  }

  private openTopRun(): void {
    if (this.topRunOpen) return;
    this.topRunOpen = true;
    if (!this.entries.some((e) => e.file === this.unit.file)) this.entries.push({ file: this.unit.file, index: this.instrs.length });
    const here = this.instrs.length;
    for (const s of this.topRunSkips) s.target = here;
    this.topRunSkips = [];
  }

  /** A procedure starts inside top-level code: jump over it to the next top-level instruction. */
  private suspendTopRun(span: SourceSpan): void {
    if (!this.topRunOpen) return;
    this.topRunOpen = false;
    const glue: Synthetic = { op: Op.JMP, extra: 0, text: null, target: -1 };
    this.topRunSkips.push(glue);
    this.instrs.push({ mnemonic: "jmp", operands: [], span, unit: this.unit, anonBefore: this.unit.anonymous.length, prefix: "", synthetic: glue, origin: [], proc: "", segment: "", conditional: false });
  }

  private closeTopRun(span: SourceSpan): void {
    if (!this.topRunOpen && this.topRunSkips.length === 0) return;
    const here = this.instrs.length;
    for (const s of this.topRunSkips) s.target = here;
    this.topRunSkips = [];
    this.topRunOpen = false;
    this.instrs.push({ mnemonic: "halt", operands: [], span, unit: this.unit, anonBefore: this.unit.anonymous.length, prefix: "", synthetic: { op: Op.HALT, extra: 0, text: null, target: -1 }, origin: [], proc: "", segment: "", conditional: false });
  }

  // ---------------------------------------------------------------- labels and symbols

  defineLabel(name: string, span: SourceSpan): void {
    if (name === "@@") {
      this.pendingAnonymous++;
      return;
    }
    this.pendingLabels.push({ name, span: this.spanOf(span) });
  }

  private flushLabelsAsCode(): void {
    const index = this.instrs.length;
    for (; this.pendingAnonymous > 0; this.pendingAnonymous--) this.unit.anonymous.push(index);
    if (this.pendingLabels.length === 0) return;
    for (const l of this.pendingLabels) this.setSymbol({ kind: "code", name: l.name, index, span: l.span });
    this.pendingLabels = [];
  }

  private flushLabelsAsData(): void {
    this.pendingAnonymous = 0;
    for (const l of this.pendingLabels) this.setSymbol({ kind: "data", name: l.name, address: this.data.here(), size: 0, count: 1, struc: null, span: l.span });
    this.pendingLabels = [];
  }

  setSymbol(sym: Sym): void {
    const existing = this.unit.symbols.define(sym);
    if (existing) this.duplicate(sym.name, sym.span, existing);
  }

  private duplicate(name: string, span: SourceSpan | null, existing: Sym): void {
    const first = existing.span;
    this.report(
      diag("duplicate-symbol", span, `\`${name}\` is already defined`, {
        ...(first ? { related: [{ span: first, message: "first defined here" }] } : { notes: ["it is defined by vmm.inc or on the command line"] }),
      }),
    );
  }

  isDefined(name: string): boolean {
    return this.unit.symbols.has(name) || this.pendingLabels.some((l) => l.name.toUpperCase() === name.toUpperCase());
  }

  private hasTextEquate(toks: IToken[]): boolean {
    if (this.unit.symbols.textCount === 0) return false;
    for (const t of toks) {
      if (t.tokenType === Identifier || t.tokenType.name.startsWith("Kw")) {
        const s = this.unit.symbols.get(t.image);
        if (s?.kind === "text") return true;
      }
    }
    return false;
  }

  private substituteTextEquates(line: SourceLine): string | null {
    const text = line.text;
    // Pieces left to right (one pass: a line of many equates must not cost their square).
    const pieces: string[] = [];
    let at = 0;
    for (const t of line.tokens) {
      const s = this.unit.symbols.get(t.image);
      if (s?.kind !== "text" || t.startLine !== line.line) continue;
      const start = (t.startColumn ?? 1) - 1;
      pieces.push(text.slice(at, start), s.text);
      at = start + t.image.length;
    }
    if (pieces.length === 0) return null;
    pieces.push(text.slice(at));
    return pieces.join("");
  }

  /** `name EQU value`: a constant when the value is one, else a text equate. */
  private defineEquate(line: SourceLine, file: string): void {
    const toks = line.tokens;
    const nameTok = toks[0]!;
    const span = this.lineSpan(file, line, nameTok);
    const name = nameTok.image;
    const existing = this.unit.symbols.get(name);
    // Most values are read from the line's own tokens; the raw text is cut out only when needed.
    const parsed = toks.length > 2 && toks[2]!.image[0] !== "<" && !nestsTooDeep(toks) ? parseExpressionTokens(toks, 2, file) : null;
    let value: number | null;
    let rest: string | null = null;
    if (parsed) value = this.constantOf(parsed);
    else {
      rest = this.restAfter(line, toks[1]!);
      if (rest.startsWith("<") && rest.endsWith(">")) return this.defineText(nameTok, stripAngles(rest), span);
      value = this.tryConstant(rest, span);
    }
    if (value === null) return this.defineText(nameTok, rest ?? this.restAfter(line, toks[1]!), span);
    if (existing) {
      if (existing.kind === "equate" && (existing.value >>> 0) === (value >>> 0)) return;
      this.duplicate(name, span, existing);
      return;
    }
    this.unit.symbols.set({ kind: "equate", name, value: value >>> 0, redefinable: false, span });
  }

  private defineText(nameTok: IToken, text: string, span: SourceSpan): void {
    this.unit.symbols.set({ kind: "text", name: nameTok.image, text, span });
  }

  /** Evaluates `text` as a constant expression, or null if it is not one (yet). */
  tryConstant(text: string, span: SourceSpan): number | null {
    return this.constantOf(this.parseExpression(text, span));
  }

  /** The value of a parsed expression, or null if it is not constant (yet). */
  private constantOf(e: Expr | null): number | null {
    if (!e) return null;
    try {
      return this.evaluator().constant(e);
    } catch (err) {
      if (err instanceof FrontError) return null;
      throw err;
    }
  }

  /** Parses `text` as one expression (for EQU, IF and friends). */
  parseExpression(text: string, span: SourceSpan): Expr | null {
    if (text.trim() === "") return null;
    const split = splitLines("?? " + text, span.file);
    const line = split.lines[0];
    if (split.diagnostics.length > 0 || !line || split.lines.length !== 1 || nestsTooDeep(line.tokens)) return null;
    let built = parseLine(line.tokens, span.file);
    if (!built) {
      const parser = lineParser();
      parser.input = line.tokens;
      const cst = parser.line();
      if (parser.errors.length > 0) return null;
      built = new AstBuilder(span.file).line(cst);
    }
    const s = built.statement;
    if (!s || s.kind !== "command" || s.operands.length !== 1 || !s.operands[0]) return null;
    return relocate(s.operands[0], span);
  }

  private conditionValue(text: string, file: string, line: SourceLine): number {
    const span: SourceSpan = { file, line: line.line, column: 1, endLine: line.line, endColumn: line.text.length + 1 };
    const e = this.parseExpression(text, span);
    if (!e) fail(diag("bad-expression", this.spanOf(span), `\`${text}\` is not an expression`));
    return this.evaluator().constant(e);
  }

  evaluator(anonBefore = this.unit.anonymous.length + this.pendingAnonymous): Evaluator {
    return new Evaluator(this.evalContext(this.unit, anonBefore));
  }

  evalContext(unit: Unit, anonBefore: number): EvalContext {
    // A class rather than an object of arrow functions: one is made per operand evaluated.
    return new UnitContext(this, unit, anonBefore);
  }

  /** `$` for the evaluator: the current code or data location. */
  here(): number {
    return this.segmentIsCode() ? Layout.CODE_BASE + this.instrs.length : this.data.here();
  }

  // ---------------------------------------------------------------- procedures and segments

  beginProc(name: string, span: SourceSpan, options: string[], segment: string): void {
    if (this.procStack.length === 0) this.suspendTopRun(span);
    this.flushLabelsAsCode();
    const rec: ProcRecord = { name, start: this.instrs.length, end: -1, options, segment: segment || this.currentSegmentClass(), span: this.spanOf(span), file: this.unit.file };
    this.setSymbol({ kind: "code", name, index: this.instrs.length, span: this.spanOf(span) });
    this.procs.push(rec);
    this.procStack.push(rec);
  }

  endProc(name: string | null, span: SourceSpan): void {
    const open = this.procStack.pop();
    if (!open) fail(diag("unbalanced-block", span, name ? `\`${name}\` closes a procedure that is not open` : "EndProc without BeginProc"));
    if (name && name.toUpperCase() !== open.name.toUpperCase()) {
      this.report(diag("unbalanced-block", span, `\`${name}\` does not match the open procedure \`${open.name}\``, { related: [{ span: open.span, message: "opened here" }] }));
    }
    this.flushLabelsAsCode();
    open.end = this.instrs.length;
  }

  private ends(name: string, span: SourceSpan): void {
    if (this.struc) {
      const s = this.struc;
      if (name.toUpperCase() !== s.name.toUpperCase()) this.report(diag("unbalanced-block", span, `\`${name} ENDS\` does not close STRUC \`${s.name}\``));
      this.struc = null;
      const info: StrucInfo = { name: s.name, size: s.offset, fields: s.fields };
      this.setSymbol({ kind: "struc", name: s.name, info, span: s.span });
      return;
    }
    const seg = this.segments.pop();
    if (!seg) fail(diag("unbalanced-block", span, `\`${name} ENDS\` closes nothing that is open`));
  }

  currentSegmentClass(): string {
    const top = this.segments.length ? this.segments[this.segments.length - 1] : undefined;
    return top ? top.cls : "";
  }

  private segmentIsCode(): boolean {
    const top = this.segments.length ? this.segments[this.segments.length - 1] : undefined;
    return !top || !/DATA|_LDATA|_PDATA|_IDATA|_SDATA/.test(top.name);
  }

  openSegment(name: string, span: SourceSpan): void {
    this.pushSegment(name, span);
  }

  private pushSegment(name: string, span: SourceSpan): void {
    const upper = name.toUpperCase();
    this.segments.push({ name: upper, span, cls: segmentClass(upper) });
  }

  closeSegment(name: string, span: SourceSpan): void {
    const top = this.segments.length ? this.segments[this.segments.length - 1] : undefined;
    if (!top || top.name !== name.toUpperCase()) {
      fail(diag("unbalanced-block", span, top ? `this closes \`${name}\` but \`${top.name}\` is open` : `this closes \`${name}\`, which is not open`));
    }
    this.segments.pop();
  }

  // ---------------------------------------------------------------- data and STRUC

  defineData(name: string | null, nameSpan: SourceSpan, elementSize: number, operands: readonly (Expr | null)[], span: SourceSpan, struc: StrucInfo | null): void {
    this.flushLabelsAsData();
    const { address, byteLength, count } = this.data.allocate(elementSize, operands, struc, this.evaluator());
    if (name) this.setSymbol({ kind: "data", name, address, size: struc ? struc.size : elementSize, count, struc, span: this.spanOf(nameSpan) });
    this.dataItems.push({ address, elementSize, operands: this.located(operands), span: this.spanOf(span), unit: this.unit, anonBefore: this.unit.anonymous.length, struc, byteLength });
  }

  /** Reserves raw bytes in the data image (for a DDB); returns the address. */
  reserveData(bytes: number, align = 4): number {
    this.flushLabelsAsData();
    return this.data.reserve(bytes, align);
  }

  private strucField(s: Statement): void {
    const st = this.struc!;
    let name: string | null = null;
    let size = 0;
    let operands: readonly (Expr | null)[] = [];
    let span = s.span;
    if (s.kind === "named" && isDataWord(s.directive)) {
      name = s.name;
      size = dataWordSize(s.directive);
      operands = s.operands;
      span = s.nameSpan;
    } else if (s.kind === "command" && isDataWord(s.head.toUpperCase())) {
      size = dataWordSize(s.head.toUpperCase());
      operands = s.operands;
    } else if (s.kind === "strucInstance") {
      const t = this.unit.symbols.get(s.type);
      if (t?.kind !== "struc") fail(diag("unknown-instruction", s.typeSpan, `\`${s.type}\` is not a STRUC type`));
      name = s.name;
      size = t.info.size;
      span = s.nameSpan;
    } else {
      fail(diag("syntax-error", s.span, "only data definitions are allowed inside a STRUC"));
    }
    const measured = this.data.measure(size, operands, null, this.evaluator());
    const total = measured.byteLength || size;
    const init = this.data.encodeConstant(size, operands, this.evaluator(), total);
    if (name) {
      st.fields.push({ name, offset: st.offset, size, init });
      this.setSymbol({ kind: "field", name, offset: st.offset, size, struc: st.name, span });
    }
    st.offset += total;
  }

  // ---------------------------------------------------------------- macros

  private defineMacro(nameTok: IToken, paramsText: string, line: SourceLine, file: string): void {
    const span = this.lineSpan(file, line, nameTok, nameTok);
    const def: MacroDef = { name: nameTok.image, params: parseMacroParams(paramsText), body: line.body?.image ?? "", span };
    this.expectEndm(line, span, `MACRO \`${def.name}\``);
    this.unit.symbols.set({ kind: "macro", name: def.name, def, span });
  }

  /** The ENDM line after a block body is consumed by the block itself. */
  skipNextEndm = false;

  private expectEndm(line: SourceLine, span: SourceSpan, what: string): void {
    if (line.bodyUnclosed) this.report(diag("unbalanced-block", span, `${what} has no ENDM`, { help: "close the block with ENDM on a line of its own" }));
    else this.skipNextEndm = true;
  }

  invokeMacro(def: MacroDef, line: SourceLine, s: Extract<Statement, { kind: "command" }>): void {
    const rawArgs = splitArguments(stripComment(line.text.slice((s.headSpan.endColumn ?? 1) - 1)));
    const values = new Map<string, string>();
    def.params.forEach((p, i) => {
      let v: string | undefined;
      if (p.vararg) v = rawArgs.slice(i).join(",");
      else v = rawArgs[i] !== undefined && rawArgs[i] !== "" ? stripAngles(rawArgs[i]!) : undefined;
      if (v === undefined || v === "") {
        if (p.required) this.report(diag("macro-error", s.span, `macro \`${def.name}\` needs an argument for \`${p.name}\``, { related: [{ span: def.span, message: "defined here" }] }));
        v = p.defaultText ?? "";
      }
      values.set(p.name.toUpperCase(), v);
    });
    if (rawArgs.length > def.params.length && !def.params.some((p) => p.vararg) && rawArgs.slice(def.params.length).some((a) => a !== "")) {
      this.report(diag("macro-error", s.span, `macro \`${def.name}\` takes ${def.params.length} argument${def.params.length === 1 ? "" : "s"}, got ${rawArgs.length}`, { related: [{ span: def.span, message: "defined here" }] }));
    }
    const { locals, rest } = takeLocals(def.body);
    for (const l of locals) values.set(l.toUpperCase(), `??${(this.localCounter++).toString(16).toUpperCase().padStart(4, "0")}`);
    const text = substitute(rest, values).replace(/^\s*EXITM\b[\s\S]*$/im, "");
    this.expand(text, s.span, def.name);
  }

  /** REPT n / IRP x, <a, b> / IRPC x, chars: expands the body once per item. */
  repeatBlock(kind: string, args: string, line: SourceLine, span: SourceSpan): void {
    try {
      this.expandRepeat(kind, args, line.body?.image ?? "", span);
    } finally {
      this.expectEndm(line, span, kind);
    }
  }

  private expandRepeat(kind: string, args: string, body: string, span: SourceSpan): void {
    if (kind === "REPT" || kind === "REPEAT") {
      const count = this.tryConstant(args, span);
      if (count === null) fail(diag("bad-expression", span, `REPT needs a constant count, not \`${args}\``));
      if (count > 100000) fail(diag("macro-error", span, `REPT ${count} repeats too many times (the bound is 100000)`));
      for (let i = 0; i < count; i++) this.expand(body, span, "REPT");
      return;
    }
    const [param, ...items] = splitArguments(args);
    if (!param) fail(diag("macro-error", span, `${kind} needs a parameter name`));
    const list = kind === "IRPC" || kind === "FORC" ? [...stripAngles(items.join(","))] : splitArguments(stripAngles(items.join(",")));
    for (const item of list) this.expand(substitute(body, new Map([[param.toUpperCase(), stripAngles(item)]])), span, kind);
  }

  // ---------------------------------------------------------------- includes and linking

  include(name: string, span: SourceSpan): void {
    if (/^vmm\.inc$/i.test(name.replace(/^.*[\\/]/, ""))) {
      if (!this.unit.includesVmm) defineVmmInc(this.unit.symbols);
      this.unit.includesVmm = true;
      return;
    }
    // vpicd.inc, vtd.inc, shell.inc, dosmgr.inc: the symbol views of those devices' tables.
    if (defineDeviceInc(this.unit.symbols, name)) return;
    if (/^(debug|vpicd|shell|vtd|vdmad|dosmgr|configmg|vwin32|vxdwraps|netvxd|blockdev|ios|ifs|ifsmgr|vcomm|v86mmgr|vkd|vdd|vmd|vsd|vpowerd|pageswap|vxdldr|ntkern)\.inc$/i.test(name.replace(/^.*[\\/]/, ""))) {
      const found = resolveInclude(this.fs, name, span.file, this.options.includeDirs ?? []);
      if (!found) {
        this.unit.unreadIncludes.push(name); // other DDK headers: their macros used with vmm.inc are built in
        return;
      }
    }
    const path = resolveInclude(this.fs, name, span.file, this.options.includeDirs ?? []);
    if (!path) {
      this.unit.unreadIncludes.push(name);
      fail(diag("include-not-found", span, `cannot find include file \`${name}\``, { notes: this.includeChain.slice(1).reverse().map((f) => `included from ${f}`) }));
    }
    if (this.includeChain.includes(path)) {
      fail(diag("include-recursive", span, `\`${name}\` includes itself`, { notes: [[...this.includeChain, path].join(" → ")] }));
    }
    if (this.includeChain.length > this.maxDepth) fail(diag("include-recursive", span, "includes nest too deeply"));
    const text = this.fs.readFile(path);
    if (text === undefined) fail(diag("include-not-found", span, `cannot read include file \`${path}\``));
    this.includeChain.push(path);
    const savedOrigin = this.origin;
    this.origin = null;
    try {
      this.assembleText(path, text);
    } finally {
      this.origin = savedOrigin;
      this.includeChain.pop();
    }
  }

  declarePublic(name: string, span: SourceSpan): void {
    this.publics.set(name.toUpperCase(), { unit: this.unit, name, span });
  }

  declareExtern(name: string, size: number, span: SourceSpan): void {
    if (!this.unit.symbols.has(name)) this.unit.symbols.set({ kind: "extern", name, size, span });
  }

  end(): void {
    this.ended = true;
  }

  private linkExterns(): void {
    for (const unit of this.units) {
      for (const sym of [...unit.symbols.values()]) {
        if (sym.kind !== "extern") continue;
        const pub = this.publics.get(sym.name.toUpperCase());
        const target = pub?.unit.symbols.get(sym.name);
        if (target && target.kind !== "extern") unit.symbols.set({ ...target, name: sym.name } as Sym);
        else {
          // BeginProc/PROC names are public by default, as in the Win95 DDK.
          for (const other of this.units) {
            const t = other.symbols.get(sym.name);
            if (other !== unit && t && (t.kind === "code" || t.kind === "data")) {
              unit.symbols.set(t);
              break;
            }
          }
        }
      }
    }
  }
}

/** Bounds on the text all expansions of one assembly may produce: a macro that invokes itself
 *  twice, a text equate that contains itself twice or nested REPTs grow exponentially long before
 *  the nesting bound stops them. */
const EXPANSION_CHARS = 4_000_000;
const EXPANSION_LINES = 250_000;
/** The expansions whose lines are remembered: up to this many, each of at most this many characters. */
const SPLIT_CACHE_ENTRIES = 1024;
const SPLIT_CACHE_TEXT = 2048;
/** Bound on one line after text-equate substitution (MASM's own bound is 512). */
const MAX_SUBSTITUTED_LINE = 65_536;

function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ";") return text.slice(0, i);
  }
  return text;
}

/** The number of the text's last line (as splitting it at line feeds would count them). */
function lineCount(text: string): number {
  let n = 1;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) n++;
  return n;
}

/** Moves an expression parsed from a fragment to the span of the line it came from (a statement's
 *  or a line's span, so on one line). */
function relocate(e: Expr, span: SourceSpan): Expr {
  const { file, line, column, endColumn } = span;
  switch (e.k) {
    case "num":
      return new NumExpr(e.value, file, line, column, endColumn);
    case "str":
      return new StrExpr(e.value, file, line, column, endColumn);
    case "name":
      return new NameExpr(e.name, file, line, column, endColumn);
    case "text":
      return new TextExpr(e.value, file, line, column, endColumn);
    case "unary":
      return new UnaryExpr(e.op, relocate(e.arg, span), file, line, column, endColumn);
    case "binary":
      return new BinaryExpr(e.op, relocate(e.left, span), relocate(e.right, span), file, line, column, endColumn);
    case "index":
      return new IndexExpr(e.left && relocate(e.left, span), relocate(e.inner, span), file, line, column, endColumn);
    case "field":
      return new FieldExpr(relocate(e.left, span), e.field, file, line, column, endColumn);
    case "ptr":
      return new PtrExpr(relocate(e.type, span), relocate(e.arg, span), file, line, column, endColumn);
    case "seg":
      return new SegExpr(relocate(e.seg, span), relocate(e.arg, span), file, line, column, endColumn);
    case "dup":
      return new DupExpr(relocate(e.count, span), e.items.map((x) => x && relocate(x, span)), file, line, column, endColumn);
    case "bad":
      return new BadExpr(file, line, column, endColumn);
  }
}

const DATA_WORD_SIZES: Record<string, number> = {
  DB: 1, BYTE: 1, SBYTE: 1, DW: 2, WORD: 2, SWORD: 2, DD: 4, DWORD: 4, SDWORD: 4, DF: 6, FWORD: 6, DQ: 8, QWORD: 8, DT: 10, TBYTE: 10,
};

export function isDataWord(w: string): boolean {
  return w.toUpperCase() in DATA_WORD_SIZES;
}

export function dataWordSize(w: string): number {
  return DATA_WORD_SIZES[w.toUpperCase()] ?? 0;
}

/** What the evaluator asks about one file's names at one place in it. */
class UnitContext implements EvalContext {
  constructor(
    private readonly asm: Assembler,
    private readonly unit: Unit,
    private readonly anonBefore: number,
  ) {}

  lookup(n: string): Sym | undefined {
    return this.unit.symbols.get(n);
  }

  here(): number {
    return this.asm.here();
  }

  anonymous(forward: boolean): number | undefined {
    return forward ? this.unit.anonymous[this.anonBefore] : this.unit.anonymous[this.anonBefore - 1];
  }

  codeAddress(i: number): number {
    return Layout.CODE_BASE + i;
  }

  undefinedName(name: string, span: SourceSpan): Value {
    const hint = this.asm.hint(name, this.unit.symbols.names());
    fail(
      diag("undefined-symbol", span, `\`${name}\` is not defined`, {
        help: hint ? `did you mean \`${hint}\`?` : `define it, e.g. \`${name} equ 0\` for a number or \`${name} dd ?\` for a variable`,
      }),
    );
  }
}

/** The origin of an instruction written in the source (shared: most instructions have none). */
const NO_ORIGIN: readonly string[] = Object.freeze([]);

/** The class of a VxD segment by its macro or segment name: LOCKED, PAGEABLE, INIT, … */
export function segmentClass(name: string): string {
  const n = name.toUpperCase();
  if (/^_?LTEXT$|^_LDATA$|LOCKED|^VXD_CODE$|^VXD_DATA$|^_TEXT$|^_DATA$|^CODE$|^DATA$/.test(n)) return "LOCKED";
  if (/PAGEABLE|^_PTEXT$|^_PDATA$/.test(n)) return "PAGEABLE";
  if (/^_ITEXT$|^_IDATA$|ICODE|IDATA|INIT/.test(n)) return "INIT";
  if (/STATIC|^_STEXT$|^_SDATA$/.test(n)) return "STATIC";
  if (/DEBUG/.test(n)) return "DEBUG_ONLY";
  if (/REAL/.test(n)) return "REAL_INIT";
  return n;
}
