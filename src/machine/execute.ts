import { Reg } from "../ir/types.js";
import { divide, imul1, imulTrunc, mul, shift, shiftDouble, sx } from "./alu.js";
import type { Cpu } from "./cpu.js";
import type { DInstr } from "./decode.js";
import { MachineFault } from "./fault.js";
import { AF, CF, K_ADD, K_DEC, K_EFLAGS, K_INC, K_LOGIC, K_SUB, PF, SF, ZF, setArith } from "./flags.js";
import type { Flags } from "./flags.js";
import { ea, get, loc, put, val } from "./operands.js";
import { bitTest, decCount, enter, hostCall, leave, pop, popAll, pushAll, ret, traceOut } from "./ops.js";
import { stringOp } from "./strings.js";

// The interpreter loop. Case labels are number literals (so V8 builds a jump table); each
// carries the Op or F_/OP_ name it stands for, and test/machine/literals.test.ts checks them.

const EAX = Reg.EAX,
  ECX = Reg.ECX,
  ESP = Reg.ESP;

/** AND OR XOR TEST: CF = OF = 0; AF is undefined: 0 (QEMU). */
function logic(f: Flags, r: number, size: number): void {
  f.res = size === 4 ? r | 0 : size === 2 ? (r << 16) >> 16 : (r << 24) >> 24;
  f.kind = K_LOGIC;
}

/**
 * Execute from `pc` until the run ends (returns -1: HALT or a RET to the host sentinel) or
 * `cpu.steps` reaches `limit` (returns the index of the next, unexecuted, instruction).
 * `base` is the call-stack depth at which the current run began.
 */
