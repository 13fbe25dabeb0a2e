#!/usr/bin/env bash
# Regenerate the conformance vectors in test/conformance/ from the NASM + Unicorn oracle.
#
#   scripts/conformance/regenerate.sh          (from anywhere; paths are relative to the repo root)
#   ORACLE_DIR=/path/to/oracle scripts/conformance/regenerate.sh
#
# Needs: nasm on PATH and Debian's python3-unicorn (apt-get install -y python3-unicorn nasm),
# run with /usr/bin/python3 (override with PYTHON=...).  Takes well under a minute.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
oracle="${ORACLE_DIR:-../shared/oracle}"
python="${PYTHON:-/usr/bin/python3}"
out="test/conformance"

if [[ ! -f "$oracle/run.py" || ! -f "$oracle/gen_cases.py" ]]; then
  echo "regenerate.sh: no oracle at $oracle (set ORACLE_DIR)" >&2
  exit 1
fi
command -v nasm >/dev/null || { echo "regenerate.sh: nasm not found (apt-get install -y nasm)" >&2; exit 1; }
"$python" -c 'import unicorn' 2>/dev/null \
  || { echo "regenerate.sh: $python cannot import unicorn (apt-get install -y python3-unicorn)" >&2; exit 1; }

mkdir -p "$out"
start=$SECONDS

# 1. random cases: the oracle's own generator, called by path (not copied)
"$python" "$oracle/gen_cases.py" -n 3000 --seed 2 -o "$out/random.jsonl"

# 2 and 3. targeted cases and divide-error cases
ORACLE_DIR="$oracle" "$python" scripts/conformance/gen_targeted.py --seed 1 \
  --out "$out/targeted.jsonl" --faults "$out/faults.jsonl"

echo "generated in $((SECONDS - start)) s"
for f in random targeted faults; do
  printf '%-10s %6d cases\n' "$f" "$(wc -l < "$out/$f.jsonl")"
done
"$python" scripts/conformance/check_files.py "$out" >/dev/null && echo "check_files.py: ok"
