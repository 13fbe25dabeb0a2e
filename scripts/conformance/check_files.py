#!/usr/bin/env python3
"""Sanity check of the conformance vector files in test/conformance/.

Re-reads every *.jsonl file there, checks that each line parses and has the
expected keys, that ids are unique across all files, and prints the number of
cases per file, per feature and per mnemonic.  Needs only Python 3 (no oracle).

Usage: check_files.py [DIR]     (default: test/conformance beside this repository's scripts/)
"""
import collections
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'test', 'conformance')
REGS = ('eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp')
FLAGS = ('cf', 'pf', 'af', 'zf', 'sf', 'of')
FEATURES = ('mem', 'stack', 'branch', 'loop', 'muldiv', 'size8', 'size16')
KEYS = {'id', 'asm', 'init', 'expect', 'undefined', 'features', 'info'}
OPTIONAL = {'mem', 'stack', 'expect_fault'}


def mnemonics(asm):
    out = []
    for line in asm.split('\n'):
        line = line.split(';')[0].strip()
        if not line or line.endswith(':'):
            continue
        toks = line.split()
        out.append(' '.join(toks[:2]) if toks[0] == 'rep' else toks[0])
    return out


def check_case(c, where):
    assert KEYS <= set(c) and set(c) <= KEYS | OPTIONAL, '%s: keys %s' % (where, sorted(c))
    assert isinstance(c['asm'], str) and c['asm'].strip(), where
    assert all(r in c['init'] for r in REGS), '%s: init lacks a register' % where
    assert set(c['init']) <= set(REGS) | set(FLAGS), '%s: unknown init key' % where
    assert all(c['init'][f] in (0, 1) for f in FLAGS if f in c['init']), where
    assert c['init']['esp'] == 0x130000, where
    assert all(k in c['expect'] for k in REGS + FLAGS + ('eflags',)), '%s: expect incomplete' % where
    assert all(0 <= c['expect'][k] <= 0xFFFFFFFF for k in REGS + ('eflags',)), where
    assert set(c['undefined']) <= set(FLAGS), where
    assert set(c['features']) <= set(FEATURES), where
    assert ('mem' in c) == ('mem' in c['features']), '%s: mem feature/key mismatch' % where
    if 'mem' in c:
        assert c['mem']['base'] == 0x420000 and len(c['mem']['init']) == 8 and len(c['mem']['expect']) == 8, where
    if 'stack' in c:
        assert c['stack']['top'] == 0x130000, where
        assert c['expect']['esp'] + 4 * len(c['stack']['expect']) == 0x130000, '%s: stack depth' % where
    else:
        assert c['expect']['esp'] == 0x130000 or 'expect_fault' in c, '%s: ESP moved, no stack' % where
    if 'expect_fault' in c:
        assert c['expect_fault'] == 'divide', where


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DIR
    files = sorted(glob.glob(os.path.join(folder, '*.jsonl')))
    assert files, 'no .jsonl files in %s' % folder
    ids, total = set(), 0
    for path in files:
        per_feature, per_mnemonic = collections.Counter(), collections.Counter()
        n = plain = undefined = 0
        with open(path) as f:
            for no, line in enumerate(f, 1):
                where = '%s:%d' % (os.path.basename(path), no)
                c = json.loads(line)
                check_case(c, where)
                assert c['id'] not in ids, '%s: duplicate id %s' % (where, c['id'])
                ids.add(c['id'])
                n += 1
                per_feature.update(c['features'])
                plain += not c['features']
                undefined += bool(c['undefined'])
                per_mnemonic.update(set(mnemonics(c['asm'])))
        total += n
        print('%s: %d cases, %.0f KB' % (os.path.basename(path), n, os.path.getsize(path) / 1024))
        print('  features: ' + ', '.join('%s %d' % (k, per_feature[k]) for k in FEATURES) +
              ', none %d; with undefined flags %d' % (plain, undefined))
        print('  cases per mnemonic (%d mnemonics): ' % len(per_mnemonic) +
              ', '.join('%s %d' % kv for kv in sorted(per_mnemonic.items())))
    print('total: %d cases in %d files, all lines parse, ids unique' % (total, len(files)))


if __name__ == '__main__':
    main()