export function execute(cpu: Cpu, pc: number, limit: number, base: number): number {
  const code = cpu.code,
    R = cpu.R,
    mem = cpu.memory,
    f = cpu.flags;
  let steps = cpu.steps;
  try {
    for (;;) {
      if (steps >= limit) {
        cpu.steps = steps;
        cpu.eip = pc;
        return pc;
      }
      steps++;
      const d: DInstr = code[pc]!;
      switch (d.op) {
        case 0: // Op.MOV
          put(R, mem, d.a, loc(R, d.a), val(R, mem, d.b));
          pc++;
          break;
        case 1: // Op.MOVZX
          put(R, mem, d.a, loc(R, d.a), val(R, mem, d.b));
          pc++;
          break;
        case 2: // Op.MOVSX
          put(R, mem, d.a, loc(R, d.a), sx(val(R, mem, d.b), d.b.size));
          pc++;
          break;
        case 3: // Op.LEA
          put(R, mem, d.a, 0, ea(R, d.b));
          pc++;
          break;
        case 4: {
          // Op.XCHG
          const la = loc(R, d.a),
            lb = loc(R, d.b);
          const x = get(R, mem, d.a, la),
            y = get(R, mem, d.b, lb);
          put(R, mem, d.a, la, y);
          put(R, mem, d.b, lb, x);
          pc++;
          break;
        }
        case 5: {
          // Op.PUSH
          const v = val(R, mem, d.a);
          if (d.size === 2) cpu.push16(v);
          else cpu.push32(v);
          pc++;
          break;
        }
        case 6: // Op.POP
          pop(cpu, d);
          pc++;
          break;
        case 7: // Op.PUSHAD
          pushAll(cpu, d.size);
          pc++;
          break;
        case 8: // Op.POPAD
          popAll(cpu, d.size);
          pc++;
          break;
        case 9: // Op.PUSHFD
          if (d.size === 2) cpu.push16(f.getEflags());
          else cpu.push32(f.getEflags());
          pc++;
          break;
        case 10: {
          // Op.POPFD
          const v = d.size === 2 ? cpu.pop16() | (f.getEflags() & ~0xffff) : cpu.pop32();
          f.setEflags(v);
          pc++;
          break;
        }
        case 11: {
          // Op.ADD
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l),
            y = val(R, mem, d.b);
          const r = (x + y) | 0;
          put(R, mem, d.a, l, r);
          setArith(f, K_ADD, x, y, r, d.size);
          pc++;
          break;
        }
        case 12: {
          // Op.ADC
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l),
            y = val(R, mem, d.b);
          const r = (x + y + f.carryBit()) | 0;
          put(R, mem, d.a, l, r);
          setArith(f, K_ADD, x, y, r, d.size);
          pc++;
          break;
        }
        case 13: {
          // Op.SUB
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l),
            y = val(R, mem, d.b);
          const r = (x - y) | 0;
          put(R, mem, d.a, l, r);
          setArith(f, K_SUB, x, y, r, d.size);
          pc++;
          break;
        }
        case 14: {
          // Op.SBB
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l),
            y = val(R, mem, d.b);
          const r = (x - y - f.carryBit()) | 0;
          put(R, mem, d.a, l, r);
          setArith(f, K_SUB, x, y, r, d.size);
          pc++;
          break;
        }
        case 15: {
          // Op.CMP
          const x = val(R, mem, d.a),
            y = val(R, mem, d.b);
          setArith(f, K_SUB, x, y, x - y, d.size);
          pc++;
          break;
        }
        case 16: {
          // Op.INC: CF unchanged.
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l);
          const r = (x + 1) | 0;
          put(R, mem, d.a, l, r);
          f.carry = f.carryBit();
          setArith(f, K_INC, x, 1, r, d.size);
          pc++;
          break;
        }
        case 17: {
          // Op.DEC: CF unchanged.
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l);
          const r = (x - 1) | 0;
          put(R, mem, d.a, l, r);
          f.carry = f.carryBit();
          setArith(f, K_DEC, x, 1, r, d.size);
          pc++;
          break;
        }
        case 18: {
          // Op.NEG
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l);
          const r = -x | 0;
          put(R, mem, d.a, l, r);
          setArith(f, K_SUB, 0, x, r, d.size);
          pc++;
          break;
        }
        case 19: {
          // Op.AND
          const l = loc(R, d.a);
          const r = get(R, mem, d.a, l) & val(R, mem, d.b);
          put(R, mem, d.a, l, r);
          logic(f, r, d.size);
          pc++;
          break;
        }
        case 20: {
          // Op.OR
          const l = loc(R, d.a);
          const r = get(R, mem, d.a, l) | val(R, mem, d.b);
          put(R, mem, d.a, l, r);
          logic(f, r, d.size);
          pc++;
          break;
        }
        case 21: {
          // Op.XOR
          const l = loc(R, d.a);
          const r = get(R, mem, d.a, l) ^ val(R, mem, d.b);
          put(R, mem, d.a, l, r);
          logic(f, r, d.size);
          pc++;
          break;
        }
        case 22: {
          // Op.NOT
          const l = loc(R, d.a);
          put(R, mem, d.a, l, ~get(R, mem, d.a, l));
          pc++;
          break;
        }
        case 23: // Op.TEST
          logic(f, val(R, mem, d.a) & val(R, mem, d.b), d.size);
          pc++;
          break;
        case 24: // Op.SHL
        case 25: // Op.SHR
        case 26: // Op.SAR
        case 27: // Op.ROL
        case 28: // Op.ROR
        case 29: // Op.RCL
        case 30: {
          // Op.RCR
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l);
          const n = val(R, mem, d.b) & 31;
          if (n !== 0) put(R, mem, d.a, l, shift(f, d.op, x, n, d.size));
          pc++;
          break;
        }
        case 31: // Op.MUL
          mul(R, f, val(R, mem, d.a), d.size);
          pc++;
          break;
        case 32: // Op.IMUL1
          imul1(R, f, val(R, mem, d.a), d.size);
          pc++;
          break;
        case 33: {
          // Op.IMUL2
          const x = val(R, mem, d.a),
            y = val(R, mem, d.b);
          put(R, mem, d.a, 0, imulTrunc(f, x, y, d.size));
          pc++;
          break;
        }
        case 34: {
          // Op.IMUL3
          const x = val(R, mem, d.b),
            y = val(R, mem, d.c);
          put(R, mem, d.a, 0, imulTrunc(f, x, y, d.size));
          pc++;
          break;
        }
        case 35: // Op.DIV
          divide(R, val(R, mem, d.a), d.size, false);
          pc++;
          break;
        case 36: // Op.IDIV
          divide(R, val(R, mem, d.a), d.size, true);
          pc++;
          break;
        case 37: // Op.CDQ
          R[Reg.EDX] = R[EAX]! >> 31;
          pc++;
          break;
        case 38: // Op.CWDE
          R[EAX] = (R[EAX]! << 16) >> 16;
          pc++;
          break;
        case 39: // Op.CBW
          R[EAX] = (R[EAX]! & ~0xffff) | (((R[EAX]! << 24) >> 24) & 0xffff);
          pc++;
          break;
        case 40: // Op.CWD
          R[Reg.EDX] = (R[Reg.EDX]! & ~0xffff) | (((R[EAX]! << 16) >> 31) & 0xffff);
          pc++;
          break;
        case 41: // Op.JMP
          pc = d.target;
          break;
        case 42: // Op.JMP_INDIRECT
          pc = cpu.jumpIndex(val(R, mem, d.a), "jump");
          break;
        case 43: // Op.JCC
          pc = f.cond(d.extra) ? d.target : pc + 1;
          break;
        case 44: // Op.JECXZ (JCXZ when size is 2)
          pc = (d.size === 2 ? R[ECX]! & 0xffff : R[ECX]!) === 0 ? d.target : pc + 1;
          break;
        case 45: // Op.LOOP
          pc = decCount(R, d.size) !== 0 ? d.target : pc + 1;
          break;
        case 46: // Op.LOOPZ
          pc = decCount(R, d.size) !== 0 && f.zf() ? d.target : pc + 1;
          break;
        case 47: // Op.LOOPNZ
          pc = decCount(R, d.size) !== 0 && !f.zf() ? d.target : pc + 1;
          break;
        case 48: // Op.CALL
          cpu.push32((cpu.codeBase32 + pc + 1) | 0);
          cpu.enter(pc, R[ESP]!);
          pc = d.target;
          break;
        case 49: {
          // Op.CALL_INDIRECT
          const to = cpu.jumpIndex(val(R, mem, d.a), "call");
          cpu.push32((cpu.codeBase32 + pc + 1) | 0);
          cpu.enter(pc, R[ESP]!);
          pc = to;
          break;
        }
        case 50: // Op.RET
          pc = ret(cpu, d.extra, base);
          if (pc < 0) {
            cpu.steps = steps;
            cpu.eip = pc;
            return -1;
          }
          break;
        case 51: // Op.CLC
          f.update(CF, 0);
          pc++;
          break;
        case 52: // Op.STC
          f.update(CF, CF);
          pc++;
          break;
        case 53: // Op.CMC
          f.update(CF, f.cf() ? 0 : CF);
          pc++;
          break;
        case 54: // Op.CLD
          f.df = false;
          pc++;
          break;
        case 55: // Op.STD
          f.df = true;
          pc++;
          break;
        case 56: // Op.CLI
          f.intf = false;
          pc++;
          break;
        case 57: // Op.STI
          f.intf = true;
          pc++;
          break;
        case 58: // Op.NOP
          pc++;
          break;
        case 59: // Op.LODS
        case 60: // Op.STOS
        case 61: // Op.MOVS
        case 62: // Op.CMPS
        case 63: {
          // Op.SCAS: each repetition counts as a step; an unfinished REP resumes at the same pc.
          const n = stringOp(cpu, d, limit - steps + 1);
          steps += n > 0 ? n - 1 : 0;
          if (!cpu.repPending) pc++;
          break;
        }
        case 64: // Op.SETCC
          put(R, mem, d.a, loc(R, d.a), f.cond(d.extra) ? 1 : 0);
          pc++;
          break;
        case 65: // Op.VXDCALL
        case 66: // Op.VXDJMP
        case 69: {
          // Op.INT
          cpu.steps = steps;
          cpu.eip = pc + 1;
          hostCall(cpu, d, pc);
          steps = cpu.steps;
          pc = cpu.eip;
          if (d.op === 66) {
            pc = ret(cpu, 0, base);
            if (pc < 0) {
              cpu.steps = steps;
              cpu.eip = pc;
              return -1;
            }
          }
          break;
        }
        case 67: // Op.TRACE_OUT
          cpu.steps = steps;
          cpu.eip = pc + 1;
          traceOut(cpu, d, pc);
          steps = cpu.steps;
          pc++;
          break;
        case 68: // Op.HALT
          cpu.steps = steps;
          cpu.eip = pc + 1;
          return -1;
        case 70: // Op.TRAP
          throw new MachineFault("trap", d.text || "trap");
        case 71: // Op.BT
        case 72: // Op.BTS
        case 73: // Op.BTR
        case 74: // Op.BTC
          bitTest(R, mem, f, d);
          pc++;
          break;
        case 75: // Op.BSF
        case 76: {
          // Op.BSR: a zero source sets ZF and leaves the destination alone (as hardware and QEMU
          // do; the manual says undefined). CF OF SF AF PF are undefined: as QEMU, the flags of a
          // logic op on the source (CF = OF = AF = 0, SF and PF from the source).
          const v = val(R, mem, d.b) & (d.size === 4 ? -1 : d.size === 2 ? 0xffff : 0xff);
          if (v !== 0) put(R, mem, d.a, 0, d.op === 75 ? 31 - Math.clz32(v & -v) : 31 - Math.clz32(v));
          logic(f, v, d.size);
          pc++;
          break;
        }
        case 77: {
          // Op.CMOVCC: the source is read (and may fault) whether or not the move happens.
          const v = val(R, mem, d.b);
          if (f.cond(d.extra)) put(R, mem, d.a, 0, v);
          pc++;
          break;
        }
        case 78: // Op.LAHF
          R[EAX] = (R[EAX]! & ~0xff00) | (((f.status() & (SF | ZF | AF | PF | CF)) | 2) << 8);
          pc++;
          break;
        case 79: // Op.SAHF
          f.update(SF | ZF | AF | PF | CF, R[EAX]! >> 8);
          pc++;
          break;
        case 80: // Op.SHLD
        case 81: {
          // Op.SHRD
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l);
          const n = val(R, mem, d.c) & 31;
          if (n !== 0) put(R, mem, d.a, l, shiftDouble(f, d.op === 80, x, val(R, mem, d.b), n, d.size));
          pc++;
          break;
        }
        case 82: {
          // Op.BSWAP
          const v = R[d.a.r]!;
          R[d.a.r] = (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
          pc++;
          break;
        }
        case 83: {
          // Op.XADD
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l),
            y = val(R, mem, d.b);
          const r = (x + y) | 0;
          put(R, mem, d.b, 0, x);
          put(R, mem, d.a, l, r);
          setArith(f, K_ADD, x, y, r, d.size);
          pc++;
          break;
        }
        case 84: {
          // Op.CMPXCHG: flags as CMP accumulator, destination.
          const l = loc(R, d.a);
          const x = get(R, mem, d.a, l);
          const size = d.size;
          const acc = size === 4 ? R[EAX]! : size === 2 ? R[EAX]! & 0xffff : R[EAX]! & 0xff;
          setArith(f, K_SUB, acc, x, acc - x, size);
          if (f.res === 0) put(R, mem, d.a, l, val(R, mem, d.b));
          else if (size === 4) R[EAX] = x;
          else if (size === 2) R[EAX] = (R[EAX]! & ~0xffff) | x;
          else R[EAX] = (R[EAX]! & ~0xff) | x;
          pc++;
          break;
        }
        case 85: // Op.LEAVE
          leave(cpu, d.size);
          pc++;
          break;
        case 86: // Op.ENTER
          enter(cpu, d);
          pc++;
          break;
        case 90: // F_MOV_R
          R[d.a.r] = R[d.b.r]! + d.b.d;
          pc++;
          break;
        case 91: // F_MOV_RM
          R[d.a.r] = mem.read32(ea(R, d.b));
          pc++;
          break;
        case 92: // F_MOV_MR
          mem.write32(ea(R, d.a), R[d.b.r]! + d.b.d);
          pc++;
          break;
        case 93: // F_LEA
          R[d.a.r] = ea(R, d.b);
          pc++;
          break;
        case 94: {
          // F_ADD
          const x = R[d.a.r]!,
            y = R[d.b.r]! + d.b.d;
          const r = (x + y) | 0;
          R[d.a.r] = r;
          f.a = x;
          f.b = y;
          f.res = r;
          f.kind = K_ADD;
          pc++;
          break;
        }
        case 95: {
          // F_SUB
          const x = R[d.a.r]!,
            y = R[d.b.r]! + d.b.d;
          const r = (x - y) | 0;
          R[d.a.r] = r;
          f.a = x;
          f.b = y;
          f.res = r;
          f.kind = K_SUB;
          pc++;
          break;
        }
        case 96: {
          // F_CMP
          const x = R[d.a.r]!,
            y = R[d.b.r]! + d.b.d;
          f.a = x;
          f.b = y;
          f.res = (x - y) | 0;
          f.kind = K_SUB;
          pc++;
          break;
        }
        case 97: // F_AND
          f.res = R[d.a.r] = R[d.a.r]! & (R[d.b.r]! + d.b.d);
          f.kind = K_LOGIC;
          pc++;
          break;
        case 98: // F_OR
          f.res = R[d.a.r] = R[d.a.r]! | (R[d.b.r]! + d.b.d);
          f.kind = K_LOGIC;
          pc++;
          break;
        case 99: // F_XOR
          f.res = R[d.a.r] = R[d.a.r]! ^ (R[d.b.r]! + d.b.d);
          f.kind = K_LOGIC;
          pc++;
          break;
        case 100: // F_TEST
          f.res = R[d.a.r]! & (R[d.b.r]! + d.b.d);
          f.kind = K_LOGIC;
          pc++;
          break;
        case 101: {
          // F_INC
          const x = R[d.a.r]!;
          const r = (x + 1) | 0;
          R[d.a.r] = r;
          f.carry = f.carryBit();
          f.a = x;
          f.b = 1;
          f.res = r;
          f.kind = K_INC;
          pc++;
          break;
        }
        case 102: {
          // F_DEC
          const x = R[d.a.r]!;
          const r = (x - 1) | 0;
          R[d.a.r] = r;
          f.carry = f.carryBit();
          f.a = x;
          f.b = 1;
          f.res = r;
          f.kind = K_DEC;
          pc++;
          break;
        }
        case 103: // F_JE
          pc = (f.kind === K_EFLAGS ? (f.bits & ZF) !== 0 : f.res === 0) ? d.target : pc + 1;
          break;
        case 104: // F_JNE
          pc = (f.kind === K_EFLAGS ? (f.bits & ZF) === 0 : f.res !== 0) ? d.target : pc + 1;
          break;
        case 105: // F_PUSH
          cpu.push32(R[d.a.r]! + d.a.d);
          pc++;
          break;
        case 106: // F_POP
          R[d.a.r] = cpu.pop32();
          pc++;
          break;
        case 87: // OP_BAD_TARGET
          throw new MachineFault("bad-jump", d.text);
        case 88: // OP_BAD_OP
          throw new MachineFault("trap", d.text);
        case 89: // OP_END
          throw new MachineFault("bad-jump", d.text);
        default:
          throw new MachineFault("trap", `unknown operation ${d.op}`);
      }
    }
  } catch (e) {
    cpu.steps = steps;
    cpu.eip = pc;
    if (e instanceof MachineFault && !e.located) {
      e.instrIndex = pc;
      e.backtrace = cpu.backtrace();
      e.located = true;
    }
    throw e;
  }
}

