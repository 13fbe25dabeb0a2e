#!/usr/bin/python3
"""Generate targeted x86 conformance vectors from the NASM + Unicorn oracle.

Where gen_cases.py (in the oracle folder) draws random snippets, this script walks
the instruction list of the simulator on purpose: every mnemonic, every operand
size (8-bit including AH..DH, 16, 32) and operand form (reg,reg / reg,imm /
reg,mem / mem,reg / mem,imm where the instruction has it), edge values, shift and
rotate counts around the operand width, and initial flags set to 1 as well as 0
for the instructions that read flags.  The oracle decides every expected result;
this script only chooses inputs.

Writes two JSONL files in the line format of the oracle's gen_cases.py:
  targeted.jsonl  cases that run to the end
  faults.jsonl    cases that stop with a divide error (#DE), with
                  "expect_fault": "divide" and the state before the fault

Extensions of the line format (see test/conformance/README.md):
  init may hold flag keys cf pf af zf sf of with value 1 (absent = 0).

Usage: gen_targeted.py [--seed 1] [--out targeted.jsonl] [--faults faults.jsonl]
Environment: ORACLE_DIR (default: ../shared/oracle relative to the repository root).
Needs /usr/bin/python3 with python3-unicorn, and nasm on PATH.
"""
import argparse
import collections
import json
import os
import random
import re
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ORACLE_DIR = os.path.abspath(os.path.join(REPO, os.environ.get('ORACLE_DIR') or '../shared/oracle'))
sys.path.insert(0, ORACLE_DIR)
try:
    import run as oracle  # noqa: E402
except ImportError as e:  # pragma: no cover
    sys.exit('gen_targeted.py: cannot import the oracle from %s (%s); set ORACLE_DIR' % (ORACLE_DIR, e))

M32 = 0xFFFFFFFF
R32 = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp']
R16 = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp']
R8 = ['al', 'bl', 'cl', 'dl', 'ah', 'bh', 'ch', 'dh']
PARENT = {r: r for r in R32}
PARENT.update({r: 'e' + r for r in R16})
PARENT.update({r: 'e%sx' % r[0] for r in R8})
REGS_OF = {8: R8, 16: R16, 32: R32}
PTR = {8: 'byte ptr', 16: 'word ptr', 32: 'dword ptr'}
FLAGS = oracle.FLAGS
FEATURES = ('mem', 'stack', 'branch', 'loop', 'muldiv', 'size8', 'size16')
BASE = oracle.DATA_BASE
TOP = oracle.STACK_TOP
MEM_DWORDS = 8
STACK_DUMP = 32                    # dwords below STACK_TOP read back after each run

# condition-code suffixes (30 spellings) -> (flags read, predicate)
CC = {
    'o': ('of', lambda f: f['of']), 'no': ('of', lambda f: not f['of']),
    'b': ('cf', lambda f: f['cf']), 'c': ('cf', lambda f: f['cf']), 'nae': ('cf', lambda f: f['cf']),
    'ae': ('cf', lambda f: not f['cf']), 'nb': ('cf', lambda f: not f['cf']), 'nc': ('cf', lambda f: not f['cf']),
    'e': ('zf', lambda f: f['zf']), 'z': ('zf', lambda f: f['zf']),
    'ne': ('zf', lambda f: not f['zf']), 'nz': ('zf', lambda f: not f['zf']),
    'be': ('cf zf', lambda f: f['cf'] or f['zf']), 'na': ('cf zf', lambda f: f['cf'] or f['zf']),
    'a': ('cf zf', lambda f: not (f['cf'] or f['zf'])), 'nbe': ('cf zf', lambda f: not (f['cf'] or f['zf'])),
    's': ('sf', lambda f: f['sf']), 'ns': ('sf', lambda f: not f['sf']),
    'p': ('pf', lambda f: f['pf']), 'pe': ('pf', lambda f: f['pf']),
    'np': ('pf', lambda f: not f['pf']), 'po': ('pf', lambda f: not f['pf']),
    'l': ('sf of', lambda f: f['sf'] != f['of']), 'nge': ('sf of', lambda f: f['sf'] != f['of']),
    'ge': ('sf of', lambda f: f['sf'] == f['of']), 'nl': ('sf of', lambda f: f['sf'] == f['of']),
    'le': ('zf sf of', lambda f: f['zf'] or f['sf'] != f['of']),
    'ng': ('zf sf of', lambda f: f['zf'] or f['sf'] != f['of']),
    'g': ('zf sf of', lambda f: not f['zf'] and f['sf'] == f['of']),
    'nle': ('zf sf of', lambda f: not f['zf'] and f['sf'] == f['of']),
}
CC_ORDER = ('a ae b be c e g ge l le na nae nb nbe nc ne ng nge nl nle '
            'no np ns nz o p pe po s z').split()
assert sorted(CC_ORDER) == sorted(CC) and len(CC) == 30

MULDIV = {'mul', 'imul', 'div', 'idiv', 'cdq', 'cwd', 'cwde', 'cbw'}
STACK_OPS = {'push', 'pop', 'pushad', 'popad', 'pushfd', 'popfd', 'call', 'ret'}
LOOP_OPS = {'loop', 'loope', 'loopz', 'loopne', 'loopnz'}
BRANCH_OPS = {'j' + c for c in CC} | {'jmp', 'jecxz', 'call', 'ret'}
RE8 = re.compile(r'\b(al|bl|cl|dl|ah|bh|ch|dh|byte)\b|\b(lods|stos|movs)b\b|\bset[a-z]+\b|\bcbw\b', re.I)
RE16 = re.compile(r'\b(ax|bx|cx|dx|si|di|bp|sp|word)\b|\b(lods|stos|movs)w\b|\b(cbw|cwd|cwde)\b', re.I)


def masm_hex(v):
    """MASM spelling of an unsigned constant: 5, 7Fh, 0FFh, 0FFFFFFFFh."""
    if v < 10:
        return str(v)
    s = '%Xh' % v
    return '0' + s if s[0] in 'ABCDEF' else s


def edges(w):
    """Edge values for width w: 0, 1, 7Fh, 80h, FFh, 7FFFh, ... and +-1 around them."""
    mask = (1 << w) - 1
    out = set()
    for e in (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF):
        if e <= mask:
            out.update(x & mask for x in (e - 1, e, e + 1))
    return sorted(out)


def key_pairs(w):
    """(a, b) operand pairs that hit carries, borrows, signed overflow, AF and zero results."""
    m, h = (1 << w) - 1, 1 << (w - 1)
    return [(0, 0), (0, 1), (1, m), (h - 1, 1), (h, 1), (m, 1), (h, m), (h - 1, h - 1), (h, h), (m, m),
            (h, h - 1), (h - 1, h), (0xF, 1), (0x10, 1), (0, m), (h - 1, m)]


def put(init, reg, v):
    """Store v into register `reg` (any width) inside the 32-bit init dict."""
    p = PARENT[reg]
    if reg in R32:
        init[p] = v & M32
    elif reg in R16:
        init[p] = (init[p] & 0xFFFF0000) | (v & 0xFFFF)
    elif reg.endswith('l'):
        init[p] = (init[p] & 0xFFFFFF00) | (v & 0xFF)
    else:
        init[p] = (init[p] & 0xFFFF00FF) | ((v & 0xFF) << 8)


