#!/usr/bin/python3
"""Generate machine test vectors with the x86 oracle (NASM + Unicorn, ../shared/oracle).

Each vector is 1-3 random instructions, written twice: as NASM text (run by the oracle) and as
IR instructions (run by src/machine in test/machine/oracle.test.ts). The oracle's final
registers, flags (all six, including the ones x86 leaves undefined), memory and stack are
recorded, so the machine is checked on every defined flag, and on its claim to pick the same
values as QEMU for the undefined ones.

    /usr/bin/python3 test/machine/oracle/gen-vectors.py [-n 3000] [--seed 1] [--oracle DIR] [-o FILE]

Output is deterministic for a given seed and count.
"""
import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))

REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi']
REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di']
REG8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh']
CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g']
DATA = 0x420000
STACK_TOP = 0x130000
STACK_DUMP = STACK_TOP - 0x20
SIZE_WORD = {1: 'byte', 2: 'word', 4: 'dword'}
# Registers the random operands use: ESP is the stack, ESI the memory base.
FREE = [0, 1, 2, 3, 5, 7]


def read_ops():
    text = open(os.path.join(ROOT, 'src', 'ir', 'types.ts')).read()
    block = text[text.index('export const Op = {'):]
    block = block[:block.index('} as const')]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r'^\s*(\w+): (\d+),', block, re.M)}


OP = read_ops()
REP = {'': 0, 'rep': 1, 'repe': 2, 'repne': 3}


class Gen:
    def __init__(self, rng):
        self.r = rng

    # ---- values
    def edge(self, size):
        bits = size * 8
        top = 1 << bits
        e = [0, 1, 2, 7, 0x7F, 0x80, 0xFF, top - 1, top - 2, (top >> 1) - 1, top >> 1, (top >> 1) + 1]
        if size >= 2:
            e += [0x7FFF, 0x8000, 0xFFFF, 0x100]
        r = self.r.random()
        if r < 0.45:
            v = self.r.choice(e)
        elif r < 0.6:
            v = self.r.randint(-40, 40)
        else:
            v = self.r.getrandbits(bits)
        return v & (top - 1)

    def value32(self):
        return self.edge(4) if self.r.random() < 0.7 else self.edge(self.r.choice([1, 2]))

    # ---- operands: (nasm text, ir operand)
    def reg(self, size, exclude=()):
        while True:
            if size == 1:
                i = self.r.randrange(8)
                if i in exclude:
                    continue
                return REG8[i], ['r', i & 3, 1, 1 if i >= 4 else 0]
            i = self.r.choice(FREE)
            if i in exclude:
                continue
            return (REG32 if size == 4 else REG16)[i], ['r', i, size, 0]

    def mem(self, size, lo=0, hi=None):
        hi = 32 - size if hi is None else hi
        disp = self.r.randint(lo, hi)
        return '%s [esi+%d]' % (SIZE_WORD[size], disp), ['m', size, 6, -1, 1, disp]

    def imm(self, size):
        v = self.edge(size)
        signed = v - (1 << (size * 8)) if v >> (size * 8 - 1) else v
        return '%d' % v, ['i', signed]

    def rm(self, size, p_mem=0.3):
        return self.mem(size) if self.r.random() < p_mem else self.reg(size)

    # ---- instructions: list of (nasm line, ir instr or None for a label)
    def ins(self, op, size, a=None, b=None, c=None, extra=0, target=-1):
        return [op, size, a, b, c, target, extra]

    def alu2(self):
        name = self.r.choice(['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test'])
        size = self.r.choice([1, 2, 4, 4])
        form = self.r.choice(['rr', 'ri', 'rm', 'mr', 'mi'])
        if name == 'test' and form == 'rm':
            form = 'mr'
        a = self.mem(size) if form[0] == 'm' else self.reg(size)
        b = self.imm(size) if form[1] == 'i' else self.mem(size) if form[1] == 'm' else self.reg(size)
        return [('%s %s, %s' % (name, a[0], b[0]), self.ins(OP[name.upper()], size, a[1], b[1]))]

    def unary(self):
        name = self.r.choice(['inc', 'dec', 'neg', 'not'])
        size = self.r.choice([1, 2, 4, 4])
        a = self.rm(size)
        return [('%s %s' % (name, a[0]), self.ins(OP[name.upper()], size, a[1]))]

    def shift(self):
        name = self.r.choice(['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr', 'sal'])
        size = self.r.choice([1, 2, 4])
        a = self.rm(size, 0.2)
        kind = self.r.random()
        op = OP['SHL' if name == 'sal' else name.upper()]
        if kind < 0.25:
            return [('%s %s, 1' % (name, a[0]), self.ins(op, size, a[1], ['i', 1]))]
        if kind < 0.6:
            n = self.r.choice([0, 1, 2, size * 8 - 1, size * 8, size * 8 + 1, 31, 32, 33, self.r.randint(0, 40), 9, 16, 17])
            return [('%s %s, %d' % (name, a[0], n), self.ins(op, size, a[1], ['i', n]))]
        return [('%s %s, cl' % (name, a[0]), self.ins(op, size, a[1], ['r', 1, 1, 0]))]

    def muldiv(self):
        name = self.r.choice(['mul', 'imul', 'div', 'idiv'])
        size = self.r.choice([1, 2, 4])
        a = self.rm(size, 0.3)
        op = OP['IMUL1' if name == 'imul' else name.upper()]
        out = []
        if name in ('div', 'idiv') and self.r.random() < 0.6:
            # make the quotient fit more often
            if name == 'div':
                out.append(('xor edx, edx', self.ins(OP['XOR'], 4, ['r', 2, 4, 0], ['r', 2, 4, 0])))
            else:
                out.append(('cdq', self.ins(OP['CDQ'], 4)))
        out.append(('%s %s' % (name, a[0]), self.ins(op, size, a[1])))
        return out

    def imul23(self):
        size = self.r.choice([2, 4])
        a = self.reg(size)
        b = self.rm(size)
        if self.r.random() < 0.5:
            return [('imul %s, %s' % (a[0], b[0]), self.ins(OP['IMUL2'], size, a[1], b[1]))]
        c = self.imm(size)
        return [('imul %s, %s, %s' % (a[0], b[0], c[0]), self.ins(OP['IMUL3'], size, a[1], b[1], c[1]))]

    def movx(self):
        name = self.r.choice(['movzx', 'movsx'])
        dsize = self.r.choice([2, 4])
        ssize = 1 if dsize == 2 else self.r.choice([1, 2])
        a = self.reg(dsize)
        b = self.rm(ssize)
        return [('%s %s, %s' % (name, a[0], b[0]), self.ins(OP[name.upper()], dsize, a[1], b[1]))]

    def convert(self):
        name, size = self.r.choice([('cbw', 2), ('cwde', 4), ('cwd', 2), ('cdq', 4)])
        return [(name, self.ins(OP[name.upper()], size))]

    def bittest(self):
        name = self.r.choice(['bt', 'bts', 'btr', 'btc'])
        size = self.r.choice([2, 4])
        form = self.r.choice(['rr', 'ri', 'mi', 'mr'])
        op = OP[name.upper()]
        if form == 'mr':
            # bit string: base at esi+16, signed offset in [-128, 127] from a register
            off = self.r.randint(-128, 127)
            b = self.reg(size)
            setup = ('mov %s, %d' % (REG32[b[1][1]], off), self.ins(OP['MOV'], 4, ['r', b[1][1], 4, 0], ['i', off]))
            a = ('%s [esi+16]' % SIZE_WORD[size], ['m', size, 6, -1, 1, 16])
            return [setup, ('%s %s, %s' % (name, a[0], b[0]), self.ins(op, size, a[1], b[1]))]
        a = self.mem(size) if form[0] == 'm' else self.reg(size)
        if form[1] == 'i':
            n = self.r.randint(0, 255)
            b = ('%d' % n, ['i', n])
        else:
            b = self.reg(size)
        return [('%s %s, %s' % (name, a[0], b[0]), self.ins(op, size, a[1], b[1]))]

    def bitscan(self):
        name = self.r.choice(['bsf', 'bsr'])
        size = self.r.choice([2, 4])
        a = self.reg(size)
        b = self.rm(size)
        return [('%s %s, %s' % (name, a[0], b[0]), self.ins(OP[name.upper()], size, a[1], b[1]))]

    def shiftd(self):
        name = self.r.choice(['shld', 'shrd'])
        size = self.r.choice([2, 4])
        a = self.rm(size, 0.25)
        b = self.reg(size)
        if self.r.random() < 0.5:
            n = self.r.choice([0, 1, 2, size * 8 - 1, size * 8, 17, 20, 31, self.r.randint(0, 31)])
            c = ('%d' % n, ['i', n])
        else:
            c = ('cl', ['r', 1, 1, 0])
        return [('%s %s, %s, %s' % (name, a[0], b[0], c[0]), self.ins(OP[name.upper()], size, a[1], b[1], c[1]))]

    def condop(self):
        cc = self.r.randrange(16)
        kind = self.r.choice(['set', 'cmov', 'j'])
        if kind == 'set':
            a = self.rm(1, 0.25)
            return [('set%s %s' % (CC[cc], a[0]), self.ins(OP['SETCC'], 1, a[1], extra=cc))]
        if kind == 'cmov':
            size = self.r.choice([2, 4])
            a = self.reg(size)
            b = self.rm(size)
            return [('cmov%s %s, %s' % (CC[cc], a[0], b[0]), self.ins(OP['CMOVCC'], size, a[1], b[1], extra=cc))]
        return self.branch('j' + CC[cc], OP['JCC'], cc)

    def branch(self, mnemonic, op, extra=0):
        # index of this instruction is patched by the caller (targets are relative: +2)
        return [('%s .L%%d' % mnemonic, self.ins(op, 4, extra=extra, target='+2')),
                ('inc ebx', self.ins(OP['INC'], 4, ['r', 3, 4, 0])),
                ('.L%d: nop', self.ins(OP['NOP'], 4))]

    def loops(self):
        name = self.r.choice(['loop', 'loopz', 'loopnz', 'jecxz'])
        return self.branch(name, OP[name.upper()])

    def flagops(self):
        name = self.r.choice(['clc', 'stc', 'cmc', 'cld', 'std', 'lahf', 'sahf'])
        return [(name, self.ins(OP[name.upper()], 4 if name not in ('lahf', 'sahf') else 1))]

    def exchange(self):
        name = self.r.choice(['xchg', 'xadd', 'cmpxchg', 'bswap'])
        if name == 'bswap':
            a = self.reg(4)
            return [('bswap %s' % a[0], self.ins(OP['BSWAP'], 4, a[1]))]
        size = self.r.choice([1, 2, 4])
        a = self.rm(size, 0.4)
        b = self.reg(size)
        out = []
        if name == 'cmpxchg' and self.r.random() < 0.5:
            # make the comparison succeed sometimes
            out.append(('mov %s, %s' % (['al', 'ax', None, 'eax'][size - 1], a[0]),
                        self.ins(OP['MOV'], size, ['r', 0, size, 0], a[1])))
        out.append(('%s %s, %s' % (name, a[0], b[0]), self.ins(OP[name.upper()], size, a[1], b[1])))
        return out

    def stack(self):
        k = self.r.choice(['push', 'pop', 'pushfd', 'popfd', 'pushad', 'popad', 'push16', 'enter', 'pushpop'])
        if k == 'push':
            f = self.r.random()
            if f < 0.4:
                a = self.reg(4)
            elif f < 0.7:
                a = self.imm(4)
            else:
                a = self.mem(4)
            return [('push %s' % (('dword ' + a[0]) if a[1][0] == 'i' else a[0]), self.ins(OP['PUSH'], 4, a[1]))]
        if k == 'push16':
            a = self.reg(2)
            return [('push %s' % a[0], self.ins(OP['PUSH'], 2, a[1])),
                    ('pop %s' % self.reg(2)[0], None)]
        if k == 'pop':
            v = self.imm(4)
            a = self.rm(4, 0.4)
            return [('push dword %s' % v[0], self.ins(OP['PUSH'], 4, v[1])),
                    ('pop %s' % a[0], self.ins(OP['POP'], 4, a[1]))]
        if k == 'pushpop':
            a = self.reg(4)
            b = self.reg(4)
            return [('push %s' % a[0], self.ins(OP['PUSH'], 4, a[1])), ('pop %s' % b[0], self.ins(OP['POP'], 4, b[1]))]
        if k == 'pushfd':
            return [('pushfd', self.ins(OP['PUSHFD'], 4))]
        if k == 'popfd':
            v = self.r.getrandbits(32) & 0xCD5
            return [('push dword %d' % v, self.ins(OP['PUSH'], 4, ['i', v])), ('popfd', self.ins(OP['POPFD'], 4))]
        if k == 'pushad':
            return [('pushad', self.ins(OP['PUSHAD'], 4))]
        if k == 'popad':
            a = self.reg(4)
            return [('pushad', self.ins(OP['PUSHAD'], 4)),
                    ('not %s' % a[0], self.ins(OP['NOT'], 4, a[1])),
                    ('popad', self.ins(OP['POPAD'], 4))]
        n = self.r.choice([0, 4, 8, 12])
        out = [('enter %d, 0' % n, self.ins(OP['ENTER'], 4, ['i', n], ['i', 0]))]
        if self.r.random() < 0.5:
            out.append(('leave', self.ins(OP['LEAVE'], 4)))
        return out

    def lea(self):
        size = self.r.choice([2, 4, 4])
        a = self.reg(size)
        base = self.r.choice([-1, 0, 1, 2, 3, 5, 7])
        index = self.r.choice([-1, 0, 1, 2, 3, 5, 7])
        scale = self.r.choice([1, 2, 4, 8])
        disp = self.r.choice([0, 4, -4, 0x7FFFFFFF, -0x80000000, self.r.randint(-1000, 1000)])
        parts = []
        if base >= 0:
            parts.append(REG32[base])
        if index >= 0:
            parts.append('%s*%d' % (REG32[index], scale))
        parts.append('%d' % disp)
        text = 'lea %s, [%s]' % (a[0], '+'.join(parts).replace('+-', '-'))
        return [(text, self.ins(OP['LEA'], size, a[1], ['m', 4, base, index, scale if index >= 0 else 1, disp]))]

    def mov(self):
        size = self.r.choice([1, 2, 4])
        form = self.r.choice(['rr', 'ri', 'rm', 'mr', 'mi'])
        a = self.mem(size) if form[0] == 'm' else self.reg(size)
        b = self.imm(size) if form[1] == 'i' else self.mem(size) if form[1] == 'm' else self.reg(size)
        return [('mov %s, %s' % (a[0], b[0]), self.ins(OP['MOV'], size, a[1], b[1]))]

    def string(self):
        name = self.r.choice(['lods', 'stos', 'movs', 'cmps', 'scas'])
        size = self.r.choice([1, 2, 4])
        rep = self.r.choice(['', 'rep', 'repe', 'repne']) if name in ('cmps', 'scas') else self.r.choice(['', 'rep'])
        suffix = {1: 'b', 2: 'w', 4: 'd'}[size]
        text = ('%s %s%s' % (rep, name, suffix)).strip()
        return [(text, self.ins(OP[name.upper()], size, extra=REP[rep]))], True

    FAMILIES = [('alu2', 14), ('unary', 5), ('shift', 12), ('muldiv', 6), ('imul23', 3), ('movx', 3),
                ('convert', 2), ('bittest', 4), ('bitscan', 2), ('shiftd', 4), ('condop', 10),
                ('loops', 3), ('flagops', 4), ('exchange', 4), ('stack', 5), ('lea', 2), ('mov', 3),
                ('string', 3)]

    def vector(self):
        names = [n for n, w in self.FAMILIES for _ in range(w)]
        count = self.r.choice([1, 1, 2, 2, 3])
        lines, ir, string = [], [], False
        for _ in range(count):
            res = getattr(self, self.r.choice(names))()
            if isinstance(res, tuple):
                res, string = res[0], True
            for text, instr in res:
                if instr is None:  # a line with no IR of its own: pop into a 16-bit register
                    reg = text.split()[1]
                    i = REG16.index(reg)
                    instr = self.ins(OP['POP'], 2, ['r', i, 2, 0])
                if instr[5] == '+2':
                    instr[5] = len(ir) + 2
                    text = text % len(ir)
                elif text.startswith('.L%d'):
                    text = text % (len(ir) - 2)
                lines.append(text)
                ir.append(instr)
        init = {r: self.value32() for r in ('eax', 'ebx', 'ecx', 'edx', 'ebp', 'edi')}
        if self.r.random() < 0.3:
            init['ecx'] = self.r.randint(0, 40)
        init['esi'] = DATA
        eflags = 0x2 | (self.r.getrandbits(12) & 0x8D5)
        if string:
            down = self.r.random() < 0.3
            init['ecx'] = self.r.randint(0, 4)
            init['esi'] = DATA + (12 if down else 0)
            init['edi'] = DATA + 16 + (12 if down else 0)
            eflags |= 0x400 if down else 0
            if self.r.random() < 0.5:
                init['eax'] = self.r.choice([0, 0x41, 0x4141, 0x41414141])
        mem = [self.r.choice([self.edge(4), 0x41414141, 0]) for _ in range(8)]
        return lines, ir, init, eflags, mem


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-n', type=int, default=3000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--oracle', default=os.path.normpath(os.path.join(ROOT, '..', 'shared', 'oracle')))
    ap.add_argument('-o', default=os.path.join(HERE, 'vectors.json'))
    args = ap.parse_args()
    sys.path.insert(0, args.oracle)
    import run as oracle  # noqa: E402

    g = Gen(random.Random(args.seed))
    out = []
    while len(out) < args.n:
        lines, ir, init, eflags, mem = g.vector()
        src = '\n'.join(lines) + '\n'
        full_init = dict(init, eflags=eflags)
        try:
            res = oracle.run_source(src, init=full_init, mem={DATA: mem}, dump=[(DATA, 16), (STACK_DUMP, 8)],
                                    nasm_syntax=True, max_insns=1000)
        except oracle.OracleError as e:
            sys.exit('oracle rejected:\n%s\n%s' % (src, e))
        if res['stop'] == 'max_insns':
            continue
        fault = None
        if res['stop'] == 'exception':
            if 'EXCEPTION' not in res.get('error', ''):
                continue  # e.g. a string op sent off the mapped data by an earlier instruction
            fault = 'divide'
        expect = {'regs': [res[r] for r in REG32], 'eflags': res['eflags'], 'insns': res['insns']}
        # memory (16 dwords from DATA) and stack (8 dwords below the top) only when they changed
        if res['dump']['0x%08X' % DATA] != mem + [0] * 8:
            expect['mem'] = res['dump']['0x%08X' % DATA]
        if any(res['dump']['0x%08X' % STACK_DUMP]):
            expect['stack'] = res['dump']['0x%08X' % STACK_DUMP]
        if fault:
            expect['fault'] = fault
        out.append({
            'id': len(out),
            'asm': src.rstrip('\n').replace('\n', ' / '),
            'ir': ir,
            'init': {'regs': [init.get(r, STACK_TOP if r == 'esp' else 0) for r in REG32], 'eflags': eflags, 'mem': mem},
            'expect': expect,
            'undefined': res['undefined'],
        })
        if res.get('undefined_reads'):
            out[-1]['undefinedReads'] = True
    with open(args.o, 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(v, separators=(',', ':')) for v in out) + '\n]\n')
    print('wrote %d vectors to %s' % (len(out), args.o))


if __name__ == '__main__':
    main()