def store(mem, disp, width, v):
    raw = bytearray(b''.join(d.to_bytes(4, 'little') for d in mem))
    raw[disp:disp + width // 8] = (v & ((1 << width) - 1)).to_bytes(width // 8, 'little')
    mem[:] = [int.from_bytes(raw[k:k + 4], 'little') for k in range(0, 32, 4)]


def mnemonics(asm):
    """Mnemonics used by a snippet ('rep movsb' counts as one)."""
    out = []
    for line in asm.split('\n'):
        line = line.strip()
        if not line or line.endswith(':'):
            continue
        toks = line.split()
        out.append(' '.join(toks[:2]) if toks[0] == 'rep' else toks[0])
    return out


def features(asm, has_mem, has_stack_key):
    ops = set(m.split()[-1] for m in mnemonics(asm))
    f = set()
    if has_mem:
        f.add('mem')
    if ops & STACK_OPS or has_stack_key:
        f.add('stack')
    if ops & BRANCH_OPS:
        f.add('branch')
    labels_seen, backward = set(), False
    for line in asm.split('\n'):
        line = line.strip()
        if line.endswith(':'):
            labels_seen.add(line[:-1])
        elif line.split() and line.split()[0] in (BRANCH_OPS - {'call'}) | LOOP_OPS \
                and line.split()[-1] in labels_seen:                  # a backward jump makes a loop
            backward = True
    if ops & LOOP_OPS or backward:
        f.add('loop')
    if ops & MULDIV:
        f.add('muldiv')
    if RE8.search(asm):
        f.add('size8')
    if RE16.search(asm):
        f.add('size16')
    return sorted(f, key=FEATURES.index)


class GenError(Exception):
    pass


class Targeted:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.cases, self.faults = [], []
        self.ids = collections.Counter()
        self.dropped = collections.Counter()

    # ------------------------------------------------------------------ values
    def rval(self, w):
        r, mask = self.rng.random(), (1 << w) - 1
        if r < 0.25:
            return self.rng.choice(edges(w))
        if r < 0.35:
            return self.rng.randint(0, 16)
        return self.rng.getrandbits(w) & mask

    def init(self):
        """Fresh initial registers: random (mostly random bits) except ESP."""
        d = {r: (self.rng.getrandbits(32) if self.rng.random() < 0.8 else self.rval(32)) for r in R32}
        d['esp'] = TOP
        return d

    def window(self):
        return [self.rval(32) for _ in range(MEM_DWORDS)]

    def rflags(self):
        """Initial flags for instructions that do not read them: half all-zero, half random."""
        if self.rng.random() < 0.5:
            return {}
        return {f: 1 for f in FLAGS if self.rng.random() < 0.5}

    def reg(self, w, used=(), high=None):
        """A register of width w whose parent is not in `used`; high=True/False picks AH..DH or not."""
        cand = [r for r in REGS_OF[w] if PARENT[r] not in used]
        if w == 8 and high is not None:
            cand = [r for r in cand if (r[1] == 'h') == high] or cand
        return self.rng.choice(cand)

    def two_regs(self, w):
        """Destination and source registers of width w: different registers (8-bit may share a parent)."""
        d = self.reg(w, high=self.rng.random() < 0.5 if w == 8 else None)
        if w == 8:
            s = self.rng.choice([r for r in R8 if r != d])
        else:
            s = self.reg(w, used={PARENT[d]})
        return d, s

    def memop(self, init, width, used, disp=None, ptr=True):
        """A memory operand inside the 32-byte window; sets the base (and index) register in init.
        Returns (text, displacement from BASE)."""
        nbytes = width // 8
        if disp is None:
            disp = self.rng.randrange(0, 32 - nbytes + 1)
            if nbytes > 1 and self.rng.random() < 0.75:
                disp &= ~(nbytes - 1)
        base = self.rng.choice([b for b in ('esi', 'edi', 'ebx') if b not in used])
        init[base] = BASE
        used.add(base)
        idx = [x for x in R32 if x not in used]
        if disp > 0 and idx and self.rng.random() < 0.25:
            ix = self.rng.choice(idx)
            scale = self.rng.choice([s for s in (1, 2, 4, 8) if s <= disp])
            k = self.rng.randint(1, disp // scale)
            init[ix] = k
            used.add(ix)
            rest = disp - k * scale
            expr = '%s+%s%s%s' % (base, ix, '*%d' % scale if scale > 1 else '', '+%d' % rest if rest else '')
        else:
            expr = base + ('+%d' % disp if disp else '')
        text = '[%s]' % expr
        return ('%s %s' % (PTR[width], text) if ptr else text), disp

    # ------------------------------------------------------------------ running
    def add(self, group, lines, init, flags=None, mem=None, fault=False, check=None):
        """Run one snippet through the oracle and keep it as a case (or a fault case)."""
        flags = self.rflags() if flags is None else {f: 1 for f, v in flags.items() if v}
        full = dict(init)
        full.update({f: 1 for f in FLAGS if flags.get(f)})
        asm = '\n'.join(lines)
        dump = ([(BASE, MEM_DWORDS)] if mem is not None else []) + [(TOP - 4 * STACK_DUMP, STACK_DUMP)]
        res = oracle.run_source(asm + '\n', full, mem={BASE: list(mem)} if mem is not None else None,
                                dump=dump, max_insns=100000)
        if res.get('warnings'):
            raise GenError('%s: oracle warnings %s\n%s' % (group, res['warnings'], asm))
        if res['stop'] == 'max_insns':
            raise GenError('%s: runaway\n%s' % (group, asm))
        if res['stop'] == 'exception':
            m = re.search(r'UC_ERR_EXCEPTION\) at line (\d+)', res['error'])
            if not m or lines[int(m.group(1)) - 1].split()[0] not in ('div', 'idiv'):
                raise GenError('%s: unexpected exception %s\n%s' % (group, res['error'], asm))
            if not fault:
                self.dropped['#DE in %s' % group] += 1
                return None
            return self._fault(group, lines, full, mem, res, int(m.group(1)))
        if fault:
            raise GenError('%s: expected #DE, ran to the end\n%s' % (group, asm))
        if res.get('undefined_reads'):
            self.dropped['undefined read in %s' % group] += 1
            return None
        if check:
            check(res)
        case = self._case(group, asm, full, mem, res)
        self.cases.append(case)
        return case

    def _new_id(self, group, prefix='t'):
        self.ids[(prefix, group)] += 1
        return '%s-%s-%03d' % (prefix, group, self.ids[(prefix, group)])

    def _case(self, group, asm, full, mem, res, prefix='t'):
        esp = res['esp']
        if esp > TOP or esp < TOP - 4 * STACK_DUMP or (TOP - esp) % 4:
            raise GenError('%s: final ESP %08X outside the recorded stack\n%s' % (group, esp, asm))
        case = {'id': self._new_id(group, prefix), 'asm': asm, 'init': full,
                'expect': {k: res[k] for k in oracle.REGS + ('eflags',) + FLAGS},
                'undefined': res['undefined'],
                'features': features(asm, mem is not None, esp < TOP),
                'info': {'insns': res['insns'], 'eip': res['eip']}}
        if mem is not None:
            case['mem'] = {'base': BASE, 'init': list(mem), 'expect': res['dump']['0x%08X' % BASE]}
        if esp < TOP:
            case['stack'] = {'top': TOP,
                             'expect': res['dump']['0x%08X' % (TOP - 4 * STACK_DUMP)][STACK_DUMP - (TOP - esp) // 4:]}
        return case

    def _fault(self, group, lines, full, mem, res, line_no):
        """A #DE case: expect = the state before the faulting instruction (checked against a run of
        the lines before it), undefined = the flags undefined at that point."""
        pre_asm = '\n'.join(lines[:line_no - 1]) or 'nop'      # (an empty program does not run at all)
        dump = ([(BASE, MEM_DWORDS)] if mem is not None else []) + [(TOP - 4 * STACK_DUMP, STACK_DUMP)]
        pre = oracle.run_source(pre_asm + '\n', full, mem={BASE: list(mem)} if mem is not None else None,
                                dump=dump)
        if pre['stop'] != 'end' or pre.get('undefined_reads') or pre.get('warnings'):
            raise GenError('%s: prefix of a fault case did not run cleanly\n%s' % (group, pre_asm))
        for k in oracle.REGS + ('eflags',):
            if pre[k] != res[k]:
                raise GenError('%s: state at #DE differs from the state before it (%s)' % (group, k))
        if pre.get('dump') != res.get('dump'):
            raise GenError('%s: memory at #DE differs from the state before it' % group)
        pre['insns'], pre['eip'] = res['insns'], res['eip']
        asm = '\n'.join(lines)
        case = self._case(group, asm, full, mem, pre, prefix='f')
        case['expect_fault'] = 'divide'
        self.faults.append(case)
        return case

    # ------------------------------------------------------------------ data movement
    def gen_mov(self):
        for w in (8, 16, 32):
            vals = [0, 1, (1 << (w - 1)), (1 << w) - 1, self.rval(w), self.rval(w)]
            for v in vals:                                                  # reg, reg
                init = self.init()
                d, s = self.two_regs(w)
                put(init, s, v)
                self.add('mov', ['mov %s, %s' % (d, s)], init)
            for v in vals:                                                  # reg, imm
                init = self.init()
                self.add('mov', ['mov %s, %s' % (self.reg(w), masm_hex(v))], init)
            for v in vals[:4]:                                              # reg, mem / mem, reg / mem, imm
                for form in ('rm', 'mr', 'mi'):
                    init, mem = self.init(), self.window()
                    r = self.reg(w, used={'esi', 'edi'} if w == 32 else ())
                    op, disp = self.memop(init, w, {PARENT[r]}, ptr=form == 'mi' or self.rng.random() < 0.6)
                    if form == 'rm':
                        store(mem, disp, w, v)
                        line = 'mov %s, %s' % (r, op)
                    elif form == 'mr':
                        put(init, r, v)
                        line = 'mov %s, %s' % (op, r)
                    else:
                        line = 'mov %s, %s' % (op, masm_hex(v))
                    self.add('mov', [line], init, mem=mem)
        init = self.init()                       # same register
        self.add('mov', ['mov ecx, ecx', 'mov ah, ah', 'mov al, ah', 'mov dh, bl'], init)

    def gen_movx(self):
        forms = [(32, 8), (32, 16), (16, 8)]
        for op in ('movzx', 'movsx'):
            for dw, sw in forms:
                for v in (0, 0x7F, 0x80, (1 << sw) - 1, (1 << (sw - 1)) - 1 if sw == 16 else 0x81,
                          1 << (sw - 1) if sw == 16 else 0xFE, self.rval(sw)):
                    init = self.init()
                    s = self.reg(sw, high=self.rng.random() < 0.5 if sw == 8 else None)
                    d = self.reg(dw)
                    put(init, s, v)
                    self.add(op, ['%s %s, %s' % (op, d, s)], init)
                for v in (0x7F, 0x80, (1 << sw) - 1, self.rval(sw)):
                    init, mem = self.init(), self.window()
                    d = self.reg(dw, used={'esi', 'edi', 'ebx'})
                    o, disp = self.memop(init, sw, {PARENT[d]})
                    store(mem, disp, sw, v)
                    self.add(op, ['%s %s, %s' % (op, d, o)], init, mem=mem)
            init = self.init()                   # destination is the source's own parent
            put(init, 'eax', 0x12348586)
            self.add(op, ['%s eax, al' % op], init)
            init = self.init()
            put(init, 'ecx', 0x1234F0F0)
            self.add(op, ['%s ecx, ch' % op, '%s dx, cl' % op], init)

    def gen_lea(self):
        forms = ['[ebx]', '[ebx+4]', '[esi-4]', '[ebx+ecx]', '[ebx+ecx*2]', '[esi+edi*4]', '[eax+eax*8]',
                 '[ecx*8+10h]', '[edx*4-8]', '[ebp+esi*8+7FFFFFFFh]', '[eax+ebx+80000000h]', '[edi+0FFFFFFFFh]',
                 '[esp+4]', '[esp+eax*2+12]', '[ebx+ecx*4+123h]', '[ecx+ecx]', '[eax*2]']
        for f in forms:
            for _ in range(2):
                init = self.init()
                if self.rng.random() < 0.4:
                    put(init, 'ebx', self.rng.choice(edges(32)))
                self.add('lea', ['lea %s, %s' % (self.reg(32), f)], init)
        for f in ('[ebx+ecx]', '[esi+edi*2+7FFFh]', '[eax+8000h]'):     # 16-bit destination: low half kept
            init = self.init()
            self.add('lea', ['lea %s, %s' % (self.reg(16), f)], init)

    def gen_xchg(self):
        for w in (8, 16, 32):
            for _ in range(4):                                              # reg, reg
                init = self.init()
                d, s = self.two_regs(w)
                self.add('xchg', ['xchg %s, %s' % (d, s)], init)
            for short in ({8: 'al', 16: 'ax', 32: 'eax'}[w],):
                init = self.init()
                self.add('xchg', ['xchg %s, %s' % (short, self.reg(w, used={'eax'}))], init)
            init = self.init()                                              # same register
            self.add('xchg', ['xchg %s, %s' % ((self.reg(w),) * 2)], init)
            for form in ('rm', 'mr', 'rm'):
                init, mem = self.init(), self.window()
                r = self.reg(w, used={'esi', 'edi', 'ebx'} if w != 8 else ())
                o, _ = self.memop(init, w, {PARENT[r]}, ptr=self.rng.random() < 0.6)
                self.add('xchg', ['xchg %s, %s' % ((r, o) if form == 'rm' else (o, r))], init, mem=mem)

    def gen_stack(self):
        vals = [0, 0x7F, 0x80, 0xFFFFFFFF, 0xFFFFFF80, 0xFFFFFF7F, 0x80000000, 0x12345678]
        for v in vals:                                                      # push imm (imm8 and imm32 forms)
            self.add('push', ['push %s' % masm_hex(v)], self.init())
        for r in R32:                                                       # push reg, then pop elsewhere
            init = self.init()
            self.add('push', ['push %s' % r], init)
            init = self.init()
            self.add('pop', ['push %s' % r, 'pop %s' % self.reg(32, used={r})], init)
        self.add('push', ['push esp'], self.init())                         # pushes the old ESP
        self.add('push', ['push esp', 'pop eax'], self.init())
        self.add('push', ['push eax', 'push ebx', 'pop eax', 'pop ebx'], self.init())   # swap via stack
        self.add('push', ['push ecx', 'push edx', 'push esi', 'pop edi'], self.init())
        for _ in range(3):                                                  # push mem, pop mem
            init, mem = self.init(), self.window()
            used = set()
            o, _ = self.memop(init, 32, used)
            self.add('push', ['push %s' % o], init, mem=mem)
            init, mem = self.init(), self.window()
            used = set()
            o1, _ = self.memop(init, 32, used)
            self.add('pop', ['push %s' % masm_hex(self.rval(32)), 'pop %s' % o1], init, mem=mem)
        for d in (0, 4, 13, 24):                                            # memory to memory through the stack
            init, mem = self.init(), self.window()
            init['esi'] = BASE
            self.add('pop', ['push eax', 'push dword ptr [esi+%d]' % d, 'pop dword ptr [esi+%d]' % (d + 4), 'pop ecx'],
                     init, mem=mem)
        # 16-bit pushes and pops (always in pairs, so ESP stays a multiple of 4)
        self.add('push', ['push ax', 'push bx'], self.init())
        self.add('pop', ['push 12345678h', 'pop cx', 'pop dx'], self.init())
        self.add('pop', ['push ax', 'push si', 'pop eax'], self.init())
        self.add('pop', ['push 0FFFF8000h', 'pop bp', 'pop di', 'push di', 'push bp'], self.init())
        init, mem = self.init(), self.window()
        o, _ = self.memop(init, 16, {'eax'}, disp=6)
        self.add('push', ['push %s' % o, 'push ax'], init, mem=mem)
        init, mem = self.init(), self.window()
        o, _ = self.memop(init, 16, {'ebx'}, disp=12)
        self.add('pop', ['push ebx', 'pop %s' % o, 'pop bx'], init, mem=mem)
        # pushad / popad
        self.add('pushad', ['pushad'], self.init())
        self.add('pushad', ['pushad', 'pop eax', 'pop ebx', 'pop ecx', 'pop edx'], self.init())
        self.add('popad', ['pushad', 'xor eax, eax', 'mov ebx, 1', 'not ecx', 'neg esi', 'popad'], self.init())
        self.add('popad', ['push %s' % masm_hex(0x11111111 * k) for k in range(1, 9)] + ['popad'], self.init())
        self.add('popad', ['push eax', 'push ebx', 'pushad', 'popad', 'pop ecx'], self.init())
        self.add('popad', ['push 5', 'push 6', 'push 7', 'push 8', 'push 9', 'push 0Ah', 'push 0Bh', 'push 0Ch',
                           'popad', 'pushad'], self.init())
        # pushfd / popfd (EFLAGS bit 1 is always 1; only status flags and DF are ever set)
        for _ in range(5):
            flags = {f: self.rng.random() < 0.5 for f in FLAGS}
            self.add('pushfd', ['pushfd', 'pop eax'], self.init(), flags=flags)
        self.add('pushfd', ['pushfd'], self.init(), flags={'cf': 1, 'zf': 1, 'of': 1})
        self.add('pushfd', ['std', 'pushfd', 'cld', 'pushfd'], self.init(), flags={'sf': 1, 'pf': 1})
        self.add('pushfd', ['stc', 'pushfd', 'pop ecx', 'clc', 'pushfd'], self.init())
        for v in (0, 2, 0x8D5 | 2, 0x1, 0x40, 0x800, 0x80, 0x4, 0x10, 0x400 | 0x41):
            self.add('popfd', ['push %s' % masm_hex(v), 'popfd'], self.init(), flags={f: 1 for f in FLAGS})
        for _ in range(3):
            init = self.init()
            put(init, 'edx', self.rng.getrandbits(32) & 0xCD5)
            self.add('popfd', ['push edx', 'popfd', 'pushfd', 'pop ebx'], init)
        init = self.init()
        self.add('popfd', ['pushfd', 'add eax, ebx', 'popfd'], init, flags=self.rflags())

    # ------------------------------------------------------------------ arithmetic and logic
    def gen_alu2(self):
        for op in ('add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test'):
            carry = op in ('adc', 'sbb')
            for w in (8, 16, 32):
                E, K = edges(w), key_pairs(w)
                mask = (1 << w) - 1
                sweep = [(a, self.rng.choice(E)) for a in E[self.rng.randrange(2)::2]]
                rand = [(self.rng.getrandbits(w), self.rng.getrandbits(w))]
                pairs = [(a, b, cf) for a, b in K for cf in ((0, 1) if carry else (None,))]
                pairs += [(a, b, (i & 1) if carry else None) for i, (a, b) in enumerate(sweep + rand)]
                for a, b, cf in pairs:                                      # reg, reg
                    init = self.init()
                    d, s = self.two_regs(w)
                    put(init, d, a)
                    put(init, s, b)
                    flags = self.rflags() if cf is None else dict(self.rflags(), cf=cf)
                    self.add(op, ['%s %s, %s' % (op, d, s)], init, flags=flags)
                for cf in ((0, 1) if carry else (None,)):                  # same register twice
                    init = self.init()
                    r = self.reg(w)
                    flags = self.rflags() if cf is None else dict(self.rflags(), cf=cf)
                    self.add(op, ['%s %s, %s' % (op, r, r)], init, flags=flags)
                imms = E[::2] + [mask & ~0x7F, mask & ~0x80] if w > 8 else E   # incl. imm8 sign-extension edges
                for i, b in enumerate(imms):                                # reg, imm
                    init = self.init()
                    d = self.reg(w, high=(i & 1) == 1 if w == 8 else None)
                    put(init, d, self.rng.choice(E))
                    flags = self.rflags() if not carry else dict(self.rflags(), cf=i & 1)
                    self.add(op, ['%s %s, %s' % (op, d, masm_hex(b))], init, flags=flags)
                forms = ('mr', 'mi') if op == 'test' else ('rm', 'mr', 'mi')
                for form in forms:                                          # memory forms
                    for i in range(3):
                        a, b = self.rng.choice(K)
                        init, mem = self.init(), self.window()
                        r = self.reg(w, used={'esi', 'edi', 'ebx'} if w != 8 else ())
                        o, disp = self.memop(init, w, {PARENT[r]}, ptr=form == 'mi' or self.rng.random() < 0.6)
                        flags = self.rflags() if not carry else dict(self.rflags(), cf=i & 1)
                        if form == 'rm':
                            put(init, r, a)
                            store(mem, disp, w, b)
                            line = '%s %s, %s' % (op, r, o)
                        elif form == 'mr':
                            store(mem, disp, w, a)
                            put(init, r, b)
                            line = '%s %s, %s' % (op, o, r)
                        else:
                            store(mem, disp, w, a)
                            line = '%s %s, %s' % (op, o, masm_hex(b))
                        self.add(op, [line], init, mem=mem, flags=flags)
            if carry:                                                       # multi-word carry chain
                init = self.init()
                self.add(op, ['%s eax, ecx' % ('add' if op == 'adc' else 'sub'), '%s edx, ebx' % op], init)

    def gen_unary(self):
        for op in ('inc', 'dec', 'neg', 'not'):
            for w in (8, 16, 32):
                for i, v in enumerate(edges(w)):
                    init = self.init()
                    r = self.reg(w, high=(i & 1) == 1 if w == 8 else None)
                    put(init, r, v)
                    flags = self.rflags()
                    if op in ('inc', 'dec'):
                        flags['cf'] = i & 1                                 # CF must survive inc/dec
                    self.add(op, ['%s %s' % (op, r)], init, flags=flags)
                for v in ((1 << (w - 1)) - 1, 1 << (w - 1), (1 << w) - 1, 0):
                    init, mem = self.init(), self.window()
                    o, disp = self.memop(init, w, set())
                    store(mem, disp, w, v)
                    self.add(op, ['%s %s' % (op, o)], init, mem=mem)

    def gen_shift(self):
        for op in ('shl', 'sal', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'):
            through = op in ('rcl', 'rcr')
            for w in (8, 16, 32):
                counts = sorted({0, 1, w - 1, w, w + 1, 31, 32, 33})
                E = edges(w)
                for i, c in enumerate(counts):                              # immediate count
                    for cf in ((0, 1) if through else (None,)):
                        init = self.init()
                        r = self.reg(w, high=(i & 1) == 1 if w == 8 else None)
                        put(init, r, self.rng.choice(E) if self.rng.random() < 0.5 else self.rval(w))
                        flags = self.rflags() if cf is None else dict(self.rflags(), cf=cf)
                        self.add(op, ['%s %s, %d' % (op, r, c)], init, flags=flags)
                cl_counts = counts + [0xFF, 0x41, w + 2, self.rng.randint(2, w - 2)]
                for i, c in enumerate(cl_counts):                           # count in CL
                    init = self.init()
                    r = self.reg(w, used={'ecx'}, high=(i & 1) == 1 if w == 8 else None)
                    put(init, r, self.rng.choice(E) if self.rng.random() < 0.5 else self.rval(w))
                    put(init, 'cl', c)
                    flags = self.rflags() if not through else dict(self.rflags(), cf=i & 1)
                    self.add(op, ['%s %s, cl' % (op, r)], init, flags=flags)
                for i, c in enumerate(('1', 'cl', str(w - 1), '3', 'cl')):   # memory destination
                    init, mem = self.init(), self.window()
                    o, disp = self.memop(init, w, {'ecx'})
                    store(mem, disp, w, self.rng.choice(E) if i < 3 else self.rval(w))
                    put(init, 'cl', self.rng.choice(counts))
                    flags = self.rflags() if not through else dict(self.rflags(), cf=i & 1)
                    self.add(op, ['%s %s, %s' % (op, o, c)], init, mem=mem, flags=flags)
            init = self.init()                                              # the count register shifted by itself
            put(init, 'cl', 0x85)
            self.add(op, ['%s cl, cl' % op], init, flags={'cf': 1})

    def gen_muldiv(self):
        for op in ('mul', 'imul'):                                          # one-operand forms
            for w in (8, 16, 32):
                m, h = (1 << w) - 1, 1 << (w - 1)
                pairs = [(0, m), (1, m), (m, m), (h, 2), (h - 1, 2), (h, h), (h - 1, h - 1), (m, 2), (2, 3),
                         (0x10, 0x10), (self.rng.getrandbits(w), self.rng.getrandbits(w))]
                acc = {8: 'al', 16: 'ax', 32: 'eax'}[w]
                for a, b in pairs:
                    init = self.init()
                    s = self.rng.choice([r for r in REGS_OF[w] if r != acc and (w == 8 or PARENT[r] != 'eax')])
                    put(init, acc, a)
                    put(init, s, b)
                    self.add(op, ['%s %s' % (op, s)], init)
                init = self.init()                                          # square of the accumulator
                self.add(op, ['%s %s' % (op, acc)], init)
                if w == 8:
                    init = self.init()
                    put(init, 'ax', 0x80FF)
                    self.add(op, ['%s ah' % op], init)
                for a, b in pairs[:4]:
                    init, mem = self.init(), self.window()
                    o, disp = self.memop(init, w, {'eax', 'edx'})
                    put(init, acc, a)
                    store(mem, disp, w, b)
                    self.add(op, ['%s %s' % (op, o)], init, mem=mem)
        for w in (16, 32):                                                  # imul 2- and 3-operand
            m, h = (1 << w) - 1, 1 << (w - 1)
            pairs = [(0, m), (m, m), (h, m), (h - 1, 2), (h, 1), (0x100, 0x100), (3, m - 4),
                     (self.rng.getrandbits(w), self.rng.getrandbits(w))]
            for a, b in pairs:
                init = self.init()
                d, s = self.two_regs(w)
                put(init, d, a)
                put(init, s, b)
                self.add('imul', ['imul %s, %s' % (d, s)], init)
            for a, b in pairs[:4]:
                init, mem = self.init(), self.window()
                d = self.reg(w, used={'esi', 'edi', 'ebx'})
                o, disp = self.memop(init, w, {PARENT[d]}, ptr=self.rng.random() < 0.6)
                put(init, d, a)
                store(mem, disp, w, b)
                self.add('imul', ['imul %s, %s' % (d, o)], init, mem=mem)
            imms = [0, 1, 2, 0x7F, 0x80, m, m - 1, h, h - 1, m & ~0x7F, 10]
            for i, k in enumerate(imms):
                init = self.init()
                d, s = self.two_regs(w)
                put(init, s, self.rng.choice([h, h - 1, m, 3, 0x1234, self.rng.getrandbits(w)]))
                self.add('imul', ['imul %s, %s, %s' % (d, s, masm_hex(k))], init)
            for k in (0x7F, m, h):
                init, mem = self.init(), self.window()
                d = self.reg(w, used={'esi', 'edi', 'ebx'})
                o, disp = self.memop(init, w, {PARENT[d]})
                store(mem, disp, w, self.rng.choice([h, m, 0x100, self.rng.getrandbits(w)]))
                self.add('imul', ['imul %s, %s, %s' % (d, o, masm_hex(k))], init, mem=mem)
            for k in (5, m, h):                                             # 'imul r, imm' = imul r, r, imm
                init = self.init()
                d = self.reg(w)
                self.add('imul', ['imul %s, %s' % (d, masm_hex(k))], init)
            init = self.init()
            self.add('imul', ['imul %s, %s' % ((self.reg(w),) * 2)], init)   # same register

        for op in ('div', 'idiv'):
            for w in (8, 16, 32):
                for i in range(12):
                    for _ in range(100):
                        n, d = self.divide_inputs(op, w)
                        if d:
                            q = self._quot(op, w, n, d)
                            if q is not None:
                                break
                    init = self.init()
                    self._set_dividend(init, w, n)
                    src = self.reg(w, used={'eax', 'edx'})
                    put(init, src, d)
                    if i < 9:
                        self.add(op, ['%s %s' % (op, src)], init)
                    else:
                        mem = self.window()
                        init = self.init()
                        self._set_dividend(init, w, n)
                        o, disp = self.memop(init, w, {'eax', 'edx'})
                        store(mem, disp, w, d)
                        self.add(op, ['%s %s' % (op, o)], init, mem=mem)
            init = self.init()                                              # the usual idioms
            put(init, 'eax', self.rng.getrandbits(32))
            put(init, 'ecx', self.rng.randint(2, 1000))
            self.add(op, ['xor edx, edx' if op == 'div' else 'cdq', '%s ecx' % op], init)
            init = self.init()
            put(init, 'eax', 0xFFFFFF85)
            put(init, 'ebx', 7)
            self.add(op, ['cdq' if op == 'idiv' else 'xor edx, edx', '%s ebx' % op], init)
            init = self.init()
            put(init, 'ax', 0xFF85)
            put(init, 'cl', 0xFD)
            if op == 'idiv':
                self.add(op, ['cwd', 'idiv cx', 'cbw', 'idiv cl'], init)

        for op, reg, w in (('cbw', 'al', 8), ('cwde', 'ax', 16), ('cwd', 'ax', 16), ('cdq', 'eax', 32)):
            for v in sorted({0, 1, 0x7F, 0x80, 0xFF, (1 << (w - 1)) - 1, 1 << (w - 1), (1 << w) - 1}) + \
                    [self.rng.getrandbits(w)]:
                init = self.init()
                put(init, reg, v)
                self.add(op, [op], init)

    def divide_inputs(self, op, w):
        """Dividend (2w bits, as an unsigned number) and divisor (w bits) likely to give a valid quotient."""
        m, h = (1 << w) - 1, 1 << (w - 1)
        r = self.rng
        if op == 'div':
            d = r.choice([1, 2, 3, 7, 10, 0x7F, 0x80, m, m - 1, h, r.getrandbits(w) | 1])
            q = r.choice([0, 1, m, m - 1, h, h - 1, r.getrandbits(w)])
            rem = r.randrange(0, d)
            return q * d + rem, d
        d = r.choice([1, -1, 2, -2, 3, -7, 0x7F, -0x80, h - 1, -h, r.getrandbits(w - 1) + 1])
        q = r.choice([0, 1, -1, h - 1, -h, -h + 1, r.randint(-h, h - 1)])
        rem = r.randrange(0, abs(d))
        rem = -rem if (q * d < 0 or (q == 0 and r.random() < 0.5)) else rem
        n = q * d + rem
        return n & ((1 << (2 * w)) - 1), d & m

    @staticmethod
    def _quot(op, w, n, d):
        """Quotient if the division does not fault, else None."""
        m, h = (1 << w) - 1, 1 << (w - 1)
        if d == 0:
            return None
        if op == 'div':
            q = n // d
            return q if q <= m else None
        sn = n - (1 << (2 * w)) if n >> (2 * w - 1) else n
        sd = d - (1 << w) if d & h else d
        q = abs(sn) // abs(sd) * (1 if (sn < 0) == (sd < 0) else -1)
        return q if -h <= q < h else None

    @staticmethod
    def _set_dividend(init, w, n):
        if w == 8:
            put(init, 'ax', n)
        elif w == 16:
            put(init, 'ax', n & 0xFFFF)
            put(init, 'dx', n >> 16)
        else:
            init['eax'], init['edx'] = n & M32, n >> 32

    # ------------------------------------------------------------------ bit operations
    def gen_bitops(self):
        for op in ('bt', 'bts', 'btr', 'btc'):
            for w in (16, 32):
                for i, k in enumerate((0, 1, w - 1, w, w + 1, 33, 0x41, 0xFF)):        # reg, reg / reg, imm
                    init = self.init()
                    d, s = self.two_regs(w)
                    put(init, d, self.rval(w))
                    put(init, s, k)
                    flags = dict(self.rflags(), cf=i & 1)
                    self.add(op, ['%s %s, %s' % (op, d, s)], init, flags=flags)
                    init = self.init()
                    d = self.reg(w)
                    put(init, d, self.rval(w))
                    self.add(op, ['%s %s, %d' % (op, d, k)], init, flags=dict(self.rflags(), cf=(i + 1) & 1))
                # memory, imm (offset taken modulo the width)
                for k in (0, 7, w - 1, w + 3):
                    init, mem = self.init(), self.window()
                    o, _ = self.memop(init, w, set())
                    self.add(op, ['%s %s, %d' % (op, o, k)], init, mem=mem)
                # memory, reg: bit-string addressing, the offset can leave the operand (kept inside the window)
                for k in (0, w - 1, w, 100, 127 - w + 1, -1, -w - 1, -128):
                    init, mem = self.init(), self.window()
                    s = self.reg(w, used={'esi', 'edi', 'ebx'})
                    o, _ = self.memop(init, w, {PARENT[s]}, disp=16)
                    put(init, s, k)
                    self.add(op, ['%s %s, %s' % (op, o, s)], init, mem=mem)
        for op in ('bsf', 'bsr'):
            for w in (16, 32):
                m, h = (1 << w) - 1, 1 << (w - 1)
                for v in (1, 2, 0x80, h, m, h | 1, 0x0100, 0x00F0, self.rng.getrandbits(w) | 1, 0):
                    init = self.init()
                    d, s = self.two_regs(w)
                    put(init, s, v)
                    lines = ['%s %s, %s' % (op, d, s)]
                    if v == 0:      # destination undefined (Intel) for a zero source: overwrite it, keep ZF=1
                        lines.append('mov %s, 0' % d)
                    self.add(op, lines, init)
                for v in (1, h, 0x1234 & m):
                    init, mem = self.init(), self.window()
                    d = self.reg(w, used={'esi', 'edi', 'ebx'})
                    o, disp = self.memop(init, w, {PARENT[d]})
                    store(mem, disp, w, v)
                    self.add(op, ['%s %s, %s' % (op, d, o)], init, mem=mem)
        for w in (8, 16, 32):                                                # xadd
            m, h = (1 << w) - 1, 1 << (w - 1)
            for a, b in ((m, 1), (h - 1, 1), (h, h), (0, 0), (self.rng.getrandbits(w), self.rng.getrandbits(w))):
                init = self.init()
                d, s = self.two_regs(w)
                put(init, d, a)
                put(init, s, b)
                self.add('xadd', ['xadd %s, %s' % (d, s)], init)
            for a, b in ((m, 1), (h, m), (0x1234 & m, 0x4321 & m)):
                init, mem = self.init(), self.window()
                s = self.reg(w, used={'esi', 'edi', 'ebx'} if w != 8 else ())
                o, disp = self.memop(init, w, {PARENT[s]})
                store(mem, disp, w, a)
                put(init, s, b)
                self.add('xadd', ['xadd %s, %s' % (o, s)], init, mem=mem)
            init = self.init()
            self.add('xadd', ['xadd %s, %s' % ((self.reg(w),) * 2)], init)
        for r in R32:                                                        # bswap
            for v in (0x12345678, self.rng.getrandbits(32)):
                init = self.init()
                put(init, r, v)
                self.add('bswap', ['bswap %s' % r], init)

    # ------------------------------------------------------------------ conditions
    def flag_combos(self, cc):
        """Initial flags: every combination of the flags `cc` reads, the others random."""
        read = CC[cc][0].split()
        for bits in list(range(1 << len(read))) * (2 if len(read) == 1 else 1):
            flags = {f: self.rng.random() < 0.5 for f in FLAGS}
            flags.update({f: (bits >> i) & 1 for i, f in enumerate(read)})
            yield {f: int(v) for f, v in flags.items()}

    CMP_PAIRS = [(5, 5), (1, 0xFFFFFFFF), (0xFFFFFFFF, 1), (0x80000000, 0x7FFFFFFF), (0x7FFFFFFF, 0x80000000),
                 (0, 1), (3, 2), (0x80000000, 1), (0x7FFFFFFF, 0xFFFFFFFF), (0, 0x80000000)]

    def gen_jcc(self):
        for n, cc in enumerate(CC_ORDER):
            op = 'j' + cc
            nc = 1 << len(CC[cc][0].split())
            for k, flags in enumerate(self.flag_combos(cc)):
                init = self.init()
                taken = bool(CC[cc][1](flags))
                if (k + k // nc) % 2 == 0:
                    lines = [op + ' L1', 'mov eax, 1', 'jmp L2', 'L1:', 'mov eax, 2', 'L2:']

                    def check(res, taken=taken, op=op):
                        if res['eax'] != (2 if taken else 1):
                            raise GenError('%s: oracle and condition table disagree' % op)
                else:
                    lines = [op + ' L1', 'add ebx, 1', 'L1:']

                    def check(res, taken=taken, op=op, ebx=init['ebx']):
                        if (res['ebx'] - ebx) & M32 != (0 if taken else 1):
                            raise GenError('%s: oracle and condition table disagree' % op)
                self.add(op, lines, init, flags=flags, check=check)
            for k in range(4):                                              # condition from a cmp
                a, b = self.CMP_PAIRS[(n + 3 * k) % len(self.CMP_PAIRS)]
                init = self.init()
                w = (32, 32, 8, 16)[k]
                ra, rb = {32: ('eax', 'ebx'), 8: ('al', 'bh'), 16: ('cx', 'dx')}[w]
                sh = 32 - w
                put(init, ra, a >> sh)
                put(init, rb, b >> sh)
                self.add(op, ['cmp %s, %s' % (ra, rb), op + ' L1', 'mov esi, 1', 'L1:'], init)
        init = self.init()                                                  # near (rel32) jumps
        self.add('jcc', ['cmp eax, eax', 'je L1'] + ['mov ecx, 12345678h'] * 30 + ['L1:', 'mov edx, 1'], init)
        self.add('jcc', ['cmp eax, eax', 'jne L1'] + ['mov ecx, 12345678h'] * 30 + ['L1:', 'mov edx, 1'], init)
        self.add('jcc', ['mov ecx, 3', 'L1:'] + ['add eax, 1234567h'] * 25 + ['dec ecx', 'jnz L1'], init)
        # jmp
        self.add('jmp', ['jmp L1', 'mov eax, 1', 'L1:'], self.init())
        self.add('jmp', ['jmp L2', 'L1:', 'add eax, 1', 'jmp L3', 'L2:', 'add eax, 2', 'jmp L1', 'L3:'], self.init())
        self.add('jmp', ['jmp L1'] + ['mov ecx, 12345678h'] * 30 + ['L1:', 'mov edx, 1'], self.init())
        self.add('jmp', ['mov ecx, 0', 'L1:', 'add ecx, 1', 'cmp ecx, 4', 'je L2', 'jmp L1', 'L2:'], self.init())
        # jecxz
        for v in (0, 1, 0x10000, 0xFFFFFFFF, 0x80000000):
            init = self.init()
            put(init, 'ecx', v)
            self.add('jecxz', ['jecxz L1', 'mov eax, 1', 'L1:'], init, flags=self.rflags())
        # loop family
        for n in (1, 2, 5):
            init = self.init()
            put(init, 'ecx', n)
            self.add('loop', ['L1:', 'add eax, ecx', 'loop L1'], init, flags=self.rflags())
        init = self.init()
        self.add('loop', ['mov ecx, 4', 'xor eax, eax', 'L1:', 'add eax, 3', 'stc', 'loop L1'], init)
        init = self.init()
        put(init, 'ecx', 0x80000003)   # 80000003h iterations would be too many: the body exits early
        self.add('loop', ['L1:', 'inc edx', 'cmp edx, 3', 'jae L2', 'loop L1', 'L2:'], dict(init, edx=0))
        for op in ('loope', 'loopz', 'loopne', 'loopnz'):
            for n, stop_at in ((3, 1), (3, 5), (5, 2), (1, 1)):
                init = self.init()
                put(init, 'ecx', n)
                put(init, 'eax', 0)
                # loope continues while ZF=1: count equal results; loopne continues while ZF=0
                if op in ('loope', 'loopz'):
                    lines = ['L1:', 'inc eax', 'cmp eax, %d' % (1 if stop_at == 1 else 100), 'mov ebx, eax',
                             'cmp ebx, eax' if stop_at != 1 else 'nop', op + ' L1']
                else:
                    lines = ['L1:', 'inc eax', 'cmp eax, %d' % stop_at, op + ' L1']
                self.add(op, lines, init)
        # call / ret
        self.add('call', ['call P1', 'add eax, 1', 'jmp L1', 'P1:', 'mov eax, 5', 'ret', 'L1:'], self.init())
        self.add('call', ['jmp L1', 'P1:', 'shl eax, 1', 'ret', 'L1:', 'call P1', 'call P1'], self.init())
        self.add('call', ['call P1', 'jmp L1', 'P1:', 'push ebx', 'mov ebx, 7', 'add eax, ebx', 'pop ebx', 'ret',
                          'L1:'], self.init())
        self.add('call', ['call P1', 'jmp L1', 'P1:', 'call P2', 'add eax, 10h', 'ret', 'P2:', 'add eax, 1', 'ret',
                          'L1:'], self.init())
        self.add('call', ['mov ecx, 3', 'xor eax, eax', 'call P1', 'jmp L1', 'P1:', 'add eax, ecx', 'dec ecx',
                          'jz L2', 'call P1', 'L2:', 'ret', 'L1:'], self.init())
        self.add('call', ['call P1', 'jmp L1', 'P1:', 'stc', 'ret', 'L1:', 'adc edx, 0'], self.init())
        self.add('ret', ['push 11h', 'call P1', 'jmp L1', 'P1:', 'mov eax, dword ptr [esp+4]', 'ret 4', 'L1:'],
                 self.init())
        self.add('ret', ['push 11h', 'push 22h', 'call P1', 'jmp L1', 'P1:', 'mov eax, dword ptr [esp+4]',
                         'add eax, dword ptr [esp+8]', 'ret 8', 'L1:'], self.init())
        self.add('ret', ['push 1', 'push 2', 'push 3', 'call P1', 'jmp L1', 'P1:', 'mov ecx, dword ptr [esp+12]',
                         'ret 8', 'L1:'], self.init())
        self.add('ret', ['call P1', 'jmp L1', 'P1:', 'ret 0', 'L1:', 'mov edx, esp'], self.init())

    def gen_setcc_cmov(self):
        for n, cc in enumerate(CC_ORDER):
            op = 'set' + cc
            for k, flags in enumerate(self.flag_combos(cc)):
                init = self.init()
                r = self.reg(8, high=k % 2 == 1)
                taken = int(bool(CC[cc][1](flags)))

                def check(res, r=r, taken=taken, op=op):
                    v = res[PARENT[r]] >> (8 if r[1] == 'h' else 0) & 0xFF
                    if v != taken:
                        raise GenError('%s: oracle and condition table disagree' % op)
                self.add(op, ['%s %s' % (op, r)], init, flags=flags, check=check)
            init, mem = self.init(), self.window()
            o, _ = self.memop(init, 8, set(), ptr=True)
            self.add(op, ['%s %s' % (op, o)], init, mem=mem, flags=self.rflags())
            for k in range(2):
                a, b = self.CMP_PAIRS[(n + 5 * k) % len(self.CMP_PAIRS)]
                init = self.init()
                put(init, 'ecx', a)
                put(init, 'edx', b)
                self.add(op, ['cmp ecx, edx', '%s %s' % (op, self.reg(8, used={'ecx', 'edx'}))], init)
        for n, cc in enumerate(CC_ORDER):
            op = 'cmov' + cc
            for k, flags in enumerate(self.flag_combos(cc)):
                init = self.init()
                w = 32 if k % 3 else 16
                d, s = self.two_regs(w)
                taken = bool(CC[cc][1](flags))

                def check(res, d=d, s=s, init=dict(init), taken=taken, op=op):
                    want = init[PARENT[s]] if taken else init[PARENT[d]]
                    mask = M32 if d in R32 else 0xFFFF
                    if (res[PARENT[d]] ^ want) & mask or (res[PARENT[d]] ^ init[PARENT[d]]) & ~mask & M32:
                        raise GenError('%s: oracle and condition table disagree' % op)
                self.add(op, ['%s %s, %s' % (op, d, s)], init, flags=flags, check=check)
            for w in (32, 16):
                init, mem = self.init(), self.window()
                d = self.reg(w, used={'esi', 'edi', 'ebx'})
                o, _ = self.memop(init, w, {PARENT[d]}, ptr=self.rng.random() < 0.6)
                self.add(op, ['%s %s, %s' % (op, d, o)], init, mem=mem, flags=self.rflags())
            a, b = self.CMP_PAIRS[n % len(self.CMP_PAIRS)]
            init = self.init()
            put(init, 'esi', a)
            put(init, 'edi', b)
            self.add(op, ['cmp esi, edi', '%s eax, ebx' % op], init)

    # ------------------------------------------------------------------ flags and strings
    def gen_flagops(self):
        for op in ('clc', 'stc', 'cmc'):
            for cf in (0, 1, 0, 1):
                self.add(op, [op], self.init(), flags=dict(self.rflags(), cf=cf))
        self.add('cmc', ['cmc', 'cmc', 'cmc'], self.init(), flags={'cf': 1})
        self.add('std', ['std'], self.init(), flags=self.rflags())
        self.add('std', ['std', 'std'], self.init(), flags=self.rflags())
        self.add('cld', ['cld'], self.init(), flags=self.rflags())
        self.add('cld', ['std', 'cld'], self.init(), flags=self.rflags())
        for _ in range(2):
            self.add('nop', ['nop'], self.init(), flags=self.rflags())
        self.add('nop', ['nop', 'nop', 'nop'], self.init(), flags=self.rflags())

    def gen_string(self):
        for op in ('lods', 'stos', 'movs'):
            for sfx, size in (('b', 1), ('w', 2), ('d', 4)):
                name = op + sfx
                for df in (0, 1):
                    for rep, n in ((False, 1), (False, 1), (True, 0), (True, 1), (True, 3)):
                        init, mem = self.init(), self.window()
                        span = max(n, 1) * size
                        # ESI in the first half of the window, EDI in the second, both moving inside it
                        lo = 0 if df == 0 else span - size
                        si = self.rng.randrange(lo, 16 - (span - lo) + 1)
                        di = 16 + self.rng.randrange(lo, 16 - (span - lo) + 1)
                        init['esi'], init['edi'] = BASE + si, BASE + di
                        if rep:
                            init['ecx'] = n
                        lines = (['std'] if df else []) + [('rep ' if rep else '') + name]
                        if df and self.rng.random() < 0.3:
                            lines.append('cld')
                        self.add(name, lines, init, mem=mem, flags=self.rflags())
                init, mem = self.init(), self.window()                      # two in a row, DF=0
                init['esi'], init['edi'] = BASE + 4, BASE + 20
                self.add(name, [name, name], init, mem=mem)
        init, mem = self.init(), self.window()                              # overlapping rep movsb
        init.update(esi=BASE + 2, edi=BASE + 3, ecx=6)
        self.add('movsb', ['rep movsb'], init, mem=mem)
        init, mem = self.init(), self.window()                              # fill the whole window
        init.update(edi=BASE, ecx=8)
        self.add('stosd', ['rep stosd'], init, mem=mem)
        init, mem = self.init(), self.window()                              # DF set by popfd
        init.update(esi=BASE + 28, edi=BASE + 12, ecx=3)
        self.add('movsd', ['push 400h', 'popfd', 'rep movsd'], init, mem=mem)
        init, mem = self.init(), self.window()                              # a copy loop with lodsb / stosb
        init.update(esi=BASE, edi=BASE + 16, ecx=5)
        self.add('lodsb', ['L1:', 'lodsb', 'add al, 1', 'stosb', 'loop L1'], init, mem=mem)

    # ------------------------------------------------------------------ divide errors
    def gen_faults(self):
        for op in ('div', 'idiv'):
            for w in (8, 16, 32):
                m, h = (1 << w) - 1, 1 << (w - 1)
                # divide by zero: register and memory divisors
                init = self.init()
                src = self.reg(w, used={'eax', 'edx'})
                put(init, src, 0)
                self.add('%s%d' % (op, w), ['%s %s' % (op, src)], init, fault=True)
                init, mem = self.init(), self.window()
                o, disp = self.memop(init, w, {'eax', 'edx'})
                store(mem, disp, w, 0)
                self.add('%s%d' % (op, w), ['%s %s' % (op, o), 'mov eax, 1'], init, mem=mem, fault=True)
                # quotient too large
                if op == 'div':
                    for n, d in (((m + 1) * 5, 5), ((m + 1) * m + m, m), ((1 << (2 * w)) - 1, 1), (m + 1, 1)):
                        init = self.init()
                        self._set_dividend(init, w, n)
                        src = self.reg(w, used={'eax', 'edx'})
                        put(init, src, d)
                        self.add('div%d' % w, ['div %s' % src], init, fault=True)
                else:
                    for n, d in ((-h, -1), (h, 1), (-h - 1, 1), (h * 4, 2), (-h * 3, -1)):
                        init = self.init()
                        self._set_dividend(init, w, n & ((1 << (2 * w)) - 1))
                        src = self.reg(w, used={'eax', 'edx'})
                        put(init, src, d)
                        self.add('idiv%d' % w, ['idiv %s' % src], init, fault=True)
            # the idioms, faulting after some instructions ran
            init = self.init()
            put(init, 'eax', 0x80000000)
            if op == 'idiv':
                self.add('idiv32', ['mov ebx, 0FFFFFFFFh', 'cdq', 'idiv ebx', 'mov ecx, 1'], init, fault=True)
            else:
                self.add('div32', ['add eax, ebx', 'xor edx, edx', 'xor ecx, ecx', 'div ecx'], init, fault=True)
        init = self.init()
        put(init, 'edx', 3)
        self.add('div32', ['div edx'], init, fault=True)                # EDX:EAX / EDX never fits
        init = self.init()
        put(init, 'ah', 1)
        self.add('div8', ['div ah'], init, fault=True)                  # AX / AH never fits
        init = self.init()
        put(init, 'ax', 0x8000)
        self.add('idiv8', ['cwd', 'mov bl, 0FFh', 'idiv bl'], init, fault=True)
        init = self.init()
        self.add('idiv16', ['mov ax, 8000h', 'cwd', 'mov cx, 0FFFFh', 'idiv cx'], init, fault=True)
        init = self.init()
        self.add('div32', ['push eax', 'xor ecx, ecx', 'div ecx', 'pop eax'], init, fault=True)

    def generate(self):
        for step in (self.gen_mov, self.gen_movx, self.gen_lea, self.gen_xchg, self.gen_stack, self.gen_alu2,
                     self.gen_unary, self.gen_shift, self.gen_muldiv, self.gen_bitops, self.gen_jcc,
                     self.gen_setcc_cmov, self.gen_flagops, self.gen_string, self.gen_faults):
            step()


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate targeted x86 conformance vectors with the oracle.')
    ap.add_argument('--seed', type=int, default=1, help='random seed (default 1)')
    ap.add_argument('--out', default=os.path.join(REPO, 'test', 'conformance', 'targeted.jsonl'))
    ap.add_argument('--faults', default=os.path.join(REPO, 'test', 'conformance', 'faults.jsonl'))
    a = ap.parse_args(argv)
    t0 = time.time()
    g = Targeted(a.seed)
    g.generate()
    ids = [c['id'] for c in g.cases + g.faults]
    assert len(ids) == len(set(ids)), 'duplicate ids'
    for path, cases in ((a.out, g.cases), (a.faults, g.faults)):
        with open(path, 'w') as f:
            for c in cases:
                f.write(json.dumps(c) + '\n')
        sys.stderr.write('wrote %d cases to %s\n' % (len(cases), path))
    if g.dropped:
        sys.stderr.write('dropped: %s\n' % ', '.join('%d (%s)' % (n, why) for why, n in sorted(g.dropped.items())))
    sys.stderr.write('%.1f s\n' % (time.time() - t0))


if __name__ == '__main__':
    main()
